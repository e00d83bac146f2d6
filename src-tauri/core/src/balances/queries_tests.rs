//! The balance history's total, pages and types are those schema 17's queries read, for every
//! filter and search, and the counts follow every write.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::{json, Value};

use super::*;
use crate::store::{objects, Store};

const DAY: i64 = 86_400;
const START: i64 = 1_772_323_200;
const TYPES: [Option<&str>; 6] =
    [Some("charge"), Some("charge"), Some("refund"), Some("payout"), Some("adjustment"), None];

/// Balance transaction `i`: ties in time, every type and none, sources as IDs, expanded or
/// missing, IDs in both cases, nets as numbers and (once in a while) as text.
fn transaction(i: i64) -> Value {
    let id = if i % 4 == 0 { format!("TXN_Bench{i:05}") } else { format!("txn_bench{i:05}") };
    let source = match i % 5 {
        0 => json!({"id": format!("ch_exp{i}"), "object": "charge"}),
        1 => Value::Null,
        _ => json!(format!("ch_{:05}", i % 700)),
    };
    let net = if i % 41 == 0 { json!(format!("{}", 1_200)) } else { json!(1_000 + (i % 37) * 100) };
    let mut t = json!({"id": id, "object": "balance_transaction", "amount": 1_200 + (i % 23) * 100, "currency": "usd",
                       "created": START - 3 * DAY + (i % 300) * 7_200 - 11, "net": net, "fee": 30,
                       "description": format!("Order HV-{}", i % 90), "source": source, "status": "available"});
    if let Some(kind) = TYPES[i as usize % TYPES.len()] {
        t["type"] = json!(kind);
    }
    t
}

fn fill(conn: &Connection) {
    for (account, range) in [("acct_a", 0..1_500), ("acct_b", 1_500..1_600), ("", 1_600..1_700)] {
        let batch: Vec<Value> = range.map(transaction).collect();
        objects::upsert(conn, account, &batch, "t").unwrap();
    }
    // Created before 1970: days are floored.
    conn.execute("UPDATE objects SET created = -7 - rowid WHERE rowid % 97 = 0", []).unwrap();
}

/// Schema 17's WHERE clause, word for word.
fn old_filter(q: &HistoryQuery) -> (String, Vec<Sql>) {
    let mut sql = String::from("kind = 'balance_transaction' AND account = ?");
    let mut args = vec![Sql::Text(q.account.clone())];
    if let Some(kind) = &q.kind {
        sql.push_str(" AND type = ?");
        args.push(Sql::Text(kind.clone()));
    }
    created_between(&mut sql, &mut args, q.from, q.until);
    if let Some(search) = &q.search {
        let mut any = Vec::new();
        if let Some(id) = &search.id_prefix {
            any.push("id LIKE ? ESCAPE '\\' OR json_extract(raw, '$.source') LIKE ? ESCAPE '\\'");
            args.push(Sql::Text(id.clone()));
            args.push(Sql::Text(id.clone()));
        }
        for amount in &search.amounts {
            any.push("amount = ? OR amount = -? OR json_extract(raw, '$.net') = ?");
            args.extend([Sql::Integer(*amount), Sql::Integer(*amount), Sql::Integer(*amount)]);
        }
        if let Some(words) = &search.words {
            any.push("json_extract(raw, '$.description') LIKE ? ESCAPE '\\'");
            args.push(Sql::Text(words.clone()));
        }
        sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    (sql, args)
}

fn old_count(conn: &Connection, q: &HistoryQuery) -> u32 {
    let (filter, args) = old_filter(q);
    conn.query_row(&format!("SELECT count(*) FROM objects WHERE {filter}"), params_from_iter(args), |r| r.get(0))
        .unwrap()
}

fn old_page(conn: &Connection, q: &HistoryQuery, offset: u32, limit: u32) -> Vec<String> {
    let (filter, mut args) = old_filter(q);
    args.extend([Sql::Integer(limit as i64), Sql::Integer(offset as i64)]);
    let sql = format!("SELECT id FROM objects WHERE {filter} ORDER BY created DESC, id DESC LIMIT ? OFFSET ?");
    let mut stmt = conn.prepare(&sql).unwrap();
    let ids = stmt.query_map(params_from_iter(args), |r| r.get(0)).unwrap();
    ids.collect::<Result<_, _>>().unwrap()
}

fn old_kinds(conn: &Connection, account: &str) -> Vec<String> {
    let sql = "SELECT DISTINCT type FROM objects WHERE kind = 'balance_transaction' AND account = ?1 AND type IS NOT NULL ORDER BY type";
    let mut stmt = conn.prepare(sql).unwrap();
    let kinds = stmt.query_map([account], |r| r.get(0)).unwrap();
    kinds.collect::<Result<_, _>>().unwrap()
}

fn counts_are_the_transactions(conn: &Connection) {
    let read = |sql: &str| -> Vec<(String, i64, String, i64, i64)> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let kept = read("SELECT account, typed, type, day, transactions FROM balance_day_counts ORDER BY 1, 2, 3, 4");
    let counted = read(
        "SELECT account, type IS NOT NULL, coalesce(type, ''), CASE WHEN created >= 0 THEN created / 86400 ELSE -((86399 - created) / 86400) END, count(*)
         FROM objects WHERE kind = 'balance_transaction' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    );
    assert_eq!(kept, counted);
}

#[test]
fn the_history_reads_what_schema_17_read() {
    let store = Store::open_in_memory().unwrap();
    let conn = store.conn();
    fill(conn);
    counts_are_the_transactions(conn);
    let all = HistoryQuery { account: "acct_a".into(), kind: None, from: None, until: None, search: None, found: None };
    let queries = [
        all.clone(),
        HistoryQuery { kind: Some("charge".into()), ..all.clone() },
        HistoryQuery { kind: Some("payout".into()), from: Some(START - DAY), ..all.clone() },
        HistoryQuery { from: Some(START), until: Some(START + 10 * DAY), ..all.clone() },
        HistoryQuery { until: Some(START), ..all.clone() },
        HistoryQuery { from: Some(START + DAY / 3), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("txn_bench001")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("CH_001")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("12.00")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("order hv-1")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("HV")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("hv-89")), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("ORDER HV-5")), from: Some(START), ..all.clone() },
        HistoryQuery { search: Search::parse(Some("order  hv")), ..all.clone() },
        HistoryQuery { kind: Some("refund".into()), search: Search::parse(Some("15")), ..all.clone() },
        HistoryQuery { account: "".into(), ..all.clone() },
        HistoryQuery { account: "acct_none".into(), ..all.clone() },
    ];
    for q in queries.iter().flat_map(|q| [q.clone(), q.clone().looked_up(conn).unwrap()]) {
        let total = old_count(conn, &q);
        for offset in [0, 37, 1_001, 1_200, total.saturating_sub(30), total, total + 3] {
            total_agrees(conn, &q, offset);
            let page: Vec<String> = history_page(conn, &q, offset, 50).unwrap().into_iter().map(|r| r.id).collect();
            assert_eq!(page, old_page(conn, &q, offset, 50), "{q:?} at {offset} of {total}");
        }
    }
    assert!(history_count(conn, &queries[11], 0).unwrap().0 > 1, "words found in any case");
    assert!(history_count(conn, &queries[6], 0).unwrap().0 > 1, "IDs found in any case");
    assert!(history_count(conn, &queries[7], 0).unwrap().0 > 1, "sources found in any case");
    assert!(history_count(conn, &queries[10], 0).unwrap().1, "1,500 holding `HV` counted to 1,000");
    assert!(queries[9].clone().looked_up(conn).unwrap().found.is_some(), "few hold `order hv-1`: looked up");
    for account in ["acct_a", "acct_b", "", "acct_none"] {
        let kinds: Vec<String> = history_kinds(conn, account).unwrap().into_iter().map(|k| k.value).collect();
        assert_eq!(kinds, old_kinds(conn, account), "{account:?}");
    }
}

#[test]
fn the_counts_follow_every_write() {
    let mut store = Store::open_in_memory().unwrap();
    fill(store.conn());
    let conn = store.conn();
    // Synced again: some unchanged, some with another type or none.
    let again: Vec<Value> = (0..300)
        .map(|i| {
            let mut t = transaction(i);
            if i % 3 == 0 {
                t["type"] = json!("stripe_fee");
            } else if i % 3 == 1 {
                t.as_object_mut().unwrap().remove("type");
            }
            t
        })
        .collect();
    objects::upsert(conn, "acct_a", &again, "t2").unwrap();
    counts_are_the_transactions(conn);
    conn.execute("UPDATE objects SET account = 'acct_b', created = created + 86400 WHERE rowid % 7 = 0", []).unwrap();
    conn.execute("UPDATE objects SET kind = 'payout' WHERE rowid % 11 = 0", []).unwrap();
    counts_are_the_transactions(conn);
    conn.execute("UPDATE objects SET kind = 'balance_transaction' WHERE rowid % 22 = 0", []).unwrap();
    conn.execute("DELETE FROM objects WHERE rowid % 5 = 0", []).unwrap();
    counts_are_the_transactions(conn);
    words_are_found_as_before(conn);
    // Descriptions changed by a sync and by hand, one to words the trigrams fold differently from
    // LIKE (which folds ASCII only), one taken away.
    let renamed: Vec<Value> = (300..360)
        .map(|i| {
            let mut t = transaction(i);
            t["description"] = json!(format!("Catering ÑANDÚ week {}", i % 7));
            t
        })
        .collect();
    objects::upsert(conn, "acct_a", &renamed, "t3").unwrap();
    conn.execute("UPDATE objects SET raw = json_remove(raw, '$.description') WHERE rowid % 13 = 0", []).unwrap();
    words_are_found_as_before(conn);
    crate::store::cache::clear(store.conn_mut()).unwrap();
    counts_are_the_transactions(store.conn());
    words_are_found_as_before(store.conn());
}

/// The total is schema 17's count, or — for a search walked, counted only so far past the page at
/// `offset` — fewer, and exactly that far.
fn total_agrees(conn: &Connection, q: &HistoryQuery, offset: u32) {
    let old = old_count(conn, q);
    match history_count(conn, q, offset).unwrap() {
        (total, true) => assert!(total < old && total == offset + COUNTED_PAST, "{q:?} at {offset}: {total}+ of {old}"),
        (total, false) => assert_eq!(total, old, "{q:?} at {offset}"),
    }
}

/// Searches by words (through the trigram index when they are long enough) find what `LIKE` over
/// every description found.
fn words_are_found_as_before(conn: &Connection) {
    for account in ["acct_a", "acct_b"] {
        for words in ["order hv-1", "HV", "catering ñandú", "ÑANDÚ WEEK 3", "ñandú", "andú week", "nothing like it"]
        {
            let q = HistoryQuery {
                account: account.into(),
                kind: None,
                from: None,
                until: None,
                search: Search::parse(Some(words)),
                found: None,
            };
            for q in [q.clone(), q.looked_up(conn).unwrap()] {
                total_agrees(conn, &q, 0);
                let page: Vec<String> = history_page(conn, &q, 0, 50).unwrap().into_iter().map(|r| r.id).collect();
                assert_eq!(page, old_page(conn, &q, 0, 50), "{q:?}");
            }
        }
    }
}
