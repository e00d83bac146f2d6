//! What the running totals per arrival day (schema 15) answer for a payouts query: how many
//! payouts match (the list's total) and the chart, from a few hundred rows a year instead of every
//! payout. A search (an ID, an amount, a name) or an arrival range that is not whole days needs the
//! payouts themselves.

use rusqlite::types::Value as Sql;
use rusqlite::Connection;

use super::queries::PayoutQuery;
use crate::store::filters::Accounts;
use crate::store::StoreError;

pub(super) const DAY: i64 = 86_400;

/// The totals table and WHERE clause standing for `query`'s payouts, or `None` when the totals
/// cannot tell them apart. `dated_only`: only payouts with an arrival date.
pub(super) fn filter(query: &PayoutQuery, dated_only: bool) -> Option<(&'static str, String, Vec<Sql>)> {
    let whole_day = |t: Option<i64>| t.is_none_or(|t| t % DAY == 0);
    if query.search.is_some() || !whole_day(query.from) || !whole_day(query.until) {
        return None;
    }
    let mut args = Vec::new();
    let (table, mut filter) = match &query.accounts {
        Accounts::All => ("payout_day_totals", String::from("1")),
        Accounts::Only(ids) if ids.is_empty() => ("payout_account_day_totals", String::from("0")),
        Accounts::Only(ids) => {
            args.extend(ids.iter().cloned().map(Sql::Text));
            ("payout_account_day_totals", format!("account IN ({})", vec!["?"; ids.len()].join(", ")))
        }
    };
    // A payout without an arrival date is in no date range, as `arrival_date >= ?` is never true.
    if dated_only || query.from.is_some() || query.until.is_some() {
        filter.push_str(" AND dated = 1");
    }
    if let Some(status) = &query.status {
        filter.push_str(" AND status = ?");
        args.push(Sql::Text(status.clone()));
    }
    // An arrival on or after midnight of day D is on day D or later: the same payouts.
    if let Some(from) = query.from {
        filter.push_str(" AND day >= ?");
        args.push(Sql::Integer(from / DAY));
    }
    if let Some(until) = query.until {
        filter.push_str(" AND day < ?");
        args.push(Sql::Integer(until / DAY));
    }
    Some((table, filter, args))
}

/// How many payouts match `query`, when the totals can tell.
pub(super) fn count(conn: &Connection, query: &PayoutQuery) -> Result<Option<u32>, StoreError> {
    let Some((table, filter, args)) = filter(query, false) else { return Ok(None) };
    let n: i64 = conn
        .prepare_cached(&format!("SELECT coalesce(sum(payouts), 0) FROM {table} WHERE {filter}"))?
        .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
    Ok(Some(u32::try_from(n).unwrap_or(u32::MAX)))
}

#[cfg(test)]
#[path = "totals_tests.rs"]
mod tests;
