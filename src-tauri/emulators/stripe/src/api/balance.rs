//! `GET /v1/balance` for the platform or, with `Stripe-Account`, a connected account.

use axum::extract::State;
use axum::{Extension, Json};
use serde_json::Value;

use super::{lock, Ctx};
use crate::ops::clock;
use crate::{ApiError, SharedState};

pub async fn retrieve(
    State(state): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
) -> Result<Json<Value>, ApiError> {
    let mut s = lock(&state);
    clock::tick(&mut s);
    Ok(Json(s.balance(&ctx.scope)))
}
