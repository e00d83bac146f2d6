//! Every reader and filter of the audit screen reads the records schema 18's query read, the
//! indexes of schema 19 and the candidates of a scoped reader only making it faster.

use rusqlite::Connection;

use super::*;
use crate::store::Store;

/// Schema 18's query, word for word, returning the record IDs.
fn old_query(conn: &Connection, readable: &Readable, filter: &AuditFilter, limit: usize) -> Vec<i64> {
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
        sql.push_str(&format!(" AND (profile_id = {profile_id} OR ({in_scope}{not_platform}))"));
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
    if let Some(v) = filter.from.as_ref().filter(|v| !v.is_empty()) {
        push("at >=", v.clone());
    }
    if let Some(v) = filter.to.as_ref().filter(|v| !v.is_empty()) {
        push("at <", format!("{v}T99"));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
    let mut stmt = conn.prepare(&sql).unwrap();
    let ids = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0)).unwrap();
    ids.collect::<Result<_, _>>().unwrap()
}

#[test]
fn every_reader_and_filter_reads_what_schema_18_read() {
    let store = Store::open_in_memory().unwrap();
    let conn = store.conn();
    let accounts = ["acct_A", "acct_B", "acct_C"];
    let actions = ["refunds.create", "transfers.create", "payouts.schedule_update", "profiles.update", "settings.fees"];
    let mut rng = fastrand::Rng::with_seed(19);
    let tx = conn.unchecked_transaction().unwrap();
    for i in 0..3_000 {
        // Money calls journalled for a restaurant, for none (the platform's own), or for an
        // account's own settings (the target names it); other records with a target or none.
        let key = (i % 3 != 0).then(|| format!("k{i}"));
        if let Some(key) = &key {
            let (account, path) = match i % 7 {
                0 => (None, "/v1/transfers".to_string()),
                1 => (None, format!("/v1/accounts/{}", accounts[i % 3])),
                _ => (Some(accounts[rng.usize(0..3)]), "/v1/refunds".to_string()),
            };
            tx.execute(
                "INSERT INTO idempotency_journal (key, connection, action, account, method, path, params, status, created_at)
                 VALUES (?1, 'demo', 'x', ?2, 'POST', ?3, '[]', 'succeeded', '2026-01-01T00:00:00Z')",
                rusqlite::params![key, account, path],
            )
            .unwrap();
        }
        let target = match rng.u8(0..4) {
            0 => None,
            1 => Some("re_1".to_string()),
            _ => Some(accounts[rng.usize(0..3)].to_string()),
        };
        tx.execute(
            "INSERT INTO audit_log (at, profile_id, profile_name, role, action, target, idempotency_key, outcome)
             VALUES (?1, ?2, ?3, 'owner', ?4, ?5, ?6, ?7)",
            rusqlite::params![
                format!("2026-{:02}-{:02}T10:00:00+00:00", 1 + (i / 280) % 12, 1 + i % 28),
                (i % 4) as i64,
                format!("#{}", i % 4),
                actions[rng.usize(0..actions.len())],
                target,
                key,
                ["succeeded", "failed", "requested"][i % 3],
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let readers = [
        Readable::All,
        Readable::Restaurants { profile_id: 2, accounts: vec!["acct_A".into()] },
        Readable::Restaurants { profile_id: 3, accounts: vec!["acct_A".into(), "acct_C".into()] },
        Readable::Restaurants { profile_id: 1, accounts: vec![] },
        Readable::Restaurants { profile_id: 9, accounts: vec!["acct_none".into()] },
    ];
    let text = |s: &str| Some(s.to_string());
    let filters = [
        AuditFilter::default(),
        AuditFilter { action: text("refunds.create"), ..Default::default() },
        AuditFilter { outcome: text("failed"), profile_name: text("#2"), ..Default::default() },
        AuditFilter { from: text("2026-03-01"), to: text("2026-04-15"), ..Default::default() },
        AuditFilter { action: text("settings.fees"), from: text("2026-06-01"), ..Default::default() },
    ];
    for readable in &readers {
        for filter in &filters {
            for limit in [7, 500] {
                let read: Vec<i64> = query(conn, readable, filter, limit).unwrap().into_iter().map(|e| e.id).collect();
                assert_eq!(read, old_query(conn, readable, filter, limit), "{readable:?} {filter:?} {limit}");
            }
        }
    }
    // Not a comparison of nothings: each reader but the stranger reads something.
    for readable in &readers[..4] {
        assert!(!query(conn, readable, &AuditFilter::default(), 500).unwrap().is_empty(), "{readable:?}");
    }
}
