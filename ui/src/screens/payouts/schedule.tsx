// Payouts → Schedule: a restaurant's payout schedule in words, the next payout's estimate, and —
// for owners and platform admins — a change that Rust checks first, the person confirms, and
// Stripe then receives. The words come from Rust; only the consequence sentence is worded here.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  confirmationKey,
  errorOf,
  type AppError,
  type PayoutEstimate_Serialize,
  type PayoutInterval,
  type PayoutSchedule_Deserialize,
  type PayoutSchedule_Serialize,
  type ScheduleView_Serialize,
  type ScopeBalance_Serialize,
} from "../../api";
import { Amount } from "../../components/money";
import { countryName, formatDate, formatDateTime, locale } from "../../lib/format";
import "./balances.css";

const INTERVALS: { id: PayoutInterval; label: string }[] = [
  { id: "daily", label: "Daily" },
  { id: "weekly", label: "Weekly" },
  { id: "monthly", label: "Monthly" },
  { id: "manual", label: "Manual" },
];

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

// ---- Pure helpers (unit-tested) -------------------------------------------------------------

/** What the form holds: text as typed, so Rust (not the browser) judges the numbers. */
export type Draft = { interval: PayoutInterval; delay: string; weekly: string; monthly: string };

export function draftOf(s: PayoutSchedule_Serialize): Draft {
  return {
    interval: s.interval,
    delay: String(s.delay_days),
    weekly: s.weekly_anchor ?? "friday",
    monthly: String(s.monthly_anchor ?? 1),
  };
}

const U32_MAX = 4_294_967_295;

function wholeNumber(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= U32_MAX ? n : null;
}

/** The schedule to send, with a day of the week only for weekly payouts and a day of the month
 * only for monthly ones. Only says no to what is not a whole number; Rust checks the rest. */
export function scheduleOf(d: Draft): { schedule: PayoutSchedule_Deserialize } | { error: string } {
  const delay = wholeNumber(d.delay);
  if (delay === null) return { error: "Enter the delay as a whole number of days, for example 2." };
  let monthly: number | null = null;
  if (d.interval === "monthly") {
    monthly = wholeNumber(d.monthly);
    if (monthly === null) return { error: "Enter the day of the month as a whole number, for example 15." };
  }
  return {
    schedule: {
      interval: d.interval,
      delay_days: delay,
      weekly_anchor: d.interval === "weekly" ? d.weekly : null,
      monthly_anchor: monthly,
    },
  };
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** One sentence on what the schedule means for the restaurant's money. */
export function consequence(s: PayoutSchedule_Deserialize): string {
  if (s.interval === "manual") return "No payouts will be sent until someone sends one by hand.";
  const days = s.delay_days === 1 ? "1 day" : `${s.delay_days} days`;
  const start = `Money from each payment becomes available after ${days} and is paid out`;
  switch (s.interval) {
    case "daily":
      return `${start} every day.`;
    case "weekly":
      return `${start} every ${capitalised(s.weekly_anchor ?? "monday")}.`;
    case "monthly": {
      const day = s.monthly_anchor ?? 1;
      const short = day >= 29 ? " (or on the last day, in shorter months)" : "";
      return `${start} on the ${ordinal(day)} of each month${short}.`;
    }
  }
}

/** The expected payout day shared by every currency, `null` for manual payouts, or `"mixed"`. */
export function sharedDate(estimates: PayoutEstimate_Serialize[]): number | null | "mixed" {
  if (estimates.length === 0) return null;
  const first = estimates[0].date;
  return estimates.every((e) => e.date === first) ? first : "mixed";
}

// ---- Components -----------------------------------------------------------------------------

export function ScheduleTab(props: {
  account: string | null;
  scopes: ScopeBalance_Serialize[] | null;
  canEdit: boolean;
  onPickAccount: (account: string) => void;
}) {
  if (props.account === null || props.account === "") {
    return <PickRestaurant platform={props.account === ""} scopes={props.scopes} onPick={props.onPickAccount} />;
  }
  return <AccountSchedule key={props.account} account={props.account} canEdit={props.canEdit} />;
}

function PickRestaurant(props: { platform: boolean; scopes: ScopeBalance_Serialize[] | null; onPick: (account: string) => void }) {
  const restaurants = (props.scopes ?? []).filter((s) => s.account !== "");
  return (
    <div class="card sched-pick">
      <p class="sched-pick-lead">
        {props.platform
          ? "The platform's own payout schedule is set in the Stripe Dashboard, not here."
          : "Payout schedules are set per restaurant."}{" "}
        Choose a restaurant to see when its next payout comes and how often it is paid.
      </p>
      {props.scopes === null ? (
        <div class="skeleton sched-pick-skeleton" aria-busy="true" aria-label="Loading restaurants" />
      ) : restaurants.length === 0 ? (
        <p class="muted">No restaurants are connected yet. Once a restaurant is onboarded and synced, its schedule appears here.</p>
      ) : (
        <label class="inline">
          <span>Restaurant</span>
          <select aria-label="Restaurant" value="" onChange={(e) => props.onPick((e.target as HTMLSelectElement).value)}>
            <option value="" disabled>
              Choose a restaurant…
            </option>
            {restaurants.map((s) => (
              <option key={s.account} value={s.account}>
                {s.name || s.account}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

function AccountSchedule(props: { account: string; canEdit: boolean }) {
  const [view, setView] = useState<ScheduleView_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const alive = useRef(true);

  async function load() {
    try {
      const v = await call(commands.payoutScheduleGet(props.account));
      if (!alive.current) return;
      setView(v);
      setError(null);
    } catch (e) {
      if (!alive.current) return;
      const err = errorOf(e);
      if (err.code !== "locked") setError(err);
    }
  }

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [props.account]);

  if (error && !view) {
    return (
      <div class="notice error" role="alert" data-code={error.code}>
        {error.message}
      </div>
    );
  }
  if (!view) {
    return (
      <div class="sched-grid" aria-busy="true" aria-label="Loading payout schedule">
        <div class="card skeleton sched-skeleton" />
        <div class="card skeleton sched-skeleton" />
      </div>
    );
  }
  const mayEdit = props.canEdit && view.can_edit;
  return (
    <div class="sched">
      <div class="sched-grid">
        <section class="card sched-current" aria-label="Current payout schedule">
          <span class="sched-kicker">Payout schedule of {view.account_name}</span>
          <p data-field="schedule-words" class="sched-words">
            {view.words}
          </p>
          <dl class="facts sched-facts">
            <div>
              <dt>Country</dt>
              <dd data-field="country" title={view.country}>
                {countryName(view.country)}
              </dd>
            </div>
            {view.minimum_delay_days !== null && (
              <div>
                <dt>Shortest delay</dt>
                <dd data-field="minimum-delay">
                  {view.minimum_delay_days} {view.minimum_delay_days === 1 ? "day" : "days"}, as Stripe requires in{" "}
                  {countryName(view.country)}
                </dd>
              </div>
            )}
            <div>
              <dt>Account</dt>
              <dd class="mono small muted">{view.account}</dd>
            </div>
          </dl>
        </section>
        <Estimate estimates={view.estimates} />
      </div>
      {mayEdit ? (
        <ChangeForm
          view={view}
          onChanged={(fresh) => {
            setView(fresh);
            void load();
          }}
        />
      ) : (
        <p class="help sched-readonly" data-field="schedule-readonly">
          {view.cannot_edit ?? "Only owners and platform admins can change the payout schedule."}
        </p>
      )}
    </div>
  );
}

function Estimate(props: { estimates: PayoutEstimate_Serialize[] }) {
  const shared = sharedDate(props.estimates);
  return (
    <section class="card sched-estimate" aria-label="Next payout estimate">
      <header class="sched-estimate-head">
        <span class="badge sched-estimate-badge">Estimate</span>
        <span class="sched-kicker">Next payout</span>
      </header>
      {props.estimates.length === 0 ? (
        <p class="muted">No balance has been synced for this restaurant yet, so there is nothing to estimate.</p>
      ) : (
        <>
          {shared !== "mixed" && <PayoutDay date={shared} />}
          <ul class="sched-amounts">
            {props.estimates.map((e) => (
              <li key={e.amount.currency} data-currency={e.amount.currency}>
                <span class="sched-amount" data-field="estimate-amount">
                  <Amount value={e.amount} />
                </span>
                {shared === "mixed" && (
                  <span class="small">{e.date === null ? "Manual payouts" : formatDate(e.date, locale(), "UTC")}</span>
                )}
                <span class="help" data-field="basis">
                  {e.basis}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="help sched-promise">
        This is an estimate, not a promise: payments, refunds and disputes before the payout day change the amount.
      </p>
    </section>
  );
}

function PayoutDay(props: { date: number | null }) {
  if (props.date === null) {
    return (
      <p class="sched-date" data-field="estimate-date">
        Manual payouts
      </p>
    );
  }
  const weekday = new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: "UTC" }).format(new Date(props.date * 1000));
  return (
    <p class="sched-date" data-field="estimate-date" title={formatDateTime(props.date, locale(), "UTC")}>
      {formatDate(props.date, locale(), "UTC")}
      <span class="muted sched-weekday"> · {weekday}</span>
    </p>
  );
}

type Proposal = { schedule: PayoutSchedule_Deserialize; words: string; confirmation: string };

function ChangeForm(props: { view: ScheduleView_Serialize; onChanged: (fresh: ScheduleView_Serialize) => void }) {
  const { view } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(view.schedule));
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (proposal && d && !d.open) d.showModal();
  }, [proposal]);

  function edit(next: Partial<Draft>) {
    setDraft({ ...draft, ...next });
    setProblem(null);
    setDone(null);
  }

  async function review(e: Event) {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const parsed = scheduleOf(draft);
    if ("error" in parsed) {
      setProblem(parsed.error);
      return;
    }
    setChecking(true);
    try {
      const words = await call(commands.payoutScheduleCheck(view.account, parsed.schedule));
      const now = view.schedule;
      const next = parsed.schedule;
      const same =
        now.interval === next.interval &&
        now.delay_days === next.delay_days &&
        (now.weekly_anchor ?? null) === (next.weekly_anchor ?? null) &&
        (now.monthly_anchor ?? null) === (next.monthly_anchor ?? null);
      if (same) {
        setProblem(`That is already the payout schedule of ${view.account_name}. Change a field first.`);
        return;
      }
      // One key per confirmation: pressing "Change schedule" twice sends the same change once.
      setProposal({ schedule: parsed.schedule, words, confirmation: confirmationKey() });
    } catch (err) {
      const error = errorOf(err);
      if (error.code !== "locked") setProblem(error.message || "The schedule could not be checked.");
    } finally {
      setChecking(false);
    }
  }

  async function confirm() {
    if (!proposal) return;
    setSaving(true);
    try {
      const fresh = await call(commands.payoutScheduleUpdate(view.account, proposal.schedule, proposal.confirmation));
      dialog.current?.close();
      setProposal(null);
      setDraft(draftOf(fresh.schedule));
      setDone(`Payout schedule changed to ${fresh.words}.`);
      props.onChanged(fresh);
    } catch (err) {
      dialog.current?.close();
      setProposal(null);
      const error = errorOf(err);
      if (error.code !== "locked") setProblem(error.message || "The schedule could not be changed.");
    } finally {
      setSaving(false);
    }
  }

  const country = countryName(view.country);
  return (
    <form class="card sched-form" aria-label="Change payout schedule" onSubmit={review} noValidate>
      <h3>Change the payout schedule</h3>
      <p class="help sched-form-lead">Nothing is sent to Stripe until you review the change and confirm it.</p>
      <div class="sched-fields">
        <label class="sched-field">
          <span>Payout interval</span>
          <select aria-label="Payout interval" value={draft.interval} onChange={(e) => edit({ interval: (e.target as HTMLSelectElement).value as PayoutInterval })}>
            {INTERVALS.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        <label class="sched-field">
          <span>Delay (days)</span>
          <input
            type="number"
            inputMode="numeric"
            aria-label="Delay (days)"
            value={draft.delay}
            onInput={(e) => edit({ delay: (e.target as HTMLInputElement).value })}
          />
          <span class="help">
            {view.minimum_delay_days !== null
              ? `At least ${view.minimum_delay_days} days in ${country}.`
              : "Days between a payment and its money becoming available."}
          </span>
        </label>
        {draft.interval === "weekly" && (
          <label class="sched-field">
            <span>Day of the week</span>
            <select aria-label="Day of the week" value={draft.weekly} onChange={(e) => edit({ weekly: (e.target as HTMLSelectElement).value })}>
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {capitalised(d)}
                </option>
              ))}
            </select>
          </label>
        )}
        {draft.interval === "monthly" && (
          <label class="sched-field">
            <span>Day of the month</span>
            <input
              type="number"
              inputMode="numeric"
              aria-label="Day of the month"
              value={draft.monthly}
              onInput={(e) => edit({ monthly: (e.target as HTMLInputElement).value })}
            />
            <span class="help">29, 30 or 31 mean the last day in shorter months.</span>
          </label>
        )}
      </div>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p class="notice success" role="status">
          {done}
        </p>
      )}
      <div class="actions sched-actions">
        <button type="submit" class="primary" disabled={checking || saving}>
          {checking ? "Checking…" : "Review change"}
        </button>
      </div>

      <dialog
        ref={dialog}
        class="confirm sched-confirm"
        aria-labelledby="schedule-confirm-title"
        onClose={() => setProposal(null)}
        onCancel={(e) => {
          if (saving) e.preventDefault();
        }}
      >
        <h2 id="schedule-confirm-title">Change the payout schedule?</h2>
        {proposal && (
          <>
            <p>
              Change the payout schedule of <strong>{view.account_name}</strong> from <strong>{view.words}</strong> to{" "}
              <strong>{proposal.words}</strong>?
            </p>
            <p class="sched-consequence">{consequence(proposal.schedule)}</p>
            <p class="help">The change is sent to Stripe when you confirm, and recorded in the audit log.</p>
          </>
        )}
        <div class="actions">
          <button type="button" class="secondary" disabled={saving} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" class="primary" disabled={saving} onClick={() => void confirm()}>
            {saving ? "Changing…" : "Change schedule"}
          </button>
        </div>
      </dialog>
    </form>
  );
}
