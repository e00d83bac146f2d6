//! The lock screen, first-run set-up and the frame: who is signed in and what they may do.

use md_core::permissions::Role;
use md_core::views::SessionView;
use tauri::State;

use crate::error::CommandError;
use crate::painted::{self, FirstScreen};
use crate::AppState;

/// Who is signed in (if anyone), how the app is connected, and what they may do.
#[tauri::command]
#[specta::specta]
pub fn session_get(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.desk.session()?)
}

/// Signs a profile in with its PIN.
#[tauri::command]
#[specta::specta]
pub fn session_unlock(state: State<'_, AppState>, profile_id: u32, pin: String) -> Result<SessionView, CommandError> {
    let session = state.desk.unlock(profile_id.into(), &pin)?;
    state.signed_in.notify_one();
    Ok(session)
}

/// Locks the app now.
#[tauri::command]
#[specta::specta]
pub fn session_lock(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.desk.lock()?)
}

/// The person is still at the PC; returns whether the app is still unlocked.
#[tauri::command]
#[specta::specta]
pub fn session_touch(state: State<'_, AppState>) -> Result<bool, CommandError> {
    Ok(state.desk.touch())
}

/// The window has painted its first screen (see [`crate::painted`]); nothing else happens.
#[tauri::command]
#[specta::specta]
pub fn app_painted(screen: FirstScreen) -> Result<(), CommandError> {
    painted::note(screen);
    Ok(())
}

/// Creates the first owner or platform admin on a new PC and signs them in.
#[tauri::command]
#[specta::specta]
pub fn setup_first_profile(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    pin: String,
) -> Result<SessionView, CommandError> {
    let session = state.desk.setup_first_profile(&name, role, &pin)?;
    state.signed_in.notify_one();
    Ok(session)
}

/// Minutes of inactivity before the app locks (1–120).
#[tauri::command]
#[specta::specta]
pub fn settings_set_idle_lock(state: State<'_, AppState>, minutes: u32) -> Result<SessionView, CommandError> {
    let session = state.desk.set_idle_lock(minutes)?;
    state.signed_in.notify_one();
    Ok(session)
}
