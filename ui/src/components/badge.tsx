// A status as a coloured badge with words: colour is never the only signal.

import type { AccountStatus, GatewayKind } from "../api";

const LABELS: Record<AccountStatus, string> = {
  active: "Active",
  pending: "Pending",
  restricted: "Restricted",
  disabled: "Disabled",
};

/** A restaurant's status; one that disconnected from the platform says so rather than "Disabled". */
export function StatusBadge(props: { status: AccountStatus; title?: string; disconnected?: boolean }) {
  return (
    <span class={`badge badge-${props.status}`} title={props.title ?? undefined} data-status={props.disconnected ? "disconnected" : props.status}>
      {props.disconnected ? "Disconnected" : LABELS[props.status]}
    </span>
  );
}

const GATEWAYS: Record<GatewayKind, string> = {
  stripe: "Stripe",
  cardconnect: "CardConnect",
};

/** Which gateway a payout, deposit or payment came through: a neutral outline, not a status. */
export function GatewayBadge(props: { gateway: GatewayKind }) {
  return (
    <span class={`badge badge-gateway badge-gateway-${props.gateway}`} data-gateway={props.gateway}>
      {GATEWAYS[props.gateway]}
    </span>
  );
}
