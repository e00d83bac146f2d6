//! `refund_records`: who issued and approved each refund this PC asked for, and its note (plain
//! rows; the refunds screen puts them beside what the gateway says).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreError;

/// One refund as this PC asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefundRecord {
    /// The confirmation's key (the journal's).
    pub key: String,
    pub gateway: String,
    pub restaurant: String,
    pub payment: String,
    pub refund: Option<String>,
    pub profile_id: Option<i64>,
    pub issued_by: String,
    pub approved_by: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "key, gateway, restaurant, payment, refund, profile_id, issued_by, approved_by, note, created_at";

fn read(r: &Row<'_>) -> rusqlite::Result<RefundRecord> {
    Ok(RefundRecord {
        key: r.get(0)?,
        gateway: r.get(1)?,
        restaurant: r.get(2)?,
        payment: r.get(3)?,
        refund: r.get(4)?,
        profile_id: r.get(5)?,
        issued_by: r.get(6)?,
        approved_by: r.get(7)?,
        note: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// Writes the record of a confirmation, once: a confirmation sent again keeps its first record.
pub fn put(conn: &Connection, record: &RefundRecord) -> Result<(), StoreError> {
    conn.execute(
        &format!("INSERT INTO refund_records ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(key) DO NOTHING"),
        params![
            record.key,
            record.gateway,
            record.restaurant,
            record.payment,
            record.refund,
            record.profile_id,
            record.issued_by,
            record.approved_by,
            record.note,
            record.created_at
        ],
    )?;
    Ok(())
}

/// The refund a confirmation made, once the gateway said.
pub fn set_refund(conn: &Connection, key: &str, refund: &str) -> Result<(), StoreError> {
    conn.execute("UPDATE refund_records SET refund = ?2 WHERE key = ?1", params![key, refund])?;
    Ok(())
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<RefundRecord>, StoreError> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM refund_records WHERE key = ?1"), [key], read).optional()?)
}

/// The records of one payment's refunds, oldest first.
pub fn of_payment(conn: &Connection, payment: &str) -> Result<Vec<RefundRecord>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM refund_records WHERE payment = ?1 ORDER BY created_at"))?;
    let rows = stmt.query_map([payment], read)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A profile's refunds, newest first.
pub fn of_profile(conn: &Connection, profile_id: i64, limit: u32) -> Result<Vec<RefundRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM refund_records WHERE profile_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![profile_id, limit], read)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Of `refunds` (IDs seen failed), those not noticed before; marks them noticed.
pub fn notice_failures(conn: &Connection, refunds: &[String], now: &str) -> Result<Vec<String>, StoreError> {
    let mut fresh = Vec::new();
    for refund in refunds {
        let inserted = conn.execute(
            "INSERT INTO refund_failures_noticed (refund, noticed_at) VALUES (?1, ?2) ON CONFLICT(refund) DO NOTHING",
            params![refund, now],
        )?;
        if inserted == 1 {
            fresh.push(refund.clone());
        }
    }
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_confirmation_keeps_its_first_record_and_learns_its_refund() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let conn = store.conn();
        let first = RefundRecord {
            key: "md_1".into(),
            gateway: "stripe".into(),
            restaurant: "acct_1".into(),
            payment: "ch_1".into(),
            profile_id: Some(3),
            issued_by: "Sam".into(),
            note: Some("cold soup".into()),
            created_at: "2026-11-30T10:00:00Z".into(),
            ..Default::default()
        };
        put(conn, &first).unwrap();
        put(conn, &RefundRecord { note: Some("other".into()), ..first.clone() }).unwrap();
        set_refund(conn, "md_1", "re_1").unwrap();
        let kept = get(conn, "md_1").unwrap().unwrap();
        assert_eq!((kept.note.as_deref(), kept.refund.as_deref()), (Some("cold soup"), Some("re_1")));
        assert_eq!(of_payment(conn, "ch_1").unwrap().len(), 1);
        assert_eq!(of_profile(conn, 3, 10).unwrap().len(), 1);
        assert!(of_profile(conn, 4, 10).unwrap().is_empty());
        let ids = vec!["re_1".to_string(), "re_2".to_string()];
        assert_eq!(notice_failures(conn, &ids, "now").unwrap(), ids);
        assert!(notice_failures(conn, &ids, "later").unwrap().is_empty(), "noticed once");
    }
}
