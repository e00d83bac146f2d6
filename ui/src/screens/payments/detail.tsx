// A payment opened from the list: shown from the cache at once, then refreshed from its gateway
// (another PC may have refunded it). Its timeline, the fees and transfer around it, its refunds,
// and the Refund (or Void) button that opens the refund dialog.

import { useEffect, useRef, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type PaymentDetail_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { GatewayBadge } from "../../components/badge";
import { formatDateTime, formatMoney } from "../../lib/format";
import { RefundDialog } from "./refund-dialog";
import { refundStatusClass, stateClass } from "./words";

export function PaymentDetailView(props: { restaurant: string; payment: string; onBack: () => void; onRefunded: () => void }) {
  const [detail, setDetail] = useState<PaymentDetail_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [stale, setStale] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(true);
  const [refunding, setRefunding] = useState(false);
  const [done, setDone] = useState<{ text: string; unknown: boolean } | null>(null);
  const back = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    call(commands.paymentDetail(props.restaurant, props.payment)).then(
      (d) => live && setDetail(d),
      (e) => live && setError(errorOf(e)),
    );
    call(commands.paymentRefresh(props.restaurant, props.payment)).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        setError(null);
        setRefreshing(false);
      },
      (e) => {
        if (!live) return;
        setRefreshing(false);
        setStale(errorOf(e).message);
      },
    );
    back.current?.focus();
    return () => {
      live = false;
    };
  }, [props.restaurant, props.payment]);

  // Esc goes back to the list (a dialog, when open, takes Esc first).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !refunding && !document.querySelector("dialog[open]")) props.onBack();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [refunding]);

  const p = detail?.payment;
  return (
    <div class="payment-detail" role="region" aria-label="Payment detail">
      <div class="row-between">
        <button ref={back} type="button" class="secondary" onClick={props.onBack}>
          ← Back to payments
        </button>
        {refreshing && detail && (
          <span class="muted small" role="status">
            Checking with the gateway…
          </span>
        )}
      </div>
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {stale && (
        <div class="notice warning" role="note">
          Could not check with the gateway just now, so this is what this PC last synced. {stale}
        </div>
      )}
      {done && (
        <div class={done.unknown ? "notice warning" : "notice success"} role="status" data-field="refund-result">
          {done.text}
        </div>
      )}
      {!detail || !p ? (
        !error && <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading the payment" />
      ) : (
        <>
          <div class="card pay-head">
            <div class="pay-head-main">
              <span class="big">
                <Amount value={p.amount} />
              </span>
              <span class={`badge ${stateClass(p.state)}`} data-field="status">
                {p.status_label}
              </span>
              <GatewayBadge gateway={p.gateway} />
            </div>
            <div class="pay-head-sub">
              <span data-field="order">{p.order_number ? `Order ${p.order_number}` : "No order number"}</span>
              <span>{p.restaurant_name}</span>
              <span>{p.card_label ?? "Card not shown"}</span>
              <span>{formatDateTime(p.created)}</span>
            </div>
            <div class="pay-head-actions">
              {detail.may_refund && !detail.not_refundable && (
                <button type="button" class="primary" onClick={() => { setDone(null); setRefunding(true); }}>
                  {detail.refund_word}…
                </button>
              )}
            </div>
            {detail.may_refund && detail.not_refundable && (
              <p class="muted" role="note" data-field="not-refundable">
                {detail.not_refundable}
              </p>
            )}
          </div>
          <div class="pay-columns">
            <div class="card pay-facts">
              <h2 class="section-title">Money</h2>
              <dl class="facts">
                <Fact label="Refunded so far" field="refunded">
                  {formatMoney(p.refunded)}
                </Fact>
                <Fact label="Left to refund" field="refundable">
                  {formatMoney(p.refundable)}
                </Fact>
                {detail.platform_fee && <Fact label="Platform fee">{formatMoney(detail.platform_fee)}</Fact>}
                {detail.processing_fee && <Fact label="Stripe fee">{formatMoney(detail.processing_fee)}</Fact>}
                {detail.charge_kind_label && <Fact label="Charge type">{detail.charge_kind_label}</Fact>}
                {detail.transfer && (
                  <Fact label="Transfer to the restaurant" field="transfer">
                    {formatMoney(detail.transfer.amount)} to {detail.transfer.destination_name}
                    {detail.transfer.reversed.amount > 0 ? ` (${formatMoney(detail.transfer.reversed)} taken back)` : ""}
                  </Fact>
                )}
                {detail.settled !== null && p.gateway === "cardconnect" && (
                  <Fact label="Settlement">{detail.settled ? "Settled in CardConnect's nightly batch" : "Not settled yet: tonight's batch"}</Fact>
                )}
                {detail.dispute && (
                  <Fact label="Dispute" field="dispute">
                    {detail.dispute.status_label} · {detail.dispute.reason_label}
                  </Fact>
                )}
                {p.customer_email && <Fact label="Customer">{p.customer_email}</Fact>}
                {detail.description && <Fact label="For">{detail.description}</Fact>}
                <Fact label="Payment ID">
                  <span class="mono small">{p.reference}</span>
                </Fact>
              </dl>
            </div>
            <div class="card pay-timeline">
              <h2 class="section-title">Timeline</h2>
              <ol class="timeline" aria-label="Timeline">
                {detail.timeline.map((e, i) => (
                  <li key={i} data-kind={e.kind}>
                    <span class="tl-time muted small">{formatDateTime(e.at)}</span>
                    <span class="tl-title">
                      {e.title}
                      {e.status && <span class={`badge tl-badge ${e.refund_status ? refundStatusClass(e.refund_status) : e.kind === "dispute" ? "pay-failed" : "pay-muted"}`}>{e.status}</span>}
                    </span>
                    {e.detail && <span class="tl-detail muted">{e.detail}</span>}
                  </li>
                ))}
              </ol>
            </div>
          </div>
          {refunding && (
            <RefundDialog
              detail={detail}
              onClose={() => setRefunding(false)}
              onDone={(text, unknown, fresh) => {
                setRefunding(false);
                setDone({ text, unknown });
                if (fresh) setDetail(fresh);
                props.onRefunded();
              }}
            />
          )}
        </>
      )}
    </div>
  );
}

function Fact(props: { label: string; field?: string; children: preact.ComponentChildren }) {
  return (
    <div class="fact">
      <dt class="muted">{props.label}</dt>
      <dd data-field={props.field}>{props.children}</dd>
    </div>
  );
}
