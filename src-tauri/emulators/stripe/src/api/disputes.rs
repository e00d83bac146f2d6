//! `/v1/disputes`: list, retrieve, update evidence (stage or `submit`), close.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, reply, Ctx, Params};
use crate::ops::{self, disputes};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let charge = params.str("charge")?;
    let payment_intent = params.str("payment_intent")?;
    list_filtered(&shared, &ctx, "dispute", "/v1/disputes", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "charge", &charge) && equals(v, "payment_intent", &payment_intent)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "dispute", &id, "dispute", &params)
}

pub async fn update(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let submit = params.bool("submit")?.unwrap_or(false);
    let metadata = params.metadata()?;
    let evidence = match params.map().get("evidence") {
        None => None,
        Some(Value::Object(map)) => Some(map.clone()),
        Some(_) => {
            return Err(ApiError::invalid_param("evidence", "parameter_invalid_string", "Invalid hash: evidence"))
        }
    };
    let mut s = lock(&shared);
    ops::clock::tick(&mut s);
    let dispute = disputes::update(&mut s, &ctx.scope, &id, evidence.as_ref(), metadata, submit)?;
    Ok(reply(&s, &ctx.scope, dispute, &params))
}

pub async fn close(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut s = lock(&shared);
    let dispute = disputes::close(&mut s, &ctx.scope, &id)?;
    Ok(reply(&s, &ctx.scope, dispute, &params))
}
