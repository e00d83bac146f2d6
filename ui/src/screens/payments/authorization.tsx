// A payment taken here, as Stripe has it now, with what can be done next: capture all or part of
// an authorization within its 7 days (the rest released, the fee on what was captured), cancel it
// with a reason, or — after the customer authenticated (3-D Secure) — confirm it. Each reviewed
// first and sent once under its key.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AppError, type CancelReason, type TakenPayment } from "../../api";
import { Amount } from "../../components/money";
import { formatDateTime, formatMoney } from "../../lib/format";

type Pending = { kind: "capture" } | { kind: "cancel" } | { kind: "confirm" };

export function AuthorizationCard(props: { restaurant: string; payment: string; initial?: TakenPayment; canCapture: boolean; canConfirm: boolean }) {
  const [p, setP] = useState<TakenPayment | null>(props.initial ?? null);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState<CancelReason>("requested_by_customer");
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const key = useRef<string | null>(null);

  const reload = () =>
    call(commands.paymentTaken(props.restaurant, props.payment)).then(
      (x) => {
        setP(x);
        setError(null);
      },
      (e) => setError(errorOf(e)),
    );
  useEffect(() => {
    if (!props.initial) void reload();
  }, [props.payment]);

  async function go() {
    if (!pending || busy) return;
    setBusy(true);
    setError(null);
    key.current ??= confirmationKey();
    try {
      const after =
        pending.kind === "capture"
          ? await call(commands.paymentCapture({ restaurant: props.restaurant, payment: props.payment, amount: amount.trim() || null }, key.current))
          : pending.kind === "cancel"
            ? await call(commands.paymentCancel(props.restaurant, props.payment, reason, key.current))
            : await call(commands.paymentConfirm(props.restaurant, props.payment, key.current));
      const released = p && pending.kind === "capture" ? p.capturable.amount - after.captured.amount : 0;
      setNote(
        pending.kind === "capture"
          ? `Captured ${formatMoney(after.captured)}${released > 0 ? `; ${formatMoney({ ...after.captured, amount: released })} released to the customer` : ""}.`
          : pending.kind === "cancel"
            ? "Canceled: the hold on the customer's card is released."
            : `Confirmed: ${after.status_words}`,
      );
      setP(after);
      setAmount("");
      key.current = null;
    } catch (e) {
      const err = errorOf(e);
      setError(err);
      if (err.code !== "outcome_unknown") key.current = null;
    } finally {
      setPending(null);
      setBusy(false);
    }
  }

  if (!p) {
    return error ? <div class="notice error" role="alert">{error.message}</div> : <div class="skeleton skeleton-table" aria-busy="true" />;
  }
  const left = p.capture_before ? Math.max(0, p.capture_before - Date.now() / 1000) : null;
  const days = left === null ? null : Math.floor(left / 86_400);
  const hours = left === null ? null : Math.floor((left % 86_400) / 3_600);
  return (
    <div class="card authorization" aria-label="Payment taken" data-status={p.status}>
      <div class="pay-head-main">
        <h2 class="account-name">
          <Amount value={p.amount} /> {p.order_number ? `for order ${p.order_number}` : ""}
        </h2>
        <span class="badge pay-muted" data-field="taken-status">
          {p.status.replace(/_/g, " ")}
        </span>
      </div>
      <p data-field="taken-words">{p.status_words}</p>
      <dl class="facts">
        <div class="fact">
          <dt>Authorized, not captured</dt>
          <dd data-field="capturable">{formatMoney(p.capturable)}</dd>
        </div>
        <div class="fact">
          <dt>Captured</dt>
          <dd data-field="captured">{formatMoney(p.captured)}</dd>
        </div>
        {p.fee && (
          <div class="fact">
            <dt>Platform fee</dt>
            <dd data-field="taken-fee">{formatMoney(p.fee)}</dd>
          </div>
        )}
        {p.capture_before && (
          <div class="fact">
            <dt>Capture by</dt>
            <dd data-field="capture-by">
              {formatDateTime(p.capture_before)} ({days} d {hours} h left)
            </dd>
          </div>
        )}
        <div class="fact">
          <dt>Payment</dt>
          <dd class="mono small">{p.id}</dd>
        </div>
      </dl>
      {p.action_url && (
        <p class="notice warning" data-field="action-url">
          The customer must authenticate at their bank: send them <span class="mono small">{p.action_url}</span>, then check again.
        </p>
      )}
      <div class="actions left">
        {p.status === "requires_capture" && props.canCapture && (
          <>
            <label class="inline">
              <span>Amount to capture (empty: all)</span>
              <input aria-label="Amount to capture" inputMode="decimal" value={amount} onInput={(e) => { key.current = null; setPending(null); setAmount((e.target as HTMLInputElement).value); }} />
            </label>
            <button type="button" class="primary" disabled={busy} onClick={() => setPending({ kind: "capture" })}>
              Capture…
            </button>
          </>
        )}
        {["requires_capture", "requires_action", "requires_confirmation"].includes(p.status) && props.canCapture && (
          <>
            <select aria-label="Cancel reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as CancelReason)}>
              <option value="requested_by_customer">Requested by the customer</option>
              <option value="duplicate">Duplicate</option>
              <option value="fraudulent">Fraudulent</option>
              <option value="abandoned">Abandoned</option>
            </select>
            <button type="button" class="secondary" disabled={busy} onClick={() => setPending({ kind: "cancel" })}>
              Cancel authorization…
            </button>
          </>
        )}
        {p.status === "requires_confirmation" && props.canConfirm && (
          <button type="button" class="primary" disabled={busy} onClick={() => setPending({ kind: "confirm" })}>
            Confirm payment…
          </button>
        )}
        {["requires_action", "requires_confirmation", "processing"].includes(p.status) && (
          <button type="button" class="secondary" onClick={() => void reload()}>
            Check again
          </button>
        )}
      </div>
      {pending && (
        <div class="notice warning" role="status" data-field="confirm-action">
          {pending.kind === "capture"
            ? `Capture ${amount.trim() ? `${amount.trim()} ${p.amount.currency.toUpperCase()}` : formatMoney(p.capturable)} of ${formatMoney(p.capturable)} authorized? The rest is released.`
            : pending.kind === "cancel"
              ? `Cancel the authorization of ${formatMoney(p.amount)}? The customer is not charged.`
              : `Charge ${formatMoney(p.amount)} now?`}{" "}
          <button type="button" class="primary" disabled={busy} onClick={() => void go()}>
            Yes, {pending.kind === "capture" ? "capture" : pending.kind === "cancel" ? "cancel it" : "confirm"}
          </button>
        </div>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {note && (
        <p class="notice success" role="status" data-field="taken-note">
          {note}
        </p>
      )}
    </div>
  );
}
