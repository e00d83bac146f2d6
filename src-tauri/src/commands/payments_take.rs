//! Taking payments for orders (platform admins) and finishing authorizations (owners too):
//! take, show, capture, cancel, confirm after 3-D Secure.

use md_core::payments::take_views::{CancelReason, CaptureForm, TakePaymentForm, TakenPayment};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// Takes a payment under `confirmation` (the key made when the person confirmed).
#[tauri::command]
#[specta::specta]
pub async fn payment_take(
    state: State<'_, AppState>,
    form: TakePaymentForm,
    confirmation: String,
) -> Result<TakenPayment, CommandError> {
    Ok(state.desk.take_payment(&form, Some(&confirmation)).await?)
}

/// Authorizations waiting for capture, the soonest to expire first.
#[tauri::command]
#[specta::specta]
pub fn payments_authorized(state: State<'_, AppState>) -> Result<Vec<TakenPayment>, CommandError> {
    Ok(state.desk.authorizations()?)
}

/// A PaymentIntent as Stripe has it now, with what can be done next.
#[tauri::command]
#[specta::specta]
pub async fn payment_taken(
    state: State<'_, AppState>,
    restaurant: String,
    payment: String,
) -> Result<TakenPayment, CommandError> {
    Ok(state.desk.taken_payment(&restaurant, &payment).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn payment_capture(
    state: State<'_, AppState>,
    form: CaptureForm,
    confirmation: String,
) -> Result<TakenPayment, CommandError> {
    Ok(state.desk.capture_payment(&form, Some(&confirmation)).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn payment_cancel(
    state: State<'_, AppState>,
    restaurant: String,
    payment: String,
    reason: CancelReason,
    confirmation: String,
) -> Result<TakenPayment, CommandError> {
    Ok(state.desk.cancel_payment(&restaurant, &payment, reason, Some(&confirmation)).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn payment_confirm(
    state: State<'_, AppState>,
    restaurant: String,
    payment: String,
    confirmation: String,
) -> Result<TakenPayment, CommandError> {
    Ok(state.desk.confirm_payment(&restaurant, &payment, Some(&confirmation)).await?)
}
