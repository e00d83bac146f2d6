//! Money that adds up: every movement is a balance transaction with gross, fee and net, landing in
//! `pending` until its `available_on` time on the simulated clock, then in `available`.

use serde_json::{json, Value};

use crate::state::{Scope, State};

/// Funds from card payments become available this long after the charge (Stripe's 2-day US default).
pub const SETTLEMENT_DAYS: i64 = 2;

/// One movement of money in one scope.
#[derive(Debug, Clone)]
pub struct Movement {
    pub scope: Scope,
    /// Stripe's balance transaction `type`: charge, refund, payout, transfer, application_fee, …
    pub kind: &'static str,
    pub reporting_category: &'static str,
    pub amount: i64,
    pub currency: String,
    /// `(type, amount, description)` fee parts; their sum is the fee.
    pub fees: Vec<(&'static str, i64, String)>,
    pub source: Option<String>,
    pub description: Option<String>,
    /// `None`: available at once (refunds, payouts, transfers debit available funds).
    pub available_on: Option<i64>,
}

/// Stripe's processing fee for a card charge: 2.9% + 30 minor units, or 3.6% for zero-decimal
/// currencies (illustrative pricing; consistent is what matters here).
pub fn stripe_fee(amount: i64, currency: &str) -> i64 {
    if crate::zero_decimal(currency) {
        (amount * 36 + 500) / 1000
    } else {
        (amount * 29 + 500) / 1000 + 30
    }
}

/// Start of the day `days` after `t` (UTC), as Stripe rounds `available_on`.
pub fn day_start_after(t: i64, days: i64) -> i64 {
    (t / 86_400 + days) * 86_400
}

/// Records the movement as a balance transaction and moves the funds. Returns the transaction ID.
pub fn record(state: &mut State, m: Movement) -> String {
    let now = state.now();
    let id = state.new_id("txn");
    let fee: i64 = m.fees.iter().map(|f| f.1).sum();
    let net = m.amount - fee;
    let available_on = m.available_on.unwrap_or(now);
    let pending = available_on > now;
    let fee_details: Vec<Value> = m
        .fees
        .iter()
        .map(|(kind, amount, description)| {
            json!({ "amount": amount, "application": Value::Null, "currency": m.currency, "description": description, "type": kind })
        })
        .collect();
    let txn = json!({
        "id": id,
        "object": "balance_transaction",
        "amount": m.amount,
        "available_on": available_on,
        "created": now,
        "currency": m.currency,
        "description": m.description,
        "exchange_rate": Value::Null,
        "fee": fee,
        "fee_details": fee_details,
        "net": net,
        "reporting_category": m.reporting_category,
        "source": m.source,
        "status": if pending { "pending" } else { "available" },
        "type": m.kind,
    });
    let funds = state.funds_mut(&m.scope, &m.currency);
    if pending {
        funds.pending += net;
    } else {
        funds.available += net;
    }
    state.insert(m.scope.clone(), "balance_transaction", txn);
    if pending {
        state.ledger.pending.push((m.scope.clone(), id.clone()));
    } else if m.kind != "payout" {
        state.ledger.unpaid.entry(m.scope.clone()).or_default().push(id.clone());
    }
    id
}

/// Moves every transaction whose `available_on` has passed from pending to available.
pub fn settle(state: &mut State) {
    let now = state.now();
    let pending = std::mem::take(&mut state.ledger.pending);
    let mut still = Vec::new();
    for (scope, id) in pending {
        let Some(txn) = state.get(&scope, &id).cloned() else { continue };
        if txn["available_on"].as_i64().unwrap_or(0) > now {
            still.push((scope, id));
            continue;
        }
        let net = txn["net"].as_i64().unwrap_or(0);
        let currency = txn["currency"].as_str().unwrap_or("usd").to_string();
        let funds = state.funds_mut(&scope, &currency);
        funds.pending -= net;
        funds.available += net;
        if let Some(t) = state.get_mut(&scope, &id) {
            t["status"] = json!("available");
        }
        state.ledger.unpaid.entry(scope).or_default().push(id);
    }
    state.ledger.pending = still;
}
