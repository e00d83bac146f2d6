// Accounts → list: every restaurant, restricted and past-due first, with what Stripe still needs;
// search, filters by status and type. CardConnect restaurants show with their merchant ID. A page
// of 100 at a time (a platform may have 100,000 restaurants); "Show more" appends the next.

import { useState } from "preact/hooks";
import { call, commands, type AccountListRow_Serialize, type AccountPage_Serialize } from "../../api";
import { StatusBadge, GatewayBadge } from "../../components/badge";
import { SearchBox } from "../../components/search-box";
import { ShowMore, usePages } from "../../components/show-more";
import { countryName, formatDate } from "../../lib/format";
import { useSyncCount } from "../../lib/synced";

/** Restaurants asked for at a time. */
const PAGE = 100;

export function AccountList(props: { refreshKey: number; onOpen: (id: string) => void }) {
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [kind, setKind] = useState("");
  const synced = useSyncCount();
  const filter = { search: search || null, status: status || null, kind: kind || null };
  const { first, rows, error, busy, more } = usePages<AccountListRow_Serialize, AccountPage_Serialize>(
    (offset) => call(commands.accountsList(filter, offset, PAGE)),
    [search, status, kind, synced, props.refreshKey],
  );
  const total = first?.total ?? 0;

  return (
    <div class="accounts-list">
      <div class="card filters-card">
        <div class="toolbar">
          <SearchBox label="Search accounts" placeholder="Name or acct_…" value={search} onInput={setSearch} />
          <label class="inline">
            <span>Status</span>
            <select aria-label="Status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
              <option value="">Any status</option>
              <option value="active">Active</option>
              <option value="pending">Pending</option>
              <option value="restricted">Restricted</option>
              <option value="disabled">Disabled</option>
            </select>
          </label>
          <label class="inline">
            <span>Type</span>
            <select aria-label="Type" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
              <option value="">Any type</option>
              <option value="standard">Standard</option>
              <option value="express">Express</option>
              <option value="custom">Custom</option>
              <option value="cardconnect">CardConnect</option>
            </select>
          </label>
          <span class="muted push-right" data-field="total">
            {first && `${total.toLocaleString()} ${total === 1 ? "restaurant" : "restaurants"}`}
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
          <div class="skeleton skeleton-table" aria-busy="true" aria-label="Loading accounts" />
        ) : rows && rows.length === 0 ? (
          <p class="empty">No restaurant matches. Create one with “New restaurant account…”.</p>
        ) : (
          <table class="data accounts-table" aria-label="Restaurant accounts">
            <thead>
              <tr>
                <th>Restaurant</th>
                <th>Type</th>
                <th>Country</th>
                <th>Status</th>
                <th>What Stripe needs</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((r) => (
                <tr
                  key={r.id}
                  class={r.gateway === "stripe" ? "pay-row" : undefined}
                  tabIndex={r.gateway === "stripe" ? 0 : undefined}
                  data-account={r.id}
                  onClick={() => r.gateway === "stripe" && props.onOpen(r.id)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && r.gateway === "stripe") props.onOpen(r.id);
                  }}
                >
                  <td>
                    <div class="name">{r.name}</div>
                    <div class="mono small muted">{r.id}</div>
                  </td>
                  <td>{r.gateway === "cardconnect" ? <GatewayBadge gateway="cardconnect" /> : <span class="capitalize">{r.kind}</span>}</td>
                  <td>{r.country ? countryName(r.country) : "—"}</td>
                  <td>
                    <StatusBadge status={r.status} title={r.status_words ?? undefined} disconnected={r.disconnected} />
                    {r.status_words && <div class="small muted">{r.status_words}</div>}
                  </td>
                  <td class={r.past_due_count > 0 ? "danger-text" : undefined} data-field="requirements">
                    {r.requirements_summary}
                  </td>
                  <td class="nowrap">{r.created ? formatDate(r.created) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows && first && <ShowMore shown={rows.length} total={total} page={PAGE} noun="restaurants" busy={busy} onMore={more} />}
      </div>
    </div>
  );
}
