//! `/v1/charges`: list and retrieve (charges are created through PaymentIntents).

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{Ctx, Params};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let payment_intent = params.str("payment_intent")?;
    let customer = params.str("customer")?;
    let transfer_group = params.str("transfer_group")?;
    list_filtered(&shared, &ctx, "charge", "/v1/charges", &page, &params, |v| {
        created.matches(v, "created")
            && equals(v, "payment_intent", &payment_intent)
            && equals(v, "customer", &customer)
            && equals(v, "transfer_group", &transfer_group)
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "charge", &id, "charge", &params)
}
