//! `/v1/transfers` and their reversals. Transfers are the platform's own objects.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, platform_only, reply, Ctx, Params};
use crate::ops::transfers::{self, NewTransfer};
use crate::ops::{self, clock};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let req = NewTransfer {
        amount: params.require_amount("amount")?,
        currency: params.require_currency("currency")?,
        destination: params.require_str("destination")?,
        description: params.str("description")?,
        metadata: params.metadata()?.unwrap_or_default(),
        transfer_group: params.str("transfer_group")?,
    };
    let mut s = lock(&shared);
    clock::tick(&mut s);
    let transfer = transfers::create(&mut s, req)?;
    Ok(reply(&s, &ctx.scope, transfer, &params))
}

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let destination = params.str("destination")?;
    let group = params.str("transfer_group")?;
    list_filtered(&shared, &ctx, "transfer", "/v1/transfers", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "destination", &destination) && equals(v, "transfer_group", &group)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "transfer", &id, "transfer", &params)
}

pub async fn create_reversal(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let amount = params.amount("amount")?;
    let description = params.str("description")?;
    let metadata = params.metadata()?.unwrap_or_default();
    let mut s = lock(&shared);
    let reversal = transfers::reverse(&mut s, &id, amount, description, metadata)?;
    Ok(reply(&s, &ctx.scope, reversal, &params))
}

pub async fn list_reversals(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let s = lock(&shared);
    ops::find(&s, &ctx.scope, "transfer", &id, "id")?;
    let list = s.list_where(&ctx.scope, "transfer_reversal", &format!("/v1/transfers/{id}/reversals"), &page, |v| {
        v["transfer"] == id.as_str()
    })?;
    Ok(reply(&s, &ctx.scope, list, &params))
}

pub async fn retrieve_reversal(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path((transfer, id)): Path<(String, String)>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let s = lock(&shared);
    let reversal = ops::find(&s, &ctx.scope, "transfer_reversal", &id, "id")?;
    if reversal["transfer"] != transfer.as_str() {
        return Err(ApiError::missing("transfer reversal", &id, "id"));
    }
    Ok(reply(&s, &ctx.scope, reversal, &params))
}
