//! The desk: the app's core state and the functions every command calls. The Tauri shell holds one
//! [`Desk`] and each command is a one-line call into it, so all of this is tested without a window.
//!
//! Every function starts with [`Desk::authorize`]: a signed-in, not idle profile whose role allows
//! the action. Functions that change money or settings write an audit record, also when refused.

mod audit;
mod balances;
mod connection;
mod door;
mod files;
mod overview;
mod payout_alerts;
mod payout_schedule;
mod payouts;
mod pins;
mod profiles;
mod refunds;
mod scope;
mod session;
mod sync;

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use crate::clock::{Clock, SystemClock};
use crate::keys::{ApiKey, KeyFormatError, KeyMode};
use crate::permissions::{Action, Role};
use crate::profiles::{Pepper, PinCost, Profile, ProfileError};
use crate::secrets::{SecretStore, SecretsError, STRIPE_KEY};
use crate::settings::{API_BASE_URL, CACHE_OWNER, DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_MINUTES};
use crate::store::audit::AuditRecord;
use crate::store::{cache, Store, StoreError};
use crate::gateways::stripe::{normalise_base_url, StripeClient, StripeError, DEFAULT_API_BASE};
use crate::views::{ConnectionMode, ErrorCode};

pub use payout_alerts::{LogNotifier, Notifier};
pub use refunds::{RefundRequest, REFUND_REASONS};
pub use session::Session;

/// Errors of the desk layer. The shell maps each to an [`ErrorCode`] and a sentence for people.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("a {role:?} profile may not {}", action.label())]
    Forbidden { role: Role, action: Action },
    #[error("Merchant Desk is locked; sign in with a profile")]
    Locked,
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("that is not a Stripe secret key: {0}")]
    KeyFormat(#[from] KeyFormatError),
    /// Stripe refused the key; `message` is Stripe's own sentence.
    #[error("Stripe refused the key: {message}")]
    KeyRejected { message: String, request_id: Option<String> },
    #[error("{field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    #[error("no {what} {id} is known here; sync, or check the ID")]
    NotFound { what: &'static str, id: String },
    #[error("this profile may not see {0}")]
    OutOfScope(String),
    #[error("could not write {path}: {reason}")]
    Export { path: String, reason: String },
    /// Another call for the same account has no known outcome yet: nothing new is sent until it
    /// is settled, so that nothing happens twice.
    #[error("an earlier action for this account is unfinished ({summary}, asked {since}); Merchant Desk is finding out whether it happened — see Settings → Unfinished money actions")]
    Unfinished { summary: String, key: String, since: String },
    /// Sent, but Stripe gave no definite answer: it may or may not have happened.
    #[error("no definite answer from Stripe ({reason}); this may or may not have happened — Merchant Desk checks before anything else is sent for this account")]
    OutcomeUnknown { key: String, reason: String },
    /// A confirmation submitted again, whose call already ended without effect.
    #[error("this confirmation was already used: {summary} ended {status}")]
    AlreadyAnswered { summary: String, status: &'static str },
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Stripe(#[from] StripeError),
}

impl DeskError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DeskError::Forbidden { .. } | DeskError::OutOfScope(_) => ErrorCode::RoleForbidden,
            DeskError::NotFound { .. } => ErrorCode::NotFound,
            DeskError::Locked => ErrorCode::Locked,
            DeskError::Profile(ProfileError::WrongPin { .. }) => ErrorCode::WrongPin,
            DeskError::Profile(ProfileError::LockedOut { .. }) => ErrorCode::PinLockedOut,
            DeskError::Profile(ProfileError::LastAdmin) => ErrorCode::LastAdmin,
            DeskError::Profile(ProfileError::NotFound(_)) => ErrorCode::NotFound,
            DeskError::Profile(ProfileError::AlreadySetUp) => ErrorCode::AlreadySetUp,
            // Asking for more than the profile itself has is a matter of role, not of typing.
            DeskError::Profile(
                ProfileError::RoleAboveYours(_)
                | ProfileError::ScopeWiderThanYours
                | ProfileError::AdminsOnly
                | ProfileError::Outranked,
            ) => ErrorCode::RoleForbidden,
            DeskError::Profile(ProfileError::PinKeyMissing) => ErrorCode::KeyringUnavailable,
            DeskError::Profile(_) | DeskError::InvalidInput { .. } => ErrorCode::InvalidInput,
            DeskError::KeyFormat(_) => ErrorCode::InvalidKeyFormat,
            DeskError::KeyRejected { .. } => ErrorCode::KeyRejected,
            DeskError::Export { .. } => ErrorCode::ExportFailed,
            DeskError::Unfinished { .. } => ErrorCode::UnfinishedCall,
            DeskError::OutcomeUnknown { .. } => ErrorCode::OutcomeUnknown,
            DeskError::AlreadyAnswered { .. } => ErrorCode::InvalidInput,
            DeskError::Secrets(_) => ErrorCode::KeyringUnavailable,
            DeskError::Store(_) => ErrorCode::Storage,
            DeskError::Stripe(StripeError::BadBaseUrl(_)) => ErrorCode::InvalidBaseUrl,
            DeskError::Stripe(StripeError::Network { .. }) => ErrorCode::Offline,
            DeskError::Stripe(StripeError::Api { status: 429, .. }) => ErrorCode::RateLimited,
            // The stored key was revoked or rolled: the person needs to paste a new one.
            DeskError::Stripe(StripeError::Api { status: 401, .. }) => ErrorCode::KeyRejected,
            DeskError::Stripe(_) => ErrorCode::StripeError,
        }
    }
}

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
        }
    }
}

struct Connection {
    mode: ConnectionMode,
    client: StripeClient,
    /// Bumped on every change, so a sync started before a change does not write into the new cache.
    generation: u64,
}

pub struct Desk {
    store: Mutex<Store>,
    secrets: Arc<dyn SecretStore>,
    api_base_override: Option<String>,
    demo_base_url: String,
    demo_key: ApiKey,
    connection: RwLock<Connection>,
    keyring_problem: RwLock<Option<String>>,
    generations: AtomicU64,
    session: Mutex<Session>,
    clock: Arc<dyn Clock>,
    sync_lock: tokio::sync::Mutex<()>,
    sync_state: sync::SyncState,
    notifier: Arc<dyn Notifier>,
    pin_cost: PinCost,
    retry: crate::gateways::stripe::retry::Policy,
    /// The PIN pepper once read from the keyring (see `pins`).
    pepper: Mutex<Option<Arc<Pepper>>>,
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
        Ok(desk)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
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

    fn authorize_with(&self, action: Action, activity: bool) -> Result<Profile, DeskError> {
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
    fn authorize_audited(&self, action: Action, audit_action: &str) -> Result<Profile, DeskError> {
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
    fn audit(&self, profile: &Profile, record: AuditRecord) -> Result<(), DeskError> {
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
