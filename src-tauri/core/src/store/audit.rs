//! The append-only audit log. There is no update or delete function here, and triggers in the
//! schema refuse both, so a record once written stays as written.

use rusqlite::Connection;

use super::StoreError;

/// One money-moving or settings action and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRecord {
    pub profile_id: Option<i64>,
    pub profile_name: String,
    pub role: String,
    pub action: String,
    pub target: Option<String>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_id: Option<String>,
    /// `succeeded`, `failed`, `refused`.
    pub outcome: String,
    /// Free text for people; never a secret.
    pub detail: Option<String>,
}

/// Appends a record, stamped with the current time. Call it inside the transaction that changes the
/// action's local state, so both land or neither does.
pub fn append(conn: &Connection, record: &AuditRecord) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO audit_log (at, profile_id, profile_name, role, action, target, amount, currency,
                                idempotency_key, request_id, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![
            chrono::Utc::now().to_rfc3339(),
            record.profile_id,
            record.profile_name,
            record.role,
            record.action,
            record.target,
            record.amount,
            record.currency,
            record.idempotency_key,
            record.request_id,
            record.outcome,
            record.detail,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// All records, oldest first.
pub fn all(conn: &Connection) -> Result<Vec<AuditRecord>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT profile_id, profile_name, role, action, target, amount, currency, idempotency_key,
                request_id, outcome, detail FROM audit_log ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditRecord {
            profile_id: r.get(0)?,
            profile_name: r.get(1)?,
            role: r.get(2)?,
            action: r.get(3)?,
            target: r.get(4)?,
            amount: r.get(5)?,
            currency: r.get(6)?,
            idempotency_key: r.get(7)?,
            request_id: r.get(8)?,
            outcome: r.get(9)?,
            detail: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn records_cannot_be_altered_or_removed() {
        let store = Store::open_in_memory().unwrap();
        let record = AuditRecord {
            profile_name: "Owner".into(),
            role: "owner".into(),
            action: "connection.connect".into(),
            outcome: "succeeded".into(),
            ..Default::default()
        };
        append(store.conn(), &record).unwrap();
        let update = store.conn().execute("UPDATE audit_log SET outcome = 'failed'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = store.conn().execute("DELETE FROM audit_log", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
        assert_eq!(all(store.conn()).unwrap(), vec![record]);
    }
}
