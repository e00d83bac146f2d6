// Settings → Platform fees (platform admins): the default rate, volume tiers and per-restaurant
// overrides, saved whole (every problem shown on its field, nothing saved) and written onto each
// restaurant's Stripe account so every back-office PC agrees; and a preview of any payment's fee.

import { useEffect, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  type AppError,
  type FeePreview,
  type FeeProblem,
  type FeeScheduleView_Serialize,
} from "../../api";
import { formatMoney } from "../../lib/format";
import { bpToPercent, percentToBp, wholeNumber } from "./fee-text";
import { FeesCollected } from "./fees-collected";
import "./fees.css";

type RateText = { percent: string; fixed: string };
type TierText = RateText & { min: string; max: string };
type OverrideText = RateText & { restaurant: string; reason: string };

const rateText = (r: { percent_bp: number; fixed: number }): RateText => ({ percent: bpToPercent(r.percent_bp), fixed: String(r.fixed) });
const usd = (n: number | null) => (n === null ? "" : formatMoney({ amount: n, currency: "usd", exponent: 2 }));

export function FeeSettings() {
  const [view, setView] = useState<FeeScheduleView_Serialize | null>(null);
  const [base, setBase] = useState<RateText>({ percent: "2.9", fixed: "30" });
  const [tiers, setTiers] = useState<TierText[]>([]);
  const [overrides, setOverrides] = useState<OverrideText[]>([]);
  const [problems, setProblems] = useState<FeeProblem[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function show(v: FeeScheduleView_Serialize) {
    setView(v);
    setBase(rateText(v.schedule.default));
    setTiers(v.schedule.tiers.map((t) => ({ ...rateText(t.rate), min: String(t.volume_min), max: t.volume_max === null ? "" : String(t.volume_max) })));
    setOverrides(v.schedule.overrides.map((o) => ({ ...rateText(o.rate), restaurant: o.restaurant, reason: o.reason })));
  }
  useEffect(() => {
    call(commands.feesGet()).then(show, (e) => setError(errorOf(e)));
  }, []);

  // Text the core cannot read as a number is sent as an impossible value, so its problem is said
  // on the field by the same rules as any other.
  const bp = (t: string) => percentToBp(t) ?? 99_999;
  const minor = (t: string) => wholeNumber(t) ?? -1;
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const answer = await call(
        commands.feesSet({
          default: { percent_bp: bp(base.percent), fixed: minor(base.fixed) },
          tiers: tiers.map((t) => ({ volume_min: minor(t.min), volume_max: t.max.trim() ? minor(t.max) : null, rate: { percent_bp: bp(t.percent), fixed: minor(t.fixed) } })),
          overrides: overrides.map((o) => ({ restaurant: o.restaurant, reason: o.reason, rate: { percent_bp: bp(o.percent), fixed: minor(o.fixed) } })),
        }),
      );
      setProblems(answer.problems);
      if (answer.saved) {
        show(answer.saved.view);
        const failed = answer.saved.accounts_failed;
        setSaved(
          `Saved, and written onto ${answer.saved.accounts_written} restaurants at Stripe.` +
            (failed.length ? ` Not written: ${failed.join("; ")}` : ""),
        );
      }
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const problemAt = (field: string) => problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`));
  const Problems = (props: { field: string }) => (
    <>
      {problemAt(props.field).map((p) => (
        <div class="field-error" role="alert" key={p.field + p.message}>
          {p.message}
        </div>
      ))}
    </>
  );
  if (!view) {
    return error ? <div class="notice error" role="alert">{error.message}</div> : <div class="skeleton skeleton-table" aria-busy="true" />;
  }
  const names = new Map(view.restaurants);
  return (
    <div class="fees-settings">
      <form class="card fees-form" aria-label="Platform fees" onSubmit={save} noValidate>
        <p class="help">
          What each payment pays the platform. Amounts are in the payment currency's smallest unit (30 is $0.30 on a dollar payment, ¥30 on a
          yen one); volumes are a restaurant's card payments this month. Read from <strong>{view.source}</strong>.
        </p>
        <fieldset>
          <legend>Default rate</legend>
          <div class="fee-rate">
            <label class="field">
              <span>Percent</span>
              <input aria-label="Default percent" value={base.percent} onInput={(e) => setBase({ ...base, percent: (e.target as HTMLInputElement).value })} />
            </label>
            <label class="field">
              <span>Fixed</span>
              <input aria-label="Default fixed" value={base.fixed} onInput={(e) => setBase({ ...base, fixed: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <Problems field="default" />
        </fieldset>
        <fieldset>
          <legend>Volume tiers</legend>
          <table class="data compact" aria-label="Volume tiers">
            <thead>
              <tr>
                <th>Monthly volume from</th>
                <th>to (empty: no limit)</th>
                <th>Percent</th>
                <th>Fixed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tiers.map((t, i) => {
                const set = (patch: Partial<TierText>) => setTiers(tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                return (
                  <tr key={i} data-tier={i}>
                    <td>
                      <input aria-label={`Tier ${i + 1} from`} value={t.min} onInput={(e) => set({ min: (e.target as HTMLInputElement).value })} />
                      <div class="small muted">{usd(wholeNumber(t.min))}</div>
                    </td>
                    <td>
                      <input aria-label={`Tier ${i + 1} to`} value={t.max} onInput={(e) => set({ max: (e.target as HTMLInputElement).value })} />
                      <div class="small muted">{usd(wholeNumber(t.max))}</div>
                    </td>
                    <td>
                      <input aria-label={`Tier ${i + 1} percent`} value={t.percent} onInput={(e) => set({ percent: (e.target as HTMLInputElement).value })} />
                    </td>
                    <td>
                      <input aria-label={`Tier ${i + 1} fixed`} value={t.fixed} onInput={(e) => set({ fixed: (e.target as HTMLInputElement).value })} />
                    </td>
                    <td>
                      <button type="button" class="link-button" onClick={() => setTiers(tiers.filter((_, j) => j !== i))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {tiers.map((_, i) => (
            <Problems key={i} field={`tiers[${i}]`} />
          ))}
          <Problems field="tiers" />
          <button type="button" class="secondary" onClick={() => setTiers([...tiers, { min: "", max: "", percent: "", fixed: "" }])}>
            Add a tier
          </button>
        </fieldset>
        <fieldset>
          <legend>Restaurants with their own rate</legend>
          <table class="data compact" aria-label="Overrides">
            <thead>
              <tr>
                <th>Restaurant</th>
                <th>Percent</th>
                <th>Fixed</th>
                <th>Why</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {overrides.map((o, i) => {
                const set = (patch: Partial<OverrideText>) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, ...patch } : x)));
                return (
                  <tr key={i}>
                    <td>
                      <select aria-label={`Override ${i + 1} restaurant`} value={o.restaurant} onChange={(e) => set({ restaurant: (e.target as HTMLSelectElement).value })}>
                        {view.restaurants.map(([id, name]) => (
                          <option key={id} value={id}>
                            {name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input aria-label={`Override ${i + 1} percent`} value={o.percent} onInput={(e) => set({ percent: (e.target as HTMLInputElement).value })} />
                    </td>
                    <td>
                      <input aria-label={`Override ${i + 1} fixed`} value={o.fixed} onInput={(e) => set({ fixed: (e.target as HTMLInputElement).value })} />
                    </td>
                    <td>
                      <input aria-label={`Override ${i + 1} reason`} value={o.reason} onInput={(e) => set({ reason: (e.target as HTMLInputElement).value })} />
                    </td>
                    <td>
                      <button type="button" class="link-button" onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {overrides.map((_, i) => (
            <Problems key={i} field={`overrides[${i}]`} />
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => setOverrides([...overrides, { restaurant: view.restaurants[0]?.[0] ?? "", percent: "", fixed: "", reason: "" }])}
          >
            Add a restaurant
          </button>
        </fieldset>
        {error && (
          <p class="field-error" role="alert">
            {error.message}
          </p>
        )}
        {saved && (
          <p class="notice success" role="status">
            {saved}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Saving…" : "Save fees"}
          </button>
        </div>
      </form>
      <FeePreviewCard restaurants={view.restaurants} names={names} />
      <FeesCollected restaurants={view.restaurants} />
    </div>
  );
}

function FeePreviewCard(props: { restaurants: [string, string][]; names: Map<string, string> }) {
  const [restaurant, setRestaurant] = useState(props.restaurants[0]?.[0] ?? "");
  const [amount, setAmount] = useState("100.00");
  const [currency, setCurrency] = useState("usd");
  const [preview, setPreview] = useState<FeePreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  async function run(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      setPreview(await call(commands.feePreview({ restaurant, amount, currency })));
    } catch (err) {
      setPreview(null);
      setError(errorOf(err));
    }
  }
  return (
    <form class="card fees-preview" aria-label="Fee preview" onSubmit={run} noValidate>
      <h3 class="section-title">What would a payment pay?</h3>
      <div class="fee-rate">
        <label class="field">
          <span>Restaurant</span>
          <select aria-label="Preview restaurant" value={restaurant} onChange={(e) => setRestaurant((e.target as HTMLSelectElement).value)}>
            {props.restaurants.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Amount</span>
          <input aria-label="Preview amount" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>Currency</span>
          <input aria-label="Preview currency" class="currency-input" value={currency.toUpperCase()} onInput={(e) => setCurrency((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <button type="submit" class="secondary">
        Preview
      </button>
      {error && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {preview && (
        <dl class="facts" data-field="fee-preview">
          <div class="fact">
            <dt>Rule</dt>
            <dd data-field="fee-rule">{preview.rule_words}</dd>
          </div>
          <div class="fact">
            <dt>Rate</dt>
            <dd>{preview.rate_words}</dd>
          </div>
          <div class="fact">
            <dt>Platform fee</dt>
            <dd data-field="fee-amount">{formatMoney(preview.fee)}</dd>
          </div>
          <div class="fact">
            <dt>{props.names.get(restaurant) ?? "The restaurant"} keeps</dt>
            <dd data-field="fee-net">{formatMoney(preview.net)}</dd>
          </div>
          <div class="fact">
            <dt>Card volume this month</dt>
            <dd>{formatMoney(preview.monthly_volume)}</dd>
          </div>
        </dl>
      )}
    </form>
  );
}
