//! Start-up: where data lives, where logs go, which keyring entry and API base to use.
//!
//! Environment overrides (for tests, scripted installs and pointing at a Stripe-compatible server):
//! - `MERCHANT_DESK_DATA_DIR`: folder for the SQLite file and logs (default: the OS app-data folder).
//! - `MERCHANT_DESK_STRIPE_API_BASE`: API base URL a stored key talks to (default: Stripe).
//! - `MERCHANT_DESK_CARDCONNECT_API_BASE`: address the stored CardConnect credentials talk to,
//!   whatever the site (default: `https://{site}.cardconnect.com`); for tests against the emulator.
//! - `MERCHANT_DESK_KEYRING_SERVICE`: keyring service name (default `merchant-desk`), so two
//!   instances on one machine keep separate keys.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use md_core::desk::CardConnectDemo;
use md_core::desk::Notifier;
use md_core::secrets::Keyring;
use md_core::{Desk, DeskConfig};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};
use tauri::Manager;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::EnvFilter;

use crate::AppState;

pub const LOG_FILE: &str = "merchant-desk.log";

pub fn start(app: &tauri::AppHandle) -> Result<AppState, Box<dyn std::error::Error>> {
    let data_dir = match std::env::var_os("MERCHANT_DESK_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app.path().app_data_dir()?,
    };
    std::fs::create_dir_all(data_dir.join("logs"))?;
    init_logging(&data_dir)?;
    tracing::info!(data_dir = %data_dir.display(), version = env!("CARGO_PKG_VERSION"), "starting");

    let demo = tauri::async_runtime::block_on(Emulator::start(Config::demo()))?;
    let cardconnect =
        tauri::async_runtime::block_on(cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::demo()))?;
    let service = std::env::var("MERCHANT_DESK_KEYRING_SERVICE").unwrap_or_else(|_| Keyring::DEFAULT_SERVICE.into());
    let mut config =
        DeskConfig::new(data_dir, Arc::new(Keyring::new(service)), demo.base_url(), DEMO_API_KEY.to_string());
    config.api_base_override = std::env::var("MERCHANT_DESK_STRIPE_API_BASE").ok().filter(|s| !s.is_empty());
    config.cardconnect_base_override =
        std::env::var("MERCHANT_DESK_CARDCONNECT_API_BASE").ok().filter(|s| !s.is_empty());
    config.notifier = Arc::new(DesktopNotifier);
    config.cardconnect_demo = Some(cardconnect_demo(&cardconnect));
    let desk = Desk::open(config)?;
    Ok(AppState { desk, _demo: demo, _cardconnect_demo: cardconnect })
}

/// Demo mode's CardConnect site: the embedded CardPointe emulator and the group's two
/// restaurants on it (its password unlocks only that emulator, so it is not a secret).
fn cardconnect_demo(emulator: &cardconnect_emulator::Emulator) -> CardConnectDemo {
    CardConnectDemo::new(
        emulator.base_url(),
        cardconnect_emulator::DEMO_SITE,
        cardconnect_emulator::DEMO_API_USER,
        cardconnect_emulator::DEMO_API_PASSWORD,
        &cardconnect_emulator::seed::demo_restaurants(),
    )
}

/// Desktop notifications through the OS (D-Bus `org.freedesktop.Notifications` on Linux). Shown
/// from a thread of their own, so a slow or missing notification daemon never holds up a sync.
struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        let mut notification = notify_rust::Notification::new();
        notification.appname("Merchant Desk").summary(title).body(body);
        std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || match notification.show() {
                Ok(_) => tracing::info!("desktop notification shown"),
                Err(err) => tracing::warn!(error = %err, "desktop notification not shown"),
            })
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// Logs go to stderr and to `logs/merchant-desk.log` in the data folder (`RUST_LOG` filters).
fn init_logging(data_dir: &std::path::Path) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new().create(true).append(true).open(data_dir.join("logs").join(LOG_FILE))?;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init (only possible in tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::io::stderr.and(Mutex::new(file)))
        .try_init();
    Ok(())
}
