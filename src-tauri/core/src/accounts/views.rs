//! What the Accounts screens send and show.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::requirements::RequirementsView;
use super::status::AccountStatus;
use crate::gateways::GatewayKind;
use crate::money::Money;

/// The list's search and filters.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct AccountsFilter {
    /// Words of the name, or an ID's start.
    #[serde(default)]
    pub search: Option<String>,
    /// active, pending, restricted, disabled.
    #[serde(default)]
    pub status: Option<String>,
    /// standard, express, custom.
    #[serde(default)]
    pub kind: Option<String>,
}

/// One restaurant of the list: a Stripe connected account, or a CardConnect merchant.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountListRow {
    pub gateway: GatewayKind,
    /// `acct_…`, or the CardConnect merchant ID.
    pub id: String,
    pub name: String,
    /// standard, express, custom; "cardconnect" for a CardConnect merchant.
    pub kind: String,
    pub country: Option<String>,
    pub default_currency: Option<String>,
    pub status: AccountStatus,
    /// Why it is not active, in words.
    pub status_words: Option<String>,
    pub due_count: u32,
    pub past_due_count: u32,
    #[specta(type = Option<specta_typescript::Number>)]
    pub nearest_deadline: Option<i64>,
    /// "2 due by 12 Dec", "Nothing due".
    pub requirements_summary: String,
    #[specta(type = Option<specta_typescript::Number>)]
    pub created: Option<i64>,
    /// The platform no longer reaches it (`account.application.deauthorized`).
    pub disconnected: bool,
}

/// A connected account in a picker (taking a payment, transfers): enough to name it and to say
/// whether money may go to it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountChoice {
    pub id: String,
    pub name: String,
    pub status: AccountStatus,
    pub disconnected: bool,
}

/// One page of the list: `rows` from `offset`, of `total` matching.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<AccountListRow>,
}

/// A capability (card_payments, transfers) and where it stands.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CapabilityView {
    pub name: String,
    /// "Card payments".
    pub label: String,
    /// active, inactive, pending.
    pub status: String,
}

/// One connected account opened.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountDetail {
    pub row: AccountListRow,
    pub email: Option<String>,
    pub business_name: Option<String>,
    pub mcc: Option<String>,
    pub mcc_name: Option<String>,
    pub url: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    /// The payout schedule in words ("Daily, 2 days after payment").
    pub payout_schedule: Option<String>,
    /// The latest payouts (newest first), when the profile may see payouts.
    pub recent_payouts: Vec<crate::payouts::views::PayoutRow>,
    pub capabilities: Vec<CapabilityView>,
    pub requirements: RequirementsView,
    /// Available and pending in the default currency, when synced.
    pub available: Option<Money>,
    pub pending: Option<Money>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    /// When it disconnected from the platform, and what that means, in a sentence.
    pub disconnected: Option<String>,
    /// Whether the signed-in profile may make onboarding and dashboard links, or only update links.
    pub may_manage: bool,
    pub may_send_update: bool,
}
