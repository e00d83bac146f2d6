//! `/v1/payouts`: list, retrieve, create, cancel.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, reply, Ctx, Params};
use crate::ops::clock;
use crate::ops::payouts::{self, NewPayout};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let arrival = Range::from_params(&params, "arrival_date")?;
    let status = params.choice("status", &["pending", "paid", "failed", "canceled", "in_transit"])?;
    let destination = params.str("destination")?;
    list_filtered(&shared, &ctx, "payout", "/v1/payouts", &page, &params, |v| {
        created.matches(v, "created")
            && arrival.matches(v, "arrival_date")
            && equals(v, "status", &status)
            && equals(v, "destination", &destination)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "payout", &id, "payout", &params)
}

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let req = NewPayout {
        amount: params.require_amount("amount")?,
        currency: params.require_currency("currency")?,
        instant: params.choice("method", &["standard", "instant"])?.as_deref() == Some("instant"),
        description: params.str("description")?,
        metadata: params.metadata()?.unwrap_or_default(),
        statement_descriptor: params.str("statement_descriptor")?,
    };
    let mut s = lock(&shared);
    clock::tick(&mut s);
    let payout = payouts::create(&mut s, &ctx.scope, req)?;
    Ok(reply(&s, &ctx.scope, payout, &params))
}

pub async fn cancel(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut s = lock(&shared);
    let payout = payouts::cancel(&mut s, &ctx.scope, &id)?;
    Ok(reply(&s, &ctx.scope, payout, &params))
}
