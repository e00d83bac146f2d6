import { formatDate, locale } from "../lib/format";

// A payout's status as a coloured badge with words (colours in screens/payouts/list.css):
// paid green, in transit blue, pending amber, failed red, canceled grey. Never colour alone.

/** Stripe's payout statuses, in the order a payout moves through them. */
export const PAYOUT_STATUSES = ["pending", "in_transit", "paid", "failed", "canceled"] as const;

const WORDS: Record<string, string> = {
  pending: "Pending",
  in_transit: "In transit",
  paid: "Paid",
  failed: "Failed",
  canceled: "Canceled",
};

/** A status in words, for filters and titles; Rust's `status_label` wins where it is known. */
export function payoutStatusWords(status: string): string {
  return WORDS[status] ?? status.replace(/_/g, " ");
}

/** `standard` → "Standard", `instant` → "Instant". */
export function methodWords(method: string): string {
  if (method === "instant") return "Instant";
  if (method === "standard") return "Standard";
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** A payout's arrival day. Stripe dates arrivals as UTC days (midnight UTC), and the filters and
 * CSV export use the same days, so it is shown as that day rather than shifted to local time. */
export function arrivalDay(unixSeconds: number, loc: string = locale()): string {
  return formatDate(unixSeconds, loc, "UTC");
}

export const ARRIVAL_TITLE = "The arrival day as Stripe dates it (UTC): the same days the filters and the CSV export use.";

export function PayoutStatus(props: { status: string; label?: string; title?: string }) {
  const known = status(props.status);
  return (
    <span class={`badge payout-status payout-status-${known}`} title={props.title}>
      {props.label ?? payoutStatusWords(props.status)}
    </span>
  );
}

function status(s: string): string {
  return s in WORDS ? s : "other";
}
