//! Restaurants that disconnected from the platform (Stripe's `account.application.deauthorized`,
//! or an account the platform's key can no longer reach). Kept apart from the cached account,
//! which stays as it was last seen: the restaurant is still shown, as disconnected, and no money
//! is moved for it from here.

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// Records the disconnection (`at`: RFC 3339); an earlier record is kept.
pub fn mark(conn: &Connection, account: &str, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO disconnected_accounts (account, at) VALUES (?1, ?2)")?
        .execute([account, at])?;
    crate::accounts::list_rows::refresh(conn)?;
    Ok(())
}

/// The restaurant authorized the platform again (`account.application.authorized`).
pub fn clear(conn: &Connection, account: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM disconnected_accounts WHERE account = ?1")?.execute([account])?;
    crate::accounts::list_rows::refresh(conn)?;
    Ok(())
}

/// When the restaurant disconnected, if it did.
pub fn since(conn: &Connection, account: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT at FROM disconnected_accounts WHERE account = ?1")?
        .query_row([account], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_keeps_the_first_time_and_clears() {
        let store = crate::store::Store::open_in_memory().expect("store");
        let conn = store.conn();
        assert_eq!(since(conn, "acct_1").expect("read"), None);
        mark(conn, "acct_1", "2026-11-30T10:00:00Z").expect("mark");
        mark(conn, "acct_1", "2026-11-30T11:00:00Z").expect("mark again");
        assert_eq!(since(conn, "acct_1").expect("read").as_deref(), Some("2026-11-30T10:00:00Z"));
        clear(conn, "acct_1").expect("clear");
        assert_eq!(since(conn, "acct_1").expect("read"), None);
    }
}
