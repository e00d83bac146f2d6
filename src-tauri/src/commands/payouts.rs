//! Payouts screen: balances and their history, the payouts list, chart and exports, a payout's
//! reconciliation, the payout schedule and failed-payout alerts.

use std::path::PathBuf;

use md_core::views::{
    ChartBucket, ChartSeries, HistoryFilter, HistoryPage, PayoutAlert, PayoutDetail, PayoutFilter, PayoutPage,
    PayoutSchedule, ScheduleView, ScopeBalance,
};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[tauri::command]
#[specta::specta]
pub fn balances_get(state: State<'_, AppState>) -> Result<Vec<ScopeBalance>, CommandError> {
    Ok(state.desk.balances()?)
}

#[tauri::command]
#[specta::specta]
pub fn balance_history(
    state: State<'_, AppState>,
    filter: HistoryFilter,
    offset: u32,
    limit: u32,
) -> Result<HistoryPage, CommandError> {
    Ok(state.desk.balance_history(&filter, offset, limit)?)
}

#[tauri::command]
#[specta::specta]
pub fn payouts_list(
    state: State<'_, AppState>,
    filter: PayoutFilter,
    offset: u32,
    limit: u32,
) -> Result<PayoutPage, CommandError> {
    Ok(state.desk.payouts(&filter, offset, limit)?)
}

#[tauri::command]
#[specta::specta]
pub fn payouts_chart(
    state: State<'_, AppState>,
    filter: PayoutFilter,
    bucket: ChartBucket,
) -> Result<Vec<ChartSeries>, CommandError> {
    Ok(state.desk.payouts_chart(&filter, bucket)?)
}

/// Writes the filtered payouts to `path`, chosen by the person in the save dialog. Returns how many.
#[tauri::command]
#[specta::specta]
pub fn payouts_export(state: State<'_, AppState>, filter: PayoutFilter, path: String) -> Result<u32, CommandError> {
    Ok(count(state.desk.export_payouts(&filter, &PathBuf::from(path))?))
}

#[tauri::command]
#[specta::specta]
pub async fn payout_detail(state: State<'_, AppState>, payout: String) -> Result<PayoutDetail, CommandError> {
    Ok(state.desk.payout_detail(&payout).await?)
}

/// Writes one payout's reconciliation to `path` (from the save dialog). Returns how many rows.
#[tauri::command]
#[specta::specta]
pub async fn payout_export_reconciliation(
    state: State<'_, AppState>,
    payout: String,
    path: String,
) -> Result<u32, CommandError> {
    Ok(count(state.desk.export_reconciliation(&payout, &PathBuf::from(path)).await?))
}

#[tauri::command]
#[specta::specta]
pub fn payout_schedule_get(state: State<'_, AppState>, account: String) -> Result<ScheduleView, CommandError> {
    Ok(state.desk.payout_schedule(&account)?)
}

/// Checks a proposed schedule and says it in words, before the confirmation; sends nothing.
#[tauri::command]
#[specta::specta]
pub fn payout_schedule_check(
    state: State<'_, AppState>,
    account: String,
    schedule: PayoutSchedule,
) -> Result<String, CommandError> {
    Ok(state.desk.check_payout_schedule(&account, &schedule)?)
}

#[tauri::command]
#[specta::specta]
pub async fn payout_schedule_update(
    state: State<'_, AppState>,
    account: String,
    schedule: PayoutSchedule,
    confirmation: Option<String>,
) -> Result<ScheduleView, CommandError> {
    Ok(state.desk.update_payout_schedule(&account, &schedule, confirmation.as_deref()).await?)
}

#[tauri::command]
#[specta::specta]
pub fn payout_alerts_list(state: State<'_, AppState>) -> Result<Vec<PayoutAlert>, CommandError> {
    Ok(state.desk.payout_alerts()?)
}

#[tauri::command]
#[specta::specta]
pub fn payout_alert_dismiss(state: State<'_, AppState>, payout: String) -> Result<Vec<PayoutAlert>, CommandError> {
    Ok(state.desk.dismiss_payout_alert(&payout)?)
}
