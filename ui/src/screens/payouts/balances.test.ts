import { assert, test } from "vitest";
import type { BalanceLine, ScopeBalance_Serialize } from "../../api";
import { oldestSync, rangeWords, syncedWords, totalsByCurrency, visibleScopes } from "./balances.tsx";

const money = (amount: number, currency: string) => ({ amount, currency, exponent: currency === "jpy" ? 0 : 2 });
const line = (currency: string, available: number, pending = 0): BalanceLine => ({
  currency,
  available: money(available, currency),
  pending: money(pending, currency),
  connect_reserved: money(0, currency),
  instant_available: money(0, currency),
});
const scope = (account: string, lines: BalanceLine[], synced_at: string | null = null): ScopeBalance_Serialize => ({
  account,
  name: account === "" ? "Platform" : `Restaurant ${account}`,
  country: null,
  lines,
  synced_at,
});

const scopes = [
  scope("", [line("usd", 1000, 50), line("eur", 200)], "2026-11-26T11:00:00Z"),
  scope("acct_1", [line("usd", 2500, 100)], "2026-11-26T10:00:00Z"),
  scope("acct_2", [line("jpy", 128400, 3000), line("eur", 99)], "2026-11-26T11:30:00Z"),
];

test("the picked account only, or every scope", () => {
  assert.equal(visibleScopes(scopes, null).length, 3);
  assert.deepEqual(visibleScopes(scopes, "").map((s) => s.account), [""]);
  assert.deepEqual(visibleScopes(scopes, "acct_2").map((s) => s.account), ["acct_2"]);
  assert.deepEqual(visibleScopes(scopes, "acct_9"), []);
});

test("totals add only amounts of the same currency", () => {
  const totals = totalsByCurrency(scopes);
  assert.deepEqual(
    totals.map((t) => [t.currency, t.available.amount, t.pending.amount, t.available.exponent]),
    [
      ["usd", 3500, 150, 2],
      ["eur", 299, 0, 2],
      ["jpy", 128400, 3000, 0],
    ],
  );
  for (const t of totals) {
    for (const m of [t.available, t.pending, t.connect_reserved, t.instant_available]) assert.equal(m.currency, t.currency);
  }
});

test("totals do not change the scopes they add up", () => {
  totalsByCurrency(scopes);
  assert.equal(scopes[0].lines[0].available.amount, 1000);
});

test("the oldest sync time stands for the whole table", () => {
  assert.equal(oldestSync(scopes), "2026-11-26T10:00:00Z");
  assert.equal(oldestSync([scope("", [])]), null);
});

test("history range in words", () => {
  assert.equal(rangeWords(0, 50, 812, "en-US"), "1–50 of 812");
  assert.equal(rangeWords(800, 12, 812, "en-US"), "801–812 of 812");
  assert.equal(rangeWords(1000, 50, 1812, "en-US"), "1,001–1,050 of 1,812");
  assert.equal(rangeWords(0, 0, 0, "en-US"), "0 of 0");
  assert.equal(rangeWords(0, 50, 1000, "en-US", true), "1–50 of more than 1,000");
  assert.equal(rangeWords(1000, 50, 2000, "de-DE", true), "1.001–1.050 of more than 2.000");
});

test("synced words", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  assert.equal(syncedWords("2026-11-26T11:59:50Z", now, "en-US"), "Synced just now");
  assert.equal(syncedWords("2026-11-26T11:57:00Z", now, "en-US"), "Synced 3 minutes ago");
});
