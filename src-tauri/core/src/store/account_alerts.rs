//! `account_alerts` and `account_alerts_started`: the notifications about connected restaurants
//! already shown on this PC (a restriction episode, a Stripe deadline), and when the check first
//! ran (plain rows).

use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// The account is restricted; key `""`, noticed at the start of the episode.
pub const RESTRICTED: &str = "restricted";
/// A `requirements.current_deadline` within reach; key: the deadline in unix seconds.
pub const DEADLINE: &str = "deadline";

/// Whether `(account, kind, key)` was not noticed before; marks it noticed at `at`.
pub fn notice_once(conn: &Connection, account: &str, kind: &str, key: &str, at: &str) -> Result<bool, StoreError> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO account_alerts (account, kind, key, noticed_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(account, kind, key) DO NOTHING",
        )?
        .execute(params![account, kind, key, at])?;
    Ok(inserted == 1)
}

/// Forgets what was noticed of `kind` for `account` (the restriction ended); returns how many rows.
pub fn forget(conn: &Connection, account: &str, kind: &str) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached("DELETE FROM account_alerts WHERE account = ?1 AND kind = ?2")?.execute([account, kind])?)
}

/// Since when this PC has seen `account` restricted, if it is in a restriction episode.
pub fn restricted_since(conn: &Connection, account: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT noticed_at FROM account_alerts WHERE account = ?1 AND kind = ?2 AND key = ''")?
        .query_row([account, RESTRICTED], |r| r.get(0))
        .optional()?)
}

/// When the check first found restaurants on this PC; `None` before that.
pub fn started(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT at FROM account_alerts_started WHERE one = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Records the first check (`at`: RFC 3339); an earlier record is kept.
pub fn mark_started(conn: &Connection, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO account_alerts_started (one, at) VALUES (1, ?1)")?.execute([at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn notices_once_forgets_an_episode_and_keeps_the_first_start() {
        let store = Store::open_in_memory().expect("store");
        let conn = store.conn();
        assert!(notice_once(conn, "acct_1", RESTRICTED, "", "t1").expect("notice"));
        assert!(!notice_once(conn, "acct_1", RESTRICTED, "", "t2").expect("again"));
        assert!(notice_once(conn, "acct_2", RESTRICTED, "", "t2").expect("another account"));
        assert!(notice_once(conn, "acct_1", DEADLINE, "1700000000", "t2").expect("a deadline"));
        assert!(!notice_once(conn, "acct_1", DEADLINE, "1700000000", "t3").expect("same deadline"));
        assert!(notice_once(conn, "acct_1", DEADLINE, "1700086400", "t3").expect("a moved deadline"));
        assert_eq!(restricted_since(conn, "acct_1").expect("read").as_deref(), Some("t1"));
        assert_eq!(forget(conn, "acct_1", RESTRICTED).expect("forget"), 1);
        assert_eq!(restricted_since(conn, "acct_1").expect("read"), None);
        assert!(!notice_once(conn, "acct_1", DEADLINE, "1700000000", "t4").expect("deadlines stay"));
        assert!(notice_once(conn, "acct_1", RESTRICTED, "", "t4").expect("a new episode"));

        assert_eq!(started(conn).expect("read"), None);
        mark_started(conn, "t1").expect("mark");
        mark_started(conn, "t2").expect("mark again");
        assert_eq!(started(conn).expect("read").as_deref(), Some("t1"));
    }
}
