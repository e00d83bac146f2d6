//! `/v1/events`: the change log, newest first; `created[gt]` and `starting_after` give incremental
//! reads, `type` / `types[]` filter.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::Range;
use super::{lock, reply, Ctx, Params};
use crate::ops;
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(State(shared): State<SharedState>, Extension(ctx): Extension<Ctx>, params: Params) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let kind = params.str("type")?;
    let kinds: Vec<String> = match params.map().get("types") {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let matches_kind = |t: &str, pattern: &str| match pattern.strip_suffix('*') {
        Some(prefix) => t.starts_with(prefix),
        None => t == pattern,
    };
    let s = lock(&shared);
    let list = s.list_where(&ctx.scope, "event", "/v1/events", &page, |v| {
        let t = v["type"].as_str().unwrap_or_default();
        created.matches(v, "created")
            && kind.as_deref().is_none_or(|k| matches_kind(t, k))
            && (kinds.is_empty() || kinds.iter().any(|k| matches_kind(t, k)))
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
    let event = ops::find(&s, &ctx.scope, "event", &id, "id")?;
    Ok(reply(&s, &ctx.scope, event, &params))
}
