// Payouts → Payouts: what was paid out and when it arrives. A chart of paid amounts per week or
// month, filters, a CSV export, and a virtualised list that stays smooth with 100,000 payouts.
// Opening a row (or the failed-payout banner) shows the payout's breakdown in place.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  call,
  commands,
  errorOf,
  SYNC_FINISHED_EVENT,
  type AppError,
  type ChartBucket,
  type ChartSeries,
  type PayoutFilter_Serialize,
  type PayoutRow_Serialize,
  type PayoutSort,
} from "../../api";
import { Amount } from "../../components/money";
import { BarChart, periodWords } from "../../components/bar-chart";
import { SearchBox } from "../../components/search-box";
import { ExportNotice } from "../../components/export-notice";
import { ARRIVAL_TITLE, arrivalDay, methodWords, PAYOUT_STATUSES, PayoutStatus, payoutStatusWords } from "../../components/payout-status";
import { VirtualTable, type Column, type SortState } from "../../components/virtual-table";
import { formatDate, formatDateTime, formatMoney, locale } from "../../lib/format";
import { GatewayBadge } from "../../components/badge";
import { chooseCsvPath } from "../../lib/save-dialog";
import { PayoutDetailView } from "./detail";
import "./list.css";
import { DateRange } from "../../components/date-range";

type Row = PayoutRow_Serialize;

/** Sorting by these starts with the biggest or newest first. */
const DESCENDING_FIRST: PayoutSort[] = ["arrival_date", "created", "amount"];
const DEFAULT_SORT: SortState = { key: "arrival_date", descending: true };

/** "1,204 payouts", "1 payout". */
export function payoutCount(n: number, loc: string = locale()): string {
  return `${new Intl.NumberFormat(loc).format(n)} ${n === 1 ? "payout" : "payouts"}`;
}

/** The next sort when a column header is clicked: the same column flips, another starts with its
 * natural direction (newest or biggest first for dates and amounts, A→Z otherwise). */
export function nextSort(current: SortState, key: string): SortState {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: DESCENDING_FIRST.includes(key as PayoutSort) };
}

export function PayoutsTab(props: { account: string | null; openPayout: string | null; onOpenPayout: (id: string | null) => void }) {
  const [status, setStatus] = useState("");
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  // The list follows the search box once typing pauses, not on every key.
  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(typed.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [typed]);

  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const [total, setTotal] = useState<number | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const [exporting, setExporting] = useState(false);
  const opened = useRef<Row | null>(null);
  const pageScroll = useRef(0);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onSynced = () => setRefresh((r) => r + 1);
    window.addEventListener(SYNC_FINISHED_EVENT, onSynced);
    return () => window.removeEventListener(SYNC_FINISHED_EVENT, onSynced);
  }, []);

  const filter: PayoutFilter_Serialize = useMemo(
    () => ({
      account: props.account,
      status: status || null,
      from: from || null,
      to: to || null,
      sort: sort.key as PayoutSort,
      descending: sort.descending,
      search: search || null,
    }),
    [props.account, status, from, to, sort.key, sort.descending, search],
  );
  const resetKey = JSON.stringify(filter);
  const datesBackwards = from !== "" && to !== "" && from > to;
  const filtered = status !== "" || from !== "" || to !== "" || search !== "";

  const fetchPage = useCallback((offset: number, limit: number) => call(commands.payoutsList(filter, offset, limit)), [resetKey]);

  // The detail replaces the list on screen; the list stays mounted (scroll position, fetched pages).
  const detailOpen = props.openPayout !== null;
  useLayoutEffect(() => {
    const content = root.current?.closest(".content");
    if (!content) return;
    if (detailOpen) {
      content.scrollTop = 0;
    } else {
      content.scrollTop = pageScroll.current;
    }
  }, [detailOpen]);

  function open(row: Row) {
    opened.current = row;
    pageScroll.current = root.current?.closest(".content")?.scrollTop ?? 0;
    setSaved(null);
    props.onOpenPayout(row.id);
  }

  function clearFilters() {
    setTyped("");
    setSearch("");
    setStatus("");
    setFrom("");
    setTo("");
  }

  async function exportCsv() {
    setSaved(null);
    setExportError(null);
    const path = await chooseCsvPath("payouts");
    if (!path) return;
    setExporting(true);
    try {
      const count = await call(commands.payoutsExport(filter, path));
      setSaved(`${payoutCount(count)} saved to ${path}.`);
    } catch (e) {
      setExportError(errorOf(e));
    } finally {
      setExporting(false);
    }
  }

  const columns = useMemo(() => payoutColumns(props.account === null), [props.account]);

  return (
    <div class="payouts-tab" ref={root}>
      {detailOpen && (
        <PayoutDetailView
          id={props.openPayout!}
          initial={opened.current?.id === props.openPayout ? opened.current : null}
          onBack={() => props.onOpenPayout(null)}
        />
      )}
      <div class="payouts-list" hidden={detailOpen}>
        <div class="card filters-card">
          <div class="toolbar wrap">
            <SearchBox label="Search payouts" placeholder="ID, amount, name" value={typed} onInput={setTyped} />
            <label class="inline">
              <span>Status</span>
              <select aria-label="Status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
                <option value="">All statuses</option>
                {PAYOUT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {payoutStatusWords(s)}
                  </option>
                ))}
              </select>
            </label>
            <DateRange fromText="Arrival from" toText="to" toLabel="Arrival to" from={from} to={to} onFrom={setFrom} onTo={setTo} />
            {filtered && (
              <button type="button" class="link-button" onClick={clearFilters}>
                Clear filters
              </button>
            )}
            <span class="muted count payout-count" aria-label="Payout count" aria-live="polite">
              {datesBackwards ? payoutCount(0) : total === null ? "Counting payouts…" : payoutCount(total)}
            </span>
            <button type="button" class="secondary" disabled={exporting || datesBackwards} onClick={() => void exportCsv()}>
              {exporting ? "Exporting…" : "Export CSV"}
            </button>
          </div>
        </div>
        <ExportNotice saved={saved} error={exportError} />
        {datesBackwards ? (
          <div class="notice warning" role="alert">
            “Arrival from” is after “Arrival to”. Pick an earlier start date or a later end date.
          </div>
        ) : (
          <>
            <PayoutsChart filter={filter} refresh={refresh} />
            <div class="card table-card payouts-table">
              <VirtualTable<Row>
                label="Payouts"
                columns={columns}
                fetchPage={fetchPage}
                resetKey={resetKey}
                refreshKey={refresh}
                rowAttributes={(row) => ({ "data-payout-id": row.id, "data-status": row.status, "data-gateway": row.gateway })}
                onOpen={open}
                sort={sort}
                onSort={(key) => setSort((s) => nextSort(s, key))}
                onTotal={setTotal}
                active={!detailOpen}
                minWidth="960px"
                empty={
                  <p>
                    <strong>No payouts match.</strong> Clear the filters, or sync from the Overview.{" "}
                    {filtered && (
                      <button type="button" class="link-button" onClick={clearFilters}>
                        Clear filters
                      </button>
                    )}
                  </p>
                }
              />
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function payoutColumns(showAccount: boolean): Column<Row>[] {
  const columns: (Column<Row> | null)[] = [
    {
      id: "arrival",
      header: "Arrival",
      width: "120px",
      sortKey: "arrival_date",
      cell: (r) => arrivalDay(r.arrival_date),
      title: () => ARRIVAL_TITLE,
    },
    showAccount
      ? {
          id: "account",
          header: "Account",
          width: "minmax(130px, 1.2fr)",
          sortKey: "account",
          cell: (r) => r.account_name,
          title: (r) => r.account_name,
        }
      : null,
    {
      id: "amount",
      header: "Amount",
      width: "112px",
      numeric: true,
      sortKey: "amount",
      cell: (r) => <Amount value={r.amount} />,
    },
    {
      id: "status",
      header: "Status",
      width: "100px",
      sortKey: "status",
      cell: (r) => <PayoutStatus status={r.status} label={r.status_label} />,
    },
    {
      id: "gateway",
      header: "Gateway",
      width: "104px",
      cell: (r) => <GatewayBadge gateway={r.gateway} />,
      title: (r) => (r.gateway === "cardconnect" ? "A CardConnect deposit" : "A Stripe payout"),
    },
    {
      id: "method",
      header: "Method",
      width: "80px",
      cell: (r) => methodWords(r.method),
      title: (r) => (r.automatic ? "Made by the payout schedule" : "Made by hand"),
    },
    {
      id: "bank",
      header: "Bank",
      width: "minmax(140px, 1.3fr)",
      cell: (r) => <Bank bank={r.bank} />,
      title: (r) => r.bank ?? undefined,
    },
    {
      id: "created",
      header: "Created",
      width: "112px",
      sortKey: "created",
      cell: (r) => <span class="muted">{formatDate(r.created)}</span>,
      title: (r) => formatDateTime(r.created),
    },
    {
      id: "failure",
      header: "Failure reason",
      width: "minmax(110px, 0.9fr)",
      field: (r) => (failureOf(r) ? "failure" : undefined),
      cell: (r) => {
        const message = failureOf(r);
        return message ? <span class="failure-text">{message}</span> : null;
      },
      title: (r) => failureOf(r) ?? undefined,
    },
  ];
  return columns.filter((c): c is Column<Row> => c !== null);
}

/** "Chase ••••6789" with the last digits always visible: a long bank name is shortened instead. */
function Bank(props: { bank: string | null }) {
  if (!props.bank) return <span class="muted">—</span>;
  const split = /^(.*\S)\s+(•+\s?\S+)$/.exec(props.bank);
  if (!split) return <>{props.bank}</>;
  return (
    <span class="bank">
      <span class="bank-name">{split[1]}</span> <span class="bank-last4">{split[2]}</span>
    </span>
  );
}

function failureOf(r: Row): string | null {
  return r.status === "failed" ? (r.failure_message ?? "The payout failed.") : null;
}

/** The chart of paid amounts per week or month, one currency at a time. */
function PayoutsChart(props: { filter: PayoutFilter_Serialize; refresh: number }) {
  const [bucket, setBucket] = useState<ChartBucket>("week");
  const [series, setSeries] = useState<ChartSeries[] | null>(null);
  const [currency, setCurrency] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { account, status, from, to } = props.filter;
  const key = JSON.stringify({ account, status, from, to, bucket });
  const previousKey = useRef(key);

  // Fetched as soon as it is rendered (a layout effect), not a frame later.
  useLayoutEffect(() => {
    let alive = true;
    // A new filter clears the chart; a refresh after a sync keeps it until the new one arrives.
    if (previousKey.current !== key) setSeries(null);
    previousKey.current = key;
    call(commands.payoutsChart({ ...props.filter, sort: "arrival_date", descending: false }, bucket)).then(
      (s) => {
        if (!alive) return;
        setSeries(s);
        setError(null);
      },
      (e) => alive && setError(errorOf(e)),
    );
    return () => {
      alive = false;
    };
  }, [key, props.refresh, attempt]);

  const shown = series?.find((s) => s.currency === currency) ?? series?.[0] ?? null;
  const hasData = shown !== null && shown.points.some((p) => p.count > 0 || p.failed > 0);
  const summary = shown && hasData ? chartSummary(shown, bucket, series!.length) : null;
  const captionId = "payouts-chart-summary";

  return (
    <figure class="card chart-card" aria-label="Payouts chart" aria-describedby={captionId} aria-busy={series === null ? "true" : undefined}>
      <div class="chart-head">
        <h2 class="chart-title">Paid out per {bucket === "week" ? "week" : "month"}</h2>
        <div class="chart-controls">
          {series && series.length > 1 && (
            <label class="inline">
              <span>Currency</span>
              <select aria-label="Chart currency" value={shown?.currency} onChange={(e) => setCurrency((e.target as HTMLSelectElement).value)}>
                {series.map((s) => (
                  <option key={s.currency} value={s.currency}>
                    {s.currency.toUpperCase()}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="inline">
            <span>Period</span>
            <select aria-label="Chart period" value={bucket} onChange={(e) => setBucket((e.target as HTMLSelectElement).value as ChartBucket)}>
              <option value="week">Weekly</option>
              <option value="month">Monthly</option>
            </select>
          </label>
        </div>
      </div>
      {error ? (
        <div class="chart-body chart-message">
          <div class="notice error" role="alert">
            Could not draw the chart: {error.message}{" "}
            <button type="button" class="secondary" onClick={() => setAttempt((a) => a + 1)}>
              Try again
            </button>
          </div>
        </div>
      ) : series === null ? (
        <div class="chart-body skeleton" aria-label="Loading chart" />
      ) : !shown || !hasData ? (
        <figcaption id={captionId} class="chart-body chart-empty">
          No payouts to chart. Clear the filters, or sync from the Overview.
        </figcaption>
      ) : (
        <BarChart
          points={shown.points}
          currency={shown.currency}
          exponent={shown.exponent}
          bucket={bucket}
          label={`Bar chart of ${shown.currency.toUpperCase()} paid out per ${bucket}`}
        />
      )}
      {(series === null || error || (shown && hasData)) && (
        <figcaption id={captionId} class="chart-caption">
          {summary ? (
            <>
              <span>{summary.text}</span>
              {summary.failed > 0 && (
                <span class="chart-legend">
                  <span class="legend-dot" aria-hidden="true" /> Failed payouts, counted above their {bucket}
                </span>
              )}
            </>
          ) : error ? (
            "The chart could not be drawn."
          ) : (
            "Loading the chart…"
          )}
        </figcaption>
      )}
    </figure>
  );
}

/** "$123,456.78 paid in 456 payouts, week of Jan 5, 2026 to week of Mar 16, 2026. 3 payouts failed." */
export function chartSummary(s: ChartSeries, bucket: ChartBucket, currencies: number, loc: string = locale()): { text: string; failed: number } {
  const paid = s.points.reduce((sum, p) => sum + p.paid, 0);
  const count = s.points.reduce((sum, p) => sum + p.count, 0);
  const failed = s.points.reduce((sum, p) => sum + p.failed, 0);
  const first = s.points[0];
  const last = s.points[s.points.length - 1];
  const span = first && last ? `, ${periodWords(first.start, bucket, loc).replace(/^Week/, "week")} to ${periodWords(last.start, bucket, loc).replace(/^Week/, "week")}` : "";
  let text = `${formatMoney({ amount: paid, currency: s.currency, exponent: s.exponent }, loc)} paid in ${payoutCount(count, loc)}${span}.`;
  if (failed > 0) text += ` ${payoutCount(failed, loc)} failed.`;
  if (currencies > 1) text += ` ${currencies - 1} other ${currencies === 2 ? "currency" : "currencies"}: pick one above.`;
  return { text, failed };
}
