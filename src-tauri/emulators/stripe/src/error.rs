//! Errors in Stripe's shape: `{"error": {"type", "code", "message", "param"}}` with Stripe's statuses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// One error response. Built with the constructors below so status and `type` always agree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {kind}: {message}")]
pub struct ApiError {
    pub status: u16,
    pub kind: &'static str,
    pub code: Option<&'static str>,
    pub message: String,
    pub param: Option<String>,
    /// More fields of Stripe's error body: `decline_code`, `charge`, `payment_intent`, …
    pub extra: Vec<(&'static str, Value)>,
}

impl ApiError {
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self {
            status: 400,
            kind: "invalid_request_error",
            code: None,
            message: message.into(),
            param: None,
            extra: Vec::new(),
        }
    }

    /// 402: the card was declined.
    pub fn card_declined(decline_code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: 402,
            kind: "card_error",
            code: Some(if decline_code == "insufficient_funds" || decline_code == "generic_decline" {
                "card_declined"
            } else {
                decline_code
            }),
            extra: vec![("decline_code", json!(decline_code))],
            ..Self::invalid_request(message)
        }
    }

    /// A 400 with a code, without a parameter.
    pub fn invalid_state(code: &'static str, message: impl Into<String>) -> Self {
        Self { code: Some(code), ..Self::invalid_request(message) }
    }

    pub fn with(mut self, key: &'static str, value: Value) -> Self {
        self.extra.push((key, value));
        self
    }

    pub fn invalid_param(param: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self { code: Some(code), param: Some(param.to_string()), ..Self::invalid_request(message) }
    }

    /// Stripe answers an unknown or revoked key with 401 and an `invalid_request_error`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self { status: 401, ..Self::invalid_request(message) }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self { status: 403, ..Self::invalid_request(message) }
    }

    /// 403 `account_invalid`: the key does not reach the account named by `Stripe-Account` or the
    /// path, because it does not exist or it disconnected from the platform. Stripe answers with
    /// type `invalid_request_error` (the API version's spec has no `permission_error`), and SDKs
    /// raise their permission error for the 403.
    pub fn no_access(redacted_key: &str, account: &str) -> Self {
        Self {
            code: Some("account_invalid"),
            ..Self::forbidden(format!(
                "The provided key '{redacted_key}' does not have access to account '{account}' (or that account does not exist). Application access may have been revoked."
            ))
        }
    }

    pub fn missing(kind: &str, id: &str, param: &str) -> Self {
        Self {
            status: 404,
            code: Some("resource_missing"),
            param: Some(param.to_string()),
            ..Self::invalid_request(format!("No such {kind}: '{id}'"))
        }
    }

    pub fn unknown_path(method: &str, path: &str) -> Self {
        Self {
            status: 404,
            ..Self::invalid_request(format!(
                "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."
            ))
        }
    }

    pub fn rate_limited() -> Self {
        Self {
            status: 429,
            kind: "invalid_request_error",
            code: Some("rate_limit"),
            ..Self::invalid_request(
                "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
            )
        }
    }

    pub fn server_error() -> Self {
        Self { status: 500, kind: "api_error", ..Self::invalid_request("An unknown error occurred") }
    }

    pub fn body(&self) -> Value {
        let mut err = Map::new();
        err.insert("type".into(), json!(self.kind));
        err.insert("message".into(), json!(self.message));
        if let Some(code) = self.code {
            err.insert("code".into(), json!(code));
            err.insert(
                "doc_url".into(),
                json!(format!("https://stripe.com/docs/error-codes/{}", code.replace('_', "-"))),
            );
        }
        if let Some(param) = &self.param {
            err.insert("param".into(), json!(param));
        }
        for (key, value) in &self.extra {
            err.insert((*key).to_string(), value.clone());
        }
        json!({ "error": Value::Object(err) })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.body())).into_response()
    }
}
