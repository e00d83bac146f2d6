import { assert, test } from "vitest";
import { axisDate, barTitle, compactMoney, labelEvery, niceTicks, periodWords } from "./bar-chart.tsx";

test("3 or 4 round gridlines from zero covering the maximum", () => {
  assert.deepEqual(niceTicks(1_234_567), [0, 500_000, 1_000_000, 1_500_000]);
  assert.deepEqual(niceTicks(900), [0, 500, 1000]);
  assert.deepEqual(niceTicks(3000), [0, 1000, 2000, 3000]);
  assert.deepEqual(niceTicks(0), [0]);
  for (const max of [1, 7, 42, 999, 12_345, 98_765_432, 150, 251, 5_001]) {
    const ticks = niceTicks(max);
    assert.ok(ticks.length >= 3 && ticks.length <= 4, `${max}: ${ticks}`);
    assert.ok(ticks[ticks.length - 1] >= max, `${max}: ${ticks}`);
    assert.ok(Number.isInteger(ticks[1]), `${max}: ${ticks}`);
  }
});

test("crowded labels are skipped", () => {
  assert.equal(labelEvery(11, 800, 64), 1);
  assert.equal(labelEvery(52, 800, 64), 5);
  assert.equal(labelEvery(0, 800, 64), 1);
  assert.equal(labelEvery(10, 10, 64), 10);
});

test("axis money is short and in the currency", () => {
  assert.equal(compactMoney(1_500_000, "usd", 2, "en-US"), "$15K");
  assert.equal(compactMoney(0, "usd", 2, "en-US"), "$0");
  assert.equal(compactMoney(1_250_000, "jpy", 0, "en-US"), "¥1.3M");
});

test("bucket dates are UTC days", () => {
  const monday = Date.UTC(2026, 2, 2) / 1000;
  assert.equal(axisDate(monday, "week", false, "en-US"), "Mar 2");
  assert.equal(axisDate(monday, "month", false, "en-US"), "Mar");
  assert.equal(axisDate(monday, "month", true, "en-US"), "Mar 2026");
  assert.equal(periodWords(monday, "week", "en-US"), "Week of Mar 2, 2026");
  assert.equal(periodWords(monday, "month", "en-US"), "March 2026");
});

test("a bar's title says when, how much, and what failed", () => {
  const start = Date.UTC(2026, 2, 2) / 1000;
  assert.equal(barTitle({ start, paid: 1234567, count: 5, failed: 0 }, "usd", 2, "week", "en-US"), "Week of Mar 2, 2026: $12,345.67 paid in 5 payouts");
  assert.equal(
    barTitle({ start, paid: 98000, count: 1, failed: 2 }, "jpy", 0, "month", "en-US"),
    "March 2026: ¥98,000 paid in 1 payout; 2 payouts failed",
  );
});
