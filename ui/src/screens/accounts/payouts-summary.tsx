// An account's money in summary: balance, payout schedule, the latest payouts, each leading to the
// Payouts screen for the rest.

import { type AccountDetail_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { PayoutStatus, arrivalDay, ARRIVAL_TITLE } from "../../components/payout-status";

export function PayoutsSummary(props: { detail: AccountDetail_Serialize; onOpenPayouts: (payout: string | null) => void }) {
  const d = props.detail;
  return (
    <div class="card account-money" aria-label="Balance and payouts">
      <h3 class="section-title">Balance and payouts</h3>
      <dl class="facts">
        <div class="fact">
          <dt>Available</dt>
          <dd>{d.available ? <Amount value={d.available} /> : <span class="muted">Not synced yet</span>}</dd>
        </div>
        <div class="fact">
          <dt>Pending</dt>
          <dd>{d.pending ? <Amount value={d.pending} /> : <span class="muted">—</span>}</dd>
        </div>
        <div class="fact">
          <dt>Payout schedule</dt>
          <dd data-field="payout-schedule">{d.payout_schedule ?? <span class="muted">Set once the owner finishes onboarding</span>}</dd>
        </div>
      </dl>
      {d.recent_payouts.length > 0 ? (
        <table class="data compact" aria-label="Latest payouts">
          <thead>
            <tr>
              <th title={ARRIVAL_TITLE}>Arrives</th>
              <th class="num">Amount</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {d.recent_payouts.map((p) => (
              <tr key={p.id} class="pay-row" onClick={() => props.onOpenPayouts(p.id)}>
                <td>{arrivalDay(p.arrival_date)}</td>
                <td class="num">
                  <Amount value={p.amount} />
                </td>
                <td>
                  <PayoutStatus status={p.status} label={p.status_label} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No payouts yet.</p>
      )}
      <button type="button" class="link-button" onClick={() => props.onOpenPayouts(null)}>
        All payouts and the schedule →
      </button>
    </div>
  );
}
