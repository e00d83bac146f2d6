//! Calls that move money (refunds, captures, transfers, payouts…), made exactly once whatever fails.
//!
//! Each call gets an idempotency key that is written to the SQLite journal *before* the request
//! leaves. The client retries with that same key; the outcome is then recorded. If the app dies in
//! between, the entry stays `pending` and [`resolve_pending`] replays it with the same key at the
//! next start, so Stripe returns the first result instead of acting twice.

use std::sync::Mutex;

use serde_json::Value;

use crate::store::{journal, Store, StoreError};
use crate::stripe::{Response, StripeClient, StripeError};

/// One money-moving request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyCall {
    /// What it is for people and the audit log: `refund`, `capture`, `transfer`, `payout`, …
    pub action: &'static str,
    pub path: String,
    /// The connected account it acts as (`Stripe-Account`), or the platform.
    pub account: Option<String>,
    pub form: Vec<(String, String)>,
}

impl MoneyCall {
    pub fn new(action: &'static str, path: impl Into<String>, account: Option<&str>, form: &[(&str, String)]) -> Self {
        Self {
            action,
            path: path.into(),
            account: account.map(str::to_string),
            form: form.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Stripe(#[from] StripeError),
}

/// A call that went through.
#[derive(Debug, Clone)]
pub struct Done {
    pub key: String,
    pub value: Value,
    pub request_id: Option<String>,
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    format!("md_{}", uuid::Uuid::new_v4().simple())
}

/// Which Stripe a client talks to, as the journal names it (never the key itself).
pub fn connection_of(client: &StripeClient) -> String {
    format!("{} {}", client.base_url(), client.key().masked())
}

/// Step 1: journal the call under a new key. Nothing has been sent yet.
pub fn journal(store: &Mutex<Store>, client: &StripeClient, call: &MoneyCall) -> Result<String, StoreError> {
    let key = new_key();
    let connection = connection_of(client);
    journal::begin(
        lock(store).conn(),
        &key,
        &connection,
        call.action,
        call.account.as_deref(),
        "POST",
        &call.path,
        &call.form,
    )?;
    Ok(key)
}

/// Step 2: send it (with retries, always with the journalled key).
pub async fn send(client: &StripeClient, key: &str, call: &MoneyCall) -> Result<Response<Value>, StripeError> {
    client.post(&call.path, &call.form, call.account.as_deref(), key).await
}

/// Step 3: record the outcome. An answer-less failure stays pending, to be resolved later.
pub fn record(
    store: &Mutex<Store>,
    key: &str,
    result: &Result<Response<Value>, StripeError>,
) -> Result<(), StoreError> {
    let conn = lock(store);
    match result {
        Ok(response) => journal::finish(
            conn.conn(),
            key,
            true,
            Some(200),
            response.request_id.as_deref(),
            &response.raw.to_string(),
        ),
        Err(StripeError::Api { status, request_id, message, kind, code, .. }) => {
            let body = serde_json::json!({ "type": kind, "code": code, "message": message }).to_string();
            journal::finish(conn.conn(), key, false, Some(*status), request_id.as_deref(), &body)
        }
        // No answer, or one we could not read: the effect may or may not have happened.
        Err(_) => Ok(()),
    }
}

/// Journals, sends and records one call.
pub async fn execute(store: &Mutex<Store>, client: &StripeClient, call: &MoneyCall) -> Result<Done, CallError> {
    let key = journal(store, client, call)?;
    let result = send(client, &key, call).await;
    record(store, &key, &result)?;
    let response = result?;
    Ok(Done { key, value: response.value, request_id: response.request_id })
}

/// Replays every call to this client's Stripe whose outcome was never recorded, with its original
/// key. Returns what each replay answered. Run at start-up, before any new money call is allowed.
pub async fn resolve_pending(
    store: &Mutex<Store>,
    client: &StripeClient,
) -> Result<Vec<(String, Result<Done, StripeError>)>, StoreError> {
    let pending = journal::pending(lock(store).conn(), &connection_of(client))?;
    let mut out = Vec::with_capacity(pending.len());
    for entry in pending {
        let call = MoneyCall {
            action: "replay",
            path: entry.path.clone(),
            account: entry.account.clone(),
            form: entry.params.clone(),
        };
        let result = send(client, &entry.key, &call).await;
        record(store, &entry.key, &result)?;
        tracing::info!(key = %entry.key, action = %entry.action, ok = result.is_ok(), "replayed a money call left pending");
        out.push((entry.key, result.map(|r| Done { key: String::new(), value: r.value, request_id: r.request_id })));
    }
    Ok(out)
}
