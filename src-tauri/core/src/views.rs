//! What crosses to the UI. These types are the single definition: the TypeScript the UI imports is
//! generated from them (see the shell's `bindings` module).

use serde::Serialize;
use specta::Type;

use crate::accounts::AccountStatus;
use crate::money::Money;
use crate::permissions::{Action, Role};

/// Stable, machine-readable error codes. The UI branches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The pasted key does not look like a Stripe secret or restricted key.
    InvalidKeyFormat,
    /// Stripe refused the key (revoked, mistyped, wrong account).
    KeyRejected,
    /// The API base URL setting is not a usable URL.
    InvalidBaseUrl,
    /// No OS keyring is reachable, or it is locked.
    KeyringUnavailable,
    /// The active profile's role does not allow this action.
    RoleForbidden,
    /// Stripe could not be reached.
    Offline,
    /// Stripe asked us to slow down.
    RateLimited,
    /// Stripe returned an error that is not one of the above.
    StripeError,
    /// The local database failed.
    Storage,
    /// A bug or an unexpected state.
    Internal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionMode {
    /// The embedded emulator with the seeded restaurant group.
    Demo,
    /// A Stripe test-mode key: real API, test data.
    Test,
    /// A live key: real money.
    Live,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ConnectionView {
    pub mode: ConnectionMode,
    /// `sk_test_…4eC3`; `None` in demo mode.
    pub masked_key: Option<String>,
    /// The API the app talks to now.
    pub api_base_url: String,
    /// The API a pasted key will be checked against.
    pub configured_api_base_url: String,
    /// Set when a key may be stored but the keyring could not be read.
    pub keyring_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ProfileView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub role_label: String,
}

/// Everything the frame needs: who is here, how we are connected, what they may do.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SessionView {
    pub profile: ProfileView,
    pub connection: ConnectionView,
    pub allowed: Vec<Action>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct BalanceLine {
    pub currency: String,
    pub available: Money,
    pub pending: Money,
    pub connect_reserved: Money,
    pub instant_available: Money,
}

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
    /// RFC 3339 time of the last successful sync; `None` before the first.
    pub last_synced_at: Option<String>,
}
