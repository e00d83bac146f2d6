// Transfers (platform admins): money moved from the platform to restaurants — tips, corrections,
// promotions — newest first, 100 at a time; one opened with its reversals and a reversal form; a new one sent
// after a confirmation that restates it.

import { useEffect, useState } from "preact/hooks";
import { call, commands, type AccountChoice, type TransferPage_Serialize, type TransferRow_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { ShowMore, usePages } from "../../components/show-more";
import { SyncBar } from "../../components/sync-bar";
import { formatDateTime } from "../../lib/format";
import { useSyncCount } from "../../lib/synced";
import { NewTransfer } from "./new";
import { TransferView } from "./detail";
import { BulkTransfers } from "./bulk";
import "./transfers.css";

/** Transfers asked for at a time. */
const PAGE = 100;

type Showing = { kind: "list" } | { kind: "transfer"; id: string } | { kind: "new" } | { kind: "bulk" };

export function Transfers() {
  const [showing, setShowing] = useState<Showing>({ kind: "list" });
  const [restaurants, setRestaurants] = useState<AccountChoice[]>([]);
  const [restaurant, setRestaurant] = useState("");
  const [changed, setChanged] = useState(0);
  const synced = useSyncCount();

  useEffect(() => {
    call(commands.accountChoices(null)).then(
      (r) => setRestaurants(r),
      () => setRestaurants([]),
    );
  }, [synced]);
  const { first, rows, error, busy, more } = usePages<TransferRow_Serialize, TransferPage_Serialize>(
    (offset) => call(commands.transfersList({ restaurant: restaurant || null }, offset, PAGE)),
    [restaurant, synced, changed],
  );
  const total = first?.total ?? 0;

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
            <span class="muted push-right" data-field="transfers-caption">
              {first && `${total.toLocaleString()} ${total === 1 ? "transfer" : "transfers"}`}
            </span>
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
          {rows && first && <ShowMore shown={rows.length} total={total} page={PAGE} noun="transfers" busy={busy} onMore={more} />}
        </div>
      </div>
    </section>
  );
}
