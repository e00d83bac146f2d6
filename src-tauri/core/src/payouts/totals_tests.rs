//! The daily totals follow every write to the payouts, and the counts and the chart read from
//! them are what the payouts themselves add up to.

use rusqlite::Connection;
use serde_json::{json, Value};

use super::*;
use crate::payouts::chart::{chart, from_totals, read, series};
use crate::payouts::views::{ChartBucket, ChartSeries, PayoutSort};
use crate::store::filters::Search;
use crate::store::{cache, deposits, objects, Store};

const STATUSES: [&str; 5] = ["paid", "in_transit", "pending", "failed", "canceled"];
/// 1 March 2026, a Sunday: weeks and months straddle the data.
const START: i64 = 1_772_323_200;

fn payout(id: &str, amount: i64, currency: &str, status: &str, arrival: i64) -> Value {
    json!({"id": id, "object": "payout", "amount": amount, "currency": currency, "status": status,
           "created": arrival - 2 * DAY, "arrival_date": arrival, "automatic": true, "metadata": {}})
}

/// Random payouts over 5 accounts and the platform, 3 currencies, 120 days, arrivals at midnight
/// and during the day.
fn fill(conn: &Connection, rng: &mut fastrand::Rng, n: usize) {
    for i in 0..n {
        let account = if rng.u8(0..6) == 0 { String::new() } else { format!("acct_{}", rng.u8(0..5)) };
        let arrival = START + rng.i64(0..120) * DAY + if rng.bool() { 0 } else { rng.i64(0..DAY) };
        let p = payout(
            &format!("po_{i}"),
            rng.i64(1..100_000),
            ["usd", "eur", "jpy"][rng.usize(0..3)],
            STATUSES[rng.usize(0..STATUSES.len())],
            arrival,
        );
        objects::upsert(conn, &account, &[p], "t").unwrap();
    }
}

/// The totals as kept equal the totals as the payouts add up now, per account and for every
/// account: `(account, dated, day, currency, status, amount, payouts)`.
fn totals_and_scan(conn: &Connection) {
    type Total = (String, i64, i64, String, String, i64, i64);
    let read = |sql: &str| -> Vec<Total> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)));
        rows.unwrap().collect::<Result<_, _>>().unwrap()
    };
    let columns = "arrival_date IS NOT NULL, coalesce(arrival_date / 86400, 0), coalesce(currency, ''),
                   coalesce(status, ''), sum(coalesce(amount, 0)), count(*) FROM objects WHERE kind = 'payout'";
    let kept = read("SELECT account, dated, day, currency, status, amount, payouts FROM payout_account_day_totals ORDER BY 1, 2, 3, 4, 5");
    let added = read(&format!("SELECT account, {columns} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"));
    assert_eq!(kept, added, "per account");
    let kept =
        read("SELECT '', dated, day, currency, status, amount, payouts FROM payout_day_totals ORDER BY 2, 3, 4, 5");
    let added = read(&format!("SELECT '', {columns} GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5"));
    assert_eq!(kept, added, "every account");
}

#[test]
fn the_totals_follow_inserts_updates_and_deletes() {
    let mut store = Store::open_in_memory().unwrap();
    let mut rng = fastrand::Rng::with_seed(15);
    fill(store.conn(), &mut rng, 400);
    totals_and_scan(store.conn());

    // A sync writing payouts again: some unchanged, some paid, failed, moved or corrected.
    let again: Vec<Value> = (0..400)
        .step_by(3)
        .map(|i| {
            let (account, raw): (String, String) = store
                .conn()
                .query_row("SELECT account, raw FROM objects WHERE id = ?1", [format!("po_{i}")], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap();
            let mut p: Value = serde_json::from_str(&raw).unwrap();
            match i % 4 {
                0 => {}
                1 => p["status"] = json!(STATUSES[i % STATUSES.len()]),
                2 => p["arrival_date"] = json!(p["arrival_date"].as_i64().unwrap() + 9 * DAY + 7),
                _ => p["amount"] = json!(p["amount"].as_i64().unwrap() + 1_234),
            }
            if i % 5 == 0 {
                p["currency"] = json!("gbp");
            }
            (account, p)
        })
        .map(|(account, p)| {
            objects::upsert(store.conn(), &account, std::slice::from_ref(&p), "t2").unwrap();
            p
        })
        .collect();
    assert!(!again.is_empty());
    totals_and_scan(store.conn());

    // Written by hand: an arrival date taken away and given back, an account moved, a payout that
    // stops being one and a row that becomes one.
    let conn = store.conn();
    conn.execute("UPDATE objects SET raw = json_remove(raw, '$.arrival_date') WHERE id = 'po_10'", []).unwrap();
    conn.execute("UPDATE objects SET status = NULL, currency = NULL WHERE id = 'po_14'", []).unwrap();
    totals_and_scan(conn);
    conn.execute("UPDATE objects SET raw = json_set(raw, '$.arrival_date', ?1) WHERE id = 'po_10'", [START]).unwrap();
    conn.execute("UPDATE objects SET account = 'acct_9' WHERE id IN ('po_11', 'po_12')", []).unwrap();
    conn.execute("UPDATE objects SET kind = 'transfer' WHERE id = 'po_13'", []).unwrap();
    conn.execute("UPDATE objects SET kind = 'payout' WHERE id = 'po_13'", []).unwrap();
    totals_and_scan(conn);

    // CardConnect deposits are payouts too.
    let deposit = payout("ccdep_496400000101_20260401", 88_000, "usd", "paid", START + 31 * DAY);
    deposits::upsert(conn, "496400000101", &[deposit.clone()], "t").unwrap();
    let mut failed = deposit;
    failed["status"] = json!("failed");
    deposits::upsert(conn, "496400000101", &[failed], "t").unwrap();
    totals_and_scan(conn);

    // Deletes: one payout, a gateway's cache, everything.
    conn.execute("DELETE FROM objects WHERE id IN ('po_1', 'po_2', 'po_3')", []).unwrap();
    totals_and_scan(conn);
    cache::clear_gateway(store.conn_mut(), crate::gateways::GatewayKind::CardConnect).unwrap();
    totals_and_scan(store.conn());
    objects::clear(store.conn()).unwrap();
    totals_and_scan(store.conn());
    let left: i64 = store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM payout_day_totals) + (SELECT count(*) FROM payout_account_day_totals)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "an emptied day is deleted");
}

fn query(accounts: Accounts, status: Option<&str>, from: Option<i64>, until: Option<i64>) -> PayoutQuery {
    PayoutQuery {
        accounts,
        status: status.map(str::to_string),
        from,
        until,
        sort: PayoutSort::ArrivalDate,
        descending: false,
        search: None,
    }
}

/// The chart as the payouts themselves add up to: the query of schema 14, word for word.
fn scanned(conn: &Connection, query: &PayoutQuery, bucket: ChartBucket) -> Vec<ChartSeries> {
    let (filter, args) = query.filter();
    let start = match bucket {
        ChartBucket::Week => "((o.arrival_date / 86400) - ((o.arrival_date / 86400) + 3) % 7) * 86400",
        ChartBucket::Month => "CAST(strftime('%s', date(o.arrival_date, 'unixepoch', 'start of month')) AS INTEGER)",
    };
    let index = match query.accounts {
        Accounts::All => "objects_by_arrival",
        Accounts::Only(_) => "objects_by_account_arrival",
    };
    let sql = format!(
        "SELECT o.currency, {start} AS b,
                sum(CASE WHEN o.status IN ('paid', 'in_transit') THEN o.amount ELSE 0 END),
                sum(CASE WHEN o.status IN ('paid', 'in_transit') THEN 1 ELSE 0 END),
                sum(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END)
         FROM objects o INDEXED BY {index} WHERE {filter} GROUP BY o.currency, b ORDER BY o.currency, b"
    );
    series(read(conn, &sql, args).unwrap(), bucket)
}

#[test]
fn the_chart_and_the_counts_from_the_totals_are_those_of_the_payouts() {
    let store = Store::open_in_memory().unwrap();
    let mut rng = fastrand::Rng::with_seed(1_500);
    fill(store.conn(), &mut rng, 1_500);
    store.conn().execute("UPDATE objects SET status = 'failed' WHERE rowid % 11 = 0", []).unwrap();
    let one = || Accounts::Only(vec!["acct_1".into()]);
    let some = || Accounts::Only(vec!["acct_0".into(), "acct_3".into(), String::new()]);
    let mut queries = vec![
        query(Accounts::All, None, None, None),
        query(one(), None, None, None),
        query(some(), None, None, None),
        query(Accounts::Only(vec![]), None, None, None),
        query(Accounts::All, None, Some(START + 10 * DAY), Some(START + 40 * DAY)),
        query(one(), None, Some(START + 3 * DAY), None),
        query(some(), None, None, Some(START + 60 * DAY)),
    ];
    for status in STATUSES {
        queries.push(query(Accounts::All, Some(status), None, None));
        queries.push(query(some(), Some(status), Some(START + 20 * DAY), Some(START + 90 * DAY)));
    }
    let counted = |q: &PayoutQuery| -> u32 {
        let (filter, args) = q.filter();
        let sql = format!("SELECT count(*) FROM objects o WHERE {filter}");
        store.conn().query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0)).unwrap()
    };
    for q in &queries {
        assert!(from_totals(q, ChartBucket::Week).is_some(), "{q:?} is read from the totals");
        assert_eq!(count(store.conn(), q).unwrap(), Some(counted(q)), "{q:?}");
        for bucket in [ChartBucket::Week, ChartBucket::Month] {
            let charted = chart(store.conn(), q, bucket).unwrap();
            if matches!(&q.accounts, Accounts::Only(ids) if ids.is_empty()) {
                // Schema 14's query found no plan for an empty scope (`INDEXED BY` an unusable
                // index) and failed; nothing to chart is what it meant.
                assert!(charted.is_empty());
                continue;
            }
            assert_eq!(format!("{charted:?}"), format!("{:?}", scanned(store.conn(), q, bucket)), "{q:?} {bucket:?}");
        }
    }
    let all = chart(store.conn(), &queries[0], ChartBucket::Week).unwrap();
    assert_eq!(all.len(), 3, "a series per currency");
    assert!(all.iter().all(|s| s.points.len() >= 17), "every week of the 120 days");

    // Not whole days, or a search: added up from the payouts, as before.
    let noon = query(Accounts::All, None, Some(START + 10 * DAY + DAY / 2), None);
    let mut searched = query(Accounts::All, None, None, None);
    searched.search = Search::parse(Some("po_1"));
    for q in [noon, searched] {
        assert!(from_totals(&q, ChartBucket::Week).is_none());
        assert_eq!(count(store.conn(), &q).unwrap(), None);
        let charted = chart(store.conn(), &q, ChartBucket::Month).unwrap();
        assert_eq!(format!("{charted:?}"), format!("{:?}", scanned(store.conn(), &q, ChartBucket::Month)));
        assert!(!charted.is_empty());
    }

    // Payouts the chart cannot place (no arrival date, no currency) still count in the list's
    // total, and in no date range.
    store
        .conn()
        .execute("UPDATE objects SET raw = json_remove(raw, '$.arrival_date') WHERE rowid % 97 = 0", [])
        .unwrap();
    store.conn().execute("UPDATE objects SET currency = NULL, status = NULL WHERE rowid % 89 = 0", []).unwrap();
    for q in &queries {
        assert_eq!(count(store.conn(), q).unwrap(), Some(counted(q)), "{q:?}");
    }
}
