import type { ScopeBalance_Serialize } from "../../api";
export function BalancesTab(_props: { account: string | null; scopes: ScopeBalance_Serialize[] | null }) {
  return <p class="empty">Balances are being built.</p>;
}
