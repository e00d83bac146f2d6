//! A restaurant's page of orders and its total are those schema 18's queries read, for every
//! scope, filter and page.

use rusqlite::Connection;

use super::*;
use crate::store::Store;

/// Schema 18's query, word for word: the page and the total, by reference.
fn old(conn: &Connection, restaurants: &Accounts, query: &OrderQuery) -> (Vec<String>, u32) {
    let Some((mut scope, mut args)) = scope(restaurants) else { return (Vec::new(), 0) };
    if matches!(restaurants, Accounts::Only(ids) if ids.len() > FEW_RESTAURANTS) {
        scope.insert(0, '+');
    }
    let mut filter = String::new();
    created_between(&mut filter, &mut args, query.from, query.until);
    if let Some(status) = query.status {
        filter.push_str(" AND status = ?");
        args.push(Sql::Text(status.as_str().into()));
    }
    if let Some(prefix) = query.order_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        filter.push_str(" AND order_ref LIKE ? ESCAPE '\\'");
        args.push(Sql::Text(format!("{escaped}%")));
    }
    let total: u32 = conn
        .query_row(&format!("SELECT count(*) FROM transactions WHERE {scope}{filter}"), params_from_iter(&args), |r| {
            r.get(0)
        })
        .unwrap();
    args.extend([Sql::Integer(query.limit.into()), Sql::Integer(query.offset.into())]);
    let sql = format!(
        "SELECT reference FROM transactions WHERE {scope}{filter} ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let page = stmt.query_map(params_from_iter(args), |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    (page, total)
}

#[test]
fn every_page_and_total_is_what_schema_18_read() {
    let store = Store::open_in_memory().unwrap();
    let mut rng = fastrand::Rng::with_seed(18);
    let rows: Vec<Transaction> = (0..3_000)
        .map(|i| {
            let r = rng.usize(0..12);
            Transaction {
                gateway: if r >= 10 { GatewayKind::CardConnect } else { GatewayKind::Stripe },
                reference: format!("ref_{i}"),
                kind: if i % 9 == 0 { TxType::Refund } else { TxType::Purchase },
                status: [TxStatus::Complete, TxStatus::Pending, TxStatus::Failed][i % 3],
                amount: 100 + (i as i64 % 50),
                refunded: 0,
                currency: "usd".into(),
                // Numbers in both cases, with LIKE's own characters, and none.
                order_ref: match i % 11 {
                    0 => None,
                    1 => Some(format!("hv_{r:02}%{i}")),
                    2 => Some(format!("Ép-{r}-{i}")),
                    n if n % 2 == 0 => Some(format!("HV-{r:02}-{i}")),
                    _ => Some(format!("hv-{r:02}-{i}")),
                },
                restaurant: format!("r{r}"),
                // Many at the same second.
                created: 1_770_000_000 + (i as i64 % 400) * 3_600,
                parent: None,
                card_brand: None,
                card_last4: None,
                settled: None,
            }
        })
        .collect();
    upsert(store.conn(), &rows, "t").unwrap();
    let conn = store.conn();
    let only = |n: usize| Accounts::Only((0..n).map(|r| format!("r{r}")).collect());
    let scopes = [Accounts::All, only(1), only(2), only(10), Accounts::Only(vec!["r3".into(), "r11".into()])];
    let prefix = |p: &str| OrderQuery { order_prefix: Some(p.into()), ..OrderQuery::default() };
    let queries = [
        OrderQuery::default(),
        OrderQuery { status: Some(TxStatus::Pending), ..OrderQuery::default() },
        OrderQuery {
            from: Some(1_770_000_000 + 50 * 3_600),
            until: Some(1_770_000_000 + 300 * 3_600),
            ..OrderQuery::default()
        },
        prefix("hv-0"),
        prefix(" HV-01-1"),
        prefix("hv_0"),
        prefix("HV_01%"),
        prefix("ép"),
        prefix("Ép-1"),
        prefix("zz"),
    ];
    for restaurants in &scopes {
        for q in &queries {
            for (offset, limit) in [(0, 100), (7, 13), (150, 100), (1_900, 100), (2_990, 50), (5_000, 100)] {
                let query = OrderQuery { offset, limit, ..q.clone() };
                let page: Vec<String> =
                    of_restaurants(conn, restaurants, &query).unwrap().into_iter().map(|t| t.reference).collect();
                let (old_page, old_total) = old(conn, restaurants, &query);
                assert_eq!(page, old_page, "{restaurants:?} {query:?}");
                assert_eq!(count(conn, restaurants, &query).unwrap(), old_total, "{restaurants:?} {query:?}");
            }
        }
    }
    assert!(count(conn, &Accounts::All, &prefix("hv-0")).unwrap() > 100, "found in any case");
    assert_eq!(of_restaurants(conn, &Accounts::Only(vec![]), &OrderQuery::default()).unwrap().len(), 0);
}
