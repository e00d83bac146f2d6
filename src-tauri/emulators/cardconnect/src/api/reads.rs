//! The GET endpoints: inquiries by retref and by order ID, the merchant check, settlement status
//! and funding.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::answer;
use crate::ops::reads::{self, Listing};
use crate::SharedState;

pub async fn inquire(State(shared): State<SharedState>, Path((retref, merchid)): Path<(String, String)>) -> Response {
    answer(reads::inquire(&mut emulator_kit::lock(&shared), &retref, &merchid))
}

/// `inquireByOrderid/{orderid}/{merchid}/{set}`: `set` 1 keeps the inquiry to that merchant.
pub async fn inquire_by_orderid(
    State(shared): State<SharedState>,
    Path((orderid, merchid, set)): Path<(String, String, String)>,
) -> Response {
    answer(reads::inquire_by_orderid(&mut emulator_kit::lock(&shared), &orderid, &merchid, set == "1"))
}

/// Without `set`, the inquiry covers every merchant ID on the site.
pub async fn inquire_by_orderid_all(
    State(shared): State<SharedState>,
    Path((orderid, merchid)): Path<(String, String)>,
) -> Response {
    answer(reads::inquire_by_orderid(&mut emulator_kit::lock(&shared), &orderid, &merchid, false))
}

pub async fn inquire_merchant(State(shared): State<SharedState>, Path(merchid): Path<String>) -> Response {
    answer(reads::inquire_merchant(&mut emulator_kit::lock(&shared), &merchid))
}

pub async fn settlestat(State(shared): State<SharedState>, Query(query): Query<HashMap<String, String>>) -> Response {
    let listing = reads::settlestat(
        &mut emulator_kit::lock(&shared),
        query.get("merchid").map(String::as_str),
        query.get("date").map(String::as_str),
        query.get("batchid").map(String::as_str),
    );
    match listing {
        Listing::Json(value) => answer(value),
        Listing::Text(text) => ([(header::CONTENT_TYPE, "text/plain")], text).into_response(),
    }
}

/// The merchant ID comes in the query string (the reference also shows it as a header).
pub async fn funding(
    State(shared): State<SharedState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let merchid = query
        .get("merchid")
        .cloned()
        .or_else(|| headers.get("merchid").and_then(|v| v.to_str().ok()).map(str::to_string));
    let date = query.get("date").map(String::as_str);
    answer(reads::funding(&mut emulator_kit::lock(&shared), merchid.as_deref(), date))
}
