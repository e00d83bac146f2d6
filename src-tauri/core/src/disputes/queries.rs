//! The inbox's read of the cached disputes: those needing a response first, soonest deadline
//! first (so overdue ones lead), then those with the bank, then closed ones newest first.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};
use serde_json::Value;

use super::views::DisputeFilter;
use crate::store::filters::Accounts;
use crate::store::{objects, StoreError};

/// A cached dispute: its account and Stripe's JSON, with the order number of its charge.
pub struct Cached {
    pub account: String,
    pub raw: Value,
    pub order_number: Option<String>,
}

const ORDER: &str = "CASE WHEN o.status IN ('needs_response', 'warning_needs_response') THEN 0
          WHEN o.status IN ('under_review', 'warning_under_review') THEN 1 ELSE 2 END,
     CASE WHEN o.status IN ('needs_response', 'warning_needs_response')
          THEN coalesce(nullif(json_extract(o.raw, '$.evidence_details.due_by'), 0), 9e18) ELSE -o.created END";

/// The disputes of `accounts` that `filter` asks for, most pressing first.
pub fn inbox(conn: &Connection, accounts: &Accounts, filter: &DisputeFilter) -> Result<Vec<Cached>, StoreError> {
    let mut sql = String::from(
        "SELECT o.account, o.raw, t.order_ref FROM objects o
         LEFT JOIN transactions t ON t.gateway = 'stripe' AND t.reference = o.parent
         WHERE o.kind = 'dispute'",
    );
    let mut args: Vec<Sql> = Vec::new();
    match accounts {
        Accounts::All => {}
        Accounts::Only(ids) if ids.is_empty() => return Ok(Vec::new()),
        Accounts::Only(ids) => {
            sql.push_str(&format!(" AND o.account IN ({})", vec!["?"; ids.len()].join(", ")));
            args.extend(ids.iter().cloned().map(Sql::Text));
        }
    }
    if let Some(restaurant) = filter.restaurant.as_deref().filter(|r| !r.is_empty()) {
        sql.push_str(" AND o.account = ?");
        args.push(Sql::Text(restaurant.to_string()));
    }
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        sql.push_str(" AND o.status = ?");
        args.push(Sql::Text(status.to_string()));
    }
    if let Some(reason) = filter.reason.as_deref().filter(|r| !r.is_empty()) {
        sql.push_str(" AND json_extract(o.raw, '$.reason') = ?");
        args.push(Sql::Text(reason.to_string()));
    }
    sql.push_str(" ORDER BY ");
    sql.push_str(ORDER);
    sql.push_str(", o.id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows: Vec<(String, String, Option<String>)> =
        stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(account, raw, order_number)| Ok(Cached { account, raw: objects::parse(&raw)?, order_number }))
        .collect()
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
