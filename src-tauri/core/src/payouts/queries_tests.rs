//! Sorted by restaurant name, a page is the page the names themselves sort to, whatever happened to
//! the names since the payouts were cached.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::json;

use super::*;
use crate::gateways::stripe::models::{Account, Balance};
use crate::store::cache::{self, OverviewSnapshot};
use crate::store::filters::Search;
use crate::store::merchants::{self, Merchant};
use crate::store::{deposits, objects, Store};

const DAY: i64 = 86_400;

fn overview(accounts: &[(&str, &str)]) -> OverviewSnapshot {
    let balance: Balance = serde_json::from_value(json!({})).unwrap();
    let accounts = accounts
        .iter()
        .map(|(id, name)| {
            let raw = json!({"id": id, "object": "account", "type": "standard", "business_profile": {"name": name}});
            (serde_json::from_value::<Account>(raw.clone()).unwrap(), raw)
        })
        .collect();
    OverviewSnapshot { platform_balance: (balance, json!({})), accounts, account_balances: vec![] }
}

fn merchant(merchid: &str, name: &str) -> Merchant {
    Merchant { merchid: merchid.into(), name: name.into(), currency: "usd".into() }
}

/// Payouts of `accounts` (and of the platform), `per` each.
fn pay(conn: &Connection, first: usize, accounts: &[&str], per: usize) {
    for (k, account) in accounts.iter().enumerate() {
        let batch: Vec<_> = (0..per)
            .map(|i| {
                let n = first + k * per + i;
                let status = ["paid", "failed", "pending"][n % 3];
                json!({"id": format!("po_{n}"), "object": "payout", "amount": 100 + n as i64, "currency": "usd",
                       "status": status, "created": 1_770_000_000 + n as i64,
                       "arrival_date": 1_770_000_000 + (n as i64 % 40) * DAY})
            })
            .collect();
        if account.starts_with("4964") {
            deposits::upsert(conn, account, &batch, "t").unwrap();
        } else {
            objects::upsert(conn, account, &batch, "t").unwrap();
        }
    }
}

/// The page as schema 14 read it: sorted by names joined at every read, an ID found by `LIKE`
/// alone, every order walked from the start.
fn joined(conn: &Connection, query: &PayoutQuery, offset: u32, limit: u32) -> Vec<String> {
    let (filter, mut args) = query.filter();
    if let Some(start) = query.search.as_ref().and_then(|s| s.id_start.as_ref()) {
        // The range before the LIKE is what schema 17 added: left out, with its two values.
        assert!(filter.contains("o.id >= ? COLLATE NOCASE AND o.id < ? COLLATE NOCASE AND "));
        let first = args.iter().position(|a| *a == Sql::Text(start.clone())).unwrap();
        args.drain(first..first + 2);
    }
    let filter = filter.replace("o.id >= ? COLLATE NOCASE AND o.id < ? COLLATE NOCASE AND ", "");
    let dir = if query.descending { "DESC" } else { "ASC" };
    let order = match query.sort {
        PayoutSort::ArrivalDate => format!("o.arrival_date {dir}, o.rowid {dir}"),
        PayoutSort::Created => format!("o.created {dir}, o.rowid {dir}"),
        PayoutSort::Amount => format!("o.currency {dir}, o.amount {dir}, o.rowid {dir}"),
        PayoutSort::Status => format!("o.status {dir}, o.rowid {dir}"),
        PayoutSort::Account => format!("coalesce(a.name, m.name, '') {dir}, o.rowid {dir}"),
    };
    let sql = format!(
        "SELECT o.id FROM objects o
         LEFT JOIN accounts a ON a.id = o.account LEFT JOIN cardconnect_merchants m ON m.merchid = o.account
         WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    args.extend([Sql::Integer(limit as i64), Sql::Integer(offset as i64)]);
    let mut stmt = conn.prepare(&sql).unwrap();
    let ids = stmt.query_map(params_from_iter(args), |r| r.get(0)).unwrap();
    ids.collect::<Result<_, _>>().unwrap()
}

fn same_pages(conn: &Connection, when: &str) {
    let by_name = |descending: bool, status: Option<&str>, accounts: Accounts| PayoutQuery {
        accounts,
        status: status.map(str::to_string),
        from: None,
        until: None,
        sort: PayoutSort::Account,
        descending,
        search: None,
    };
    let some = || Accounts::Only(vec!["acct_b".into(), "496400000101".into(), "acct_gone".into()]);
    for query in [
        by_name(true, None, Accounts::All),
        by_name(false, None, Accounts::All),
        by_name(true, Some("failed"), Accounts::All),
        by_name(false, None, some()),
        by_name(true, Some("paid"), some()),
    ] {
        for (offset, limit) in [(0, 7), (5, 20), (30, 100), (0, 1_000)] {
            let paged: Vec<String> = page(conn, &query, offset, limit).unwrap().into_iter().map(|r| r.id).collect();
            assert_eq!(paged, joined(conn, &query, offset, limit), "{when}: {query:?} at {offset}");
        }
    }
}

#[test]
fn sorted_by_name_the_page_is_the_one_the_names_sort_to() {
    let mut store = Store::open_in_memory().unwrap();
    merchants::replace(store.conn_mut(), &[merchant("496400000101", "Harbour Grill")], "t").unwrap();
    // Two restaurants of one name; a merchant named like an account; the platform; an account
    // the overview does not know (yet).
    let named = [("acct_a", "Harbour Grill"), ("acct_b", "Blue Door"), ("acct_c", "Blue Door"), ("acct_d", "Ápice")];
    cache::replace_overview(store.conn_mut(), &overview(&named), "t1").unwrap();
    pay(store.conn(), 0, &["acct_a", "acct_b", "acct_c", "acct_d", "", "acct_gone", "496400000101"], 9);
    same_pages(store.conn(), "as cached");

    // Renamed, gone, back under another name; a new account for payouts cached before it.
    let renamed = [("acct_a", "Zest"), ("acct_c", "Blue Door"), ("acct_d", "Ápice"), ("acct_gone", "Anchor")];
    cache::replace_overview(store.conn_mut(), &overview(&renamed), "t2").unwrap();
    same_pages(store.conn(), "after the overview changed");

    // The merchant renamed, another added for deposits already cached, then the first removed.
    pay(store.conn(), 100, &["496400000102"], 5);
    let both = [merchant("496400000101", "Quay"), merchant("496400000102", "Marina")];
    merchants::replace(store.conn_mut(), &both, "t").unwrap();
    same_pages(store.conn(), "after the merchants changed");
    merchants::replace(store.conn_mut(), &[merchant("496400000102", "Marina")], "t").unwrap();
    pay(store.conn(), 200, &["acct_a", "acct_new"], 4);
    same_pages(store.conn(), "after new payouts");
    store.conn().execute("UPDATE accounts SET name = 'Aardvark' WHERE id = 'acct_c'", []).unwrap();
    same_pages(store.conn(), "after a name changed in place");
}

#[test]
fn every_order_filter_search_and_page_is_the_page_schema_14_read() {
    let mut store = Store::open_in_memory().unwrap();
    let named = [("acct_a", "Harbour Grill"), ("acct_b", "Blue Door"), ("acct_c", "Blue Door")];
    cache::replace_overview(store.conn_mut(), &overview(&named), "t").unwrap();
    // Many ties in every column, and IDs in both cases.
    let conn = store.conn();
    for (k, account) in ["acct_a", "acct_b", "acct_c", "", "acct_gone"].iter().enumerate() {
        let batch: Vec<_> = (0..700)
            .map(|i| {
                let n = k * 700 + i;
                let status = ["paid", "failed", "pending", "in_transit", "canceled"][n % 5];
                let id = if n % 3 == 0 { format!("PO_Mixed{n}") } else { format!("po_{n}") };
                let currency = ["usd", "eur"][n % 2];
                json!({"id": id, "object": "payout", "amount": 100 * (n as i64 % 13), "currency": currency,
                       "status": status, "created": 1_770_000_000 + (n as i64 % 50) * DAY,
                       "arrival_date": 1_770_000_000 + (n as i64 % 40) * DAY})
            })
            .collect();
        objects::upsert(conn, account, &batch, "t").unwrap();
    }
    let base = PayoutQuery {
        accounts: Accounts::All,
        status: None,
        from: None,
        until: None,
        sort: PayoutSort::ArrivalDate,
        descending: true,
        search: None,
    };
    let filters = [
        base.clone(),
        PayoutQuery { status: Some("failed".into()), ..base.clone() },
        PayoutQuery { accounts: Accounts::Only(vec!["acct_b".into(), "".into()]), ..base.clone() },
        PayoutQuery { from: Some(1_770_000_000 + 5 * DAY), until: Some(1_770_000_000 + 30 * DAY), ..base.clone() },
        PayoutQuery { search: Search::parse(Some("po_mixed1")), ..base.clone() },
        PayoutQuery { search: Search::parse(Some("3.00")), ..base.clone() },
        PayoutQuery { search: Search::parse(Some("blue")), ..base.clone() },
    ];
    let sorts =
        [PayoutSort::ArrivalDate, PayoutSort::Created, PayoutSort::Amount, PayoutSort::Status, PayoutSort::Account];
    for filter in &filters {
        let total = count(conn, filter).unwrap();
        assert!(total > 0, "{filter:?}");
        for sort in sorts {
            for descending in [true, false] {
                let query = PayoutQuery { sort, descending, ..filter.clone() };
                let near_end = total.saturating_sub(60);
                for offset in [0, 37, 1_001, 1_700, near_end, total.saturating_sub(1), total, total + 5] {
                    let paged: Vec<String> =
                        page(conn, &query, offset, 100).unwrap().into_iter().map(|r| r.id).collect();
                    assert_eq!(paged, joined(conn, &query, offset, 100), "{query:?} at {offset} of {total}");
                }
            }
        }
    }
    // The start of an ID finds it in any case, as LIKE did.
    let found = count(conn, &PayoutQuery { search: Search::parse(Some("PO_MIXED12")), ..base.clone() }).unwrap();
    let like: u32 = conn
        .query_row("SELECT count(*) FROM objects WHERE id LIKE 'po\\_mixed12%' ESCAPE '\\'", [], |r| r.get(0))
        .unwrap();
    assert!(like > 1);
    assert_eq!(found, like);
}

/// A deep page by amount or by restaurant name starts at the step of amounts or the name that holds
/// it (schema 26): the same page as stepping from the start, in both directions, after writes of
/// every kind and renames, and stepping again when a payout without an amount is cached.
#[test]
fn a_deep_page_by_amount_or_name_is_the_page_stepping_from_the_start_reads() {
    let mut store = Store::open_in_memory().unwrap();
    let named = [("acct_a", "Harbour Grill"), ("acct_b", "Blue Door"), ("acct_c", "Blue Door"), ("acct_d", "Ápice")];
    cache::replace_overview(store.conn_mut(), &overview(&named), "t").unwrap();
    let conn = store.conn();
    let payout = |n: i64, amount: serde_json::Value, currency: &str| {
        json!({"id": format!("po_{n}"), "object": "payout", "amount": amount, "currency": currency,
               "status": "paid", "created": 1_770_000_000 + n, "arrival_date": 1_770_000_000 + (n % 40) * DAY})
    };
    // Amounts across many steps, ties within a step and across restaurants, three currencies, a
    // negative amount and one far past the rest; restaurants of one name, one without a name, the
    // platform.
    let fill: Vec<_> = (0..3_000i64)
        .map(|n| {
            let amount = match n % 7 {
                0 => 5_000,
                1 => -2_048,
                2 => 99_999_999,
                // The last amount of a step.
                3 => (n * 31) % 58 * 1_024 + 1_023,
                _ => (n * 7_919) % 60_000,
            };
            payout(n, json!(amount), ["usd", "eur", "jpy"][(n % 3) as usize])
        })
        .collect();
    for (k, account) in ["acct_a", "acct_b", "acct_c", "acct_d", "acct_gone", ""].iter().enumerate() {
        objects::upsert(conn, account, &fill[k * 500..(k + 1) * 500], "t").unwrap();
    }
    agree(conn, "as cached");
    assert!(seeks(conn, PayoutSort::Amount) && seeks(conn, PayoutSort::Account));

    // Amounts and currencies changed, payouts deleted, one moved to another kind and one to
    // another restaurant; a restaurant renamed, one gone from the overview, one new.
    objects::upsert(conn, "acct_a", &[payout(5, json!(1), "usd"), payout(9, json!(70_000), "gbp")], "t2").unwrap();
    conn.execute("DELETE FROM objects WHERE id IN ('po_10', 'po_11', 'po_2999')", []).unwrap();
    conn.execute("UPDATE objects SET kind = 'transfer' WHERE id = 'po_12'", []).unwrap();
    conn.execute("UPDATE objects SET amount = amount + 3000 WHERE id IN ('po_13', 'po_14')", []).unwrap();
    conn.execute("UPDATE objects SET account = 'acct_d' WHERE id = 'po_15'", []).unwrap();
    let renamed = [("acct_a", "Zest"), ("acct_b", "Blue Door"), ("acct_d", "Ápice"), ("acct_gone", "Anchor")];
    cache::replace_overview(store.conn_mut(), &overview(&renamed), "t3").unwrap();
    let conn = store.conn();
    agree(conn, "after writes and renames");
    assert!(seeks(conn, PayoutSort::Amount) && seeks(conn, PayoutSort::Account));

    // A payout without an amount: on no step, so the list steps from the start again by amount.
    objects::upsert(conn, "acct_b", &[payout(4_000, serde_json::Value::Null, "usd")], "t4").unwrap();
    agree(conn, "with a payout without an amount");
    assert!(!seeks(conn, PayoutSort::Amount) && seeks(conn, PayoutSort::Account));
}

fn every(sort: PayoutSort, descending: bool) -> PayoutQuery {
    PayoutQuery { accounts: Accounts::All, status: None, from: None, until: None, sort, descending, search: None }
}

fn seeks(conn: &Connection, sort: PayoutSort) -> bool {
    seek(conn, &every(sort, false), false, 1_500).unwrap().is_some()
}

/// Pages deep in every payout by amount and by name, both ways, against stepping from the start.
fn agree(conn: &Connection, when: &str) {
    let total = count(conn, &every(PayoutSort::Amount, false)).unwrap();
    for sort in [PayoutSort::Amount, PayoutSort::Account] {
        for descending in [false, true] {
            let query = every(sort, descending);
            for offset in (1_000..total).step_by(97).chain([total / 2, total - 1]) {
                let paged: Vec<String> = page(conn, &query, offset, 50).unwrap().into_iter().map(|r| r.id).collect();
                assert_eq!(paged, joined(conn, &query, offset, 50), "{when}: {query:?} at {offset} of {total}");
            }
        }
    }
}
