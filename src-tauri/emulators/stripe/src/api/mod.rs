//! HTTP surface. Every request passes, outermost first: the network (dropped while the test has it
//! offline), `Request-Id` and authentication (`Stripe-Account` scoping), the rate limiter and
//! planned faults, idempotency, then the handler of its resource (one module each). Parameters are
//! checked against Stripe's spec in [`Params`]. Stripe's hosted pages that account links and login
//! links open, and the 3-D Secure page a `requires_action` PaymentIntent sends its customer to
//! ([`hosted`]), sit beside the API: only the network cut applies to them.

mod accounts;
mod application_fees;
mod balance;
mod balance_transactions;
mod charges;
mod customers;
mod disputes;
mod events;
mod expand;
mod files;
mod filters;
mod hosted;
mod idempotency;
mod params;
mod payment_intents;
mod payouts;
mod refunds;
mod transfers;
mod updates;

use std::sync::MutexGuard;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

pub use idempotency::Store as IdempotencyStore;
pub use params::{merge_metadata, Params};

use crate::faults::{endpoint_of, Fault};
use crate::state::Scope;
use crate::{ApiError, SharedState};

/// Who is calling: the scope every object of this request belongs to.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub scope: Scope,
}

/// The caller's API key (idempotency keys are scoped by it).
#[derive(Debug, Clone)]
pub struct ApiKey(pub String);

pub fn router(state: SharedState) -> Router {
    let api = Router::new()
        .route("/v1/balance", get(balance::retrieve))
        .route("/v1/balance_transactions", get(balance_transactions::list))
        .route("/v1/balance_transactions/{id}", get(balance_transactions::retrieve))
        .route("/v1/accounts", get(accounts::list).post(accounts::create))
        .route("/v1/accounts/{account}", get(accounts::retrieve).post(accounts::update))
        .route("/v1/accounts/{account}/login_links", post(accounts::login_link))
        .route("/v1/account_links", post(accounts::account_link))
        .route("/v1/payment_intents", get(payment_intents::list).post(payment_intents::create))
        .route("/v1/payment_intents/{intent}", get(payment_intents::retrieve).post(updates::payment_intent))
        .route("/v1/payment_intents/{intent}/confirm", post(payment_intents::confirm))
        .route("/v1/payment_intents/{intent}/capture", post(payment_intents::capture))
        .route("/v1/payment_intents/{intent}/cancel", post(payment_intents::cancel))
        .route("/v1/charges", get(charges::list))
        .route("/v1/charges/{charge}", get(charges::retrieve).post(updates::charge))
        .route("/v1/refunds", get(refunds::list).post(refunds::create))
        .route("/v1/refunds/{refund}", get(refunds::retrieve).post(updates::refund))
        .route("/v1/payouts", get(payouts::list).post(payouts::create))
        .route("/v1/payouts/{payout}", get(payouts::retrieve).post(updates::payout))
        .route("/v1/payouts/{payout}/cancel", post(payouts::cancel))
        .route("/v1/transfers", get(transfers::list).post(transfers::create))
        .route("/v1/transfers/{transfer}", get(transfers::retrieve).post(updates::transfer))
        .route("/v1/transfers/{transfer}/reversals", get(transfers::list_reversals).post(transfers::create_reversal))
        .route("/v1/transfers/{transfer}/reversals/{id}", get(transfers::retrieve_reversal).post(updates::reversal))
        .route("/v1/application_fees", get(application_fees::list))
        .route("/v1/application_fees/{id}", get(application_fees::retrieve))
        .route(
            "/v1/application_fees/{id}/refunds",
            get(application_fees::list_refunds).post(application_fees::create_refund),
        )
        .route("/v1/disputes", get(disputes::list))
        .route("/v1/disputes/{dispute}", get(disputes::retrieve).post(disputes::update))
        .route("/v1/disputes/{dispute}/close", post(disputes::close))
        .route("/v1/events", get(events::list))
        .route("/v1/events/{id}", get(events::retrieve))
        .route("/v1/customers", get(customers::list).post(customers::create))
        .route("/v1/accounts/{account}/external_accounts", get(accounts::external_accounts))
        // Evidence files are up to 5 MB: above axum's 2 MB default body limit, which would refuse
        // them as malformed before Stripe's own size check could answer.
        .route(
            "/v1/files",
            get(files::list)
                .post(files::create)
                .layer(axum::extract::DefaultBodyLimit::max(files::MAX_EVIDENCE_BYTES + 256 * 1024)),
        )
        .route("/v1/files/{file}", get(files::retrieve))
        .fallback(unknown_path)
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::layer))
        .layer(middleware::from_fn(known_params))
        .layer(middleware::from_fn_with_state(state.clone(), faults))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate));
    // A browser sends no key: the hosted pages skip authentication, limits and idempotency, but
    // not the network, so `set_offline` drops them too.
    Router::new()
        .merge(hosted::router())
        .merge(api)
        .layer(middleware::from_fn_with_state(state.clone(), emulator_kit::running::cut_when_offline::<crate::State>))
        .with_state(state)
}

pub fn lock(state: &SharedState) -> MutexGuard<'_, crate::State> {
    emulator_kit::lock(state)
}

/// The answer: the object with `expand[]` applied.
pub fn reply(state: &crate::State, scope: &Scope, mut value: Value, params: &Params) -> Json<Value> {
    expand::apply(state, scope, &mut value, &params.expand());
    Json(value)
}

/// `GET /v1/{resource}/{id}`: one object of `kind` in the caller's scope.
pub fn retrieve_one(
    shared: &SharedState,
    ctx: &Ctx,
    kind: &str,
    id: &str,
    param: &str,
    params: &Params,
) -> Result<Json<Value>, ApiError> {
    let s = lock(shared);
    let object = crate::ops::find(&s, &ctx.scope, kind, id, param)?;
    Ok(reply(&s, &ctx.scope, object, params))
}

/// `GET /v1/{resource}`: the caller's objects of `kind` that pass `keep`, one page of them.
pub fn list_filtered(
    shared: &SharedState,
    ctx: &Ctx,
    kind: &'static str,
    url: &str,
    page: &crate::state::Page,
    params: &Params,
    keep: impl Fn(&Value) -> bool,
) -> Result<Json<Value>, ApiError> {
    let s = lock(shared);
    let list = s.list_where(&ctx.scope, kind, url, page, keep)?;
    Ok(reply(&s, &ctx.scope, list, params))
}

/// Refuses calls made as a connected account to platform-only endpoints.
pub fn platform_only(ctx: &Ctx) -> Result<(), ApiError> {
    match &ctx.scope {
        None => Ok(()),
        Some(_) => Err(ApiError::forbidden(
            "This request can only be made by the platform, without the Stripe-Account header.",
        )),
    }
}

async fn unknown_path(method: Method, uri: Uri) -> ApiError {
    ApiError::unknown_path(method.as_str(), uri.path())
}

/// Checks the secret key and the `Stripe-Account` header, then stamps a `Request-Id`.
async fn authenticate(State(state): State<SharedState>, mut request: Request, next: Next) -> Response {
    let request_id = lock(&state).request_id();
    let outcome = check(&state, request.method(), request.uri().path(), request.headers());
    let mut response = match outcome {
        Ok((ctx, key)) => {
            request.extensions_mut().insert(ctx);
            request.extensions_mut().insert(ApiKey(key));
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

/// Latency, the rate limiter and planned faults, in that order.
async fn faults(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let (latency, fault, admitted) = {
        let mut s = lock(&state);
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        let admitted = s.faults.admit(&endpoint_of(&method, &path), now_ms);
        // A planned fault waits for a request that the rate limiter lets through.
        let fault = if admitted { s.faults.plan.next_fault(&method, &path, Fault::ServerError) } else { None };
        (s.faults.plan.latency, fault, admitted)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if !admitted || fault == Some(Fault::RateLimited) {
        let mut response = ApiError::rate_limited().into_response();
        response.headers_mut().insert("stripe-should-retry", HeaderValue::from_static("true"));
        response.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
        return response;
    }
    emulator_kit::faults::respond(fault.and_then(Fault::shared), request, next, || {
        let mut response = ApiError::server_error().into_response();
        response.headers_mut().insert("stripe-should-retry", HeaderValue::from_static("true"));
        response
    })
    .await
}

/// Refuses parameters Stripe's spec does not define for the operation, as Stripe does
/// (`parameter_unknown`), so a client that sends one fails here before it fails in production.
async fn known_params(request: Request, next: Next) -> Response {
    let Some(operation) = crate::spec::spec().operation(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    let form_body = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return ApiError::invalid_request("The request body could not be read.").into_response();
    };
    let mut params = match crate::form::decode(parts.uri.query().unwrap_or_default().as_bytes()) {
        Ok(p) => p,
        Err(err) => return err.into_response(),
    };
    if form_body {
        match crate::form::decode(&bytes) {
            Ok(body_params) => params.extend(body_params),
            Err(err) => return err.into_response(),
        }
    }
    if let Some(unknown) = operation.unknown_params(&params).into_iter().next() {
        return ApiError::invalid_param(
            &unknown,
            "parameter_unknown",
            format!("Received unknown parameter: {unknown}"),
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Who may call what. A `Stripe-Account` the key does not reach is refused with Stripe's 403
/// `account_invalid`: an account that does not exist, or one that disconnected from the platform
/// (`account.application.deauthorized`).
///
/// Our contract, beyond what Stripe documents: a disconnected account's events stay readable
/// (`GET /v1/events` and `GET /v1/events/{id}` with its `Stripe-Account`), so a platform that
/// syncs from events, not webhooks, still learns of the deauthorization itself.
fn check(state: &SharedState, method: &Method, path: &str, headers: &HeaderMap) -> Result<(Ctx, String), ApiError> {
    let key = api_key(headers).ok_or_else(|| {
        ApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        )
    })?;
    let s = lock(state);
    if !s.accepts_key(&key) {
        return Err(ApiError::unauthorized(format!("Invalid API Key provided: {}", redact(&key))));
    }
    let scope = match headers.get("stripe-account") {
        None => None,
        Some(raw) => {
            let account = raw.to_str().unwrap_or_default().trim().to_string();
            let reachable = s.account(&account).is_some()
                && (!s.is_revoked(&account) || (s.onboarding.revoked_events_readable && reads_events(method, path)));
            if !reachable {
                return Err(ApiError::no_access(&redact(&key), &account));
            }
            Some(account)
        }
    };
    Ok((Ctx { scope }, key))
}

/// `GET /v1/events` or `GET /v1/events/{id}`: what a disconnected account still lets the
/// platform do.
fn reads_events(method: &Method, path: &str) -> bool {
    let path = path.trim_end_matches('/');
    method == Method::GET
        && (path == "/v1/events"
            || path.strip_prefix("/v1/events/").is_some_and(|id| !id.is_empty() && !id.contains('/')))
}

/// Refuses platform calls that name an account which disconnected from the platform, as Stripe
/// answers a key whose access was revoked.
pub fn reachable(s: &crate::State, key: &ApiKey, account: &str) -> Result<(), ApiError> {
    if s.is_revoked(account) {
        return Err(ApiError::no_access(&redact(&key.0), account));
    }
    Ok(())
}

/// `Authorization: Bearer sk_…` or HTTP Basic with the key as user name, as Stripe accepts.
fn api_key(headers: &HeaderMap) -> Option<String> {
    let key = match emulator_kit::auth::authorization(headers)? {
        (scheme, rest) if scheme == "bearer" => rest,
        (scheme, _) if scheme == "basic" => emulator_kit::auth::basic(headers)?.0,
        _ => return None,
    };
    Some(key).filter(|k| !k.is_empty())
}

/// Stripe shows only the prefix and the last four characters of a key it refuses.
fn redact(key: &str) -> String {
    let prefix_len = key.match_indices('_').nth(1).map_or(0, |(i, _)| i + 1);
    let chars: Vec<char> = key.chars().collect();
    let prefix: String = chars.iter().take(prefix_len).collect();
    if chars.len() <= prefix_len + 4 {
        return format!("{prefix}****");
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}{}{tail}", "*".repeat(chars.len() - prefix_len - 4))
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
    fn only_reading_events_passes_a_revoked_account() {
        assert!(reads_events(&Method::GET, "/v1/events"));
        assert!(reads_events(&Method::GET, "/v1/events/evt_1"));
        assert!(!reads_events(&Method::POST, "/v1/events"));
        assert!(!reads_events(&Method::GET, "/v1/events/evt_1/x"));
        assert!(!reads_events(&Method::GET, "/v1/balance"));
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
