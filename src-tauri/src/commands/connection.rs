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
    Ok(state.desk.connect(&key, api_base_url.as_deref()).await?)
}

/// Removes the key from the keyring and returns to demo mode.
#[tauri::command]
#[specta::specta]
pub fn connection_forget(state: State<'_, AppState>) -> Result<ConnectionView, CommandError> {
    Ok(state.desk.forget_key()?)
}
