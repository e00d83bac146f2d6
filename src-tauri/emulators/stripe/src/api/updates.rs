//! `POST /v1/{resource}/{id}` for objects whose only editable fields are `metadata` and
//! `description`: payouts, PaymentIntents, charges, refunds, transfers and reversals.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::{lock, merge_metadata, reply, Ctx, Params};
use crate::events::emit;
use crate::ops;
use crate::state::Scope;
use crate::{ApiError, SharedState};

/// Applies the update and announces it as `event`; `None` where Stripe announces nothing (there is
/// no `payment_intent.updated` event type in API version 2023-08-16).
fn update(
    shared: &SharedState,
    scope: &Scope,
    kind: &str,
    id: &str,
    param: &str,
    params: &Params,
    event: Option<&str>,
) -> Result<Json<Value>, ApiError> {
    let metadata = params.metadata()?;
    let description = params.str("description")?;
    let mut s = lock(shared);
    let mut object = ops::find(&s, scope, kind, id, param)?;
    if let Some(metadata) = metadata {
        merge_metadata(&mut object["metadata"], metadata);
    }
    if let Some(description) = description {
        if object.get("description").is_none() {
            return Err(ApiError::invalid_param(
                "description",
                "parameter_unknown",
                "Received unknown parameter: description",
            ));
        }
        object["description"] = if description.is_empty() { Value::Null } else { json!(description) };
    }
    ops::save(&mut s, scope, &object);
    if let Some(event) = event {
        emit(&mut s, scope, event, &object, None);
    }
    Ok(reply(&s, scope, object, params))
}

pub async fn payout(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "payout", &id, "payout", &p, Some("payout.updated"))
}

pub async fn payment_intent(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "payment_intent", &id, "intent", &p, None)
}

pub async fn charge(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "charge", &id, "charge", &p, Some("charge.updated"))
}

pub async fn refund(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "refund", &id, "refund", &p, Some("refund.updated"))
}

pub async fn transfer(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "transfer", &id, "transfer", &p, Some("transfer.updated"))
}

pub async fn reversal(
    State(s): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path((_transfer, id)): Path<(String, String)>,
    p: Params,
) -> Result<Json<Value>, ApiError> {
    update(&s, &ctx.scope, "transfer_reversal", &id, "id", &p, Some("transfer.updated"))
}
