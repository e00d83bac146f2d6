//! Queries behind the balances screen: cached balances per scope and each scope's balance
//! history, paged in SQLite.

use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, Connection};

use super::views::{HistoryRow, KindOption, ScopeBalance};
use crate::money::Money;
use crate::payouts::words;
use crate::store::filters::{created_between, Accounts, Search};
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

/// A balance history query of one scope; dates are unix seconds, `[from, until)`.
#[derive(Debug, Clone)]
pub struct HistoryQuery {
    pub account: String,
    pub kind: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub search: Option<Search>,
}

impl HistoryQuery {
    fn filter(&self) -> (String, Vec<Sql>) {
        let mut sql = String::from("kind = 'balance_transaction' AND account = ?");
        let mut args = vec![Sql::Text(self.account.clone())];
        if let Some(kind) = &self.kind {
            sql.push_str(" AND type = ?");
            args.push(Sql::Text(kind.clone()));
        }
        created_between(&mut sql, &mut args, self.from, self.until);
        if let Some(search) = &self.search {
            let mut any = Vec::new();
            if let Some(id) = &search.id_prefix {
                any.push("id LIKE ? ESCAPE '\\' OR json_extract(raw, '$.source') LIKE ? ESCAPE '\\'");
                args.push(Sql::Text(id.clone()));
                args.push(Sql::Text(id.clone()));
            }
            for amount in &search.amounts {
                any.push("amount = ? OR amount = -? OR json_extract(raw, '$.net') = ?");
                args.extend([Sql::Integer(*amount), Sql::Integer(*amount), Sql::Integer(*amount)]);
            }
            if let Some(words) = &search.words {
                any.push("json_extract(raw, '$.description') LIKE ? ESCAPE '\\'");
                args.push(Sql::Text(words.clone()));
            }
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
        }
        (sql, args)
    }
}

pub fn history_count(conn: &Connection, query: &HistoryQuery) -> Result<u32, StoreError> {
    let (filter, args) = query.filter();
    let n: i64 =
        conn.query_row(&format!("SELECT count(*) FROM objects WHERE {filter}"), params_from_iter(args), |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// One page of a scope's balance transactions, newest first.
pub fn history_page(
    conn: &Connection,
    query: &HistoryQuery,
    offset: u32,
    limit: u32,
) -> Result<Vec<HistoryRow>, StoreError> {
    let (filter, mut args) = query.filter();
    args.push(Sql::Integer(limit as i64));
    args.push(Sql::Integer(offset as i64));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT raw FROM objects WHERE {filter} ORDER BY created DESC, id DESC LIMIT ? OFFSET ?"
    ))?;
    let raws = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    raws.iter()
        .map(|raw| {
            let t = parse(raw)?;
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

/// The balance transaction types present in a scope, with their words.
pub fn history_kinds(conn: &Connection, account: &str) -> Result<Vec<KindOption>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT type FROM objects WHERE kind = 'balance_transaction' AND account = ?1 AND type IS NOT NULL ORDER BY type",
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
