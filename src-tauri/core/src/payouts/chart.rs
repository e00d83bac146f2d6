//! The payouts chart: paid amounts, payouts and failures per week or month and currency.
//!
//! Read from the running totals per arrival day that triggers keep beside every payout (schema
//! 15, [`totals`]): a few hundred rows a year for every account together, where adding up the
//! payouts themselves read all 100,000 (65 ms). A search (an ID, an amount, a name) or a date
//! range that is not whole days cannot be answered from daily totals: those add up the matching
//! payouts.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};

use super::queries::PayoutQuery;
use super::totals::{self, DAY};
use super::views::{ChartBucket, ChartPoint, ChartSeries};
use crate::money::Money;
use crate::store::filters::Accounts;
use crate::store::StoreError;

/// What the chart adds up per currency and bucket: `(currency, bucket start, paid, paid payouts,
/// failed payouts)`.
type Row = (String, i64, i64, i64, i64);

/// Payouts per bucket and currency, oldest first, with empty buckets filled in; the currency with
/// the most money paid out first.
pub fn chart(conn: &Connection, query: &PayoutQuery, bucket: ChartBucket) -> Result<Vec<ChartSeries>, StoreError> {
    let rows = match from_totals(query, bucket) {
        Some((sql, args)) => read(conn, &sql, args)?,
        None => {
            let (sql, args) = from_payouts(query, bucket);
            read(conn, &sql, args)?
        }
    };
    Ok(series(rows, bucket))
}

/// The chart's query over the daily totals, or `None` when they cannot answer it.
pub(super) fn from_totals(query: &PayoutQuery, bucket: ChartBucket) -> Option<(String, Vec<Sql>)> {
    let (table, filter, args) = totals::filter(query, true)?;
    let start = bucket_start(bucket, "day");
    let sql = format!(
        "SELECT currency, {start} AS b,
                sum(CASE WHEN status IN ('paid', 'in_transit') THEN amount ELSE 0 END),
                sum(CASE WHEN status IN ('paid', 'in_transit') THEN payouts ELSE 0 END),
                sum(CASE WHEN status = 'failed' THEN payouts ELSE 0 END)
         FROM {table} WHERE {filter} GROUP BY currency, b ORDER BY currency, b"
    );
    Some((sql, args))
}

/// The chart's query over the matching payouts themselves.
pub(super) fn from_payouts(query: &PayoutQuery, bucket: ChartBucket) -> (String, Vec<Sql>) {
    let (filter, args) = query.filter();
    let start = bucket_start(bucket, "(o.arrival_date / 86400)");
    // Left to itself, the planner would group by the currency index and read every payout
    // (315 ms at 100k payouts). A search's own index finds its few payouts (`+` keeps the planner
    // off the currency index); otherwise the arrival index is named (65 ms).
    let (index, currency) = match (&query.search, &query.accounts) {
        (Some(_), _) => ("", "+o.currency"),
        (None, Accounts::All) => ("INDEXED BY objects_by_arrival", "o.currency"),
        (None, Accounts::Only(_)) => ("INDEXED BY objects_by_account_arrival", "o.currency"),
    };
    let sql = format!(
        "SELECT o.currency, {start} AS b,
                sum(CASE WHEN o.status IN ('paid', 'in_transit') THEN o.amount ELSE 0 END),
                sum(CASE WHEN o.status IN ('paid', 'in_transit') THEN 1 ELSE 0 END),
                sum(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END)
         FROM objects o {index} WHERE {filter} GROUP BY {currency}, b ORDER BY {currency}, b"
    );
    (sql, args)
}

/// Unix seconds of the first day of the bucket holding unix day `day` (an SQL expression): weeks
/// start on Monday (day 0, 1 January 1970, was a Thursday), months on their first day, UTC.
fn bucket_start(bucket: ChartBucket, day: &str) -> String {
    match bucket {
        ChartBucket::Week => format!("(({day}) - (({day}) + 3) % 7) * 86400"),
        ChartBucket::Month => {
            format!("CAST(strftime('%s', date(({day}) * 86400, 'unixepoch', 'start of month')) AS INTEGER)")
        }
    }
}

pub(super) fn read(conn: &Connection, sql: &str, args: Vec<Sql>) -> Result<Vec<Row>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<Vec<Row>, _>>()?;
    Ok(rows)
}

/// Rows ordered by currency and bucket, as series with the empty buckets between them filled in.
pub(super) fn series(rows: Vec<Row>, bucket: ChartBucket) -> Vec<ChartSeries> {
    let mut series: Vec<ChartSeries> = Vec::new();
    for (currency, start, paid, count, failed) in rows {
        if series.last().map(|s| s.currency != currency).unwrap_or(true) {
            let money = Money::new(0, &currency);
            series.push(ChartSeries { currency: money.currency, exponent: money.exponent, points: Vec::new() });
        }
        if let Some(s) = series.last_mut() {
            while let Some(gap) = s.points.last().map(|p| next_bucket(p.start, bucket)).filter(|next| *next < start) {
                s.points.push(ChartPoint { start: gap, paid: 0, count: 0, failed: 0 });
            }
            s.points.push(ChartPoint { start, paid, count: count as u32, failed: failed as u32 });
        }
    }
    series.sort_by_key(|s| std::cmp::Reverse(s.points.iter().map(|p| p.paid).sum::<i64>()));
    series
}

fn next_bucket(start: i64, bucket: ChartBucket) -> i64 {
    match bucket {
        ChartBucket::Week => start + 7 * DAY,
        ChartBucket::Month => chrono::DateTime::from_timestamp(start, 0)
            .and_then(|d| d.date_naive().checked_add_months(chrono::Months::new(1)))
            .map(crate::payouts::schedule::day_start)
            .unwrap_or(start + 31 * DAY),
    }
}
