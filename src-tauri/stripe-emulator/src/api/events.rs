//! `/v1/events`: the change log, newest first; `created[gt]` and `starting_after` give incremental
//! reads, `type` / `types[]` filter.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::Range;
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
    let kind = params.str("type")?;
    let kinds: Vec<String> = match params.map().get("types") {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let matches_kind = |t: &str, pattern: &str| match pattern.strip_suffix('*') {
        Some(prefix) => t.starts_with(prefix),
        None => t == pattern,
    };
    list_filtered(&shared, &ctx, "event", "/v1/events", &page, &params, |v| {
        let t = v["type"].as_str().unwrap_or_default();
        created.matches(v, "created")
            && kind.as_deref().is_none_or(|k| matches_kind(t, k))
            && (kinds.is_empty() || kinds.iter().any(|k| matches_kind(t, k)))
    })
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    retrieve_one(&shared, &ctx, "event", &id, "id", &params)
}
