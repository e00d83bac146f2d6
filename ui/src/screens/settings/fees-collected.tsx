// Settings → Platform fees → Collected: the fees the platform took, per restaurant and month,
// with totals net of refunds, a CSV, and a fee given back (all or part, confirmed first).

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AppError, type CollectedFee, type CollectedFees } from "../../api";
import { formatDateTime, formatMoney } from "../../lib/format";
import { chooseCsvPath } from "../../lib/save-dialog";

/** [from, until) of the calendar month `offset` months back, in UTC seconds. */
function month(offset: number): [number, number] {
  const now = new Date();
  const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset, 1) / 1000;
  const until = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - offset + 1, 1) / 1000;
  return [from, until];
}

export function FeesCollected(props: { restaurants: [string, string][] }) {
  const [restaurant, setRestaurant] = useState("");
  const [offset, setOffset] = useState(0);
  const [fees, setFees] = useState<CollectedFees | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [giving, setGiving] = useState<CollectedFee | null>(null);
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const [from, until] = month(offset);
  const filter = { restaurant: restaurant || null, from, until };

  const load = () => call(commands.feesCollected(filter)).then(setFees, (e) => setError(errorOf(e)));
  useEffect(() => {
    void load();
  }, [restaurant, offset]);

  async function exportCsv() {
    const path = await chooseCsvPath("fees");
    if (!path) return;
    try {
      const n = await call(commands.feesCollectedExport(filter, path));
      setNote(`${n} fees written to ${path}.`);
    } catch (e) {
      setError(errorOf(e));
    }
  }
  async function giveBack() {
    if (!giving || busy) return;
    setBusy(true);
    setError(null);
    key.current ??= confirmationKey();
    try {
      const after = await call(commands.feeRefund(giving.id, amount.trim() || null, key.current));
      setNote(`Gave back ${formatMoney({ ...after.refunded, amount: after.refunded.amount - giving.refunded.amount })} of fee ${after.id}.`);
      setGiving(null);
      setAmount("");
      key.current = null;
      await load();
    } catch (e) {
      const err = errorOf(e);
      setError(err);
      if (err.code !== "outcome_unknown") key.current = null;
    } finally {
      setBusy(false);
    }
  }

  const monthName = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(from * 1000));
  return (
    <div class="card fees-collected" aria-label="Fees collected">
      <h3 class="section-title">Fees collected</h3>
      <div class="toolbar">
        <select aria-label="Collected restaurant" value={restaurant} onChange={(e) => setRestaurant((e.target as HTMLSelectElement).value)}>
          <option value="">All restaurants</option>
          {props.restaurants.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" onClick={() => setOffset(offset + 1)}>
          ← Earlier
        </button>
        <strong data-field="collected-month">{monthName}</strong>
        <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(offset - 1)}>
          Later →
        </button>
        <button type="button" class="secondary push-right" onClick={() => void exportCsv()}>
          Export CSV…
        </button>
      </div>
      {fees && (
        <p data-field="collected-total">
          {fees.rows.length} fees, {fees.totals.length ? fees.totals.map((t) => formatMoney(t)).join(" + ") : "nothing"} net of refunds.
          {fees.rows.length > 200 ? " The latest 200 are listed; the CSV has them all." : ""}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {note && (
        <p class="notice success" role="status">
          {note}
        </p>
      )}
      {giving && (
        <div class="notice warning" data-field="give-back">
          Give back {amount.trim() ? `${amount.trim()} ${giving.amount.currency.toUpperCase()}` : formatMoney({ ...giving.amount, amount: giving.amount.amount - giving.refunded.amount })} of the fee on{" "}
          {giving.order_number ?? giving.charge ?? giving.id} to {giving.restaurant_name}?{" "}
          <input aria-label="Amount to give back" placeholder="all that is left" value={amount} onInput={(e) => { key.current = null; setAmount((e.target as HTMLInputElement).value); }} />
          <button type="button" class="primary" disabled={busy} onClick={() => void giveBack()}>
            Give back
          </button>
          <button type="button" class="link-button" onClick={() => setGiving(null)}>
            Cancel
          </button>
        </div>
      )}
      {fees && fees.rows.length > 0 && (
        <table class="data compact" aria-label="Collected fees">
          <thead>
            <tr>
              <th>When</th>
              <th>Restaurant</th>
              <th>Order</th>
              <th class="num">Fee</th>
              <th class="num">Given back</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {fees.rows.slice(0, 200).map((f) => (
              <tr key={f.id}>
                <td class="nowrap">{formatDateTime(f.created)}</td>
                <td>{f.restaurant_name}</td>
                <td>{f.order_number ?? <span class="muted">—</span>}</td>
                <td class="num">{formatMoney(f.amount)}</td>
                <td class="num">{f.refunded.amount > 0 ? formatMoney(f.refunded) : <span class="muted">—</span>}</td>
                <td>
                  {f.refunded.amount < f.amount.amount && (
                    <button type="button" class="link-button" onClick={() => { setGiving(f); setAmount(""); setNote(null); }}>
                      Give back…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
