// Payouts: what I have (balances and their history), when it arrives (payouts, their chart and
// breakdown) and when the next one comes (schedule and estimate). One account picker for all tabs.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, SYNC_FINISHED_EVENT, type AppError, type MerchantEntry, type ScopeBalance_Serialize } from "../../api";
import { BalancesTab } from "./balances";
import { PayoutsTab } from "./list";
import { ScheduleTab } from "./schedule";
import { SyncBar } from "../../components/sync-bar";

export type PayoutsView = "balances" | "payouts" | "schedule";

const TABS: { id: PayoutsView; label: string }[] = [
  { id: "payouts", label: "Payouts" },
  { id: "balances", label: "Balances" },
  { id: "schedule", label: "Schedule" },
];

/** The account picker's value for "every account this profile may see". */
export const ALL = "*";

export function Payouts(props: {
  canEditSchedule: boolean;
  /** A payout to open (from the failed-payout banner), and how to clear it. */
  openPayout: string | null;
  onOpenPayout: (id: string | null) => void;
  /** The account to show first, when another screen led here. */
  account?: string | null;
}) {
  const [tab, setTab] = useState<PayoutsView>("payouts");
  const [scopes, setScopes] = useState<ScopeBalance_Serialize[] | null>(null);
  const [cardconnect, setCardconnect] = useState<MerchantEntry[]>([]);
  const [account, setAccount] = useState<string>(props.account ?? ALL);
  const [error, setError] = useState<AppError | null>(null);

  // Read again after each sync: the first one brings the accounts and their balances.
  useEffect(() => {
    const read = () => {
      void call(commands.balancesGet()).then(setScopes, (e) => setError(errorOf(e)));
      // CardConnect restaurants have deposits, not a Stripe balance: listed from the overview.
      void call(commands.overviewGet()).then((o) => setCardconnect(o.cardconnect), () => setCardconnect([]));
    };
    void read();
    window.addEventListener(SYNC_FINISHED_EVENT, read);
    return () => window.removeEventListener(SYNC_FINISHED_EVENT, read);
  }, []);

  useEffect(() => {
    if (props.openPayout) setTab("payouts");
  }, [props.openPayout]);

  const picked = account === ALL ? null : account;
  const onCardConnect = cardconnect.find((m) => m.merchid === picked) ?? null;
  return (
    <section class="screen">
      <header class="screen-header">
        <h1>Payouts</h1>
        <label class="inline">
          <span>Account</span>
          <select aria-label="Account" value={account} onChange={(e) => setAccount((e.target as HTMLSelectElement).value)}>
            <option value={ALL}>All accounts</option>
            {(scopes ?? []).map((s) => (
              <option key={s.account} value={s.account}>
                {s.name}
              </option>
            ))}
            {cardconnect.map((m) => (
              <option key={m.merchid} value={m.merchid}>
                {m.name} (CardConnect)
              </option>
            ))}
          </select>
        </label>
      </header>
      <SyncBar />
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      <div class="tabs" role="tablist" aria-label="Payouts views">
        {TABS.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            aria-selected={t.id === tab}
            class={t.id === tab ? "tab active" : "tab"}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === "payouts" && <PayoutsTab account={picked} openPayout={props.openPayout} onOpenPayout={props.onOpenPayout} />}
        {tab !== "payouts" && onCardConnect ? (
          <div class="card note-card" role="note">
            <p>
              <strong>{onCardConnect.name}</strong> takes cards through CardConnect, which pays each day's sales into the
              restaurant's bank account the next day: there is no balance or payout schedule to show here. Its deposits are
              in the Payouts tab.
            </p>
          </div>
        ) : (
          <>
            {tab === "balances" && <BalancesTab account={picked} scopes={scopes} />}
            {tab === "schedule" && <ScheduleTab account={picked} scopes={scopes} canEdit={props.canEditSchedule} onPickAccount={setAccount} />}
          </>
        )}
      </div>
    </section>
  );
}
