//! The payments screen's reads of the neutral `transactions` table: the list of payments (newest
//! first, filtered) and each kind of search look-up.
//!
//! Every look-up walks the index of its own column (`transactions_by_order_nocase`, `…_by_amount`,
//! `…_by_last4`, `…_by_email`, the primary key for IDs) and stops after [`SEARCH_CAP`] matches; the
//! scope and filters are checked on the rows it reads (the `+` keeps SQLite from trading that
//! index for the restaurant's, which would read every payment of a restaurant to find one).

use std::collections::HashMap;

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};

use super::search::Lookup;
use super::views::PaymentStatusFilter;
use crate::gateways::{GatewayKind, Transaction, TxType};
use crate::store::filters::{created_between, Accounts};
use crate::store::transactions::{read, scope, COLUMNS};
use crate::store::StoreError;

/// How many matches each reading of a search reads at most.
pub const SEARCH_CAP: usize = 200;

/// Rows that stand for a payment: not refunds or captures of another row, but a CardPointe
/// payment voided whole, which becomes its own void.
const PAYMENT: &str =
    "(kind IN ('authorize', 'capture', 'purchase', 'confirm') OR (kind = 'void' AND parent = reference))";

/// Up to this many restaurants, the list reads each one's index; beyond, it walks time.
const FEW_RESTAURANTS: usize = 8;

/// A payment as read, with what the neutral [`Transaction`] does not carry.
#[derive(Debug, Clone)]
pub struct Found {
    pub tx: Transaction,
    pub customer_email: Option<String>,
}

/// The scope and filters of the list and of every look-up. Dates are unix seconds, `[from, until)`.
#[derive(Debug, Clone)]
pub struct Filter {
    pub restaurants: Accounts,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub status: Option<PaymentStatusFilter>,
}

impl Filter {
    /// ` AND …` for scope and filters, or `None` for an empty scope (which reads nothing).
    /// `plus`: keep SQLite off the restaurant and time indexes.
    fn sql(&self, plus: bool) -> Option<(String, Vec<Sql>)> {
        let (scope, mut args) = scope(&self.restaurants)?;
        let mut sql = if plus { format!(" AND +{scope}") } else { format!(" AND {scope}") };
        let mut dates = String::new();
        created_between(&mut dates, &mut args, self.from, self.until);
        if plus {
            dates = dates.replace("created", "+created");
        }
        sql.push_str(&dates);
        if let Some(status) = self.status {
            sql.push_str(" AND ");
            sql.push_str(status_sql(status));
        }
        Some((sql, args))
    }
}

fn status_sql(status: PaymentStatusFilter) -> &'static str {
    match status {
        PaymentStatusFilter::Succeeded => "(status = 'complete' AND kind IN ('capture', 'purchase', 'confirm'))",
        PaymentStatusFilter::Refunded => "(refunded > 0 AND status != 'failed' AND kind IN ('capture', 'purchase', 'confirm'))",
        PaymentStatusFilter::Authorized => "(kind = 'authorize' AND status != 'failed' AND refunded < amount)",
        PaymentStatusFilter::Pending => "(status = 'pending' AND kind != 'authorize')",
        PaymentStatusFilter::Failed => "(status = 'failed')",
        PaymentStatusFilter::Voided => {
            "(status != 'failed' AND (kind = 'void' OR EXISTS (SELECT 1 FROM transactions v WHERE v.parent = \
             transactions.reference AND v.gateway = transactions.gateway AND v.kind = 'void' AND v.status != 'failed')))"
        }
    }
}

fn found(r: &Row<'_>) -> rusqlite::Result<Found> {
    Ok(Found { tx: read(r)?, customer_email: r.get(14)? })
}

/// Runs `SELECT … WHERE {condition}{filter} ORDER BY {order}` and keeps the first `cap` rows that
/// `keep` accepts (SQLite reads no further than that).
fn fetch(
    conn: &Connection,
    condition: &str,
    mut args: Vec<Sql>,
    filter: Option<&Filter>,
    order: &str,
    cap: usize,
    keep: impl Fn(&Found) -> bool,
) -> Result<Vec<Found>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS}, customer_email FROM transactions WHERE {condition}");
    if let Some(filter) = filter {
        let Some((more, more_args)) = filter.sql(true) else { return Ok(Vec::new()) };
        sql.push_str(&more);
        args.extend(more_args);
    }
    sql.push_str(" ORDER BY ");
    sql.push_str(order);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut kept = Vec::new();
    while let Some(row) = rows.next()? {
        let f = found(row)?;
        if keep(&f) {
            kept.push(f);
            if kept.len() >= cap {
                break;
            }
        }
    }
    Ok(kept)
}

/// A prefix range `[lo, hi)`: every string starting with `prefix` sorts in it (for an index on
/// the column, where `LIKE` with a bound pattern may not use one).
fn prefix_range(prefix: &str) -> (Sql, Sql) {
    (Sql::Text(prefix.to_string()), Sql::Text(format!("{prefix}\u{10FFFF}")))
}

/// The payments one reading of a search finds, at most `cap` (the caller asks one more to know
/// whether there are more), each with whether it matched exactly (an ID or order number typed
/// in full) rather than by its start.
pub fn look_up(
    conn: &Connection,
    lookup: &Lookup,
    filter: &Filter,
    cap: usize,
) -> Result<Vec<(Found, bool)>, StoreError> {
    let all = |_: &Found| true;
    Ok(match lookup {
        Lookup::Order(text) => {
            let (lo, hi) = prefix_range(text.trim());
            let condition = format!("order_ref >= ? COLLATE NOCASE AND order_ref < ? COLLATE NOCASE AND {PAYMENT}");
            let rows = fetch(conn, &condition, vec![lo, hi], Some(filter), "order_ref COLLATE NOCASE", cap, all)?;
            rows.into_iter()
                .map(|f| {
                    let exact = f.tx.order_ref.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(text.trim()));
                    (f, exact)
                })
                .collect()
        }
        Lookup::Amount(amounts) => {
            let mut out = Vec::new();
            for &(exponent, minor) in amounts {
                // The same figure in another currency's minor unit is another amount (1250 is
                // $12.50 but ¥1,250): skipped as read, without counting towards the cap.
                let keep = |f: &Found| crate::money::exponent(&f.tx.currency) == exponent;
                let condition = format!("amount = ? AND {PAYMENT}");
                let rows = fetch(conn, &condition, vec![Sql::Integer(minor)], Some(filter), "created DESC", cap, keep)?;
                out.extend(rows.into_iter().map(|f| (f, true)));
            }
            out
        }
        Lookup::Last4(last4) => {
            let condition = format!("card_last4 = ? AND {PAYMENT}");
            let rows = fetch(conn, &condition, vec![Sql::Text(last4.clone())], Some(filter), "created DESC", cap, all)?;
            rows.into_iter().map(|f| (f, true)).collect()
        }
        Lookup::Email(text) => {
            let (lo, hi) = prefix_range(text);
            let condition = format!("customer_email >= ? AND customer_email < ? AND {PAYMENT}");
            let rows = fetch(conn, &condition, vec![lo, hi], Some(filter), "customer_email", cap, all)?;
            rows.into_iter()
                .map(|f| {
                    let exact = f.customer_email.as_deref() == Some(text.as_str());
                    (f, exact)
                })
                .collect()
        }
        Lookup::Id { gateway, prefix } => by_id(conn, *gateway, prefix, filter, cap)?,
    })
}

/// Payments by a gateway ID or its start. A refund's or capture's ID finds its payment; a
/// PaymentIntent's, the charge that now stands for it (its row goes once it is charged).
fn by_id(
    conn: &Connection,
    gateway: GatewayKind,
    prefix: &str,
    filter: &Filter,
    cap: usize,
) -> Result<Vec<(Found, bool)>, StoreError> {
    // Any row with that ID, in scope: which payment it belongs to, and whether typed in full.
    let scope_only = Filter { restaurants: filter.restaurants.clone(), from: None, until: None, status: None };
    let (lo, hi) = prefix_range(prefix);
    let hits = fetch(
        conn,
        "gateway = ? AND reference >= ? AND reference < ?",
        vec![Sql::Text(gateway.as_str().into()), lo, hi],
        Some(&scope_only),
        "reference",
        cap,
        |_| true,
    )?;
    let mut payments: HashMap<String, bool> = HashMap::new();
    for hit in &hits {
        let exact = hit.tx.reference == prefix;
        let payment = match (hit.tx.kind, &hit.tx.parent) {
            (TxType::Refund | TxType::Void, Some(parent)) => parent.clone(),
            _ => hit.tx.reference.clone(),
        };
        *payments.entry(payment).or_default() |= exact;
    }
    if gateway == GatewayKind::Stripe && prefix.starts_with("pi_") && !payments.contains_key(prefix) {
        // The object cache knows a PaymentIntent's charges (their `parent`); the newest stands for
        // it. `+kind`: by the parent index, not by walking every charge in time order.
        let charge: Option<String> = conn
            .prepare_cached(
                "SELECT id FROM objects WHERE parent = ?1 AND +kind = 'charge' ORDER BY created DESC, id DESC LIMIT 1",
            )?
            .query_row([prefix], |r| r.get(0))
            .optional()?;
        if let Some(charge) = charge {
            payments.insert(charge, true);
        }
    }
    if payments.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = vec![Sql::Text(gateway.as_str().into())];
    args.extend(payments.keys().cloned().map(Sql::Text));
    let condition = format!("gateway = ? AND reference IN ({}) AND {PAYMENT}", vec!["?"; payments.len()].join(", "));
    let rows = fetch(conn, &condition, args, Some(filter), "created DESC", cap, |_| true)?;
    Ok(rows
        .into_iter()
        .map(|f| {
            let exact = payments.get(&f.tx.reference).copied().unwrap_or(false);
            (f, exact)
        })
        .collect())
}

/// One page of payments, newest first, and how many match `filter`.
pub fn list(conn: &Connection, filter: &Filter, limit: u32, offset: u32) -> Result<(Vec<Found>, u32), StoreError> {
    // Many restaurants: walk time newest first (as `store::transactions` does) rather than sort
    // what each holds.
    let many = matches!(&filter.restaurants, Accounts::Only(ids) if ids.len() > FEW_RESTAURANTS);
    let Some((mut where_, mut args)) = filter.sql(false) else { return Ok((Vec::new(), 0)) };
    if many {
        where_ = where_.replacen(" AND restaurant", " AND +restaurant", 1);
    }
    let count_sql = format!("SELECT count(*) FROM transactions WHERE {PAYMENT}{where_}");
    let total: i64 = conn.prepare_cached(&count_sql)?.query_row(params_from_iter(args.iter()), |r| r.get(0))?;
    args.push(Sql::Integer(limit.into()));
    args.push(Sql::Integer(offset.into()));
    let sql = format!(
        "SELECT {COLUMNS}, customer_email FROM transactions WHERE {PAYMENT}{where_}
         ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?"
    );
    let rows = conn.prepare_cached(&sql)?.query_map(params_from_iter(args), found)?.collect::<Result<_, _>>()?;
    Ok((rows, u32::try_from(total).unwrap_or(u32::MAX)))
}

/// Whether a void stands for a payment (CardPointe voids before settlement).
pub fn voided(conn: &Connection, t: &Transaction) -> Result<bool, StoreError> {
    if t.kind == TxType::Void {
        return Ok(true);
    }
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM transactions WHERE parent = ?1 AND gateway = ?2 AND kind = 'void' AND status != 'failed'
             AND reference != parent LIMIT 1",
        )?
        .exists(rusqlite::params![t.reference, t.gateway.as_str()])?)
}

/// Restaurant names, read once per page: a Stripe account's name, a CardConnect merchant's, or
/// the ID itself when neither is cached.
#[derive(Default)]
pub struct Names(HashMap<String, String>);

impl Names {
    pub fn of(&mut self, conn: &Connection, restaurant: &str) -> Result<String, StoreError> {
        if let Some(name) = self.0.get(restaurant) {
            return Ok(name.clone());
        }
        let name = match crate::store::cache::account_name(conn, restaurant)? {
            Some(name) => name,
            None if restaurant.is_empty() => "Platform".to_string(),
            None => match crate::store::merchants::get(conn, restaurant)? {
                Some(m) => m.name,
                None => restaurant.to_string(),
            },
        };
        self.0.insert(restaurant.to_string(), name.clone());
        Ok(name)
    }
}

/// One payment by its gateway ID, with the customer's email.
pub fn get(conn: &Connection, gateway: GatewayKind, reference: &str) -> Result<Option<Found>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS}, customer_email FROM transactions WHERE gateway = ?1 AND reference = ?2"
        ))?
        .query_row(rusqlite::params![gateway.as_str(), reference], found)
        .optional()?)
}
