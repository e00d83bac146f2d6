// The links to hand a restaurant's owner: onboarding or update (with a QR code for their phone and
// a countdown), and the Express dashboard. Stripe's links work once and only for a few minutes:
// one that expired or was opened is never shown as usable, and a new one is one click.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AccountDetail_Serialize, type AccountLinkView, type AppError, type DashboardLinkView } from "../../api";

type Kind = "onboarding" | "update";

const now = () => Date.now() / 1000;

export function OwnerLinks(props: { detail: AccountDetail_Serialize }) {
  const d = props.detail;
  // Each link with when it stops working on this PC's clock (counted from its arrival).
  const [link, setLink] = useState<{ view: AccountLinkView; until: number } | null>(null);
  const [opened, setOpened] = useState(false);
  const [dashboard, setDashboard] = useState<{ view: DashboardLinkView; until: number } | null>(null);
  const [dashboardOpened, setDashboardOpened] = useState(false);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [tick, setTick] = useState(now());

  useEffect(() => {
    if (!link && !dashboard) return;
    const timer = window.setInterval(() => setTick(now()), 1000);
    return () => window.clearInterval(timer);
  }, [link, dashboard]);

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  }

  const makeLink = (kind: Kind) =>
    run(async () => {
      const made = await call(kind === "onboarding" ? commands.accountOnboardingLink(d.row.id) : commands.accountUpdateLink(d.row.id));
      setLink({ view: made, until: now() + made.seconds_left });
      setOpened(false);
      setCopied(false);
      setTick(now());
    });
  const openLink = (handle: string, spent: () => void) =>
    run(async () => {
      try {
        await call(commands.accountLinkOpen(handle));
        spent();
      } catch (e) {
        // Refused by the core (expired, opened before): spent. The browser failing is not.
        if (errorOf(e).field === "link") spent();
        throw e;
      }
    });

  const left = link ? Math.max(0, Math.round(link.until - tick)) : 0;
  const expired = link !== null && left === 0;
  const dashboardLeft = dashboard ? Math.max(0, Math.round(dashboard.until - tick)) : 0;
  const dashboardUsable = dashboard !== null && dashboardLeft > 0 && !dashboardOpened;
  const usable = link !== null && !expired && !opened;
  const kind: Kind = d.details_submitted ? "update" : "onboarding";
  const mayMake = kind === "onboarding" ? d.may_manage : d.may_send_update;
  if (!mayMake) {
    return (
      <div class="card account-links" aria-label="Links for the owner">
        <h3 class="section-title">Links for the owner</h3>
        <p class="muted">Platform admins make the onboarding link. Once the owner has finished onboarding, an update link can be sent from here.</p>
      </div>
    );
  }
  return (
    <div class="card account-links" aria-label="Links for the owner">
      <h3 class="section-title">Links for the owner</h3>
      <p class="help">
        {kind === "onboarding"
          ? "The owner gives Stripe what it needs through this link: show them the QR code or send it. It works once, for a few minutes."
          : "Send the owner this link when Stripe asks for more, or to change their details. It works once, for a few minutes."}
      </p>
      <div class="actions left">
        <button type="button" class="primary" disabled={busy} onClick={() => void makeLink(kind)}>
          {link ? "New link" : kind === "onboarding" ? "Onboarding link" : "Update link"}
        </button>
        {d.may_manage && d.row.kind === "express" && d.details_submitted && (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const made = await call(commands.accountLoginLink(d.row.id));
                setDashboard({ view: made, until: now() + made.seconds_left });
                setDashboardOpened(false);
                setTick(now());
              })
            }
          >
            Express dashboard link
          </button>
        )}
      </div>
      {d.may_manage && d.row.kind !== "express" && d.details_submitted && (
        <p class="muted small">
          {d.row.kind === "standard"
            ? "A Standard account's owner signs in to their own Stripe Dashboard: there is no dashboard link to make."
            : "A Custom account has no Stripe dashboard: the platform shows the owner what they need."}
        </p>
      )}
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {link && (
        <div class={usable ? "link-card" : "link-card spent"} data-field="account-link" data-usable={usable ? "true" : "false"} data-handle={link.view.handle}>
          {usable ? <img class="qr" src={link.view.qr} alt="QR code of the link" /> : <div class="qr qr-spent" aria-hidden="true">✕</div>}
          <div class="link-body">
            <p class="mono small link-url">{link.view.url}</p>
            <p data-field="link-expiry" class={usable ? "" : "danger-text"}>
              {opened
                ? "Opened in the browser. A link works once: make a new one to show the owner."
                : expired
                  ? "This link has expired: make a new one."
                  : `Usable for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} more — show the QR code to the owner's phone, copy or open it.`}
            </p>
            <div class="actions left">
              <button
                type="button"
                class="secondary"
                disabled={!usable}
                onClick={() => void navigator.clipboard.writeText(link.view.url).then(() => setCopied(true), () => setCopied(false))}
              >
                {copied ? "Copied" : "Copy link"}
              </button>
              <button type="button" class="secondary" disabled={!usable || busy} onClick={() => void openLink(link.view.handle, () => setOpened(true))}>
                Open in browser
              </button>
            </div>
          </div>
        </div>
      )}
      {dashboard && (
        <div class={dashboardUsable ? "link-card" : "link-card spent"} data-field="dashboard-link">
          <div class="link-body">
            <p class="mono small link-url">{dashboard.view.url}</p>
            <p class={dashboardUsable ? "muted" : "danger-text"}>
              {dashboardOpened
                ? "Opened in the browser. It works once: make a new one for the next visit."
                : dashboardLeft === 0
                  ? "This link has expired: make a new one."
                  : `Signs the owner in to their Express dashboard, once, within ${Math.floor(dashboardLeft / 60)}:${String(dashboardLeft % 60).padStart(2, "0")}.`}
            </p>
            <button type="button" class="secondary" disabled={!dashboardUsable || busy} onClick={() => void openLink(dashboard.view.handle, () => setDashboardOpened(true))}>
              Open in browser
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
