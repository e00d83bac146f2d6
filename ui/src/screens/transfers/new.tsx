// A new transfer: restaurant, amount, currency and what it is for; then a confirmation that says
// it back ("Send $120.00 to Seaport Grill?") before anything is sent, keyed so a double click
// sends once.

import { useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AccountChoice, type AppError } from "../../api";

const FIELDS = ["restaurant", "amount", "currency", "description"];

export function NewTransfer(props: { restaurants: AccountChoice[]; onCancel: () => void; onSent: (id: string) => void }) {
  const [restaurant, setRestaurant] = useState(props.restaurants[0]?.id ?? "");
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("usd");
  const [description, setDescription] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const key = useRef<string | null>(null);
  const name = props.restaurants.find((r) => r.id === restaurant)?.name ?? restaurant;

  const edit = (set: (v: string) => void) => (e: Event) => {
    key.current = null;
    setConfirming(false);
    setError(null);
    set((e.target as HTMLInputElement).value);
  };

  async function send() {
    if (busy) return;
    setBusy(true);
    setError(null);
    key.current ??= confirmationKey();
    try {
      const sent = await call(commands.transferCreate({ restaurant, amount, currency, description }, key.current));
      props.onSent(sent.row.id);
    } catch (e) {
      const err = errorOf(e);
      setError(err);
      setConfirming(false);
      if (err.code !== "outcome_unknown") key.current = null;
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (f: string) =>
    error?.field === f ? (
      <span class="field-error" role="alert">
        {error.message}
      </span>
    ) : null;
  return (
    <form
      class="card create-account"
      aria-label="New transfer"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (confirming) void send();
        else setConfirming(true);
      }}
    >
      <h2>New transfer</h2>
      <p class="help">From the platform's balance to a restaurant's. Nothing is sent until you confirm.</p>
      <div class="form-grid">
        <label class="field">
          <span>Restaurant</span>
          <select aria-label="Restaurant" value={restaurant} onChange={edit(setRestaurant)}>
            {props.restaurants.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {fieldError("restaurant")}
        </label>
        <div class="field-pair">
          <label class="field">
            <span>Amount</span>
            <input aria-label="Amount" inputMode="decimal" placeholder="120.00" value={amount} onInput={edit(setAmount)} aria-invalid={error?.field === "amount" ? "true" : undefined} />
            {fieldError("amount")}
          </label>
          <label class="field">
            <span>Currency</span>
            <input aria-label="Currency" class="currency-input" value={currency.toUpperCase()} onInput={edit(setCurrency)} aria-invalid={error?.field === "currency" ? "true" : undefined} />
            {fieldError("currency")}
          </label>
        </div>
        <label class="field wide">
          <span>What it is for (the restaurant sees this)</span>
          <input aria-label="What it is for" placeholder="Weekly tips, 1–7 Dec" value={description} onInput={edit(setDescription)} aria-invalid={error?.field === "description" ? "true" : undefined} />
          {fieldError("description")}
        </label>
      </div>
      {error && !FIELDS.includes(error.field ?? "") && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {confirming && (
        <p class="notice warning" role="status" data-field="confirm-transfer">
          Send {amount.trim() || "0"} {currency.toUpperCase()} to {name} for “{description.trim()}”? It leaves the platform's balance at once.
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Sending…" : confirming ? "Confirm and send" : "Review transfer"}
        </button>
      </div>
    </form>
  );
}
