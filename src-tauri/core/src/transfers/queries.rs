//! The transfers list's read of the cache, a page at a time: newest first (then by ID), of the
//! restaurants in view or one of them, over schema 22's indexes and running counts.

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection};

use crate::store::filters::Accounts;
use crate::store::StoreError;

/// A profile's restaurants with at most this many transfers have them sorted rather than met in
/// order: sorting 5,000 takes about a millisecond.
const FEW: u64 = 5_000;

/// Which transfers the list shows: to the restaurants in view, or to one of them.
pub struct Listed<'a> {
    pub accounts: &'a Accounts,
    pub restaurant: Option<&'a str>,
}

impl Listed<'_> {
    /// `WHERE` clauses over `destination` and their arguments, or `None` when no restaurant is in
    /// view.
    fn conditions(&self) -> Option<(String, Vec<Sql>)> {
        let (mut sql, mut args) = self.accounts.condition("destination")?;
        if let Some(restaurant) = self.restaurant {
            sql.push_str(" AND destination = ?");
            args.push(Sql::Text(restaurant.to_string()));
        }
        Some((sql, args))
    }

    /// How many transfers match, from the running counts per restaurant.
    pub fn total(&self, conn: &Connection) -> Result<u32, StoreError> {
        let Some((conditions, args)) = self.conditions() else { return Ok(0) };
        let total: i64 = conn
            .prepare_cached(&format!("SELECT coalesce(sum(transfers), 0) FROM transfer_counts WHERE 1{conditions}"))?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        Ok(u32::try_from(total.max(0)).unwrap_or(u32::MAX))
    }

    /// The JSON of `limit` transfers from `offset`, newest first: the page's row IDs from the
    /// index alone, then only their rows. A profile's restaurants with few transfers have them
    /// found through the index per restaurant and sorted: walking everyone's newest to meet
    /// theirs read each transfer's row on the way (20 restaurants of 1,000: 5 ms).
    pub fn page(&self, conn: &Connection, offset: u32, limit: u32) -> Result<Vec<String>, StoreError> {
        let Some((conditions, mut args)) = self.conditions() else { return Ok(Vec::new()) };
        let few = matches!(self.accounts, Accounts::Only(_)) && u64::from(self.total(conn)?) <= FEW;
        let index = if few { "INDEXED BY transfers_by_destination" } else { "" };
        args.push(Sql::Integer(limit.into()));
        args.push(Sql::Integer(offset.into()));
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT o.raw FROM (SELECT rowid AS picked FROM objects {index} WHERE kind = 'transfer'{conditions}
                                ORDER BY created DESC, id DESC LIMIT ? OFFSET ?) p
             CROSS JOIN objects o ON o.rowid = p.picked
             ORDER BY o.created DESC, o.id DESC"
        ))?;
        let raws = stmt.query_map(params_from_iter(args), |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(raws)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::{objects, Store};

    fn transfer(i: usize, destination: Option<&str>, created: i64) -> serde_json::Value {
        json!({"id": format!("tr_{i:04}"), "object": "transfer", "amount": 100 + i, "currency": "usd",
               "created": created, "destination": destination, "amount_reversed": 0, "metadata": {}})
    }

    /// The list as it should be, written out: newest first, then by ID (descending).
    fn expected(conn: &Connection, listed: &Listed<'_>) -> Vec<String> {
        let mut stmt = conn.prepare("SELECT raw FROM objects WHERE kind = 'transfer'").unwrap();
        let mut all: Vec<(i64, String)> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|raw| serde_json::from_str::<serde_json::Value>(&raw.unwrap()).unwrap())
            .filter(|t| {
                let to = t["destination"].as_str().unwrap_or_default();
                let in_view = match listed.accounts {
                    Accounts::All => true,
                    Accounts::Only(ids) => ids.iter().any(|id| id == to),
                };
                in_view && listed.restaurant.is_none_or(|r| r == to)
            })
            .map(|t| (t["created"].as_i64().unwrap(), t["id"].as_str().unwrap().to_string()))
            .collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|(_, id)| id).collect()
    }

    fn paged(conn: &Connection, listed: &Listed<'_>) -> Vec<String> {
        let mut ids = Vec::new();
        for page in 0.. {
            let raws = listed.page(conn, page * 9, 9).unwrap();
            let done = raws.len() < 9;
            ids.extend(raws.iter().map(|raw| {
                serde_json::from_str::<serde_json::Value>(raw).unwrap()["id"].as_str().unwrap().to_string()
            }));
            if done {
                return ids;
            }
        }
        unreachable!()
    }

    fn agree(conn: &Connection) {
        let some = Accounts::Only(vec!["acct_1".into(), "acct_2".into()]);
        let none = Accounts::Only(vec![]);
        for accounts in [&Accounts::All, &some, &none] {
            for restaurant in [None, Some("acct_1"), Some("acct_3")] {
                let listed = Listed { accounts, restaurant };
                let want = expected(conn, &listed);
                assert_eq!(paged(conn, &listed), want, "{accounts:?} {restaurant:?}");
                assert_eq!(listed.total(conn).unwrap() as usize, want.len(), "{accounts:?} {restaurant:?}");
            }
        }
    }

    #[test]
    fn a_restaurants_transfers_are_all_listed_however_old_and_counted_after_every_write() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        // acct_3's transfers are the oldest: the list used to lose them behind everyone else's.
        let mut n = 0;
        for (destination, count, start) in [("acct_3", 20, 0), ("acct_1", 60, 1_000), ("acct_2", 50, 1_000)] {
            for k in 0..count {
                // Ties in time, broken by ID.
                objects::upsert(conn, objects::PLATFORM, &[transfer(n, Some(destination), start + k / 3)], "t")
                    .unwrap();
                n += 1;
            }
        }
        objects::upsert(conn, objects::PLATFORM, &[transfer(n, None, 5)], "t").unwrap();
        agree(conn);
        // A transfer re-read with another destination; one deleted; the cache cleared.
        let mut moved = transfer(3, Some("acct_1"), 1);
        moved["amount_reversed"] = json!(50);
        objects::upsert(conn, objects::PLATFORM, &[moved], "t2").unwrap();
        conn.execute("DELETE FROM objects WHERE id = 'tr_0070'", []).unwrap();
        agree(conn);
        objects::clear(conn).unwrap();
        agree(conn);
        let left: i64 = conn.query_row("SELECT count(*) FROM transfer_counts", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }
}
