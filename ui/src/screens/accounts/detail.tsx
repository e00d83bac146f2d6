// One restaurant's account: its status and what Stripe still needs in plain words, capabilities,
// balance, and the links to hand the owner (onboarding or update, with a QR code for their phone
// and a countdown; the Express dashboard link).

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AccountDetail_Serialize, type AccountLinkView, type AppError } from "../../api";
import { StatusBadge } from "../../components/badge";
import { countryName, formatMoney } from "../../lib/format";

export function AccountView(props: { account: string; onBack: () => void }) {
  const [detail, setDetail] = useState<AccountDetail_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [link, setLink] = useState<AccountLinkView | null>(null);
  const [dashboard, setDashboard] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(Date.now() / 1000);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    call(commands.accountDetail(props.account)).then(setDetail, (e) => setError(errorOf(e)));
  }, [props.account]);

  useEffect(() => {
    if (!link) return;
    const timer = window.setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => window.clearInterval(timer);
  }, [link]);

  async function makeLink(kind: "onboarding" | "update") {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setLink(await call(kind === "onboarding" ? commands.accountOnboardingLink(props.account) : commands.accountUpdateLink(props.account)));
      setNow(Date.now() / 1000);
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function makeDashboard() {
    setBusy(true);
    setError(null);
    try {
      setDashboard(await call(commands.accountLoginLink(props.account)));
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

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
  const left = link ? Math.max(0, Math.round(link.expires_at - now)) : 0;
  const expired = link !== null && left === 0;
  return (
    <div class="account-detail" role="region" aria-label="Account">
      <button type="button" class="secondary" onClick={props.onBack}>
        ← Back to accounts
      </button>
      <div class="card account-head">
        <div class="pay-head-main">
          <h2 class="account-name">{r.name}</h2>
          <StatusBadge status={r.status} />
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
          {req.items.length === 0 && <p class="muted">Nothing is due.</p>}
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
            {detail.available && (
              <div class="fact">
                <dt>Available</dt>
                <dd>{formatMoney(detail.available)}</dd>
              </div>
            )}
            {detail.pending && (
              <div class="fact">
                <dt>Pending</dt>
                <dd>{formatMoney(detail.pending)}</dd>
              </div>
            )}
            {detail.url && (
              <div class="fact">
                <dt>Website</dt>
                <dd>{detail.url}</dd>
              </div>
            )}
          </dl>
        </div>
      </div>
      {(detail.may_manage || detail.may_send_update) && (
        <div class="card account-links" aria-label="Links for the owner">
          <h3 class="section-title">Links for the owner</h3>
          <div class="actions left">
            {detail.may_manage && !detail.details_submitted && (
              <button type="button" class="primary" disabled={busy} onClick={() => void makeLink("onboarding")}>
                Onboarding link
              </button>
            )}
            {detail.may_send_update && detail.details_submitted && (
              <button type="button" class="secondary" disabled={busy} onClick={() => void makeLink("update")}>
                Update link
              </button>
            )}
            {detail.may_manage && r.kind === "express" && detail.details_submitted && (
              <button type="button" class="secondary" disabled={busy} onClick={() => void makeDashboard()}>
                Express dashboard link
              </button>
            )}
          </div>
          {link && (
            <div class={expired ? "link-card expired" : "link-card"} data-field="account-link">
              <img class="qr" src={link.qr} alt="QR code of the link" />
              <div>
                <p class="mono small link-url">{link.url}</p>
                <p data-field="link-expiry">
                  {expired ? "This link has expired: make a new one." : `Usable for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} more — show the QR code to the owner's phone or copy the link.`}
                </p>
                <button
                  type="button"
                  class="secondary"
                  disabled={expired}
                  onClick={() => void navigator.clipboard.writeText(link.url).then(() => setCopied(true), () => setCopied(false))}
                >
                  {copied ? "Copied" : "Copy link"}
                </button>
              </div>
            </div>
          )}
          {dashboard && (
            <p class="mono small" data-field="dashboard-link">
              {dashboard}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
