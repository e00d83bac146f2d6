// Transfers (platform admins): money moved from the platform to restaurants — tips, corrections,
// promotions — newest first; one opened with its reversals and a reversal form; a new one sent
// after a confirmation that restates it.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AccountChoice, type AppError, type TransferRow_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { SyncBar } from "../../components/sync-bar";
import { formatDateTime } from "../../lib/format";
import { useSyncCount } from "../../lib/synced";
import { NewTransfer } from "./new";
import { TransferView } from "./detail";
import { BulkTransfers } from "./bulk";
import "./transfers.css";

type Showing = { kind: "list" } | { kind: "transfer"; id: string } | { kind: "new" } | { kind: "bulk" };

export function Transfers() {
  const [showing, setShowing] = useState<Showing>({ kind: "list" });
  const [rows, setRows] = useState<TransferRow_Serialize[] | null>(null);
  const [restaurants, setRestaurants] = useState<AccountChoice[]>([]);
  const [restaurant, setRestaurant] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [changed, setChanged] = useState(0);
  const synced = useSyncCount();

  useEffect(() => {
    call(commands.accountChoices(null)).then(
      (r) => setRestaurants(r),
      () => setRestaurants([]),
    );
  }, [synced]);
  useEffect(() => {
    call(commands.transfersList({ restaurant: restaurant || null })).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(errorOf(e)),
    );
  }, [restaurant, synced, changed]);

  return (
    <section class="screen transfers-screen">
      <header class="screen-header">
        <h1>Transfers</h1>
        {showing.kind === "list" && (
          <div class="actions">
            <button type="button" class="secondary" onClick={() => setShowing({ kind: "bulk" })}>
              From a file…
            </button>
            <button type="button" class="primary" onClick={() => setShowing({ kind: "new" })}>
              New transfer…
            </button>
          </div>
        )}
      </header>
      <SyncBar />
      {showing.kind === "new" && (
        <NewTransfer
          restaurants={restaurants.filter((r) => !r.disconnected && r.status !== "disabled")}
          onCancel={() => setShowing({ kind: "list" })}
          onSent={(id) => {
            setChanged((c) => c + 1);
            setShowing({ kind: "transfer", id });
          }}
        />
      )}
      {showing.kind === "bulk" && <BulkTransfers onDone={() => setChanged((c) => c + 1)} onCancel={() => setShowing({ kind: "list" })} />}
      {showing.kind === "transfer" && (
        <TransferView id={showing.id} onBack={() => setShowing({ kind: "list" })} onChanged={() => setChanged((c) => c + 1)} />
      )}
      <div hidden={showing.kind !== "list"} class="transfers-list">
        <div class="card filters-card">
          <div class="toolbar">
            <label class="inline">
              <span>Restaurant</span>
              <select aria-label="Restaurant" value={restaurant} onChange={(e) => setRestaurant((e.target as HTMLSelectElement).value)}>
                <option value="">All restaurants</option>
                {restaurants.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <span class="muted push-right">{rows && `${rows.length} ${rows.length === 1 ? "transfer" : "transfers"}`}</span>
          </div>
        </div>
        {error && (
          <div class="notice error" role="alert">
            {error.message}
          </div>
        )}
        <div class="card table-card">
          {rows === null && !error ? (
            <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading transfers" />
          ) : rows && rows.length === 0 ? (
            <p class="empty">No transfers yet. Send one with “New transfer…”.</p>
          ) : (
            <table class="data" aria-label="Transfers">
              <thead>
                <tr>
                  <th>Sent</th>
                  <th>Restaurant</th>
                  <th>What for</th>
                  <th class="num">Amount</th>
                  <th class="num">Reversed</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {(rows ?? []).map((t) => (
                  <tr
                    key={t.id}
                    class="pay-row"
                    tabIndex={0}
                    data-transfer={t.id}
                    onClick={() => setShowing({ kind: "transfer", id: t.id })}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") setShowing({ kind: "transfer", id: t.id });
                    }}
                  >
                    <td class="nowrap">{formatDateTime(t.created)}</td>
                    <td>
                      <div class="name">{t.restaurant_name}</div>
                      <div class="mono small muted">{t.id}</div>
                    </td>
                    <td>{t.description ?? <span class="muted">—</span>}</td>
                    <td class="num">
                      <Amount value={t.amount} />
                    </td>
                    <td class="num">{t.reversed.amount > 0 ? <Amount value={t.reversed} /> : <span class="muted">—</span>}</td>
                    <td>{t.status_label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
