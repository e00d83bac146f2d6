//! Typed settings kept in SQLite. Each key names its value type, so a caller cannot read the API
//! base URL as a number. Secrets are never settings: they live in the keyring.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::store::{Store, StoreError};

/// A setting's name and type.
pub struct Key<T> {
    pub name: &'static str,
    _type: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    const fn new(name: &'static str) -> Self {
        Self { name, _type: PhantomData }
    }
}

/// Base URL of the Stripe API the app talks to when a key is stored (default: Stripe itself).
pub const API_BASE_URL: Key<String> = Key::new("api_base_url");

/// Which platform the cached objects came from (`base URL + masked key`, or `demo`), so a cache
/// from another connection is never shown as if it were this one's.
pub const CACHE_OWNER: Key<String> = Key::new("cache_owner");

impl Store {
    pub fn get<T: DeserializeOwned>(&self, key: &Key<T>) -> Result<Option<T>, StoreError> {
        self.setting(key.name)
    }

    pub fn put<T: Serialize>(&self, key: &Key<T>, value: &T) -> Result<(), StoreError> {
        self.set_setting(key.name, value)
    }

    pub fn clear<T>(&self, key: &Key<T>) -> Result<(), StoreError> {
        self.remove_setting(key.name)
    }
}

/// The restaurants on CardConnect of a live connection (demo mode has its own). Merchant IDs are
/// not secret; the site's credentials are in the keyring.
pub const CARDCONNECT_MERCHANTS: Key<Vec<crate::views::MerchantEntry>> = Key::new("cardconnect_merchants");

/// Minutes without activity before the app locks (1–120, default 5).
pub const IDLE_LOCK_MINUTES: Key<u32> = Key::new("idle_lock_minutes");
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;

/// Refund limits per role and currency that owners set (Settings); a pair not set takes the
/// role's default (see [`crate::refunds::RefundLimits::limit`]).
pub const REFUND_LIMITS: Key<crate::refunds::RefundLimits> = Key::new("refund_limits");

/// Staff may refund up to this many major units of any currency alone (50.00 USD, ¥50) unless an
/// owner sets otherwise; above it a manager or owner approves. Other roles have no default limit.
pub const STAFF_REFUND_LIMIT_MAJOR: i64 = 50;

/// Where Stripe sends a restaurant's owner after an onboarding or update link (`return_url`), and
/// where a used or expired link leads (`refresh_url`). Not secret.
/// The platform's fee schedule as last saved on this PC (Stripe's account metadata wins when any
/// restaurant carries it: see `fees::desk`).
pub const FEE_SCHEDULE: Key<crate::fees::rules::FeeSchedule> = Key::new("fee_schedule");

pub const ACCOUNT_LINK_URLS: Key<crate::accounts::links::AccountLinkUrls> = Key::new("account_link_urls");
