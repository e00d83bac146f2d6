//! `/v1/application_fees` (the platform's earnings on direct charges) and their refunds.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::filters::{equals, Range};
use super::{lock, platform_only, reply, Ctx, Params};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::ops;
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let charge = params.str("charge")?;
    let s = lock(&shared);
    let list = s.list_where(&None, "application_fee", "/v1/application_fees", &page, |v| {
        created.matches(v, "created") && equals(v, "charge", &charge)
    })?;
    Ok(reply(&s, &None, list, &params))
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let s = lock(&shared);
    let fee = ops::find(&s, &None, "application_fee", &id, "id")?;
    Ok(reply(&s, &None, fee, &params))
}

pub async fn create_refund(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let amount = params.amount("amount")?;
    let metadata = params.metadata()?.unwrap_or_default();
    let mut s = lock(&shared);
    let mut fee = ops::find(&s, &None, "application_fee", &id, "id")?;
    let total = fee["amount"].as_i64().unwrap_or(0);
    let refunded = fee["amount_refunded"].as_i64().unwrap_or(0);
    let remaining = total - refunded;
    if remaining == 0 {
        return Err(ApiError::invalid_state(
            "charge_already_refunded",
            format!("Application fee {id} has already been refunded."),
        ));
    }
    let amount = amount.unwrap_or(remaining);
    if amount > remaining {
        return Err(ApiError::invalid_param(
            "amount",
            "amount_too_large",
            format!(
                "Refund amount ({amount}) is greater than the unrefunded amount of the application fee ({remaining})."
            ),
        ));
    }
    let currency = fee["currency"].as_str().unwrap_or("usd").to_string();
    let account = fee["account"].as_str().unwrap_or_default().to_string();
    let refund_id = s.new_id("fr");
    let txn = ledger::record(
        &mut s,
        Movement {
            scope: None,
            kind: "application_fee_refund",
            reporting_category: "platform_earning_refund",
            amount: -amount,
            currency: currency.clone(),
            fees: vec![],
            source: Some(refund_id.clone()),
            description: None,
            available_on: None,
        },
    );
    ledger::record(
        &mut s,
        Movement {
            scope: Some(account),
            kind: "application_fee_refund",
            reporting_category: "platform_earning_refund",
            amount,
            currency: currency.clone(),
            fees: vec![],
            source: Some(refund_id.clone()),
            description: None,
            available_on: None,
        },
    );
    let refund = json!({
        "id": refund_id, "object": "fee_refund", "amount": amount, "balance_transaction": txn,
        "created": s.now(), "currency": currency, "fee": id, "metadata": metadata
    });
    s.insert(None, "fee_refund", refund.clone());
    fee["amount_refunded"] = json!(refunded + amount);
    fee["refunded"] = json!(refunded + amount == total);
    if let Some(list) = fee["refunds"]["data"].as_array_mut() {
        list.insert(0, refund.clone());
    }
    ops::save(&mut s, &None, &fee);
    emit(&mut s, &None, "application_fee.refunded", &fee, None);
    Ok(reply(&s, &None, refund, &params))
}

pub async fn list_refunds(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let page = Page::from_params(params.map())?;
    let s = lock(&shared);
    ops::find(&s, &None, "application_fee", &id, "id")?;
    let list = s.list_where(&None, "fee_refund", &format!("/v1/application_fees/{id}/refunds"), &page, |v| {
        v["fee"] == id.as_str()
    })?;
    Ok(reply(&s, &None, list, &params))
}
