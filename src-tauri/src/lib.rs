//! The Tauri shell: starts logging, the embedded demo emulator and the core [`Desk`], then serves
//! the UI. Commands live in [`commands`], one file per screen, each a thin call into the core.

pub mod bindings;
pub mod commands;
pub mod error;
mod startup;

use md_core::Desk;
use stripe_emulator::Emulator;

/// What every command can reach.
pub struct AppState {
    pub desk: Desk,
    /// The in-process Stripe emulator demo mode talks to; it lives as long as the app.
    _demo: Emulator,
}

pub fn run() {
    let builder = bindings::builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            let state = startup::start(app.handle())?;
            tauri::Manager::manage(app, state);
            // Money calls a previous run left unanswered are replayed with their keys first.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = tauri::Manager::state::<AppState>(&handle);
                match state.desk.resolve_pending_money_calls().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(replayed = n, "pending money calls resolved"),
                    Err(err) => tracing::error!(error = %err, "pending money calls could not be resolved"),
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
