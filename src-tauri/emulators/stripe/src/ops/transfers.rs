//! Transfers from the platform to connected accounts, and their reversals (never above the
//! unreversed remainder).

use serde_json::{json, Map, Value};

use super::{find, save};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::State;
use crate::ApiError;

#[derive(Debug, Clone, Default)]
pub struct NewTransfer {
    pub amount: i64,
    pub currency: String,
    pub destination: String,
    pub description: Option<String>,
    pub metadata: Map<String, Value>,
    pub transfer_group: Option<String>,
}

/// `POST /v1/transfers`: moves available platform funds to a connected account.
pub fn create(state: &mut State, req: NewTransfer) -> Result<Value, ApiError> {
    // An account that disconnected from the platform is no longer a destination.
    if state.connected(&req.destination).is_none() {
        return Err(ApiError::missing("destination", &req.destination, "destination"));
    }
    let available = state.funds_mut(&None, &req.currency).available;
    if available < req.amount {
        return Err(ApiError::invalid_state(
            "balance_insufficient",
            "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.",
        ));
    }
    let transfer = book(
        state,
        &req.destination,
        req.amount,
        &req.currency,
        None,
        None,
        req.description,
        req.metadata,
        req.transfer_group,
    );
    Ok(transfer)
}

/// The transfer of a destination charge, funded by the charge itself and available when it is.
pub fn fund_destination(
    state: &mut State,
    destination: &str,
    amount: i64,
    currency: &str,
    charge: &str,
    available_on: Option<i64>,
) -> String {
    let transfer = book(state, destination, amount, currency, Some(charge), available_on, None, Map::new(), None);
    transfer["id"].as_str().unwrap_or_default().to_string()
}

#[allow(clippy::too_many_arguments)]
fn book(
    state: &mut State,
    destination: &str,
    amount: i64,
    currency: &str,
    source_transaction: Option<&str>,
    available_on: Option<i64>,
    description: Option<String>,
    metadata: Map<String, Value>,
    transfer_group: Option<String>,
) -> Value {
    let id = state.new_id("tr");
    // A transfer funded by a charge leaves the platform when that charge's funds arrive.
    let out = ledger::record(
        state,
        Movement {
            scope: None,
            kind: "transfer",
            reporting_category: "transfer",
            amount: -amount,
            currency: currency.to_string(),
            fees: vec![],
            source: Some(id.clone()),
            description: description.clone(),
            available_on: if source_transaction.is_some() { available_on } else { None },
        },
    );
    let payment_id = state.new_id("py");
    ledger::record(
        state,
        Movement {
            scope: Some(destination.to_string()),
            kind: "payment",
            reporting_category: "charge",
            amount,
            currency: currency.to_string(),
            fees: vec![],
            source: Some(payment_id.clone()),
            description: description.clone(),
            available_on,
        },
    );
    let transfer = json!({
        "id": id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": out,
        "created": state.now(),
        "currency": currency,
        "description": description,
        "destination": destination,
        "destination_payment": payment_id,
        "livemode": false,
        "metadata": metadata,
        "reversals": { "object": "list", "data": [], "has_more": false, "url": format!("/v1/transfers/{id}/reversals") },
        "reversed": false,
        "source_transaction": source_transaction,
        "source_type": "card",
        "transfer_group": transfer_group,
    });
    state.insert(None, "transfer", transfer.clone());
    emit(state, &None, "transfer.created", &transfer, None);
    transfer
}

/// `POST /v1/transfers/{id}/reversals`: takes back all or part of what is left of a transfer.
pub fn reverse(
    state: &mut State,
    transfer_id: &str,
    amount: Option<i64>,
    description: Option<String>,
    metadata: Map<String, Value>,
) -> Result<Value, ApiError> {
    let mut transfer = find(state, &None, "transfer", transfer_id, "id")?;
    let total = transfer["amount"].as_i64().unwrap_or(0);
    let reversed = transfer["amount_reversed"].as_i64().unwrap_or(0);
    let remaining = total - reversed;
    if remaining == 0 {
        return Err(ApiError::invalid_state(
            "transfer_already_reversed",
            format!("Transfer {transfer_id} has already been fully reversed."),
        ));
    }
    let amount = amount.unwrap_or(remaining);
    if amount > remaining {
        return Err(ApiError::invalid_param(
            "amount",
            "amount_too_large",
            format!("Reversal amount ({amount}) is greater than the amount of the transfer that has not yet been reversed ({remaining})."),
        ));
    }
    let currency = transfer["currency"].as_str().unwrap_or("usd").to_string();
    let destination = transfer["destination"].as_str().unwrap_or_default().to_string();
    let id = state.new_id("trr");
    let txn = ledger::record(
        state,
        Movement {
            scope: None,
            kind: "transfer_refund",
            reporting_category: "transfer_reversal",
            amount,
            currency: currency.clone(),
            fees: vec![],
            source: Some(id.clone()),
            description: description.clone(),
            available_on: None,
        },
    );
    ledger::record(
        state,
        Movement {
            scope: Some(destination),
            kind: "payment_reversal",
            reporting_category: "charge",
            amount: -amount,
            currency: currency.clone(),
            fees: vec![],
            source: transfer["destination_payment"].as_str().map(str::to_string),
            description,
            available_on: None,
        },
    );
    let reversal = json!({
        "id": id,
        "object": "transfer_reversal",
        "amount": amount,
        "balance_transaction": txn,
        "created": state.now(),
        "currency": currency,
        "destination_payment_refund": Value::Null,
        "metadata": metadata,
        "source_refund": Value::Null,
        "transfer": transfer_id,
    });
    state.insert(None, "transfer_reversal", reversal.clone());
    transfer["amount_reversed"] = json!(reversed + amount);
    transfer["reversed"] = json!(reversed + amount == total);
    if let Some(list) = transfer["reversals"]["data"].as_array_mut() {
        list.insert(0, reversal.clone());
    }
    save(state, &None, &transfer);
    emit(state, &None, "transfer.reversed", &transfer, None);
    Ok(reversal)
}
