// Connected accounts with search, a status filter and sortable columns. `/` focuses the search.

import { useMemo, useState } from "preact/hooks";
import type { AccountRow_Serialize, AccountStatus } from "../api";
import { StatusBadge } from "../components/badge";
import { Amount } from "../components/money";
import { SearchBox } from "../components/search-box";
import { countryName, formatDate, requirementInWords } from "../lib/format";

type SortKey = "name" | "status" | "available";
const STATUS_ORDER: AccountStatus[] = ["disabled", "restricted", "pending", "active"];

export function AccountsTable(props: { accounts: AccountRow_Serialize[] }) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<AccountStatus | "all">("all");
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "name", asc: true });
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const filtered = props.accounts.filter(
      (a) =>
        (status === "all" || a.status === status) &&
        (q === "" || a.name.toLowerCase().includes(q) || a.id.toLowerCase().includes(q) || a.country.toLowerCase() === q),
    );
    const dir = sort.asc ? 1 : -1;
    return filtered.sort((a, b) => {
      if (sort.key === "status") return dir * (STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)) || a.name.localeCompare(b.name);
      if (sort.key === "available") {
        // Different currencies do not compare; group by currency, then amount.
        const ca = a.available?.currency ?? "";
        const cb = b.available?.currency ?? "";
        if (ca !== cb) return ca.localeCompare(cb);
        // Accounts without a balance sort last either way.
        if (!a.available || !b.available) return (a.available ? 0 : 1) - (b.available ? 0 : 1);
        return dir * (a.available.amount - b.available.amount);
      }
      return dir * a.name.localeCompare(b.name);
    });
  }, [props.accounts, query, status, sort]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const a of props.accounts) c[a.status] = (c[a.status] ?? 0) + 1;
    return c;
  }, [props.accounts]);

  if (props.accounts.length === 0) {
    return (
      <div class="card empty">
        <p>
          <strong>No connected accounts yet.</strong> Restaurants appear here once they are onboarded to your
          platform as Stripe connected accounts.
        </p>
      </div>
    );
  }

  const header = (key: SortKey, label: string, cls = "") => (
    <th class={cls} aria-sort={sort.key === key ? (sort.asc ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort" onClick={() => setSort({ key, asc: sort.key === key ? !sort.asc : true })}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.asc ? " ▲" : " ▼") : ""}</span>
      </button>
    </th>
  );

  return (
    <div class="card table-card">
      <div class="toolbar">
        <SearchBox label="Search accounts" placeholder="Search by name or ID" value={query} onInput={setQuery} />
        <label class="inline">
          <span>Status</span>
          <select aria-label="Status filter" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as AccountStatus | "all")}>
            <option value="all">All ({props.accounts.length})</option>
            {(["active", "pending", "restricted", "disabled"] as AccountStatus[]).map((s) => (
              <option value={s} key={s}>
                {s.charAt(0).toUpperCase() + s.slice(1)} ({counts[s] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <span class="muted count" aria-live="polite">
          {rows.length} of {props.accounts.length} accounts
        </span>
      </div>
      {rows.length === 0 ? (
        <div class="empty">
          <p>No account matches “{query}”{status !== "all" ? ` with status ${status}` : ""}. Clear the search or the filter.</p>
        </div>
      ) : (
        <table class="data" aria-label="Connected accounts">
          <thead>
            <tr>
              {header("name", "Restaurant")}
              <th>Type</th>
              <th>Country</th>
              {header("status", "Status")}
              {header("available", "Available", "num")}
              <th class="num">Pending</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id} data-account={a.id}>
                <td>
                  <div class="name">{a.name}</div>
                  <div class="muted mono small">{a.id}</div>
                </td>
                <td class="capitalize">{a.kind}</td>
                <td title={a.country}>{countryName(a.country)}</td>
                <td>
                  <StatusBadge status={a.status} />
                  {a.status_reason && <div class="small muted reason">{a.status_reason}</div>}
                  {a.requirements_due.length > 0 && (
                    <div class="small muted" title={a.requirements_due.map(requirementInWords).join("\n")}>
                      {a.requirements_due.length} item{a.requirements_due.length === 1 ? "" : "s"} due
                      {a.requirements_deadline ? ` by ${formatDate(a.requirements_deadline)}` : ""}
                    </div>
                  )}
                </td>
                <td class="num">
                  <Amount value={a.available} />
                </td>
                <td class="num">
                  <Amount value={a.pending} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
