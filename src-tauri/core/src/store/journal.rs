//! The idempotency journal: a POST's key and parameters are stored before the request leaves, and
//! its outcome after, so a retry — in this run or after a crash — reuses the key.

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// One journalled call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub action: String,
    pub account: Option<String>,
    pub method: String,
    pub path: String,
    pub params: Vec<(String, String)>,
    pub status: String,
    pub response: Option<String>,
    pub request_id: Option<String>,
}

/// Writes a pending entry; the request may be sent once this returns.
#[allow(clippy::too_many_arguments)]
pub fn begin(
    conn: &Connection,
    key: &str,
    connection: &str,
    action: &str,
    account: Option<&str>,
    method: &str,
    path: &str,
    params: &[(String, String)],
) -> Result<(), StoreError> {
    let params = serde_json::to_string(params).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO idempotency_journal (key, connection, action, account, method, path, params, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
        params![key, connection, action, account, method, path, params, chrono::Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

/// Records how a call ended: `succeeded` or `failed` (Stripe refused it; retrying would not help).
pub fn finish(
    conn: &Connection,
    key: &str,
    succeeded: bool,
    http_status: Option<u16>,
    request_id: Option<&str>,
    response: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE idempotency_journal SET status = ?2, http_status = ?3, request_id = ?4, response = ?5, finished_at = ?6
         WHERE key = ?1",
        params![
            key,
            if succeeded { "succeeded" } else { "failed" },
            http_status,
            request_id,
            response,
            chrono::Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}

fn entry(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, Option<String>, String, String, String, String, Option<String>, Option<String>)>
{
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
}

fn build(
    raw: (String, String, Option<String>, String, String, String, String, Option<String>, Option<String>),
) -> Result<Entry, StoreError> {
    let (key, action, account, method, path, params, status, response, request_id) = raw;
    let params = serde_json::from_str(&params).map_err(|e| StoreError::Corrupt(format!("journal {key}: {e}")))?;
    Ok(Entry { key, action, account, method, path, params, status, response, request_id })
}

const COLUMNS: &str = "key, action, account, method, path, params, status, response, request_id";

/// Calls to `connection` whose outcome is unknown, oldest first.
pub fn pending(conn: &Connection, connection: &str) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM idempotency_journal WHERE status = 'pending' AND connection = ?1 ORDER BY created_at, key"
    ))?;
    let rows = stmt.query_map([connection], entry)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(build).collect()
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<Entry>, StoreError> {
    let raw = conn
        .query_row(&format!("SELECT {COLUMNS} FROM idempotency_journal WHERE key = ?1"), [key], entry)
        .optional()?;
    raw.map(build).transpose()
}
