// Settings: one tab per area the profile may manage.

import { useState } from "preact/hooks";
import type { Action, SessionView_Serialize } from "../../api";
import { CardConnectSettings } from "./cardconnect";
import { ConnectionSettings } from "./connection";
import { ProfilesSettings } from "./profiles";
import { RefundLimitsSettings } from "./refund-limits";
import { SecuritySettings } from "./security";
import { AuditLog } from "./audit-log";
import { UnfinishedActions } from "./unfinished";
import { AccountLinkSettings } from "./account-links";
import { FeeSettings } from "./fees";

export type SettingsTab = "connection" | "cardconnect" | "profiles" | "security" | "refund_limits" | "account_links" | "fees" | "unfinished" | "audit";

const TABS: { id: SettingsTab; label: string; needs: Action }[] = [
  { id: "connection", label: "Stripe connection", needs: "manage_connection" },
  { id: "cardconnect", label: "CardConnect", needs: "manage_connection" },
  { id: "profiles", label: "Profiles", needs: "manage_profiles" },
  { id: "security", label: "Lock", needs: "manage_settings" },
  { id: "refund_limits", label: "Refund limits", needs: "manage_settings" },
  { id: "account_links", label: "Onboarding links", needs: "send_account_links" },
  { id: "fees", label: "Platform fees", needs: "manage_fees" },
  { id: "unfinished", label: "Unfinished money actions", needs: "manage_settings" },
  { id: "audit", label: "Audit log", needs: "view_audit" },
];

export function settingsTabs(allowed: Set<Action>): SettingsTab[] {
  return TABS.filter((t) => allowed.has(t.needs)).map((t) => t.id);
}

export function Settings(props: { session: SessionView_Serialize; tabs: SettingsTab[]; onChanged: () => Promise<void> }) {
  const [tab, setTab] = useState<SettingsTab>(props.tabs[0] ?? "connection");
  const current = props.tabs.includes(tab) ? tab : props.tabs[0];
  return (
    <section class="screen">
      <header class="screen-header">
        <h1>Settings</h1>
      </header>
      <div class="tabs" role="tablist" aria-label="Settings areas">
        {TABS.filter((t) => props.tabs.includes(t.id)).map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            aria-selected={t.id === current}
            class={t.id === current ? "tab active" : "tab"}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find((t) => t.id === current)?.label}>
        {current === "connection" && <ConnectionSettings connection={props.session.connection} onChanged={props.onChanged} />}
        {current === "cardconnect" && <CardConnectSettings mode={props.session.connection.mode} onOpenStripe={() => setTab("connection")} />}
        {current === "profiles" && <ProfilesSettings me={props.session.profile?.id ?? -1} myRole={props.session.profile?.role ?? "staff"} onChanged={props.onChanged} />}
        {current === "security" && <SecuritySettings minutes={props.session.idle_lock_minutes} onChanged={props.onChanged} />}
        {current === "refund_limits" && <RefundLimitsSettings />}
        {current === "account_links" && <AccountLinkSettings />}
        {current === "fees" && <FeeSettings />}
        {current === "unfinished" && <UnfinishedActions />}
        {current === "audit" && <AuditLog />}
      </div>
    </section>
  );
}
