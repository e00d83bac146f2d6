use md_core::views::SessionView;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// Who is signed in, how the app is connected, and what they may do (drives the frame and banners).
#[tauri::command]
#[specta::specta]
pub fn session_get(state: State<'_, AppState>) -> Result<SessionView, CommandError> {
    Ok(state.desk.session()?)
}
