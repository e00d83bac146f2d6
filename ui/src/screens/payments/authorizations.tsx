// Payments → Authorizations (owners and platform admins): payments authorized and not captured
// yet, the one whose 7 days end first on top, each with its time left; one opened to capture
// (with the tip) or cancel.

import { useEffect, useState } from "preact/hooks";
import { call, commands, errorOf, type AppError, type TakenPayment } from "../../api";
import { formatMoney } from "../../lib/format";
import { useSyncCount } from "../../lib/synced";
import { AuthorizationCard } from "./authorization";

function timeLeft(until: number | null): string {
  if (until === null) return "—";
  const left = Math.max(0, until - Date.now() / 1000);
  const days = Math.floor(left / 86_400);
  const hours = Math.floor((left % 86_400) / 3_600);
  return left === 0 ? "expired" : days > 0 ? `${days} d ${hours} h` : `${hours} h ${Math.floor((left % 3_600) / 60)} min`;
}

export function Authorizations(props: { canConfirm: boolean }) {
  const [rows, setRows] = useState<TakenPayment[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [open, setOpen] = useState<TakenPayment | null>(null);
  const synced = useSyncCount();

  useEffect(() => {
    if (open) return;
    call(commands.paymentsAuthorized()).then(setRows, (e) => setError(errorOf(e)));
  }, [synced, open]);

  if (open) {
    return (
      <div class="take-payment">
        <button type="button" class="secondary" onClick={() => setOpen(null)}>
          ← Back to authorizations
        </button>
        <AuthorizationCard restaurant={open.restaurant} payment={open.id} canCapture canConfirm={props.canConfirm} />
      </div>
    );
  }
  return (
    <div class="card table-card">
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {rows === null && !error ? (
        <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading authorizations" />
      ) : rows && rows.length === 0 ? (
        <p class="empty">No payment is waiting for capture.</p>
      ) : (
        <table class="data" aria-label="Authorizations">
          <thead>
            <tr>
              <th>Order</th>
              <th>Restaurant</th>
              <th class="num">Authorized</th>
              <th>Time left to capture</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((p) => (
              <tr key={p.id} class="pay-row" tabIndex={0} data-payment={p.id} onClick={() => setOpen(p)} onKeyDown={(e) => e.key === "Enter" && setOpen(p)}>
                <td>{p.order_number ?? <span class="mono small">{p.id}</span>}</td>
                <td>{p.restaurant_name ?? p.restaurant}</td>
                <td class="num">{formatMoney(p.capturable)}</td>
                <td data-field="time-left">{timeLeft(p.capture_before ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
