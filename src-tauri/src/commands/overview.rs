//! Overview: platform balance and connected accounts.

use md_core::views::OverviewView;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// The overview from the local cache: instant, works offline.
#[tauri::command]
#[specta::specta]
pub fn overview_get(state: State<'_, AppState>) -> Result<OverviewView, CommandError> {
    Ok(state.desk.overview()?)
}

/// Syncs the overview from Stripe into the cache and returns it.
#[tauri::command]
#[specta::specta]
pub async fn overview_refresh(state: State<'_, AppState>) -> Result<OverviewView, CommandError> {
    Ok(state.desk.refresh_overview().await?)
}
