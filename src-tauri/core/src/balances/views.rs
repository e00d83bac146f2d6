//! What the balances screen shows and sends.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::money::Money;
use crate::views::BalanceLine;

/// One scope's balance: the platform's own (`account` is empty) or a connected account's.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ScopeBalance {
    /// `acct_…`, or `""` for the platform.
    pub account: String,
    pub name: String,
    pub country: Option<String>,
    pub lines: Vec<BalanceLine>,
    /// RFC 3339 time the balance was read from Stripe.
    pub synced_at: Option<String>,
}

/// Filters of the balance history. Dates are `YYYY-MM-DD`, inclusive, UTC.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct HistoryFilter {
    /// `acct_…`, or `""` for the platform.
    pub account: String,
    /// A balance transaction type (`charge`, `refund`, `payout`…); `None` for all.
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// An ID (of the transaction or its source, or their start), an amount or part of the description.
    #[serde(default)]
    pub search: Option<String>,
}

/// One balance transaction.
#[derive(Debug, Clone, Serialize, Type)]
pub struct HistoryRow {
    pub id: String,
    /// Unix seconds.
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    /// Unix seconds when the funds are (or were) available.
    #[specta(type = specta_typescript::Number)]
    pub available_on: i64,
    /// Stripe's type, e.g. `charge`.
    pub kind: String,
    /// The type in words, e.g. "Payment".
    pub kind_label: String,
    pub description: Option<String>,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
    /// The charge, refund, payout… it records.
    pub source: Option<String>,
    /// `pending` or `available`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct HistoryPage {
    /// Rows matching the filter in all; `rows` is one page of them, newest first.
    pub total: u32,
    /// `total` is only "at least": a search many descriptions hold is counted some way past the
    /// page, not to the end.
    pub total_at_least: bool,
    pub offset: u32,
    pub rows: Vec<HistoryRow>,
    /// The types present in this scope, for the type filter.
    pub kinds: Vec<KindOption>,
}

/// A balance transaction type for the type filter: Stripe's value and its words.
#[derive(Debug, Clone, Serialize, Type)]
pub struct KindOption {
    pub value: String,
    pub label: String,
}
