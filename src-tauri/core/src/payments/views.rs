//! What the Payments & Refunds screen sends (the search box and its filters) and shows (rows).

use serde::{Deserialize, Serialize};
use specta::Type;

pub use super::search::SearchKind;
use crate::gateways::GatewayKind;
use crate::money::Money;

/// The search box and filters. Without text (and without dates) the list is today's payments.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct PaymentSearch {
    /// An order number, an amount (`12.50`), card last4, a customer email or a gateway ID
    /// (`pi_…`, `ch_…`, `re_…`, a CardPointe retref).
    #[serde(default)]
    pub text: Option<String>,
    /// One restaurant (a Stripe account or a CardConnect merchant ID); `None`: all the profile may see.
    #[serde(default)]
    pub restaurant: Option<String>,
    #[serde(default)]
    pub status: Option<PaymentStatusFilter>,
    /// `YYYY-MM-DD`, inclusive, UTC, like the other screens' date filters.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub offset: u32,
    /// Rows per page; 50 when not given.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The status filter, in the states staff tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatusFilter {
    /// Captured and not failed, refunded or not.
    Succeeded,
    /// Refunded in part or in full.
    Refunded,
    /// Authorized, waiting for capture.
    Authorized,
    /// Processing, or waiting for the customer's bank.
    Pending,
    /// Declined or failed.
    Failed,
    /// Voided before settlement.
    Voided,
}

/// Where a payment stands; [`PaymentRow::status_label`] says it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Paid,
    PartlyRefunded,
    Refunded,
    Authorized,
    Released,
    Processing,
    WaitingForBank,
    Declined,
    Failed,
    Voided,
}

/// One payment of the list or of a search.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PaymentRow {
    pub gateway: GatewayKind,
    /// "Stripe" or "CardConnect".
    pub gateway_label: String,
    /// The gateway's ID: a Stripe charge or PaymentIntent, a CardPointe retref.
    pub reference: String,
    /// Unix seconds.
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    pub amount: Money,
    pub refunded: Money,
    /// What is left to refund.
    pub refundable: Money,
    pub state: PaymentState,
    pub status_label: String,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// "Visa ••••4242".
    pub card_label: Option<String>,
    pub order_number: Option<String>,
    pub customer_email: Option<String>,
    /// A Stripe account ID (`""` for the platform) or a CardConnect merchant ID.
    pub restaurant: String,
    pub restaurant_name: String,
    /// Why a search found it (the most specific reading that did); `None` in the plain list.
    pub matched: Option<SearchKind>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PaymentPage {
    /// Matches (searches: found, up to what a search reads; see `more`).
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<PaymentRow>,
    /// A search found more than it reads: typing more narrows it.
    pub more: bool,
    /// How the text was read (empty without a search).
    pub read_as: Vec<SearchKind>,
    /// Unix seconds of the start of today (this PC's time zone) when the list is today's.
    #[specta(type = Option<specta_typescript::Number>)]
    pub today_since: Option<i64>,
}
