//! HTTP surface: authentication, `Stripe-Account` scoping and `Request-Id` for every route, then
//! one module per resource.

mod accounts;
mod balance;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::state::Scope;
use crate::{form, ApiError, SharedState};

/// Who is calling: the scope every object of this request belongs to.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub scope: Scope,
}

pub fn router(state: SharedState) -> Router {
    Router::new()
        .route("/v1/balance", get(balance::retrieve))
        .route("/v1/accounts", get(accounts::list))
        .route("/v1/accounts/{account}", get(accounts::retrieve))
        .fallback(unknown_path)
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .with_state(state)
}

async fn unknown_path(method: Method, uri: Uri) -> ApiError {
    ApiError::unknown_path(method.as_str(), uri.path())
}

/// Checks the secret key and the `Stripe-Account` header, then stamps a `Request-Id`.
async fn authenticate(State(state): State<SharedState>, mut request: Request, next: Next) -> Response {
    let request_id = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        s.rng().id("req", 14)
    };
    let outcome = check(&state, request.headers());
    let mut response = match outcome {
        Ok(ctx) => {
            request.extensions_mut().insert(ctx);
            next.run(request).await
        }
        Err(err) => err.into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("request-id", value);
    }
    response.headers_mut().insert("stripe-version", HeaderValue::from_static("2023-08-16"));
    response
}

fn check(state: &SharedState, headers: &HeaderMap) -> Result<Ctx, ApiError> {
    let key = api_key(headers).ok_or_else(|| {
        ApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        )
    })?;
    let s = state.lock().unwrap_or_else(|p| p.into_inner());
    if !s.accepts_key(&key) {
        return Err(ApiError::unauthorized(format!("Invalid API Key provided: {}", redact(&key))));
    }
    let scope = match headers.get("stripe-account") {
        None => None,
        Some(raw) => {
            let account = raw.to_str().unwrap_or_default().trim().to_string();
            if s.account(&account).is_none() {
                return Err(ApiError::forbidden(format!(
                    "The provided key '{}' does not have access to account '{account}' (or that account does not exist). Application access may have been revoked.",
                    redact(&key)
                )));
            }
            Some(account)
        }
    };
    Ok(Ctx { scope })
}

/// `Authorization: Bearer sk_…` or HTTP Basic with the key as user name, as Stripe accepts.
fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" => Some(rest.trim().to_string()).filter(|k| !k.is_empty()),
        "basic" => {
            let bytes = BASE64.decode(rest.trim()).ok()?;
            let decoded = String::from_utf8(bytes).ok()?;
            let user = decoded.split(':').next()?.to_string();
            Some(user).filter(|k| !k.is_empty())
        }
        _ => None,
    }
}

/// Stripe shows only the prefix and the last four characters of a key it refuses.
fn redact(key: &str) -> String {
    let prefix_len = key.match_indices('_').nth(1).map_or(0, |(i, _)| i + 1);
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    if key.len() <= prefix_len + 4 {
        return format!("{}****", &key[..prefix_len.min(key.len())]);
    }
    format!("{}{}{}", &key[..prefix_len], "*".repeat(key.len() - prefix_len - 4), tail)
}

/// Query parameters, decoded with Stripe's nesting rules.
pub fn query(raw: Option<String>) -> Result<Map<String, Value>, ApiError> {
    form::decode(raw.unwrap_or_default().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_like_stripe() {
        assert_eq!(redact("sk_test_abcdefgh1234"), "sk_test_********1234");
        assert_eq!(redact("sk_test_12"), "sk_test_****");
    }

    #[test]
    fn reads_bearer_and_basic_auth() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer sk_test_x"));
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_x"));
        // "sk_test_x:" in base64
        headers.insert("authorization", HeaderValue::from_static("Basic c2tfdGVzdF94Og=="));
        assert_eq!(api_key(&headers).as_deref(), Some("sk_test_x"));
        headers.insert("authorization", HeaderValue::from_static("Token abc"));
        assert_eq!(api_key(&headers), None);
    }
}
