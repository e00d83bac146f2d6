// Payments & Refunds → My refunds: what the signed-in profile refunded on this PC, newest first,
// with where each stands now (a refund can fail days later; an unknown outcome is said as such).

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type MyRefund_Serialize } from "../../api";
import { useSyncCount } from "../../lib/synced";
import { Amount } from "../../components/money";
import { formatDateTime } from "../../lib/format";
import { refundStatusClass } from "./words";
import type { Opened } from "./index";

export function MyRefunds(props: { refreshKey: number; onOpen: (o: Opened) => void }) {
  const [rows, setRows] = useState<MyRefund_Serialize[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const synced = useSyncCount();

  useEffect(() => {
    void call(commands.refundsMine()).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(errorOf(e)),
    );
  }, [props.refreshKey, synced]);

  if (error)
    return (
      <div class="notice error" role="alert">
        {error.message}
      </div>
    );
  if (!rows) return <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading your refunds" />;
  if (rows.length === 0)
    return (
      <div class="card">
        <p class="empty">You have not refunded anything on this PC yet. Find a payment in the Payments tab and choose Refund.</p>
      </div>
    );
  return (
    <div class="card table-card">
      <table class="data" aria-label="My refunds">
        <thead>
          <tr>
            <th>When</th>
            <th class="num">Amount</th>
            <th>Status</th>
            <th>Order</th>
            <th>Restaurant</th>
            <th>Approved by</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.refund.id}
              class="pay-row"
              tabIndex={0}
              onClick={() => props.onOpen({ restaurant: r.restaurant, payment: r.payment })}
              onKeyDown={(e) => {
                if (e.key === "Enter") props.onOpen({ restaurant: r.restaurant, payment: r.payment });
              }}
            >
              <td class="nowrap">{formatDateTime(r.refund.created)}</td>
              <td class="num">
                <Amount value={r.refund.amount} />
              </td>
              <td>
                <span class={`badge ${refundStatusClass(r.refund.status)}`} data-field="refund-status">
                  {r.refund.status_label}
                </span>
                {r.refund.failure && <div class="small danger-text">{r.refund.failure}</div>}
              </td>
              <td class="mono">{r.order_number ?? "—"}</td>
              <td>
                {r.restaurant_name} <span class="muted small">({r.gateway_label})</span>
              </td>
              <td>{r.refund.approved_by ?? <span class="muted">—</span>}</td>
              <td class="small">{r.refund.note ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
