import { formatMoney, type MoneyLike } from "../lib/format";

/** Right-aligned, tabular, negative amounts marked. */
export function Amount(props: { value: MoneyLike | null | undefined }) {
  if (!props.value) return <span class="amount muted">—</span>;
  const negative = props.value.amount < 0;
  return <span class={negative ? "amount negative" : "amount"}>{formatMoney(props.value)}</span>;
}
