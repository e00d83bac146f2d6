import { assert, test } from "vitest";
import { arrivalDay, methodWords, payoutStatusWords } from "./payout-status.tsx";

test("statuses and methods in words", () => {
  assert.equal(payoutStatusWords("in_transit"), "In transit");
  assert.equal(payoutStatusWords("canceled"), "Canceled");
  assert.equal(payoutStatusWords("some_new_status"), "some new status");
  assert.equal(methodWords("standard"), "Standard");
  assert.equal(methodWords("instant"), "Instant");
});

test("an arrival day is Stripe's UTC day, whatever the local time zone", () => {
  const midnightUtc = Date.UTC(2026, 10, 28) / 1000;
  assert.equal(arrivalDay(midnightUtc, "en-US"), "Nov 28, 2026");
});
