import { assert, test } from "vitest";
import { pagesOf, pagesToEvict, pagesToFetch, scrollToReveal, targetRow, visibleRange } from "./virtual-table.tsx";

test("the rows in view plus overscan, clamped to the list", () => {
  // 44px rows, 440px of viewport: rows 0–9 visible at the top.
  assert.deepEqual(visibleRange(0, 440, 44, 100_000, 5), { first: 0, last: 15 });
  // Scrolled to row 1,000 exactly.
  assert.deepEqual(visibleRange(44_000, 440, 44, 100_000, 5), { first: 995, last: 1015 });
  // A partly visible row at either edge counts.
  assert.deepEqual(visibleRange(44_000 + 20, 440, 44, 100_000, 0), { first: 1000, last: 1011 });
  // At the very end nothing past the last row.
  assert.deepEqual(visibleRange(44 * 99_990, 440, 44, 100_000, 5), { first: 99_985, last: 100_000 });
  // Short lists and empty ones.
  assert.deepEqual(visibleRange(0, 440, 44, 3, 5), { first: 0, last: 3 });
  assert.deepEqual(visibleRange(0, 440, 44, 0, 5), { first: 0, last: 0 });
  // Overscrolled (elastic scrolling) or scrolled past a list that just shrank.
  assert.deepEqual(visibleRange(-80, 440, 44, 100, 2), { first: 0, last: 12 });
  assert.deepEqual(visibleRange(44 * 500, 440, 44, 20, 2), { first: 17, last: 20 });
  // No height yet: still at least one row.
  assert.deepEqual(visibleRange(0, 0, 44, 100, 0), { first: 0, last: 1 });
});

test("the pages covering a range", () => {
  assert.deepEqual(pagesOf({ first: 0, last: 15 }, 100), [0]);
  assert.deepEqual(pagesOf({ first: 95, last: 115 }, 100), [0, 1]);
  assert.deepEqual(pagesOf({ first: 100, last: 200 }, 100), [1]);
  assert.deepEqual(pagesOf({ first: 199, last: 301 }, 100), [1, 2, 3]);
  assert.deepEqual(pagesOf({ first: 5, last: 5 }, 100), []);
});

test("only pages neither cached nor loading are fetched", () => {
  const known = new Set([0, 2]);
  assert.deepEqual(pagesToFetch({ first: 95, last: 315 }, 100, (p) => known.has(p)), [1, 3]);
  assert.deepEqual(pagesToFetch({ first: 0, last: 40 }, 100, (p) => known.has(p)), []);
});

test("the pages farthest from view are dropped first, never those in view", () => {
  assert.deepEqual(pagesToEvict([0, 1, 2], [1], 5), []);
  assert.deepEqual(pagesToEvict([0, 1, 2, 3, 9, 10], [9, 10], 4), [0, 1]);
  assert.deepEqual(pagesToEvict([4, 5, 6], [4, 5, 6], 1), []);
});

test("revealing a row scrolls as little as possible", () => {
  // Viewport of 10 rows of 40px, scrolled to row 20.
  assert.equal(scrollToReveal(25, 800, 400, 40), 800);
  assert.equal(scrollToReveal(30, 800, 400, 40), 840);
  assert.equal(scrollToReveal(19, 800, 400, 40), 760);
  assert.equal(scrollToReveal(0, 800, 400, 40), 0);
});

test("keyboard moves stay inside the list", () => {
  assert.equal(targetRow("ArrowDown", 4, 10, 8), 5);
  assert.equal(targetRow("ArrowDown", 9, 10, 8), 9);
  assert.equal(targetRow("ArrowUp", 0, 10, 8), 0);
  assert.equal(targetRow("PageDown", 4, 10, 8), 9);
  assert.equal(targetRow("PageUp", 4, 100, 8), 0);
  assert.equal(targetRow("End", 4, 100_000, 8), 99_999);
  assert.equal(targetRow("Home", 400, 100_000, 8), 0);
  assert.equal(targetRow("a", 4, 10, 8), null);
  assert.equal(targetRow("ArrowDown", 0, 0, 8), null);
});
