// One transfer: what was sent, what was clawed back and what is left, its reversals; and a
// reversal of all or part of what is left, confirmed first, never above it (the core checks
// Stripe's figure, not the cached one).

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, confirmationKey, errorOf, type AppError, type TransferDetail_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { formatDateTime, formatMoney } from "../../lib/format";

export function TransferView(props: { id: string; onBack: () => void; onChanged: () => void }) {
  const [detail, setDetail] = useState<TransferDetail_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const key = useRef<string | null>(null);

  useEffect(() => {
    call(commands.transferDetail(props.id)).then(setDetail, (e) => setError(errorOf(e)));
  }, [props.id]);

  async function reverse() {
    if (busy || !detail) return;
    setBusy(true);
    setError(null);
    key.current ??= confirmationKey();
    try {
      const after = await call(
        commands.transferReverse({ transfer: detail.row.id, amount: amount.trim() || null, reason: reason.trim() || null }, key.current),
      );
      setDone(`Reversed ${formatMoney(after.reversals[0]?.amount ?? after.row.reversed)}.`);
      setDetail(after);
      setAmount("");
      setReason("");
      key.current = null;
      props.onChanged();
    } catch (e) {
      const err = errorOf(e);
      setError(err);
      if (err.code !== "outcome_unknown") key.current = null;
    } finally {
      setConfirming(false);
      setBusy(false);
    }
  }

  const edit = (set: (v: string) => void) => (e: Event) => {
    key.current = null;
    setConfirming(false);
    setError(null);
    setDone(null);
    set((e.target as HTMLInputElement).value);
  };

  if (!detail) {
    return (
      <div class="transfer-detail">
        <button type="button" class="secondary" onClick={props.onBack}>
          ← Back to transfers
        </button>
        {error ? (
          <div class="notice error" role="alert">
            {error.message}
          </div>
        ) : (
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading the transfer" />
        )}
      </div>
    );
  }
  const t = detail.row;
  const reversing = amount.trim() ? `${amount.trim()} ${t.left.currency.toUpperCase()}` : formatMoney(t.left);
  return (
    <div class="transfer-detail" role="region" aria-label="Transfer">
      <button type="button" class="secondary" onClick={props.onBack}>
        ← Back to transfers
      </button>
      <div class="card account-head">
        <div class="pay-head-main">
          <h2 class="account-name">
            <Amount value={t.amount} /> to {t.restaurant_name}
          </h2>
          <span class="badge pay-muted" data-field="transfer-status">
            {t.status_label}
          </span>
        </div>
        <div class="pay-head-sub">
          <span class="mono">{t.id}</span>
          <span>{formatDateTime(t.created)}</span>
          {t.description && <span>{t.description}</span>}
        </div>
      </div>
      <div class="pay-columns">
        <div class="card transfer-money">
          <h3 class="section-title">Money</h3>
          <dl class="facts">
            <div class="fact">
              <dt>Sent</dt>
              <dd>
                <Amount value={t.amount} />
              </dd>
            </div>
            <div class="fact">
              <dt>Reversed</dt>
              <dd data-field="reversed">
                <Amount value={t.reversed} />
              </dd>
            </div>
            <div class="fact">
              <dt>Left to reverse</dt>
              <dd data-field="left">
                <Amount value={t.left} />
              </dd>
            </div>
          </dl>
          {detail.reversals.length > 0 && (
            <table class="data compact" aria-label="Reversals">
              <thead>
                <tr>
                  <th>When</th>
                  <th class="num">Amount</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {detail.reversals.map((r) => (
                  <tr key={r.id}>
                    <td class="nowrap">{formatDateTime(r.created)}</td>
                    <td class="num">
                      <Amount value={r.amount} />
                    </td>
                    <td>{r.reason ?? <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <form
          class="card transfer-reverse"
          aria-label="Reverse the transfer"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (confirming) void reverse();
            else setConfirming(true);
          }}
        >
          <h3 class="section-title">Claw back</h3>
          {t.cannot_reverse ? (
            <p class="muted" data-field="cannot-reverse">
              {t.cannot_reverse}
            </p>
          ) : (
            <>
              <label class="field">
                <span>Amount to reverse ({t.left.currency.toUpperCase()}) — empty for all that is left</span>
                <input aria-label="Amount to reverse" inputMode="decimal" placeholder={formatMoney(t.left)} value={amount} onInput={edit(setAmount)} aria-invalid={error?.field === "amount" ? "true" : undefined} />
              </label>
              <label class="field">
                <span>Why (optional)</span>
                <input aria-label="Why" value={reason} onInput={edit(setReason)} />
              </label>
              {confirming && (
                <p class="notice warning" role="status" data-field="confirm-reversal">
                  Take {reversing} back from {t.restaurant_name}'s balance?
                </p>
              )}
              <div class="actions left">
                <button type="submit" class="primary" disabled={busy}>
                  {busy ? "Reversing…" : confirming ? "Confirm reversal" : "Reverse…"}
                </button>
              </div>
            </>
          )}
          {error && (
            <p class="field-error" role="alert">
              {error.message}
            </p>
          )}
          {done && (
            <p class="notice success" role="status">
              {done}
            </p>
          )}
        </form>
      </div>
    </div>
  );
}
