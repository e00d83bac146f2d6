//! Settings → Stripe connection.

use md_core::views::ConnectionView;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// Checks, validates with Stripe and stores a pasted secret key. `api_base_url` is optional and
/// for Stripe-compatible servers (the emulator in tests).
#[tauri::command]
#[specta::specta]
pub async fn connection_connect(
    state: State<'_, AppState>,
    key: String,
    api_base_url: Option<String>,
) -> Result<ConnectionView, CommandError> {
    let view = state.desk.connect(&key, api_base_url.as_deref()).await?;
    // Back on a connection: what it left unfinished is settled before new money calls.
    if let Err(err) = state.desk.settle_unfinished().await {
        tracing::warn!(error = %err, "unfinished money calls could not be checked after connecting");
    }
    Ok(view)
}

/// Removes the key from the keyring and returns to demo mode.
#[tauri::command]
#[specta::specta]
pub fn connection_forget(state: State<'_, AppState>) -> Result<ConnectionView, CommandError> {
    Ok(state.desk.forget_key()?)
}
