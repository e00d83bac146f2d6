// The frame: mode banner, navigation by job (only what the profile may do), the active profile with
// a lock button, and the current section. Locked, it shows the lock screen; on a new PC, set-up.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, events, LOCKED_EVENT, type Action, type SessionView_Serialize } from "./api";
import { ModeBanner } from "./components/mode-banner";
import { ErrorBoundary } from "./components/error-boundary";
import { Overview } from "./screens/overview";
import { Settings, settingsTabs } from "./screens/settings";
import { Payouts } from "./screens/payouts";
import { Payments } from "./screens/payments";
import { Disputes } from "./screens/disputes";
import { Accounts } from "./screens/accounts";
import { Transfers } from "./screens/transfers";
import { FailedPayoutsBanner } from "./components/failed-payouts-banner";
import { LockScreen } from "./screens/lock";
import { Setup } from "./screens/setup";

export type Section = "overview" | "payouts" | "payments" | "disputes" | "accounts" | "transfers" | "settings";

const SECTIONS: { id: Section; label: string; icon: string; needs: Action[] }[] = [
  { id: "overview", label: "Overview", icon: "◎", needs: ["view_overview"] },
  { id: "payouts", label: "Payouts", icon: "⇥", needs: ["view_payouts"] },
  { id: "payments", label: "Payments & Refunds", icon: "↺", needs: ["view_payments"] },
  { id: "disputes", label: "Disputes", icon: "⚑", needs: ["view_disputes"] },
  { id: "accounts", label: "Accounts", icon: "▦", needs: ["view_accounts"] },
  { id: "transfers", label: "Transfers", icon: "⇄", needs: ["manage_transfers"] },
  { id: "settings", label: "Settings", icon: "⚙", needs: ["manage_connection", "manage_profiles", "manage_settings", "view_audit"] },
];

/** Activity pings at most this often; the Rust side decides when the app is idle. */
const TOUCH_EVERY_MS = 30_000;

export function App() {
  const [session, setSession] = useState<SessionView_Serialize | null>(null);
  const [section, setSection] = useState<Section | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [openPayout, setOpenPayout] = useState<string | null>(null);
  // The restaurant the Payouts screen shows when another screen leads there.
  const [payoutsAccount, setPayoutsAccount] = useState<string | null>(null);
  const lastTouch = useRef(0);

  const reload = useCallback(async () => {
    try {
      setSession(await call(commands.sessionGet()));
      setFatal(null);
    } catch (e) {
      setFatal(errorOf(e).message);
    }
  }, []);

  useEffect(() => {
    void reload();
    const onLocked = () => void reload();
    window.addEventListener(LOCKED_EVENT, onLocked);
    // The desk says when it locks itself for being idle, even when nothing is clicked.
    const unlisten = events.sessionLocked.listen(onLocked);
    return () => {
      window.removeEventListener(LOCKED_EVENT, onLocked);
      void unlisten.then((stop) => stop());
    };
  }, [reload]);

  // Tells the shell which screen came up first, once it is on screen (packaging check, benchmark).
  const painted = useRef(false);
  useEffect(() => {
    if (!session || painted.current) return;
    painted.current = true;
    const screen = session.needs_setup ? "setup" : session.profile ? "frame" : "lock";
    requestAnimationFrame(() => requestAnimationFrame(() => void commands.appPainted(screen).catch(() => {})));
  }, [session]);

  useEffect(() => {
    if (!session?.profile) return;
    const onActivity = () => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_EVERY_MS) return;
      lastTouch.current = now;
      void call(commands.sessionTouch()).then((unlocked) => {
        if (!unlocked) void reload();
      });
    };
    const events = ["keydown", "mousedown", "mousemove", "wheel"];
    events.forEach((e) => window.addEventListener(e, onActivity, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, onActivity));
  }, [session?.profile?.id, reload]);

  if (fatal) {
    return (
      <main class="fatal">
        <h1>Merchant Desk could not start</h1>
        <p role="alert">{fatal}</p>
        <button type="button" class="secondary" onClick={() => void reload()}>
          Try again
        </button>
      </main>
    );
  }
  if (!session) return <Boot />;

  const banner = <ModeBanner connection={session.connection} onOpenSettings={() => setSection("settings")} />;
  if (session.needs_setup) {
    return (
      <div class="frame">
        {banner}
        <Setup onDone={(s) => setSession(s)} />
      </div>
    );
  }
  if (!session.profile) {
    return (
      <div class="frame">
        {banner}
        <LockScreen session={session} onUnlocked={(s) => { setSession(s); setSection(null); }} />
      </div>
    );
  }

  const allowed = new Set(session.allowed);
  const visible = SECTIONS.filter((s) => s.needs.some((a) => allowed.has(a)));
  const current = visible.find((s) => s.id === section) ?? visible[0];
  const profile = session.profile;

  async function lock() {
    setSession(await call(commands.sessionLock()));
  }

  return (
    <div class="frame">
      {banner}
      <div class="body">
        <nav class="sidebar" aria-label="Sections">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true">MD</span>
            <span>Merchant Desk</span>
          </div>
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  class={s.id === current?.id ? "nav-item active" : "nav-item"}
                  aria-current={s.id === current?.id ? "page" : undefined}
                  onClick={() => {
                    setPayoutsAccount(null);
                    setSection(s.id);
                  }}
                >
                  <span class="nav-icon" aria-hidden="true">{s.icon}</span>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
          <div class="profile" role="group" aria-label="Active profile">
            <span class="avatar" aria-hidden="true">{profile.name.slice(0, 1).toUpperCase()}</span>
            <span class="profile-text">
              <strong data-field="profile-name">{profile.name}</strong>
              <span class="muted">{profile.role_label}</span>
            </span>
            <button type="button" class="secondary lock-button" onClick={() => void lock()} title="Lock now (others can sign in)">
              Lock
            </button>
          </div>
        </nav>
        <main class="content" aria-label={current?.label ?? "Nothing to show"}>
          {allowed.has("view_payouts") && (
            <FailedPayoutsBanner
              onView={(id) => {
                setOpenPayout(id);
                setSection("payouts");
              }}
            />
          )}
          <ErrorBoundary key={current?.id}>
            {!current && <p class="empty">This profile has no sections yet.</p>}
            {current?.id === "overview" && <Overview connection={session.connection} />}
            {current?.id === "settings" && <Settings session={session} tabs={settingsTabs(allowed)} onChanged={reload} />}
            {current?.id === "payouts" && (
              <Payouts
                canEditSchedule={allowed.has("manage_payout_schedule")}
                openPayout={openPayout}
                onOpenPayout={setOpenPayout}
                account={payoutsAccount}
              />
            )}
            {current?.id === "payments" && (
              <Payments
                showSync={allowed.has("view_payments")}
                canTake={allowed.has("take_payments")}
                canFees={allowed.has("manage_fees")}
                canCapture={allowed.has("capture_payments")}
              />
            )}
            {current?.id === "disputes" && <Disputes />}
            {current?.id === "accounts" && (
              <Accounts
                canCreate={allowed.has("manage_accounts")}
                onOpenPayouts={(account, payout) => {
                  setPayoutsAccount(account);
                  setOpenPayout(payout);
                  setSection("payouts");
                }}
              />
            )}
            {current?.id === "transfers" && <Transfers />}
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}

/** What index.html paints before any script runs, kept identical so nothing flickers. */
function Boot() {
  return (
    <div class="boot" aria-busy="true">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">MD</span>
        <span>Merchant Desk</span>
      </div>
    </div>
  );
}
