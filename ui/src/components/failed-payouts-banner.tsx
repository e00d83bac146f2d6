// Failed payouts, above every screen for profiles that see payouts: what failed, for which
// restaurant and why, with a way to open the payout or dismiss the alert on this PC.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, SYNC_FINISHED_EVENT, type PayoutAlert_Serialize, type PayoutRow_Serialize } from "../api";
import { formatMoney, locale } from "../lib/format";
import "../screens/payouts/balances.css";

/** Alerts listed before "and N more". */
export const MAX_SHOWN = 3;

/** "Payout of $1,234.56 to Chase ••••6789 for Sakura Kitchen failed: The bank account is closed." */
export function alertSentence(p: PayoutRow_Serialize, loc: string = locale()): string {
  const bank = p.bank ?? "the bank account";
  const why = p.failure_message ?? "Stripe gave no reason.";
  return `Payout of ${formatMoney(p.amount, loc)} to ${bank} for ${p.account_name} failed: ${why}`;
}

/** The alerts to list and how many more there are. */
export function firstAlerts<T>(alerts: T[], max: number = MAX_SHOWN): { shown: T[]; more: number } {
  return { shown: alerts.slice(0, max), more: Math.max(0, alerts.length - max) };
}

export function FailedPayoutsBanner(props: { onView: (payout: string) => void }) {
  const [alerts, setAlerts] = useState<PayoutAlert_Serialize[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const alive = useRef(true);
  const request = useRef(0);

  async function read() {
    const mine = ++request.current;
    try {
      const list = await call(commands.payoutAlertsList());
      if (alive.current && mine === request.current) setAlerts(list);
    } catch {
      // Locked: the frame shows the lock screen. Anything else: keep what is shown and try again
      // after the next sync, rather than covering every screen with a banner about the banner.
    }
  }

  useEffect(() => {
    alive.current = true;
    // Failed payouts arrive with a sync: read at first, then after every sync, never on a timer.
    void read();
    const again = () => void read();
    window.addEventListener(SYNC_FINISHED_EVENT, again);
    return () => {
      alive.current = false;
      window.removeEventListener(SYNC_FINISHED_EVENT, again);
    };
  }, []);

  async function dismiss(id: string) {
    setBusy(id);
    setProblem(null);
    request.current++; // a read already on its way would bring the dismissed alert back
    try {
      const list = await call(commands.payoutAlertDismiss(id));
      if (alive.current) setAlerts(list);
    } catch (e) {
      const err = errorOf(e);
      if (alive.current && err.code !== "locked") setProblem(`Could not dismiss the alert: ${err.message}`);
    } finally {
      if (alive.current) setBusy(null);
    }
  }

  if (alerts.length === 0) return null;
  const { shown, more } = firstAlerts(alerts);
  return (
    <div class="notice error failed-payouts" role="alert" aria-label="Failed payouts">
      <strong class="fp-title">
        {alerts.length === 1 ? "A payout failed" : `${alerts.length} payouts failed`}
      </strong>
      <ul class="fp-list">
        {shown.map((a) => (
          <li key={a.payout.id} data-payout={a.payout.id}>
            <span class="fp-text">{alertSentence(a.payout)}</span>
            <span class="fp-actions">
              <button type="button" class="fp-button" onClick={() => props.onView(a.payout.id)}>
                View payout
              </button>
              <button
                type="button"
                class="fp-button quiet"
                disabled={busy === a.payout.id}
                title="Hide this alert on this PC; the payout stays failed in the Payouts list"
                onClick={() => void dismiss(a.payout.id)}
              >
                Dismiss
              </button>
            </span>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p class="fp-more">
          and {more} more {more === 1 ? "failed payout" : "failed payouts"} — see the Payouts list.
        </p>
      )}
      {problem && <p class="fp-problem">{problem}</p>}
    </div>
  );
}
