//! Settings → Profiles.

use md_core::views::{ProfileForm, ProfileView};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn profiles_list(state: State<'_, AppState>) -> Result<Vec<ProfileView>, CommandError> {
    Ok(state.desk.profiles()?)
}

#[tauri::command]
#[specta::specta]
pub fn profiles_create(state: State<'_, AppState>, form: ProfileForm) -> Result<Vec<ProfileView>, CommandError> {
    Ok(state.desk.create_profile(&form)?)
}

#[tauri::command]
#[specta::specta]
pub fn profiles_update(
    state: State<'_, AppState>,
    id: u32,
    form: ProfileForm,
) -> Result<Vec<ProfileView>, CommandError> {
    Ok(state.desk.update_profile(id.into(), &form)?)
}

#[tauri::command]
#[specta::specta]
pub fn profiles_delete(state: State<'_, AppState>, id: u32) -> Result<Vec<ProfileView>, CommandError> {
    Ok(state.desk.delete_profile(id.into())?)
}
