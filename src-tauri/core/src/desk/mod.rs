//! The desk: the app's core state and the functions every command calls. The Tauri shell holds one
//! [`Desk`] and each command is a one-line call into it, so all of this is tested without a window.
//!
//! Every function starts with [`Desk::authorize`]: a signed-in, not idle profile whose role allows
//! the action. Functions that change money or settings write an audit record, also when refused.

mod audit;
mod cardconnect;
mod connection;
pub(crate) mod door;
mod error;
pub(crate) mod files;
pub(crate) mod inputs;
mod messages;
mod pins;
mod profiles;
pub(crate) mod scope;
mod session;
mod sync;

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::clock::{Clock, SystemClock};
use crate::gateways::stripe::{normalise_base_url, StripeClient, DEFAULT_API_BASE};
use crate::keys::{ApiKey, KeyMode};
use crate::permissions::Action;
use crate::profiles::{Pepper, PinCost, Profile};
use crate::secrets::{SecretStore, STRIPE_KEY};
use crate::settings::{API_BASE_URL, CACHE_OWNER, DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_MINUTES};
use crate::store::audit::AuditRecord;
use crate::store::{cache, Store, StoreError};
use crate::views::ConnectionMode;

pub use crate::payouts::{LogNotifier, Notifier};
pub use crate::refunds::{RefundRequest, REFUND_REASONS};
pub use cardconnect::CardConnectDemo;
pub use error::DeskError;
pub use session::Session;

/// How the desk starts.
pub struct DeskConfig {
    /// Folder for the SQLite file (created if missing).
    pub data_dir: PathBuf,
    pub secrets: Arc<dyn SecretStore>,
    /// An API base URL that wins over the stored setting (`MERCHANT_DESK_STRIPE_API_BASE`).
    pub api_base_override: Option<String>,
    /// The embedded emulator demo mode talks to.
    pub demo_base_url: String,
    /// The key the demo emulator accepts (not a secret: it unlocks only the emulator).
    pub demo_key: String,
    /// The system clock, or a manual one in tests.
    pub clock: Arc<dyn Clock>,
    /// Desktop notifications (failed payouts); the shell plugs in the OS's.
    pub notifier: Arc<dyn Notifier>,
    /// The Argon2id cost of new PIN hashes: [`PinCost::STRONG`] unless a test lowers it.
    pub pin_cost: PinCost,
    /// How hard calls to Stripe are retried: Stripe's advice by default; fault tests wait less.
    pub retry: crate::gateways::stripe::retry::Policy,
    /// The demo CardConnect site demo mode shows beside the demo Stripe platform.
    pub cardconnect_demo: Option<CardConnectDemo>,
    /// A CardPointe address that wins over `https://{site}.cardconnect.com`
    /// (`MERCHANT_DESK_CARDCONNECT_API_BASE`: tests and a local emulator).
    pub cardconnect_base_override: Option<String>,
}

impl DeskConfig {
    pub fn new(data_dir: PathBuf, secrets: Arc<dyn SecretStore>, demo_base_url: String, demo_key: String) -> Self {
        Self {
            data_dir,
            secrets,
            api_base_override: None,
            demo_base_url,
            demo_key,
            clock: Arc::new(SystemClock),
            notifier: Arc::new(LogNotifier),
            pin_cost: PinCost::STRONG,
            retry: crate::gateways::stripe::retry::Policy::default(),
            cardconnect_demo: None,
            cardconnect_base_override: None,
        }
    }
}

pub(crate) struct Connection {
    pub(crate) mode: ConnectionMode,
    pub(crate) client: StripeClient,
    /// Bumped on every change, so a sync started before a change does not write into the new cache.
    pub(crate) generation: u64,
}

pub struct Desk {
    pub(crate) store: Mutex<Store>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) api_base_override: Option<String>,
    pub(crate) demo_base_url: String,
    pub(crate) demo_key: ApiKey,
    pub(crate) connection: RwLock<Connection>,
    pub(crate) keyring_problem: RwLock<Option<String>>,
    pub(crate) generations: AtomicU64,
    pub(crate) session: Mutex<Session>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sync_lock: tokio::sync::Mutex<()>,
    pub(crate) sync_state: sync::SyncState,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) pin_cost: PinCost,
    pub(crate) retry: crate::gateways::stripe::retry::Policy,
    /// The PIN pepper once read from the keyring (see `pins`).
    pub(crate) pepper: Mutex<Option<Arc<Pepper>>>,
    /// The CardConnect site in use (see `cardconnect`), chosen with the Stripe connection.
    pub(crate) cardconnect: RwLock<Option<cardconnect::CardConnectLink>>,
    pub(crate) cardconnect_demo: Option<CardConnectDemo>,
    pub(crate) cardconnect_base_override: Option<String>,
    /// Onboarding and dashboard links handed out in this run (see `accounts::handed`).
    pub(crate) links: crate::accounts::handed::HandedLinks,
}

pub const DATABASE_FILE: &str = "merchant-desk.sqlite3";

impl Desk {
    /// Opens the database and connects with the stored key, or in demo mode when there is none.
    /// The desk starts locked.
    pub fn open(config: DeskConfig) -> Result<Self, DeskError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", config.data_dir.display())))?;
        let store = Store::open(&config.data_dir.join(DATABASE_FILE))?;
        let demo_key = ApiKey::parse(&config.demo_key)?;
        let demo_client = StripeClient::new(&config.demo_base_url, demo_key.clone())?.with_policy(config.retry);
        let now = config.clock.now();
        let mut desk = Self {
            store: Mutex::new(store),
            secrets: config.secrets,
            api_base_override: config.api_base_override,
            demo_base_url: config.demo_base_url,
            demo_key,
            connection: RwLock::new(Connection { mode: ConnectionMode::Demo, client: demo_client, generation: 0 }),
            keyring_problem: RwLock::new(None),
            generations: AtomicU64::new(1),
            session: Mutex::new(Session::locked(now)),
            clock: config.clock,
            sync_lock: tokio::sync::Mutex::new(()),
            sync_state: sync::SyncState::default(),
            notifier: config.notifier,
            pin_cost: config.pin_cost,
            retry: config.retry,
            pepper: Mutex::new(None),
            cardconnect: RwLock::new(None),
            cardconnect_demo: config.cardconnect_demo,
            cardconnect_base_override: config.cardconnect_base_override,
            links: Default::default(),
        };
        match desk.secrets.get(STRIPE_KEY) {
            Ok(Some(raw)) => match ApiKey::parse(&raw) {
                Ok(key) => {
                    let base = desk.configured_base_url()?;
                    // A stored live key pointed anywhere but Stripe (an override, an edited
                    // setting) is refused here, before anything is sent: demo mode says why.
                    match StripeClient::new(&base, key.clone()).map(|c| c.with_policy(desk.retry)) {
                        Ok(client) => {
                            *desk.connection.get_mut().unwrap_or_else(|p| p.into_inner()) =
                                Connection { mode: mode_of(&key), client, generation: 1 };
                        }
                        Err(err) => {
                            tracing::warn!(%err, "the stored key was not used; starting in demo mode");
                            *desk.keyring_problem.get_mut().unwrap_or_else(|p| p.into_inner()) =
                                Some(format!("The stored key was not used: {err}."));
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(%err, "the stored key is malformed; starting in demo mode");
                    *desk.keyring_problem.get_mut().unwrap_or_else(|p| p.into_inner()) =
                        Some(format!("The stored key is not a valid Stripe key ({err}); paste it again."));
                }
            },
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(%err, "keyring unavailable at start; demo mode");
                *desk.keyring_problem.get_mut().unwrap_or_else(|p| p.into_inner()) = Some(err.to_string());
            }
        }
        desk.claim_cache()?;
        desk.load_cardconnect();
        Ok(desk)
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn idle_lock_minutes(&self) -> u32 {
        self.store().get(&IDLE_LOCK_MINUTES).ok().flatten().unwrap_or(DEFAULT_IDLE_LOCK_MINUTES)
    }

    /// The signed-in profile, if its role allows `action`. Locks the desk first if it has been idle
    /// for longer than the idle-lock setting; counts as activity otherwise.
    pub fn authorize(&self, action: Action) -> Result<Profile, DeskError> {
        self.authorize_with(action, true)
    }

    /// [`Desk::authorize`] for what the screens poll or run on their own (sync status, alerts,
    /// timed refreshes): it does not count as activity, so the idle lock still comes.
    pub fn authorize_quiet(&self, action: Action) -> Result<Profile, DeskError> {
        self.authorize_with(action, false)
    }

    pub(crate) fn authorize_with(&self, action: Action, activity: bool) -> Result<Profile, DeskError> {
        let idle = chrono::Duration::minutes(self.idle_lock_minutes() as i64);
        let now = self.clock.now();
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let profile = session.active(now, idle).ok_or(DeskError::Locked)?;
        if !crate::permissions::allows(profile.role, action) {
            return Err(DeskError::Forbidden { role: profile.role, action });
        }
        if activity {
            session.touch(now);
        }
        Ok(profile)
    }

    /// [`Desk::authorize`] for an audited action: a refusal by role is itself audited.
    pub(crate) fn authorize_audited(&self, action: Action, audit_action: &str) -> Result<Profile, DeskError> {
        match self.authorize(action) {
            Err(DeskError::Forbidden { role, action: a }) => {
                let who = self.session.lock().unwrap_or_else(|p| p.into_inner()).signed_in();
                let record = AuditRecord {
                    profile_id: who.as_ref().map(|p| p.id),
                    profile_name: who.map(|p| p.name).unwrap_or_default(),
                    role: role.as_str().into(),
                    action: audit_action.into(),
                    outcome: "forbidden".into(),
                    detail: Some(format!("role may not {}", a.label())),
                    ..Default::default()
                };
                crate::store::audit::append(self.store().conn(), &record)?;
                Err(DeskError::Forbidden { role, action: a })
            }
            other => other,
        }
    }

    /// The API base a pasted key is checked against: override, then setting, then Stripe.
    fn configured_base_url(&self) -> Result<String, DeskError> {
        if let Some(url) = &self.api_base_override {
            return Ok(normalise_base_url(url)?);
        }
        Ok(self.store().get(&API_BASE_URL)?.unwrap_or_else(|| DEFAULT_API_BASE.to_string()))
    }

    /// Empties the cache if it was filled from another connection than the current one.
    fn claim_cache(&self) -> Result<(), DeskError> {
        let owner = self.cache_owner();
        self.claim_cache_for(&owner)
    }

    fn claim_cache_for(&self, owner: &str) -> Result<(), DeskError> {
        let mut store = self.store();
        if store.get(&CACHE_OWNER)?.as_deref() != Some(owner) {
            // A running sync stops writing first (it checks under the lock held here), and the next
            // sync of the new connection is a first one, whatever ran before.
            self.sync_state.forget();
            cache::clear(store.conn_mut())?;
            store.put(&CACHE_OWNER, &owner.to_string())?;
        }
        Ok(())
    }

    fn cache_owner(&self) -> String {
        cache_owner_of(&self.connection.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// An audit record by `profile`, written on its own (use `store::audit::append` inside a
    /// transaction when the action has local state of its own).
    pub(crate) fn audit(&self, profile: &Profile, record: AuditRecord) -> Result<(), DeskError> {
        let record = AuditRecord {
            profile_id: Some(profile.id),
            profile_name: profile.name.clone(),
            role: profile.role.as_str().to_string(),
            ..record
        };
        crate::store::audit::append(self.store().conn(), &record)?;
        Ok(())
    }
}

/// Which platform a connection's cached objects belong to.
fn cache_owner_of(conn: &Connection) -> String {
    match conn.mode {
        ConnectionMode::Demo => "demo".to_string(),
        _ => format!("{} {}", conn.client.base_url(), conn.client.key().masked()),
    }
}

fn mode_of(key: &ApiKey) -> ConnectionMode {
    match key.mode() {
        KeyMode::Test => ConnectionMode::Test,
        KeyMode::Live => ConnectionMode::Live,
    }
}
