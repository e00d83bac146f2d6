//! The append-only audit log. There is no update or delete function here, and triggers in the
//! schema refuse both, so a record once written stays as written.

use rusqlite::Connection;

use super::StoreError;
use crate::money::Money;
use crate::views::{AuditEntry, AuditFilter};

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

/// Records matching `filter`, newest first, at most `limit`.
pub fn query(conn: &Connection, filter: &AuditFilter, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from(
        "SELECT id, at, profile_name, role, action, target, amount, currency, idempotency_key, request_id, outcome, detail
         FROM audit_log WHERE 1 = 1",
    );
    let mut args: Vec<String> = Vec::new();
    let mut push = |clause: &str, value: String| {
        args.push(value);
        sql.push_str(&format!(" AND {clause} ?{}", args.len()));
    };
    if let Some(v) = filter.profile_name.as_ref().filter(|v| !v.is_empty()) {
        push("profile_name =", v.clone());
    }
    if let Some(v) = filter.action.as_ref().filter(|v| !v.is_empty()) {
        push("action =", v.clone());
    }
    if let Some(v) = filter.outcome.as_ref().filter(|v| !v.is_empty()) {
        push("outcome =", v.clone());
    }
    if let Some(v) = filter.from.as_ref().filter(|v| !v.is_empty()) {
        push("at >=", v.clone());
    }
    if let Some(v) = filter.to.as_ref().filter(|v| !v.is_empty()) {
        // Inclusive end date: everything before the next day starts.
        push("at <", format!("{v}T99"));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        let amount: Option<i64> = r.get(6)?;
        let currency: Option<String> = r.get(7)?;
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            profile_name: r.get(2)?,
            role: r.get(3)?,
            action: r.get(4)?,
            target: r.get(5)?,
            amount: amount.zip(currency).map(|(a, c)| Money::new(a, c)),
            idempotency_key: r.get(8)?,
            request_id: r.get(9)?,
            outcome: r.get(10)?,
            detail: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Writes entries as CSV for an accountant: a header row, ISO times, amounts in major units with a
/// currency column, UTF-8.
pub fn write_csv<W: std::io::Write>(entries: &[AuditEntry], out: W) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "time",
        "profile",
        "role",
        "action",
        "target",
        "amount",
        "currency",
        "idempotency_key",
        "request_id",
        "outcome",
        "detail",
    ])?;
    for e in entries {
        w.write_record([
            e.at.as_str(),
            &e.profile_name,
            &e.role,
            &e.action,
            e.target.as_deref().unwrap_or(""),
            &e.amount.as_ref().map(Money::to_major_string).unwrap_or_default(),
            &e.amount.as_ref().map(|m| m.currency.to_uppercase()).unwrap_or_default(),
            e.idempotency_key.as_deref().unwrap_or(""),
            e.request_id.as_deref().unwrap_or(""),
            &e.outcome,
            e.detail.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    Ok(())
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

    #[test]
    fn filters_and_csv() {
        let store = Store::open_in_memory().unwrap();
        let base = AuditRecord {
            profile_name: "Maria".into(),
            role: "owner".into(),
            outcome: "succeeded".into(),
            ..Default::default()
        };
        append(
            store.conn(),
            &AuditRecord { action: "profiles.create".into(), target: Some("Sam, \"the chef\"".into()), ..base.clone() },
        )
        .unwrap();
        append(
            store.conn(),
            &AuditRecord { action: "refund".into(), amount: Some(1250), currency: Some("usd".into()), ..base.clone() },
        )
        .unwrap();
        append(store.conn(), &AuditRecord { action: "refund".into(), outcome: "refused".into(), ..base }).unwrap();
        let refunds =
            query(store.conn(), &AuditFilter { action: Some("refund".into()), ..Default::default() }, 100).unwrap();
        assert_eq!(refunds.len(), 2);
        let ok = query(
            store.conn(),
            &AuditFilter { outcome: Some("succeeded".into()), action: Some("refund".into()), ..Default::default() },
            100,
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(
            query(store.conn(), &AuditFilter { from: Some(today.clone()), to: Some(today), ..Default::default() }, 100)
                .unwrap()
                .len(),
            3
        );
        assert!(query(store.conn(), &AuditFilter { to: Some("2000-01-01".into()), ..Default::default() }, 100)
            .unwrap()
            .is_empty());
        let mut out = Vec::new();
        write_csv(&query(store.conn(), &AuditFilter::default(), 100).unwrap(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "time,profile,role,action,target,amount,currency,idempotency_key,request_id,outcome,detail"
        );
        assert!(lines[2].contains(",refund,,12.50,USD,"), "{}", lines[2]);
        assert!(lines[3].contains("\"Sam, \"\"the chef\"\"\""), "{}", lines[3]);
    }
}
