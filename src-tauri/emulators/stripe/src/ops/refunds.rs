//! Refunds: full or partial, several per charge, never above what is left to refund. Destination
//! charges can take the money back from the account (`reverse_transfer`), direct charges can return
//! the platform's fee (`refund_application_fee`). What happens to a refund later (pending ones
//! succeed, any may fail) is in [`super::refund_status`].

use serde_json::{json, Map, Value};

use super::{cards, find, save, transfers};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::{Scope, State};
use crate::ApiError;

#[derive(Debug, Clone, Default)]
pub struct NewRefund {
    pub charge: Option<String>,
    pub payment_intent: Option<String>,
    pub amount: Option<i64>,
    pub reason: Option<String>,
    pub metadata: Map<String, Value>,
    pub refund_application_fee: bool,
    pub reverse_transfer: bool,
}

fn money(amount: i64, currency: &str) -> String {
    if crate::zero_decimal(currency) {
        format!("{amount} {}", currency.to_uppercase())
    } else {
        format!("{}.{:02} {}", amount / 100, (amount % 100).abs(), currency.to_uppercase())
    }
}

pub fn create(state: &mut State, scope: &Scope, req: NewRefund) -> Result<Value, ApiError> {
    let charge_id = match (&req.charge, &req.payment_intent) {
        (Some(c), _) => c.clone(),
        (None, Some(pi)) => {
            let intent = find(state, scope, "payment_intent", pi, "payment_intent")?;
            intent["latest_charge"]
                .as_str()
                .map(str::to_string)
                .filter(|_| intent["status"] == "succeeded")
                .ok_or_else(|| {
                    ApiError::invalid_state(
                        "charge_not_refundable",
                        format!("This PaymentIntent ({pi}) does not have a successful charge to refund."),
                    )
                })?
        }
        (None, None) => {
            return Err(ApiError::invalid_request(
                "One of the following params should be provided for this request: payment_intent or charge.",
            ))
        }
    };
    let mut charge = find(state, scope, "charge", &charge_id, "charge")?;
    // A chargeback already took the money back; only an inquiry (warning_…) leaves it refundable.
    let charged_back = state.objects_of_kind("dispute").any(|(s, d)| {
        s == scope && d["charge"] == charge_id.as_str() && !d["status"].as_str().unwrap_or("").starts_with("warning_")
    });
    if charged_back {
        return Err(ApiError::invalid_state(
            "charge_disputed",
            format!("Charge {charge_id} has been charged back; respond to the dispute instead of refunding."),
        ));
    }
    if charge["captured"] != true {
        return Err(ApiError::invalid_state(
            "charge_not_refundable",
            format!("Charge {charge_id} has not been captured; cancel its PaymentIntent to release the authorization instead."),
        ));
    }
    let currency = charge["currency"].as_str().unwrap_or("usd").to_string();
    let captured = charge["amount_captured"].as_i64().unwrap_or(0);
    let total = charge["amount"].as_i64().unwrap_or(0);
    // amount_refunded also counts the uncaptured part released at capture.
    let refunded = charge["amount_refunded"].as_i64().unwrap_or(0) - (total - captured);
    let remaining = captured - refunded;
    if remaining <= 0 {
        return Err(ApiError::invalid_state(
            "charge_already_refunded",
            format!("Charge {charge_id} has already been refunded."),
        ));
    }
    let amount = req.amount.unwrap_or(remaining);
    if amount > remaining {
        return Err(ApiError::invalid_param(
            "amount",
            "amount_too_large",
            format!(
                "Refund amount ({}) is greater than unrefunded amount on charge ({})",
                money(amount, &currency),
                money(remaining, &currency)
            ),
        ));
    }
    // Everything that can refuse is checked before any money moves.
    let reversal_share = match (req.reverse_transfer, charge["transfer"].as_str()) {
        (true, Some(transfer)) => {
            let t = find(state, &None, "transfer", transfer, "transfer")?;
            let total = t["amount"].as_i64().unwrap_or(0);
            let left = total - t["amount_reversed"].as_i64().unwrap_or(0);
            // The last refund takes whatever is left, so rounding never strands money.
            let share = if refunded + amount == captured {
                left
            } else {
                (total as i128 * amount as i128 / captured.max(1) as i128) as i64
            };
            Some((transfer.to_string(), share.min(left)))
        }
        _ => None,
    };
    // Stripe's asynchronous-success test card: the refund waits at the issuer before it succeeds.
    let pending = charge["payment_method"]
        .as_str()
        .and_then(cards::lookup)
        .is_some_and(|card| card.outcome == cards::Outcome::RefundsPending);
    let id = state.new_id("re");
    let txn = ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "refund",
            reporting_category: "refund",
            amount: -amount,
            currency: currency.clone(),
            fees: vec![],
            source: Some(id.clone()),
            description: None,
            available_on: None,
        },
    );
    let mut transfer_reversal = Value::Null;
    if let Some((transfer, share)) = reversal_share.filter(|(_, share)| *share > 0) {
        // Checked above: the share never exceeds what is left of the transfer.
        if let Ok(reversal) = transfers::reverse(state, &transfer, Some(share), None, Map::new()) {
            transfer_reversal = reversal["id"].clone();
        }
    }
    if req.refund_application_fee {
        if let (Some(fee_id), Some(account)) = (charge["application_fee"].as_str().map(str::to_string), scope.clone()) {
            refund_application_fee(state, &account, &fee_id, amount, refunded + amount == captured, captured);
        }
    }
    let refund = json!({
        "id": id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": txn,
        "charge": charge_id,
        "created": state.now(),
        "currency": currency,
        "metadata": req.metadata,
        "payment_intent": charge["payment_intent"],
        "reason": req.reason,
        "receipt_number": Value::Null,
        "source_transfer_reversal": Value::Null,
        "status": if pending { "pending" } else { "succeeded" },
        "transfer_reversal": transfer_reversal,
    });
    state.insert(scope.clone(), "refund", refund.clone());
    if pending {
        state.ledger.pending_refunds.push((scope.clone(), id.clone()));
    }
    charge["amount_refunded"] = json!(charge["amount_refunded"].as_i64().unwrap_or(0) + amount);
    charge["refunded"] = json!(refunded + amount == captured);
    if let Some(list) = charge["refunds"]["data"].as_array_mut() {
        list.insert(0, refund.clone());
    }
    save(state, scope, &charge);
    emit(state, scope, "charge.refunded", &charge, None);
    emit(state, scope, "refund.created", &refund, None);
    Ok(refund)
}

/// Returns the platform's fee in proportion to the refunded share of the charge (all that is left
/// when the charge is now fully refunded).
fn refund_application_fee(state: &mut State, account: &str, fee_id: &str, refunded: i64, last: bool, captured: i64) {
    let Some(mut fee) = state.get(&None, fee_id).cloned() else { return };
    let total = fee["amount"].as_i64().unwrap_or(0);
    let already = fee["amount_refunded"].as_i64().unwrap_or(0);
    let proportional = (total as i128 * refunded as i128 / captured.max(1) as i128) as i64;
    let share = if last { total - already } else { proportional.min(total - already) };
    if share <= 0 {
        return;
    }
    let currency = fee["currency"].as_str().unwrap_or("usd").to_string();
    let id = state.new_id("fr");
    let txn = ledger::record(
        state,
        Movement {
            scope: None,
            kind: "application_fee_refund",
            reporting_category: "platform_earning_refund",
            amount: -share,
            currency: currency.clone(),
            fees: vec![],
            source: Some(id.clone()),
            description: None,
            available_on: None,
        },
    );
    ledger::record(
        state,
        Movement {
            scope: Some(account.to_string()),
            kind: "application_fee_refund",
            reporting_category: "platform_earning_refund",
            amount: share,
            currency: currency.clone(),
            fees: vec![],
            source: Some(id.clone()),
            description: None,
            available_on: None,
        },
    );
    let fee_refund = json!({
        "id": id, "object": "fee_refund", "amount": share, "balance_transaction": txn,
        "created": state.now(), "currency": currency, "fee": fee_id, "metadata": {}
    });
    state.insert(None, "fee_refund", fee_refund.clone());
    fee["amount_refunded"] = json!(already + share);
    fee["refunded"] = json!(already + share == total);
    if let Some(list) = fee["refunds"]["data"].as_array_mut() {
        list.insert(0, fee_refund);
    }
    save(state, &None, &fee);
    emit(state, &None, "application_fee.refunded", &fee, None);
}
