// Settings → Audit log: every money-moving or settings action, filtered, exported as CSV.

import { useEffect, useState } from "preact/hooks";
import { chooseCsvPath } from "../../lib/save-dialog";
import { call, commands, errorOf, type AppError, type AuditEntry_Serialize, type AuditFilter_Serialize } from "../../api";
import { Amount } from "../../components/money";
import { formatDateTime } from "../../lib/format";
import { DateRange } from "../../components/date-range";

const EMPTY: AuditFilter_Serialize = { profile_name: null, action: null, outcome: null, from: null, to: null };
const OUTCOMES = ["succeeded", "refused", "failed", "forbidden"];

export function AuditLog() {
  const [filter, setFilter] = useState<AuditFilter_Serialize>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry_Serialize[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [known, setKnown] = useState<{ profiles: string[]; actions: string[] }>({ profiles: [], actions: [] });

  useEffect(() => {
    call(commands.auditList(filter)).then(
      (list) => {
        setEntries(list);
        setError(null);
        if (filter === EMPTY) {
          setKnown({ profiles: [...new Set(list.map((e) => e.profile_name))].sort(), actions: [...new Set(list.map((e) => e.action))].sort() });
        }
      },
      (e) => setError(errorOf(e)),
    );
  }, [filter]);

  const set = (key: keyof AuditFilter_Serialize) => (e: Event) => {
    const value = (e.target as HTMLInputElement | HTMLSelectElement).value;
    setFilter({ ...filter, [key]: value === "" ? null : value });
  };

  async function exportCsv() {
    setExported(null);
    const path = await chooseCsvPath("audit");
    if (!path) return;
    try {
      const count = await call(commands.auditExport(filter, path));
      setExported(`${count} records saved to ${path}.`);
    } catch (err) {
      setError(errorOf(err));
    }
  }

  return (
    <section class="card table-card">
      <div class="toolbar wrap">
        <label class="inline">
          <span>Profile</span>
          <select aria-label="Profile filter" value={filter.profile_name ?? ""} onChange={set("profile_name")}>
            <option value="">Everyone</option>
            {known.profiles.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label class="inline">
          <span>Action</span>
          <select aria-label="Action filter" value={filter.action ?? ""} onChange={set("action")}>
            <option value="">All actions</option>
            {known.actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label class="inline">
          <span>Outcome</span>
          <select aria-label="Outcome filter" value={filter.outcome ?? ""} onChange={set("outcome")}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <DateRange
          fromText="From"
          toText="To"
          fromLabel="From date"
          toLabel="To date"
          from={filter.from ?? ""}
          to={filter.to ?? ""}
          onFrom={(v) => setFilter({ ...filter, from: v === "" ? null : v })}
          onTo={(v) => setFilter({ ...filter, to: v === "" ? null : v })}
        />
        <button type="button" class="secondary push-right" onClick={() => void exportCsv()}>
          Export CSV…
        </button>
      </div>
      {error && (
        <div class="notice error" role="alert">
          {error.message}
        </div>
      )}
      {exported && (
        <div class="notice success" role="status">
          {exported}
        </div>
      )}
      {entries === null ? (
        <div class="skeleton-table" aria-busy="true" />
      ) : entries.length === 0 ? (
        <div class="empty">
          <p>No records match these filters. Every change to money or settings made on this PC is recorded here.</p>
        </div>
      ) : (
        <table class="data" aria-label="Audit records">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th class="num">Amount</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td class="nowrap" title={e.at}>
                  {formatDateTime(e.at)}
                </td>
                <td>
                  {e.profile_name}
                  <div class="muted small">{e.role.replace("_", " ")}</div>
                </td>
                <td class="mono small">{e.action}</td>
                <td>
                  {e.target ?? "—"}
                  {e.detail && <div class="muted small">{e.detail}</div>}
                  {e.request_id && <div class="muted small mono">{e.request_id}</div>}
                </td>
                <td class="num">{e.amount ? <Amount value={e.amount} /> : "—"}</td>
                <td>
                  <span class={`badge badge-outcome-${e.outcome}`}>{e.outcome}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
