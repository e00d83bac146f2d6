// The frame: mode banner, navigation by job, the active profile, and the current section.

import { useCallback, useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type SessionView_Serialize } from "./api";
import { ModeBanner } from "./components/mode-banner";
import { Overview } from "./screens/overview";
import { Settings } from "./screens/settings";
import { ComingSoon } from "./screens/coming-soon";
import { ErrorBoundary } from "./components/error-boundary";

export type Section = "overview" | "payouts" | "payments" | "disputes" | "accounts" | "settings";

const SECTIONS: { id: Section; label: string; icon: string }[] = [
  { id: "overview", label: "Overview", icon: "◎" },
  { id: "payouts", label: "Payouts", icon: "⇥" },
  { id: "payments", label: "Payments & Refunds", icon: "↺" },
  { id: "disputes", label: "Disputes", icon: "⚑" },
  { id: "accounts", label: "Accounts", icon: "▦" },
  { id: "settings", label: "Settings", icon: "⚙" },
];

export function App() {
  const [session, setSession] = useState<SessionView_Serialize | null>(null);
  const [section, setSection] = useState<Section>("overview");
  const [fatal, setFatal] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setSession(await call(commands.sessionGet()));
    } catch (e) {
      setFatal(errorOf(e).message);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  if (fatal) {
    return (
      <main class="fatal">
        <h1>Merchant Desk could not start</h1>
        <p role="alert">{fatal}</p>
      </main>
    );
  }
  if (!session) return <div class="boot" aria-busy="true" />;

  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  return (
    <div class="frame">
      <ModeBanner connection={session.connection} onOpenSettings={() => setSection("settings")} />
      <div class="body">
        <nav class="sidebar" aria-label="Sections">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true">MD</span>
            <span>Merchant Desk</span>
          </div>
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  class={s.id === section ? "nav-item active" : "nav-item"}
                  aria-current={s.id === section ? "page" : undefined}
                  onClick={() => setSection(s.id)}
                >
                  <span class="nav-icon" aria-hidden="true">{s.icon}</span>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
          <div class="profile" aria-label="Active profile">
            <span class="avatar" aria-hidden="true">{session.profile.name.slice(0, 1).toUpperCase()}</span>
            <span class="profile-text">
              <strong>{session.profile.name}</strong>
              <span class="muted">{session.profile.role_label}</span>
            </span>
          </div>
        </nav>
        <main class="content" aria-label={current.label}>
          <ErrorBoundary key={section}>
            {section === "overview" && <Overview connection={session.connection} />}
            {section === "settings" && <Settings connection={session.connection} onChanged={reload} />}
            {section !== "overview" && section !== "settings" && <ComingSoon section={section} title={current.label} />}
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
