//! Queries behind the payouts screens: paged and sorted in SQLite (indexes of
//! migration 5), so 100,000 cached payouts page as fast as a hundred.

use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::Value;

pub use super::chart::chart;
use super::views::{PayoutRow, PayoutSort};
use super::words;
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::store::filters::{Accounts, Search};
use crate::store::objects::parse;
use crate::store::StoreError;

/// A profile's restaurants with at most this many payouts have them found through the index per
/// restaurant and sorted: sorting 5,000 takes about a millisecond.
const FEW: u64 = 5_000;

/// A payouts query: which rows, in what order.
#[derive(Debug, Clone)]
pub struct PayoutQuery {
    pub accounts: Accounts,
    pub status: Option<String>,
    /// Arrival date range, unix seconds, `[from, until)`.
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub sort: PayoutSort,
    pub descending: bool,
    pub search: Option<Search>,
}

impl PayoutQuery {
    /// The WHERE clause (always starting with the payout kind, so the partial indexes apply) and
    /// its parameters.
    pub(super) fn filter(&self) -> (String, Vec<Sql>) {
        let mut sql = String::from("o.kind = 'payout'");
        let mut args = Vec::new();
        if let Accounts::Only(ids) = &self.accounts {
            sql.push_str(&format!(" AND o.account IN ({})", vec!["?"; ids.len()].join(", ")));
            args.extend(ids.iter().cloned().map(Sql::Text));
            if ids.is_empty() {
                sql.push_str(" AND 0");
            }
        }
        if let Some(status) = &self.status {
            sql.push_str(" AND o.status = ?");
            args.push(Sql::Text(status.clone()));
        }
        if let Some(from) = self.from {
            sql.push_str(" AND o.arrival_date >= ?");
            args.push(Sql::Integer(from));
        }
        if let Some(until) = self.until {
            sql.push_str(" AND o.arrival_date < ?");
            args.push(Sql::Integer(until));
        }
        if let Some(search) = &self.search {
            let mut any = Vec::new();
            if let Some(id) = &search.id_prefix {
                // LIKE ignores ASCII case, as NOCASE does: every ID it matches sorts in the
                // NOCASE range of its start, which an index finds (schema 17) instead of a scan.
                let start = search.id_start.clone().unwrap_or_default();
                any.push(
                    "(o.id >= ? COLLATE NOCASE AND o.id < ? COLLATE NOCASE AND o.id LIKE ? ESCAPE '\\')".to_string(),
                );
                let end = format!("{start}\u{10FFFF}");
                args.extend([Sql::Text(start), Sql::Text(end), Sql::Text(id.clone())]);
            }
            if !search.amounts.is_empty() {
                any.push(format!("o.amount IN ({})", vec!["?"; search.amounts.len()].join(", ")));
                args.extend(search.amounts.iter().map(|a| Sql::Integer(*a)));
            }
            if let Some(words) = &search.words {
                any.push(
                    "o.account IN (SELECT id FROM accounts WHERE name LIKE ? ESCAPE '\\'
                                   UNION SELECT merchid FROM cardconnect_merchants WHERE name LIKE ? ESCAPE '\\'
                                   UNION SELECT id FROM objects WHERE kind = 'account'
                                   AND json_extract(raw, '$.business_profile.name') LIKE ? ESCAPE '\\')"
                        .to_string(),
                );
                args.push(Sql::Text(words.clone()));
                args.push(Sql::Text(words.clone()));
                args.push(Sql::Text(words.clone()));
            }
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        (sql, args)
    }

    /// The ORDER BY clause, `descending` or not. Every order ends with the row ID, so it is total
    /// and its reverse is exactly the same rows backwards. `few`: the rows are few enough to be
    /// found first (a search's through an index of its own, a profile's restaurants' through
    /// theirs) and sorted, where walking the whole list in order to meet them read every payout
    /// (a search: 150 ms; 20 restaurants of 1,000: 5.6 ms). `+` keeps SQLite off the order's
    /// index.
    fn order(&self, descending: bool, few: bool) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        let plus = if few { "+" } else { "" };
        let column = match self.sort {
            PayoutSort::ArrivalDate => "o.arrival_date",
            PayoutSort::Created => "o.created",
            // Amounts of different currencies are not comparable: grouped by currency first.
            PayoutSort::Amount => return format!("{plus}o.currency {dir}, o.amount {dir}, o.rowid {dir}"),
            PayoutSort::Status => "o.status",
            // The account's name, else the CardConnect merchant's, else '' (schema 16 keeps it).
            PayoutSort::Account => "o.payee_name",
        };
        // rowid breaks ties: the indexes carry it, so no sort is needed (schema 17 for status
        // and creation date).
        format!("{plus}{column} {dir}, o.rowid {dir}")
    }
}

/// How many payouts match: from the daily totals (schema 15) unless a search or a part of a day
/// needs the payouts themselves (counting 100,000 payouts took 4 ms).
pub fn count(conn: &Connection, query: &PayoutQuery) -> Result<u32, StoreError> {
    if let Some(n) = super::totals::count(conn, query)? {
        return Ok(n);
    }
    let (filter, args) = query.filter();
    let n: i64 =
        conn.query_row(&format!("SELECT count(*) FROM objects o WHERE {filter}"), params_from_iter(args), |r| {
            r.get(0)
        })?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// One page of payouts. The page is picked on row IDs alone (from the indexes, without reading
/// any JSON), then its rows are read: deep pages and sorts stay fast with 100,000 payouts.
pub fn page(conn: &Connection, query: &PayoutQuery, offset: u32, limit: u32) -> Result<Vec<PayoutRow>, StoreError> {
    let rowids = if conn.is_autocommit() {
        // The total and the page from one snapshot, should a sync write between them.
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
        page_rowids(&tx, query, offset, limit)?
    } else {
        page_rowids(conn, query, offset, limit)?
    };
    let mut read = conn.prepare_cached("SELECT account, raw FROM objects WHERE rowid = ?1")?;
    let mut names = AccountNames::default();
    rowids
        .into_iter()
        .map(|rowid| {
            let (account, raw): (String, String) = read.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
            payout_row(conn, &mut names, &account, &parse(&raw)?)
        })
        .collect()
}

/// The row IDs of a page. SQLite steps over every row before an OFFSET, so a page past the
/// middle is read from the other end, in the reverse order, when the totals know how many match:
/// the last of 100,000 payouts is 100 steps away instead of 100,000 (8 ms).
fn page_rowids(conn: &Connection, query: &PayoutQuery, offset: u32, limit: u32) -> Result<Vec<i64>, StoreError> {
    let (offset, limit) = (offset as u64, limit as u64);
    let scoped = matches!(query.accounts, Accounts::Only(_));
    let total = if offset > 1_000 || scoped { super::totals::count(conn, query)?.map(u64::from) } else { None };
    let few = query.search.is_some() || (scoped && total.is_some_and(|n| n <= FEW));
    let (descending, offset, limit) = match total {
        Some(total) if offset >= total => return Ok(Vec::new()),
        Some(total) if offset * 2 > total && offset > 1_000 => {
            let end = (offset + limit).min(total);
            (!query.descending, total - end, end - offset)
        }
        _ => (query.descending, offset, limit),
    };
    let (mut filter, mut args) = query.filter();
    let offset = match seek(conn, query, descending, offset)? {
        Some((condition, seek_args, left)) => {
            filter.push_str(condition);
            args.extend(seek_args);
            left
        }
        None => offset,
    };
    let order = query.order(descending, few);
    let sql = format!("SELECT o.rowid FROM objects o WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?");
    args.push(Sql::Integer(limit as i64));
    args.push(Sql::Integer(offset as i64));
    let mut rowids = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(args), |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    if descending != query.descending {
        rowids.reverse();
    }
    Ok(rowids)
}

/// Where a deep page of every payout starts, by amount or by restaurant name (schema 26): the
/// condition that skips the payouts of the steps of amount, or of the names, before the one that
/// holds payout number `offset`, its arguments, and how many payouts of that step or name come
/// before it. `None` for a near page, another order, a narrower query, or payouts the counts do
/// not hold (one without a currency or an amount).
fn seek(
    conn: &Connection,
    query: &PayoutQuery,
    descending: bool,
    offset: u64,
) -> Result<Option<(&'static str, Vec<Sql>, u64)>, StoreError> {
    let plain = matches!(query.accounts, Accounts::All)
        && query.status.is_none()
        && query.from.is_none()
        && query.until.is_none()
        && query.search.is_none();
    if !plain || offset < 1_000 {
        return Ok(None);
    }
    let (table, keys, condition) = match (query.sort, descending) {
        (PayoutSort::Amount, false) => {
            ("payout_amount_steps", "currency, step", " AND (o.currency, o.amount) >= (?, ?)")
        }
        (PayoutSort::Amount, true) => {
            ("payout_amount_steps", "currency, step", " AND (o.currency, o.amount) <= (?, ?)")
        }
        (PayoutSort::Account, false) => ("payout_payee_counts", "payee_name, NULL", " AND o.payee_name >= ?"),
        (PayoutSort::Account, true) => ("payout_payee_counts", "payee_name, NULL", " AND o.payee_name <= ?"),
        _ => return Ok(None),
    };
    let held: i64 =
        conn.prepare_cached(&format!("SELECT coalesce(sum(payouts), 0) FROM {table}"))?.query_row([], |r| r.get(0))?;
    if super::totals::count(conn, query)?.map(i64::from) != Some(held) {
        return Ok(None);
    }
    let dir = if descending { "DESC" } else { "ASC" };
    let order = keys.replace(", NULL", "").replace(", ", &format!(" {dir}, "));
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {keys}, payouts FROM {table} WHERE payouts > 0 ORDER BY {order} {dir}"))?;
    let mut rows = stmt.query([])?;
    let mut before = 0u64;
    while let Some(row) = rows.next()? {
        let (key, step, payouts): (String, Option<i64>, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let payouts = u64::try_from(payouts).unwrap_or(0);
        if before + payouts > offset {
            let mut args = vec![Sql::Text(key)];
            if let Some(step) = step {
                // The step's first amount going up, its last going down.
                let first = step.saturating_mul(1_024);
                args.push(Sql::Integer(if descending { first.saturating_add(1_023) } else { first }));
            }
            return Ok(Some((condition, args, offset - before)));
        }
        before += payouts;
    }
    Ok(None)
}

/// One payout by ID, with the account it belongs to.
pub fn get(conn: &Connection, id: &str) -> Result<Option<(String, Value)>, StoreError> {
    let found: Option<(String, String)> = conn
        .query_row("SELECT account, raw FROM objects WHERE id = ?1 AND kind = 'payout'", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    found.map(|(account, raw)| Ok((account, parse(&raw)?))).transpose()
}

/// Account names and bank accounts (`external_accounts`), read once per query.
#[derive(Default)]
pub struct AccountNames {
    seen: std::collections::HashMap<String, (String, Value)>,
}

impl AccountNames {
    fn get(&mut self, conn: &Connection, account: &str) -> Result<&(String, Value), StoreError> {
        if !self.seen.contains_key(account) {
            let entry = match crate::store::cache::account_name_and_banks(conn, account)? {
                Some(named) => named,
                None if account.is_empty() => ("Platform".to_string(), Value::Null),
                None => match crate::store::merchants::get(conn, account)? {
                    Some(m) => (m.name, Value::Null),
                    None => (account.to_string(), Value::Null),
                },
            };
            self.seen.insert(account.to_string(), entry);
        }
        Ok(&self.seen[account])
    }
}

/// A cached payout as a row of the list.
pub fn payout_row(
    conn: &Connection,
    names: &mut AccountNames,
    account: &str,
    p: &Value,
) -> Result<PayoutRow, StoreError> {
    let (name, banks) = names.get(conn, account)?;
    let destination = &p["destination"];
    let bank = if destination.is_object() {
        words::bank(destination)
    } else {
        destination.as_str().and_then(|id| {
            banks["data"]
                .as_array()
                .and_then(|list| list.iter().find(|b| b["id"].as_str() == Some(id)))
                .and_then(words::bank)
        })
    };
    let status = p["status"].as_str().unwrap_or("pending").to_string();
    let failure_code = p["failure_code"].as_str().map(str::to_string);
    Ok(PayoutRow {
        id: p["id"].as_str().unwrap_or_default().to_string(),
        gateway: p["gateway"].as_str().and_then(GatewayKind::parse).unwrap_or(GatewayKind::Stripe),
        account: account.to_string(),
        account_name: name.clone(),
        amount: Money::new(p["amount"].as_i64().unwrap_or(0), p["currency"].as_str().unwrap_or("usd")),
        status_label: words::status_label(&status),
        status,
        arrival_date: p["arrival_date"].as_i64().unwrap_or(0),
        created: p["created"].as_i64().unwrap_or(0),
        method: p["method"].as_str().unwrap_or("standard").to_string(),
        automatic: p["automatic"].as_bool().unwrap_or(false),
        bank,
        failure_message: words::failure(failure_code.as_deref(), p["failure_message"].as_str()),
        failure_code,
    })
}

/// The cached reconciliation of a payout: its balance transactions and when they were fetched.
pub fn contents(conn: &Connection, payout: &str) -> Result<Option<(Vec<Value>, String)>, StoreError> {
    let fetched_at: Option<String> = conn
        .query_row("SELECT fetched_at FROM payout_reconciled WHERE payout = ?1", [payout], |r| r.get(0))
        .optional()?;
    let Some(fetched_at) = fetched_at else { return Ok(None) };
    let mut stmt = conn.prepare_cached("SELECT raw FROM payout_contents WHERE payout = ?1 ORDER BY position")?;
    let raws = stmt.query_map([payout], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(Some((raws.iter().map(|r| parse(r)).collect::<Result<_, _>>()?, fetched_at)))
}

/// Keeps a payout's reconciliation, replacing any earlier copy, in one transaction.
pub fn save_contents(
    conn: &mut Connection,
    payout: &str,
    account: &str,
    transactions: &[Value],
    fetched_at: &str,
) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM payout_contents WHERE payout = ?1", [payout])?;
    {
        let mut insert =
            tx.prepare("INSERT INTO payout_contents (payout, position, transaction_id, raw) VALUES (?1, ?2, ?3, ?4)")?;
        for (i, t) in transactions.iter().enumerate() {
            insert.execute(params![payout, i as i64, t["id"].as_str().unwrap_or_default(), t.to_string()])?;
        }
    }
    tx.execute(
        "INSERT INTO payout_reconciled (payout, account, fetched_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(payout) DO UPDATE SET fetched_at = excluded.fetched_at",
        params![payout, account, fetched_at],
    )?;
    tx.commit()?;
    Ok(())
}

/// The order number of a cached payment, charge, refund or dispute (following it to its charge).
pub fn order_number(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    // Prepared once per connection: lists ask it for every row.
    let found: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT order_number, parent FROM objects WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match found {
        Some((Some(order), _)) => Some(order),
        Some((None, Some(parent))) if parent != id => conn
            .prepare_cached("SELECT order_number FROM objects WHERE id = ?1")?
            .query_row([parent], |r| r.get(0))
            .optional()?
            .flatten(),
        _ => None,
    })
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
