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

/// One payment opened from the list: its timeline, the money around it, and what may be refunded.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PaymentDetail {
    pub payment: PaymentRow,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub refunds: Vec<crate::refunds::RefundView>,
    /// What the card was charged for (Stripe's description).
    pub description: Option<String>,
    /// The platform's fee on it (Stripe's application fee).
    pub platform_fee: Option<Money>,
    /// Stripe's processing fee, when its balance transaction is cached.
    pub processing_fee: Option<Money>,
    /// Direct, destination or platform (Stripe); `None` for CardConnect.
    pub charge_kind: Option<crate::refunds::ChargeKind>,
    pub charge_kind_label: Option<String>,
    /// A destination charge's transfer to the restaurant.
    pub transfer: Option<TransferInfo>,
    pub dispute: Option<DisputeInfo>,
    /// CardConnect: whether the nightly batch has settled it (void before, refund after).
    pub settled: Option<bool>,
    /// Whether the signed-in profile may refund payments at all.
    pub may_refund: bool,
    /// Why nothing can be refunded, in a sentence; `None` when something can.
    pub not_refundable: Option<String>,
    /// "Refund" or "Void" (CardConnect before settlement).
    pub refund_word: String,
    /// When the figures were last read from the gateway (RFC 3339), if known.
    pub synced_at: Option<String>,
}

/// A moment in a payment's life.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineEntry {
    /// Unix seconds.
    #[specta(type = specta_typescript::Number)]
    pub at: i64,
    /// authorized, captured, paid, declined, refund, void, dispute, transfer, settled.
    pub kind: String,
    /// "Refund of $12.50".
    pub title: String,
    pub amount: Option<Money>,
    /// Who issued and approved it, the reason, the note, the failure, in words.
    pub detail: Option<String>,
    /// A status word for a badge ("Refunded", "Failed", "Needs response").
    pub status: Option<String>,
    /// A refund's or void's status, for the badge's colour.
    pub refund_status: Option<crate::refunds::RefundStatus>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct TransferInfo {
    pub id: String,
    pub amount: Money,
    pub reversed: Money,
    pub destination: String,
    pub destination_name: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DisputeInfo {
    pub id: String,
    pub amount: Money,
    pub status: String,
    pub status_label: String,
    pub reason_label: String,
}

/// A restaurant the profile may pick in the screen's restaurant filter.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RestaurantChoice {
    /// A Stripe account ID (`""` for the platform) or a CardConnect merchant ID.
    pub id: String,
    pub name: String,
    pub gateway: GatewayKind,
}
