//! The accounts list read from `account_rows` (schema 23): a page in the list's order from an
//! index, and its total from counts kept by triggers — per status and kind, and per piece of one or
//! two letters of the names (schema 25) — or from the trigram index, else counted over the few
//! rows a search or a profile's restaurants allow.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};

use super::status::AccountStatus;
use super::views::{AccountChoice, AccountListRow};
use crate::gateways::GatewayKind;
use crate::store::filters::{trigram_phrase, Accounts, TRIGRAM};
use crate::store::StoreError;

/// A search held by at most this many rows is looked up (`account_name_pieces`, the trigram
/// index). Held by more, at least one row in 50 of 100,000 holds it, and the list's order meets a
/// page of 100 of them within some 5,000 index entries: fewer than the rows the lookup would sort.
const FEW: i64 = 2_000;

/// Which rows of the list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// The profile's restaurants.
    pub scope: Accounts,
    /// Lower-cased: part of the name, or the start of the ID once it is [`TRIGRAM`] characters
    /// long (every Stripe ID starts `acct_`: one or two characters of an ID find nothing useful).
    pub search: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    /// The rows `search` found, when looked up once for both the page and the total
    /// ([`ListQuery::found`]).
    pub found: Option<Vec<i64>>,
}

impl ListQuery {
    /// This query with its search looked up once, when few rows hold it, so that the page and its
    /// total read those rows instead of asking an index twice: one or two letters from the pieces
    /// of the names, longer words from the trigram index (or the start of an ID). A search many
    /// rows hold is left to the list's order, which meets a page of them at once, and its total to
    /// the counts.
    pub fn found(self, conn: &Connection) -> Result<Self, StoreError> {
        let Some(words) = self.search.as_ref() else { return Ok(self) };
        if !matches!(self.scope, Accounts::All) {
            // A profile's restaurants are found by their IDs, and their names read.
            return Ok(self);
        }
        let found = if words.chars().count() < TRIGRAM {
            conn.prepare_cached("SELECT row FROM account_name_pieces WHERE piece = ?1 LIMIT ?2")?
                .query_map(rusqlite::params![words, FEW + 1], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?
        } else {
            conn.prepare_cached(
                "SELECT rowid FROM account_names WHERE account_names MATCH ?1
                 UNION SELECT rowid FROM account_rows WHERE id_key >= ?2 AND id_key < ?3 LIMIT ?4",
            )?
            .query_map(rusqlite::params![trigram_phrase(words), words, format!("{words}\u{10FFFF}"), FEW + 1], |r| {
                r.get(0)
            })?
            .collect::<Result<Vec<i64>, _>>()?
        };
        Ok(if found.len() > FEW as usize { self } else { Self { found: Some(found), ..self } })
    }

    /// The WHERE clause and its parameters. A search not looked up is matched on the names read
    /// `by_order` of an index (the list's, a status's or kind's) or a profile's rows, or else
    /// looked up in the trigram index.
    fn filter(&self, by_order: bool) -> (String, Vec<Sql>) {
        let mut sql = String::from("1");
        let mut args = Vec::new();
        if let Some(status) = &self.status {
            sql.push_str(" AND r.status = ?");
            args.push(Sql::Text(status.clone()));
        }
        if let Some(kind) = &self.kind {
            sql.push_str(" AND r.kind = ?");
            args.push(Sql::Text(kind.clone()));
        }
        match self.scope.condition("r.id") {
            Some((scope, ids)) => {
                sql.push_str(&scope);
                args.extend(ids);
            }
            None => sql.push_str(" AND 0"),
        }
        if let Some(found) = &self.found {
            sql.push_str(" AND r.rowid IN (SELECT value FROM json_each(?))");
            args.push(Sql::Text(serde_json::Value::from(found.clone()).to_string()));
        } else if let Some(words) = &self.search {
            let ids = words.chars().count() >= TRIGRAM;
            if by_order || !ids {
                // Many rows hold it: the names are read from an index's entries, not the rows,
                // until the page is full (or to count them, when fewer rows are to be read so).
                sql.push_str(" AND (instr(r.name_key, ?) > 0");
                args.push(Sql::Text(words.clone()));
            } else {
                // Counted: the names holding it from the trigram index.
                sql.push_str(" AND (r.rowid IN (SELECT rowid FROM account_names WHERE account_names MATCH ?)");
                args.push(Sql::Text(trigram_phrase(words)));
            }
            if ids {
                // The ID's start from its index.
                sql.push_str(" OR r.rowid IN (SELECT rowid FROM account_rows WHERE id_key >= ? AND id_key < ?)");
                args.push(Sql::Text(words.clone()));
                args.push(Sql::Text(format!("{words}\u{10FFFF}")));
            }
            sql.push(')');
        }
        (sql, args)
    }
}

/// The rows at `offset` of the `total` the query lists, most in need of attention first, then the
/// nearest deadline, then by name. A page past the middle is read from the other end: SQLite
/// steps over every row before an OFFSET, so the last page is `limit` rows away, not `total`.
pub fn page(
    conn: &Connection,
    query: &ListQuery,
    offset: u32,
    limit: u32,
    total: u32,
) -> Result<Vec<AccountListRow>, StoreError> {
    let end = offset.saturating_add(limit).min(total);
    let backwards = offset > total / 2 && offset < total;
    let (order, offset, limit) = if backwards {
        ("r.attention DESC, r.deadline_key DESC, r.name_key DESC, r.gateway, r.id DESC", total - end, end - offset)
    } else {
        ("r.attention, r.deadline_key, r.name_key, r.gateway DESC, r.id", offset, limit)
    };
    let (filter, mut args) = query.filter(true);
    let sql = format!(
        "SELECT r.gateway, r.id, r.name, r.kind, r.country, r.default_currency, r.status, r.status_words,
                r.due_count, r.past_due_count, r.nearest_deadline, r.requirements_summary, r.created, r.disconnected
         FROM account_rows r WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    args.push(Sql::Integer(limit.into()));
    args.push(Sql::Integer(offset.into()));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(6)?,
            AccountListRow {
                gateway: GatewayKind::Stripe,
                id: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                country: r.get(4)?,
                default_currency: r.get(5)?,
                status: AccountStatus::Pending,
                status_words: r.get(7)?,
                due_count: r.get(8)?,
                past_due_count: r.get(9)?,
                nearest_deadline: r.get(10)?,
                requirements_summary: r.get(11)?,
                created: r.get(12)?,
                disconnected: r.get(13)?,
            },
        ))
    })?;
    let mut rows = rows
        .map(|row| {
            let (gateway, status, row) = row?;
            let gateway = GatewayKind::parse(&gateway)
                .ok_or_else(|| StoreError::Corrupt(format!("account row of gateway {gateway}")))?;
            let status =
                AccountStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("account status {status}")))?;
            Ok(AccountListRow { gateway, status, ..row })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    if backwards {
        rows.reverse();
    }
    Ok(rows)
}

/// How many rows the query lists: from the counts when only a status, a kind or a search many rows
/// hold narrows it; a search many rows hold with a status or kind, over whichever of the two is
/// held by fewer rows.
pub fn count(conn: &Connection, query: &ListQuery) -> Result<u32, StoreError> {
    let totals = |status: &Option<String>, kind: &Option<String>| -> Result<i64, StoreError> {
        Ok(conn
            .prepare_cached(
                "SELECT coalesce(sum(rows), 0) FROM account_row_totals
                 WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2)",
            )?
            .query_row([status, kind], |r| r.get(0))?)
    };
    let counted = |by_order: bool| -> Result<i64, StoreError> {
        let (filter, args) = query.filter(by_order);
        Ok(conn
            .prepare_cached(&format!("SELECT count(*) FROM account_rows r WHERE {filter}"))?
            .query_row(params_from_iter(args), |r| r.get(0))?)
    };
    let narrowed = query.status.is_some() || query.kind.is_some();
    let every = matches!(query.scope, Accounts::All);
    let n = match query.search.as_ref().filter(|_| query.found.is_none() && every) {
        _ if every && query.search.is_none() => totals(&query.status, &query.kind)?,
        Some(piece) if piece.chars().count() < TRIGRAM => conn
            .prepare_cached(
                "SELECT coalesce(sum(rows), 0) FROM account_piece_totals
                 WHERE piece = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR kind = ?3)",
            )?
            .query_row(rusqlite::params![piece, &query.status, &query.kind], |r| r.get(0))?,
        Some(words) => {
            // The names holding the words, counted by the trigram index alone, and the IDs
            // starting with them whose name does not hold them.
            let held: i64 = conn
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM account_names WHERE account_names MATCH ?1)
                          + (SELECT count(*) FROM account_rows
                             WHERE id_key >= ?2 AND id_key < ?3 AND coalesce(instr(name_key, ?2), 0) = 0)",
                )?
                .query_row(rusqlite::params![trigram_phrase(words), words, format!("{words}\u{10FFFF}")], |r| {
                    r.get(0)
                })?;
            if !narrowed {
                held
            } else {
                // Fewer rows of the status or kind than hold the words: their names are read
                // from the status's or kind's index; else the rows holding them are looked up.
                counted(totals(&query.status, &query.kind)? < held)?
            }
        }
        // The rows found, or a profile's restaurants with their names read.
        None => counted(true)?,
    };
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The connected accounts in `scope`, of `status` if given, by name: every one a picker offers,
/// without what the list shows beside the name.
pub fn choices(conn: &Connection, scope: &Accounts, status: Option<&str>) -> Result<Vec<AccountChoice>, StoreError> {
    let Some((scope, mut args)) = scope.condition("id") else { return Ok(Vec::new()) };
    args.insert(0, status.map_or(Sql::Null, |s| Sql::Text(s.to_string())));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, status, disconnected FROM account_rows
         WHERE gateway = 'stripe' AND (?1 IS NULL OR status = ?1){scope}
         ORDER BY name_key, id"
    ))?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
    })?;
    rows.map(|row| {
        let (id, name, status, disconnected) = row?;
        let status =
            AccountStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("account status {status}")))?;
        Ok(AccountChoice { id, name, status, disconnected })
    })
    .collect()
}
