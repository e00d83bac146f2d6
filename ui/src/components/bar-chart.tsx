// A small SVG bar chart of money per week or month, drawn here (no chart library): bars with their
// date and amount in a tooltip, a y axis of 3–4 gridlines in the currency, abbreviated dates below
// (some skipped when crowded), and failed payouts marked above their bar in red with words.

import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { formatMoney, locale } from "../lib/format";
import type { ChartBucket, ChartPoint } from "../api";

/** The bucket and bar types are the generated ones (from the Rust views). */
export type Bucket = ChartBucket;
export type BarPoint = ChartPoint;

// ----- Pure helpers (unit-tested) -----

/** Gridline values from 0 to the first "nice" value at or above `max` (1, 2, 2.5 or 5 × 10ⁿ
 * steps, never below 1 minor unit): 3 or 4 lines including 0. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / 3;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // Whole minor units only: no 2.5-cent steps.
  const steps = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).filter((s) => s >= 1 && Number.isInteger(s));
  const step = steps.find((s) => s >= raw) ?? Math.max(1, Math.ceil(raw));
  const intervals = Math.max(2, Math.ceil(max / step - 1e-9));
  return Array.from({ length: intervals + 1 }, (_, i) => i * step);
}

/** Label every n-th bar so labels at least `spacing` pixels apart fit in `width`. */
export function labelEvery(bars: number, width: number, spacing = 64): number {
  if (bars <= 0) return 1;
  const fit = Math.max(1, Math.floor(width / spacing));
  return Math.max(1, Math.ceil(bars / fit));
}

/** "$12K", "¥1.3M": short money for axis labels. */
export function compactMoney(minor: number, currency: string, exponent: number, loc: string = locale()): string {
  return new Intl.NumberFormat(loc, {
    style: "currency",
    currency: currency.toUpperCase(),
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(minor / 10 ** exponent);
}

/** "Mar 2" for weeks, "Mar" (with the year when the chart spans years) for months. Bucket starts
 * are UTC days, so they are read in UTC: the bar of March 2 never says March 1. */
export function axisDate(start: number, bucket: Bucket, withYear: boolean, loc: string = locale()): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === "week" ? { month: "short", day: "numeric", timeZone: "UTC" } : { month: "short", timeZone: "UTC" };
  if (withYear && bucket === "month") options.year = "numeric";
  return new Intl.DateTimeFormat(loc, options).format(new Date(start * 1000));
}

/** "Week of Mar 2, 2026" or "March 2026". */
export function periodWords(start: number, bucket: Bucket, loc: string = locale()): string {
  const date = new Date(start * 1000);
  if (bucket === "week") return `Week of ${new Intl.DateTimeFormat(loc, { dateStyle: "medium", timeZone: "UTC" }).format(date)}`;
  return new Intl.DateTimeFormat(loc, { month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString(locale())} ${n === 1 ? one : many}`;
}

/** A bar's tooltip: "Week of Mar 2, 2026: $12,345.67 paid in 5 payouts; 1 payout failed". */
export function barTitle(p: BarPoint, currency: string, exponent: number, bucket: Bucket, loc: string = locale()): string {
  const paid = formatMoney({ amount: p.paid, currency, exponent }, loc);
  const failed = p.failed > 0 ? `; ${plural(p.failed, "payout", "payouts")} failed` : "";
  return `${periodWords(p.start, bucket, loc)}: ${paid} paid in ${plural(p.count, "payout", "payouts")}${failed}`;
}

// ----- The chart -----

const HEIGHT = 220;
const TOP = 24;
const BOTTOM = 26;
const RIGHT = 8;

export function BarChart(props: { points: BarPoint[]; currency: string; exponent: number; bucket: Bucket; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const { points, currency, exponent, bucket } = props;
  const max = Math.max(0, ...points.map((p) => p.paid));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const tickLabels = ticks.map((t) => compactMoney(t, currency, exponent));
  const left = Math.max(...tickLabels.map((l) => l.length)) * 7 + 14;
  // Before the first measurement (or while hidden) draw at a typical width; it is redrawn at the
  // real one before it is painted.
  const drawWidth = width > 0 ? width : 800;
  const plotWidth = Math.max(0, drawWidth - left - RIGHT);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const band = points.length ? plotWidth / points.length : 0;
  const barWidth = Math.max(2, Math.min(44, band * 0.66));
  const every = labelEvery(points.length, plotWidth, bucket === "week" ? 56 : 64);
  const years = new Set(points.map((p) => new Date(p.start * 1000).getUTCFullYear()));
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;

  return (
    <div ref={box} class="bar-chart" style={{ height: `${HEIGHT}px` }}>
      <svg width={drawWidth} height={HEIGHT} viewBox={`0 0 ${drawWidth} ${HEIGHT}`} role="img" aria-label={props.label}>
        <g class="grid">
          {ticks.map((t, i) => (
            <g key={t}>
              <line x1={left} x2={drawWidth - RIGHT} y1={y(t)} y2={y(t)} class={t === 0 ? "baseline" : "gridline"} />
              <text x={left - 8} y={y(t)} dy="0.32em" text-anchor="end" class="axis-label">
                {tickLabels[i]}
              </text>
            </g>
          ))}
        </g>
        {points.map((p, i) => {
          const cx = left + i * band + band / 2;
          const barTop = y(p.paid);
          const h = Math.max(0, TOP + plotHeight - barTop);
          const title = barTitle(p, currency, exponent, bucket);
          return (
            <g key={p.start}>
              <rect
                class="bar"
                data-start={p.start}
                data-paid={p.paid}
                x={cx - barWidth / 2}
                y={barTop}
                width={barWidth}
                height={h}
                rx={Math.min(3, barWidth / 4)}
              >
                <title>{title}</title>
              </rect>
              {p.failed > 0 && (
                <g class="failed-mark" transform={`translate(${cx} ${Math.max(9, barTop - 11)})`}>
                  <title>{`${periodWords(p.start, bucket)}: ${plural(p.failed, "payout", "payouts")} failed`}</title>
                  <circle r="8" />
                  <text dy="0.35em" text-anchor="middle">
                    {p.failed > 9 ? "9+" : p.failed}
                  </text>
                </g>
              )}
              {i % every === 0 && (
                <text x={cx} y={HEIGHT - 8} text-anchor="middle" class="axis-label">
                  {axisDate(p.start, bucket, years.size > 1)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
