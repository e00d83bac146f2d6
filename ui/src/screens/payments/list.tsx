// Payments & Refunds → Payments: one search box with the focus, keyboard first. Typing an order
// number, an amount (12.50), card last4, an email or a gateway ID finds matches in the cache at
// once; Enter opens the top match. Without a search: today's payments, newest first, filtered by
// restaurant, status and dates.

import { useEffect, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  type AppError,
  type PaymentPage_Serialize,
  type PaymentRow_Serialize,
  type PaymentSearch_Deserialize,
  type PaymentStatusFilter,
  type RestaurantChoice,
  type SearchKind,
} from "../../api";
import { Amount } from "../../components/money";
import { useSyncCount } from "../../lib/synced";
import { GatewayBadge } from "../../components/badge";
import { DateRange } from "../../components/date-range";
import { formatDateTime, locale } from "../../lib/format";
import { stateClass } from "./words";
import type { Opened } from "./index";

const PAGE = 50;
/** The cache answers in milliseconds: a short pause only spares a query per keystroke. */
const TYPING_PAUSE_MS = 120;
/** A search also asks the gateways for what changed (an incremental sync) at most this often; the
 * list reads the cache again when that sync ends. */
const REFRESH_BEHIND_MS = 30_000;

const STATUSES: { id: PaymentStatusFilter; label: string }[] = [
  { id: "succeeded", label: "Paid" },
  { id: "refunded", label: "Refunded (partly or fully)" },
  { id: "authorized", label: "Authorized, not captured" },
  { id: "pending", label: "Processing" },
  { id: "failed", label: "Declined or failed" },
  { id: "voided", label: "Voided" },
];

const READ_AS: Record<SearchKind, string> = {
  gateway_id: "a payment ID",
  order_number: "an order number",
  customer_email: "a customer email",
  card_last4: "a card's last 4 digits",
  amount: "an amount",
};

/** "order number or amount" — how the search text was read. */
export function readAs(kinds: SearchKind[]): string {
  const words = [...new Set(kinds.map((k) => READ_AS[k]))];
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

export function PaymentList(props: { active: boolean; refreshKey: number; onOpen: (o: Opened) => void }) {
  const [typed, setTyped] = useState("");
  const [text, setText] = useState("");
  const [restaurant, setRestaurant] = useState("*");
  const [status, setStatus] = useState<PaymentStatusFilter | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<PaymentPage_Serialize | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [restaurants, setRestaurants] = useState<RestaurantChoice[]>([]);
  const syncs = useSyncCount();
  // Also counts the look-ups at the gateways this list starts itself.
  const [looked, setLooked] = useState(0);
  const synced = syncs + looked;
  const search = useRef<HTMLInputElement>(null);
  const latest = useRef(0);
  const openTop = useRef(false);
  const refreshedAt = useRef(0);
  const latestText = useRef("");
  latestText.current = text;

  useEffect(() => {
    void call(commands.paymentsRestaurants()).then(setRestaurants, () => setRestaurants([]));
  }, [synced]);

  // The search box has the focus whenever the list is on screen.
  useEffect(() => {
    if (props.active) search.current?.focus();
  }, [props.active]);

  useEffect(() => {
    const timer = window.setTimeout(() => setText(typed.trim()), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [typed]);

  useEffect(() => setOffset(0), [text, restaurant, status, from, to]);

  // Matches come from the cache at once; behind them, the gateways are asked what changed (a
  // payment taken a minute ago, a refund made on another PC), and the list follows when it ends.
  useEffect(() => {
    if (!text || Date.now() - refreshedAt.current < REFRESH_BEHIND_MS) return;
    refreshedAt.current = Date.now();
    void call(commands.syncRun(false)).then(() => setLooked((n) => n + 1), () => undefined);
  }, [text]);

  // CardPointe lists no transactions: a sale made today is asked for by the order ID typed.
  useEffect(() => {
    if (!text) return;
    const asked = text;
    void call(commands.paymentsLookUp(asked)).then(
      (found) => {
        if (found > 0 && asked === latestText.current) setLooked((n) => n + 1);
      },
      () => undefined,
    );
  }, [text]);

  useEffect(() => {
    const query: PaymentSearch_Deserialize = {
      text: text || null,
      restaurant: restaurant === "*" ? null : restaurant,
      status: status || null,
      from: from || null,
      to: to || null,
      offset,
      limit: PAGE,
    };
    const ticket = ++latest.current;
    call(commands.paymentsSearch(query)).then(
      (p) => {
        if (ticket !== latest.current) return;
        setPage(p);
        setError(null);
        if (openTop.current) {
          openTop.current = false;
          const top = p.rows[0];
          if (top) props.onOpen({ restaurant: top.restaurant, payment: top.reference });
        }
      },
      (e) => {
        if (ticket !== latest.current) return;
        openTop.current = false;
        setError(errorOf(e));
      },
    );
  }, [text, restaurant, status, from, to, offset, synced, props.refreshKey]);

  function onKey(e: KeyboardEvent) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const wanted = typed.trim();
    if (wanted === text && page) {
      const top = page.rows[0];
      if (top) props.onOpen({ restaurant: top.restaurant, payment: top.reference });
    } else {
      // Enter before the pause ended: search now, then open what comes first.
      openTop.current = true;
      setText(wanted);
    }
  }

  const searching = text !== "";
  const rows = page?.rows ?? [];
  const total = page?.total ?? 0;
  const loc = locale();
  const filtered = restaurant !== "*" || status !== "" || from !== "" || to !== "";

  return (
    <div class="payments-list">
      <div class="card filters-card">
        <div class="toolbar pay-toolbar">
          <input
            ref={search}
            type="search"
            class="search pay-search"
            aria-label="Find a payment"
            placeholder="Order number, amount, last 4, email or ID — Enter opens"
            value={typed}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            onKeyDown={onKey}
          />
          <label class="inline">
            <span>Restaurant</span>
            <select aria-label="Restaurant" value={restaurant} onChange={(e) => setRestaurant((e.target as HTMLSelectElement).value)}>
              <option value="*">All restaurants</option>
              {restaurants.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.gateway === "cardconnect" ? `${r.name} (CardConnect)` : r.name}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            <span>Status</span>
            <select aria-label="Status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as PaymentStatusFilter | "")}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="toolbar pay-toolbar pay-dates">
          <DateRange fromText="From" toText="to" fromLabel="Payments from" toLabel="Payments to" from={from} to={to} onFrom={setFrom} onTo={setTo} />
          {filtered && (
            <button
              type="button"
              class="link-button"
              onClick={() => {
                setRestaurant("*");
                setStatus("");
                setFrom("");
                setTo("");
              }}
            >
              Clear filters
            </button>
          )}
          <span class="muted push-right" aria-live="polite" data-field="payments-caption">
            {page &&
              (searching
                ? `${new Intl.NumberFormat(loc).format(total)}${page.more ? "+" : ""} ${total === 1 ? "match" : "matches"}, read as ${readAs(page.read_as)}`
                : page.today_since !== null
                  ? `Today: ${new Intl.NumberFormat(loc).format(total)} ${total === 1 ? "payment" : "payments"}`
                  : `${new Intl.NumberFormat(loc).format(total)} ${total === 1 ? "payment" : "payments"}`)}
          </span>
        </div>
      </div>
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      <div class="card table-card">
        {page === null && !error ? (
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading payments" />
        ) : rows.length === 0 ? (
          <p class="empty" data-field="payments-empty">
            {searching
              ? `No payment matches “${text}”. Try the order number as printed on the receipt, the amount (12.50), the card's last 4 digits, the customer's email or a payment ID.`
              : page?.today_since !== null
                ? "No payments yet today at these restaurants. Search above to find older ones, or pick dates."
                : "No payments match these filters."}
          </p>
        ) : (
          <table class="data pay-table" aria-label="Payments">
            <thead>
              <tr>
                <th>Time</th>
                <th class="num">Amount</th>
                <th class="num">Refunded</th>
                <th>Status</th>
                <th>Card</th>
                <th>Order</th>
                <th>Restaurant</th>
                <th>Gateway</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <PaymentRowView key={`${row.gateway}/${row.reference}`} row={row} top={i === 0 && searching} onOpen={props.onOpen} />
              ))}
            </tbody>
          </table>
        )}
        {page && total > PAGE && (
          <div class="pager">
            <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span class="muted">
              {offset + 1}–{Math.min(offset + PAGE, total)} of {new Intl.NumberFormat(loc).format(total)}
            </span>
            <button type="button" class="secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function PaymentRowView(props: { row: PaymentRow_Serialize; top: boolean; onOpen: (o: Opened) => void }) {
  const { row } = props;
  const open = () => props.onOpen({ restaurant: row.restaurant, payment: row.reference });
  return (
    <tr
      class={props.top ? "pay-row top-match" : "pay-row"}
      tabIndex={0}
      data-payment={row.reference}
      data-gateway={row.gateway}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === "Enter") open();
      }}
      title={props.top ? "Top match: Enter in the search box opens it" : undefined}
    >
      <td class="nowrap" data-field="time">
        {formatDateTime(row.created)}
      </td>
      <td class="num" data-field="amount">
        <Amount value={row.amount} />
      </td>
      <td class="num" data-field="refunded">
        {row.refunded.amount > 0 ? <Amount value={row.refunded} /> : <span class="muted">—</span>}
      </td>
      <td>
        <span class={`badge ${stateClass(row.state)}`} data-field="status">
          {row.status_label}
        </span>
      </td>
      <td class="nowrap" data-field="card">
        {row.card_label ?? <span class="muted">—</span>}
      </td>
      <td class="mono nowrap" data-field="order">
        {row.order_number ?? <span class="muted">—</span>}
      </td>
      <td data-field="restaurant">{row.restaurant_name}</td>
      <td>
        <GatewayBadge gateway={row.gateway} />
      </td>
    </tr>
  );
}
