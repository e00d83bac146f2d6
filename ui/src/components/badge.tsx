// A status as a coloured badge with words: colour is never the only signal.

import type { AccountStatus } from "../api";

const LABELS: Record<AccountStatus, string> = {
  active: "Active",
  pending: "Pending",
  restricted: "Restricted",
  disabled: "Disabled",
};

export function StatusBadge(props: { status: AccountStatus; title?: string }) {
  return (
    <span class={`badge badge-${props.status}`} title={props.title ?? undefined}>
      {LABELS[props.status]}
    </span>
  );
}
