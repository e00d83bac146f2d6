//! What taking a payment sends and shows (platform admins; owners capture and cancel).

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::money::Money;

/// Whose charge it is at Stripe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChargeType {
    /// On the platform, the money then transferred to the restaurant (`transfer_data`,
    /// `on_behalf_of`): the platform handles refunds and disputes.
    Destination,
    /// On the restaurant's own account (`Stripe-Account`), the fee to the platform.
    Direct,
}

/// A payment for an order, as typed.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct TakePaymentForm {
    pub restaurant: String,
    /// In major units of `currency` ("64.20").
    pub amount: String,
    pub currency: String,
    pub order_number: String,
    pub charge_type: ChargeType,
    /// Authorize now, capture later (with the tip).
    pub capture_later: bool,
    /// A saved payment method (`pm_…`); Stripe's test ones (`pm_card_visa`) in test mode only.
    /// Card numbers never reach this app.
    pub payment_method: String,
}

/// A payment taken or changed here, as it stands.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TakenPayment {
    /// `pi_…`.
    pub id: String,
    pub restaurant: String,
    /// The restaurant's name, in lists.
    pub restaurant_name: Option<String>,
    pub amount: Money,
    /// What may still be captured (an authorization), or zero.
    pub capturable: Money,
    pub captured: Money,
    /// The platform's fee on it.
    pub fee: Option<Money>,
    /// Stripe's status: requires_action, requires_confirmation, requires_capture, succeeded, canceled, …
    pub status: String,
    /// The status and what happens next, in a sentence.
    pub status_words: String,
    /// Where the customer authenticates (3-D Secure), while the payment needs it.
    pub action_url: Option<String>,
    /// Unix seconds after which an authorization can no longer be captured.
    #[specta(type = Option<specta_typescript::Number>)]
    pub capture_before: Option<i64>,
    pub order_number: Option<String>,
}

/// A capture: all that is authorized when `amount` is `None` (major units otherwise).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct CaptureForm {
    pub restaurant: String,
    pub payment: String,
    #[serde(default)]
    pub amount: Option<String>,
}

/// Why an authorization is let go: Stripe's `cancellation_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    RequestedByCustomer,
    Duplicate,
    Fraudulent,
    Abandoned,
}

impl CancelReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CancelReason::RequestedByCustomer => "requested_by_customer",
            CancelReason::Duplicate => "duplicate",
            CancelReason::Fraudulent => "fraudulent",
            CancelReason::Abandoned => "abandoned",
        }
    }
}
