//! Payouts: manual ones on request, automatic ones on each account's schedule when the clock
//! passes a payout day. A payout moves from pending to in_transit to paid on its arrival date, or
//! fails and the money returns to the balance.

use serde_json::{json, Map, Value};

use super::{find, save};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::{Scope, State};
use crate::ApiError;

#[derive(Debug, Clone, Default)]
pub struct NewPayout {
    pub amount: i64,
    pub currency: String,
    pub instant: bool,
    pub description: Option<String>,
    pub metadata: Map<String, Value>,
    pub statement_descriptor: Option<String>,
}

/// The default bank account of a scope, for `destination`.
fn bank_account(state: &State, scope: &Scope) -> Option<String> {
    let account = scope.as_ref().and_then(|a| state.account(a))?;
    account["external_accounts"]["data"][0]["id"].as_str().map(str::to_string)
}

/// `POST /v1/payouts`: pays out available funds now.
pub fn create(state: &mut State, scope: &Scope, req: NewPayout) -> Result<Value, ApiError> {
    let available = state.funds_mut(scope, &req.currency).available;
    if available < req.amount {
        return Err(ApiError::invalid_state(
            "balance_insufficient",
            format!("You have insufficient funds in your Stripe account for this transfer. Your card balance is too low. You can use the /v1/balance endpoint to view your Stripe balance (available: {available} {}).", req.currency),
        ));
    }
    let automatic = scope
        .as_ref()
        .and_then(|a| state.account(a))
        .is_some_and(|a| a["settings"]["payouts"]["schedule"]["interval"].as_str().unwrap_or("manual") != "manual");
    if automatic && !req.instant {
        return Err(ApiError::invalid_request(
            "You cannot create manual payouts on an account with automatic payouts; set settings[payouts][schedule][interval] to manual first.",
        ));
    }
    if scope.is_some() && bank_account(state, scope).is_none() {
        return Err(ApiError::invalid_state(
            "no_external_account",
            "This account has no bank account in this currency to pay out to.",
        ));
    }
    Ok(book(
        state,
        scope,
        req.amount,
        &req.currency,
        req.instant,
        false,
        req.description,
        req.metadata,
        req.statement_descriptor,
        Vec::new(),
    ))
}

#[allow(clippy::too_many_arguments)]
fn book(
    state: &mut State,
    scope: &Scope,
    amount: i64,
    currency: &str,
    instant: bool,
    automatic: bool,
    description: Option<String>,
    metadata: Map<String, Value>,
    statement_descriptor: Option<String>,
    contents: Vec<String>,
) -> Value {
    let id = state.new_id("po");
    let now = state.now();
    let txn = ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "payout",
            reporting_category: "payout",
            amount: -amount,
            currency: currency.to_string(),
            fees: vec![],
            source: Some(id.clone()),
            description: description.clone().or_else(|| Some("STRIPE PAYOUT".into())),
            available_on: None,
        },
    );
    let arrival = if instant { now } else { ledger::day_start_after(now, 2) };
    let payout = json!({
        "id": id,
        "object": "payout",
        "amount": amount,
        "arrival_date": arrival,
        "automatic": automatic,
        "balance_transaction": txn,
        "created": now,
        "currency": currency,
        "description": description.unwrap_or_else(|| "STRIPE PAYOUT".into()),
        "destination": bank_account(state, scope),
        "failure_balance_transaction": Value::Null,
        "failure_code": Value::Null,
        "failure_message": Value::Null,
        "livemode": false,
        "metadata": metadata,
        "method": if instant { "instant" } else { "standard" },
        "original_payout": Value::Null,
        "reconciliation_status": if automatic { "completed" } else { "not_applicable" },
        "reversed_by": Value::Null,
        "source_type": "card",
        "statement_descriptor": statement_descriptor,
        "status": "pending",
        "type": "bank_account",
    });
    state.insert(scope.clone(), "payout", payout.clone());
    if automatic {
        let mut contents = contents;
        contents.push(txn);
        state.ledger.payout_contents.insert(id, contents);
    }
    emit(state, scope, "payout.created", &payout, None);
    payout
}

/// `POST /v1/payouts/{id}/cancel`: only a pending payout can be canceled; the money returns.
pub fn cancel(state: &mut State, scope: &Scope, id: &str) -> Result<Value, ApiError> {
    let mut payout = find(state, scope, "payout", id, "payout")?;
    if payout["status"] != "pending" {
        return Err(ApiError::invalid_state(
            "payout_not_cancelable",
            format!(
                "Payout {id} cannot be canceled because it is {}.",
                payout["status"].as_str().unwrap_or("not pending")
            ),
        ));
    }
    let amount = payout["amount"].as_i64().unwrap_or(0);
    let currency = payout["currency"].as_str().unwrap_or("usd").to_string();
    ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "payout_cancel",
            reporting_category: "payout_reversal",
            amount,
            currency,
            fees: vec![],
            source: Some(id.to_string()),
            description: None,
            available_on: None,
        },
    );
    payout["status"] = json!("canceled");
    save(state, scope, &payout);
    emit(state, scope, "payout.canceled", &payout, None);
    Ok(payout)
}

/// Moves payouts along: pending → in_transit after a day, → paid (or failed) on arrival.
pub fn advance(state: &mut State) {
    let now = state.now();
    let moving: Vec<(Scope, Value)> = state
        .objects_of_kind("payout")
        .filter(|(_, p)| matches!(p["status"].as_str(), Some("pending" | "in_transit")))
        .map(|(s, p)| (s.clone(), p.clone()))
        .collect();
    for (scope, mut payout) in moving {
        let arrival = payout["arrival_date"].as_i64().unwrap_or(i64::MAX);
        let created = payout["created"].as_i64().unwrap_or(now);
        if payout["status"] == "pending" && (now - created >= 86_400 || arrival <= now) {
            payout["status"] = json!("in_transit");
            save(state, &scope, &payout);
            emit(state, &scope, "payout.updated", &payout, Some(json!({ "status": "pending" })));
        }
        if payout["status"] == "in_transit" && arrival <= now {
            if state.ledger.failing_banks.remove(&scope) {
                fail(state, &scope, &mut payout, "account_closed", "The bank account has been closed.");
            } else {
                payout["status"] = json!("paid");
                save(state, &scope, &payout);
                emit(state, &scope, "payout.paid", &payout, None);
            }
        }
    }
}

fn fail(state: &mut State, scope: &Scope, payout: &mut Value, code: &str, message: &str) {
    let amount = payout["amount"].as_i64().unwrap_or(0);
    let currency = payout["currency"].as_str().unwrap_or("usd").to_string();
    let id = payout["id"].as_str().unwrap_or_default().to_string();
    let txn = ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "payout_failure",
            reporting_category: "payout_reversal",
            amount,
            currency,
            fees: vec![],
            source: Some(id),
            description: Some(message.to_string()),
            available_on: None,
        },
    );
    payout["status"] = json!("failed");
    payout["failure_code"] = json!(code);
    payout["failure_message"] = json!(message);
    payout["failure_balance_transaction"] = json!(txn);
    save(state, scope, payout);
    emit(state, scope, "payout.failed", payout, None);
}

/// Creates the automatic payouts due today under each connected account's schedule.
pub fn run_schedules(state: &mut State) {
    let now = state.now();
    let day = now.div_euclid(86_400);
    // 1970-01-01 was a Thursday: weekday index with Monday = 0.
    let weekday = ((day + 3) % 7) as usize;
    let weekday_name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][weekday];
    let day_of_month = chrono::DateTime::from_timestamp(now, 0).map(|d| chrono::Datelike::day(&d)).unwrap_or(1);
    let accounts: Vec<(String, Value)> = state
        .objects_of_kind("account")
        .map(|(_, a)| (a["id"].as_str().unwrap_or_default().to_string(), a["settings"]["payouts"]["schedule"].clone()))
        .collect();
    for (account, schedule) in accounts {
        let scope = Some(account.clone());
        if state.ledger.last_auto_payout_day.get(&scope) == Some(&day) {
            continue;
        }
        let due = match schedule["interval"].as_str() {
            Some("daily") => true,
            Some("weekly") => schedule["weekly_anchor"].as_str() == Some(weekday_name),
            Some("monthly") => schedule["monthly_anchor"].as_u64() == Some(day_of_month as u64),
            _ => false,
        };
        if !due || state.account(&account).is_some_and(|a| a["payouts_enabled"] != true) {
            continue;
        }
        state.ledger.last_auto_payout_day.insert(scope.clone(), day);
        let unpaid = state.ledger.unpaid.remove(&scope).unwrap_or_default();
        let mut by_currency: std::collections::BTreeMap<String, (i64, Vec<String>)> = Default::default();
        for txn in unpaid {
            if let Some(t) = state.get(&scope, &txn) {
                let entry = by_currency.entry(t["currency"].as_str().unwrap_or("usd").to_string()).or_default();
                entry.0 += t["net"].as_i64().unwrap_or(0);
                entry.1.push(txn);
            }
        }
        for (currency, (net, txns)) in by_currency {
            // The payout is exactly what its transactions add up to, so `?payout=` reconciles.
            if net <= 0 {
                // Nothing to pay (refunds outweigh sales): keep them for the next payout.
                state.ledger.unpaid.entry(scope.clone()).or_default().extend(txns);
                continue;
            }
            book(state, &scope, net, &currency, false, true, None, Map::new(), None, txns);
        }
    }
}
