//! Secrets live in the OS keyring (Secret Service on Linux) and nowhere else. If no keyring is
//! reachable the caller gets [`SecretsError::Unavailable`]; there is deliberately no fallback to a
//! file or to SQLite.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The keyring entry that holds the platform's Stripe secret key.
pub const STRIPE_KEY: &str = "stripe-secret-key";

/// The keyring entry that holds the CardConnect site, API user and password (JSON).
pub const CARDCONNECT: &str = "cardconnect-credentials";

/// The keyring entry that holds the pepper of PIN hashes (`profiles::pin`): 32 random bytes,
/// created with the first PIN, kept apart from the database so a copy of it cannot be used to
/// guess PINs.
pub const PIN_PEPPER: &str = "pin-pepper";

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// No Secret Service, a locked keyring, or a D-Bus failure. The text is the platform's reason,
    /// which never contains the secret.
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
}

/// Where secrets are kept. The app uses [`Keyring`]; unit tests may use [`MemorySecrets`].
pub trait SecretStore: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError>;
    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError>;
    /// Removing an entry that does not exist is not an error.
    fn delete(&self, name: &str) -> Result<(), SecretsError>;
}

/// The OS keyring, with entries named `<service>/<name>`.
#[derive(Debug, Clone)]
pub struct Keyring {
    service: String,
}

impl Keyring {
    pub const DEFAULT_SERVICE: &'static str = "merchant-desk";

    pub fn new(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretsError> {
        keyring::Entry::new(&self.service, name).map_err(unavailable)
    }
}

fn unavailable(err: keyring::Error) -> SecretsError {
    SecretsError::Unavailable(match err {
        keyring::Error::NoStorageAccess(inner) => format!("the keyring is locked or refused access ({inner})"),
        keyring::Error::PlatformFailure(inner) => format!("{inner}"),
        other => other.to_string(),
    })
}

impl SecretStore for Keyring {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(unavailable(err)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        self.entry(name)?.set_password(value).map_err(unavailable)
    }

    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(unavailable(err)),
        }
    }
}

/// An in-process store for tests of code that only needs *a* secret store.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<String, String>>,
    broken: AtomicBool,
}

impl std::fmt::Debug for MemorySecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.values.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect();
        f.debug_struct("MemorySecrets")
            .field("names", &names)
            .field("broken", &self.broken.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl MemorySecrets {
    /// A store that fails every call, like a machine without a Secret Service.
    pub fn broken() -> Self {
        Self { broken: AtomicBool::new(true), ..Self::default() }
    }

    /// Makes every later call fail (or work again), like a keyring that locks while the app runs.
    pub fn set_broken(&self, broken: bool) {
        self.broken.store(broken, Ordering::Relaxed);
    }

    fn check(&self) -> Result<(), SecretsError> {
        if self.broken.load(Ordering::Relaxed) {
            Err(SecretsError::Unavailable("no Secret Service on the session bus".into()))
        } else {
            Ok(())
        }
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        self.check()?;
        Ok(self.values.lock().unwrap_or_else(|p| p.into_inner()).get(name).cloned())
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        self.check()?;
        self.values.lock().unwrap_or_else(|p| p.into_inner()).insert(name.into(), value.into());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        self.check()?;
        self.values.lock().unwrap_or_else(|p| p.into_inner()).remove(name);
        Ok(())
    }
}
