//! What happens to a refund after it was made, as at Stripe: a `pending` one (the asynchronous
//! test card) succeeds later on the simulated clock, and a pending or succeeded one can still fail
//! at the card issuer ([`fail`]). Stripe has no API call that fails a refund, so [`fail`] is a hook
//! for tests and demo tooling; what it leaves behind is what Stripe shows after a real failure.

use serde_json::{json, Value};

use super::{find, save};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::{Scope, State};
use crate::ApiError;

/// How long a pending refund waits at the issuer. Stripe only says "some time later"; an hour
/// keeps it pending through a test that does not move the clock.
pub const PENDING_SECONDS: i64 = 3_600;

/// Stripe's values of a refund's `failure_reason` (API version 2023-08-16).
pub const FAILURE_REASONS: &[&str] = &[
    "lost_or_stolen_card",
    "expired_or_canceled_card",
    "charge_for_pending_refund_disputed",
    "insufficient_funds",
    "declined",
    "merchant_request",
    "unknown",
];

/// Pending refunds whose wait is over succeed (called when the clock moves).
pub fn settle_pending(state: &mut State) {
    let now = state.now();
    let pending = std::mem::take(&mut state.ledger.pending_refunds);
    let mut still = Vec::new();
    for (scope, id) in pending {
        let Some(mut refund) = state.get(&scope, &id).cloned() else { continue };
        if refund["status"] != "pending" {
            continue; // failed meanwhile
        }
        if refund["created"].as_i64().unwrap_or(0) + PENDING_SECONDS > now {
            still.push((scope, id));
            continue;
        }
        refund["status"] = json!("succeeded");
        let mut charge = refund["charge"].as_str().and_then(|c| state.get(&scope, c)).cloned();
        if let Some(charge) = charge.as_mut() {
            replace_in_charge(charge, &refund);
            save(state, &scope, charge);
        }
        publish(state, &scope, &refund, json!({ "status": "pending" }));
    }
    state.ledger.pending_refunds = still;
}

/// Fails `refund_id` (in whichever scope it is) with `failure_reason`, one of
/// [`FAILURE_REASONS`]: its money comes back to the balance as a `refund_failure` balance
/// transaction (`failure_balance_transaction`), its charge no longer counts it as refunded, and
/// `/v1/events` carries the refund (`charge.refund.updated`, `refund.updated`) and the charge
/// (`charge.updated`), so an incremental sync sees the change. A transfer reversal or platform fee
/// refund made with the refund is left as it was. Returns the failed refund.
pub fn fail(state: &mut State, refund_id: &str, failure_reason: &str) -> Result<Value, ApiError> {
    if !FAILURE_REASONS.contains(&failure_reason) {
        return Err(ApiError::invalid_param(
            "failure_reason",
            "parameter_invalid_string",
            format!("Invalid failure_reason: must be one of {} (got '{failure_reason}')", FAILURE_REASONS.join(", ")),
        ));
    }
    let scope = state.scope_of(refund_id).cloned().ok_or_else(|| ApiError::missing("refund", refund_id, "refund"))?;
    let mut refund = find(state, &scope, "refund", refund_id, "refund")?;
    let status = refund["status"].as_str().unwrap_or_default().to_string();
    if !matches!(status.as_str(), "pending" | "succeeded") {
        return Err(ApiError::invalid_request(format!(
            "Refund {refund_id} has a status of {status}; only a pending or succeeded refund can fail."
        )));
    }
    let charge_id = refund["charge"].as_str().unwrap_or_default().to_string();
    let mut charge = find(state, &scope, "charge", &charge_id, "charge")?;
    let amount = refund["amount"].as_i64().unwrap_or(0);
    let currency = refund["currency"].as_str().unwrap_or("usd").to_string();
    let txn = ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "refund_failure",
            reporting_category: "refund_failure",
            amount,
            currency,
            fees: vec![],
            source: Some(refund_id.to_string()),
            description: None,
            available_on: None,
        },
    );
    refund["status"] = json!("failed");
    refund["failure_reason"] = json!(failure_reason);
    refund["failure_balance_transaction"] = json!(txn);

    let previous_charge = json!({ "amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"] });
    let refunded = charge["amount_refunded"].as_i64().unwrap_or(0) - amount;
    charge["amount_refunded"] = json!(refunded.max(0));
    charge["refunded"] = json!(false);
    replace_in_charge(&mut charge, &refund);
    save(state, &scope, &charge);
    let previous = json!({ "failure_balance_transaction": null, "failure_reason": null, "status": status });
    publish(state, &scope, &refund, previous);
    emit(state, &scope, "charge.updated", &charge, Some(previous_charge));
    Ok(refund)
}

/// The refund's new version in its charge's embedded `refunds.data`.
fn replace_in_charge(charge: &mut Value, refund: &Value) {
    if let Some(list) = charge["refunds"]["data"].as_array_mut() {
        for slot in list.iter_mut().filter(|r| r["id"] == refund["id"]) {
            *slot = refund.clone();
        }
    }
}

/// Saves the refund and announces it with both event types Stripe sends for a changed refund.
fn publish(state: &mut State, scope: &Scope, refund: &Value, previous: Value) {
    save(state, scope, refund);
    emit(state, scope, "charge.refund.updated", refund, Some(previous.clone()));
    emit(state, scope, "refund.updated", refund, Some(previous));
}
