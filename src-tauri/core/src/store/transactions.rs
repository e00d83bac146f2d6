//! The neutral transactions of every gateway ([`Transaction`]) as plain rows: each gateway's sync
//! writes them, refunds, the payments search and payouts reconciliation read them. No view types
//! and no words here; screens build those above.
//!
//! Two rules keep the rows consistent whatever order a sync writes them in (a refund may arrive
//! before or after its payment, in the same page or a later one):
//! - a payment's `refunded` is never below the sum of the live (not failed) refunds that name it
//!   as their parent;
//! - a refund, capture or void without an order number carries its parent's.

use rusqlite::types::{Type, Value as Sql};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::filters::{created_between, Accounts};
use super::StoreError;
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};

/// What a restaurant's list of orders asks for. Dates are unix seconds, `[from, until)`.
#[derive(Debug, Clone)]
pub struct OrderQuery {
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub status: Option<TxStatus>,
    /// The start of an order number as typed (matched without regard to ASCII case).
    pub order_prefix: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

impl Default for OrderQuery {
    fn default() -> Self {
        Self { from: None, until: None, status: None, order_prefix: None, limit: 100, offset: 0 }
    }
}

impl OrderQuery {
    /// The WHERE clause after `restaurant = ?`, and its parameters.
    fn filter(&self) -> (String, Vec<Sql>) {
        let mut sql = String::new();
        let mut args = Vec::new();
        created_between(&mut sql, &mut args, self.from, self.until);
        if let Some(status) = self.status {
            sql.push_str(" AND status = ?");
            args.push(Sql::Text(status.as_str().into()));
        }
        if let Some(prefix) = self.order_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            // LIKE ignores ASCII case, as NOCASE does: every number it matches sorts in the NOCASE
            // range of what was typed, which the order-number index finds; LIKE keeps those.
            sql.push_str(" AND order_ref >= ? COLLATE NOCASE AND order_ref < ? COLLATE NOCASE");
            sql.push_str(" AND order_ref LIKE ? ESCAPE '\\'");
            args.push(Sql::Text(prefix.to_string()));
            args.push(Sql::Text(format!("{prefix}\u{10FFFF}")));
            args.push(Sql::Text(format!("{escaped}%")));
        }
        (sql, args)
    }
}

/// The columns [`read`] reads, in its order (capabilities append their own after them).
pub(crate) const COLUMNS: &str =
    "gateway, reference, kind, status, amount, refunded, currency, order_ref, restaurant, created, parent, card_brand, card_last4, settled";

/// Writes rows inside the caller's transaction (or one of its own); a row already there (same gateway and reference)
/// takes the new values, so a re-sync updates kind (an authorization captured), status, amounts
/// and settlement. Returns how many rows were written.
pub fn upsert(conn: &Connection, rows: &[Transaction], synced_at: &str) -> Result<usize, StoreError> {
    if conn.is_autocommit() {
        // Called outside a transaction: the rules below hold only if the rows land together.
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let written = upsert(&tx, rows, synced_at)?;
        tx.commit()?;
        return Ok(written);
    }
    // `refunded` is the larger of what the gateway says and the live refunds we hold; an order
    // number missing on a refund is its parent's.
    let mut write = conn.prepare_cached(
        "INSERT INTO transactions (gateway, reference, kind, status, amount, refunded, currency, order_ref, restaurant,
                                   created, parent, card_brand, card_last4, settled, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 max(?6, (SELECT coalesce(sum(c.amount), 0) FROM transactions c
                          WHERE c.parent = ?2 AND c.gateway = ?1 AND c.kind = 'refund' AND c.status != 'failed')),
                 ?7,
                 coalesce(?8, (SELECT p.order_ref FROM transactions p WHERE p.gateway = ?1 AND p.reference = ?11)),
                 ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (gateway, reference) DO UPDATE SET
             kind = excluded.kind, status = excluded.status, amount = excluded.amount, refunded = excluded.refunded,
             currency = excluded.currency, order_ref = excluded.order_ref, restaurant = excluded.restaurant,
             created = excluded.created, parent = excluded.parent, card_brand = excluded.card_brand,
             card_last4 = excluded.card_last4, settled = excluded.settled, synced_at = excluded.synced_at",
    )?;
    // A refund written after its payment raises the payment's `refunded` (never lowers it: only
    // the gateway's own figure, written with the payment, may do that).
    let mut raise_parent = conn.prepare_cached(
        "UPDATE transactions SET refunded = max(refunded, (SELECT coalesce(sum(c.amount), 0) FROM transactions c
                 WHERE c.parent = ?2 AND c.gateway = ?1 AND c.kind = 'refund' AND c.status != 'failed'))
         WHERE gateway = ?1 AND reference = ?2",
    )?;
    // A payment written after its refunds gives them its order number.
    let mut fill_children = conn.prepare_cached(
        "UPDATE transactions SET order_ref = ?3 WHERE parent = ?2 AND gateway = ?1 AND order_ref IS NULL",
    )?;
    for t in rows {
        let gateway = t.gateway.as_str();
        write.execute(params![
            gateway,
            t.reference,
            t.kind.as_str(),
            t.status.as_str(),
            t.amount,
            t.refunded,
            t.currency,
            t.order_ref,
            t.restaurant,
            t.created,
            t.parent,
            t.card_brand,
            t.card_last4,
            t.settled,
            synced_at
        ])?;
        if let (TxType::Refund, Some(parent)) = (t.kind, &t.parent) {
            raise_parent.execute(params![gateway, parent])?;
        }
        if let Some(order) = &t.order_ref {
            fill_children.execute(params![gateway, t.reference, order])?;
        }
    }
    Ok(rows.len())
}

/// Sets the customer's email of rows already written (Stripe's sync, after [`upsert`]): kept apart
/// from the neutral [`Transaction`], which every gateway builds and only Stripe has emails for.
/// Stored trimmed and lower-cased; `None` or blank clears it. Returns how many rows were there.
pub fn set_customer_emails(
    conn: &Connection,
    gateway: GatewayKind,
    emails: &[(&str, Option<&str>)],
) -> Result<usize, StoreError> {
    let mut write = conn.prepare_cached(
        "UPDATE transactions SET customer_email = ?3
         WHERE gateway = ?1 AND reference = ?2 AND customer_email IS NOT ?3",
    )?;
    let mut exists = conn.prepare_cached("SELECT 1 FROM transactions WHERE gateway = ?1 AND reference = ?2")?;
    let mut found = 0;
    for (reference, email) in emails {
        let email = email.map(normal_email).filter(|e| !e.is_empty());
        if write.execute(params![gateway.as_str(), reference, email])? > 0
            || exists.exists(params![gateway.as_str(), reference])?
        {
            found += 1;
        }
    }
    Ok(found)
}

/// An email as stored and searched: trimmed, ASCII lower-case (as SQLite's `lower`, which the
/// migration that added the column used).
pub fn normal_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// The customer's email of a row, when the gateway gave one.
pub fn customer_email(conn: &Connection, gateway: GatewayKind, reference: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT customer_email FROM transactions WHERE gateway = ?1 AND reference = ?2")?
        .query_row(params![gateway.as_str(), reference], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Deletes rows that no longer stand for a transaction (a Stripe PaymentIntent whose charge now
/// has the row). Returns how many were there.
pub fn remove(conn: &Connection, gateway: GatewayKind, references: &[&str]) -> Result<usize, StoreError> {
    let mut delete = conn.prepare_cached("DELETE FROM transactions WHERE gateway = ?1 AND reference = ?2")?;
    let mut removed = 0;
    for reference in references {
        removed += delete.execute(params![gateway.as_str(), reference])?;
    }
    Ok(removed)
}

/// One transaction by its gateway reference.
pub fn get(conn: &Connection, gateway: GatewayKind, reference: &str) -> Result<Option<Transaction>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM transactions WHERE gateway = ?1 AND reference = ?2"))?
        .query_row(params![gateway.as_str(), reference], read)
        .optional()?)
}

/// CardConnect authorizations approved and not yet captured or voided (a captured one becomes a
/// capture under the same retrieval reference), the oldest first.
pub fn open_authorizations(conn: &Connection) -> Result<Vec<Transaction>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM transactions
         WHERE gateway = 'cardconnect' AND kind = 'authorize' AND status = 'complete' AND amount > 0
         ORDER BY created"
    ))?;
    let rows = stmt.query_map([], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Up to this many restaurants, a page is read through each one's index rather than through time.
const FEW_RESTAURANTS: usize = 8;

/// A restaurant's transactions, newest first, one page of `query`.
pub fn of_restaurant(conn: &Connection, restaurant: &str, query: &OrderQuery) -> Result<Vec<Transaction>, StoreError> {
    of_restaurants(conn, &Accounts::Only(vec![restaurant.to_string()]), query)
}

/// The transactions of several restaurants (a profile's, on either gateway), newest first, one
/// page of `query`.
pub fn of_restaurants(
    conn: &Connection,
    restaurants: &Accounts,
    query: &OrderQuery,
) -> Result<Vec<Transaction>, StoreError> {
    let Some((mut scope, mut args)) = scope(restaurants) else { return Ok(Vec::new()) };
    // A few restaurants: their rows come from the restaurant index and are sorted, which costs
    // what they hold. Many: the time index is walked newest first, keeping theirs, and the walk
    // stops after the page (`+` keeps SQLite off the restaurant index).
    if matches!(restaurants, Accounts::Only(ids) if ids.len() > FEW_RESTAURANTS) {
        scope.insert(0, '+');
    }
    let (filter, more) = query.filter();
    args.extend(more);
    args.push(Sql::Integer(query.limit.into()));
    args.push(Sql::Integer(query.offset.into()));
    // rowid breaks ties between equal times: the indexes carry it. The page is picked on row IDs
    // from the indexes, then its rows are read: a restaurant's 2,000th row no longer reads the
    // 1,999 before it whole (4 ms for a page 20 of a restaurant on both gateways).
    let sql = format!(
        "SELECT {COLUMNS} FROM transactions WHERE rowid IN (
             SELECT rowid FROM transactions WHERE {scope}{filter} ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?)
         ORDER BY created DESC, rowid DESC"
    );
    let rows = conn.prepare_cached(&sql)?.query_map(params_from_iter(args), read)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// How many transactions of these restaurants match `query` (its page and offset aside).
pub fn count(conn: &Connection, restaurants: &Accounts, query: &OrderQuery) -> Result<u32, StoreError> {
    let Some((scope, mut args)) = scope(restaurants) else { return Ok(0) };
    let (filter, more) = query.filter();
    args.extend(more);
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM transactions WHERE {scope}{filter}"))?
        .query_row(params_from_iter(args), |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Every transaction of an order number, on either gateway, in the restaurants given: the
/// payment, its capture, refunds and voids, oldest first (the order's story).
pub fn by_order(conn: &Connection, order_ref: &str, restaurants: &Accounts) -> Result<Vec<Transaction>, StoreError> {
    let Some((scope, more)) = scope(restaurants) else { return Ok(Vec::new()) };
    let mut args = vec![Sql::Text(order_ref.into())];
    args.extend(more);
    let sql = format!("SELECT {COLUMNS} FROM transactions WHERE order_ref = ? AND {scope} ORDER BY created, rowid");
    let rows = conn.prepare_cached(&sql)?.query_map(params_from_iter(args), read)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// How many transactions a gateway has in the store (`None`: every gateway).
pub fn total(conn: &Connection, gateway: Option<GatewayKind>) -> Result<i64, StoreError> {
    Ok(match gateway {
        Some(g) => {
            conn.query_row("SELECT count(*) FROM transactions WHERE gateway = ?1", [g.as_str()], |r| r.get(0))?
        }
        None => conn.query_row("SELECT count(*) FROM transactions", [], |r| r.get(0))?,
    })
}

/// The condition for a scope of restaurants and its parameters; `None` for an empty scope, which
/// may read nothing.
pub(crate) fn scope(restaurants: &Accounts) -> Option<(String, Vec<Sql>)> {
    match restaurants {
        Accounts::All => Some(("1".into(), Vec::new())),
        Accounts::Only(ids) if ids.is_empty() => None,
        Accounts::Only(ids) => Some((
            format!("restaurant IN ({})", vec!["?"; ids.len()].join(", ")),
            ids.iter().cloned().map(Sql::Text).collect(),
        )),
    }
}

/// A row of [`COLUMNS`]; a name this version does not know is a conversion error, not a guess.
pub(crate) fn read(r: &Row<'_>) -> rusqlite::Result<Transaction> {
    fn known<T>(r: &Row<'_>, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
        let text: String = r.get(i)?;
        parse(&text).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(i, Type::Text, format!("unknown value {text:?}").into())
        })
    }
    Ok(Transaction {
        gateway: known(r, 0, GatewayKind::parse)?,
        reference: r.get(1)?,
        kind: known(r, 2, TxType::parse)?,
        status: known(r, 3, TxStatus::parse)?,
        amount: r.get(4)?,
        refunded: r.get(5)?,
        currency: r.get(6)?,
        order_ref: r.get(7)?,
        restaurant: r.get(8)?,
        created: r.get(9)?,
        parent: r.get(10)?,
        card_brand: r.get(11)?,
        card_last4: r.get(12)?,
        settled: r.get(13)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn tx(
        gateway: GatewayKind,
        reference: &str,
        kind: TxType,
        amount: i64,
        restaurant: &str,
        created: i64,
    ) -> Transaction {
        Transaction {
            gateway,
            reference: reference.into(),
            kind,
            status: TxStatus::Complete,
            amount,
            refunded: 0,
            currency: "usd".into(),
            order_ref: None,
            restaurant: restaurant.into(),
            created,
            parent: None,
            card_brand: Some("visa".into()),
            card_last4: Some("4242".into()),
            settled: Some(true),
        }
    }

    fn refund_of(parent: &Transaction, reference: &str, amount: i64, status: TxStatus) -> Transaction {
        Transaction {
            kind: TxType::Refund,
            status,
            amount,
            parent: Some(parent.reference.clone()),
            card_brand: None,
            card_last4: None,
            settled: None,
            created: parent.created + 60,
            ..tx(parent.gateway, reference, TxType::Refund, amount, &parent.restaurant, 0)
        }
    }

    const S: GatewayKind = GatewayKind::Stripe;
    const C: GatewayKind = GatewayKind::CardConnect;

    #[test]
    fn a_row_round_trips_and_a_resync_updates_it() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let mut auth = tx(S, "ch_1", TxType::Authorize, 5_000, "acct_a", 100);
        auth.status = TxStatus::Pending;
        auth.settled = Some(false);
        auth.order_ref = Some("HV-01-1001".into());
        assert_eq!(upsert(conn, std::slice::from_ref(&auth), "t1").unwrap(), 1);
        assert_eq!(get(conn, S, "ch_1").unwrap(), Some(auth.clone()));
        assert_eq!(get(conn, C, "ch_1").unwrap(), None, "the gateway is part of the key");

        // Captured for less, then partly refunded: the same reference, now a capture.
        let captured = Transaction {
            kind: TxType::Capture,
            status: TxStatus::Complete,
            amount: 4_500,
            refunded: 1_000,
            settled: Some(true),
            ..auth.clone()
        };
        upsert(conn, std::slice::from_ref(&captured), "t2").unwrap();
        assert_eq!(get(conn, S, "ch_1").unwrap(), Some(captured));
        assert_eq!(total(conn, None).unwrap(), 1);
        let synced: String =
            conn.query_row("SELECT synced_at FROM transactions WHERE reference = 'ch_1'", [], |r| r.get(0)).unwrap();
        assert_eq!(synced, "t2");
    }

    #[test]
    fn refunds_count_towards_their_payment_in_whichever_order_they_arrive() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let mut pay = tx(C, "1000001", TxType::Purchase, 8_000, "800000000123", 1_000);
        pay.order_ref = Some("EP-77".into());
        let r1 = refund_of(&pay, "1000002", 2_000, TxStatus::Complete);
        let r2 = refund_of(&pay, "1000003", 1_500, TxStatus::Pending);
        let failed = refund_of(&pay, "1000004", 3_000, TxStatus::Failed);

        // Refunds first: the payment, written after, counts them and gives them its order number.
        upsert(conn, &[r1.clone(), failed.clone()], "t").unwrap();
        assert_eq!(get(conn, C, "1000002").unwrap().unwrap().order_ref, None);
        upsert(conn, std::slice::from_ref(&pay), "t").unwrap();
        assert_eq!(get(conn, C, "1000001").unwrap().unwrap().refunded, 2_000, "a failed refund does not count");
        assert_eq!(get(conn, C, "1000002").unwrap().unwrap().order_ref.as_deref(), Some("EP-77"));

        // A refund after its payment raises it, and takes its order number.
        upsert(conn, std::slice::from_ref(&r2), "t").unwrap();
        let now = get(conn, C, "1000001").unwrap().unwrap();
        assert_eq!((now.refunded, now.refundable()), (3_500, 4_500));
        assert_eq!(get(conn, C, "1000003").unwrap().unwrap().order_ref.as_deref(), Some("EP-77"));

        // The gateway's own figure wins when larger (refunds not synced yet), and the payment's
        // re-sync lowers it again once a refund failed.
        upsert(conn, &[Transaction { refunded: 6_000, ..pay.clone() }], "t").unwrap();
        assert_eq!(get(conn, C, "1000001").unwrap().unwrap().refunded, 6_000);
        upsert(conn, &[Transaction { status: TxStatus::Failed, ..r2.clone() }], "t").unwrap();
        upsert(conn, std::slice::from_ref(&pay), "t").unwrap();
        assert_eq!(get(conn, C, "1000001").unwrap().unwrap().refunded, 2_000);

        // An own order number on a refund is kept.
        let mut own = refund_of(&pay, "1000005", 100, TxStatus::Complete);
        own.order_ref = Some("EP-77-R".into());
        upsert(conn, std::slice::from_ref(&own), "t").unwrap();
        assert_eq!(get(conn, C, "1000005").unwrap().unwrap().order_ref.as_deref(), Some("EP-77-R"));
    }

    #[test]
    fn a_restaurants_orders_page_newest_first_with_filters() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let mut rows = Vec::new();
        for i in 0..30i64 {
            let gateway = if i % 3 == 0 { C } else { S };
            let mut t = tx(gateway, &format!("ref_{i:02}"), TxType::Purchase, 1_000 + i, "r1", 1_000 + i * 10);
            t.order_ref = Some(format!("{}-{i:02}", if i % 2 == 0 { "HV_A" } else { "HVxA" }));
            t.status = if i % 5 == 0 { TxStatus::Failed } else { TxStatus::Complete };
            rows.push(t);
        }
        rows.push(tx(S, "elsewhere", TxType::Purchase, 1, "r2", 5_000));
        // Same second: the later write comes first.
        rows.push(tx(S, "tie_a", TxType::Purchase, 1, "r1", 1_290));
        upsert(conn, &rows, "t").unwrap();

        let all = OrderQuery::default();
        let r1 = Accounts::Only(vec!["r1".into()]);
        let page = of_restaurant(conn, "r1", &all).unwrap();
        assert_eq!(page.len(), 31);
        assert_eq!(count(conn, &r1, &all).unwrap(), 31);
        assert_eq!(page[0].reference, "tie_a");
        assert_eq!(page[1].reference, "ref_29");
        assert!(page.windows(2).all(|w| w[0].created >= w[1].created));
        assert!(page.iter().any(|t| t.gateway == C) && page.iter().any(|t| t.gateway == S));

        let second = of_restaurant(conn, "r1", &OrderQuery { limit: 10, offset: 10, ..all.clone() }).unwrap();
        assert_eq!(second.iter().map(|t| t.reference.as_str()).collect::<Vec<_>>()[..2], ["ref_20", "ref_19"]);

        let window = OrderQuery { from: Some(1_100), until: Some(1_200), ..all.clone() };
        assert_eq!(count(conn, &r1, &window).unwrap(), 10, "from inclusive, until exclusive");
        let failed = OrderQuery { status: Some(TxStatus::Failed), ..all.clone() };
        assert_eq!(count(conn, &r1, &failed).unwrap(), 6);
        // A prefix as typed: case does not matter, `_` is a character rather than a wildcard.
        let prefix = OrderQuery { order_prefix: Some(" hv_a".into()), ..all.clone() };
        assert_eq!(count(conn, &r1, &prefix).unwrap(), 15);
        let exact = OrderQuery { order_prefix: Some("HVxA-07".into()), ..all.clone() };
        assert_eq!(of_restaurant(conn, "r1", &exact).unwrap()[0].reference, "ref_07");

        // Several restaurants (a profile's), or all of them; an empty scope reads nothing.
        let both = Accounts::Only(vec!["r1".into(), "r2".into()]);
        let mixed = of_restaurants(conn, &both, &all).unwrap();
        assert_eq!((mixed.len(), mixed[0].reference.as_str(), mixed[1].reference.as_str()), (32, "elsewhere", "tie_a"));
        assert_eq!(of_restaurants(conn, &Accounts::All, &all).unwrap(), mixed);
        assert_eq!(count(conn, &Accounts::All, &all).unwrap(), 32);
        assert!(of_restaurants(conn, &Accounts::Only(vec![]), &all).unwrap().is_empty());
        assert_eq!(count(conn, &Accounts::Only(vec![]), &all).unwrap(), 0);
    }

    #[test]
    fn many_restaurants_page_through_time_with_the_same_answer() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let rows: Vec<Transaction> = (0..600i64)
            .map(|i| tx(S, &format!("ch_{i:03}"), TxType::Purchase, 100, &format!("acct_{}", i % 15), 10_000 - i / 3))
            .collect();
        upsert(conn, &rows, "t").unwrap();
        let many = Accounts::Only((0..12).map(|r| format!("acct_{r}")).collect());
        let few = Accounts::Only((0..3).map(|r| format!("acct_{r}")).collect());
        for scope in [many, few] {
            let Accounts::Only(ids) = &scope else { unreachable!() };
            let mut expected: Vec<&Transaction> = rows.iter().filter(|t| ids.contains(&t.restaurant)).collect();
            // Newest first; equal times: the later write first.
            expected.reverse();
            expected.sort_by_key(|t| std::cmp::Reverse(t.created));
            for offset in [0, 50, 450] {
                let page =
                    of_restaurants(conn, &scope, &OrderQuery { limit: 40, offset, ..OrderQuery::default() }).unwrap();
                let want: Vec<&str> =
                    expected.iter().skip(offset as usize).take(40).map(|t| t.reference.as_str()).collect();
                assert_eq!(page.iter().map(|t| t.reference.as_str()).collect::<Vec<_>>(), want, "{ids:?} at {offset}");
            }
            assert_eq!(count(conn, &scope, &OrderQuery::default()).unwrap() as usize, expected.len());
        }
    }

    #[test]
    fn an_order_is_found_on_both_gateways_within_the_restaurants_allowed() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let mut online = tx(C, "2000001", TxType::Purchase, 3_000, "800000000123", 200);
        online.order_ref = Some("ORD-9".into());
        let mut table = tx(S, "ch_9", TxType::Capture, 4_000, "acct_a", 100);
        table.order_ref = Some("ORD-9".into());
        let refund = refund_of(&table, "re_9", 4_000, TxStatus::Complete);
        let mut other = tx(S, "ch_10", TxType::Purchase, 1, "acct_a", 50);
        other.order_ref = Some("ORD-90".into());
        upsert(conn, &[online, refund, table, other], "t").unwrap();

        let found = by_order(conn, "ORD-9", &Accounts::All).unwrap();
        assert_eq!(found.iter().map(|t| t.reference.as_str()).collect::<Vec<_>>(), ["ch_9", "re_9", "2000001"]);
        assert_eq!(found[0].refundable(), 0, "refunded in full");
        let scoped = by_order(conn, "ORD-9", &Accounts::Only(vec!["acct_a".into()])).unwrap();
        assert_eq!(scoped.len(), 2);
        assert!(by_order(conn, "ORD-9", &Accounts::Only(vec![])).unwrap().is_empty());
        assert!(by_order(conn, "ORD", &Accounts::All).unwrap().is_empty(), "an exact order number");

        assert_eq!(remove(conn, S, &["re_9", "nope"]).unwrap(), 1);
        assert_eq!(total(conn, Some(S)).unwrap(), 2);
        assert_eq!(total(conn, Some(C)).unwrap(), 1);
    }

    #[test]
    fn a_customer_email_is_kept_lower_case_and_survives_a_resync() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let pay = tx(S, "ch_m", TxType::Purchase, 1_250, "acct_a", 10);
        upsert(conn, std::slice::from_ref(&pay), "t").unwrap();
        let set =
            set_customer_emails(conn, S, &[("ch_m", Some(" Jenny.Rosen@Example.COM ")), ("ch_none", Some("x@y.z"))]);
        assert_eq!(set.unwrap(), 1, "only rows already written");
        assert_eq!(customer_email(conn, S, "ch_m").unwrap().as_deref(), Some("jenny.rosen@example.com"));
        // A re-sync of the row (any gateway's upsert) leaves the email; only its own gateway clears it.
        upsert(conn, &[Transaction { refunded: 250, ..pay }], "t2").unwrap();
        assert_eq!(customer_email(conn, S, "ch_m").unwrap().as_deref(), Some("jenny.rosen@example.com"));
        assert_eq!(set_customer_emails(conn, S, &[("ch_m", Some("  "))]).unwrap(), 1);
        assert_eq!(customer_email(conn, S, "ch_m").unwrap(), None);
    }

    #[test]
    fn an_unknown_stored_value_is_an_error_not_a_guess() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        upsert(conn, &[tx(S, "ch_x", TxType::Purchase, 1, "a", 1)], "t").unwrap();
        conn.execute_batch("PRAGMA ignore_check_constraints = ON; UPDATE transactions SET kind = 'teleport';").unwrap();
        assert!(get(conn, S, "ch_x").is_err());
    }
}

#[cfg(test)]
#[path = "transactions_tests.rs"]
mod pages;
