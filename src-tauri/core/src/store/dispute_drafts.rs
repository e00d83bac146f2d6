//! `dispute_drafts`, `dispute_reminders` and `dispute_files`: a manager's evidence draft per
//! dispute, the deadline reminders already shown, and the files attached (plain rows).

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// A draft as kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub dispute: String,
    pub account: String,
    pub order_type: Option<String>,
    pub fields: BTreeMap<String, String>,
    pub saved_at: String,
    pub sent_at: Option<String>,
    pub profile_id: Option<i64>,
}

pub fn get(conn: &Connection, dispute: &str) -> Result<Option<Draft>, StoreError> {
    let row = conn
        .query_row(
            "SELECT dispute, account, order_type, fields, saved_at, sent_at, profile_id FROM dispute_drafts WHERE dispute = ?1",
            [dispute],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ))
            },
        )
        .optional()?;
    row.map(|(dispute, account, order_type, fields, saved_at, sent_at, profile_id)| {
        let fields =
            serde_json::from_str(&fields).map_err(|e| StoreError::Corrupt(format!("dispute draft {dispute}: {e}")))?;
        Ok(Draft { dispute, account, order_type, fields, saved_at, sent_at, profile_id })
    })
    .transpose()
}

/// Keeps `draft` (replacing the dispute's earlier one, keeping when it was last sent).
pub fn put(conn: &Connection, draft: &Draft) -> Result<(), StoreError> {
    let fields = serde_json::to_string(&draft.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.execute(
        "INSERT INTO dispute_drafts (dispute, account, order_type, fields, saved_at, sent_at, profile_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(dispute) DO UPDATE SET account = excluded.account, order_type = excluded.order_type,
             fields = excluded.fields, saved_at = excluded.saved_at, profile_id = excluded.profile_id,
             sent_at = coalesce(excluded.sent_at, dispute_drafts.sent_at)",
        params![
            draft.dispute,
            draft.account,
            draft.order_type,
            fields,
            draft.saved_at,
            draft.sent_at,
            draft.profile_id
        ],
    )?;
    Ok(())
}

/// Records that the dispute's draft reached Stripe at `at`.
pub fn mark_sent(conn: &Connection, dispute: &str, at: &str) -> Result<(), StoreError> {
    conn.execute("UPDATE dispute_drafts SET sent_at = ?2 WHERE dispute = ?1", params![dispute, at])?;
    Ok(())
}

/// Whether the reminder at `hours` before the deadline was shown for `dispute`; marks it shown.
pub fn remind_once(conn: &Connection, dispute: &str, hours: i64, now: &str) -> Result<bool, StoreError> {
    let inserted = conn.execute(
        "INSERT INTO dispute_reminders (dispute, threshold_hours, noticed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(dispute, threshold_hours) DO NOTHING",
        params![dispute, hours, now],
    )?;
    Ok(inserted == 1)
}

/// A file attached to a dispute's evidence from this PC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachedRow {
    pub file: String,
    pub dispute: String,
    pub field: String,
    pub name: String,
    pub kind: String,
    pub bytes: i64,
    pub summary: String,
    pub created_at: String,
}

pub fn add_file(conn: &Connection, row: &AttachedRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO dispute_files (file, dispute, field, name, kind, bytes, summary, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(file) DO NOTHING",
        params![row.file, row.dispute, row.field, row.name, row.kind, row.bytes, row.summary, row.created_at],
    )?;
    Ok(())
}

/// The files attached to `dispute`, oldest first.
pub fn files(conn: &Connection, dispute: &str) -> Result<Vec<AttachedRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT file, dispute, field, name, kind, bytes, summary, created_at FROM dispute_files
         WHERE dispute = ?1 ORDER BY created_at, file",
    )?;
    let rows = stmt
        .query_map([dispute], |r| {
            Ok(AttachedRow {
                file: r.get(0)?,
                dispute: r.get(1)?,
                field: r.get(2)?,
                name: r.get(3)?,
                kind: r.get(4)?,
                bytes: r.get(5)?,
                summary: r.get(6)?,
                created_at: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn drafts_are_per_dispute_and_keep_when_they_were_sent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let conn = store.conn();
        let mut a = Draft {
            dispute: "dp_a".into(),
            account: "acct_1".into(),
            order_type: Some("delivery".into()),
            fields: BTreeMap::from([("shipping_address".to_string(), "1 Main St".to_string())]),
            saved_at: "t1".into(),
            ..Default::default()
        };
        put(conn, &a).unwrap();
        put(conn, &Draft { dispute: "dp_b".into(), fields: BTreeMap::new(), ..a.clone() }).unwrap();
        mark_sent(conn, "dp_a", "t2").unwrap();
        a.fields.insert("customer_name".into(), "J. Alvarez".into());
        a.saved_at = "t3".into();
        put(conn, &a).unwrap();
        let kept = get(conn, "dp_a").unwrap().unwrap();
        assert_eq!((kept.fields.len(), kept.sent_at.as_deref()), (2, Some("t2")));
        assert!(get(conn, "dp_b").unwrap().unwrap().fields.is_empty(), "drafts never mix");
        assert!(remind_once(conn, "dp_a", 72, "now").unwrap());
        assert!(!remind_once(conn, "dp_a", 72, "later").unwrap());
        assert!(remind_once(conn, "dp_a", 24, "later").unwrap());
    }
}
