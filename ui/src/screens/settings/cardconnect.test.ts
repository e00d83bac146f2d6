import { assert, test } from "vitest";
import type { CardConnectView_Serialize } from "../../api";
import { blankRow, draftOf, formOf, savedSentence, siteAddress, whereIs, type Row } from "./cardconnect.tsx";

const row = (merchid: string, name: string, currency = ""): Row => ({ ...blankRow(), merchid, name, currency });

const stored: CardConnectView_Serialize = {
  configured: true,
  demo: false,
  site: "harborvine",
  api_user: "harbor_api",
  base_url: "https://harborvine.cardconnect.com",
  merchants: [
    { merchid: "496400000113", name: "Lakeside Kitchen", currency: "usd" },
    { merchid: "496400000114", name: "Vine Street Taqueria", currency: null },
  ],
};

test("the address a site makes is read as the core reads it", () => {
  assert.equal(siteAddress("fts-uat"), "https://fts-uat.cardconnect.com");
  assert.equal(siteAddress(" Harborvine "), "https://harborvine.cardconnect.com");
  assert.equal(siteAddress("https://harborvine.cardconnect.com/cardconnect/rest"), "https://harborvine.cardconnect.com");
  for (const bad of ["", "  ", "a b", "-x", "x-", "x.y", "evil.com/", "https://", "a".repeat(64)]) {
    assert.isNull(siteAddress(bad), bad);
  }
});

test("a stored set-up fills the form, never with a password", () => {
  const draft = draftOf(stored);
  assert.equal(draft.site, "harborvine");
  assert.equal(draft.apiUser, "harbor_api");
  assert.equal(draft.password, "");
  assert.deepEqual(
    draft.rows.map((r) => [r.merchid, r.name, r.currency]),
    [
      ["496400000113", "Lakeside Kitchen", "USD"],
      ["496400000114", "Vine Street Taqueria", ""],
    ],
  );
  assert.notEqual(draft.rows[0]!.key, draft.rows[1]!.key);
});

test("nothing stored, or the read-only demo site, starts an empty form with one row", () => {
  for (const view of [null, { ...stored, configured: false, site: null, api_user: null, merchants: [] }, { ...stored, demo: true }]) {
    const draft = draftOf(view);
    assert.deepEqual([draft.site, draft.apiUser, draft.password], ["", "", ""]);
    assert.equal(draft.rows.length, 1);
    assert.deepEqual([draft.rows[0]!.merchid, draft.rows[0]!.name], ["", ""]);
  }
});

test("the form sends trimmed fields, drops empty rows and leaves the default currency to the core", () => {
  const form = formOf({
    site: " harborvine ",
    apiUser: " harbor_api ",
    password: " pass with spaces ",
    rows: [row(" 496400000113 ", " Lakeside ", "EUR"), row("", "", ""), row("496400000114", "Taqueria", " ")],
  });
  assert.deepEqual(form, {
    site: "harborvine",
    api_user: "harbor_api",
    // The password is sent exactly as typed: spaces may be part of it.
    password: " pass with spaces ",
    merchants: [
      { merchid: "496400000113", name: "Lakeside", currency: "EUR" },
      { merchid: "496400000114", name: "Taqueria", currency: null },
    ],
  });
  // A half-filled row is sent, so that the core names what it lacks.
  assert.deepEqual(formOf({ site: "x", apiUser: "u", password: "p", rows: [row("", "Lakeside")] }).merchants, [
    { merchid: "", name: "Lakeside", currency: null },
  ]);
});

test("each refusal is shown beside the field it is about", () => {
  const rows = [row("496400000113", "Lakeside"), row("496499999999", "Ghost Diner")];
  const at = (code: Parameters<typeof whereIs>[0]["code"], message: string, field: string | null = null) =>
    whereIs({ code, message, field }, rows);
  assert.deepEqual(
    at("key_rejected", "CardPointe did not accept the API user name and password (HTTP 401). Check them…", "password"),
    { field: "credentials" },
  );
  assert.deepEqual(at("offline", "Could not reach the CardPointe Gateway at https://x.cardconnect.com (dns)."), { field: "site" });
  assert.deepEqual(at("invalid_base_url", "The CardPointe address is not usable: no host. Nothing was sent.", "site"), {
    field: "site",
  });
  assert.deepEqual(
    at("invalid_input", "CardPointe does not know merchant ID 496499999999 (Ghost Diner) on site harborvine.", "merchants"),
    { field: "row", row: 1 },
  );
  assert.deepEqual(at("invalid_input", "Check the merchants: merchant ID 496400000113 is listed twice.", "merchants"), {
    field: "row",
    row: 0,
  });
  assert.deepEqual(
    whereIs(
      {
        code: "invalid_input",
        message: 'Check the merchants: "4964x" is not a CardPointe merchant ID (6 to 16 digits).',
        field: "merchants",
      },
      [...rows, row("4964x", "Typo")],
    ),
    { field: "row", row: 2 },
  );
  assert.deepEqual(at("invalid_input", "Check the merchants: add the merchant ID of at least one restaurant.", "merchants"), {
    field: "merchants",
  });
  assert.deepEqual(at("invalid_input", "Check the site: enter the CardPointe site name CardConnect gave you.", "site"), {
    field: "site",
  });
  assert.deepEqual(at("invalid_input", "Check the password: enter the API password.", "password"), { field: "password" });
  assert.deepEqual(at("invalid_input", "The CardPointe API user name is empty.", "api_user"), { field: "api_user" });
  // Words alone never place a message: without a field it goes beside the button.
  assert.deepEqual(at("invalid_input", "Check the site and the password: merchant ID 496400000113."), { field: "form" });
  assert.deepEqual(at("invalid_input", "Demo mode shows the demo CardConnect restaurants.", "cardconnect"), { field: "form" });
  assert.deepEqual(at("keyring_unavailable", "No keyring. Merchant Desk keeps keys only in the system keyring…"), { field: "form" });
  assert.deepEqual(at("card_connect_error", "CardPointe answered HTTP 500."), { field: "form" });
});

test("saving says where the password went", () => {
  assert.match(savedSentence(stored), /both restaurants on site harborvine\. The password is stored in the system keyring\.$/);
  assert.match(savedSentence({ ...stored, merchants: [...stored.merchants, ...stored.merchants] }), /knows all 4 restaurants/);
  assert.match(savedSentence({ ...stored, merchants: [stored.merchants[0]!] }), /knows its restaurant/);
});
