//! Months of restaurant life, made with the same operations the API runs: card payments every day
//! (some declined, some authorized and captured later), refunds, disputes in every status with due
//! dates near and far, transfers, and automatic payouts on each account's schedule (a few of which
//! the bank rejects). Each payment has its order number and its guest's email (`receipt_email`).
//! Deterministic for a seed and the time of day it starts at, whatever the date: midnights (payouts,
//! settlements) fall at other points of the history at another hour, and the IDs they draw shift
//! what follows. Account IDs, drawn first, never change.

use serde_json::{json, Map, Value};

use super::{AccountSpec, Standing};
use crate::ledger::{self, Movement};
use crate::ops::payments::{self, NewIntent};
use crate::ops::{clock, disputes, refunds, transfers};
use crate::state::State;

/// Days of history in demo mode.
pub const DEMO_DAYS: i64 = 75;

const DAY: i64 = 86_400;

/// The platform's balance before the history starts (earlier fees and funds).
pub fn opening_balances(state: &mut State) {
    for (currency, amount) in
        [("usd", 1_842_317), ("eur", 402_290), ("gbp", 96_540), ("jpy", 1_284_000), ("cad", 51_200)]
    {
        ledger::record(
            state,
            Movement {
                scope: None,
                kind: "adjustment",
                reporting_category: "other_adjustment",
                amount,
                currency: currency.to_string(),
                fees: vec![],
                source: None,
                description: Some("Opening balance".into()),
                available_on: None,
            },
        );
    }
    state.funds_mut(&None, "usd").connect_reserved = 25_000;
}

/// Payout schedules by position in the group: most daily, some weekly or monthly.
fn schedule(index: usize, country: &str) -> Value {
    let delay = if country == "US" { 2 } else { 7 };
    match index {
        5 => json!({ "delay_days": delay, "interval": "weekly", "weekly_anchor": "friday" }),
        6 => json!({ "delay_days": delay, "interval": "weekly", "weekly_anchor": "monday" }),
        8 => json!({ "delay_days": delay, "interval": "monthly", "monthly_anchor": 1 }),
        11 => json!({ "delay_days": delay, "interval": "manual" }),
        _ => json!({ "delay_days": delay, "interval": "daily" }),
    }
}

pub(super) fn takes_payments(spec: &AccountSpec<'_>) -> bool {
    matches!(spec.standing, Standing::Active | Standing::Restricted)
}

const DISHES: &[&str] = &[
    "Dinner for two",
    "Lunch",
    "Brunch, table 6",
    "Takeout order",
    "Tasting menu",
    "Bar tab",
    "Private dining deposit",
    "Catering order",
];

/// The group's recurring guests, so a search by email finds a guest's visits across restaurants.
pub const GUESTS: &[&str] = &[
    "sam.rivera@example.com",
    "priya.nair@example.com",
    "jordan.lee@example.com",
    "maria.gonzalez@example.com",
    "chen.wei@example.com",
    "olivia.brown@example.com",
    "tom.becker@example.com",
    "aiko.tanaka@example.com",
];

/// The guest who paid order `order`: read from the number, so giving payments an email draws no
/// random number and the rest of the history stays as it was.
pub fn guest_email(order: i64) -> &'static str {
    GUESTS[order.rem_euclid(GUESTS.len() as i64) as usize]
}

/// Runs `days` days of business, ending at the present.
pub fn run(state: &mut State, accounts: &[(String, AccountSpec<'static>)], days: i64) {
    for (index, (id, spec)) in accounts.iter().enumerate() {
        if let Some(account) = state.get_mut(&None, id) {
            account["settings"]["payouts"]["schedule"] = schedule(index, spec.country);
        }
    }
    let mut order = 1_000;
    let mut refunds_due: Vec<(i64, String, String, i64)> = Vec::new();
    for day in 0..days {
        let to_go = days - day;
        let day_start = state.now();
        for (index, (id, spec)) in accounts.iter().enumerate() {
            if !takes_payments(spec) {
                continue;
            }
            let scope = Some(id.clone());
            let count = state.rng().range(2, 5);
            for _ in 0..count {
                order += 1;
                let step = state.rng_range(300, 2_400);
                state.advance_clock(step);
                if let Some((charge, amount)) = payment(state, &scope, spec, index, order) {
                    if state.rng().chance(4) {
                        let refund_day = day + state.rng().range(1, 3);
                        refunds_due.push((refund_day, id.clone(), charge, amount));
                    }
                }
            }
        }
        for (refund_day, id, charge, amount) in refunds_due.clone() {
            if refund_day == day {
                let partial = state.rng().chance(50);
                let req = refunds::NewRefund {
                    charge: Some(charge),
                    amount: partial.then_some(amount / 2),
                    reason: Some("requested_by_customer".into()),
                    metadata: meta(&[("note", if partial { "Dish sent back" } else { "Order cancelled" })]),
                    refund_application_fee: true,
                    ..Default::default()
                };
                let _ = refunds::create(state, &Some(id), req);
            }
        }
        refunds_due.retain(|(d, ..)| *d > day);
        story(state, accounts, to_go, &mut order);
        // The rest of the day passes; payouts, settlements and disputes move on at midnight.
        let spent = state.now() - day_start;
        clock::advance(state, (DAY - spent).max(0));
    }
}

pub(super) fn meta(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), json!(v))).collect()
}

/// One card payment at a restaurant; returns the captured charge and amount.
fn payment(
    state: &mut State,
    scope: &Option<String>,
    spec: &AccountSpec<'_>,
    index: usize,
    order: i64,
) -> Option<(String, i64)> {
    let amount = if crate::zero_decimal(spec.currency) {
        state.rng_range(1_500, 18_000) / 10 * 10
    } else {
        state.rng_range(1_800, 16_500)
    };
    let roll = state.rng().range(0, 99);
    let (payment_method, manual) = match roll {
        0..=2 => ("pm_card_chargeDeclined", false),
        3..=11 => ("pm_card_visa", true),
        12..=30 => ("pm_card_mastercard", false),
        31..=38 => ("pm_card_amex", false),
        _ => ("pm_card_visa", false),
    };
    let dish = DISHES[state.rng().range(0, DISHES.len() as i64 - 1) as usize];
    let req = NewIntent {
        amount,
        currency: spec.currency.to_string(),
        capture_manual: manual,
        payment_method: Some(payment_method.into()),
        confirm: true,
        application_fee_amount: Some(amount * 2 / 100),
        metadata: meta(&[("order_number", &format!("HV-{:02}-{order}", index + 1)), ("location", spec.name)]),
        description: Some(dish.into()),
        receipt_email: Some(guest_email(order).into()),
        ..Default::default()
    };
    let intent = payments::create_intent(state, scope, req).ok()?;
    let id = intent["id"].as_str()?.to_string();
    let captured = if manual {
        // Authorized at the table, captured when the bill is settled (sometimes for less).
        let capture = if state.rng().chance(25) { amount * 9 / 10 } else { amount };
        payments::capture_intent(state, scope, &id, Some(capture), Some(capture * 2 / 100)).ok()?;
        capture
    } else {
        amount
    };
    Some((intent["latest_charge"].as_str()?.to_string(), captured))
}

/// Scripted moments, so the demo shows disputes in every status, failed payouts and transfers.
fn story(state: &mut State, accounts: &[(String, AccountSpec<'static>)], days_to_go: i64, order: &mut i64) {
    let id = |i: usize| accounts[i].0.clone();
    let spec = |i: usize| accounts[i].1.clone();
    let mut disputed_charge = |state: &mut State, i: usize, amount: i64| -> Option<Value> {
        *order += 1;
        let req = NewIntent {
            amount,
            currency: spec(i).currency.to_string(),
            payment_method: Some("pm_card_visa".into()),
            confirm: true,
            application_fee_amount: Some(amount * 2 / 100),
            metadata: meta(&[("order_number", &format!("HV-{:02}-{}", i + 1, *order)), ("location", spec(i).name)]),
            description: Some("Dinner for four".into()),
            receipt_email: Some(guest_email(*order).into()),
            ..Default::default()
        };
        let intent = payments::create_intent(state, &Some(id(i)), req).ok()?;
        state.get(&Some(id(i)), intent["latest_charge"].as_str()?).cloned()
    };
    let evidence = |receipt: Option<&str>| -> Map<String, Value> {
        let mut e = meta(&[
            ("customer_name", "J. Alvarez"),
            ("uncategorized_text", "Guest dined in; signed receipt and CCTV confirm the visit."),
        ]);
        if let Some(file) = receipt {
            e.insert("receipt".into(), json!(file));
            e.insert("refund_policy_disclosure".into(), json!("Posted at the entrance and on the menu."));
        }
        e
    };
    match days_to_go {
        40 => {
            // Answered with strong evidence: won after review.
            if let Some(charge) = disputed_charge(state, 0, 18_400) {
                let d = disputes::open_with(state, &Some(id(0)), &charge, "fraudulent", false, 7);
                let dp = d["id"].as_str().unwrap_or_default().to_string();
                let file = receipt_file(state, &Some(id(0)));
                let _ = disputes::update(state, &Some(id(0)), &dp, Some(&evidence(Some(&file))), None, false);
                let _ = disputes::update(state, &Some(id(0)), &dp, None, None, true);
            }
        }
        35 => {
            // Never answered: lost.
            if let Some(charge) = disputed_charge(state, 1, 9_650) {
                disputes::open_with(state, &Some(id(1)), &charge, "product_not_received", false, 7);
            }
        }
        30 => {
            // An inquiry nobody answered: closed as a warning.
            if let Some(charge) = disputed_charge(state, 2, 4_320) {
                disputes::open_with(state, &Some(id(2)), &charge, "general", true, 7);
            }
        }
        20 => {
            state.ledger.failing_banks.insert(Some(id(2)));
            let _ = transfers::create(
                state,
                transfers::NewTransfer {
                    amount: 25_000,
                    currency: "usd".into(),
                    destination: id(1),
                    description: Some("Marketing co-op credit".into()),
                    metadata: meta(&[("campaign", "spring-menu")]),
                    transfer_group: None,
                },
            );
        }
        19 => {
            if let Some(tr) = state.ids(&None, "transfer").last().cloned() {
                let _ = transfers::reverse(state, &tr, Some(5_000), Some("Unused co-op credit".into()), Map::new());
            }
        }
        9 => {
            state.ledger.failing_banks.insert(Some(id(9)));
        }
        8 => {
            // Submitted evidence, still under review.
            if let Some(charge) = disputed_charge(state, 5, 12_800) {
                let d = disputes::open_with(state, &Some(id(5)), &charge, "duplicate", false, 7);
                let dp = d["id"].as_str().unwrap_or_default().to_string();
                let e = meta(&[(
                    "duplicate_charge_explanation",
                    "Two separate visits on the same evening; see both receipts.",
                )]);
                let _ = disputes::update(state, &Some(id(5)), &dp, Some(&e), None, true);
            }
        }
        5 => {
            // Needs a response soon: due in two days.
            if let Some(charge) = disputed_charge(state, 6, 8_700) {
                disputes::open_with(state, &Some(id(6)), &charge, "credit_not_processed", false, 7);
            }
        }
        4 => {
            // An inquiry answered and under review.
            if let Some(charge) = disputed_charge(state, 9, 5_450) {
                let d = disputes::open_with(state, &Some(id(9)), &charge, "general", true, 10);
                let dp = d["id"].as_str().unwrap_or_default().to_string();
                let _ = disputes::update(state, &Some(id(9)), &dp, Some(&evidence(None)), None, true);
            }
        }
        2 => {
            // An inquiry still open.
            if let Some(charge) = disputed_charge(state, 8, 6_125) {
                disputes::open_with(state, &Some(id(8)), &charge, "general", true, 9);
            }
        }
        1 => {
            // A fresh chargeback with plenty of time.
            if let Some(charge) = disputed_charge(state, 0, 23_900) {
                disputes::open_with(state, &Some(id(0)), &charge, "fraudulent", false, 7);
            }
        }
        _ => {}
    }
}

/// A scanned receipt, as if uploaded through `/v1/files`.
fn receipt_file(state: &mut State, scope: &Option<String>) -> String {
    let id = state.new_id("file");
    let now = state.now();
    let file = json!({
        "id": id, "object": "file", "created": now, "expires_at": now + 365 * DAY, "filename": "receipt-table-12.pdf",
        "links": { "object": "list", "data": [], "has_more": false, "url": format!("/v1/file_links?file={id}") },
        "purpose": "dispute_evidence", "size": 48_213, "title": Value::Null, "type": "pdf",
        "url": format!("https://files.stripe.com/v1/files/{id}/contents"),
    });
    state.insert(scope.clone(), "file", file);
    id
}
