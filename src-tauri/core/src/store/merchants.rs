//! Restaurants that take cards through CardConnect: merchant ID, name and currency, as set in
//! Settings → CardConnect. Merchant IDs are not secret; the gateway's credentials are (keyring).

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// One CardConnect restaurant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub merchid: String,
    pub name: String,
    /// Lower-case ISO 4217.
    pub currency: String,
}

/// Every CardConnect restaurant, by name.
pub fn all(conn: &Connection) -> Result<Vec<Merchant>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT merchid, name, currency FROM cardconnect_merchants ORDER BY name COLLATE NOCASE, merchid",
    )?;
    let rows = stmt.query_map([], |r| Ok(Merchant { merchid: r.get(0)?, name: r.get(1)?, currency: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One CardConnect restaurant by merchant ID.
pub fn get(conn: &Connection, merchid: &str) -> Result<Option<Merchant>, StoreError> {
    Ok(conn
        .query_row("SELECT merchid, name, currency FROM cardconnect_merchants WHERE merchid = ?1", [merchid], |r| {
            Ok(Merchant { merchid: r.get(0)?, name: r.get(1)?, currency: r.get(2)? })
        })
        .optional()?)
}

/// Replaces the list of CardConnect restaurants in one transaction; merchants no longer listed
/// keep their cached transactions and deposits (history stays readable) but are not synced.
pub fn replace(conn: &mut Connection, merchants: &[Merchant], now: &str) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM cardconnect_merchants", [])?;
    {
        let mut insert = tx
            .prepare("INSERT INTO cardconnect_merchants (merchid, name, currency, added_at) VALUES (?1, ?2, ?3, ?4)")?;
        for m in merchants {
            insert.execute(params![m.merchid, m.name, m.currency, now])?;
        }
    }
    crate::accounts::list_rows::refresh(&tx)?;
    tx.commit()?;
    Ok(())
}
