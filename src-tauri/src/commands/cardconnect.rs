//! Settings → CardConnect: the CardPointe site, API user and password, and each restaurant's
//! merchant ID.
//!
//! The form's shape is checked where it arrives: it must deserialize into [`CardConnectForm`]
//! (all fields present, strings, a list of merchants), or Tauri refuses the call before it gets
//! here. What the fields say is checked in the core, after the role check, so that a refusal is
//! audited whoever sends it. The password travels in with the form once and never back:
//! [`CardConnectView`] has no field for it, and the form's `Debug` leaves it out.

use md_core::views::{CardConnectForm, CardConnectView};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// The site, API user and restaurants as stored (never the password).
#[tauri::command]
#[specta::specta]
pub fn cardconnect_settings(state: State<'_, AppState>) -> Result<CardConnectView, CommandError> {
    Ok(state.desk.cardconnect_settings()?)
}

/// Checks the credentials and every merchant ID with CardPointe, then keeps the credentials in
/// the OS keyring and the restaurants in the database. On any failure nothing is stored.
#[tauri::command]
#[specta::specta]
pub async fn cardconnect_connect(
    state: State<'_, AppState>,
    form: CardConnectForm,
) -> Result<CardConnectView, CommandError> {
    Ok(state.desk.connect_cardconnect(&form).await?)
}

/// Removes the CardConnect credentials from the keyring and the restaurants from the settings.
#[tauri::command]
#[specta::specta]
pub fn cardconnect_forget(state: State<'_, AppState>) -> Result<CardConnectView, CommandError> {
    Ok(state.desk.forget_cardconnect()?)
}
