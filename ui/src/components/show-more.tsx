// Lists read a page at a time: the first page when the filters change, the next one appended when
// the person asks for more ("Show 100 more"), so a list of 100,000 costs what is on screen.

import { useEffect, useRef, useState } from "preact/hooks";
import { errorOf, type AppError } from "../api";

/** A page as the core answers it: every matching row's count, the offset and the rows from it. */
export type Paged<T> = { total: number; offset: number; rows: T[] };

/** The rows read so far after `page` answered `next`: a first page replaces them, a later page
 * is appended where it starts (a page already held, answered twice, is not added again). */
export function joinPage<T>(held: T[], next: Paged<T>): T[] {
  if (next.offset === 0) return next.rows;
  return [...held.slice(0, next.offset), ...next.rows];
}

/** Reads `load(0)` whenever `deps` change and `load(rows read)` on `more()`. Answers to an older
 * set of filters are dropped, so a slow first page never lands over a newer one. */
export function usePages<T, P extends Paged<T>>(load: (offset: number) => Promise<P>, deps: unknown[]) {
  const [first, setFirst] = useState<P | null>(null);
  const [rows, setRows] = useState<T[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setBusy(false);
    load(0).then(
      (page) => {
        if (mine !== generation.current) return;
        setFirst(page);
        setRows(page.rows);
        setError(null);
      },
      (e) => mine === generation.current && setError(errorOf(e)),
    );
  }, deps);

  const more = () => {
    if (busy || !rows) return;
    const mine = generation.current;
    setBusy(true);
    load(rows.length).then(
      (page) => {
        if (mine !== generation.current) return;
        setFirst((f) => (f ? { ...f, total: page.total } : f));
        setRows((held) => joinPage(held ?? [], page));
        setBusy(false);
      },
      (e) => {
        if (mine !== generation.current) return;
        setError(errorOf(e));
        setBusy(false);
      },
    );
  };

  return { first, rows, error, busy, more };
}

/** Under a list read in pages: how many are shown and a button for the next page. */
export function ShowMore(props: { shown: number; total: number; page: number; noun: string; busy: boolean; onMore: () => void }) {
  if (props.shown >= props.total) return null;
  const next = Math.min(props.page, props.total - props.shown);
  return (
    <div class="show-more">
      <span class="muted" data-field="shown">
        Showing {props.shown.toLocaleString()} of {props.total.toLocaleString()} {props.noun}
      </span>
      <button type="button" class="secondary" disabled={props.busy} onClick={props.onMore}>
        {props.busy ? "Loading…" : `Show ${next.toLocaleString()} more`}
      </button>
    </div>
  );
}
