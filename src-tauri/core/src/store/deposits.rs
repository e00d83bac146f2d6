//! CardConnect deposits, cached beside Stripe payouts: one `objects` row of kind `payout` and
//! gateway `cardconnect` each, so the payouts list, chart and CSV read both gateways with the
//! same queries and indexes.

use rusqlite::{params, Connection};
use serde_json::Value;

use super::StoreError;

/// Writes deposits of merchant `merchid` (payout-shaped JSON: `id`, `amount`, `currency`,
/// `status`, `created`, `arrival_date`, …); a deposit seen again replaces its earlier copy.
pub fn upsert(conn: &Connection, merchid: &str, deposits: &[Value], synced_at: &str) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO objects (id, kind, account, created, status, amount, currency, raw, synced_at, gateway)
         VALUES (?1, 'payout', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'cardconnect')
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, amount = excluded.amount, currency = excluded.currency,
             raw = excluded.raw, synced_at = excluded.synced_at",
    )?;
    let mut written = 0;
    for d in deposits {
        let Some(id) = d["id"].as_str() else { continue };
        stmt.execute(params![
            id,
            merchid,
            d["created"].as_i64().unwrap_or(0),
            d["status"].as_str(),
            d["amount"].as_i64(),
            d["currency"].as_str(),
            d.to_string(),
            synced_at
        ])?;
        written += 1;
    }
    Ok(written)
}
