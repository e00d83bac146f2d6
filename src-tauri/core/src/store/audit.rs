//! The append-only audit log. There is no update or delete function here, and triggers in the
//! schema refuse both, so a record once written stays as written.

use rusqlite::Connection;

use super::StoreError;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One audit record as the audit screen shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AuditEntry {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub profile_name: String,
    pub role: String,
    pub action: String,
    pub target: Option<String>,
    pub amount: Option<Money>,
    pub idempotency_key: Option<String>,
    pub request_id: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Filters of the audit screen and its export. Dates are `YYYY-MM-DD`, inclusive, UTC.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct AuditFilter {
    pub profile_name: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

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

/// Which records a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readable {
    /// Every record: profiles that see every restaurant.
    All,
    /// A profile that sees only some restaurants: the records it wrote itself, and records about
    /// one of `accounts` — never records about the platform as a whole (see [`PLATFORM_ACTIONS`]).
    Restaurants { profile_id: i64, accounts: Vec<String> },
}

/// Actions about the platform as a whole (who may sign in, settings, the Stripe connection).
/// Their target is a name or a masked key, not an account, whatever it happens to read.
pub const PLATFORM_ACTIONS: &[&str] = &["profiles.", "settings.", "connection."];

/// The connected account a record is about. For a Stripe call it is the account the journal
/// says the call was sent for (money calls target payments, payouts or refunds, so the target
/// alone does not tell), and none for the platform's own calls; otherwise it is the target.
const RECORD_ACCOUNT: &str = "(SELECT CASE WHEN count(*) > 0
            THEN coalesce(max(j.account), CASE WHEN max(j.path) LIKE '/v1/accounts/acct%' THEN audit_log.target END)
            ELSE audit_log.target END
     FROM idempotency_journal j WHERE j.key = audit_log.idempotency_key)";

/// Records matching `filter` that `readable` allows, newest first, at most `limit`.
pub fn query(
    conn: &Connection,
    readable: &Readable,
    filter: &AuditFilter,
    limit: usize,
) -> Result<Vec<AuditEntry>, StoreError> {
    // The records are picked on their IDs alone (from the indexes), then read: a few dates'
    // records are sorted without reading each whole.
    let mut sql = String::from("SELECT id FROM audit_log WHERE 1 = 1");
    let mut args: Vec<String> = Vec::new();
    if let Readable::Restaurants { profile_id, accounts } = readable {
        let not_platform: String =
            PLATFORM_ACTIONS.iter().map(|prefix| format!(" AND action NOT LIKE '{prefix}%'")).collect();
        let mut placeholders = Vec::with_capacity(accounts.len());
        for account in accounts {
            args.push(account.clone());
            placeholders.push(format!("?{}", args.len()));
        }
        let in_scope = if placeholders.is_empty() {
            "0".to_string()
        } else {
            format!("{RECORD_ACCOUNT} IN ({})", placeholders.join(", "))
        };
        // `profile_id` is an integer of ours, not text from the screen.
        sql.push_str(&format!(" AND (profile_id = {profile_id} OR ({in_scope}{not_platform}))"));
        // Only these records can pass, found through indexes (schema 19): the reader's own, those
        // whose journalled call was for one of the restaurants, those targeting one. The test
        // above still decides; without this, every record's account was looked up to apply it.
        let places = placeholders.join(", ");
        let mut candidates = format!("SELECT id FROM audit_log WHERE profile_id = {profile_id}");
        if !placeholders.is_empty() {
            candidates.push_str(&format!(
                " UNION SELECT a.id FROM idempotency_journal j JOIN audit_log a ON a.idempotency_key = j.key
                   WHERE j.account IN ({places})
                  UNION SELECT id FROM audit_log WHERE target IN ({places})"
            ));
        }
        sql.push_str(&format!(" AND id IN ({candidates})"));
    }
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
    let from = filter.from.clone().filter(|v| !v.is_empty());
    // Inclusive end date: everything before the next day starts.
    let until = filter.to.as_ref().filter(|v| !v.is_empty()).map(|v| format!("{v}T99"));
    if let Some(v) = &from {
        push("at >=", v.clone());
    }
    if let Some(v) = &until {
        push("at <", v.clone());
    }
    // A few dates' records are read from the time index and sorted (`+id`): walking the log from
    // its newest record to meet them took 3–8 ms for a week three months back. Many are met soon
    // enough walking from the newest, without sorting them all.
    let order = if (from.is_some() || until.is_some()) && few_between(conn, from.as_deref(), until.as_deref())? {
        "+id"
    } else {
        "id"
    };
    sql.push_str(&format!(" ORDER BY {order} DESC LIMIT {limit}"));
    let sql = format!(
        "SELECT id, at, profile_name, role, action, target, amount, currency, idempotency_key, request_id, outcome, detail
         FROM audit_log WHERE id IN ({sql}) ORDER BY id DESC"
    );
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

/// Whether at most a few thousand records are in `[from, until)`, counted on the time index and
/// no further than that.
fn few_between(conn: &Connection, from: Option<&str>, until: Option<&str>) -> Result<bool, StoreError> {
    const FEW: i64 = 5_000;
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE at >= coalesce(?1, '') AND at < coalesce(?2, x'ff')
             LIMIT ?3)",
        )?
        .query_row(rusqlite::params![from, until, FEW], |r| r.get(0))?;
    Ok(n < FEW)
}

/// Writes entries as CSV for an accountant: a header row, ISO times, amounts in major units with a
/// currency column, UTF-8.
pub fn write_csv<W: std::io::Write>(entries: &[AuditEntry], out: W) -> Result<(), csv::Error> {
    let mut w = crate::csv_writer::CsvWriter::new(
        out,
        &[
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
        ],
    )?;
    for e in entries {
        w.row([
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
    w.finish()?;
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
        let refunds = query(
            store.conn(),
            &Readable::All,
            &AuditFilter { action: Some("refund".into()), ..Default::default() },
            100,
        )
        .unwrap();
        assert_eq!(refunds.len(), 2);
        let ok = query(
            store.conn(),
            &Readable::All,
            &AuditFilter { outcome: Some("succeeded".into()), action: Some("refund".into()), ..Default::default() },
            100,
        )
        .unwrap();
        assert_eq!(ok.len(), 1);
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(
            query(
                store.conn(),
                &Readable::All,
                &AuditFilter { from: Some(today.clone()), to: Some(today), ..Default::default() },
                100
            )
            .unwrap()
            .len(),
            3
        );
        assert!(query(
            store.conn(),
            &Readable::All,
            &AuditFilter { to: Some("2000-01-01".into()), ..Default::default() },
            100
        )
        .unwrap()
        .is_empty());
        let mut out = Vec::new();
        write_csv(&query(store.conn(), &Readable::All, &AuditFilter::default(), 100).unwrap(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "time,profile,role,action,target,amount,currency,idempotency_key,request_id,outcome,detail"
        );
        assert!(lines[2].contains(",refund,,12.50,USD,"), "{}", lines[2]);
        assert!(lines[3].contains("\"Sam, \"\"the chef\"\"\""), "{}", lines[3]);
    }

    #[test]
    fn a_scoped_reader_sees_its_own_records_and_its_restaurants_only() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let by = |id: i64, action: &str, target: &str, key: Option<&str>| AuditRecord {
            profile_id: Some(id),
            profile_name: format!("#{id}"),
            role: "owner".into(),
            action: action.into(),
            target: Some(target.into()),
            idempotency_key: key.map(str::to_string),
            outcome: "succeeded".into(),
            ..Default::default()
        };
        for (key, account) in [("k_a", Some("acct_A")), ("k_b", Some("acct_B")), ("k_p", None)] {
            conn.execute(
                "INSERT INTO idempotency_journal (key, connection, action, account, method, path, params, status, created_at)
                 VALUES (?1, 'demo', 'refund', ?2, 'POST', '/v1/refunds', '[]', 'succeeded', '2026-01-01T00:00:00Z')",
                rusqlite::params![key, account],
            )
            .unwrap();
        }
        let rows = [
            by(2, "profiles.update", "Lena", None),             // her own: seen
            by(1, "payouts.schedule", "acct_A", None),          // her restaurant: seen
            by(1, "payouts.schedule", "acct_B", None),          // another restaurant
            by(1, "profiles.create", "acct_A", None),           // a profile named like her restaurant
            by(1, "connection.connect", "sk_test_…9Zq4", None), // the platform's connection
            by(1, "refund", "re_1", Some("k_a")),               // a money call for her restaurant: seen
            by(1, "refund", "re_2", Some("k_b")),               // … for another
            by(1, "transfer", "acct_A", Some("k_p")),           // the platform's own call, whatever its target
        ];
        for row in &rows {
            append(conn, row).unwrap();
        }
        let lena = Readable::Restaurants { profile_id: 2, accounts: vec!["acct_A".into()] };
        let seen: Vec<(String, Option<String>)> = query(conn, &lena, &AuditFilter::default(), 100)
            .unwrap()
            .into_iter()
            .rev()
            .map(|e| (e.action, e.target))
            .collect();
        let expect = [("profiles.update", "Lena"), ("payouts.schedule", "acct_A"), ("refund", "re_1")];
        assert_eq!(seen, expect.map(|(a, t)| (a.to_string(), Some(t.to_string()))));
        let nobody = Readable::Restaurants { profile_id: 9, accounts: vec![] };
        assert!(query(conn, &nobody, &AuditFilter::default(), 100).unwrap().is_empty());
        assert_eq!(query(conn, &Readable::All, &AuditFilter::default(), 100).unwrap().len(), rows.len());
    }
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod schema_18;
