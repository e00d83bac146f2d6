//! Typed views of Stripe objects. Only the fields we use are named; unknown fields are ignored and
//! missing optional ones default, so a newer API version does not break the app. The raw JSON is
//! kept beside them in the cache.

use serde::Deserialize;

/// A page of a list endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BalanceAmount {
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Balance {
    #[serde(default)]
    pub available: Vec<BalanceAmount>,
    #[serde(default)]
    pub pending: Vec<BalanceAmount>,
    #[serde(default)]
    pub connect_reserved: Vec<BalanceAmount>,
    #[serde(default)]
    pub instant_available: Vec<BalanceAmount>,
    #[serde(default)]
    pub livemode: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BusinessProfile {
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Requirements {
    #[serde(default)]
    pub currently_due: Vec<String>,
    #[serde(default)]
    pub eventually_due: Vec<String>,
    #[serde(default)]
    pub past_due: Vec<String>,
    pub disabled_reason: Option<String>,
    pub current_deadline: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Dashboard {
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountSettings {
    #[serde(default)]
    pub dashboard: Dashboard,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub country: Option<String>,
    pub default_currency: Option<String>,
    pub email: Option<String>,
    pub created: Option<i64>,
    #[serde(default)]
    pub charges_enabled: bool,
    #[serde(default)]
    pub payouts_enabled: bool,
    #[serde(default)]
    pub details_submitted: bool,
    #[serde(default)]
    pub business_profile: Option<BusinessProfile>,
    #[serde(default)]
    pub requirements: Option<Requirements>,
    #[serde(default)]
    pub settings: Option<AccountSettings>,
}

impl Account {
    /// The name a person recognises: business name, then dashboard name, then email, then ID.
    pub fn display_name(&self) -> String {
        self.business_profile
            .as_ref()
            .and_then(|p| p.name.clone())
            .or_else(|| self.settings.as_ref().and_then(|s| s.dashboard.display_name.clone()))
            .or_else(|| self.email.clone())
            .unwrap_or_else(|| self.id.clone())
    }
}

/// A status or type Stripe may extend: known values, or `Other` with what was sent.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
            /// A value this version of the app does not know yet.
            Other(String),
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(match s.as_str() {
                    $($text => $name::$variant,)+
                    _ => $name::Other(s),
                })
            }
        }
    };
}

open_enum!(
    /// `payout.status`.
    PayoutStatus { Pending = "pending", InTransit = "in_transit", Paid = "paid", Failed = "failed", Canceled = "canceled" }
);
open_enum!(
    /// `payment_intent.status`.
    PaymentIntentStatus {
        RequiresPaymentMethod = "requires_payment_method",
        RequiresConfirmation = "requires_confirmation",
        RequiresAction = "requires_action",
        Processing = "processing",
        RequiresCapture = "requires_capture",
        Canceled = "canceled",
        Succeeded = "succeeded",
    }
);
open_enum!(
    /// `dispute.status`.
    DisputeStatus {
        WarningNeedsResponse = "warning_needs_response",
        WarningUnderReview = "warning_under_review",
        WarningClosed = "warning_closed",
        NeedsResponse = "needs_response",
        UnderReview = "under_review",
        Won = "won",
        Lost = "lost",
    }
);

/// An expandable field: an ID, or the object when expanded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(Box<T>),
}

impl<T: HasId> Expandable<T> {
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(o) => o.id(),
        }
    }
}

pub trait HasId {
    fn id(&self) -> &str;
}

macro_rules! has_id {
    ($($t:ty),+) => { $(impl HasId for $t { fn id(&self) -> &str { &self.id } })+ };
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FeeDetail {
    pub amount: i64,
    pub currency: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BalanceTransaction {
    pub id: String,
    pub amount: i64,
    pub available_on: i64,
    pub created: i64,
    pub currency: String,
    pub description: Option<String>,
    pub fee: i64,
    #[serde(default)]
    pub fee_details: Vec<FeeDetail>,
    pub net: i64,
    pub reporting_category: String,
    /// The charge, refund, payout… it records (an ID unless expanded; kept as JSON then).
    pub source: Option<serde_json::Value>,
    pub status: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Payout {
    pub id: String,
    pub amount: i64,
    pub arrival_date: i64,
    pub automatic: bool,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
    pub created: i64,
    pub currency: String,
    pub description: Option<String>,
    pub destination: Option<serde_json::Value>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
    pub method: String,
    pub status: PayoutStatus,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    #[serde(default)]
    pub amount_capturable: i64,
    #[serde(default)]
    pub amount_received: i64,
    pub application_fee_amount: Option<i64>,
    pub capture_method: String,
    pub created: i64,
    pub currency: String,
    pub customer: Option<serde_json::Value>,
    pub description: Option<String>,
    pub latest_charge: Option<Expandable<Charge>>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
    pub status: PaymentIntentStatus,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CardDetails {
    pub brand: Option<String>,
    pub last4: Option<String>,
    pub exp_month: Option<i64>,
    pub exp_year: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct PaymentMethodDetails {
    pub card: Option<CardDetails>,
    #[serde(rename = "type", default)]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Charge {
    pub id: String,
    pub amount: i64,
    pub amount_captured: i64,
    pub amount_refunded: i64,
    pub balance_transaction: Option<Expandable<BalanceTransaction>>,
    pub captured: bool,
    pub created: i64,
    pub currency: String,
    pub disputed: bool,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
    pub paid: bool,
    pub payment_intent: Option<serde_json::Value>,
    pub payment_method_details: Option<PaymentMethodDetails>,
    pub refunded: bool,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    pub charge: Option<Expandable<Charge>>,
    pub created: i64,
    pub currency: String,
    #[serde(default)]
    pub metadata: Option<std::collections::BTreeMap<String, String>>,
    pub payment_intent: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EvidenceDetails {
    pub due_by: Option<i64>,
    pub has_evidence: bool,
    pub past_due: bool,
    pub submission_count: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Dispute {
    pub id: String,
    pub amount: i64,
    pub charge: Expandable<Charge>,
    pub created: i64,
    pub currency: String,
    /// Every evidence field, as Stripe sends them (text, or file IDs).
    pub evidence: std::collections::BTreeMap<String, serde_json::Value>,
    pub evidence_details: EvidenceDetails,
    pub is_charge_refundable: bool,
    pub payment_intent: Option<serde_json::Value>,
    pub reason: String,
    pub status: DisputeStatus,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TransferReversal {
    pub id: String,
    pub amount: i64,
    pub created: i64,
    pub currency: String,
    pub transfer: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub amount: i64,
    pub amount_reversed: i64,
    pub created: i64,
    pub currency: String,
    pub description: Option<String>,
    pub destination: Option<serde_json::Value>,
    #[serde(default)]
    pub metadata: std::collections::BTreeMap<String, String>,
    pub reversals: List<TransferReversal>,
    pub reversed: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApplicationFee {
    pub id: String,
    pub account: serde_json::Value,
    pub amount: i64,
    pub amount_refunded: i64,
    pub charge: serde_json::Value,
    pub created: i64,
    pub currency: String,
    pub refunded: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    pub id: String,
    pub account: Option<String>,
    pub created: i64,
    pub data: EventData,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
    pub previous_attributes: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct File {
    pub id: String,
    pub created: i64,
    pub filename: Option<String>,
    pub purpose: String,
    pub size: i64,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AccountLink {
    pub created: i64,
    pub expires_at: i64,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LoginLink {
    pub created: i64,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Customer {
    pub id: String,
    pub created: i64,
    pub email: Option<String>,
    pub name: Option<String>,
}

has_id!(
    BalanceTransaction,
    Payout,
    PaymentIntent,
    Charge,
    Refund,
    Dispute,
    Transfer,
    TransferReversal,
    ApplicationFee,
    Event,
    File,
    Customer
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_enum_values_and_unknown_fields_do_not_break_decoding() {
        let payout: Payout = serde_json::from_value(serde_json::json!({
            "id": "po_1", "amount": 100, "arrival_date": 1, "automatic": true, "balance_transaction": "txn_1",
            "created": 1, "currency": "usd", "method": "standard", "status": "reversed_by_bank", "type": "bank_account",
            "a_field_from_2030": {"nested": true}
        }))
        .unwrap();
        assert_eq!(payout.status, PayoutStatus::Other("reversed_by_bank".into()));
        assert_eq!(payout.balance_transaction.unwrap().id(), "txn_1");
    }
}
