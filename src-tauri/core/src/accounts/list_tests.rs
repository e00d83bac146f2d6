//! The stored accounts list (`account_rows`) against the list as it was worked out before schema
//! 21 — every account's newest JSON read, its row worked out, filtered and sorted in Rust — after
//! every kind of write: the overview sync, events, changes made here, disconnections, CardConnect
//! merchants, a cleared cache, and rows written behind the cache's functions.

use rusqlite::Connection;
use serde_json::{json, Value};

use super::list_query::{count, page, ListQuery};
use super::list_rows::{attention, merchant_row, refresh, row_of};
use super::views::AccountListRow;
use crate::gateways::stripe::models::Account;
use crate::store::cache::{self, OverviewSnapshot};
use crate::store::filters::{Accounts, TRIGRAM};
use crate::store::{disconnected, merchants, objects, Store};

const DAY: i64 = 86_400;

/// Account `i` with a status and requirements that vary with `i` (and `seed`, for a later copy).
fn account(i: usize, seed: usize) -> Value {
    let v = (i * 7 + seed * 3) % 11;
    let names = ["Blue Door", "Saffron Noodle Bar", "blue door", "Ember Grill", "Émile's Bistro", "Fig & Olive"];
    let mut req = json!({"currently_due": [], "past_due": [], "eventually_due": [], "pending_verification": []});
    match v {
        1 | 2 => {
            req["currently_due"] = json!(["individual.dob.day", "individual.dob.month", "external_account"]);
            req["current_deadline"] = json!(1_800_000_000 + (i as i64 % 5) * DAY);
        }
        3 => {
            req["past_due"] = json!(["individual.id_number"]);
            req["disabled_reason"] = json!("requirements.past_due");
        }
        4 => req["disabled_reason"] = json!("rejected.fraud"),
        5 => req["pending_verification"] = json!(["individual.verification.document"]),
        _ => {}
    }
    let kind = ["standard", "express", "custom"][i % 3];
    json!({
        "id": format!("acct_{i:04}X"), "object": "account", "type": kind,
        "country": "US", "default_currency": "usd", "created": 1_700_000_000 + i as i64,
        "charges_enabled": v != 3 && v != 6, "payouts_enabled": v != 3, "details_submitted": v != 7,
        "business_profile": {"name": format!("{} {}", names[(i + seed) % names.len()], i % 4)},
        "requirements": req,
    })
}

fn snapshot(accounts: &[Value]) -> OverviewSnapshot {
    let platform = json!({"object": "balance", "available": [], "pending": []});
    OverviewSnapshot {
        platform_balance: (serde_json::from_value(platform.clone()).unwrap(), platform),
        accounts: accounts.iter().map(|a| (serde_json::from_value::<Account>(a.clone()).unwrap(), a.clone())).collect(),
        account_balances: Vec::new(),
    }
}

/// The list as it was worked out before the stored rows.
fn worked_out(conn: &Connection, query: &ListQuery) -> Vec<AccountListRow> {
    let mut rows: Vec<AccountListRow> = Vec::new();
    for raw in cache::newest_accounts(conn).unwrap() {
        let id = raw["id"].as_str().unwrap_or_default().to_string();
        rows.push(row_of(&raw, disconnected::since(conn, &id).unwrap().is_some()));
    }
    rows.extend(merchants::all(conn).unwrap().into_iter().map(merchant_row));
    rows.retain(|r| {
        let in_scope = match &query.scope {
            Accounts::All => true,
            Accounts::Only(ids) => ids.contains(&r.id),
        };
        in_scope
            && query.search.as_ref().is_none_or(|w| {
                r.name.to_lowercase().contains(w)
                    || (w.chars().count() >= TRIGRAM && r.id.to_lowercase().starts_with(w))
            })
            && query.status.as_deref().is_none_or(|s| r.status.as_str() == s)
            && query.kind.as_deref().is_none_or(|k| r.kind == k)
    });
    rows.sort_by_key(|r| {
        let gateway_last = r.gateway != crate::gateways::GatewayKind::Stripe;
        (attention(r), r.nearest_deadline.unwrap_or(i64::MAX), r.name.to_lowercase(), gateway_last, r.id.clone())
    });
    rows
}

fn first_page(conn: &Connection, query: &ListQuery) -> Vec<AccountListRow> {
    page(conn, query, 0, 100, count(conn, query).unwrap()).unwrap()
}

fn key(rows: &[AccountListRow]) -> Vec<String> {
    rows.iter().map(|r| format!("{r:?}")).collect()
}

/// Every page of `size` of the stored list, and its total, equal the list worked out.
fn agrees(conn: &Connection, query: &ListQuery, size: u32) {
    refresh(conn).unwrap();
    let expected = worked_out(conn, query);
    assert_eq!(count(conn, query).unwrap() as usize, expected.len(), "total of {query:?}");
    let mut paged = Vec::new();
    for offset in (0..expected.len() as u32 + size).step_by(size as usize) {
        let rows = page(conn, query, offset, size, count(conn, query).unwrap()).unwrap();
        assert!(rows.len() <= size as usize);
        paged.extend(rows);
    }
    assert_eq!(key(&paged), key(&expected), "{query:?}");
    // The same with a long search looked up once, as the desk asks.
    let found = query.clone().found(conn).unwrap();
    assert_eq!(count(conn, &found).unwrap() as usize, expected.len(), "total of {found:?}");
    let rows = page(conn, &found, 0, expected.len() as u32 + 1, expected.len() as u32).unwrap();
    assert_eq!(key(&rows), key(&expected), "{found:?}");
}

fn queries() -> Vec<ListQuery> {
    let q = ListQuery::default;
    let text = |s: &str| Some(s.to_string());
    vec![
        q(),
        ListQuery { status: text("restricted"), ..q() },
        ListQuery { status: text("disabled"), ..q() },
        ListQuery { status: text("active"), kind: text("express"), ..q() },
        ListQuery { kind: text("cardconnect"), ..q() },
        ListQuery { status: text("nonsense"), ..q() },
        ListQuery { search: text("blue door"), ..q() },
        ListQuery { search: text("door 1"), status: text("active"), ..q() },
        ListQuery { search: text("émile"), ..q() },
        ListQuery { search: text("& o"), ..q() },
        ListQuery { search: text("e"), ..q() },
        ListQuery { search: text("ac"), ..q() },
        ListQuery { search: text("o"), ..q() },
        ListQuery { search: text("bl"), status: text("active"), ..q() },
        ListQuery { search: text("do"), kind: text("cardconnect"), ..q() },
        ListQuery { search: text("é"), ..q() },
        ListQuery { search: text("& "), ..q() },
        ListQuery { search: text("49"), ..q() },
        ListQuery { search: text("zq"), ..q() },
        ListQuery { scope: Accounts::Only(vec!["acct_0003X".into(), "496400000101".into()]), search: text("o"), ..q() },
        ListQuery { search: text("acct_001"), ..q() },
        ListQuery { search: text("acct_0012x"), ..q() },
        ListQuery { search: text("\"quoted\""), ..q() },
        ListQuery { search: text("4964"), ..q() },
        ListQuery {
            scope: Accounts::Only(vec!["acct_0003X".into(), "acct_0010X".into(), "496400000101".into()]),
            ..q()
        },
        ListQuery { scope: Accounts::Only(vec![]), ..q() },
        ListQuery { scope: Accounts::Only(vec!["acct_0003X".into()]), search: text("blue"), ..q() },
    ]
}

fn all_agree(conn: &Connection) {
    for query in queries() {
        for size in [1, 7, 100] {
            agrees(conn, &query, size);
        }
    }
}

#[test]
fn every_page_and_total_agree_with_the_list_worked_out_after_every_write() {
    let mut store = Store::open_in_memory().unwrap();
    let first: Vec<Value> = (0..60).map(|i| account(i, 0)).collect();
    cache::replace_overview(store.conn_mut(), &snapshot(&first), "2026-12-01T10:00:00Z").unwrap();
    let m =
        |id: &str, name: &str| merchants::Merchant { merchid: id.into(), name: name.into(), currency: "usd".into() };
    merchants::replace(store.conn_mut(), &[m("496400000101", "Quay Door 1"), m("496400000102", "Blue Door 3")], "t")
        .unwrap();
    all_agree(store.conn());
    for part in ["& o", "émile", "e", "acct_001"] {
        let query = ListQuery { search: Some(part.into()), ..Default::default() };
        assert!(count(store.conn(), &query).unwrap() > 0, "{part} finds something");
    }

    // Events: newer copies of some accounts, and an account made here that the overview lacks.
    let events: Vec<Value> = (0..60).step_by(4).map(|i| account(i, 5)).chain([account(77, 1)]).collect();
    objects::upsert(store.conn(), objects::PLATFORM, &events, "2026-12-01T11:00:00Z").unwrap();
    all_agree(store.conn());

    // The next overview sync: some accounts gone, some changed, the event's copies now older.
    let second: Vec<Value> = (5..70).map(|i| account(i, 2)).collect();
    cache::replace_overview(store.conn_mut(), &snapshot(&second), "2026-12-01T12:00:00Z").unwrap();
    all_agree(store.conn());

    // A change made here, a disconnection and a reconnection, a merchant renamed and one gone.
    let mut edited = account(9, 2);
    edited["business_profile"]["name"] = json!("Harbour Lights");
    cache::update_account_raw(store.conn(), "acct_0009X", &edited, "2026-12-01T13:00:00Z").unwrap();
    disconnected::mark(store.conn(), "acct_0010X", "2026-12-01T13:00:00Z").unwrap();
    disconnected::mark(store.conn(), "acct_0011X", "2026-12-01T13:00:00Z").unwrap();
    disconnected::clear(store.conn(), "acct_0011X").unwrap();
    merchants::replace(store.conn_mut(), &[m("496400000101", "Anchor Door")], "t").unwrap();
    all_agree(store.conn());
    assert_eq!(
        first_page(store.conn(), &ListQuery { search: Some("harbour".into()), ..Default::default() })[0].id,
        "acct_0009X"
    );

    // Written behind the cache's functions: the list works the rows out before it reads.
    store
        .conn()
        .execute_batch(
            "UPDATE objects SET raw = json_set(raw, '$.business_profile.name', 'Zed Cafe') WHERE id = 'acct_0012X';
             DELETE FROM accounts WHERE id IN ('acct_0013X', 'acct_0012X');
             UPDATE accounts SET raw = json_set(raw, '$.charges_enabled', json('false')) WHERE id = 'acct_0020X';
             INSERT INTO cardconnect_merchants (merchid, name, added_at) VALUES ('496400000199', 'Blue Door 9', 't');",
        )
        .unwrap();
    all_agree(store.conn());

    // A cleared cache lists nothing but the CardConnect restaurants, which are settings.
    cache::clear(store.conn_mut()).unwrap();
    all_agree(store.conn());
    let every = ListQuery::default();
    assert_eq!(count(store.conn(), &every).unwrap(), 2);
    assert!(first_page(store.conn(), &every).iter().all(|r| r.kind == "cardconnect"));
}

/// Searches more rows hold than are looked up at once are met in the list's order and counted
/// from the counts; those fewer still through the rows looked up.
#[test]
fn a_search_many_rows_hold_agrees_too() {
    let mut store = Store::open_in_memory().unwrap();
    // Every name ends "… Bar": a word every row holds; one in ten is named by its ID, which the
    // search then finds by both.
    let accounts: Vec<Value> = (0..2_100)
        .map(|i| {
            let mut a = account(i, 0);
            let name = if i % 10 == 0 { a["id"].clone() } else { a["business_profile"]["name"].clone() };
            a["business_profile"]["name"] = json!(format!("{} Bar", name.as_str().unwrap()));
            a
        })
        .collect();
    cache::replace_overview(store.conn_mut(), &snapshot(&accounts), "2026-12-01T10:00:00Z").unwrap();
    let text = |s: &str| Some(s.to_string());
    for (query, many) in [
        (ListQuery { search: text("a"), ..Default::default() }, true),
        (ListQuery { search: text("o"), ..Default::default() }, false),
        (ListQuery { search: text("do"), ..Default::default() }, false),
        (ListQuery { search: text("oo"), status: text("active"), ..Default::default() }, false),
        (ListQuery { search: text("r"), kind: text("custom"), ..Default::default() }, true),
        (ListQuery { search: text("door"), ..Default::default() }, false),
        (ListQuery { search: text("acct_"), ..Default::default() }, true),
        (ListQuery { search: text("acct_1"), ..Default::default() }, false),
        (ListQuery { search: text("or "), status: text("restricted"), ..Default::default() }, false),
        (ListQuery { search: text("r 1"), ..Default::default() }, false),
        (ListQuery { search: text("bar"), ..Default::default() }, true),
        (ListQuery { search: text(" bar"), status: text("restricted"), ..Default::default() }, true),
        (ListQuery { search: text("1 bar"), kind: text("express"), ..Default::default() }, false),
    ] {
        assert_eq!(query.clone().found(store.conn()).unwrap().found.is_none(), many, "{query:?}");
        agrees(store.conn(), &query, 100);
    }
}

#[test]
fn an_unchanged_account_is_not_worked_out_again_and_the_upgrade_works_out_what_was_cached() {
    let mut store = Store::open_in_memory().unwrap();
    let accounts: Vec<Value> = (0..10).map(|i| account(i, 0)).collect();
    cache::replace_overview(store.conn_mut(), &snapshot(&accounts), "2026-12-01T10:00:00Z").unwrap();
    // Another sync of the same accounts marks them, then finds nothing to work out again.
    cache::replace_overview(store.conn_mut(), &snapshot(&accounts), "2026-12-01T11:00:00Z").unwrap();
    let stale: i64 =
        store.conn().query_row("SELECT count(*) FROM account_rows WHERE stale = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(stale, 0);
    // As a database from before schema 23 is upgraded: every row to be worked out on first use.
    store.conn().execute("UPDATE account_rows SET stale = 1, source_hash = NULL, attention = NULL", []).unwrap();
    assert_eq!(refresh(store.conn()).unwrap(), 10);
    agrees(store.conn(), &ListQuery::default(), 3);
}
