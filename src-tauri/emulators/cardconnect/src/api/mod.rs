//! HTTP surface at `/cardconnect/rest/…`. Every request passes, outermost first: the network
//! (dropped while the test has it offline), HTTP Basic authentication (a 401 for wrong credentials,
//! as the Gateway answers), then the family's faults (latency, planned or random server errors,
//! answers dropped after the work was done), then the handler of its endpoint.

mod money;
mod reads;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::SharedState;

const REST: &str = "/cardconnect/rest";

pub fn router(state: SharedState) -> Router {
    let money_call = |path: &str| format!("{REST}/{path}");
    Router::new()
        .route(REST, any(servlet))
        .route(&format!("{REST}/"), any(servlet))
        .route(&money_call("auth"), post(money::auth).put(money::auth))
        .route(&money_call("capture"), post(money::capture).put(money::capture))
        .route(&money_call("void"), post(money::void).put(money::void))
        .route(&money_call("voidByOrderId"), post(money::void_by_orderid).put(money::void_by_orderid))
        .route(&money_call("refund"), post(money::refund).put(money::refund))
        .route(&format!("{REST}/inquire/{{retref}}/{{merchid}}"), get(reads::inquire))
        .route(&format!("{REST}/inquireByOrderid/{{orderid}}/{{merchid}}"), get(reads::inquire_by_orderid_all))
        .route(&format!("{REST}/inquireByOrderid/{{orderid}}/{{merchid}}/{{set}}"), get(reads::inquire_by_orderid))
        .route(&format!("{REST}/inquireMerchant/{{merchid}}"), get(reads::inquire_merchant))
        .route(&format!("{REST}/settlestat"), get(reads::settlestat))
        .route(&format!("{REST}/funding"), get(reads::funding))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), faults))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), emulator_kit::running::cut_when_offline::<crate::State>))
        .with_state(state)
}

/// HTTP Basic with the site's API user and password; anything else is a 401, with no JSON body.
async fn authenticate(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let accepted = emulator_kit::auth::basic(request.headers())
        .is_some_and(|(user, password)| emulator_kit::lock(&state).accepts(&user, &password));
    if accepted {
        return next.run(request).await;
    }
    let mut response = (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"CardConnect REST Servlet\""));
    response
}

async fn faults(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let (latency, fault) = {
        let mut s = emulator_kit::lock(&state);
        s.requests += 1;
        let fault = s.faults.next_fault(&method, &path, crate::Fault::ServerError);
        (s.faults.latency, fault)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    emulator_kit::faults::respond(fault, request, next, || {
        (StatusCode::INTERNAL_SERVER_ERROR, "The host server encountered an issue and was unable to send a response.")
            .into_response()
    })
    .await
}

/// The base URL answers who it is: CardPointe's documented credentials check.
async fn servlet() -> Response {
    let page = "<html><head><title>CardConnect REST Servlet</title></head><body><h1>CardConnect REST Servlet</h1></body></html>";
    ([(header::CONTENT_TYPE, "text/html")], page).into_response()
}

/// An unknown path, in the shape the Gateway answers since August 2023.
async fn not_found(uri: Uri) -> Response {
    let body = json!({
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "status": 404,
        "error": "Not Found",
        "path": uri.path(),
    });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// Runs a write endpoint on its body, the JSON object every one of them takes; anything else is
/// a 400 ("unable to decipher the request because of invalid syntax").
fn with_body(bytes: &[u8], run: impl FnOnce(&Map<String, Value>) -> Value) -> Response {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(body)) => answer(run(&body)),
        _ => (StatusCode::BAD_REQUEST, "The request body is not a JSON object.").into_response(),
    }
}

/// A field as text: CardPointe sends strings, but callers send numbers for IDs too.
fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    match body.get(key)? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `"Y"`/`"y"` (and, leniently, JSON true).
fn flag(body: &Map<String, Value>, key: &str) -> bool {
    match body.get(key) {
        Some(Value::String(s)) => s.eq_ignore_ascii_case("y"),
        Some(Value::Bool(b)) => *b,
        _ => false,
    }
}

/// An amount as sent, or `None` when absent or empty.
fn amount(body: &Map<String, Value>) -> Option<Value> {
    body.get("amount").filter(|v| !v.is_null() && v.as_str() != Some("")).cloned()
}

fn answer(value: Value) -> Response {
    Json(value).into_response()
}
