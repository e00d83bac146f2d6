// Take a payment for an order (platform admins: phone and catering orders): the restaurant, the
// amount, the order number, destination or direct charge, capture now or later, and the
// customer's saved payment method — never a card number. The fee the rules set is shown in the
// review before anything is sent.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AccountChoice, type AppError, type ChargeType, type FeePreview, type TakenPayment } from "../../api";
import { formatMoney } from "../../lib/format";
import { AuthorizationCard } from "./authorization";

const FIELDS = ["restaurant", "amount", "currency", "order_number", "payment_method"];

export function TakePayment(props: { canFees: boolean; onBack: () => void }) {
  const [restaurants, setRestaurants] = useState<AccountChoice[]>([]);
  const [restaurant, setRestaurant] = useState("");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("usd");
  const [order, setOrder] = useState("");
  const [chargeType, setChargeType] = useState<ChargeType>("destination");
  const [later, setLater] = useState(true);
  const [method, setMethod] = useState("pm_card_visa");
  const [review, setReview] = useState<FeePreview | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [taken, setTaken] = useState<TakenPayment | null>(null);
  const key = useRef<string | null>(null);

  useEffect(() => {
    call(commands.accountChoices("active")).then(
      (r) => {
        const stripe = r.filter((a) => !a.disconnected);
        setRestaurants(stripe);
        setRestaurant((now) => now || stripe[0]?.id || "");
      },
      (e) => setError(errorOf(e)),
    );
  }, []);

  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    key.current = null;
    setReviewing(false);
    setReview(null);
    setError(null);
    set(v);
  };

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    if (!reviewing) {
      setReviewing(true);
      if (props.canFees) call(commands.feePreview({ restaurant, amount, currency })).then(setReview, () => setReview(null));
      return;
    }
    setBusy(true);
    key.current ??= confirmationKey();
    try {
      setTaken(
        await call(
          commands.paymentTake(
            { restaurant, amount, currency, order_number: order, charge_type: chargeType, capture_later: later, payment_method: method },
            key.current,
          ),
        ),
      );
    } catch (err) {
      const e2 = errorOf(err);
      setError(e2);
      setReviewing(false);
      if (e2.code !== "outcome_unknown") key.current = null;
    } finally {
      setBusy(false);
    }
  }

  if (taken) {
    return (
      <div class="take-payment">
        <button type="button" class="secondary" onClick={props.onBack}>
          ← Back to payments
        </button>
        <AuthorizationCard restaurant={restaurant} payment={taken.id} initial={taken} canCapture canConfirm />
      </div>
    );
  }
  const fieldError = (f: string) => (error?.field === f ? <span class="field-error" role="alert">{error.message}</span> : null);
  const name = restaurants.find((r) => r.id === restaurant)?.name ?? restaurant;
  return (
    <form class="card create-account take-payment" aria-label="Take a payment" onSubmit={submit} noValidate>
      <button type="button" class="secondary" onClick={props.onBack}>
        ← Back to payments
      </button>
      <h2>Take a payment</h2>
      <p class="help">For a phone or catering order. The card is the customer's saved payment method; card numbers are never typed here.</p>
      <div class="form-grid">
        <label class="field">
          <span>Restaurant</span>
          <select aria-label="Restaurant" value={restaurant} onChange={(e) => edit(setRestaurant)((e.target as HTMLSelectElement).value)}>
            {restaurants.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {fieldError("restaurant")}
        </label>
        <label class="field">
          <span>Order number</span>
          <input aria-label="Order number" value={order} onInput={(e) => edit(setOrder)((e.target as HTMLInputElement).value)} />
          {fieldError("order_number")}
        </label>
        <label class="field">
          <span>Amount</span>
          <input aria-label="Amount" inputMode="decimal" placeholder="64.20" value={amount} onInput={(e) => edit(setAmount)((e.target as HTMLInputElement).value)} />
          {fieldError("amount")}
        </label>
        <label class="field">
          <span>Currency</span>
          <input aria-label="Currency" value={currency.toUpperCase()} onInput={(e) => edit(setCurrency)((e.target as HTMLInputElement).value)} />
          {fieldError("currency")}
        </label>
        <label class="field">
          <span>Charge</span>
          <select aria-label="Charge type" value={chargeType} onChange={(e) => edit(setChargeType)((e.target as HTMLSelectElement).value as ChargeType)}>
            <option value="destination">On the platform, paid on to the restaurant (destination)</option>
            <option value="direct">On the restaurant's own account (direct)</option>
          </select>
        </label>
        <label class="field">
          <span>Saved payment method</span>
          <input aria-label="Payment method" value={method} onInput={(e) => edit(setMethod)((e.target as HTMLInputElement).value)} />
          {fieldError("payment_method")}
        </label>
        <label class="choice">
          <input type="checkbox" checked={later} onChange={(e) => edit(setLater)((e.target as HTMLInputElement).checked)} /> Authorize now, capture later (with the tip)
        </label>
      </div>
      {error && !FIELDS.includes(error.field ?? "") && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {reviewing && (
        <p class="notice warning" role="status" data-field="take-review">
          {later ? "Authorize" : "Charge"} {amount.trim()} {currency.toUpperCase()} for order {order.trim()} at {name}
          {review ? `; the platform's fee is ${formatMoney(review.fee)} (${review.rule_words}, ${review.rate_words}), the restaurant keeps ${formatMoney(review.net)}` : ""}.
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Sending…" : reviewing ? "Confirm payment" : "Review payment"}
        </button>
      </div>
    </form>
  );
}
