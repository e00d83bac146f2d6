// Disputes → inbox: the disputes of the restaurants the profile may see, overdue and due-soon
// first, with a countdown to the deadline, 100 at a time; filters by status, reason and restaurant.

import { useEffect, useState } from "preact/hooks";
import { call, commands, type DisputePage_Serialize, type DisputeRow_Serialize, type RestaurantChoice } from "../../api";
import { Amount } from "../../components/money";
import { ShowMore, usePages } from "../../components/show-more";
import { useSyncCount } from "../../lib/synced";
import { formatDate } from "../../lib/format";

const STATUSES: [string, string][] = [
  ["needs_response", "Needs a response"],
  ["warning_needs_response", "Inquiry: needs a response"],
  ["under_review", "Under review"],
  ["warning_under_review", "Inquiry: under review"],
  ["won", "Won"],
  ["lost", "Lost"],
  ["warning_closed", "Inquiry closed"],
  ["charge_refunded", "Closed: payment refunded"],
];

/** Disputes asked for at a time. */
const PAGE = 100;

export function DisputeInbox(props: { refreshKey: number; onOpen: (id: string) => void }) {
  const [status, setStatus] = useState("");
  const [reason, setReason] = useState("");
  const [restaurant, setRestaurant] = useState("");
  const [restaurants, setRestaurants] = useState<RestaurantChoice[]>([]);
  const synced = useSyncCount();

  useEffect(() => {
    void call(commands.paymentsRestaurants()).then((r) => setRestaurants(r.filter((x) => x.gateway === "stripe")), () => setRestaurants([]));
  }, [synced]);

  const filter = { status: status || null, reason: reason || null, restaurant: restaurant || null };
  const { first, rows, error, busy, more } = usePages<DisputeRow_Serialize, DisputePage_Serialize>(
    (offset) => call(commands.disputesList(filter, offset, PAGE)),
    [status, reason, restaurant, synced, props.refreshKey],
  );

  const total = first?.total ?? 0;
  // The reasons under the other filters, and the one picked even when none of it is left.
  const reasons = [...(first?.reasons ?? [])];
  if (reason && !reasons.some((r) => r.reason === reason)) reasons.push({ reason, title: reason.replaceAll("_", " ") });
  const caption = first
    ? [
        `${total.toLocaleString()} ${total === 1 ? "dispute" : "disputes"}`,
        first.due_soon > 0 ? `${first.due_soon.toLocaleString()} due within 3 days` : null,
        first.overdue > 0 ? `${first.overdue.toLocaleString()} past the deadline` : null,
      ]
        .filter(Boolean)
        .join(" · ")
    : null;

  return (
    <div class="disputes-inbox">
      <div class="card filters-card">
        <div class="toolbar wrap">
          <label class="inline">
            <span>Status</span>
            <select aria-label="Status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
              <option value="">Any status</option>
              {STATUSES.map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            <span>Reason</span>
            <select aria-label="Reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
              <option value="">Any reason</option>
              {reasons.map((r) => (
                <option key={r.reason} value={r.reason}>
                  {r.title}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            <span>Restaurant</span>
            <select aria-label="Restaurant" value={restaurant} onChange={(e) => setRestaurant((e.target as HTMLSelectElement).value)}>
              <option value="">All restaurants</option>
              {restaurants.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <span class="muted push-right nowrap" data-field="disputes-caption">
            {caption}
          </span>
        </div>
      </div>
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      <div class="card table-card">
        {rows === null && !error ? (
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading disputes" />
        ) : rows && rows.length === 0 ? (
          <p class="empty">{status || reason || restaurant ? "No dispute matches these filters." : "No disputes. When a customer's bank disputes a payment, it appears here with its deadline."}</p>
        ) : (
          <table class="data disputes-table" aria-label="Disputes">
            <thead>
              <tr>
                <th>Deadline</th>
                <th class="num">Amount</th>
                <th>Reason</th>
                <th>Status</th>
                <th>Order</th>
                <th>Restaurant</th>
                <th>Opened</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr
                  key={r.id}
                  class="pay-row"
                  tabIndex={0}
                  data-dispute={r.id}
                  data-urgency={r.urgency}
                  onClick={() => props.onOpen(r.id)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") props.onOpen(r.id);
                  }}
                >
                  <td>
                    <span class={`badge urgency-${r.urgency}`} data-field="due">
                      {r.due_words}
                    </span>
                  </td>
                  <td class="num">
                    <Amount value={r.amount} />
                  </td>
                  <td data-field="reason">{r.reason_title}</td>
                  <td data-field="status">{r.status_label}</td>
                  <td class="mono nowrap">{r.order_number ?? "—"}</td>
                  <td>{r.restaurant_name}</td>
                  <td class="nowrap">{formatDate(r.created)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows && first && <ShowMore shown={rows.length} total={total} page={PAGE} noun="disputes" busy={busy} onMore={more} />}
      </div>
    </div>
  );
}
