//! The inbox read a page at a time is the inbox read whole and sorted as the manager expects, for
//! every scope and filter; its counts follow every write to the disputes.

use rusqlite::Connection;
use serde_json::{json, Value};

use super::*;
use crate::disputes::views::Urgency;
use crate::disputes::words::{urgency, NEEDS_RESPONSE};
use crate::store::Store;

const STATUSES: [&str; 8] = [
    "needs_response",
    "warning_needs_response",
    "under_review",
    "warning_under_review",
    "won",
    "lost",
    "warning_closed",
    "charge_refunded",
];
const REASONS: [&str; 4] = ["fraudulent", "duplicate", "product_not_received", "general"];
const NOW: i64 = 1_780_000_000;
const HOUR: i64 = 3_600;

fn dispute(id: &str, status: &str, reason: &str, created: i64, due_by: Option<i64>) -> Value {
    json!({"id": id, "object": "dispute", "amount": 2_500, "currency": "usd", "charge": format!("ch_{id}"),
           "created": created, "reason": reason, "status": status,
           "evidence_details": {"due_by": due_by, "has_evidence": false, "past_due": false, "submission_count": 0}})
}

/// Random disputes over 4 restaurants and the platform: every status and reason, deadlines
/// passed, near, far, missing or zero, and ties in deadline and creation time.
fn fill(conn: &Connection, rng: &mut fastrand::Rng, n: usize) {
    for i in 0..n {
        let account = if rng.u8(0..5) == 0 { String::new() } else { format!("acct_{}", rng.u8(0..4)) };
        let due = match rng.u8(0..6) {
            0 => None,
            1 => Some(0),
            2 => Some(NOW - rng.i64(0..100) * HOUR),
            _ => Some(NOW + rng.i64(0..200) * HOUR),
        };
        let created = NOW - rng.i64(0..50) * 86_400;
        let d = dispute(
            &format!("dp_{i:04}"),
            STATUSES[rng.usize(0..STATUSES.len())],
            REASONS[rng.usize(0..REASONS.len())],
            created,
            due,
        );
        objects::upsert(conn, &account, &[d], "t").unwrap();
    }
}

/// The inbox's order written out in Rust: needing a response first by deadline (none last), then
/// with the bank, then closed, newest first; the ID breaks ties.
fn expected(conn: &Connection, accounts: &Accounts, filter: &DisputeFilter) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT account, raw FROM objects WHERE kind = 'dispute'").unwrap();
    let all: Vec<(String, Value)> = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .map(|(a, raw)| (a, serde_json::from_str(&raw).unwrap()))
        .collect();
    let wanted = |v: &Option<String>, actual: &str| v.as_deref().is_none_or(|v| v.is_empty() || v == actual);
    let mut kept: Vec<(i64, i64, String)> = all
        .into_iter()
        .filter(|(a, _)| match accounts {
            Accounts::All => true,
            Accounts::Only(ids) => ids.contains(a),
        })
        .filter(|(a, d)| {
            wanted(&filter.restaurant, a)
                && wanted(&filter.status, d["status"].as_str().unwrap())
                && wanted(&filter.reason, d["reason"].as_str().unwrap())
        })
        .map(|(_, d)| {
            let status = d["status"].as_str().unwrap();
            let (rank, key) = if NEEDS_RESPONSE.contains(&status) {
                (0, d["evidence_details"]["due_by"].as_i64().filter(|d| *d != 0).unwrap_or(i64::MAX))
            } else if status.ends_with("under_review") {
                (1, -d["created"].as_i64().unwrap())
            } else {
                (2, -d["created"].as_i64().unwrap())
            };
            (rank, key, d["id"].as_str().unwrap().to_string())
        })
        .collect();
    kept.sort();
    kept.into_iter().map(|(_, _, id)| id).collect()
}

fn paged(conn: &Connection, accounts: &Accounts, filter: &DisputeFilter, size: u32) -> Vec<String> {
    let inbox = Inbox { accounts, filter };
    let total = inbox.counts(conn, NOW).unwrap().total;
    let mut ids = Vec::new();
    for page in 0.. {
        let rows = inbox.page(conn, total, page * size, size).unwrap();
        let done = rows.len() < size as usize;
        ids.extend(rows.into_iter().map(|c| c.raw["id"].as_str().unwrap().to_string()));
        if done {
            return ids;
        }
    }
    unreachable!()
}

fn scopes() -> Vec<Accounts> {
    vec![
        Accounts::All,
        Accounts::Only(vec!["acct_1".into(), "acct_3".into()]),
        Accounts::Only(vec![String::new()]),
        Accounts::Only(vec![]),
    ]
}

fn filters() -> Vec<DisputeFilter> {
    let mut filters = vec![DisputeFilter::default()];
    for status in STATUSES.iter().step_by(3).chain(["lost", "warning_needs_response"].iter()) {
        filters.push(DisputeFilter { status: Some(status.to_string()), ..Default::default() });
    }
    filters.push(DisputeFilter { reason: Some("duplicate".into()), ..Default::default() });
    filters.push(DisputeFilter { restaurant: Some("acct_1".into()), ..Default::default() });
    filters.push(DisputeFilter {
        restaurant: Some("acct_3".into()),
        status: Some("needs_response".into()),
        reason: Some("fraudulent".into()),
    });
    filters.push(DisputeFilter { status: Some(String::new()), reason: Some(String::new()), restaurant: None });
    filters
}

/// Every scope and filter: the pages join into the expected order, the counts are what a count
/// of the disputes gives, and the reasons offered are those of the disputes under the other
/// filters.
fn pages_and_counts_agree(conn: &Connection) {
    for accounts in scopes() {
        for filter in filters() {
            let want = expected(conn, &accounts, &filter);
            assert_eq!(paged(conn, &accounts, &filter, 7), want, "{accounts:?} {filter:?}");
            let inbox = Inbox { accounts: &accounts, filter: &filter };
            let counts = inbox.counts(conn, NOW).unwrap();
            assert_eq!(counts.total as usize, want.len(), "total of {accounts:?} {filter:?}");
            let mut overdue = 0;
            let mut due_soon = 0;
            for id in &want {
                let raw: String = conn.query_row("SELECT raw FROM objects WHERE id = ?1", [id], |r| r.get(0)).unwrap();
                let d: Value = serde_json::from_str(&raw).unwrap();
                let due = d["evidence_details"]["due_by"].as_i64().filter(|d| *d > 0);
                match urgency(d["status"].as_str().unwrap(), due, NOW) {
                    Urgency::Overdue => overdue += 1,
                    Urgency::DueSoon => due_soon += 1,
                    _ => {}
                }
            }
            assert_eq!((counts.overdue, counts.due_soon), (overdue, due_soon), "deadlines of {accounts:?} {filter:?}");
            let others = DisputeFilter { reason: None, ..filter.clone() };
            let mut reasons: Vec<String> = expected(conn, &accounts, &others)
                .iter()
                .map(|id| {
                    conn.query_row("SELECT json_extract(raw, '$.reason') FROM objects WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .unwrap()
                })
                .collect();
            reasons.sort();
            reasons.dedup();
            assert_eq!(inbox.reasons(conn).unwrap(), reasons, "reasons of {accounts:?} {filter:?}");
        }
    }
}

#[test]
fn pages_of_the_inbox_follow_every_write() {
    let store = Store::open_in_memory().unwrap();
    let mut rng = fastrand::Rng::with_seed(21);
    fill(store.conn(), &mut rng, 300);
    pages_and_counts_agree(store.conn());

    // A sync writing disputes again: some unchanged, some answered, won, re-reasoned or moved
    // to another deadline.
    let conn = store.conn();
    for i in (0..300).step_by(4) {
        let id = format!("dp_{i:04}");
        let (account, raw): (String, String) = conn
            .query_row("SELECT account, raw FROM objects WHERE id = ?1", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        let mut d: Value = serde_json::from_str(&raw).unwrap();
        match i % 3 {
            0 => d["status"] = json!(STATUSES[(i / 4) % STATUSES.len()]),
            1 => d["reason"] = json!(REASONS[(i / 4) % REASONS.len()]),
            _ => d["evidence_details"]["due_by"] = json!(NOW + 5 * HOUR),
        }
        objects::upsert(conn, &account, &[d], "t2").unwrap();
    }
    pages_and_counts_agree(conn);

    // Written by hand: an account moved, a dispute that stops being one and becomes one again.
    conn.execute("UPDATE objects SET account = 'acct_3' WHERE id IN ('dp_0011', 'dp_0012')", []).unwrap();
    conn.execute("UPDATE objects SET kind = 'charge' WHERE id = 'dp_0013'", []).unwrap();
    pages_and_counts_agree(conn);
    conn.execute("UPDATE objects SET kind = 'dispute' WHERE id = 'dp_0013'", []).unwrap();
    conn.execute("DELETE FROM objects WHERE id IN ('dp_0001', 'dp_0002')", []).unwrap();
    pages_and_counts_agree(conn);

    objects::clear(store.conn()).unwrap();
    pages_and_counts_agree(store.conn());
    let left: i64 = store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM dispute_counts) + (SELECT count(*) FROM dispute_account_counts)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "an emptied count is deleted");
}

#[test]
fn reminders_read_the_deadlines_in_their_window_only() {
    let store = Store::open_in_memory().unwrap();
    let conn = store.conn();
    let disputes = [
        dispute("dp_past", "needs_response", "general", NOW - 9 * 86_400, Some(NOW - HOUR)),
        dispute("dp_soon", "needs_response", "general", NOW - 9 * 86_400, Some(NOW + 10 * HOUR)),
        dispute("dp_inquiry", "warning_needs_response", "general", NOW - 9 * 86_400, Some(NOW + 70 * HOUR)),
        dispute("dp_later", "needs_response", "general", NOW - 9 * 86_400, Some(NOW + 80 * HOUR)),
        dispute("dp_none", "needs_response", "general", NOW - 9 * 86_400, None),
        dispute("dp_bank", "under_review", "general", NOW - 9 * 86_400, Some(NOW + 10 * HOUR)),
    ];
    objects::upsert(conn, "acct_1", &disputes, "t").unwrap();
    let due: Vec<String> = due_between(conn, NOW, NOW + 72 * HOUR)
        .unwrap()
        .into_iter()
        .map(|c| c.raw["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(due, ["dp_soon", "dp_inquiry"]);
}

#[test]
fn each_kind_of_inbox_read_has_an_index_for_its_order() {
    let store = Store::open_in_memory().unwrap();
    let conn = store.conn();
    for (filter, index) in [
        (DisputeFilter::default(), "disputes_inbox"),
        (DisputeFilter { status: Some("won".into()), ..Default::default() }, "disputes_inbox_status"),
        (DisputeFilter { reason: Some("duplicate".into()), ..Default::default() }, "disputes_inbox_reason"),
        (DisputeFilter { restaurant: Some("acct_1".into()), ..Default::default() }, "disputes_inbox_account"),
    ] {
        let accounts = Accounts::All;
        let inbox = Inbox { accounts: &accounts, filter: &filter };
        let (conditions, args) = inbox.conditions("o.").unwrap();
        for reverse in [false, true] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT o.rowid FROM objects o WHERE o.kind = 'dispute'{conditions}
                 ORDER BY {} LIMIT 100",
                inbox.order(reverse)
            );
            let mut stmt = conn.prepare(&sql).unwrap();
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            let plan = plan.join(" / ");
            assert!(plan.contains(index), "{filter:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{filter:?} sorts (reverse: {reverse}): {plan}");
        }
    }
}
