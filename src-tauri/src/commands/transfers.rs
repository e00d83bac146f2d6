//! Transfers screen (platform admins): money moved to restaurants, and reversals.

use md_core::transfers::bulk::{BulkOutcome, BulkPreview, BulkSend};
use md_core::transfers::views::{ReversalForm, TransferDetail, TransferFilter, TransferForm, TransferPage};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn transfers_list(
    state: State<'_, AppState>,
    filter: TransferFilter,
    offset: u32,
    limit: u32,
) -> Result<TransferPage, CommandError> {
    Ok(state.desk.transfers(&filter, offset, limit)?)
}

#[tauri::command]
#[specta::specta]
pub fn transfer_detail(state: State<'_, AppState>, transfer: String) -> Result<TransferDetail, CommandError> {
    Ok(state.desk.transfer_detail(&transfer)?)
}

/// Sends a transfer under `confirmation` (the key made when the person confirmed).
#[tauri::command]
#[specta::specta]
pub async fn transfer_create(
    state: State<'_, AppState>,
    form: TransferForm,
    confirmation: String,
) -> Result<TransferDetail, CommandError> {
    Ok(state.desk.create_transfer(&form, Some(&confirmation)).await?)
}

/// Reverses all or part of a transfer under `confirmation`.
#[tauri::command]
#[specta::specta]
pub async fn transfer_reverse(
    state: State<'_, AppState>,
    form: ReversalForm,
    confirmation: String,
) -> Result<TransferDetail, CommandError> {
    Ok(state.desk.reverse_transfer(&form, Some(&confirmation)).await?)
}

/// Reads a tips file without sending anything: its rows, or every problem.
#[tauri::command]
#[specta::specta]
pub fn transfers_bulk_preview(state: State<'_, AppState>, csv: String) -> Result<BulkPreview, CommandError> {
    Ok(state.desk.bulk_transfer_preview(&csv)?)
}

/// Sends every row of the file reviewed as `send.batch`, each exactly once.
#[tauri::command]
#[specta::specta]
pub async fn transfers_bulk_send(state: State<'_, AppState>, send: BulkSend) -> Result<Vec<BulkOutcome>, CommandError> {
    Ok(state.desk.bulk_transfer_send(&send).await?)
}
