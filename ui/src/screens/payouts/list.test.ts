import { assert, test } from "vitest";
import { chartSummary, nextSort, payoutCount } from "./list.tsx";

test("payout counts in words", () => {
  assert.equal(payoutCount(1204, "en-US"), "1,204 payouts");
  assert.equal(payoutCount(1, "en-US"), "1 payout");
  assert.equal(payoutCount(0, "en-US"), "0 payouts");
});

test("sorting: the same column flips, dates and amounts start biggest first", () => {
  assert.deepEqual(nextSort({ key: "arrival_date", descending: true }, "arrival_date"), { key: "arrival_date", descending: false });
  assert.deepEqual(nextSort({ key: "arrival_date", descending: true }, "amount"), { key: "amount", descending: true });
  assert.deepEqual(nextSort({ key: "amount", descending: true }, "account"), { key: "account", descending: false });
  assert.deepEqual(nextSort({ key: "account", descending: false }, "created"), { key: "created", descending: true });
});

test("the chart's text alternative sums what it shows", () => {
  const week = (d: number) => Date.UTC(2026, 0, d) / 1000;
  const s = {
    currency: "usd",
    exponent: 2,
    points: [
      { start: week(5), paid: 100_000, count: 3, failed: 1 },
      { start: week(12), paid: 0, count: 0, failed: 0 },
      { start: week(19), paid: 23_456, count: 1, failed: 0 },
    ],
  };
  const summary = chartSummary(s, "week", 3, "en-US");
  assert.equal(summary.failed, 1);
  assert.equal(
    summary.text,
    "$1,234.56 paid in 4 payouts, week of Jan 5, 2026 to week of Jan 19, 2026. 1 payout failed. 2 other currencies: pick one above.",
  );
});
