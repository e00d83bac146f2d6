//! Fees (platform admins, in Settings): the fee schedule, saving it onto every restaurant, and a
//! preview of any payment's fee.

use md_core::fees::collected::{CollectedFee, CollectedFees, CollectedFilter};
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

/// The fees collected, per restaurant and period, with totals.
#[tauri::command]
#[specta::specta]
pub fn fees_collected(state: State<'_, AppState>, filter: CollectedFilter) -> Result<CollectedFees, CommandError> {
    Ok(state.desk.collected_fees(&filter)?)
}

/// Writes the fees collected to `path` (from the save dialog). Returns how many rows.
#[tauri::command]
#[specta::specta]
pub fn fees_collected_export(
    state: State<'_, AppState>,
    filter: CollectedFilter,
    path: String,
) -> Result<u32, CommandError> {
    let rows = state.desk.export_collected_fees(&filter, &std::path::PathBuf::from(path))?;
    Ok(u32::try_from(rows).unwrap_or(u32::MAX))
}

/// Gives back all or part of a fee under `confirmation`.
#[tauri::command]
#[specta::specta]
pub async fn fee_refund(
    state: State<'_, AppState>,
    fee: String,
    amount: Option<String>,
    confirmation: String,
) -> Result<CollectedFee, CommandError> {
    Ok(state.desk.refund_collected_fee(&fee, amount.as_deref(), Some(&confirmation)).await?)
}
