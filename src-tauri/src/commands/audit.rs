//! Settings → Audit log.

use std::path::PathBuf;

use md_core::views::{AuditEntry, AuditFilter};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn audit_list(state: State<'_, AppState>, filter: AuditFilter) -> Result<Vec<AuditEntry>, CommandError> {
    Ok(state.desk.audit_log(&filter)?)
}

/// Writes the filtered log to `path`, which the person chose in the save dialog. Returns the
/// number of records written.
#[tauri::command]
#[specta::specta]
pub fn audit_export(state: State<'_, AppState>, filter: AuditFilter, path: String) -> Result<u32, CommandError> {
    let written = state.desk.export_audit_log(&filter, &PathBuf::from(path))?;
    Ok(u32::try_from(written).unwrap_or(u32::MAX))
}
