// The refund dialog: amount (in the currency's major unit, all that is left by default), reason
// and a local note; "Review refund" asks the gateway what is left now and shows a confirmation
// that restates amount, currency, restaurant, gateway and effect. Above the profile's limit a
// manager or owner approves here with their PIN. The confirmation's key is made when it is shown,
// so pressing Confirm twice refunds once.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  confirmationKey,
  errorOf,
  type AppError,
  type Approver,
  type PaymentDetail_Serialize,
  type RefundPreview_Serialize,
} from "../../api";
import { formatMoney } from "../../lib/format";
import { PinField } from "../../components/pin-field";
import { majorText, REASONS } from "./words";

type Confirming = { preview: RefundPreview_Serialize; key: string };

export function RefundDialog(props: {
  detail: PaymentDetail_Serialize;
  onClose: () => void;
  onDone: (message: string, unknown: boolean, fresh: PaymentDetail_Serialize | null) => void;
}) {
  const p = props.detail.payment;
  const dialog = useRef<HTMLDialogElement>(null);
  const [amount, setAmount] = useState(majorText(p.refundable));
  const [reason, setReason] = useState("requested_by_customer");
  const [note, setNote] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [checking, setChecking] = useState(false);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [approvers, setApprovers] = useState<Approver[]>([]);
  const [approver, setApprover] = useState("");
  const [pin, setPin] = useState("");
  const [sending, setSending] = useState(false);
  const sendingRef = useRef(false);
  const amountInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    amountInput.current?.select();
  }, []);

  useEffect(() => {
    if (!confirming?.preview.needs_approval) return;
    void call(commands.refundApprovers(p.restaurant)).then((list) => {
      setApprovers(list);
      if (list.length > 0) setApprover(String(list[0].id));
    }, () => setApprovers([]));
  }, [confirming?.preview.needs_approval]);

  const currency = p.amount.currency.toUpperCase();
  const decimals = p.amount.exponent;

  async function review(e: Event) {
    e.preventDefault();
    setError(null);
    setChecking(true);
    try {
      const preview = await call(commands.refundPreview({ restaurant: p.restaurant, payment: p.reference, amount: amount.trim() || null }));
      setPin("");
      // One key per confirmation shown: a double click or a retry sends this same refund.
      setConfirming({ preview, key: confirmationKey() });
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setChecking(false);
    }
  }

  async function confirm() {
    if (!confirming || sendingRef.current) return;
    sendingRef.current = true;
    setSending(true);
    setError(null);
    const { preview, key } = confirming;
    try {
      const done = await call(
        commands.refundConfirm(
          {
            restaurant: p.restaurant,
            payment: p.reference,
            amount: preview.amount.amount,
            reason: p.gateway === "stripe" ? reason || null : null,
            note: note.trim() || null,
            approver_profile_id: preview.needs_approval && approver ? Number(approver) : null,
            approver_pin: preview.needs_approval ? pin : null,
          },
          key,
        ),
      );
      const fresh = await call(commands.paymentDetail(p.restaurant, p.reference)).catch(() => null);
      dialog.current?.close();
      props.onDone(done.message, false, fresh);
    } catch (err) {
      const e = errorOf(err);
      if (e.code === "outcome_unknown" || e.code === "unfinished_call") {
        dialog.current?.close();
        props.onDone(e.message, true, null);
        return;
      }
      setError(e);
      if (e.field === "approval" || e.code === "wrong_pin" || e.code === "pin_locked_out") {
        setPin("");
      } else {
        // Something changed (another PC refunded, the network went): back to the form.
        setConfirming(null);
      }
    } finally {
      sendingRef.current = false;
      setSending(false);
    }
  }

  function close() {
    dialog.current?.close();
    props.onClose();
  }

  const fieldError = (field: string) => (error && error.field === field ? error.message : null);
  const general = error && !["amount", "reason", "note", "approval"].includes(error.field ?? "") && !["wrong_pin", "pin_locked_out"].includes(error.code) ? error.message : null;
  const approvalError = error && (error.field === "approval" || error.code === "wrong_pin" || error.code === "pin_locked_out") ? error.message : null;

  return (
    <dialog ref={dialog} class="confirm refund-dialog" aria-label="Refund payment" onClose={props.onClose}>
      {!confirming ? (
        <form onSubmit={review} noValidate>
          <h2>{props.detail.refund_word} this payment</h2>
          <p class="help">
            {formatMoney(p.refundable)} left to refund of {formatMoney(p.amount)}
            {p.order_number ? ` · order ${p.order_number}` : ""} · {p.restaurant_name}
          </p>
          <label class="field">
            <span>Amount to refund ({currency})</span>
            <input
              ref={amountInput}
              type="text"
              inputMode="decimal"
              aria-label={`Amount to refund (${currency})`}
              aria-invalid={fieldError("amount") ? "true" : undefined}
              aria-describedby="refund-amount-help"
              value={amount}
              onInput={(e) => {
                setAmount((e.target as HTMLInputElement).value);
                setError(null);
              }}
            />
            <span class="help" id="refund-amount-help">
              {decimals === 0 ? `${currency} has no decimals.` : `Up to ${decimals} decimals, like ${majorText({ amount: 1250, exponent: decimals })}.`} The whole
              remainder is filled in; type less for a partial refund.
            </span>
            {fieldError("amount") && (
              <span class="field-error" role="alert">
                {fieldError("amount")}
              </span>
            )}
          </label>
          {p.gateway === "stripe" && (
            <label class="field">
              <span>Reason</span>
              <select aria-label="Reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
                {REASONS.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="field">
            <span>Note (kept on this PC)</span>
            <textarea aria-label="Note (kept on this PC)" rows={2} maxLength={500} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          </label>
          {general && (
            <p class="field-error" role="alert">
              {general}
            </p>
          )}
          <div class="actions">
            <button type="button" class="secondary" onClick={close}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={checking}>
              {checking ? "Checking…" : "Review refund"}
            </button>
          </div>
        </form>
      ) : (
        <div class="refund-confirm" aria-label="Confirm refund">
          <h2>
            {confirming.preview.method === "void" ? "Void" : "Refund"} {formatMoney(confirming.preview.amount)} {currency}?
          </h2>
          <dl class="facts" data-field="confirmation">
            <div class="fact">
              <dt class="muted">Amount</dt>
              <dd data-field="confirm-amount">
                {formatMoney(confirming.preview.amount)} {currency}
              </dd>
            </div>
            <div class="fact">
              <dt class="muted">Restaurant</dt>
              <dd>{confirming.preview.restaurant_name}</dd>
            </div>
            <div class="fact">
              <dt class="muted">Gateway</dt>
              <dd>{confirming.preview.gateway_label}</dd>
            </div>
            {confirming.preview.order_number && (
              <div class="fact">
                <dt class="muted">Order</dt>
                <dd class="mono">{confirming.preview.order_number}</dd>
              </div>
            )}
            <div class="fact">
              <dt class="muted">Left afterwards</dt>
              <dd>{formatMoney(confirming.preview.left_after)}</dd>
            </div>
          </dl>
          <p class="effect" data-field="effect">
            {confirming.preview.effect}
          </p>
          {confirming.preview.needs_approval && (
            <fieldset class="approval" aria-label="Manager approval">
              <legend>Manager approval</legend>
              <p class="help">
                Above your limit of {confirming.preview.limit ? formatMoney(confirming.preview.limit) : "—"}: a manager or owner approves with their PIN. You
                stay signed in.
              </p>
              {approvers.length === 0 ? (
                <p class="field-error">No manager or owner on this PC may approve refunds at this restaurant.</p>
              ) : (
                <>
                  <label class="field">
                    <span>Approved by</span>
                    <select aria-label="Approved by" value={approver} onChange={(e) => setApprover((e.target as HTMLSelectElement).value)}>
                      {approvers.map((a) => (
                        <option key={a.id} value={String(a.id)}>
                          {a.name} ({a.role_label})
                        </option>
                      ))}
                    </select>
                  </label>
                  <div class="field">
                    <PinField id="approver-pin" label="Approver's PIN" value={pin} onInput={setPin} />
                  </div>
                </>
              )}
              {approvalError && (
                <p class="field-error" role="alert">
                  {approvalError}
                </p>
              )}
            </fieldset>
          )}
          {general && (
            <p class="field-error" role="alert">
              {general}
            </p>
          )}
          <div class="actions">
            <button type="button" class="secondary" disabled={sending} onClick={() => { setConfirming(null); setError(null); }}>
              Back
            </button>
            <button
              type="button"
              class="danger"
              disabled={sending || (confirming.preview.needs_approval && (pin.length < 4 || !approver))}
              onClick={() => void confirm()}
            >
              {sending ? "Sending…" : `Confirm ${confirming.preview.method === "void" ? "void" : "refund"}`}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
