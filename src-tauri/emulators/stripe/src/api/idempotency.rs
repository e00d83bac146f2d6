//! Idempotent requests: a POST with an `Idempotency-Key` runs once; the same key with the same
//! parameters replays the first answer (`Idempotent-Replayed: true`), with other parameters it is a
//! 400 `idempotency_error`, and while the first is still running a 409. Keys are kept 24 hours.

use std::collections::HashMap;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{lock, Ctx};
use crate::state::Scope;
use crate::{ApiError, SharedState};

const KEEP_SECONDS: i64 = 24 * 3600;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Keys are scoped like Stripe's: API key, account, idempotency key.
pub type KeyId = (String, Scope, String);

#[derive(Debug, Clone)]
pub struct Stored {
    fingerprint: String,
    created: i64,
    /// `None` while the first request is still being carried out.
    response: Option<(StatusCode, HeaderMap, Bytes)>,
}

#[derive(Debug, Default)]
pub struct Store {
    entries: HashMap<KeyId, Stored>,
}

impl Store {
    fn forget_old(&mut self, now: i64) {
        self.entries.retain(|_, e| now - e.created < KEEP_SECONDS);
    }
}

fn conflict(status: u16, message: String) -> Response {
    ApiError { status, kind: "idempotency_error", ..ApiError::invalid_request(message) }.into_response()
}

pub async fn layer(State(shared): State<SharedState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string) else {
        return next.run(request).await;
    };
    if key.is_empty() || key.len() > 255 {
        return ApiError::invalid_param(
            "Idempotency-Key",
            "parameter_invalid_string",
            "Idempotency keys must be 1 to 255 characters long.",
        )
        .into_response();
    }
    let api_key = request.extensions().get::<super::ApiKey>().map(|k| k.0.clone()).unwrap_or_default();
    let scope = request.extensions().get::<Ctx>().and_then(|c| c.scope.clone());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::invalid_request("The request body could not be read.").into_response();
    };
    // Parameters, not bytes: the same parameters in another order are the same request.
    let params = crate::form::decode(&bytes).map(|m| serde_json::Value::Object(m).to_string());
    let body_key = params.unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
    let fingerprint =
        format!("{} {}?{}\n{}", parts.method, parts.uri.path(), parts.uri.query().unwrap_or(""), body_key);
    let id: KeyId = (api_key, scope, key.clone());
    {
        let mut s = lock(&shared);
        let now = s.now();
        s.idempotency.forget_old(now);
        match s.idempotency.entries.get(&id) {
            Some(e) if e.fingerprint != fingerprint => {
                return conflict(400, format!("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."));
            }
            Some(Stored { response: None, .. }) => {
                return conflict(409, "There is currently another in-progress request using this Stripe-Account, Idempotency-Key, and API key. Please retry this request after a few seconds.".into());
            }
            Some(Stored { response: Some((status, headers, body)), .. }) => {
                let mut replay = Response::new(Body::from(body.clone()));
                *replay.status_mut() = *status;
                *replay.headers_mut() = headers.clone();
                replay.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
                return replay;
            }
            None => {
                s.idempotency.entries.insert(id.clone(), Stored { fingerprint, created: now, response: None });
            }
        }
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let (mut head, body) = response.into_parts();
    let body = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    head.headers.insert("idempotency-key", HeaderValue::from_str(&key).unwrap_or(HeaderValue::from_static("")));
    let mut s = lock(&shared);
    // Stripe keeps results only of requests that ran: not of refusals before that (rate limits,
    // invalid parameters, unknown objects, server errors). Card declines did run, and are kept.
    let ran = head.status.is_success() || head.status == StatusCode::PAYMENT_REQUIRED;
    if !ran {
        s.idempotency.entries.remove(&id);
    } else if let Some(entry) = s.idempotency.entries.get_mut(&id) {
        entry.response = Some((head.status, head.headers.clone(), body.clone()));
    }
    Response::from_parts(head, Body::from(body))
}
