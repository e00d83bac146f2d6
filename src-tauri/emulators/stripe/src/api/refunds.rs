//! `/v1/refunds`: create, list, retrieve.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, reply, Ctx, Params};
use crate::ops::clock;
use crate::ops::refunds::{self, NewRefund};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let req = NewRefund {
        charge: params.str("charge")?,
        payment_intent: params.str("payment_intent")?,
        amount: params.amount("amount")?,
        reason: params.choice("reason", &["duplicate", "fraudulent", "requested_by_customer"])?,
        metadata: params.metadata()?.unwrap_or_default(),
        refund_application_fee: params.bool("refund_application_fee")?.unwrap_or(false),
        reverse_transfer: params.bool("reverse_transfer")?.unwrap_or(false),
    };
    let mut s = lock(&shared);
    clock::tick(&mut s);
    let refund = refunds::create(&mut s, &ctx.scope, req)?;
    Ok(reply(&s, &ctx.scope, refund, &params))
}

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let charge = params.str("charge")?;
    let payment_intent = params.str("payment_intent")?;
    list_filtered(&shared, &ctx, "refund", "/v1/refunds", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "charge", &charge) && equals(v, "payment_intent", &payment_intent)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "refund", &id, "refund", &params)
}
