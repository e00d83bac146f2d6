//! `/v1/payouts`: list, retrieve, create, cancel.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{lock, reply, Ctx, Params};
use crate::ops::payouts::{self, NewPayout};
use crate::ops::{self, clock};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(State(shared): State<SharedState>, Extension(ctx): Extension<Ctx>, params: Params) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let arrival = Range::from_params(&params, "arrival_date")?;
    let status = params.choice("status", &["pending", "paid", "failed", "canceled", "in_transit"])?;
    let destination = params.str("destination")?;
    let s = lock(&shared);
    let list = s.list_where(&ctx.scope, "payout", "/v1/payouts", &page, |v| {
        created.matches(v, "created") && arrival.matches(v, "arrival_date") && equals(v, "status", &status) && equals(v, "destination", &destination)
    })?;
    Ok(reply(&s, &ctx.scope, list, &params))
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let s = lock(&shared);
    let payout = ops::find(&s, &ctx.scope, "payout", &id, "payout")?;
    Ok(reply(&s, &ctx.scope, payout, &params))
}

pub async fn create(State(shared): State<SharedState>, Extension(ctx): Extension<Ctx>, params: Params) -> Result<Json<Value>, ApiError> {
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
