// One restaurant's account: its status and what Stripe still needs in plain words, capabilities,
// balance and payouts in summary, the business profile (editable by platform admins), and the
// links to hand the owner.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AccountDetail_Serialize, type AppError } from "../../api";
import { StatusBadge } from "../../components/badge";
import { countryName } from "../../lib/format";
import { useSyncCount } from "../../lib/synced";
import { OwnerLinks } from "./links";
import { PayoutsSummary } from "./payouts-summary";
import { EditProfile } from "./profile-edit";

export function AccountView(props: { account: string; onBack: () => void; onOpenPayouts: (account: string, payout: string | null) => void }) {
  const [detail, setDetail] = useState<AccountDetail_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [editing, setEditing] = useState(false);
  const synced = useSyncCount();

  // Read again after each sync: onboarding finished elsewhere shows up here.
  useEffect(() => {
    call(commands.accountDetail(props.account)).then(
      (d) => {
        setDetail(d);
        setError(null);
      },
      (e) => setError(errorOf(e)),
    );
  }, [props.account, synced]);

  if (!detail) {
    return (
      <div class="account-detail">
        <button type="button" class="secondary" onClick={props.onBack}>
          ← Back to accounts
        </button>
        {error ? (
          <div class="notice error" role="alert">
            {error.message}
          </div>
        ) : (
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading the account" />
        )}
      </div>
    );
  }
  const r = detail.row;
  const req = detail.requirements;
  return (
    <div class="account-detail" role="region" aria-label="Account">
      <button type="button" class="secondary" onClick={props.onBack}>
        ← Back to accounts
      </button>
      <div class="card account-head">
        <div class="pay-head-main">
          <h2 class="account-name">{r.name}</h2>
          <StatusBadge status={r.status} disconnected={r.disconnected} />
          <span class="badge pay-muted capitalize">{r.kind}</span>
        </div>
        <div class="pay-head-sub">
          <span class="mono">{r.id}</span>
          {r.country && <span>{countryName(r.country)}</span>}
          {detail.email && <span>{detail.email}</span>}
          {detail.mcc && (
            <span>
              MCC {detail.mcc}
              {detail.mcc_name ? ` · ${detail.mcc_name}` : ""}
            </span>
          )}
        </div>
        {r.status_words && <p class="muted">{r.status_words}</p>}
      </div>
      {detail.disconnected && (
        <div class="notice warning" role="status" data-field="disconnected">
          <strong>Disconnected.</strong> {detail.disconnected}
        </div>
      )}
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      <div class="pay-columns">
        <div class="card account-requirements" aria-label="What Stripe needs">
          <h3 class="section-title">What Stripe needs</h3>
          <p data-field="requirements-summary">{req.summary}</p>
          {req.disabled_in_words && <p class="danger-text">{req.disabled_in_words}</p>}
          <ul class="requirements">
            {req.items.map((i) => (
              <li key={i.path} data-urgency={i.urgency}>
                <span class={`badge requirement-${i.urgency}`}>{i.urgency_label}</span> {i.sentence}
                {i.problem && <div class="small danger-text">{i.problem}</div>}
              </li>
            ))}
          </ul>
        </div>
        <div class="card account-facts">
          <h3 class="section-title">Account</h3>
          <dl class="facts">
            <div class="fact">
              <dt>Takes payments</dt>
              <dd>{detail.charges_enabled ? "Yes" : "Not yet"}</dd>
            </div>
            <div class="fact">
              <dt>Receives payouts</dt>
              <dd>{detail.payouts_enabled ? "Yes" : "Not yet"}</dd>
            </div>
            <div class="fact">
              <dt>Details sent</dt>
              <dd>{detail.details_submitted ? "Yes" : "Not yet"}</dd>
            </div>
            {detail.capabilities.map((c) => (
              <div class="fact" key={c.name}>
                <dt>{c.label} capability</dt>
                <dd class="capitalize">{c.status}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
      <div class="pay-columns">
        <PayoutsSummary detail={detail} onOpenPayouts={(payout) => props.onOpenPayouts(r.id, payout)} />
        {editing && detail.may_manage ? (
          <EditProfile
            detail={detail}
            onCancel={() => setEditing(false)}
            onSaved={(d) => {
              setDetail(d);
              setEditing(false);
            }}
          />
        ) : (
          <div class="card account-profile" aria-label="Business profile">
            <h3 class="section-title">Business profile</h3>
            <dl class="facts">
              <div class="fact">
                <dt>Name</dt>
                <dd>{detail.business_name ?? <span class="muted">Not given</span>}</dd>
              </div>
              <div class="fact">
                <dt>Kind of business</dt>
                <dd>{detail.mcc ? `${detail.mcc}${detail.mcc_name ? ` · ${detail.mcc_name}` : ""}` : <span class="muted">Not given</span>}</dd>
              </div>
              <div class="fact">
                <dt>Website</dt>
                <dd>{detail.url ?? <span class="muted">None</span>}</dd>
              </div>
              <div class="fact">
                <dt>Support</dt>
                <dd>{[detail.support_email, detail.support_phone].filter(Boolean).join(" · ") || <span class="muted">None</span>}</dd>
              </div>
            </dl>
            {detail.may_manage && r.kind !== "standard" && (
              <button type="button" class="secondary" onClick={() => setEditing(true)}>
                Edit business profile
              </button>
            )}
            {detail.may_manage && r.kind === "standard" && <p class="muted small">A Standard account's owner edits this in their own Stripe Dashboard.</p>}
          </div>
        )}
      </div>
      {(detail.may_manage || detail.may_send_update) && <OwnerLinks key={`${r.id}-${detail.details_submitted}`} detail={detail} />}
    </div>
  );
}
