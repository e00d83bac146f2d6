//! Fees (platform admins, in Settings): the fee schedule, saving it onto every restaurant, and a
//! preview of any payment's fee.

use md_core::fees::rules::FeeSchedule;
use md_core::fees::views::{FeePreview, FeePreviewForm, FeeSaveAnswer, FeeScheduleView};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn fees_get(state: State<'_, AppState>) -> Result<FeeScheduleView, CommandError> {
    Ok(state.desk.fee_schedule()?)
}

/// Saves the schedule (or answers every problem with it) and writes it onto each restaurant.
#[tauri::command]
#[specta::specta]
pub async fn fees_set(state: State<'_, AppState>, schedule: FeeSchedule) -> Result<FeeSaveAnswer, CommandError> {
    Ok(state.desk.set_fee_schedule(&schedule).await?)
}

#[tauri::command]
#[specta::specta]
pub fn fee_preview(state: State<'_, AppState>, form: FeePreviewForm) -> Result<FeePreview, CommandError> {
    Ok(state.desk.fee_preview(&form)?)
}
