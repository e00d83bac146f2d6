//! `/v1/payment_intents`: create, retrieve, list, confirm, capture, cancel.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::{list_filtered, retrieve_one};
use super::{lock, reply, Ctx, Params};
use crate::ops::clock;
use crate::ops::payments::{self, Confirmation, NewIntent};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut req = NewIntent {
        amount: params.require_amount("amount")?,
        currency: params.require_currency("currency")?,
        capture_manual: params.choice("capture_method", &["automatic", "automatic_async", "manual"])?.as_deref()
            == Some("manual"),
        payment_method: params.str("payment_method")?,
        confirm: params.bool("confirm")?.unwrap_or(false),
        application_fee_amount: params.fee("application_fee_amount")?,
        destination: params
            .object("transfer_data")
            .and_then(|t| t.get("destination"))
            .and_then(Value::as_str)
            .map(str::to_string),
        on_behalf_of: params.str("on_behalf_of")?,
        metadata: params.metadata()?.unwrap_or_default(),
        description: params.str("description")?,
        customer: params.str("customer")?,
        receipt_email: params.str("receipt_email")?,
        confirmation_manual: params.choice("confirmation_method", &["automatic", "manual"])?.as_deref()
            == Some("manual"),
        return_url: return_url(&params)?,
        base_url: None,
    };
    let mut s = lock(&shared);
    req.base_url = Some(super::hosted::base_url(&headers, s.onboarding.base_url.as_deref()));
    clock::tick(&mut s);
    let intent = payments::create_intent(&mut s, &ctx.scope, req)?;
    Ok(reply(&s, &ctx.scope, intent, &params))
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "payment_intent", &id, "intent", &params)
}

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let customer = params.str("customer")?;
    list_filtered(&shared, &ctx, "payment_intent", "/v1/payment_intents", &page, &params, |v| {
        created.matches(v, "created") && equals(v, "customer", &customer)
    })
}

/// Confirms: charges the card, or — for a card that needs 3-D Secure — answers `requires_action`
/// with the page the customer authenticates on (`{base}/authenticate/…`, `base` being the `Host`
/// this request was sent to, as for account links).
pub async fn confirm(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut how = Confirmation {
        payment_method: params.str("payment_method")?,
        return_url: return_url(&params)?,
        base_url: None,
    };
    let mut s = lock(&shared);
    how.base_url = Some(super::hosted::base_url(&headers, s.onboarding.base_url.as_deref()));
    clock::tick(&mut s);
    let intent = payments::confirm_intent(&mut s, &ctx.scope, &id, how)?;
    Ok(reply(&s, &ctx.scope, intent, &params))
}

/// `return_url`: where the customer goes after authenticating; an absolute URL, as Stripe asks.
fn return_url(params: &Params) -> Result<Option<String>, ApiError> {
    let url = params.str("return_url")?;
    if let Some(u) = &url {
        // `scheme://rest`: web URLs and an app's own scheme (Stripe accepts both).
        let absolute = u.split_once("://").is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && !rest.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if !absolute {
            return Err(ApiError::invalid_param("return_url", "url_invalid", format!("Not a valid URL: {u}")));
        }
    }
    Ok(url)
}

pub async fn capture(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let amount = params.amount("amount_to_capture")?;
    let fee = params.fee("application_fee_amount")?;
    let mut s = lock(&shared);
    clock::tick(&mut s);
    let intent = payments::capture_intent(&mut s, &ctx.scope, &id, amount, fee)?;
    Ok(reply(&s, &ctx.scope, intent, &params))
}

pub async fn cancel(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let reason =
        params.choice("cancellation_reason", &["abandoned", "duplicate", "fraudulent", "requested_by_customer"])?;
    let mut s = lock(&shared);
    let intent = payments::cancel_intent(&mut s, &ctx.scope, &id, reason)?;
    Ok(reply(&s, &ctx.scope, intent, &params))
}
