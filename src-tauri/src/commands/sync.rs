//! The background sync of all Stripe data, for the Overview's progress bar.

use md_core::views::SyncStatusView;
use tauri::{AppHandle, State};

use crate::error::CommandError;
use crate::{events, AppState};

/// Syncs everything (full the first time or when `full`, else from events); resolves when done.
#[tauri::command]
#[specta::specta]
pub async fn sync_run(app: AppHandle, state: State<'_, AppState>, full: bool) -> Result<SyncStatusView, CommandError> {
    // Progress reaches the window as `SyncChanged` events while this call is under way.
    Ok(events::sync_with_progress(&app, &state.desk, state.desk.sync_run(full)).await?)
}

#[tauri::command]
#[specta::specta]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatusView, CommandError> {
    Ok(state.desk.sync_status()?)
}

#[tauri::command]
#[specta::specta]
pub fn sync_cancel(state: State<'_, AppState>) -> Result<SyncStatusView, CommandError> {
    // The running `sync_run` sends the stopped state when its sync ends.
    Ok(state.desk.sync_cancel()?)
}
