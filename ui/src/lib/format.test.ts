import { assert, test } from "vitest";
import { countryName, formatDate, formatDateTime, formatMoney, formatRelative, isValidLocale, requirementInWords } from "./format.ts";

test("money uses the currency's decimals and the locale", () => {
  assert.equal(formatMoney({ amount: 123456, currency: "usd", exponent: 2 }, "en-US"), "$1,234.56");
  assert.equal(formatMoney({ amount: 1284000, currency: "jpy", exponent: 0 }, "en-US"), "¥1,284,000");
  assert.equal(formatMoney({ amount: -310, currency: "eur", exponent: 2 }, "en-US"), "-€3.10");
  assert.equal(formatMoney({ amount: 123456, currency: "eur", exponent: 2 }, "de-DE"), "1.234,56\u00a0€");
  assert.equal(formatMoney({ amount: 1234, currency: "kwd", exponent: 3 }, "en-US"), "KWD\u00a01.234");
});

test("relative times", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  assert.equal(formatRelative("2026-11-26T11:59:50Z", now, "en-US"), "now");
  assert.equal(formatRelative("2026-11-26T11:57:00Z", now, "en-US"), "3 minutes ago");
  assert.equal(formatRelative("2026-11-26T09:00:00Z", now, "en-US"), "3 hours ago");
});

test("requirements in words", () => {
  assert.equal(requirementInWords("representative.verification.document"), "Representative verification document");
});

test("a POSIX locale name is not used as a language tag", () => {
  assert.equal(isValidLocale("C"), false);
  assert.equal(isValidLocale("en-US"), true);
  assert.equal(isValidLocale(undefined), false);
});

test("dates in local time with the zone named", () => {
  assert.equal(formatDateTime("2026-11-26T12:05:00Z", "en-US", "UTC"), "Nov 26, 2026, 12:05 PM UTC");
  assert.equal(formatDateTime(1_795_000_000, "en-GB", "Europe/London"), "18 Nov 2026, 11:06 GMT");
  assert.equal(formatDate(1_795_000_000, "en-US", "UTC"), "Nov 18, 2026");
  assert.equal(countryName("JP", "en-US"), "Japan");
});
