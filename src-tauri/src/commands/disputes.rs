//! Disputes screen: the inbox, a dispute with its recommended evidence, the draft kept as the
//! manager types, attachments and the cover letter, staging, submitting and accepting.

use std::path::PathBuf;

use md_core::disputes::files::AttachedFile;
use md_core::disputes::recommend::{EvidencePlan, OrderType};
use md_core::disputes::views::{DisputeDetail, DisputeFilter, DisputePage, DraftView, EvidenceDraft};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn disputes_list(
    state: State<'_, AppState>,
    filter: DisputeFilter,
    offset: u32,
    limit: u32,
) -> Result<DisputePage, CommandError> {
    Ok(state.desk.disputes(&filter, offset, limit)?)
}

#[tauri::command]
#[specta::specta]
pub fn dispute_get(state: State<'_, AppState>, dispute: String) -> Result<DisputeDetail, CommandError> {
    Ok(state.desk.dispute_detail(&dispute)?)
}

/// The dispute read from Stripe first (after [`dispute_get`] showed the cached one).
#[tauri::command]
#[specta::specta]
pub async fn dispute_refresh(state: State<'_, AppState>, dispute: String) -> Result<DisputeDetail, CommandError> {
    Ok(state.desk.dispute_refresh(&dispute).await?)
}

/// The evidence that wins this dispute for an order served as `order_type`, first; the rest after.
#[tauri::command]
#[specta::specta]
pub fn dispute_plan(
    state: State<'_, AppState>,
    dispute: String,
    order_type: OrderType,
) -> Result<EvidencePlan, CommandError> {
    Ok(state.desk.dispute_plan(&dispute, order_type)?)
}

/// Keeps the draft on this PC; sends nothing.
#[tauri::command]
#[specta::specta]
pub fn dispute_draft_save(
    state: State<'_, AppState>,
    dispute: String,
    draft: EvidenceDraft,
) -> Result<DraftView, CommandError> {
    Ok(state.desk.save_dispute_draft(&dispute, &draft)?)
}

/// "Save to Stripe" (`submit` false) or "Submit" (final), under the confirmation's key.
#[tauri::command]
#[specta::specta]
pub async fn dispute_send(
    state: State<'_, AppState>,
    dispute: String,
    draft: EvidenceDraft,
    submit: bool,
    confirmation: String,
) -> Result<DisputeDetail, CommandError> {
    Ok(state.desk.dispute_send(&dispute, &draft, submit, Some(&confirmation)).await?)
}

/// Accepts the dispute: the money stays with the cardholder.
#[tauri::command]
#[specta::specta]
pub async fn dispute_accept(
    state: State<'_, AppState>,
    dispute: String,
    confirmation: String,
) -> Result<DisputeDetail, CommandError> {
    Ok(state.desk.dispute_accept(&dispute, Some(&confirmation)).await?)
}

/// Checks the file at `path` (picked in the native dialog), uploads it to Stripe and puts it in the
/// draft's `field`.
#[tauri::command]
#[specta::specta]
pub async fn dispute_attach(
    state: State<'_, AppState>,
    dispute: String,
    field: String,
    path: String,
    draft: EvidenceDraft,
) -> Result<AttachedFile, CommandError> {
    Ok(state.desk.dispute_attach(&dispute, &field, &PathBuf::from(path), &draft).await?)
}

/// The cover letter as the form now stands, as a PNG data URL.
#[tauri::command]
#[specta::specta]
pub fn dispute_cover_letter_preview(
    state: State<'_, AppState>,
    dispute: String,
    draft: EvidenceDraft,
) -> Result<String, CommandError> {
    Ok(state.desk.dispute_cover_letter_preview(&dispute, &draft)?)
}

/// Attaches the cover letter (a one-page PDF) as `uncategorized_file`.
#[tauri::command]
#[specta::specta]
pub async fn dispute_cover_letter_attach(
    state: State<'_, AppState>,
    dispute: String,
    draft: EvidenceDraft,
) -> Result<AttachedFile, CommandError> {
    Ok(state.desk.dispute_attach_cover_letter(&dispute, &draft).await?)
}
