//! The desk: the app's core state and the functions every command calls. The Tauri shell holds one
//! [`Desk`] and each command is a one-line call into it, so all of this is tested without a window.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rusqlite::OptionalExtension;

use crate::keys::{ApiKey, KeyFormatError, KeyMode};
use crate::permissions::{self, Action, Role};
use crate::secrets::{SecretStore, SecretsError, STRIPE_KEY};
use crate::settings::{API_BASE_URL, CACHE_OWNER};
use crate::store::audit::{self, AuditRecord};
use crate::store::{cache, Store, StoreError};
use crate::stripe::models::Balance;
use crate::stripe::{normalise_base_url, Response, StripeClient, StripeError, DEFAULT_API_BASE};
use crate::sync;
use crate::views::{ConnectionMode, ConnectionView, ErrorCode, OverviewView, ProfileView, SessionView};

/// Errors of the desk layer. The shell maps each to an [`ErrorCode`] and a sentence for people.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("a {role:?} profile may not {}", action.label())]
    Forbidden { role: Role, action: Action },
    #[error("that is not a Stripe secret key: {0}")]
    KeyFormat(#[from] KeyFormatError),
    /// Stripe refused the key; `message` is Stripe's own sentence.
    #[error("Stripe refused the key: {message}")]
    KeyRejected { message: String, request_id: Option<String> },
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
            DeskError::Forbidden { .. } => ErrorCode::RoleForbidden,
            DeskError::KeyFormat(_) => ErrorCode::InvalidKeyFormat,
            DeskError::KeyRejected { .. } => ErrorCode::KeyRejected,
            DeskError::Secrets(_) => ErrorCode::KeyringUnavailable,
            DeskError::Store(_) => ErrorCode::Storage,
            DeskError::Stripe(StripeError::BadBaseUrl(_)) => ErrorCode::InvalidBaseUrl,
            DeskError::Stripe(StripeError::Network { .. }) => ErrorCode::Offline,
            DeskError::Stripe(StripeError::Api { status: 429, .. }) => ErrorCode::RateLimited,
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
}

struct Connection {
    mode: ConnectionMode,
    client: StripeClient,
    /// Bumped on every change, so a sync started before a change does not write into the new cache.
    generation: u64,
}

struct Profile {
    id: i64,
    name: String,
    role: Role,
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
    profile: Profile,
    sync_lock: tokio::sync::Mutex<()>,
}

pub const DATABASE_FILE: &str = "merchant-desk.sqlite3";

impl Desk {
    /// Opens the database, makes sure a first profile exists, and connects with the stored key, or
    /// in demo mode when there is none.
    pub fn open(config: DeskConfig) -> Result<Self, DeskError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", config.data_dir.display())))?;
        let store = Store::open(&config.data_dir.join(DATABASE_FILE))?;
        let profile = first_profile(&store)?;
        let demo_key = ApiKey::parse(&config.demo_key)?;
        let demo_client = StripeClient::new(&config.demo_base_url, demo_key.clone())?;
        let mut desk = Self {
            store: Mutex::new(store),
            secrets: config.secrets,
            api_base_override: config.api_base_override,
            demo_base_url: config.demo_base_url,
            demo_key,
            connection: RwLock::new(Connection { mode: ConnectionMode::Demo, client: demo_client, generation: 0 }),
            keyring_problem: RwLock::new(None),
            generations: AtomicU64::new(1),
            profile,
            sync_lock: tokio::sync::Mutex::new(()),
        };
        match desk.secrets.get(STRIPE_KEY) {
            Ok(Some(raw)) => match ApiKey::parse(&raw) {
                Ok(key) => {
                    let base = desk.configured_base_url()?;
                    let client = StripeClient::new(&base, key.clone())?;
                    *desk.connection.get_mut().unwrap_or_else(|p| p.into_inner()) =
                        Connection { mode: mode_of(&key), client, generation: 1 };
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

    /// Refuses the action unless the active profile's role allows it. Every command calls this first.
    pub fn guard(&self, action: Action) -> Result<(), DeskError> {
        if permissions::allows(self.profile.role, action) {
            Ok(())
        } else {
            Err(DeskError::Forbidden { role: self.profile.role, action })
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
        let mut store = self.store();
        if store.get(&CACHE_OWNER)?.as_deref() != Some(owner.as_str()) {
            cache::clear(store.conn_mut())?;
            store.put(&CACHE_OWNER, &owner)?;
        }
        Ok(())
    }

    fn cache_owner(&self) -> String {
        let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
        match conn.mode {
            ConnectionMode::Demo => "demo".to_string(),
            _ => format!("{} {}", conn.client.base_url(), conn.client.key().masked()),
        }
    }

    pub fn session(&self) -> Result<SessionView, DeskError> {
        self.guard(Action::ViewSession)?;
        Ok(SessionView {
            profile: ProfileView {
                id: self.profile.id,
                name: self.profile.name.clone(),
                role: self.profile.role,
                role_label: self.profile.role.label().to_string(),
            },
            connection: self.connection_view()?,
            allowed: Action::ALL.into_iter().filter(|a| permissions::allows(self.profile.role, *a)).collect(),
        })
    }

    fn connection_view(&self) -> Result<ConnectionView, DeskError> {
        let configured = self.configured_base_url()?;
        let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
        Ok(ConnectionView {
            mode: conn.mode,
            masked_key: (conn.mode != ConnectionMode::Demo).then(|| conn.client.key().masked()),
            api_base_url: conn.client.base_url().to_string(),
            configured_api_base_url: configured,
            keyring_problem: self.keyring_problem.read().unwrap_or_else(|p| p.into_inner()).clone(),
        })
    }

    /// Checks a pasted key's shape, validates it with `GET /v1/balance`, stores it in the keyring
    /// and switches to it. On any failure nothing is stored and the connection is unchanged.
    pub async fn connect(&self, raw_key: &str, api_base_url: Option<&str>) -> Result<ConnectionView, DeskError> {
        self.guard(Action::ManageConnection)?;
        let key = ApiKey::parse(raw_key)?;
        let base = match api_base_url.map(str::trim).filter(|s| !s.is_empty()) {
            Some(url) => normalise_base_url(url)?,
            None => self.configured_base_url()?,
        };
        let client = StripeClient::new(&base, key.clone())?;
        let checked: Result<Response<Balance>, StripeError> = client.get("/v1/balance", &[], None).await;
        let request_id = match checked {
            Ok(response) => response.request_id,
            Err(StripeError::Api { status: 401 | 403, message, request_id, .. }) => {
                self.audit("connection.connect", Some(key.masked()), None, "refused", Some(message.clone()))?;
                return Err(DeskError::KeyRejected { message, request_id });
            }
            Err(err) => return Err(err.into()),
        };
        self.secrets.set(STRIPE_KEY, key.expose())?;
        {
            let store = self.store();
            if api_base_url.is_some() {
                store.put(&API_BASE_URL, &base)?;
            }
        }
        self.switch(Connection { mode: mode_of(&key), client, generation: 0 })?;
        *self.keyring_problem.write().unwrap_or_else(|p| p.into_inner()) = None;
        self.audit(
            "connection.connect",
            Some(key.masked()),
            request_id,
            "succeeded",
            Some(format!("API base {base}")),
        )?;
        tracing::info!(key = %key.masked(), %base, "connected");
        self.connection_view()
    }

    /// Removes the key from the keyring and returns to demo mode.
    pub fn forget_key(&self) -> Result<ConnectionView, DeskError> {
        self.guard(Action::ManageConnection)?;
        let masked = {
            let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
            (conn.mode != ConnectionMode::Demo).then(|| conn.client.key().masked())
        };
        self.secrets.delete(STRIPE_KEY)?;
        let client = StripeClient::new(&self.demo_base_url, self.demo_key.clone())?;
        self.switch(Connection { mode: ConnectionMode::Demo, client, generation: 0 })?;
        *self.keyring_problem.write().unwrap_or_else(|p| p.into_inner()) = None;
        self.audit("connection.forget", masked, None, "succeeded", None)?;
        tracing::info!("key forgotten; demo mode");
        self.connection_view()
    }

    fn switch(&self, mut next: Connection) -> Result<(), DeskError> {
        next.generation = self.generations.fetch_add(1, Ordering::SeqCst) + 1;
        *self.connection.write().unwrap_or_else(|p| p.into_inner()) = next;
        self.claim_cache()
    }

    fn audit(
        &self,
        action: &str,
        target: Option<String>,
        request_id: Option<String>,
        outcome: &str,
        detail: Option<String>,
    ) -> Result<(), DeskError> {
        let record = AuditRecord {
            profile_id: Some(self.profile.id),
            profile_name: self.profile.name.clone(),
            role: self.profile.role.as_str().to_string(),
            action: action.to_string(),
            target,
            request_id,
            outcome: outcome.to_string(),
            detail,
            ..AuditRecord::default()
        };
        audit::append(self.store().conn(), &record)?;
        Ok(())
    }

    /// The overview as cached, without touching the network.
    pub fn overview(&self) -> Result<OverviewView, DeskError> {
        self.guard(Action::ViewOverview)?;
        Ok(cache::overview(self.store().conn())?)
    }

    /// Fetches the overview from Stripe into the cache, then returns it.
    pub async fn refresh_overview(&self) -> Result<OverviewView, DeskError> {
        self.guard(Action::ViewOverview)?;
        let _one_at_a_time = self.sync_lock.lock().await;
        let (client, generation) = {
            let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
            (conn.client.clone(), conn.generation)
        };
        let started = std::time::Instant::now();
        let snapshot = sync::fetch_overview(&client).await?;
        tracing::info!(
            accounts = snapshot.accounts.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "overview fetched"
        );
        let synced_at = chrono::Utc::now().to_rfc3339();
        {
            let mut store = self.store();
            let current = self.connection.read().unwrap_or_else(|p| p.into_inner()).generation;
            if current == generation {
                cache::replace_overview(store.conn_mut(), &snapshot, &synced_at)?;
            } else {
                tracing::info!("connection changed during sync; discarding its result");
            }
        }
        self.overview()
    }
}

fn mode_of(key: &ApiKey) -> ConnectionMode {
    match key.mode() {
        KeyMode::Test => ConnectionMode::Test,
        KeyMode::Live => ConnectionMode::Live,
    }
}

/// The first profile, created as the owner on first run.
fn first_profile(store: &Store) -> Result<Profile, StoreError> {
    let conn = store.conn();
    let existing = conn
        .query_row("SELECT id, name, role FROM profiles ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    let (id, name, role) = match existing {
        Some(row) => row,
        None => {
            conn.execute(
                "INSERT INTO profiles (name, role, created_at) VALUES ('Owner', 'owner', ?1)",
                [chrono::Utc::now().to_rfc3339()],
            )?;
            (conn.last_insert_rowid(), "Owner".to_string(), "owner".to_string())
        }
    };
    let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("profile {id} has role {role}")))?;
    Ok(Profile { id, name, role })
}
