//! What the refund dialog sends (a draft to check, then the order to carry out) and what the
//! screens show of refunds (on a payment's timeline and in "My refunds").

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::gateways::GatewayKind;
use crate::money::Money;

/// The refund dialog as typed, checked by [`crate::Desk::refund_preview`] before any
/// confirmation is shown.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct RefundDraft {
    /// The payment's restaurant, as its row says: a Stripe account (`""` for the platform) or a
    /// CardConnect merchant ID.
    pub restaurant: String,
    /// The payment's gateway ID (`ch_…`/`pi_…`, a CardPointe retref).
    pub payment: String,
    /// In major units as typed (`12.50`, `500` for yen); empty or `None`: all that is left.
    #[serde(default)]
    pub amount: Option<String>,
}

/// How the gateway will give the money back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// The money goes back to the card.
    Refund,
    /// CardConnect, before settlement: the payment is cancelled and the customer never charged.
    Void,
}

/// What the confirmation restates, from the gateway's own figures read just now.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RefundPreview {
    pub gateway: GatewayKind,
    pub gateway_label: String,
    pub restaurant: String,
    pub restaurant_name: String,
    pub payment: String,
    pub order_number: Option<String>,
    /// What will be refunded (or voided).
    pub amount: Money,
    /// What is left to refund now, before this refund.
    pub refundable: Money,
    /// What will be left after it.
    pub left_after: Money,
    pub method: RefundMethod,
    /// What happens, in a sentence: who pays, what the customer sees, what the platform's fee does.
    pub effect: String,
    /// The signed-in profile's limit in this currency; `None`: no limit.
    pub limit: Option<Money>,
    /// Above the limit: a manager or owner must approve with their PIN.
    pub needs_approval: bool,
}

/// The refund the person confirmed: the amount restated in the confirmation, in minor units.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct RefundOrder {
    pub restaurant: String,
    pub payment: String,
    #[specta(type = specta_typescript::Number)]
    pub amount: i64,
    /// duplicate, fraudulent or requested_by_customer.
    #[serde(default)]
    pub reason: Option<String>,
    /// Kept on this PC only, beside the refund.
    #[serde(default)]
    pub note: Option<String>,
    /// A manager's or owner's approval above the profile's limit.
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub approver_profile_id: Option<i64>,
    #[serde(default)]
    pub approver_pin: Option<String>,
}

/// Where a refund stands, as Stripe names it (CardConnect's are succeeded or failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Pending,
    Succeeded,
    Failed,
    Canceled,
    RequiresAction,
    /// Sent, and no definite answer yet: being found out, never shown as failed.
    Unknown,
}

impl RefundStatus {
    pub fn parse(status: Option<&str>) -> RefundStatus {
        match status {
            Some("succeeded") => RefundStatus::Succeeded,
            Some("failed") => RefundStatus::Failed,
            Some("canceled") => RefundStatus::Canceled,
            Some("requires_action") => RefundStatus::RequiresAction,
            _ => RefundStatus::Pending,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RefundStatus::Pending => "Pending",
            RefundStatus::Succeeded => "Refunded",
            RefundStatus::Failed => "Failed",
            RefundStatus::Canceled => "Canceled",
            RefundStatus::RequiresAction => "Needs action",
            RefundStatus::Unknown => "Outcome not known yet",
        }
    }

    /// Whether it can still change.
    pub fn is_final(self) -> bool {
        matches!(self, RefundStatus::Succeeded | RefundStatus::Failed | RefundStatus::Canceled)
    }
}

/// One refund or void of a payment.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RefundView {
    pub gateway: GatewayKind,
    /// `re_…`, or the CardPointe retref of the refund or void.
    pub id: String,
    /// Unix seconds.
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    pub amount: Money,
    pub method: RefundMethod,
    pub status: RefundStatus,
    pub status_label: String,
    /// Why it failed, in words.
    pub failure: Option<String>,
    /// Duplicate, Fraudulent, Requested by the customer.
    pub reason_label: Option<String>,
    pub issued_by: Option<String>,
    pub approved_by: Option<String>,
    /// The note typed on this PC.
    pub note: Option<String>,
}

/// What a confirmed refund became.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RefundDone {
    pub refund: RefundView,
    /// "Refunded 12.50 USD to Visa ••••4242."
    pub message: String,
}

/// A refund the signed-in profile issued, for "My refunds".
#[derive(Debug, Clone, Serialize, Type)]
pub struct MyRefund {
    pub refund: RefundView,
    pub payment: String,
    pub restaurant: String,
    pub restaurant_name: String,
    pub order_number: Option<String>,
    pub gateway_label: String,
}
