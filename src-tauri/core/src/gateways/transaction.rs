//! One transaction shape for every gateway, after the commerce platforms that front both Stripe
//! and CardConnect (Elastic Path's gateways return this shape for either): staff refund "an order"
//! and owners reconcile deposits without caring which gateway took the card.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Which gateway a transaction, a deposit or a restaurant belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum GatewayKind {
    Stripe,
    #[serde(rename = "cardconnect")]
    CardConnect,
}

impl GatewayKind {
    pub const ALL: [GatewayKind; 2] = [GatewayKind::Stripe, GatewayKind::CardConnect];

    /// The name stored in SQLite and written to CSV files.
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayKind::Stripe => "stripe",
            GatewayKind::CardConnect => "cardconnect",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            GatewayKind::Stripe => "Stripe",
            GatewayKind::CardConnect => "CardConnect",
        }
    }
}

/// What a transaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TxType {
    /// Card authorized, not yet captured.
    Authorize,
    /// An earlier authorization captured.
    Capture,
    /// Authorized and captured at once.
    Purchase,
    /// Money given back after capture.
    Refund,
    /// An authorization or unsettled capture cancelled.
    Void,
    /// A payment confirmed after the customer's bank asked for action (3-D Secure).
    Confirm,
}

impl TxType {
    pub const ALL: [TxType; 6] =
        [TxType::Authorize, TxType::Capture, TxType::Purchase, TxType::Refund, TxType::Void, TxType::Confirm];

    pub fn as_str(self) -> &'static str {
        match self {
            TxType::Authorize => "authorize",
            TxType::Capture => "capture",
            TxType::Purchase => "purchase",
            TxType::Refund => "refund",
            TxType::Void => "void",
            TxType::Confirm => "confirm",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Where a transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TxStatus {
    Pending,
    Complete,
    Failed,
}

impl TxStatus {
    pub const ALL: [TxStatus; 3] = [TxStatus::Pending, TxStatus::Complete, TxStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            TxStatus::Pending => "pending",
            TxStatus::Complete => "complete",
            TxStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One gateway transaction in the neutral shape. Amounts are in the currency's minor unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub gateway: GatewayKind,
    /// The gateway's own ID: a Stripe charge or PaymentIntent ID, a CardPointe `retref`.
    pub reference: String,
    pub kind: TxType,
    pub status: TxStatus,
    pub amount: i64,
    /// How much of `amount` has been refunded so far (0 for refunds and voids themselves).
    pub refunded: i64,
    /// Lower-case ISO 4217.
    pub currency: String,
    /// The restaurant's order number (Stripe `metadata[order_number]`, CardPointe `orderid`).
    pub order_ref: Option<String>,
    /// The restaurant: a Stripe connected account ID or a CardPointe merchant ID.
    pub restaurant: String,
    /// Unix seconds.
    pub created: i64,
    /// For a capture, refund or void: the reference of the transaction it acts on.
    pub parent: Option<String>,
    /// Card brand and last four digits, when the gateway says.
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// Whether the money has settled (CardPointe's batch; Stripe captures count as settled), which
    /// decides between a void and a refund. `None` when the gateway has not said.
    pub settled: Option<bool>,
}

impl Transaction {
    /// The amount formatted for a person, like the platforms' `display_price` (`$12.50`).
    pub fn display_price(&self) -> String {
        crate::money::display(self.amount, &self.currency)
    }

    /// What is left to refund.
    pub fn refundable(&self) -> i64 {
        match self.kind {
            TxType::Capture | TxType::Purchase | TxType::Confirm if self.status == TxStatus::Complete => {
                (self.amount - self.refunded).max(0)
            }
            _ => 0,
        }
    }
}
