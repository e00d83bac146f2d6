//! Settings → Unfinished money actions: calls whose outcome is not known yet, and "Check now".

use md_core::views::UnfinishedCall;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn unfinished_calls_list(state: State<'_, AppState>) -> Result<Vec<UnfinishedCall>, CommandError> {
    Ok(state.desk.unfinished_calls()?)
}

/// Settles what it can now (retry within 23 hours, lookup after) and lists what is left.
#[tauri::command]
#[specta::specta]
pub async fn unfinished_calls_check(state: State<'_, AppState>) -> Result<Vec<UnfinishedCall>, CommandError> {
    Ok(state.desk.check_unfinished_calls().await?)
}

/// "It happened" / "It did not happen", after checking the Stripe Dashboard, for a call only a
/// person can settle.
#[tauri::command]
#[specta::specta]
pub fn unfinished_calls_resolve(
    state: State<'_, AppState>,
    key: String,
    happened: bool,
) -> Result<Vec<UnfinishedCall>, CommandError> {
    Ok(state.desk.settle_unfinished_by_hand(&key, happened)?)
}
