//! Failed payouts this device has noticed: each is notified once, and its banner stays until
//! someone dismisses it (or the payout is no longer failed).

use rusqlite::{params, Connection};

use crate::store::StoreError;

/// Records failed payouts created since `since` that were not noticed before. Returns the IDs of
/// those not yet notified.
pub fn notice(conn: &Connection, since: i64, now: &str) -> Result<Vec<String>, StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO payout_alerts (payout, account, noticed_at)
         SELECT id, account, ?2 FROM objects WHERE kind = 'payout' AND status = 'failed' AND created >= ?1",
        params![since, now],
    )?;
    let mut stmt =
        conn.prepare_cached("SELECT payout FROM payout_alerts WHERE notified = 0 ORDER BY noticed_at, payout")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

pub fn mark_notified(conn: &Connection, ids: &[String]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached("UPDATE payout_alerts SET notified = 1 WHERE payout = ?1")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// An open alert: the payout, its account and JSON, and when it was first seen.
pub struct OpenAlert {
    pub payout: String,
    pub account: String,
    pub raw: String,
    pub noticed_at: String,
}

/// Open alerts: not dismissed, and the payout still failed; newest payout first.
pub fn open(conn: &Connection) -> Result<Vec<OpenAlert>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.payout, o.account, o.raw, a.noticed_at FROM payout_alerts a JOIN objects o ON o.id = a.payout
         WHERE a.dismissed_at IS NULL AND o.status = 'failed' ORDER BY o.created DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OpenAlert { payout: r.get(0)?, account: r.get(1)?, raw: r.get(2)?, noticed_at: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Dismisses an alert; `false` when there was none open for that payout.
pub fn dismiss(conn: &Connection, payout: &str, now: &str) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE payout_alerts SET dismissed_at = ?2 WHERE payout = ?1 AND dismissed_at IS NULL",
        params![payout, now],
    )? == 1)
}
