//! What the overview screen shows: the platform's balance and every restaurant with its status.

use serde::Serialize;
use specta::Type;

use crate::accounts::AccountStatus;
use crate::money::Money;
use crate::views::{BalanceLine, MerchantEntry};

#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    /// standard, express or custom.
    pub kind: String,
    pub country: String,
    pub default_currency: String,
    pub status: AccountStatus,
    /// Why the account is not active, in words.
    pub status_reason: Option<String>,
    /// Items Stripe needs, past due first.
    pub requirements_due: Vec<String>,
    /// Unix seconds of the deadline for `currently_due`.
    #[specta(type = Option<specta_typescript::Number>)]
    pub requirements_deadline: Option<i64>,
    /// Available balance in the account's default currency, when synced.
    pub available: Option<Money>,
    pub pending: Option<Money>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct OverviewView {
    pub platform_balance: Vec<BalanceLine>,
    pub accounts: Vec<AccountRow>,
    /// The restaurants on CardConnect (Settings → CardConnect), by name.
    pub cardconnect: Vec<MerchantEntry>,
    /// RFC 3339 time of the last successful sync; `None` before the first.
    pub last_synced_at: Option<String>,
}
