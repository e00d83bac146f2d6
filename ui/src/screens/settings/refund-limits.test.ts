import { assert, test } from "vitest";
import {
  changeSentence,
  changesBetween,
  currencyOf,
  defaultLimit,
  exponentOf,
  limitOf,
  limitText,
  majorText,
  parseMajor,
  withLimit,
  type Limit,
  type RowDraft,
} from "./refund-limits.tsx";

const amount = (typed: string, currency: string) => {
  const parsed = parseMajor(typed, currency);
  return "amount" in parsed ? parsed.amount : parsed.error;
};

test("each currency has the decimals the core gives it", () => {
  for (const c of ["usd", "EUR", "gbp", "cad"]) assert.equal(exponentOf(c), 2, c);
  for (const c of ["jpy", "KRW", "vnd", "clp", "xof"]) assert.equal(exponentOf(c), 0, c);
  for (const c of ["bhd", "jod", "KWD", "omr", "tnd"]) assert.equal(exponentOf(c), 3, c);
  assert.equal(defaultLimit("staff", "usd"), 5000);
  assert.equal(defaultLimit("staff", "jpy"), 50);
  assert.equal(defaultLimit("staff", "kwd"), 50000);
  assert.isNull(defaultLimit("manager", "usd"));
  assert.isNull(defaultLimit("platform_admin", "jpy"));
});

test("a limit typed in major units becomes minor units per currency", () => {
  assert.equal(amount("75.00", "usd"), 7500);
  assert.equal(amount("75", "usd"), 7500);
  assert.equal(amount("75.5", "usd"), 7550);
  assert.equal(amount(" 200.00 ", "USD"), 20000);
  assert.equal(amount("0", "usd"), 0);
  assert.equal(amount("0.01", "eur"), 1);
  assert.equal(amount("5000", "jpy"), 5000);
  assert.equal(amount("12.5", "kwd"), 12500);
  assert.equal(amount("12.345", "kwd"), 12345);
  assert.equal(amount("0075.10", "gbp"), 7510);
});

test("a limit the currency cannot hold is refused with a sentence, never rounded", () => {
  assert.equal(amount("12.505", "usd"), "USD amounts have at most 2 decimals; 12.505 has 3.");
  assert.equal(amount("5000.5", "jpy"), "JPY has no decimals: type a whole amount, like 5000.");
  assert.match(amount("1.2345", "kwd") as string, /at most 3 decimals/);
  assert.match(amount("", "usd") as string, /like 75\.00, or tick No limit/);
  assert.match(amount("", "jpy") as string, /like 5000,/);
  assert.match(amount("-5", "usd") as string, /zero or more/);
  for (const bad of ["$75", "75,00", "1,000", "7 5", ".5", "5.", "abc", "1e3", "--5", "+5"]) {
    assert.match(amount(bad, "usd") as string, /is not an amount/, bad);
  }
  assert.match(amount("99999999999999999", "usd") as string, /more than any refund/);
  assert.match(amount("11258999068427", "usd") as string, /more than any refund/);
  assert.equal(amount("11258999068426", "usd"), 1125899906842600);
});

test("minor units read back as the text a person types", () => {
  assert.equal(majorText(7500, "usd"), "75.00");
  assert.equal(majorText(5, "usd"), "0.05");
  assert.equal(majorText(0, "eur"), "0.00");
  assert.equal(majorText(5000, "jpy"), "5000");
  assert.equal(majorText(12345, "kwd"), "12.345");
  for (const [typed, c] of [["75.00", "usd"], ["5000", "jpy"], ["0.050", "bhd"]] as const) {
    assert.equal(majorText(amount(typed, c) as number, c), typed);
  }
});

test("currencies are three letters, kept lower-case", () => {
  assert.equal(currencyOf(" USD "), "usd");
  assert.equal(currencyOf("jpy"), "jpy");
  for (const bad of ["", "US", "USDT", "U$D", "12 "]) assert.isNull(currencyOf(bad), bad);
});

test("limits are formatted in the currency with the locale", () => {
  assert.equal(limitText(7500, "usd", "en-US"), "$75.00");
  assert.equal(limitText(500000, "jpy", "en-US"), "¥500,000");
  assert.equal(limitText(7500, "eur", "de-DE"), "75,00\u00a0€");
  assert.equal(limitText(null, "usd", "en-US"), "No limit");
});

const row = (change: Partial<RowDraft>): RowDraft => ({ original: null, role: "staff", currency: "USD", amount: "75.00", noLimit: false, ...change });
const set: Limit[] = [
  { role: "staff", currency: "usd", amount: 7500 },
  { role: "manager", currency: "usd", amount: 20000 },
];

test("the row form makes a limit, or says which field is wrong", () => {
  assert.deepEqual(limitOf(row({ currency: "eur" }), set), { limit: { role: "staff", currency: "eur", amount: 7500 } });
  assert.deepEqual(limitOf(row({ currency: "JPY", amount: "5000" }), set), { limit: { role: "staff", currency: "jpy", amount: 5000 } });
  assert.deepEqual(limitOf(row({ role: "owner", noLimit: true, amount: "junk" }), set), { limit: { role: "owner", currency: "usd", amount: null } });
  assert.deepEqual(limitOf(row({ role: "owner", amount: "12.505" }), set), { field: "amount", message: "USD amounts have at most 2 decimals; 12.505 has 3." });
  assert.equal((limitOf(row({ currency: "dollars" }), set) as { field: string }).field, "currency");
  assert.equal((limitOf(row({ currency: "" }), set) as { field: string }).field, "currency");
  // A second staff limit in USD is refused; editing the one there is not a duplicate.
  assert.deepEqual(limitOf(row({}), set), { field: "currency", message: "Staff already has a limit in USD: edit that row instead." });
  const edited = limitOf(row({ original: { role: "staff", currency: "usd" }, amount: "80" }), set);
  assert.deepEqual(edited, { limit: { role: "staff", currency: "usd", amount: 8000 } });
  assert.deepEqual(withLimit(set, { role: "staff", currency: "usd" }, { role: "staff", currency: "usd", amount: 8000 }), [
    { role: "staff", currency: "usd", amount: 8000 },
    { role: "manager", currency: "usd", amount: 20000 },
  ]);
});

test("the confirmation restates each change against what is in force", () => {
  const draft: Limit[] = [
    { role: "manager", currency: "usd", amount: 25000 },
    { role: "staff", currency: "jpy", amount: 10000 },
    { role: "owner", currency: "eur", amount: null },
  ];
  const changes = changesBetween(set, draft);
  assert.deepEqual(
    changes.map((c) => changeSentence(c, "en-US")),
    [
      "Staff in JPY: ¥50 (default) → ¥10,000",
      "Staff in USD: $75.00 → $50.00 (default)",
      "Manager in USD: $200.00 → $250.00",
      "Owner in EUR: no limit (default) → no limit",
    ],
  );
  assert.deepEqual(changesBetween(set, [...set].reverse()), []);
  assert.deepEqual(
    changesBetween([], set).map((c) => changeSentence(c, "en-US")),
    ["Staff in USD: $50.00 (default) → $75.00", "Manager in USD: no limit (default) → $200.00"],
  );
});
