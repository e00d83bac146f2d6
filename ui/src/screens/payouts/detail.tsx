// One payout and what it contains: the payments, refunds, disputes, transfers and fees Stripe
// settled in it, a summary that must add up to the payout (a difference is always shown, never
// hidden), and a reconciliation CSV for the accountant. Esc or "Back to payouts" returns.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  type AppError,
  type PayoutDetail_Serialize,
  type PayoutRow_Serialize,
  type ReconciliationGroup_Serialize,
} from "../../api";
import { Amount } from "../../components/money";
import { ARRIVAL_TITLE, arrivalDay, methodWords, PayoutStatus } from "../../components/payout-status";
import { formatDate, formatDateTime, formatMoney, formatRelative, locale } from "../../lib/format";
import { chooseCsvPath } from "../../lib/save-dialog";
import { ExportNotice } from "../../components/export-notice";
import { GatewayBadge } from "../../components/badge";

/** Items a group shows before "Show all N". */
export const GROUP_PREVIEW = 200;

export function PayoutDetailView(props: { id: string; initial: PayoutRow_Serialize | null; onBack: () => void }) {
  const [detail, setDetail] = useState<PayoutDetail_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const [exporting, setExporting] = useState(false);
  const section = useRef<HTMLElement>(null);
  const onBack = useRef(props.onBack);
  onBack.current = props.onBack;

  useEffect(() => {
    let alive = true;
    setError(null);
    if (detail?.payout.id !== props.id) setDetail(null);
    call(commands.payoutDetail(props.id)).then(
      (d) => alive && setDetail(d),
      (e) => alive && setError(errorOf(e)),
    );
    return () => {
      alive = false;
    };
  }, [props.id, attempt]);

  useEffect(() => {
    setSaved(null);
    setExportError(null);
    section.current?.focus({ preventScroll: true });
  }, [props.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return;
      e.preventDefault();
      onBack.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  async function exportCsv() {
    setSaved(null);
    setExportError(null);
    const path = await chooseCsvPath(`payout-${props.id}`);
    if (!path) return;
    setExporting(true);
    try {
      const rows = await call(commands.payoutExportReconciliation(props.id, path));
      setSaved(`${rows.toLocaleString(locale())} ${rows === 1 ? "row" : "rows"} saved to ${path}.`);
    } catch (e) {
      setExportError(errorOf(e));
    } finally {
      setExporting(false);
    }
  }

  const payout = detail?.payout ?? props.initial;
  const canExport = detail?.reconcilable === true;

  return (
    <section class="payout-detail" aria-label="Payout detail" ref={section} tabIndex={-1}>
      <div class="detail-bar">
        <button type="button" class="secondary" onClick={props.onBack}>
          <span aria-hidden="true">← </span>Back to payouts
        </button>
        <span class="muted small detail-hint">Esc</span>
        {canExport && (
          <button type="button" class="secondary push-right" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? "Exporting…" : "Export reconciliation CSV"}
          </button>
        )}
      </div>
      <ExportNotice saved={saved} error={exportError} />

      {payout ? <PayoutHeader payout={payout} /> : !error && <div class="card detail-card skeleton detail-skeleton" aria-busy="true" aria-label="Loading payout" />}

      {payout?.status === "failed" && (
        <div class="notice error" data-field="failure-message" title={payout.failure_code ? `Stripe's code: ${payout.failure_code}` : undefined}>
          <strong>This payout failed.</strong> {payout.failure_message ?? "Stripe gave no reason."}
        </div>
      )}

      {error ? (
        <div class="notice error" role="alert">
          <strong>{error.code === "offline" ? "Offline." : "Could not load this payout."}</strong> {error.message}{" "}
          <button type="button" class="secondary" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      ) : detail === null ? (
        <div class="card recon-card recon-loading" aria-busy="true">
          <p class="muted">Fetching what this payout contains from Stripe… The first time can take a few seconds.</p>
          <div class="skeleton recon-skeleton" />
        </div>
      ) : !detail.reconcilable ? (
        <div class="notice" data-field="not-reconcilable">
          {detail.reason ?? "Stripe cannot break this payout down."}
        </div>
      ) : (
        <>
          {detail.note && (
            <div class="notice warning" data-field="reconciliation-note">
              {detail.note}
            </div>
          )}
          <Reconciliation detail={detail} />
        </>
      )}
    </section>
  );
}

function PayoutHeader(props: { payout: PayoutRow_Serialize }) {
  const p = props.payout;
  const arrived = p.status === "paid";
  return (
    <div class="card detail-card">
      <div class="detail-head">
        <div>
          <div class="muted small">
            {p.gateway === "cardconnect" ? "CardConnect deposit to" : "Payout to"} {p.account_name}
          </div>
          <div class="detail-amount">
            <span data-field="payout-amount">
              <Amount value={p.amount} />
            </span>
            <span class="currency-code">{p.amount.currency.toUpperCase()}</span>
          </div>
        </div>
        <span data-field="payout-status">
          <PayoutStatus status={p.status} label={p.status_label} />
        </span>
      </div>
      <dl class="detail-facts">
        <div>
          <dt>{arrived ? "Arrived" : p.status === "failed" || p.status === "canceled" ? "Was due" : "Expected"}</dt>
          <dd data-field="payout-arrival" title={ARRIVAL_TITLE}>
            {arrivalDay(p.arrival_date)}
          </dd>
        </div>
        <div>
          <dt>Method</dt>
          <dd data-field="payout-method">
            {methodWords(p.method)}
            <span class="muted"> · {p.automatic ? "automatic" : "made by hand"}</span>
          </dd>
        </div>
        <div>
          <dt>Bank</dt>
          <dd data-field="payout-bank">{p.bank ?? <span class="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Gateway</dt>
          <dd data-field="payout-gateway">
            <GatewayBadge gateway={p.gateway} />
          </dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd data-field="payout-account">{p.account_name}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd data-field="payout-created" title={formatDateTime(p.created)}>
            {formatDate(p.created)}
          </dd>
        </div>
        <div>
          <dt>Payout ID</dt>
          <dd class="mono small" data-field="payout-id">
            {p.id}
          </dd>
        </div>
      </dl>
    </div>
  );
}

function Reconciliation(props: { detail: PayoutDetail_Serialize }) {
  const d = props.detail;
  const groups = d.groups.filter((g) => g.items.length > 0);
  return (
    <>
      <div class="card recon-card">
        <div class="recon-head">
          <h2>{d.payout.gateway === "cardconnect" ? "What this deposit paid out" : "What this payout contains"}</h2>
          {d.fetched_at && (
            <span class="muted small" title={formatDateTime(d.fetched_at)}>
              From {d.payout.gateway === "cardconnect" ? "CardConnect" : "Stripe"}, {formatRelative(d.fetched_at)}
            </span>
          )}
        </div>
        <table class="data recon-summary" aria-label="Reconciliation summary">
          <tbody>
            {d.summary.map((line) => (
              <tr key={line.label}>
                <th scope="row">{line.label}</th>
                <td class="num">
                  <Amount value={line.amount} />
                </td>
              </tr>
            ))}
            <tr class="total-row" data-field="total">
              <th scope="row">Adds up to</th>
              <td class="num">
                <Amount value={d.total} />
              </td>
            </tr>
            <tr class="payout-line" data-field="payout-amount-line">
              <th scope="row">Payout amount</th>
              <td class="num">
                <Amount value={d.payout.amount} />
              </td>
            </tr>
            {d.difference && (
              <tr class="difference-row" data-field="difference">
                <th scope="row">Difference — Stripe's data does not add up</th>
                <td class="num">
                  <Amount value={d.difference} />
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {d.difference ? (
          <div class="notice error" role="alert">
            <strong>These transactions do not add up to the payout.</strong> They come to {d.total ? formatMoney(d.total) : "—"}, but
            Stripe paid out {formatMoney(d.payout.amount)}: {formatMoney(d.difference)} is unaccounted for. Keep the payout ID{" "}
            <span class="mono">{d.payout.id}</span> and ask Stripe support about it.
          </div>
        ) : (
          <p class="reconciled" data-field="reconciled">
            <span aria-hidden="true">✓ </span>Adds up to the payout
          </p>
        )}
      </div>
      {groups.length === 0 && (
        <div class="card empty">
          <p>Stripe lists no transactions in this payout.</p>
        </div>
      )}
      {groups.map((g) => (
        <GroupTable key={g.key} group={g} />
      ))}
    </>
  );
}

function GroupTable(props: { group: ReconciliationGroup_Serialize }) {
  const g = props.group;
  const [all, setAll] = useState(false);
  const items = all ? g.items : g.items.slice(0, GROUP_PREVIEW);
  const headingId = `recon-group-${g.key}`;
  return (
    <section class="card table-card recon-group" aria-labelledby={headingId}>
      <h3 id={headingId} class="recon-group-title">
        {g.label}
        <span class="muted small">
          {" "}
          · {g.items.length.toLocaleString(locale())} {g.items.length === 1 ? "transaction" : "transactions"}
        </span>
      </h3>
      <div class="recon-scroll">
        <table class="data recon-table" aria-label={g.label}>
          <thead>
            <tr>
              <th class="col-date">Date</th>
              <th class="col-type">Type</th>
              <th class="col-order">Order</th>
              <th>Description</th>
              <th class="num">Gross</th>
              <th class="num">Fee</th>
              <th class="num">Net</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-transaction-id={item.id}>
                <td class="nowrap" title={formatDateTime(item.created)}>
                  {formatDate(item.created)}
                </td>
                <td class="nowrap">{item.kind_label}</td>
                <td class="mono small nowrap" data-field="order">
                  {item.order_number ?? <span class="muted">—</span>}
                </td>
                <td class="description" title={[item.description, item.source].filter(Boolean).join("\n") || undefined}>
                  {item.description ?? <span class="muted">—</span>}
                </td>
                <td class="num">
                  <Amount value={item.gross} />
                </td>
                <td class="num">
                  <Amount value={item.fee} />
                </td>
                <td class="num">
                  <Amount value={item.net} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="total-row" data-field="group-total">
              <th scope="row" colSpan={4}>
                Total {g.label.toLowerCase()}
              </th>
              <td class="num">
                <Amount value={g.gross} />
              </td>
              <td class="num">
                <Amount value={g.fee} />
              </td>
              <td class="num">
                <Amount value={g.net} />
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {!all && g.items.length > GROUP_PREVIEW && (
        <div class="recon-more">
          <span class="muted small">
            Showing the first {GROUP_PREVIEW.toLocaleString(locale())} of {g.items.length.toLocaleString(locale())}.
          </span>
          <button type="button" class="secondary" onClick={() => setAll(true)}>
            Show all {g.items.length.toLocaleString(locale())}
          </button>
        </div>
      )}
    </section>
  );
}
