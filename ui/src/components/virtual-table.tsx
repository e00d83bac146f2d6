// A virtualised table for long lists (100,000 rows stay smooth): fixed row height, only the rows in
// view (plus some overscan) are in the DOM, pages of rows are fetched by offset when they come into
// view and kept, skeleton rows stand in for pages still loading. ARIA table roles throughout;
// ArrowUp/ArrowDown/PageUp/PageDown/Home/End move between rows, Enter opens one.
//
// Layout that makes it work is inline here; the look (.vtable…) lives in the screen's CSS.

import type { ComponentChildren, CSSProperties, HTMLAttributes, JSX } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

/** One page as the server answers it: every matching row's count and the rows from the offset. */
export type Page<T> = { total: number; rows: T[] };

export type Column<T> = {
  /** Stable id; also the cells' `data-field` unless `field` says otherwise. */
  id: string;
  header: string;
  /** A CSS grid track: "120px", "minmax(140px, 1fr)"… */
  width: string;
  /** Right-align (numbers, money). */
  numeric?: boolean;
  /** The sort key this column sorts by; absent: not sortable. */
  sortKey?: string;
  /** `data-field` of a cell; `undefined` leaves it off (e.g. an empty optional cell). */
  field?: (row: T) => string | undefined;
  cell: (row: T) => ComponentChildren;
  title?: (row: T) => string | undefined;
};

export type SortState = { key: string; descending: boolean };

/** Rows `[first, last)`. */
export type Range = { first: number; last: number };

// ----- Windowing math (pure, unit-tested) -----

/** The rows to render when the rows area is scrolled by `scrollTop` and `viewport` pixels of it
 * are visible: every row at least partly in view, plus `overscan` rows on each side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan: number): Range {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, scrollTop);
  const firstVisible = Math.min(Math.floor(top / rowHeight), total - 1);
  const lastVisible = Math.max(Math.ceil((top + Math.max(0, viewport)) / rowHeight), firstVisible + 1);
  const first = clamp(firstVisible - overscan, 0, total);
  const last = clamp(lastVisible + overscan, first, total);
  return { first, last };
}

/** The page numbers (offset / pageSize) covering a range of rows. */
export function pagesOf(range: Range, pageSize: number): number[] {
  if (range.last <= range.first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(range.first / pageSize); p <= Math.floor((range.last - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** The pages of a range that are neither cached nor on their way. */
export function pagesToFetch(range: Range, pageSize: number, known: (page: number) => boolean): number[] {
  return pagesOf(range, pageSize).filter((p) => !known(p));
}

/** Which cached pages to drop to keep at most `max`: never those in view, farthest first. */
export function pagesToEvict(cached: number[], inView: number[], max: number): number[] {
  if (cached.length <= max) return [];
  const keep = new Set(inView);
  const center = inView.length ? (inView[0] + inView[inView.length - 1]) / 2 : 0;
  return cached
    .filter((p) => !keep.has(p))
    .sort((a, b) => Math.abs(b - center) - Math.abs(a - center))
    .slice(0, cached.length - max);
}

/** The scroll offset that brings row `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}

/** Where a navigation key moves the focus from row `current`; `null` for other keys. */
export function targetRow(key: string, current: number, total: number, pageRows: number): number | null {
  if (total <= 0) return null;
  const last = total - 1;
  switch (key) {
    case "ArrowDown":
      return Math.min(last, current + 1);
    case "ArrowUp":
      return Math.max(0, current - 1);
    case "PageDown":
      return Math.min(last, current + Math.max(1, pageRows));
    case "PageUp":
      return Math.max(0, current - Math.max(1, pageRows));
    case "Home":
      return 0;
    case "End":
      return last;
    default:
      return null;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

// ----- The component -----

type Props<T> = {
  /** The table's accessible name. */
  label: string;
  columns: Column<T>[];
  /** Fetches `limit` rows from `offset` under the current filter and sort. */
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>;
  /** When this changes (another filter or sort), everything fetched is dropped and it scrolls to the top. */
  resetKey: string;
  /** When this changes (new data synced), rows are fetched again in place, old ones shown meanwhile. */
  refreshKey?: number;
  /** Extra attributes of a data row, e.g. `{"data-payout-id": row.id}`. */
  rowAttributes?: (row: T) => Record<string, string | number | undefined>;
  /** Opens a row (Enter on it, or a click). */
  onOpen?: (row: T, index: number) => void;
  sort?: SortState;
  onSort?: (key: string) => void;
  /** The matching row count once known (`null` while the first page loads). */
  onTotal?: (total: number | null) => void;
  /** What to show when nothing matches. */
  empty: ComponentChildren;
  /** False while the table is hidden (e.g. behind a detail view): on return, the scroll position
   * and the focus on the opened row come back. */
  active?: boolean;
  rowHeight?: number;
  headerHeight?: number;
  pageSize?: number;
  overscan?: number;
  /** CSS max-height of the scrolling area. */
  maxHeight?: string;
  /** CSS min-width of the rows (scrolls sideways below it). */
  minWidth?: string;
  class?: string;
};

/** Pages kept in memory at most (pages in view are always kept). */
const MAX_PAGES = 60;
/** Skeleton rows shown before the count is known. */
const PLACEHOLDER_ROWS = 10;

export function VirtualTable<T>(props: Props<T>) {
  const rowHeight = props.rowHeight ?? 44;
  const headerHeight = props.headerHeight ?? 38;
  const pageSize = props.pageSize ?? 100;
  const overscan = props.overscan ?? 8;
  const active = props.active ?? true;

  const scroller = useRef<HTMLDivElement>(null);
  const cache = useRef(new Map<number, T[]>());
  const stale = useRef(new Map<number, T[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const pendingFocus = useRef<number | null>(null);
  const lastOpened = useRef<number | null>(null);
  const savedScroll = useRef(0);
  const inView = useRef<number[]>([]);
  const fetchPage = useRef(props.fetchPage);
  fetchPage.current = props.fetchPage;

  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  // Another filter or sort: start over, from the top.
  const firstReset = useRef(true);
  useLayoutEffect(() => {
    if (firstReset.current) {
      firstReset.current = false;
      return;
    }
    generation.current++;
    cache.current = new Map();
    stale.current = new Map();
    loading.current = new Set();
    pendingFocus.current = null;
    lastOpened.current = null;
    savedScroll.current = 0;
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
    setTotal(null);
    setError(null);
    bump();
  }, [props.resetKey]);

  // New data: fetch again, keep showing what was there until it arrives.
  const firstRefresh = useRef(true);
  useEffect(() => {
    if (firstRefresh.current) {
      firstRefresh.current = false;
      return;
    }
    generation.current++;
    stale.current = new Map([...stale.current, ...cache.current]);
    cache.current = new Map();
    loading.current = new Set();
    bump();
  }, [props.refreshKey]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Back from hiding: the scroll position and the focus on the row that was opened.
  const wasActive = useRef(active);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (active && !wasActive.current && el) {
      el.scrollTop = savedScroll.current;
      setScrollTop(el.scrollTop);
      setHeight(el.clientHeight);
      if (lastOpened.current !== null) pendingFocus.current = lastOpened.current;
      bump();
    }
    wasActive.current = active;
  }, [active]);

  useEffect(() => props.onTotal?.(total), [total]);

  const count = total ?? PLACEHOLDER_ROWS;
  const rowsViewport = Math.max(0, height - headerHeight);
  // Hidden (height 0): keep the rows of before rather than collapsing to one.
  const range = visibleRange(scrollTop, rowsViewport || rowHeight * 12, rowHeight, count, overscan);
  inView.current = pagesOf(range, pageSize);

  useEffect(() => {
    if (error) return;
    const wanted = pagesToFetch(range, pageSize, (p) => cache.current.has(p) || loading.current.has(p));
    if (wanted.length === 0) return;
    // While scrolling fast, wait for the scroll to settle rather than fetch every page passed.
    const delay = cache.current.size === 0 ? 0 : 60;
    const timer = window.setTimeout(() => {
      const gen = generation.current;
      for (const page of pagesToFetch(range, pageSize, (p) => cache.current.has(p) || loading.current.has(p))) {
        loading.current.add(page);
        fetchPage.current(page * pageSize, pageSize).then(
          (result) => {
            if (gen !== generation.current) return;
            loading.current.delete(page);
            cache.current.set(page, result.rows);
            stale.current.delete(page);
            for (const p of pagesToEvict([...cache.current.keys()], inView.current, MAX_PAGES)) cache.current.delete(p);
            setTotal(result.total);
            bump();
          },
          (e: unknown) => {
            if (gen !== generation.current) return;
            loading.current.delete(page);
            setError(e instanceof Error ? e.message : String(e));
          },
        );
      }
    }, delay);
    return () => window.clearTimeout(timer);
  }, [range.first, range.last, version, retry, error]);

  // Focus a row once it is rendered (after keyboard navigation scrolled to it).
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null || !active) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-row-index="${index}"]`);
    if (row) {
      pendingFocus.current = null;
      row.focus({ preventScroll: true });
    }
  });

  function rowAt(index: number): T | undefined {
    const page = Math.floor(index / pageSize);
    const rows = cache.current.get(page) ?? stale.current.get(page);
    return rows?.[index - page * pageSize];
  }

  function moveFocus(index: number) {
    const el = scroller.current;
    if (!el) return;
    const next = scrollToReveal(index, el.scrollTop, Math.max(rowHeight, el.clientHeight - headerHeight), rowHeight);
    if (next !== el.scrollTop) {
      el.scrollTop = next;
      setScrollTop(el.scrollTop);
      savedScroll.current = el.scrollTop;
    }
    pendingFocus.current = index;
    bump();
  }

  function open(index: number) {
    const row = rowAt(index);
    if (row === undefined || !props.onOpen) return;
    lastOpened.current = index;
    props.onOpen(row, index);
  }

  function indexOf(target: EventTarget | null): number | null {
    const row = (target as HTMLElement | null)?.closest?.("[data-row-index]");
    const value = row?.getAttribute("data-row-index");
    return value == null ? null : Number(value);
  }

  function onKeyDown(e: KeyboardEvent) {
    const index = indexOf(e.target);
    if (index === null || total === null) return;
    if (e.key === "Enter") {
      e.preventDefault();
      open(index);
      return;
    }
    const pageRows = Math.floor(Math.max(0, (scroller.current?.clientHeight ?? 0) - headerHeight) / rowHeight) - 1;
    const next = targetRow(e.key, index, total, pageRows);
    if (next === null) return;
    e.preventDefault();
    moveFocus(next);
  }

  const grid = props.columns.map((c) => c.width).join(" ");
  const minWidth = props.minWidth ?? "100%";
  const rowStyle = (top: number): CSSProperties => ({
    position: "absolute",
    top: `${top}px`,
    left: 0,
    right: 0,
    height: `${rowHeight}px`,
    display: "grid",
    gridTemplateColumns: grid,
    alignItems: "center",
  });

  const mark = (sorted: boolean) => (
    <span aria-hidden="true" class="sort-mark">
      {sorted ? (props.sort!.descending ? "▼" : "▲") : ""}
    </span>
  );

  const rows: JSX.Element[] = [];
  let busy = total === null;
  for (let i = range.first; i < range.last; i++) {
    const row = rowAt(i);
    if (row === undefined) {
      busy = true;
      rows.push(
        <div role="row" key={i} class="vtable-row skeleton-row" aria-rowindex={i + 1} aria-busy="true" data-row-index={i} tabIndex={-1} style={rowStyle(i * rowHeight)}>
          {props.columns.map((c) => (
            <div role="cell" key={c.id} class={c.numeric ? "vtable-cell num" : "vtable-cell"}>
              <span class="skeleton-bar" />
            </div>
          ))}
        </div>,
      );
      continue;
    }
    const extra = (props.rowAttributes?.(row) ?? {}) as HTMLAttributes<HTMLDivElement>;
    rows.push(
      <div
        role="row"
        key={i}
        {...extra}
        class="vtable-row"
        aria-rowindex={i + 1}
        data-row-index={i}
        tabIndex={0}
        style={rowStyle(i * rowHeight)}
        onClick={() => open(i)}
      >
        {props.columns.map((c) => (
          <div role="cell" key={c.id} class={c.numeric ? "vtable-cell num" : "vtable-cell"} data-field={c.field ? c.field(row) : c.id} title={c.title?.(row)}>
            {c.cell(row)}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div class={props.class ? `vtable-wrap ${props.class}` : "vtable-wrap"}>
      <div
        ref={scroller}
        role="table"
        class="vtable"
        aria-label={props.label}
        aria-rowcount={total ?? -1}
        aria-busy={busy ? "true" : undefined}
        style={{ maxHeight: props.maxHeight ?? "min(640px, calc(100vh - 140px))", overflow: "auto", position: "relative" }}
        onScroll={(e) => {
          const top = (e.currentTarget as HTMLDivElement).scrollTop;
          if (active) savedScroll.current = top;
          setScrollTop(top);
        }}
      >
        <div role="rowgroup" class="vtable-head" style={{ position: "sticky", top: 0, zIndex: 2, minWidth }}>
          <div role="row" class="vtable-row vtable-header-row" style={{ display: "grid", gridTemplateColumns: grid, alignItems: "center", height: `${headerHeight}px` }}>
            {props.columns.map((c) => {
              const sorted = c.sortKey !== undefined && props.sort?.key === c.sortKey;
              const ariaSort = c.sortKey === undefined ? undefined : sorted ? (props.sort!.descending ? "descending" : "ascending") : "none";
              return (
                <div role="columnheader" key={c.id} class={c.numeric ? "vtable-cell num" : "vtable-cell"} aria-sort={ariaSort}>
                  {c.sortKey !== undefined ? (
                    <button type="button" class="sort" onClick={() => props.onSort?.(c.sortKey!)}>
                      {c.numeric && mark(sorted)}
                      {c.header}
                      {!c.numeric && mark(sorted)}
                    </button>
                  ) : (
                    c.header
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div
          role="rowgroup"
          class="vtable-body"
          style={{ position: "relative", height: `${(total === 0 ? 0 : count) * rowHeight}px`, minWidth }}
          onKeyDown={onKeyDown}
        >
          {rows}
        </div>
      </div>
      {total === 0 && !error && <div class="vtable-empty empty">{props.empty}</div>}
      {error && (
        <div class="notice error vtable-error" role="alert">
          {error}{" "}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              loading.current = new Set();
              setError(null);
              setRetry((r) => r + 1);
            }}
          >
            Try again
          </button>
        </div>
      )}
    </div>
  );
}
