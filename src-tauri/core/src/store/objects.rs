//! The object cache: upserts of synced Stripe objects, in one transaction per page, and the sync
//! cursors that let a full sync resume where it stopped.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::StoreError;

/// A cached object's JSON.
pub fn parse(raw: &str) -> Result<Value, StoreError> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("cached object: {e}")))
}

/// Scope name of the platform's own objects.
pub const PLATFORM: &str = "";

/// The queried columns of an object, read from its JSON.
fn columns(object: &Value) -> (Option<&str>, Option<i64>, Option<&str>, Option<&str>, Option<&str>) {
    let status = object["status"].as_str();
    let amount = object["amount"].as_i64();
    let currency = object["currency"].as_str();
    let order = object["metadata"]["order_number"].as_str();
    let parent = ["charge", "payment_intent", "transfer", "source"]
        .iter()
        .find_map(|f| object[*f].as_str().or_else(|| object[*f]["id"].as_str()));
    (status, amount, currency, order, parent)
}

/// Writes objects of one scope (a page of a list, or the objects carried by events), and the
/// neutral transactions of the charges, refunds and PaymentIntents among them in the same SQLite
/// transaction, so `transactions` always agrees with `objects`. Every sync path (full sync pages,
/// events) comes through here. Called outside a transaction, it opens one of its own.
pub fn upsert(conn: &Connection, account: &str, objects: &[Value], synced_at: &str) -> Result<usize, StoreError> {
    if conn.is_autocommit() {
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let written = upsert(&tx, account, objects, synced_at)?;
        tx.commit()?;
        return Ok(written);
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO objects (id, kind, account, created, status, amount, currency, order_number, parent, raw, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, amount = excluded.amount, currency = excluded.currency,
             order_number = excluded.order_number, parent = excluded.parent, raw = excluded.raw, synced_at = excluded.synced_at",
    )?;
    let mut written = 0;
    for object in objects {
        let (Some(id), Some(kind)) = (object["id"].as_str(), object["object"].as_str()) else { continue };
        let (status, amount, currency, order, parent) = columns(object);
        stmt.execute(params![
            id,
            kind,
            account,
            object["created"].as_i64().unwrap_or(0),
            status,
            amount,
            currency,
            order,
            parent,
            without_client_secret(object),
            synced_at
        ])?;
        written += 1;
    }
    crate::gateways::stripe::neutral::record(conn, account, objects, synced_at)?;
    if objects.iter().any(|o| o["object"] == "account") {
        // The accounts list's rows of the accounts just written, in the same transaction.
        crate::accounts::list_rows::refresh(conn)?;
    }
    Ok(written)
}

/// Where a full sync of `kind` in `scope` got to: `(last id, complete)`.
pub fn cursor(conn: &Connection, scope: &str, kind: &str) -> Result<Option<(Option<String>, bool)>, StoreError> {
    Ok(conn
        .query_row("SELECT cursor, complete FROM sync_state WHERE scope = ?1 AND object = ?2", [scope, kind], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)? != 0))
        })
        .optional()?)
}

pub fn set_cursor(
    conn: &Connection,
    scope: &str,
    kind: &str,
    cursor: Option<&str>,
    complete: bool,
    at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sync_state (scope, object, synced_at, cursor, complete) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(scope, object) DO UPDATE SET synced_at = excluded.synced_at, cursor = excluded.cursor, complete = excluded.complete",
        params![scope, kind, at, cursor, complete as i64],
    )?;
    Ok(())
}

/// How many objects of `kind` are cached for `scope` (`None`: every scope).
pub fn count(conn: &Connection, kind: &str, scope: Option<&str>) -> Result<i64, StoreError> {
    Ok(match scope {
        Some(s) => {
            conn.query_row("SELECT count(*) FROM objects WHERE kind = ?1 AND account = ?2", [kind, s], |r| r.get(0))?
        }
        None => conn.query_row("SELECT count(*) FROM objects WHERE kind = ?1", [kind], |r| r.get(0))?,
    })
}

/// Forgets every synced object and cursor (another platform was connected).
pub fn clear(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM objects", [])?;
    Ok(())
}

/// A cached object's JSON by its ID; `Null` when this PC has not cached it.
pub fn raw_of(conn: &Connection, id: &str) -> Result<Value, StoreError> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT raw FROM objects WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    raw.map_or(Ok(Value::Null), |r| parse(&r))
}

/// A PaymentIntent's `client_secret` lets whoever holds it confirm the payment from a browser: the
/// desk never needs it, so it is never written to disk (cache or journal).
pub fn without_client_secret(object: &Value) -> String {
    match object.get("client_secret") {
        Some(_) => {
            let mut copy = object.clone();
            if let Some(map) = copy.as_object_mut() {
                map.remove("client_secret");
            }
            copy.to_string()
        }
        None => object.to_string(),
    }
}
