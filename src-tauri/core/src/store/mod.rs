//! The SQLite store: one file in the app's data folder, WAL journal, foreign keys on, migrated to
//! the latest schema on open. A database written by a newer version of the app is refused rather
//! than guessed at.

pub mod account_alerts;
pub mod audit;
pub mod cache;
pub mod deposits;
pub mod disconnected;
pub mod dispute_drafts;
pub mod filters;
pub mod journal;
pub mod merchants;
pub mod objects;
pub mod refund_records;
pub mod transactions;

/// The SQLite types tools built on the store need (the CLI's benchmark), without a second rusqlite.
pub mod sql {
    pub use rusqlite::types::Value;
    pub use rusqlite::{params_from_iter, Connection};
}

use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not migrate the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("the database was written by a newer version of Merchant Desk (schema {found}, this version knows up to {known}); update the app")]
    FromTheFuture { found: i64, known: i64 },
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

/// Schema versions, oldest first; version N is the N-th file. Never edit a released migration:
/// add a new one.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_profiles.sql"),
    include_str!("migrations/0003_journal.sql"),
    include_str!("migrations/0004_objects.sql"),
    include_str!("migrations/0005_payouts.sql"),
    include_str!("migrations/0006_door.sql"),
    include_str!("migrations/0007_gateways.sql"),
    include_str!("migrations/0008_transactions_by_time.sql"),
    include_str!("migrations/0009_payments_search.sql"),
    include_str!("migrations/0010_refund_records.sql"),
    include_str!("migrations/0011_dispute_drafts.sql"),
    include_str!("migrations/0012_dispute_files.sql"),
    include_str!("migrations/0013_disconnected_accounts.sql"),
    include_str!("migrations/0014_account_alerts.sql"),
    include_str!("migrations/0015_payout_totals.sql"),
    include_str!("migrations/0016_payout_payee.sql"),
    include_str!("migrations/0017_payout_orders.sql"),
    include_str!("migrations/0018_balance_history.sql"),
    include_str!("migrations/0019_audit_filters.sql"),
    include_str!("migrations/0020_orders_by_number.sql"),
    include_str!("migrations/0021_dispute_inbox.sql"),
    include_str!("migrations/0022_transfer_list.sql"),
    include_str!("migrations/0023_account_rows.sql"),
    include_str!("migrations/0024_balance_descriptions.sql"),
    include_str!("migrations/0025_account_name_letters.sql"),
    include_str!("migrations/0026_payout_page_counts.sql"),
    include_str!("migrations/0027_history_descriptions.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

fn known_version() -> i64 {
    MIGRATION_SQL.len() as i64
}

/// An open, migrated database.
///
/// Several connections may write (the app's, the sync writer's, the command line's), so every
/// write transaction starts IMMEDIATE: it waits for the write lock up front (busy timeout) instead
/// of failing when a read transaction cannot be upgraded.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.conn.path()).finish()
    }
}

/// The store behind a shared handle, also after a panic elsewhere poisoned the lock: SQLite's own
/// transactions keep the data whole, so the next caller may go on.
pub fn locked(store: &std::sync::Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::prepare(Connection::open(path)?)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // FULL: every commit is fsynced, so the journal row written before a money call leaves
        // survives a power cut after it left. Writes come in batches (sync) or one per action.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // 16 MiB of pages kept between reads (SQLite's default is 2 MB): a list screen's page,
        // total and next page read the same few thousand pages of a cache of 100,000 rows, which
        // 2 MB did not hold (1,000 transactions sorted: 2.6 ms read again from the file, 1.1 ms
        // from the cache). Filled only as pages are read.
        conn.pragma_update(None, "cache_size", -16_384)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > known_version() {
            return Err(StoreError::FromTheFuture { found, known: known_version() });
        }
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Self { conn })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// A typed setting, or `None` when never set.
    pub fn setting<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let raw: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        raw.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}"))))
            .transpose()
    }

    pub fn set_setting<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json),
        )?;
        Ok(())
    }

    pub fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite3")).unwrap();
        let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let version: i64 = store.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, known_version());
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite3");
        drop(Store::open(&path).unwrap());
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        match Store::open(&path) {
            Err(StoreError::FromTheFuture { found: 99, .. }) => {}
            other => panic!("expected FromTheFuture, got {other:?}"),
        }
    }

    #[test]
    fn payouts_cached_before_schema_15_get_their_totals_and_names() {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 14).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, type, country, default_currency, status, charges_enabled, payouts_enabled,
                                   details_submitted, created, raw, synced_at)
                 VALUES ('acct_1', 'Blue Door', 'standard', 'US', 'usd', 'active', 1, 1, 1, 0, '{}', 't');
             INSERT INTO cardconnect_merchants (merchid, name, added_at) VALUES ('496400000101', 'Quay', 't');
             INSERT INTO objects (id, kind, account, created, status, amount, currency, raw, synced_at) VALUES
                 ('po_1', 'payout', 'acct_1', 0, 'paid', 500, 'usd', '{\"arrival_date\": 172800}', 't'),
                 ('po_2', 'payout', 'acct_1', 0, 'paid', 250, 'usd', '{\"arrival_date\": 180000}', 't'),
                 ('po_3', 'payout', '496400000101', 0, 'failed', 70, 'usd', '{\"arrival_date\": 86400}', 't'),
                 ('po_4', 'payout', '', 0, 'paid', 9, 'usd', '{}', 't'),
                 ('tr_1', 'transfer', '', 0, 'paid', 1, 'usd', '{\"arrival_date\": 86400}', 't');",
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let totals: Vec<(String, i64, i64, String, i64, i64)> = conn
            .prepare(
                "SELECT account, dated, day, status, amount, payouts FROM payout_account_day_totals ORDER BY 1, 2, 3",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            totals,
            [
                // Without an arrival date: counted, in no day.
                ("".into(), 0, 0, "paid".into(), 9, 1),
                ("496400000101".into(), 1, 1, "failed".into(), 70, 1),
                ("acct_1".into(), 1, 2, "paid".into(), 750, 2)
            ]
        );
        let days: i64 = conn.query_row("SELECT sum(payouts) FROM payout_day_totals", [], |r| r.get(0)).unwrap();
        assert_eq!(days, 4, "every payout, and only payouts");
        let names: Vec<(String, Option<String>)> = conn
            .prepare("SELECT id, payee_name FROM objects ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let name = |s: &str| Some(s.to_string());
        assert_eq!(
            names,
            [
                ("po_1".into(), name("Blue Door")),
                ("po_2".into(), name("Blue Door")),
                ("po_3".into(), name("Quay")),
                ("po_4".into(), name("")),
                ("tr_1".into(), None)
            ]
        );
    }

    #[test]
    fn restaurants_cached_before_schema_23_are_listed_after_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 22).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, type, country, default_currency, status, charges_enabled, payouts_enabled,
                                   details_submitted, created, raw, synced_at)
                 VALUES ('acct_1', 'Blue Door', 'standard', 'US', 'usd', 'active', 1, 1, 1, 0,
                         '{\"id\": \"acct_1\", \"business_profile\": {\"name\": \"Blue Door\"}}', 't1');
             INSERT INTO objects (id, kind, account, created, raw, synced_at) VALUES
                 ('acct_1', 'account', '', 0, '{\"id\": \"acct_1\", \"business_profile\": {\"name\": \"Red Door\"}}', 't2'),
                 ('acct_2', 'account', '', 0, '{\"id\": \"acct_2\"}', 't1');
             INSERT INTO cardconnect_merchants (merchid, name, added_at) VALUES ('496400000101', 'Quay', 't');",
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        crate::accounts::list_rows::refresh(&conn).unwrap();
        let query = crate::accounts::list_query::ListQuery::default();
        let names: Vec<String> =
            crate::accounts::list_query::page(&conn, &query, 0, 10, 3).unwrap().into_iter().map(|r| r.name).collect();
        // Not onboarded (pending) first, then by name; the newest copy's name.
        assert_eq!(names, ["acct_2", "Red Door", "Quay"]);
        assert_eq!(crate::accounts::list_query::count(&conn, &query).unwrap(), 3);
    }

    #[test]
    fn settings_round_trip() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.setting::<String>("x").unwrap(), None);
        store.set_setting("x", &"y".to_string()).unwrap();
        assert_eq!(store.setting::<String>("x").unwrap().as_deref(), Some("y"));
        store.remove_setting("x").unwrap();
        assert_eq!(store.setting::<String>("x").unwrap(), None);
    }
}
