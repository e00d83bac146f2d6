//! `POST /v1/customers`: enough of a customer to attach payments to.

use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::filters::{equals, Range};
use super::list_filtered;
use super::{lock, reply, Ctx, Params};
use crate::events::emit;
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let email = params.str("email")?;
    let name = params.str("name")?;
    let description = params.str("description")?;
    let phone = params.str("phone")?;
    let metadata = params.metadata()?.unwrap_or_default();
    let mut s = lock(&shared);
    let id = s.new_id("cus");
    let customer = json!({
        "id": id,
        "object": "customer",
        "address": Value::Null,
        "balance": 0,
        "created": s.now(),
        "currency": Value::Null,
        "default_source": Value::Null,
        "delinquent": false,
        "description": description,
        "discount": Value::Null,
        "email": email,
        "invoice_prefix": id[4..12].to_uppercase(),
        "livemode": false,
        "metadata": metadata,
        "name": name,
        "next_invoice_sequence": 1,
        "phone": phone,
        "preferred_locales": [],
        "shipping": Value::Null,
        "tax_exempt": "none",
        "test_clock": Value::Null,
    });
    s.insert(ctx.scope.clone(), "customer", customer.clone());
    emit(&mut s, &ctx.scope, "customer.created", &customer, None);
    Ok(reply(&s, &ctx.scope, customer, &params))
}

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let email = params.str("email")?;
    list_filtered(&shared, &ctx, "customer", "/v1/customers", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "email", &email)
    })
}
