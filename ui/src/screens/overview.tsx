// Overview: the platform's balance per currency and every connected account, read from the local
// cache first and refreshed from Stripe in the background.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type ConnectionView_Serialize, type OverviewView_Serialize } from "../api";
import { Amount } from "../components/money";
import { AccountsTable } from "./accounts-table";
import { SyncBar } from "../components/sync-bar";
import { formatDateTime, formatRelative } from "../lib/format";

/** Background refresh interval while the screen is open. */
const REFRESH_MS = 60_000;

export function Overview(props: { connection: ConnectionView_Serialize }) {
  const [data, setData] = useState<OverviewView_Serialize | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [, setTick] = useState(0);
  const alive = useRef(true);

  async function refresh() {
    setSyncing(true);
    try {
      const fresh = await call(commands.overviewRefresh());
      if (!alive.current) return;
      setData(fresh);
      setError(null);
    } catch (e) {
      if (alive.current) setError(errorOf(e));
    } finally {
      if (alive.current) setSyncing(false);
    }
  }

  useEffect(() => {
    alive.current = true;
    (async () => {
      try {
        const cached = await call(commands.overviewGet());
        if (alive.current) setData(cached);
      } catch (e) {
        if (alive.current) setError(errorOf(e));
      }
      await refresh();
    })();
    const timer = window.setInterval(() => void refresh(), REFRESH_MS);
    const clock = window.setInterval(() => setTick((t) => t + 1), 15_000);
    return () => {
      alive.current = false;
      window.clearInterval(timer);
      window.clearInterval(clock);
    };
  }, [props.connection.mode, props.connection.masked_key]);

  const firstLoad = data === null || (data.last_synced_at === null && syncing);

  return (
    <section class="screen">
      <header class="screen-header">
        <h1>Overview</h1>
        <div class="sync-status">
          <SyncLabel lastSynced={data?.last_synced_at ?? null} syncing={syncing} />
          <button type="button" class="secondary" onClick={() => void refresh()} disabled={syncing}>
            {syncing ? "Syncing…" : "Refresh now"}
          </button>
        </div>
      </header>

      <SyncBar />

      {error && (
        <div class={error.code === "offline" ? "notice warning" : "notice error"} role="alert">
          <strong>{error.code === "offline" ? "Offline." : "Could not refresh."}</strong> {error.message}
          {data?.last_synced_at && error.code === "offline" && (
            <span> Showing what was synced {formatRelative(data.last_synced_at)}.</span>
          )}
        </div>
      )}

      <h2 class="section-title">Platform balance</h2>
      {firstLoad ? <BalanceSkeleton /> : <PlatformBalance data={data} />}

      <h2 class="section-title">Connected accounts</h2>
      {firstLoad ? <div class="card skeleton-table" aria-busy="true" aria-label="Loading accounts" /> : <AccountsTable accounts={data?.accounts ?? []} />}

      {data && data.cardconnect.length > 0 && (
        <>
          <h2 class="section-title">On CardConnect</h2>
          <div class="card table-card">
            <table class="data" aria-label="CardConnect restaurants">
              <thead>
                <tr>
                  <th>Restaurant</th>
                  <th>Merchant ID</th>
                  <th>Currency</th>
                </tr>
              </thead>
              <tbody>
                {data.cardconnect.map((m) => (
                  <tr key={m.merchid} data-merchid={m.merchid}>
                    <td>{m.name}</td>
                    <td class="mono">{m.merchid}</td>
                    <td>{(m.currency ?? "usd").toUpperCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted small card-note">Their deposits are in Payouts, beside Stripe's payouts.</p>
          </div>
        </>
      )}
    </section>
  );
}

function SyncLabel(props: { lastSynced: string | null; syncing: boolean }) {
  if (!props.lastSynced) {
    return <span class="muted" role="status">{props.syncing ? "First sync with Stripe…" : "Not synced yet"}</span>;
  }
  return (
    <span class="muted" role="status" aria-label="Last synced" title={formatDateTime(props.lastSynced)}>
      {syncedWords(props.lastSynced)}
    </span>
  );
}

function syncedWords(iso: string): string {
  const ageSeconds = (Date.now() - new Date(iso).getTime()) / 1000;
  return ageSeconds < 45 ? "Last synced just now" : `Last synced ${formatRelative(iso)}`;
}

function PlatformBalance(props: { data: OverviewView_Serialize | null }) {
  const lines = props.data?.platform_balance ?? [];
  const sorted = useMemo(() => [...lines].sort((a, b) => b.available.amount - a.available.amount), [lines]);
  if (sorted.length === 0) {
    return (
      <div class="card empty">
        <p>No balance yet. Once the platform takes application fees or payments, each currency appears here.</p>
      </div>
    );
  }
  return (
    <div class="balance-grid" role="list" aria-label="Platform balance">
      {sorted.map((line) => (
        <div class="card balance-card" role="listitem" key={line.currency} aria-label={`Balance in ${line.currency.toUpperCase()}`}>
          <header>
            <span class="currency-code">{line.currency.toUpperCase()}</span>
          </header>
          <div class="balance-main">
            <span class="label">Available</span>
            <span class="big" data-field="available">
              <Amount value={line.available} />
            </span>
          </div>
          <dl class="balance-details">
            <div>
              <dt>Pending</dt>
              <dd data-field="pending">
                <Amount value={line.pending} />
              </dd>
            </div>
            {line.connect_reserved.amount !== 0 && (
              <div>
                <dt title="Held by Stripe to cover negative balances of connected accounts">Connect reserve</dt>
                <dd>
                  <Amount value={line.connect_reserved} />
                </dd>
              </div>
            )}
            {line.instant_available.amount !== 0 && (
              <div>
                <dt>Instantly available</dt>
                <dd>
                  <Amount value={line.instant_available} />
                </dd>
              </div>
            )}
          </dl>
        </div>
      ))}
    </div>
  );
}

function BalanceSkeleton() {
  return (
    <div class="balance-grid" aria-busy="true" aria-label="Loading balance">
      {[0, 1, 2].map((i) => (
        <div class="card balance-card skeleton" key={i} />
      ))}
    </div>
  );
}
