import { assert, test } from "vitest";
import { appendPage, hasMore, PAGE, restaurantsCaption } from "./paging.ts";

test("the caption counts every matching restaurant", () => {
  assert.equal(restaurantsCaption(1, "en-US"), "1 restaurant");
  assert.equal(restaurantsCaption(0, "en-US"), "0 restaurants");
  assert.equal(restaurantsCaption(100000, "en-US"), "100,000 restaurants");
});

test("pages append in order, a restaurant shown once", () => {
  const row = (id: string, gateway = "stripe") => ({ id, gateway });
  const first = Array.from({ length: PAGE }, (_, i) => row(`acct_${i}`));
  const next = [row("acct_99"), row("acct_100"), row("acct_99", "cardconnect")];
  const both = appendPage(first, next);
  assert.equal(both.length, PAGE + 2);
  assert.deepEqual(both.slice(PAGE), [row("acct_100"), row("acct_99", "cardconnect")]);
  assert.isTrue(hasMore(both.length, 250));
  assert.isFalse(hasMore(250, 250));
});
