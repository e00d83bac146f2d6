//! A desk over a fresh cache in a temporary folder, for timing exactly what a screen's command
//! calls (`Desk::payouts`, `Desk::disputes`, …): authorization, the queries and the rows put into
//! words. Nothing is sent anywhere: the desk starts in demo mode and every screen reads the cache.

use std::path::PathBuf;
use std::sync::Arc;

use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::store::{Store, StoreError};
use md_core::{Desk, DeskConfig};

use crate::commands::CliError;

const PIN: &str = "4821";

/// A desk and a second connection to its database, which the benchmark fills as the syncs would.
pub(super) struct Bench {
    pub(super) desk: Desk,
    pub(super) store: Store,
    dir: PathBuf,
}

impl Bench {
    /// An empty desk in a folder of its own, named after the screen.
    pub(super) fn new(screen: &str) -> Result<Self, CliError> {
        let dir = std::env::temp_dir().join(format!("merchant-desk-bench-{screen}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
        let mut config = DeskConfig::new(
            dir.clone(),
            Arc::new(MemorySecrets::default()),
            // Demo mode, never reached: every screen timed here reads only the cache.
            "http://127.0.0.1:9".into(),
            stripe_emulator::DEMO_API_KEY.into(),
        );
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        let desk = Desk::open(config)?;
        let store = Store::open(&dir.join(md_core::desk::DATABASE_FILE))?;
        Ok(Self { desk, store, dir })
    }

    /// Once the cache is filled: the write-ahead log checkpointed into the database, as SQLite
    /// does after the app's own writes (the fill is one transaction of 100,000 rows), and a
    /// platform admin signed in, whose role opens every screen and whose scope is everything.
    pub(super) fn sign_in(&self) -> Result<(), CliError> {
        self.store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").map_err(StoreError::from)?;
        self.desk.setup_first_profile("Bench admin", Role::PlatformAdmin, PIN)?;
        Ok(())
    }

    /// Adds a profile of `role` that sees only `scope` and signs it in instead.
    pub(super) fn sign_in_scoped(&self, name: &str, role: Role, scope: Vec<String>) -> Result<(), CliError> {
        let form =
            md_core::views::ProfileForm { name: name.into(), role, pin: Some("5937".into()), scope: Some(scope) };
        let profiles = self.desk.create_profile(&form)?;
        let id = profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id)
            .ok_or_else(|| CliError::Setup(format!("profile {name} was not created")))?;
        self.desk.unlock(id, "5937")?;
        Ok(())
    }
}

/// The cache is deleted after the run unless `MERCHANT_DESK_BENCH_KEEP` is set (to look into a
/// query with the `sqlite3` shell).
impl Drop for Bench {
    fn drop(&mut self) {
        if std::env::var_os("MERCHANT_DESK_BENCH_KEEP").is_some() {
            eprintln!("kept {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
