//! What crosses to the UI. These types are the single definition: the TypeScript the UI imports is
//! generated from them (see the shell's `bindings` module).

use serde::{Deserialize, Serialize};
use specta::Type;

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
    /// CardConnect (the CardPointe Gateway) declined or refused the request; the message says why.
    CardConnectError,
    /// No CardConnect site is set up (Settings → CardConnect), or not for this restaurant.
    CardConnectNotSetUp,
    /// The local database failed.
    Storage,
    /// No profile is signed in (or the app locked itself after being idle).
    Locked,
    /// The PIN was wrong; the message says how many tries are left.
    WrongPin,
    /// Too many wrong PINs: the profile is locked for a while.
    PinLockedOut,
    /// The last owner or platform admin cannot be removed or demoted.
    LastAdmin,
    /// A field was missing or malformed; the message names it.
    InvalidInput,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// First-run set-up was already done.
    AlreadySetUp,
    /// A file could not be written.
    ExportFailed,
    /// An earlier money action for the same account has no known outcome yet.
    UnfinishedCall,
    /// The gateway gave no definite answer: the action may or may not have happened.
    OutcomeUnknown,
    /// The restaurant disconnected from the platform: no money is moved for it from here.
    Disconnected,
    /// A bug or an unexpected state.
    Internal,
}

/// A money or settings action whose outcome is not known yet (Settings → Unfinished money actions).
#[derive(Debug, Clone, Serialize, Type)]
pub struct UnfinishedCall {
    pub key: String,
    /// What it was, in words.
    pub summary: String,
    pub account: Option<String>,
    /// The restaurant's name, when it is cached.
    pub account_name: Option<String>,
    pub amount: Option<Money>,
    pub asked_by: String,
    /// RFC 3339.
    pub requested_at: String,
    /// `pending` (no answer recorded) or `unknown` (no definite answer).
    pub status: String,
    /// What is known, in words.
    pub known: String,
    /// Made through another Stripe connection than the current one: settled when it is back.
    pub other_connection: bool,
    /// Only a person can settle it now (another key, or past 23 hours with no lookup that tells):
    /// the screen offers "It happened" / "It did not happen" after checking the Stripe Dashboard.
    pub settle_by_hand: bool,
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

/// Settings → CardConnect as shown: never the password, only whether one is stored.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CardConnectView {
    /// A site is set up and its credentials are in the keyring (or demo mode's demo site).
    pub configured: bool,
    /// The demo site of demo mode: read-only.
    pub demo: bool,
    /// The CardPointe site (`harborvine` for `https://harborvine.cardconnect.com`).
    pub site: Option<String>,
    pub api_user: Option<String>,
    /// The address calls go to.
    pub base_url: Option<String>,
    pub merchants: Vec<MerchantEntry>,
}

/// A restaurant on CardConnect: its merchant ID and the name people know it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MerchantEntry {
    pub merchid: String,
    pub name: String,
    /// Lower-case ISO 4217; `usd` when not given.
    #[serde(default)]
    pub currency: Option<String>,
}

/// What an owner types into Settings → CardConnect.
#[derive(Clone, Deserialize, Type)]
pub struct CardConnectForm {
    pub site: String,
    pub api_user: String,
    /// Goes to the keyring and nowhere else; never sent back.
    pub password: String,
    pub merchants: Vec<MerchantEntry>,
}

impl std::fmt::Debug for CardConnectForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardConnectForm")
            .field("site", &self.site)
            .field("api_user", &self.api_user)
            .field("merchants", &self.merchants)
            .finish_non_exhaustive()
    }
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
    /// Connected accounts this profile may see; `None` means all.
    pub scope: Option<Vec<String>>,
}

/// A profile as the lock screen shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProfileChoice {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub name: String,
    pub role_label: String,
    /// Seconds until this profile may try a PIN again, after too many wrong ones.
    #[specta(type = Option<specta_typescript::Number>)]
    pub locked_for_seconds: Option<i64>,
}

/// Everything the frame needs: who is here, how we are connected, what they may do.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SessionView {
    /// `None` while locked.
    pub profile: Option<ProfileView>,
    /// No profile exists yet: the first owner or admin must be created.
    pub needs_setup: bool,
    /// Who can unlock, for the lock screen.
    pub profiles: Vec<ProfileChoice>,
    pub connection: ConnectionView,
    /// What the signed-in profile may do (empty while locked).
    pub allowed: Vec<Action>,
    pub idle_lock_minutes: u32,
}

/// Input of the profile editor.
#[derive(Clone, Deserialize, Type)]
pub struct ProfileForm {
    pub name: String,
    pub role: Role,
    /// A new PIN; `None` keeps the current one when editing.
    pub pin: Option<String>,
    /// Connected accounts the profile may see; `None` means all.
    pub scope: Option<Vec<String>>,
}

/// Never prints the PIN: forms end up in logs and panic messages.
impl std::fmt::Debug for ProfileForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileForm")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("scope", &self.scope)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct BalanceLine {
    pub currency: String,
    pub available: Money,
    pub pending: Money,
    pub connect_reserved: Money,
    pub instant_available: Money,
}

impl BalanceLine {
    /// From the cached `[available, pending, connect_reserved, instant_available]` of a currency.
    pub fn new(currency: String, [available, pending, reserved, instant]: [i64; 4]) -> Self {
        Self {
            available: Money::new(available, &currency),
            pending: Money::new(pending, &currency),
            connect_reserved: Money::new(reserved, &currency),
            instant_available: Money::new(instant, &currency),
            currency,
        }
    }
}

/// The background sync of everything, for the progress bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct SyncStatusView {
    pub running: bool,
    /// `accounts`, `lists`, `events`, … while running.
    pub phase: String,
    #[specta(type = specta_typescript::Number)]
    pub done: u64,
    #[specta(type = specta_typescript::Number)]
    pub total: u64,
    /// RFC 3339 end of the last sync, if any.
    pub last_finished_at: Option<String>,
    /// Why the last sync did not finish, in words.
    pub last_error: Option<String>,
    /// What to know about the last sync that did finish (it fell back to a full sync).
    pub last_note: Option<String>,
}

// What the capability folders show, gathered so that the shell and its type generator find every
// type that crosses to the screens in one place.
pub use crate::balances::views::*;
pub use crate::overview::views::*;
pub use crate::payments::views::*;
pub use crate::payouts::views::*;
pub use crate::store::audit::{AuditEntry, AuditFilter};

/// "bank account closed" → "Bank account closed": words from Stripe or an error, as the start of
/// a sentence for people.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
