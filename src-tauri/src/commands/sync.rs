//! The background sync of all Stripe data, for the Overview's progress bar.

use md_core::views::SyncStatusView;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// Syncs everything (full the first time or when `full`, else from events); resolves when done.
#[tauri::command]
#[specta::specta]
pub async fn sync_run(state: State<'_, AppState>, full: bool) -> Result<SyncStatusView, CommandError> {
    Ok(state.desk.sync_run(full).await?)
}

#[tauri::command]
#[specta::specta]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatusView, CommandError> {
    Ok(state.desk.sync_status()?)
}

#[tauri::command]
#[specta::specta]
pub fn sync_cancel(state: State<'_, AppState>) -> Result<SyncStatusView, CommandError> {
    Ok(state.desk.sync_cancel()?)
}
