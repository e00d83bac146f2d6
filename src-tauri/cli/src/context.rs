//! Where the CLI finds its key, its Stripe and its data: the same places as the app.

use std::path::PathBuf;
use std::sync::Mutex;

use md_core::gateways::stripe::{StripeClient, DEFAULT_API_BASE};
use md_core::keys::ApiKey;
use md_core::permissions::Action;
use md_core::secrets::{Keyring, SecretStore, SecretsError, STRIPE_KEY};
use md_core::store::Store;
use md_core::views::ConnectionMode;
use md_core::{Desk, DeskConfig};

use crate::commands::CliError;

/// The app's data folder: `MERCHANT_DESK_DATA_DIR`, else the OS app-data folder of the app.
pub fn data_dir() -> Result<PathBuf, CliError> {
    if let Some(dir) = std::env::var_os("MERCHANT_DESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| CliError::Setup("no HOME or XDG_DATA_HOME; set MERCHANT_DESK_DATA_DIR".into()))?;
    Ok(base.join("com.merchantdesk.desktop"))
}

pub fn store() -> Result<Mutex<Store>, CliError> {
    let dir = data_dir()?;
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Setup(format!("cannot create {}: {e}", dir.display())))?;
    Ok(Mutex::new(Store::open(&dir.join(md_core::desk::DATABASE_FILE))?))
}

/// The platform's key: `MERCHANT_DESK_STRIPE_KEY`, else the app's keyring entry.
pub fn client() -> Result<StripeClient, CliError> {
    let raw = match std::env::var("MERCHANT_DESK_STRIPE_KEY") {
        Ok(key) if !key.is_empty() => key,
        _ => {
            let service =
                std::env::var("MERCHANT_DESK_KEYRING_SERVICE").unwrap_or_else(|_| Keyring::DEFAULT_SERVICE.into());
            Keyring::new(service).get(STRIPE_KEY)?.ok_or_else(|| {
                CliError::Setup("no Stripe key: connect one in the app, or set MERCHANT_DESK_STRIPE_KEY".into())
            })?
        }
    };
    let key = ApiKey::parse(&raw)?;
    let base = std::env::var("MERCHANT_DESK_STRIPE_API_BASE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_API_BASE.into());
    Ok(StripeClient::new(&base, key)?)
}

/// The keyring as the app uses it, with `MERCHANT_DESK_STRIPE_KEY` (when set) standing in for the
/// stored Stripe key. Everything else (the PIN pepper) comes from the keyring itself.
struct CliSecrets {
    key: Option<String>,
    keyring: Keyring,
}

impl SecretStore for CliSecrets {
    fn get(&self, name: &str) -> Result<Option<String>, SecretsError> {
        match (&self.key, name) {
            (Some(key), STRIPE_KEY) => Ok(Some(key.clone())),
            _ => self.keyring.get(name),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<(), SecretsError> {
        self.keyring.set(name, value)
    }

    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        self.keyring.delete(name)
    }
}

/// The desk over the app's data, connected like the app (the live-key rule included), with the
/// profile named by `--profile` or `MERCHANT_DESK_PROFILE` signed in and, when given, allowed
/// `action` (desk functions that change money or settings check, and audit, on their own). The PIN
/// comes from `MERCHANT_DESK_PIN` (automation) or is asked for on the terminal, without echo.
pub fn signed_in(profile: Option<&str>, action: Option<Action>) -> Result<Desk, CliError> {
    let service = std::env::var("MERCHANT_DESK_KEYRING_SERVICE").unwrap_or_else(|_| Keyring::DEFAULT_SERVICE.into());
    let key = std::env::var("MERCHANT_DESK_STRIPE_KEY").ok().filter(|k| !k.is_empty());
    let secrets = std::sync::Arc::new(CliSecrets { key, keyring: Keyring::new(service) });
    // The command line has no demo mode: this address is never contacted (see the check below).
    let mut config =
        DeskConfig::new(data_dir()?, secrets, "http://127.0.0.1:9".into(), stripe_emulator::DEMO_API_KEY.into());
    config.api_base_override = std::env::var("MERCHANT_DESK_STRIPE_API_BASE").ok().filter(|s| !s.is_empty());
    // The CardConnect site's credentials come from the keyring through the desk, as in the app;
    // only its address can be pointed elsewhere (a local emulator, tests).
    config.cardconnect_base_override =
        std::env::var("MERCHANT_DESK_CARDCONNECT_API_BASE").ok().filter(|s| !s.is_empty());
    let desk = Desk::open(config).map_err(|e| CliError::Setup(e.to_string()))?;
    let session = desk.session().map_err(|e| CliError::Setup(e.to_string()))?;
    if session.connection.mode == ConnectionMode::Demo {
        let why = session
            .connection
            .keyring_problem
            .unwrap_or_else(|| "no Stripe key: connect one in the app, or set MERCHANT_DESK_STRIPE_KEY".to_string());
        return Err(CliError::Setup(why));
    }
    let name = match profile {
        Some(name) => name.to_string(),
        None => std::env::var("MERCHANT_DESK_PROFILE")
            .ok()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| CliError::Usage("sign in with --profile NAME (or MERCHANT_DESK_PROFILE)".into()))?,
    };
    let Some(choice) = session.profiles.iter().find(|p| p.name == name.trim()) else {
        return Err(CliError::Setup(format!("no profile named {:?} on this PC", name.trim())));
    };
    let pin = match std::env::var("MERCHANT_DESK_PIN") {
        Ok(pin) if !pin.is_empty() => pin,
        _ => rpassword::prompt_password(format!("PIN for {}: ", choice.name))
            .map_err(|e| CliError::Setup(format!("cannot read the PIN ({e}); set MERCHANT_DESK_PIN")))?,
    };
    desk.unlock(choice.id, pin.trim()).map_err(|e| CliError::Setup(e.to_string()))?;
    if let Some(action) = action {
        desk.authorize(action).map_err(|e| CliError::Setup(e.to_string()))?;
    }
    Ok(desk)
}
