//! The Tauri shell: starts logging, the embedded demo emulator and the core [`Desk`], then serves
//! the UI. Commands live in [`commands`], one file per screen, each a thin call into the core.

pub mod bindings;
mod browser;
pub mod commands;
pub mod error;
pub mod events;
pub mod painted;
mod startup;

use md_core::Desk;
use stripe_emulator::Emulator;

/// How often unfinished money calls are checked with Stripe while the app runs.
const SETTLE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// WebKitGTK's DMA-BUF renderer first brings up GL; on a PC by the till without a GPU (and under
/// Xvfb) that is Mesa's software GL, and the first screen waited 2–4 s for it (`bench window`).
/// Its shared-memory path paints at once and still uses the GPU for compositing where there is
/// one. Whoever sets the variable themselves keeps their choice.
fn prefer_shared_memory_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // Before any thread starts: nothing else reads the environment yet.
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// The desk, opened on a thread of its own while the window comes up: its SQLite file and the
/// keyring took 0.15 s of the main thread before the first paint (`bench window`). Whoever needs
/// it first waits for it; the window's brand is painted by then.
pub struct OpeningDesk(std::sync::Arc<std::sync::OnceLock<Desk>>);

impl std::ops::Deref for OpeningDesk {
    type Target = Desk;

    fn deref(&self) -> &Desk {
        self.0.wait()
    }
}

/// What every command can reach.
pub struct AppState {
    pub desk: OpeningDesk,
    /// The in-process Stripe emulator demo mode talks to; it lives as long as the app. `None` when
    /// the caller runs it (`MERCHANT_DESK_DEMO_STRIPE_API_BASE`, see `startup`).
    _demo: Option<Emulator>,
    /// The in-process CardConnect emulator of demo mode's two CardConnect restaurants; `None`
    /// when the caller runs it (`MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE`).
    _cardconnect_demo: Option<cardconnect_emulator::Emulator>,
    /// Woken when someone signs in or the idle time changes, for [`events::watch_idle_lock`].
    pub signed_in: std::sync::Arc<tokio::sync::Notify>,
}

pub fn run() {
    prefer_shared_memory_rendering();
    let builder = bindings::builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .on_page_load(|_, payload| tracing::debug!(event = ?payload.event(), "page load"))
        .setup(move |app| {
            let state = startup::start(app.handle())?;
            tauri::Manager::manage(app, state);
            builder.mount_events(app);
            tauri::async_runtime::spawn(events::watch_idle_lock(app.handle().clone()));
            // Money calls a previous run left unfinished are settled first (retried with their
            // keys within 23 hours, looked up after that), then every few minutes while any is left.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = tauri::Manager::state::<AppState>(&handle);
                loop {
                    match state.desk.settle_unfinished().await {
                        Ok(settled) if settled.is_empty() => {}
                        Ok(settled) => tracing::info!(calls = settled.len(), "unfinished money calls checked"),
                        Err(err) => tracing::error!(error = %err, "unfinished money calls could not be checked"),
                    }
                    // Dispute deadlines come closer without any sync: checked on the same timer.
                    if let Err(err) = state.desk.notice_dispute_deadlines() {
                        tracing::warn!(error = %err, "dispute deadlines could not be checked");
                    }
                    // So do Stripe's deadlines for what it asked of a restaurant.
                    if let Err(err) = state.desk.notice_account_alerts() {
                        tracing::warn!(error = %err, "restricted restaurants and Stripe deadlines could not be checked");
                    }
                    tokio::time::sleep(SETTLE_EVERY).await;
                }
            });
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(err) = result {
        eprintln!("Merchant Desk could not start: {err}");
        std::process::exit(1);
    }
}
