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
}

impl ApiError {
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self { status: 400, kind: "invalid_request_error", code: None, message: message.into(), param: None }
    }

    pub fn invalid_param(param: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self { code: Some(code), param: Some(param.to_string()), ..Self::invalid_request(message) }
    }

    /// Stripe answers an unknown or revoked key with 401 and an `invalid_request_error`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self { status: 401, ..Self::invalid_request(message) }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self { status: 403, kind: "invalid_request_error", code: None, message: message.into(), param: None }
    }

    pub fn missing(kind: &str, id: &str, param: &str) -> Self {
        Self {
            status: 404,
            kind: "invalid_request_error",
            code: Some("resource_missing"),
            message: format!("No such {kind}: '{id}'"),
            param: Some(param.to_string()),
        }
    }

    pub fn unknown_path(method: &str, path: &str) -> Self {
        Self {
            status: 404,
            kind: "invalid_request_error",
            code: None,
            message: format!("Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."),
            param: None,
        }
    }

    pub fn body(&self) -> Value {
        let mut err = Map::new();
        err.insert("type".into(), json!(self.kind));
        err.insert("message".into(), json!(self.message));
        if let Some(code) = self.code {
            err.insert("code".into(), json!(code));
            err.insert("doc_url".into(), json!(format!("https://stripe.com/docs/error-codes/{}", code.replace('_', "-"))));
        }
        if let Some(param) = &self.param {
            err.insert("param".into(), json!(param));
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
