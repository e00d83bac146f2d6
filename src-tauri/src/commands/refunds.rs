//! Payments & Refunds screen: the search and today's list, a payment's detail (from the cache,
//! then refreshed from its gateway), the refund dialog (check, then confirm), "My refunds", and
//! the refund limits owners set in Settings.

use md_core::refunds::{Approver, MyRefund, RefundDone, RefundDraft, RefundLimits, RefundOrder, RefundPreview};
use md_core::views::{PaymentDetail, PaymentPage, PaymentSearch, RestaurantChoice};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn payments_search(state: State<'_, AppState>, query: PaymentSearch) -> Result<PaymentPage, CommandError> {
    Ok(state.desk.payments_search(&query)?)
}

/// Asks the gateways about a payment the search names in full that the cache lacks (CardPointe
/// lists no transactions: today's sales are found by order ID); returns how many it found.
#[tauri::command]
#[specta::specta]
pub async fn payments_look_up(state: State<'_, AppState>, text: String) -> Result<u32, CommandError> {
    Ok(state.desk.payments_look_up_at_gateways(&text).await?)
}

/// The restaurants the profile may pick in the filter.
#[tauri::command]
#[specta::specta]
pub fn payments_restaurants(state: State<'_, AppState>) -> Result<Vec<RestaurantChoice>, CommandError> {
    Ok(state.desk.payment_restaurants()?)
}

/// From the cache, at once.
#[tauri::command]
#[specta::specta]
pub fn payment_detail(
    state: State<'_, AppState>,
    restaurant: String,
    payment: String,
) -> Result<PaymentDetail, CommandError> {
    Ok(state.desk.payment_detail(&restaurant, &payment)?)
}

/// Read from the payment's gateway into the cache first.
#[tauri::command]
#[specta::specta]
pub async fn payment_refresh(
    state: State<'_, AppState>,
    restaurant: String,
    payment: String,
) -> Result<PaymentDetail, CommandError> {
    Ok(state.desk.payment_refresh(&restaurant, &payment).await?)
}

/// Checks the refund dialog and says what confirming will do; sends nothing.
#[tauri::command]
#[specta::specta]
pub async fn refund_preview(state: State<'_, AppState>, draft: RefundDraft) -> Result<RefundPreview, CommandError> {
    Ok(state.desk.refund_preview(&draft).await?)
}

/// Carries out the confirmed refund under `confirmation`, the key made when the dialog opened:
/// pressing Confirm twice refunds once.
#[tauri::command]
#[specta::specta]
pub async fn refund_confirm(
    state: State<'_, AppState>,
    order: RefundOrder,
    confirmation: String,
) -> Result<RefundDone, CommandError> {
    Ok(state.desk.refund_confirm(&order, Some(&confirmation)).await?)
}

#[tauri::command]
#[specta::specta]
pub fn refunds_mine(state: State<'_, AppState>) -> Result<Vec<MyRefund>, CommandError> {
    Ok(state.desk.my_refunds()?)
}

/// Managers and owners who may approve a refund at `restaurant` above the profile's limit.
#[tauri::command]
#[specta::specta]
pub fn refund_approvers(state: State<'_, AppState>, restaurant: String) -> Result<Vec<Approver>, CommandError> {
    Ok(state.desk.refund_approvers(&restaurant)?)
}

#[tauri::command]
#[specta::specta]
pub fn refund_limits_get(state: State<'_, AppState>) -> Result<RefundLimits, CommandError> {
    Ok(state.desk.refund_limits()?)
}

#[tauri::command]
#[specta::specta]
pub fn refund_limits_set(state: State<'_, AppState>, limits: RefundLimits) -> Result<RefundLimits, CommandError> {
    Ok(state.desk.set_refund_limits(&limits)?)
}
