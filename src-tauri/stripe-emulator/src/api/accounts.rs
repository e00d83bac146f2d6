//! Connected accounts: list and retrieve. Only the platform sees its connected accounts; an account
//! may retrieve itself.

use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::{query, Ctx};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(state): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = query(raw)?;
    let page = Page::from_params(&params)?;
    let s = state.lock().unwrap_or_else(|p| p.into_inner());
    if ctx.scope.is_some() {
        // A connected account has no connected accounts of its own.
        return Ok(Json(serde_json::json!({ "object": "list", "data": [], "has_more": false, "url": "/v1/accounts" })));
    }
    Ok(Json(s.list(&None, "account", "/v1/accounts", &page)?))
}

pub async fn retrieve(
    State(state): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let s = state.lock().unwrap_or_else(|p| p.into_inner());
    let visible = ctx.scope.is_none() || ctx.scope.as_deref() == Some(id.as_str());
    match s.account(&id) {
        Some(account) if visible => Ok(Json(account.clone())),
        _ => Err(ApiError::missing("account", &id, "account")),
    }
}
