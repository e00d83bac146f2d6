//! The inbox's read of the cached disputes, a page at a time: those needing a response first,
//! soonest deadline first (so overdue ones lead), then those with the bank, then closed ones
//! newest first (schema 21's order columns and running counts).

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::Value;

use super::views::DisputeFilter;
use super::words::NEEDS_RESPONSE;
use crate::store::filters::Accounts;
use crate::store::{objects, StoreError};

/// A cached dispute: its account and Stripe's JSON, with the order number of its charge.
pub struct Cached {
    pub account: String,
    pub raw: Value,
    pub order_number: Option<String>,
}

/// What the inbox shows of its disputes: the filter, over the restaurants in view.
pub struct Inbox<'a> {
    pub accounts: &'a Accounts,
    pub filter: &'a DisputeFilter,
}

/// Counts for the inbox's caption at `now`: every dispute the filter matches, and how many of
/// them need a response within 72 hours or are past their deadline.
pub struct Counts {
    pub total: u32,
    pub due_soon: u32,
    pub overdue: u32,
}

/// Seconds before a deadline that make a dispute due soon (as `words::urgency` says).
const DUE_SOON: i64 = 72 * 3600;

impl Inbox<'_> {
    /// `WHERE` clauses (after `kind = 'dispute'`) and their arguments, or `None` when no
    /// restaurant is in view.
    fn conditions(&self, table: &str) -> Option<(String, Vec<Sql>)> {
        let (mut sql, mut args) = self.accounts.condition(&format!("{table}account"))?;
        if let Some(restaurant) = some(&self.filter.restaurant) {
            sql.push_str(&format!(" AND {table}account = ?"));
            args.push(Sql::Text(restaurant.to_string()));
        }
        if let Some(status) = some(&self.filter.status) {
            sql.push_str(&format!(" AND {table}status = ?"));
            args.push(Sql::Text(status.to_string()));
        }
        if let Some(reason) = some(&self.filter.reason) {
            sql.push_str(&format!(" AND {table}reason = ?"));
            args.push(Sql::Text(reason.to_string()));
        }
        Some((sql, args))
    }

    /// Whether the running counts per restaurant (rather than those of every restaurant) answer.
    fn per_account(&self) -> bool {
        matches!(self.accounts, Accounts::Only(_)) || some(&self.filter.restaurant).is_some()
    }

    /// The inbox's order over `objects o`, or its reverse. One status has one rank: ordering by
    /// the key alone is the same order, and lets the status's index give it.
    fn order(&self, reverse: bool) -> String {
        let columns: &[&str] = if some(&self.filter.status).is_some() {
            &["o.inbox_key", "o.id"]
        } else {
            &["o.inbox_rank", "o.inbox_key", "o.id"]
        };
        let dir = if reverse { " DESC" } else { "" };
        columns.iter().map(|c| format!("{c}{dir}")).collect::<Vec<_>>().join(", ")
    }

    /// `limit` disputes from `offset` of the `total` the filter matches, most pressing first: the
    /// order of schema 21's inbox indexes (rank, key, ID), so a page reads only its rows.
    pub fn page(&self, conn: &Connection, total: u32, offset: u32, limit: u32) -> Result<Vec<Cached>, StoreError> {
        let Some((conditions, mut args)) = self.conditions("o.") else { return Ok(Vec::new()) };
        if offset >= total {
            return Ok(Vec::new());
        }
        // SQLite steps over every row before an OFFSET: a page past the middle is read from the
        // other end, in the reverse order.
        let end = offset.saturating_add(limit).min(total);
        let (reverse, skip, take) =
            if offset.saturating_mul(2) > total { (true, total - end, end - offset) } else { (false, offset, limit) };
        let (order, inner) = (self.order(false), self.order(reverse));
        // The page's row IDs first, from the index alone, so the rows skipped to reach a deep
        // page are neither read nor joined; then those rows, sorted again (a hundred of them).
        let sql = format!(
            "SELECT o.account, o.raw, t.order_ref
             FROM (SELECT o.rowid AS picked FROM objects o WHERE o.kind = 'dispute'{conditions}
                   ORDER BY {inner} LIMIT ? OFFSET ?) p
             CROSS JOIN objects o ON o.rowid = p.picked
             LEFT JOIN transactions t ON t.gateway = 'stripe' AND t.reference = o.parent
             ORDER BY {order}"
        );
        args.push(Sql::Integer(take.into()));
        args.push(Sql::Integer(skip.into()));
        read(&mut conn.prepare_cached(&sql)?, params_from_iter(args))
    }

    /// The caption's counts: the total from the running counts, the deadlines from the
    /// disputes needing a response (the front of the inbox's order, a few of all).
    pub fn counts(&self, conn: &Connection, now: i64) -> Result<Counts, StoreError> {
        let Some((conditions, args)) = self.conditions("") else {
            return Ok(Counts { total: 0, due_soon: 0, overdue: 0 });
        };
        let counts = if self.per_account() { "dispute_account_counts" } else { "dispute_counts" };
        let total: i64 = conn
            .prepare_cached(&format!("SELECT coalesce(sum(disputes), 0) FROM {counts} WHERE 1{conditions}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        // Counted on the index alone: naming `inbox_key` outside the `WHERE` would read it again
        // from every dispute's JSON. A status filter fixes the rank (and its index holds the key).
        let rank = match some(&self.filter.status) {
            Some(status) if !NEEDS_RESPONSE.contains(&status) => {
                return Ok(Counts { total: clamp(total), due_soon: 0, overdue: 0 })
            }
            Some(_) => "",
            None => " AND inbox_rank = 0",
        };
        let due_by = |until: i64| -> Result<i64, StoreError> {
            let mut args = args.clone();
            args.insert(0, Sql::Integer(until));
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM objects WHERE kind = 'dispute' AND inbox_key <= ?{rank}{conditions}"
                ))?
                .query_row(params_from_iter(args), |r| r.get(0))?)
        };
        let overdue = due_by(now)?;
        let due_soon = due_by(now + DUE_SOON)? - overdue;
        Ok(Counts { total: clamp(total), due_soon: clamp(due_soon), overdue: clamp(overdue) })
    }

    /// The reasons of the disputes in view under the status and restaurant filters (not the
    /// reason's own: the picker offers the others), for the reason picker.
    pub fn reasons(&self, conn: &Connection) -> Result<Vec<String>, StoreError> {
        let filter = DisputeFilter { reason: None, ..self.filter.clone() };
        let others = Inbox { accounts: self.accounts, filter: &filter };
        let Some((conditions, args)) = others.conditions("") else { return Ok(Vec::new()) };
        let counts = if others.per_account() { "dispute_account_counts" } else { "dispute_counts" };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT DISTINCT reason FROM {counts} WHERE reason != ''{conditions} ORDER BY reason"
        ))?;
        let reasons = stmt.query_map(params_from_iter(args), |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(reasons)
    }
}

/// The disputes of every restaurant needing a response with a deadline in `(after, until]`, for
/// the deadline reminders: a range of the inbox's index, however many disputes are closed.
pub fn due_between(conn: &Connection, after: i64, until: i64) -> Result<Vec<Cached>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.account, o.raw, t.order_ref FROM objects o
         LEFT JOIN transactions t ON t.gateway = 'stripe' AND t.reference = o.parent
         WHERE o.kind = 'dispute' AND o.inbox_rank = 0 AND o.inbox_key > ?1 AND o.inbox_key <= ?2
         ORDER BY o.inbox_key, o.id",
    )?;
    read(&mut stmt, [after, until])
}

/// The disputes a statement selects as (account, raw, order number).
fn read(stmt: &mut rusqlite::CachedStatement<'_>, args: impl rusqlite::Params) -> Result<Vec<Cached>, StoreError> {
    let rows: Vec<(String, String, Option<String>)> =
        stmt.query_map(args, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(account, raw, order_number)| Ok(Cached { account, raw: objects::parse(&raw)?, order_number }))
        .collect()
}

fn some(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn clamp(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// One cached dispute by its ID.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Cached>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.account, o.raw, t.order_ref FROM objects o
         LEFT JOIN transactions t ON t.gateway = 'stripe' AND t.reference = o.parent
         WHERE o.id = ?1 AND o.kind = 'dispute'",
    )?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => {
            let raw: String = r.get(1)?;
            Ok(Some(Cached { account: r.get(0)?, raw: objects::parse(&raw)?, order_number: r.get(2)? }))
        }
        None => Ok(None),
    }
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
