//! Where the CLI finds its key, its Stripe and its data: the same places as the app.

use std::path::PathBuf;
use std::sync::Mutex;

use md_core::keys::ApiKey;
use md_core::secrets::{Keyring, SecretStore, STRIPE_KEY};
use md_core::store::Store;
use md_core::stripe::{StripeClient, DEFAULT_API_BASE};

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
