//! `/v1/events`: the change log, newest first; `created[gt]` and `starting_after` give incremental
//! reads, `type` / `types[]` filter. Like Stripe, only the last 30 days are served: an older event
//! is gone, also as a cursor (404 `resource_missing`), so a client must fall back to listing.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

use super::filters::Range;
use super::{list_filtered, lock, retrieve_one};
use super::{Ctx, Params};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let oldest = {
        let s = lock(&shared);
        let oldest = s.now() - RETENTION_SECONDS;
        for (cursor, param) in [(&page.ending_before, "ending_before"), (&page.starting_after, "starting_after")] {
            if let Some(id) = cursor {
                if s.get(&ctx.scope, id).is_some_and(|e| e["created"].as_i64().unwrap_or(0) < oldest) {
                    return Err(ApiError::missing("event", id, param));
                }
            }
        }
        oldest
    };
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
        v["created"].as_i64().unwrap_or(0) >= oldest
            && created.matches(v, "created")
            && kind.as_deref().is_none_or(|k| matches_kind(t, k))
            && (kinds.is_empty() || kinds.iter().any(|k| matches_kind(t, k)))
    })
}

/// How long events are kept: 30 days, as Stripe documents.
const RETENTION_SECONDS: i64 = 30 * 86_400;

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    {
        let s = lock(&shared);
        let oldest = s.now() - RETENTION_SECONDS;
        if s.get(&ctx.scope, &id).is_some_and(|e| e["created"].as_i64().unwrap_or(0) < oldest) {
            return Err(ApiError::missing("event", &id, "id"));
        }
    }
    retrieve_one(&shared, &ctx, "event", &id, "id", &params)
}
