import { assert, test } from "vitest";
import { alertSentence, firstAlerts } from "../../components/failed-payouts-banner.tsx";
import { consequence, draftOf, ordinal, scheduleOf, sharedDate, type Draft } from "./schedule.tsx";

const draft = (d: Partial<Draft>): Draft => ({ interval: "weekly", delay: "2", weekly: "friday", monthly: "1", ...d });

test("the form starts from the current schedule", () => {
  assert.deepEqual(draftOf({ interval: "weekly", delay_days: 3, weekly_anchor: "tuesday", monthly_anchor: null }), {
    interval: "weekly",
    delay: "3",
    weekly: "tuesday",
    monthly: "1",
  });
  assert.deepEqual(draftOf({ interval: "monthly", delay_days: 7, weekly_anchor: null, monthly_anchor: 31 }), {
    interval: "monthly",
    delay: "7",
    weekly: "friday",
    monthly: "31",
  });
});

test("anchors are sent only for their interval", () => {
  assert.deepEqual(scheduleOf(draft({ interval: "weekly", monthly: "15" })), {
    schedule: { interval: "weekly", delay_days: 2, weekly_anchor: "friday", monthly_anchor: null },
  });
  assert.deepEqual(scheduleOf(draft({ interval: "monthly", monthly: "15" })), {
    schedule: { interval: "monthly", delay_days: 2, weekly_anchor: null, monthly_anchor: 15 },
  });
  assert.deepEqual(scheduleOf(draft({ interval: "daily", delay: " 4 " })), {
    schedule: { interval: "daily", delay_days: 4, weekly_anchor: null, monthly_anchor: null },
  });
  assert.deepEqual(scheduleOf(draft({ interval: "manual" })), {
    schedule: { interval: "manual", delay_days: 2, weekly_anchor: null, monthly_anchor: null },
  });
});

test("out-of-range numbers go to Rust; only non-numbers stop here", () => {
  assert.deepEqual(scheduleOf(draft({ interval: "monthly", monthly: "32" })), {
    schedule: { interval: "monthly", delay_days: 2, weekly_anchor: null, monthly_anchor: 32 },
  });
  assert.equal("schedule" in scheduleOf(draft({ delay: "0" })), true);
  for (const delay of ["", "-1", "2.5", "two", "99999999999"]) {
    assert.equal("error" in scheduleOf(draft({ delay })), true, delay);
  }
  assert.equal("error" in scheduleOf(draft({ interval: "monthly", monthly: "" })), true);
  // A day of the month left odd while another interval is chosen does not matter.
  assert.equal("schedule" in scheduleOf(draft({ interval: "weekly", monthly: "" })), true);
});

test("the consequence of each interval", () => {
  assert.equal(
    consequence({ interval: "weekly", delay_days: 2, weekly_anchor: "friday", monthly_anchor: null }),
    "Money from each payment becomes available after 2 days and is paid out every Friday.",
  );
  assert.equal(
    consequence({ interval: "daily", delay_days: 1, weekly_anchor: null, monthly_anchor: null }),
    "Money from each payment becomes available after 1 day and is paid out every day.",
  );
  assert.equal(
    consequence({ interval: "monthly", delay_days: 7, weekly_anchor: null, monthly_anchor: 15 }),
    "Money from each payment becomes available after 7 days and is paid out on the 15th of each month.",
  );
  assert.match(consequence({ interval: "monthly", delay_days: 7, weekly_anchor: null, monthly_anchor: 31 }), /31st of each month \(or on the last day/);
  assert.equal(
    consequence({ interval: "manual", delay_days: 2, weekly_anchor: null, monthly_anchor: null }),
    "No payouts will be sent until someone sends one by hand.",
  );
});

test("ordinals", () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal), ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]);
});

test("one payout day for every currency, or none for manual payouts", () => {
  const m = { amount: 1, currency: "usd", exponent: 2 };
  assert.equal(sharedDate([]), null);
  assert.equal(sharedDate([{ date: 100, amount: m, basis: "" }, { date: 100, amount: m, basis: "" }]), 100);
  assert.equal(sharedDate([{ date: null, amount: m, basis: "" }]), null);
  assert.equal(sharedDate([{ date: 100, amount: m, basis: "" }, { date: 200, amount: m, basis: "" }]), "mixed");
});

const payout = {
  id: "po_1",
  account: "acct_1",
  gateway: "stripe" as const,
  account_name: "Sakura Kitchen Shibuya",
  amount: { amount: 1284000, currency: "jpy", exponent: 0 },
  status: "failed",
  status_label: "Failed",
  arrival_date: 0,
  created: 0,
  method: "standard",
  automatic: true,
  bank: "MUFG ••••4321",
  failure_code: "account_closed",
  failure_message: "The bank account has been closed.",
};

test("a failed payout in one sentence", () => {
  assert.equal(
    alertSentence(payout, "en-US"),
    "Payout of ¥1,284,000 to MUFG ••••4321 for Sakura Kitchen Shibuya failed: The bank account has been closed.",
  );
  assert.match(alertSentence({ ...payout, bank: null }, "en-US"), / to the bank account for /);
});

test("at most three alerts, then how many more", () => {
  assert.deepEqual(firstAlerts([1, 2]), { shown: [1, 2], more: 0 });
  assert.deepEqual(firstAlerts([1, 2, 3, 4, 5]), { shown: [1, 2, 3], more: 2 });
});
