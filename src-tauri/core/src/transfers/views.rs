//! What the Transfers screen sends and shows.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::money::Money;

/// A new transfer as typed: the amount in major units of `currency` ("12.50").
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TransferForm {
    /// The restaurant (`acct_…`).
    pub restaurant: String,
    pub amount: String,
    /// Three letters, e.g. `usd`.
    pub currency: String,
    /// What it is for, as Stripe and the restaurant see it ("Weekly tips, 1–7 Dec").
    pub description: String,
}

/// A reversal as typed: all that is left when `amount` is `None`.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct ReversalForm {
    pub transfer: String,
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A page of the transfers list, with how many match in all.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TransferPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<TransferRow>,
}

/// One transfer of the list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TransferRow {
    pub id: String,
    pub restaurant: String,
    pub restaurant_name: String,
    pub amount: Money,
    /// Clawed back so far.
    pub reversed: Money,
    /// What may still be reversed.
    pub left: Money,
    pub description: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    /// "Sent", "Partly reversed", "Reversed".
    pub status_label: String,
    /// Whether the signed-in profile may reverse it now (and why not, when not).
    pub cannot_reverse: Option<String>,
}

/// One reversal of a transfer.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReversalRow {
    pub id: String,
    pub amount: Money,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    /// The reason typed when it was made (kept at Stripe in its metadata).
    pub reason: Option<String>,
}

/// A transfer opened: its reversals, newest first.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TransferDetail {
    pub row: TransferRow,
    pub reversals: Vec<ReversalRow>,
}

/// The list's filter.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct TransferFilter {
    /// Only this restaurant's.
    #[serde(default)]
    pub restaurant: Option<String>,
}
