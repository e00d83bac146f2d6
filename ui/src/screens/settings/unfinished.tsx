// Settings → Unfinished money actions: what was sent to Stripe without a definite answer. Nothing
// else is sent for those restaurants until Merchant Desk knows what happened; "Check now" asks
// Stripe (with the same key within 23 hours, by looking the object up after that).

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type UnfinishedCall } from "../../api";
import { Amount } from "../../components/money";
import { formatDateTime } from "../../lib/format";

export function UnfinishedActions() {
  const [calls, setCalls] = useState<UnfinishedCall[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<string | null>(null);

  useEffect(() => {
    call(commands.unfinishedCallsList()).then(setCalls, (e) => setError(errorOf(e)));
  }, []);

  async function settleByHand(key: string, happened: boolean) {
    setError(null);
    setChecked(null);
    try {
      setCalls(await call(commands.unfinishedCallsResolve(key, happened)));
      setChecked(happened ? "Recorded as happened. The audit log names who decided." : "Recorded as not happened. The audit log names who decided.");
    } catch (e) {
      setError(errorOf(e));
    }
  }

  async function checkNow() {
    setChecking(true);
    setError(null);
    setChecked(null);
    const before = calls?.length ?? 0;
    try {
      const left = await call(commands.unfinishedCallsCheck());
      setCalls(left);
      const settled = Math.max(0, before - left.length);
      setChecked(
        left.length === 0
          ? `Checked with Stripe: ${settled === 1 ? "the action is" : "every action is"} settled. See the audit log for the outcome.`
          : `Checked with Stripe: ${settled} settled, ${left.length} still unknown.`,
      );
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setChecking(false);
    }
  }

  return (
    <section class="card settings-card unfinished-card" aria-label="Unfinished money actions">
      <h2>Unfinished money actions</h2>
      <p class="muted">
        Sent to Stripe without a definite answer, so they may or may not have happened. Until each is settled, no other
        money action is sent for its restaurant. Merchant Desk checks at start, after reconnecting and every few minutes.
      </p>
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {checked && (
        <div class="notice success" role="status">
          {checked}
        </div>
      )}
      {calls === null && !error && <p class="muted">Loading…</p>}
      {calls !== null && calls.length === 0 && <p class="empty">Nothing is unfinished: every money action has a known outcome.</p>}
      {calls !== null && calls.length > 0 && (
        <table class="data" aria-label="Unfinished actions">
          <thead>
            <tr>
              <th>Action</th>
              <th>Restaurant</th>
              <th class="num">Amount</th>
              <th>Asked by</th>
              <th>When</th>
              <th>What is known</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.key} data-key={c.key}>
                <td data-field="summary">{c.summary}</td>
                <td data-field="account" title={c.account ?? undefined}>
                  {c.account_name ?? c.account ?? "Platform"}
                </td>
                <td class="num">{c.amount ? <Amount value={c.amount} /> : "—"}</td>
                <td>{c.asked_by}</td>
                <td class="nowrap">{formatDateTime(c.requested_at)}</td>
                <td data-field="known">
                  {c.known}
                  {c.other_connection && " Made with another Stripe key than the one connected now."}
                  {c.settle_by_hand && (
                    <div class="by-hand">
                      <span>Merchant Desk cannot find out by itself. Look it up in the Stripe Dashboard, then:</span>
                      <button type="button" class="secondary" onClick={() => void settleByHand(c.key, true)}>
                        It happened
                      </button>
                      <button type="button" class="secondary" onClick={() => void settleByHand(c.key, false)}>
                        It did not happen
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={checking || !calls || calls.length === 0} onClick={checkNow}>
          {checking ? "Checking…" : "Check now"}
        </button>
      </div>
    </section>
  );
}
