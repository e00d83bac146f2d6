// Payouts → Balances: what each scope holds per currency (with totals per currency when every
// account is shown), and the balance history of the picked account, paged from the local cache.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  SYNC_FINISHED_EVENT,
  type AppError,
  type BalanceLine,
  type HistoryPage_Serialize,
  type KindOption,
  type Money,
  type ScopeBalance_Serialize,
} from "../../api";
import { Amount } from "../../components/money";
import { formatDate, formatDateTime, formatRelative, locale } from "../../lib/format";
import "./balances.css";
import { SearchBox } from "../../components/search-box";
import { DateRange } from "../../components/date-range";

/** Rows per page of the balance history. */
export const HISTORY_PAGE = 50;

type Field = "available" | "pending" | "connect_reserved" | "instant_available";
const FIELDS: { id: Field; label: string; hint: string }[] = [
  { id: "available", label: "Available", hint: "Can be paid out now" },
  { id: "pending", label: "Pending", hint: "From recent payments; not yet available for payout" },
  { id: "connect_reserved", label: "Reserved", hint: "Held by Stripe to cover negative balances of connected accounts" },
  { id: "instant_available", label: "Instant", hint: "Can be paid out instantly, for a fee" },
];

// ---- Pure helpers (unit-tested) -------------------------------------------------------------

/** The scopes to show: all of them, or only the picked one (`""` is the platform). */
export function visibleScopes(scopes: ScopeBalance_Serialize[], account: string | null): ScopeBalance_Serialize[] {
  return account === null ? scopes : scopes.filter((s) => s.account === account);
}

/** One total line per currency, in order of first appearance. Only same-currency amounts are
 * added; a currency never absorbs another's amounts. */
export function totalsByCurrency(scopes: ScopeBalance_Serialize[]): BalanceLine[] {
  const totals = new Map<string, BalanceLine>();
  for (const scope of scopes) {
    for (const line of scope.lines) {
      const key = line.currency.toLowerCase();
      const sum = totals.get(key);
      if (!sum) {
        totals.set(key, {
          currency: line.currency,
          available: { ...line.available },
          pending: { ...line.pending },
          connect_reserved: { ...line.connect_reserved },
          instant_available: { ...line.instant_available },
        });
        continue;
      }
      for (const f of FIELDS) sum[f.id] = addMoney(sum[f.id], line[f.id]);
    }
  }
  return [...totals.values()];
}

function addMoney(a: Money, b: Money): Money {
  if (a.currency.toLowerCase() !== b.currency.toLowerCase()) {
    throw new Error(`cannot add ${b.currency} to ${a.currency}`);
  }
  return { ...a, amount: a.amount + b.amount };
}

/** The oldest read time among the scopes: the balances shown are at least this fresh. */
export function oldestSync(scopes: ScopeBalance_Serialize[]): string | null {
  let oldest: string | null = null;
  for (const s of scopes) {
    if (!s.synced_at) continue;
    if (oldest === null || new Date(s.synced_at).getTime() < new Date(oldest).getTime()) oldest = s.synced_at;
  }
  return oldest;
}

/** "1–50 of 812" for a page of `count` rows starting at `offset`; "1–50 of more than 1,000" when
 * the total is only a lower bound (a search many descriptions hold is not counted to the end). */
export function rangeWords(offset: number, count: number, total: number, loc: string = locale(), atLeast = false): string {
  const n = (x: number) => x.toLocaleString(loc);
  const of = atLeast ? `more than ${n(total)}` : n(total);
  if (total === 0 || count === 0) return `0 of ${of}`;
  return `${n(offset + 1)}–${n(offset + count)} of ${of}`;
}

/** "Synced 3 minutes ago", "Synced just now". */
export function syncedWords(iso: string, now: Date = new Date(), loc: string = locale()): string {
  const age = (now.getTime() - new Date(iso).getTime()) / 1000;
  return age < 45 ? "Synced just now" : `Synced ${formatRelative(iso, now, loc)}`;
}

// ---- Components -----------------------------------------------------------------------------

export function BalancesTab(props: { account: string | null; scopes: ScopeBalance_Serialize[] | null }) {
  const { account, scopes } = props;
  const name = account === null ? null : scopeName(scopes, account);
  return (
    <div class="bal">
      <BalanceTable account={account} scopes={scopes} />
      <h2 class="bal-history-title">{account === null ? "Balance history" : `Balance history — ${name}`}</h2>
      {account === null ? (
        <div class="card empty bal-choose">
          <p>
            <strong>Balance history is kept per account.</strong> Choose a restaurant or the platform in the{" "}
            <strong>Account</strong> picker at the top of this page to see every payment, refund, fee and payout that
            moved its balance.
          </p>
        </div>
      ) : (
        <BalanceHistory key={account} account={account} name={name ?? account} />
      )}
    </div>
  );
}

function scopeName(scopes: ScopeBalance_Serialize[] | null, account: string): string {
  const s = scopes?.find((x) => x.account === account);
  if (s?.name) return s.name;
  return account === "" ? "Platform" : account;
}

/** The currency and its four amounts, right-aligned, zeros muted: one line of the table. */
function BalanceCells(props: { line: BalanceLine }) {
  const line = props.line;
  return (
    <>
      <td>
        <span class="currency-code">{line.currency.toUpperCase()}</span>
      </td>
      {FIELDS.map((f) => (
        <td key={f.id} data-field={f.id} class={line[f.id].amount === 0 ? "num bal-zero" : "num"}>
          <Amount value={line[f.id]} />
        </td>
      ))}
    </>
  );
}

function BalanceTable(props: { account: string | null; scopes: ScopeBalance_Serialize[] | null }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const clock = window.setInterval(() => setTick((t) => t + 1), 30_000);
    return () => window.clearInterval(clock);
  }, []);

  const shown = useMemo(() => visibleScopes(props.scopes ?? [], props.account), [props.scopes, props.account]);
  const totals = useMemo(() => (props.account === null && shown.length > 1 ? totalsByCurrency(shown) : []), [shown, props.account]);

  if (props.scopes === null) {
    return <div class="card skeleton-table short" aria-busy="true" aria-label="Loading balances" />;
  }
  if (shown.length === 0) {
    return (
      <div class="card empty">
        <p>
          {props.account === null
            ? "No balances synced yet. Open the Overview and let the sync with Stripe finish; each account's balance then appears here."
            : "No balance has been synced for this account yet. Run a sync from the Overview, or choose another account."}
        </p>
      </div>
    );
  }
  const synced = oldestSync(shown);
  return (
    <div class="card table-card">
      <div class="toolbar bal-toolbar">
        <h2 class="bal-card-title">Balances</h2>
        <span class="muted small push-right" data-field="synced" title={synced ? formatDateTime(synced) : undefined}>
          {synced ? syncedWords(synced) : "Not synced yet"}
        </span>
      </div>
      <table class="data bal-table" aria-label="Balances">
        <thead>
          <tr>
            <th>Account</th>
            <th>Currency</th>
            {FIELDS.map((f) => (
              <th class="num" key={f.id} title={f.hint}>
                {f.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((scope) =>
            scope.lines.length === 0 ? (
              <tr key={scope.account} data-account={scope.account} class="bal-scope-start">
                <td>
                  <ScopeLabel scope={scope} />
                </td>
                <td colSpan={5} class="muted">
                  No balance synced yet.
                </td>
              </tr>
            ) : (
              scope.lines.map((line, i) => (
                <tr
                  key={`${scope.account}:${line.currency}`}
                  data-account={scope.account}
                  data-currency={line.currency}
                  class={i === 0 ? "bal-scope-start" : "bal-scope-more"}
                >
                  <td>{i === 0 ? <ScopeLabel scope={scope} /> : <span class="bal-name-repeat">{scope.name || scope.account}</span>}</td>
                  <BalanceCells line={line} />
                </tr>
              ))
            ),
          )}
        </tbody>
        {totals.length > 0 && (
          <tbody class="bal-totals">
            {totals.map((line, i) => (
              <tr key={line.currency} data-total={line.currency} class={i === 0 ? "bal-total bal-total-first" : "bal-total"}>
                <td>
                  <span class="name">Total</span>
                  {i === 0 && <div class="muted small">All accounts shown, per currency</div>}
                </td>
                <BalanceCells line={line} />
              </tr>
            ))}
          </tbody>
        )}
      </table>
    </div>
  );
}

function ScopeLabel(props: { scope: ScopeBalance_Serialize }) {
  const { scope } = props;
  return (
    <>
      <div class="name">{scope.name || scope.account}</div>
      <div class="muted small">{scope.account === "" ? "Your platform" : <span class="mono">{scope.account}</span>}</div>
    </>
  );
}

type Filters = { kind: string; from: string; to: string; search: string };
const NO_FILTERS: Filters = { kind: "", from: "", to: "", search: "" };

function BalanceHistory(props: { account: string; name: string }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<HistoryPage_Serialize | null>(null);
  const [kinds, setKinds] = useState<KindOption[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError | null>(null);
  const [reload, setReload] = useState(0);
  const request = useRef(0);
  const [typed, setTyped] = useState("");

  // The history follows the search box once typing pauses.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (typed.trim() !== filters.search) change({ search: typed.trim() });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [typed]);


  useEffect(() => {
    const again = () => setReload((r) => r + 1);
    window.addEventListener(SYNC_FINISHED_EVENT, again);
    return () => window.removeEventListener(SYNC_FINISHED_EVENT, again);
  }, []);

  useEffect(() => {
    const mine = ++request.current;
    setLoading(true);
    const filter = {
      account: props.account,
      kind: filters.kind === "" ? null : filters.kind,
      from: filters.from === "" ? null : filters.from,
      to: filters.to === "" ? null : filters.to,
      search: filters.search === "" ? null : filters.search,
    };
    call(commands.balanceHistory(filter, offset, HISTORY_PAGE)).then(
      (p) => {
        if (mine !== request.current) return;
        setPage(p);
        if (p.kinds.length > 0 || filters.kind === "") setKinds(p.kinds);
        setError(null);
        setLoading(false);
      },
      (e) => {
        if (mine !== request.current) return;
        const err = errorOf(e);
        if (err.code !== "locked") setError(err);
        setPage(null);
        setLoading(false);
      },
    );
  }, [props.account, filters, offset, reload]);

  function change(next: Partial<Filters>) {
    setFilters({ ...filters, ...next });
    setOffset(0);
    // Rows of the previous filter never stand in for the new one's, even for a moment.
    setPage(null);
    setLoading(true);
  }

  const filtered = filters.kind !== "" || filters.from !== "" || filters.to !== "" || filters.search !== "";
  const rows = page?.rows ?? [];
  const total = page?.total ?? 0;
  const atLeast = page?.total_at_least ?? false;
  const first = page === null && loading;

  return (
    <div class="card table-card bal-history">
      <div class="toolbar wrap">
        <SearchBox label="Search history" placeholder="ID, amount, text" value={typed} onInput={setTyped} />
        <label class="inline">
          <span>Type</span>
          <select aria-label="Transaction type" value={filters.kind} onChange={(e) => change({ kind: (e.target as HTMLSelectElement).value })}>
            <option value="">All types</option>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
            {filters.kind !== "" && !kinds.some((k) => k.value === filters.kind) && <option value={filters.kind}>{filters.kind}</option>}
          </select>
        </label>
        <DateRange fromText="From" toText="To" from={filters.from} to={filters.to} onFrom={(from) => change({ from })} onTo={(to) => change({ to })} />
        {filtered && (
          <button type="button" class="link-button" onClick={() => { setTyped(""); change(NO_FILTERS); }}>
            Clear filters
          </button>
        )}
        <span class="muted small push-right" title="Dates are whole days in UTC, as Stripe keeps them">
          Newest first
        </span>
      </div>

      {error && (
        <div class="notice error bal-inset" role="alert" data-code={error.code}>
          {error.message}
        </div>
      )}

      {first ? (
        <div class="skeleton-table" aria-busy="true" aria-label="Loading balance history" />
      ) : error && page === null ? null : rows.length === 0 ? (
        <div class="empty">
          {filtered ? (
            <p>
              No transactions match these filters for {props.name}. Choose “All types” or widen the dates.{" "}
              <button type="button" class="link-button" onClick={() => { setTyped(""); change(NO_FILTERS); }}>
                Clear filters
              </button>
            </p>
          ) : (
            <p>
              No balance transactions for {props.name} yet. Payments, refunds, fees and payouts appear here once they are
              synced from Stripe; start a sync from the Overview.
            </p>
          )}
        </div>
      ) : (
        <div class="bal-scroll">
          <table class={loading ? "data bal-history-table busy" : "data bal-history-table"} aria-label="Balance history" aria-busy={loading}>
            <thead>
              <tr>
                <th>Date</th>
                <th>Type</th>
                <th>Description</th>
                <th class="num">Gross</th>
                <th class="num">Fee</th>
                <th class="num">Net</th>
                <th title="When the money is (or was) available for payout">Available on</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-txn-id={r.id}>
                  <td data-field="date" class="nowrap" title={`${formatDateTime(r.created)} (the day is Stripe's, in UTC, as the date filters use)`}>
                    {formatDate(r.created, locale(), "UTC")}
                  </td>
                  <td data-field="type" class="bal-type">
                    {r.kind_label}
                  </td>
                  <td data-field="description" class="bal-desc">
                    {r.description ?? <span class="muted">—</span>}
                  </td>
                  <td data-field="gross" class="num">
                    <Amount value={r.gross} />
                  </td>
                  <td data-field="fee" class={r.fee.amount === 0 ? "num bal-zero" : "num"}>
                    <Amount value={r.fee} />
                  </td>
                  <td data-field="net" class="num bal-net">
                    <Amount value={r.net} />
                  </td>
                  <td data-field="available_on" class="nowrap" title={formatDateTime(r.available_on)}>
                    {formatDate(r.available_on, locale(), "UTC")}
                    {r.status === "pending" && " "}
                    {r.status === "pending" && (
                      <span class="badge badge-pending bal-pending" title="Not yet available for payout">
                        Pending
                      </span>
                    )}
                  </td>
                  <td data-field="source" class="mono small muted bal-source" title={r.source ?? undefined}>
                    {r.source ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {!first && (page !== null || !error) && (
        <div class="bal-pager">
          <span aria-label="History range" class="muted">
            {rangeWords(page?.offset ?? offset, rows.length, total, undefined, atLeast)}
          </span>
          <div class="bal-pager-buttons">
            <button type="button" class="secondary" disabled={loading || offset === 0} onClick={() => setOffset(Math.max(0, offset - HISTORY_PAGE))}>
              <span aria-hidden="true">← </span>Newer
            </button>
            <button
              type="button"
              class="secondary"
              disabled={loading || (offset + rows.length >= total && !atLeast)}
              onClick={() => setOffset(offset + HISTORY_PAGE)}
            >
              Older<span aria-hidden="true"> →</span>
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
