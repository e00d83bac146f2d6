//! Start-up: where data lives, where logs go, which keyring entry and API base to use.
//!
//! Environment overrides (for tests, scripted installs and pointing at a Stripe-compatible server):
//! - `MERCHANT_DESK_DATA_DIR`: folder for the SQLite file and logs (default: the OS app-data folder).
//! - `MERCHANT_DESK_STRIPE_API_BASE`: API base URL a stored key talks to (default: Stripe).
//! - `MERCHANT_DESK_CARDCONNECT_API_BASE`: address the stored CardConnect credentials talk to,
//!   whatever the site (default: `https://{site}.cardconnect.com`); for tests against the emulator.
//! - `MERCHANT_DESK_KEYRING_SERVICE`: keyring service name (default `merchant-desk`), so two
//!   instances on one machine keep separate keys.
//! - `MERCHANT_DESK_DEMO_STRIPE_API_BASE`: the base URL (its `base_url()`, `http://127.0.0.1:PORT`)
//!   of a Stripe emulator the caller runs with `stripe_emulator::Config::demo()` (same demo key and
//!   restaurant group); demo mode talks to it and the embedded one is not started. So an
//!   end-to-end test drives the emulator it owns (faults, clock, failed refunds) in demo mode.
//! - `MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE`: likewise for demo mode's CardConnect site, an
//!   emulator run with `cardconnect_emulator::Config::demo()` (same site, API user, password and
//!   merchants).
//! - `MERCHANT_DESK_READY_FILE`: a file the app writes the first painted screen's name into
//!   (`setup`, `lock` or `frame`), for packaging checks and the window benchmark (`painted`).
//!
//! An empty `…_API_BASE` variable counts as unset.

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

use crate::{AppState, OpeningDesk};

pub const LOG_FILE: &str = "merchant-desk.log";

pub fn start(app: &tauri::AppHandle) -> Result<AppState, Box<dyn std::error::Error>> {
    let data_dir = match std::env::var_os("MERCHANT_DESK_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => app.path().app_data_dir()?,
    };
    std::fs::create_dir_all(data_dir.join("logs"))?;
    init_logging(&data_dir)?;
    tracing::info!(data_dir = %data_dir.display(), version = env!("CARGO_PKG_VERSION"), "starting");

    let (demo, demo_base) = match env("MERCHANT_DESK_DEMO_STRIPE_API_BASE") {
        Some(base) => (None, base.trim_end_matches('/').to_string()),
        None => {
            // Seeded when demo mode first asks it something, so the window opens at once.
            let config = Config { seed_on_first_request: true, ..Config::demo() };
            let emulator = tauri::async_runtime::block_on(Emulator::start(config))?;
            let base = emulator.base_url();
            (Some(emulator), base)
        }
    };
    let (cardconnect, cardconnect_base) = match env("MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE") {
        Some(base) => (None, base.trim_end_matches('/').to_string()),
        None => {
            let config =
                cardconnect_emulator::Config { seed_on_first_request: true, ..cardconnect_emulator::Config::demo() };
            let emulator = tauri::async_runtime::block_on(cardconnect_emulator::Emulator::start(config))?;
            let base = emulator.base_url();
            (Some(emulator), base)
        }
    };
    tracing::info!(
        stripe = %demo_base,
        cardconnect = %cardconnect_base,
        embedded_stripe = demo.is_some(),
        embedded_cardconnect = cardconnect.is_some(),
        "demo mode's emulators"
    );
    let service = std::env::var("MERCHANT_DESK_KEYRING_SERVICE").unwrap_or_else(|_| Keyring::DEFAULT_SERVICE.into());
    let mut config = DeskConfig::new(data_dir, Arc::new(Keyring::new(service)), demo_base, DEMO_API_KEY.to_string());
    config.api_base_override = env("MERCHANT_DESK_STRIPE_API_BASE");
    config.cardconnect_base_override = env("MERCHANT_DESK_CARDCONNECT_API_BASE");
    config.notifier = Arc::new(DesktopNotifier);
    config.cardconnect_demo = Some(cardconnect_demo(cardconnect_base));
    let cell = Arc::new(std::sync::OnceLock::new());
    let opened = Arc::clone(&cell);
    std::thread::Builder::new().name("open desk".into()).spawn(move || match Desk::open(config) {
        Ok(desk) => {
            tracing::info!("desk open");
            let _ = opened.set(desk);
        }
        Err(err) => {
            // As a failed start-up always did: said, and the app ends.
            tracing::error!(error = %err, "the desk could not be opened");
            eprintln!("Merchant Desk could not start: {err}");
            std::process::exit(1);
        }
    })?;
    Ok(AppState { desk: OpeningDesk(cell), _demo: demo, _cardconnect_demo: cardconnect, signed_in: Default::default() })
}

/// An environment variable's value; unset and empty are the same.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|s| !s.is_empty())
}

/// Demo mode's CardConnect site: the CardPointe emulator at `base_url` (embedded, or the caller's)
/// and the group's two restaurants on it (its password unlocks only an emulator, so it is not a
/// secret).
fn cardconnect_demo(base_url: String) -> CardConnectDemo {
    CardConnectDemo::new(
        base_url,
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
