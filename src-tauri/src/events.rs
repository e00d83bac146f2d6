//! What the shell pushes to the window as typed events (tauri-specta), so the window listens
//! instead of asking again and again: an idle desk wakes nobody.
//!
//! - [`SyncChanged`]: a sync started, went further, or ended (progress bar, "synced … ago", and
//!   the screens and failed-payouts banner that reread after a sync);
//! - [`SessionLocked`]: the desk locked itself after the idle time; the window shows the lock
//!   screen without waiting for a click.

use std::future::Future;
use std::time::Duration;

use md_core::views::SyncStatusView;
use md_core::Desk;
use serde::Serialize;
use tauri::AppHandle;
use tauri_specta::Event;

use crate::AppState;

/// The sync's state, whenever it changed.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SyncChanged(pub SyncStatusView);

/// The desk has locked itself for being idle.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SessionLocked;

/// How often a running sync's progress is looked at; only a change is sent.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// Runs `sync` (a sync started by a command) and sends its state as it changes: when it starts,
/// as pages arrive (read from the sync's own counters while it runs, nothing once it has ended),
/// and its end.
pub async fn sync_with_progress<T>(app: &AppHandle, desk: &Desk, sync: impl Future<Output = T>) -> T {
    tokio::pin!(sync);
    let mut last: Option<SyncStatusView> = None;
    let mut tick = tokio::time::interval(PROGRESS_EVERY);
    loop {
        tokio::select! {
            out = &mut sync => {
                send_sync_state(app, desk, &mut last);
                return out;
            }
            _ = tick.tick() => send_sync_state(app, desk, &mut last),
        }
    }
}

/// Sends the sync's state if it differs from what was sent last.
pub fn send_sync_state(app: &AppHandle, desk: &Desk, last: &mut Option<SyncStatusView>) {
    let Ok(view) = desk.sync_status() else { return };
    if last.as_ref() != Some(&view) {
        if let Err(err) = SyncChanged(view.clone()).emit(app) {
            tracing::warn!(error = %err, "sync progress not sent to the window");
        }
        *last = Some(view);
    }
}

/// Locks the desk when its idle time runs out and tells the window. Sleeps until then (or, while
/// locked, until `signed_in` says someone signed in or the idle time changed); never polls.
pub async fn watch_idle_lock(app: AppHandle) {
    let state = tauri::Manager::state::<AppState>(&app);
    let (desk, signed_in) = (&state.desk, state.signed_in.clone());
    loop {
        match desk.idle_lock_in() {
            None => signed_in.notified().await,
            Some(left) => {
                tokio::select! {
                    // A second late, so a touch in the last instant is not raced.
                    _ = tokio::time::sleep(left + Duration::from_secs(1)) => {
                        if desk.lock_if_idle() {
                            if let Err(err) = SessionLocked.emit(&app) {
                                tracing::warn!(error = %err, "lock not sent to the window");
                            }
                        }
                    }
                    _ = signed_in.notified() => {}
                }
            }
        }
    }
}
