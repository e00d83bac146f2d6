// The background sync of everything (payouts, payments, disputes…) into this PC's cache: started
// on first view, with progress while it runs and a way to cancel.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, events, SYNC_FINISHED_EVENT, type SyncStatusView } from "../api";
import { formatDateTime, formatRelative } from "../lib/format";

const PHASES: Record<string, string> = {
  starting: "Starting",
  accounts: "Connected accounts",
  lists: "Payouts, payments, refunds, disputes and balances",
  events: "Changes since the last sync",
  "CardConnect deposits": "CardConnect deposits and transactions",
  done: "Finishing",
};

export function SyncBar() {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const lastFinished = useRef<string | null | undefined>(undefined);
  const autoStarted = useRef(false);
  const [, setMinute] = useState(0);

  function show(s: SyncStatusView) {
    if (!alive.current) return;
    setStatus(s);
    // Never synced (first view, or a new connection whose previous sync was still stopping): start.
    if (!s.running && !s.last_finished_at && !s.last_error && !autoStarted.current) {
      autoStarted.current = true;
      void start(false);
    }
    // Tell the screens when a sync has ended since the first reading.
    const before = lastFinished.current;
    if (!s.running) {
      if (before !== undefined && s.last_finished_at !== before) window.dispatchEvent(new Event(SYNC_FINISHED_EVENT));
      lastFinished.current = s.last_finished_at;
    } else if (before === undefined) {
      lastFinished.current = null;
    }
  }

  async function start(full: boolean) {
    setError(null);
    // The run resolves when the sync ends; meanwhile `syncChanged` events show progress.
    const run = call(commands.syncRun(full));
    try {
      show(await run);
    } catch (e) {
      if (alive.current) setError(errorOf(e).message);
    }
  }

  async function poll() {
    try {
      const s = await call(commands.syncStatus());
      show(s);
      return s;
    } catch (e) {
      if (alive.current) setError(errorOf(e).message);
      return null;
    }
  }

  useEffect(() => {
    alive.current = true;
    // Read once; after that the desk says when the sync changes (started anywhere in this app).
    const unlisten = events.syncChanged.listen((e) => show(e.payload));
    void poll();
    // "Synced 3 minutes ago" moves on by itself: a redraw a minute, nothing asked of the desk.
    const clock = window.setInterval(() => setMinute((m) => m + 1), 60_000);
    return () => {
      alive.current = false;
      window.clearInterval(clock);
      void unlisten.then((stop) => stop());
    };
  }, []);

  if (!status) return null;
  if (status.running) {
    const label = PHASES[status.phase] ?? status.phase;
    return (
      <div class="sync-bar running" role="status" aria-label="Sync progress">
        <span class="sync-text">
          Syncing all Stripe data — {label}: {status.done.toLocaleString()} of {Math.max(status.total, status.done).toLocaleString()} pages
        </span>
        <progress max={Math.max(status.total, 1)} value={status.done} aria-label="Pages synced" />
        <button type="button" class="secondary" onClick={() => void call(commands.syncCancel()).then(setStatus)}>
          Cancel
        </button>
      </div>
    );
  }
  const problem = error ?? status.last_error;
  return (
    <div class={problem ? "sync-bar problem" : "sync-bar"} role="status" aria-label="Sync progress">
      <span class="sync-text" title={status.last_finished_at ? formatDateTime(status.last_finished_at) : undefined}>
        {problem
          ? `The last sync did not finish: ${problem}`
          : status.last_finished_at
            ? `All data synced ${syncedAgo(status.last_finished_at)}`
            : "Not synced yet"}
        {!problem && status.last_note && <span class="sync-note"> — {status.last_note}</span>}
      </span>
      <button type="button" class="secondary" onClick={() => void start(false)}>
        {problem ? "Try again" : "Sync again"}
      </button>
    </div>
  );
}

function syncedAgo(iso: string): string {
  return Date.now() - new Date(iso).getTime() < 45_000 ? "just now" : formatRelative(iso);
}
