//! Queries behind the balances screen: cached balances per scope and each scope's balance
//! history, paged in SQLite.

use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection};

use super::views::{HistoryRow, KindOption, ScopeBalance};
use crate::money::Money;
use crate::payouts::words;
use crate::store::filters::{created_between, trigram_phrase, Accounts, Search, TRIGRAM};
use crate::store::objects::parse;
use crate::store::StoreError;
use crate::views::BalanceLine;

/// Cached balances: the platform first, then each account by name.
pub fn balances(conn: &Connection, accounts: &Accounts) -> Result<Vec<ScopeBalance>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT b.scope, coalesce(a.name, json_extract(o.raw, '$.business_profile.name'), b.scope),
                coalesce(a.country, json_extract(o.raw, '$.country')), b.currency, b.available, b.pending,
                b.connect_reserved, b.instant_available, b.synced_at
         FROM balances b LEFT JOIN accounts a ON a.id = b.scope
              LEFT JOIN objects o ON o.id = b.scope AND o.kind = 'account'
         ORDER BY b.scope != '', 2, b.scope, b.currency",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            [r.get::<_, i64>(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
            r.get::<_, String>(8)?,
        ))
    })?;
    let mut out: Vec<ScopeBalance> = Vec::new();
    for row in rows {
        let (scope, name, country, currency, amounts, synced_at) = row?;
        if let Accounts::Only(ids) = accounts {
            if !ids.contains(&scope) {
                continue;
            }
        }
        if out.last().map(|s| s.account != scope).unwrap_or(true) {
            let name = if scope.is_empty() { "Platform".to_string() } else { name };
            out.push(ScopeBalance {
                account: scope.clone(),
                name,
                country,
                lines: Vec::new(),
                synced_at: Some(synced_at),
            });
        }
        if let Some(s) = out.last_mut() {
            s.lines.push(BalanceLine::new(currency, amounts));
        }
    }
    // A restaurant with no balance yet (just onboarded, nothing sold) is still listed, so that it
    // can be picked (its schedule, its history).
    let mut known = conn.prepare(
        "SELECT o.id, coalesce(a.name, json_extract(o.raw, '$.business_profile.name'), o.id),
                coalesce(a.country, json_extract(o.raw, '$.country'))
         FROM objects o LEFT JOIN accounts a ON a.id = o.id WHERE o.kind = 'account'",
    )?;
    let known = known.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?;
    for row in known {
        let (id, name, country): (String, String, Option<String>) = row?;
        let in_scope = match accounts {
            Accounts::Only(ids) => ids.contains(&id),
            Accounts::All => true,
        };
        if in_scope && !out.iter().any(|s| s.account == id) {
            out.push(ScopeBalance { account: id, name, country, lines: Vec::new(), synced_at: None });
        }
    }
    out.sort_by(|a, b| (!a.account.is_empty(), &a.name, &a.account).cmp(&(!b.account.is_empty(), &b.name, &b.account)));
    Ok(out)
}

/// A search by words that more of a restaurant's descriptions hold than this is not looked up: the
/// restaurant's history is walked in order, testing each description, which meets a page of them
/// at once, and they are counted only so far ([`COUNTED_PAST`]).
const FEW: usize = 1_000;

/// How far past the page a search many descriptions hold is counted; its total is then "at least".
pub const COUNTED_PAST: u32 = 1_000;

/// A balance history query of one scope; dates are unix seconds, `[from, until)`.
#[derive(Debug, Clone)]
pub struct HistoryQuery {
    pub account: String,
    pub kind: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub search: Option<Search>,
    /// The transactions a search by words lists, newest first, when few descriptions hold the
    /// words: as [`HistoryQuery::looked_up`] found them for the other fields, with which they are
    /// to be read. Without them, a search by words walks the history.
    pub found: Option<Vec<i64>>,
}

impl HistoryQuery {
    /// This query with a search by words looked up in the trigram index of the descriptions
    /// (schema 24), when the words are long enough and few descriptions hold them.
    pub fn looked_up(self, conn: &Connection) -> Result<Self, StoreError> {
        let Some((text, words)) = self.words() else { return Ok(self) };
        if text.chars().count() < TRIGRAM {
            return Ok(self);
        }
        // `LIKE` decides on the index's copy, as it did on the JSON: the trigrams fold more
        // than ASCII case. Every restaurant's are counted: the restaurant's are kept after.
        let found = conn
            .prepare_cached(
                "SELECT d.rowid FROM balance_descriptions d
                 WHERE balance_descriptions MATCH ?1 AND d.description LIKE ?2 ESCAPE '\\' LIMIT ?3",
            )?
            .query_map(params![trigram_phrase(text), words, FEW + 1], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        if found.len() > FEW {
            return Ok(self);
        }
        // Those of the restaurant that the other filters keep, in the list's order, read once
        // for the total and every page.
        let query = Self { found: Some(found), ..self };
        let (filter, args) = query.filter();
        let order = query.order(true);
        let listed = conn
            .prepare_cached(&format!("SELECT rowid FROM objects WHERE {filter} ORDER BY {order}"))?
            .query_map(params_from_iter(args), |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(Self { found: Some(listed), ..query })
    }

    /// What was typed and its `LIKE` pattern, for a search by words.
    fn words(&self) -> Option<(&str, &str)> {
        self.search.as_ref().and_then(|s| Some((s.text.as_str(), s.words.as_deref()?)))
    }

    /// A search by words not looked up: the history is walked in order, testing each description.
    fn walks(&self) -> bool {
        self.words().is_some() && self.found.is_none()
    }

    /// The WHERE clause and its parameters. A search is the row IDs its own indexes find (schema
    /// 18), so neither the count nor the page reads every transaction's JSON to compare it.
    fn filter(&self) -> (String, Vec<Sql>) {
        let scope = "kind = 'balance_transaction' AND account = ?";
        // With a search looked up, the rows are those its row IDs name: `+` keeps SQLite from
        // walking the restaurant's whole history to test each against them.
        let mut sql = match self.search {
            Some(_) if !self.walks() => String::from("+kind = 'balance_transaction' AND +account = ?"),
            _ => String::from(scope),
        };
        let mut args = vec![Sql::Text(self.account.clone())];
        if let Some(kind) = &self.kind {
            sql.push_str(" AND type = ?");
            args.push(Sql::Text(kind.clone()));
        }
        created_between(&mut sql, &mut args, self.from, self.until);
        if let (Some((_, words)), None) = (self.words(), &self.found) {
            // Walked: each description read from the history's index (schema 27), which holds
            // this very expression.
            sql.push_str(" AND json_extract(raw, '$.description') LIKE ? ESCAPE '\\'");
            args.push(Sql::Text(words.to_string()));
            return (sql, args);
        }
        if let Some(search) = &self.search {
            // Each way a transaction can match, through its index; a transaction matching two
            // ways is one row ID twice, which IN reads once.
            let mut any = Vec::new();
            let mut found_in = |scope: &str, condition: String, values: Vec<Sql>| {
                any.push(format!("SELECT rowid FROM objects WHERE {scope} AND {condition}"));
                args.push(Sql::Text(self.account.clone()));
                args.extend(values);
            };
            if let (Some(pattern), Some(start)) = (&search.id_prefix, &search.id_start) {
                // LIKE ignores ASCII case, as NOCASE does: what it matches sorts in the NOCASE
                // range of what was typed, which the index finds; LIKE keeps exactly those.
                let range = |column: &str| {
                    format!(
                        "{column} >= ? COLLATE NOCASE AND {column} < ? COLLATE NOCASE AND {column} LIKE ? ESCAPE '\\'"
                    )
                };
                let values = || {
                    let end = format!("{start}\u{10FFFF}");
                    vec![Sql::Text(start.clone()), Sql::Text(end), Sql::Text(pattern.clone())]
                };
                found_in(scope, range("id"), values());
                found_in(scope, range("source"), values());
            }
            for amount in &search.amounts {
                found_in(scope, "amount = ?".into(), vec![Sql::Integer(*amount)]);
                found_in(scope, "amount = -?".into(), vec![Sql::Integer(*amount)]);
                found_in(scope, "net = ?".into(), vec![Sql::Integer(*amount)]);
            }
            if let Some(found) = &self.found {
                // The descriptions the trigram index found holding the words.
                found_in(
                    "+kind = 'balance_transaction' AND +account = ?",
                    "rowid IN (SELECT value FROM json_each(?))".into(),
                    vec![Sql::Text(serde_json::Value::from(found.clone()).to_string())],
                );
            }
            match any.is_empty() {
                true => sql.push_str(" AND 0"),
                false => sql.push_str(&format!(" AND rowid IN ({})", any.join(" UNION ALL "))),
            }
        }
        (sql, args)
    }

    /// The counts table's WHERE clause for the same transactions (schema 18), or `None` when
    /// only the transactions can tell: a search, or a range that is not whole days.
    fn counted(&self) -> Option<(String, Vec<Sql>)> {
        let whole_day = |t: Option<i64>| t.is_none_or(|t| t % DAY == 0);
        if self.search.is_some() || !whole_day(self.from) || !whole_day(self.until) {
            return None;
        }
        let mut sql = String::from("account = ?");
        let mut args = vec![Sql::Text(self.account.clone())];
        if let Some(kind) = &self.kind {
            sql.push_str(" AND typed = 1 AND type = ?");
            args.push(Sql::Text(kind.clone()));
        }
        // Created at or after midnight of day D is on day D or later, the days floored.
        if let Some(from) = self.from {
            sql.push_str(" AND day >= ?");
            args.push(Sql::Integer(from.div_euclid(DAY)));
        }
        if let Some(until) = self.until {
            sql.push_str(" AND day < ?");
            args.push(Sql::Integer(until.div_euclid(DAY)));
        }
        Some((sql, args))
    }

    /// Newest first, then by ID: a total order, whose reverse is the same rows backwards.
    fn order(&self, descending: bool) -> String {
        let dir = if descending { "DESC" } else { "ASC" };
        // A search's few rows are sorted; without `+` SQLite would walk the whole history in
        // order to meet them. A search walked meets them in order.
        let plus = if self.search.is_some() && !self.walks() { "+" } else { "" };
        format!("{plus}created {dir}, id {dir}")
    }
}

const DAY: i64 = 86_400;

/// How many transactions the query lists, and whether that is only "at least" so many: a search
/// walked is counted to [`COUNTED_PAST`] past the page at `offset`, not to the end.
pub fn history_count(conn: &Connection, query: &HistoryQuery, offset: u32) -> Result<(u32, bool), StoreError> {
    let total = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    if let Some((filter, args)) = query.counted() {
        let n: i64 = conn
            .prepare_cached(&format!("SELECT coalesce(sum(transactions), 0) FROM balance_day_counts WHERE {filter}"))?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        return Ok((total(n), false));
    }
    let (filter, mut args) = query.filter();
    if let (Some(found), Some(_)) = (&query.found, query.words()) {
        return Ok((u32::try_from(found.len()).unwrap_or(u32::MAX), false));
    }
    if !query.walks() {
        let n: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM objects WHERE {filter}"))?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        return Ok((total(n), false));
    }
    let cap = offset.saturating_add(COUNTED_PAST);
    let n: i64 = match query.words().filter(|_| query.kind.is_none() && query.from.is_none() && query.until.is_none()) {
        // Words long enough, nothing else narrowing: counted from the trigram index, keeping the
        // restaurant's.
        Some((text, words)) if text.chars().count() >= TRIGRAM => conn
            .prepare_cached(
                "SELECT count(*) FROM (
                     SELECT 1 FROM balance_descriptions d CROSS JOIN objects o ON o.rowid = d.rowid
                     WHERE balance_descriptions MATCH ?1 AND d.description LIKE ?2 ESCAPE '\\'
                       AND o.kind = 'balance_transaction' AND o.account = ?3
                     LIMIT ?4)",
            )?
            .query_row(params![trigram_phrase(text), words, query.account, i64::from(cap) + 1], |r| r.get(0))?,
        _ => {
            args.push(Sql::Integer(i64::from(cap) + 1));
            conn.prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM objects WHERE {filter} LIMIT ?)"))?
                .query_row(params_from_iter(args), |r| r.get(0))?
        }
    };
    Ok(if n > i64::from(cap) { (cap, true) } else { (total(n), false) })
}

/// One page of a scope's balance transactions, newest first. The page is picked on row IDs from
/// the indexes, then its JSON is read: only its own, not that of every row before it.
pub fn history_page(
    conn: &Connection,
    query: &HistoryQuery,
    offset: u32,
    limit: u32,
) -> Result<Vec<HistoryRow>, StoreError> {
    let rowids = if conn.is_autocommit() {
        // The total and the page from one snapshot, should a sync write between them.
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
        history_rowids(&tx, query, offset, limit)?
    } else {
        history_rowids(conn, query, offset, limit)?
    };
    let mut read = conn.prepare_cached("SELECT raw FROM objects WHERE rowid = ?1")?;
    rowids
        .into_iter()
        .map(|rowid| {
            let raw: String = read.query_row([rowid], |r| r.get(0))?;
            let t = parse(&raw)?;
            let currency = t["currency"].as_str().unwrap_or("usd");
            let kind = t["type"].as_str().unwrap_or("other").to_string();
            let source = &t["source"];
            Ok(HistoryRow {
                id: t["id"].as_str().unwrap_or_default().to_string(),
                created: t["created"].as_i64().unwrap_or(0),
                available_on: t["available_on"].as_i64().unwrap_or(0),
                kind_label: words::transaction_label(&kind),
                kind,
                description: t["description"].as_str().map(str::to_string),
                gross: Money::new(t["amount"].as_i64().unwrap_or(0), currency),
                fee: Money::new(t["fee"].as_i64().unwrap_or(0), currency),
                net: Money::new(t["net"].as_i64().unwrap_or(0), currency),
                source: source.as_str().or_else(|| source["id"].as_str()).map(str::to_string),
                status: t["status"].as_str().unwrap_or("available").to_string(),
            })
        })
        .collect()
}

/// The row IDs of a page; one past the middle is read from the other end when the counts know
/// the total, as SQLite steps over every row before an OFFSET.
fn history_rowids(conn: &Connection, query: &HistoryQuery, offset: u32, limit: u32) -> Result<Vec<i64>, StoreError> {
    if let (Some(found), Some(_)) = (&query.found, query.words()) {
        return Ok(found.iter().skip(offset as usize).take(limit as usize).copied().collect());
    }
    let (offset, limit) = (offset as u64, limit as u64);
    let total =
        if offset > 1_000 && query.counted().is_some() { Some(history_count(conn, query, 0)?.0 as u64) } else { None };
    let (descending, offset, limit) = match total {
        Some(total) if offset >= total => return Ok(Vec::new()),
        Some(total) if offset * 2 > total => {
            let end = (offset + limit).min(total);
            (false, total - end, end - offset)
        }
        _ => (true, offset, limit),
    };
    let (filter, mut args) = query.filter();
    args.push(Sql::Integer(limit as i64));
    args.push(Sql::Integer(offset as i64));
    let order = query.order(descending);
    let mut stmt =
        conn.prepare_cached(&format!("SELECT rowid FROM objects WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"))?;
    let mut rowids = stmt.query_map(params_from_iter(args), |r| r.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>()?;
    if !descending {
        rowids.reverse();
    }
    Ok(rowids)
}

/// The balance transaction types present in a scope, with their words.
pub fn history_kinds(conn: &Connection, account: &str) -> Result<Vec<KindOption>, StoreError> {
    // From the counts (schema 18): reading the type of every transaction took 10 ms at 100,000.
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT type FROM balance_day_counts WHERE account = ?1 AND typed = 1 ORDER BY type",
    )?;
    let kinds = stmt.query_map([account], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(kinds.into_iter().map(|value| KindOption { label: words::transaction_label(&value), value }).collect())
}

/// Net of a scope's funds that become available in `(after, until]`, per currency.
pub fn funds_becoming_available(
    conn: &Connection,
    account: &str,
    after: i64,
    until: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency, sum(json_extract(raw, '$.net')) FROM objects
         WHERE kind = 'balance_transaction' AND account = ?1 AND available_on > ?2 AND available_on <= ?3
         GROUP BY currency",
    )?;
    let rows = stmt.query_map(params![account, after, until], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
