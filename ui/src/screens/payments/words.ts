// Small words and figures the payments screens share.

import type { Money, PaymentState, RefundStatus } from "../../api";

/** A minor-unit amount as typed in a field: "12.50", "500" for yen, no grouping. */
export function majorText(m: Pick<Money, "amount" | "exponent">): string {
  return (m.amount / 10 ** m.exponent).toFixed(m.exponent);
}

/** Badge colour class for a payment's state. */
export function stateClass(state: PaymentState): string {
  switch (state) {
    case "paid":
      return "pay-ok";
    case "partly_refunded":
    case "refunded":
      return "pay-refunded";
    case "authorized":
    case "processing":
    case "waiting_for_bank":
      return "pay-pending";
    case "declined":
    case "failed":
      return "pay-failed";
    default:
      return "pay-muted";
  }
}

export function refundStatusClass(status: RefundStatus): string {
  switch (status) {
    case "succeeded":
      return "pay-ok";
    case "failed":
    case "canceled":
      return "pay-failed";
    case "unknown":
      return "pay-unknown";
    default:
      return "pay-pending";
  }
}

export const REASONS: { id: string; label: string }[] = [
  { id: "requested_by_customer", label: "Requested by the customer" },
  { id: "duplicate", label: "Duplicate" },
  { id: "fraudulent", label: "Fraudulent" },
];
