import type { ScopeBalance_Serialize } from "../../api";
export function ScheduleTab(_props: { account: string | null; scopes: ScopeBalance_Serialize[] | null; canEdit: boolean; onPickAccount: (account: string) => void }) {
  return <p class="empty">The schedule is being built.</p>;
}
