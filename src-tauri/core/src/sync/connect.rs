//! What sync learns about the platform's hold on each restaurant: `account.application.deauthorized`
//! and `.authorized` events, and an account whose requests Stripe refuses because the platform's
//! access was revoked. Both mark the restaurant disconnected (see `store::disconnected`), so it
//! is shown as such and no money is moved for it; neither fails the sync.

use rusqlite::Connection;
use serde_json::Value;

use crate::gateways::stripe::StripeError;
use crate::store::objects::PLATFORM;
use crate::store::{disconnected, StoreError};

const DEAUTHORIZED: &str = "account.application.deauthorized";
const AUTHORIZED: &str = "account.application.authorized";

/// Applies the connection events among `events` (oldest first) read in `scope`.
pub fn apply(conn: &Connection, scope: &str, events: &[Value]) -> Result<(), StoreError> {
    for event in events {
        // The account is on the event; a connected account's own scope names it too.
        let Some(account) = event["account"].as_str().or((scope != PLATFORM).then_some(scope)) else { continue };
        match event["type"].as_str() {
            Some(DEAUTHORIZED) => disconnected::mark(conn, account, &rfc3339(event["created"].as_i64()))?,
            Some(AUTHORIZED) => disconnected::clear(conn, account)?,
            _ => {}
        }
    }
    Ok(())
}

/// The object an event carries, for the cache; connection events carry the platform's
/// application, which the cache does not keep.
pub fn carried(event: &Value) -> Option<Value> {
    let kind = event["type"].as_str().unwrap_or("");
    (kind != DEAUTHORIZED && kind != AUTHORIZED).then(|| event["data"]["object"].clone())
}

/// Stripe refuses requests made as an account whose owner revoked the platform's access with a
/// 403 naming the account ("The provided key … does not have access to account 'acct_…' … Application
/// access may have been revoked", code `account_invalid`). Other 403s — a restricted key lacking a
/// permission — say nothing about the restaurant and stay sync failures.
pub fn revoked(scope: &str, err: &StripeError) -> bool {
    scope != PLATFORM
        && matches!(err, StripeError::Api { status: 403, code, message, .. }
            if code.as_deref() == Some("account_invalid") || message.contains("does not have access to account"))
}

/// Marks `scope` disconnected now, because Stripe refused it as revoked.
pub fn mark_revoked(conn: &Connection, scope: &str) -> Result<(), StoreError> {
    tracing::info!(account = scope, "Stripe refuses this account: access revoked; shown as disconnected");
    disconnected::mark(conn, scope, &chrono::Utc::now().to_rfc3339())
}

/// Connected accounts known to the cache that incremental sync has never read events of (made
/// here, or seen first in an overview refresh): read from their first event on.
pub fn unread_accounts(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id FROM accounts UNION SELECT id FROM objects WHERE kind = 'account'
         EXCEPT SELECT scope FROM sync_state WHERE object = 'events'
         EXCEPT SELECT account FROM disconnected_accounts",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn rfc3339(at: Option<i64>) -> String {
    at.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).unwrap_or_else(chrono::Utc::now).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deauthorization_marks_and_authorization_clears() {
        let store = crate::store::Store::open_in_memory().expect("store");
        let conn = store.conn();
        let deauthorized = json!({ "type": DEAUTHORIZED, "account": "acct_1", "created": 1_764_500_000,
            "data": { "object": { "id": "ca_1", "object": "application" } } });
        apply(conn, "acct_1", std::slice::from_ref(&deauthorized)).expect("apply");
        assert!(disconnected::since(conn, "acct_1").expect("read").is_some());
        assert_eq!(carried(&deauthorized), None);
        apply(conn, "acct_1", &[json!({ "type": AUTHORIZED, "account": "acct_1" })]).expect("apply");
        assert!(disconnected::since(conn, "acct_1").expect("read").is_none());
        let updated = json!({ "type": "account.updated", "data": { "object": { "id": "acct_1" } } });
        assert_eq!(carried(&updated), Some(json!({ "id": "acct_1" })));
    }

    #[test]
    fn only_a_connected_account_can_be_revoked() {
        let refused = StripeError::Api {
            status: 403,
            kind: "invalid_request_error".into(),
            code: Some("account_invalid".into()),
            param: None,
            message: "The provided key 'sk_test_****1234' does not have access to account 'acct_1' (or that \
                      account does not exist). Application access may have been revoked."
                .into(),
            request_id: None,
        };
        assert!(revoked("acct_1", &refused));
        assert!(!revoked(PLATFORM, &refused));
        let restricted_key = StripeError::Api {
            status: 403,
            kind: "invalid_request_error".into(),
            code: None,
            param: None,
            message: "The provided key does not have the required permissions for this endpoint.".into(),
            request_id: None,
        };
        assert!(!revoked("acct_1", &restricted_key));
    }
}
