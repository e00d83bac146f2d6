//! `/v1/balance_transactions`: list (with `payout=` for a payout's reconciliation) and retrieve.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::{equals, Range};
use super::retrieve_one;
use super::{lock, reply, Ctx, Params};
use crate::ops;
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let kind = params.str("type")?;
    let source = params.str("source")?;
    let currency = params.currency("currency")?;
    let s = lock(&shared);
    if let Some(payout_id) = params.str("payout")? {
        let payout = ops::find(&s, &ctx.scope, "payout", &payout_id, "payout")?;
        if payout["automatic"] != true {
            return Err(ApiError::invalid_param(
                "payout",
                "parameter_invalid_string",
                "Balance transaction history can only be filtered on automatic transfers, not manual.",
            ));
        }
        let ids = s.ledger.payout_contents.get(&payout_id).cloned().unwrap_or_default();
        let items: Vec<Value> = ids
            .iter()
            .rev()
            .filter_map(|id| s.get(&ctx.scope, id).cloned())
            .filter(|v| created.matches(v, "created") && equals(v, "type", &kind) && equals(v, "currency", &currency))
            .collect();
        let list = crate::State::list_of(items, "balance_transaction", "/v1/balance_transactions", &page)?;
        return Ok(reply(&s, &ctx.scope, list, &params));
    }
    let list = s.list_where(&ctx.scope, "balance_transaction", "/v1/balance_transactions", &page, |v| {
        created.matches(v, "created")
            && equals(v, "type", &kind)
            && equals(v, "source", &source)
            && equals(v, "currency", &currency)
    })?;
    Ok(reply(&s, &ctx.scope, list, &params))
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "balance_transaction", &id, "id", &params)
}
