#![recursion_limit = "256"]
//! A stateful local emulator of the part of the Stripe API that Merchant Desk calls.
//!
//! It is a product component, not a test stub: demo mode, integration tests and benchmarks all run
//! against it. It speaks Stripe's wire format (form-encoded bodies, `Stripe-Account` scoping,
//! Stripe-shaped errors, cursor pagination, `Request-Id`) on a loopback port.

pub mod api;
mod error;
mod events;
pub mod faults;
pub mod form;
mod ids;
mod ledger;
mod ops;
pub mod seed;
pub mod spec;
mod state;

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use emulator_kit::Running;

pub use error::ApiError;
pub use faults::{Fault, Planned, RateLimit};
pub use state::State;

/// Stripe's zero-decimal currencies: amounts are whole units (¥500 is `500`).
pub fn zero_decimal(currency: &str) -> bool {
    matches!(
        currency,
        "bif"
            | "clp"
            | "djf"
            | "gnf"
            | "jpy"
            | "kmf"
            | "krw"
            | "mga"
            | "pyg"
            | "rwf"
            | "ugx"
            | "vnd"
            | "vuv"
            | "xaf"
            | "xof"
            | "xpf"
    )
}

/// The API key demo mode uses. It unlocks only the embedded emulator, so it is not a secret.
pub const DEMO_API_KEY: &str = "sk_test_51DemoMerchantDeskRestaurantGroup0000000000000000";

/// How an emulator instance starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Loopback port; 0 picks a free one.
    pub port: u16,
    /// Secret keys the emulator accepts (`Authorization: Bearer …`). Anything else gets a 401.
    pub api_keys: Vec<String>,
    /// Seed for the demo restaurant group; `None` starts with an empty platform.
    pub seed: Option<u64>,
    /// Stripe's rate limits, or `None` for none.
    pub rate_limit: Option<RateLimit>,
    /// Added to every request.
    pub latency: std::time::Duration,
    /// Share of requests (0–100) answered with a 500.
    pub error_percent: u8,
    /// A generated platform of this size instead of the restaurant group (for benchmarks).
    pub scale: Option<seed::bulk::Scale>,
    /// Seed (and read the embedded spec) when the first request arrives rather than at start: the
    /// app's demo mode opens its window at once, and a desk that never asks the demo Stripe
    /// anything (signed in with a real key) never holds its history in memory.
    pub seed_on_first_request: bool,
}

impl Config {
    /// An empty platform that accepts the given key.
    pub fn with_key(key: impl Into<String>) -> Self {
        Self {
            port: 0,
            api_keys: vec![key.into()],
            seed: None,
            rate_limit: None,
            latency: std::time::Duration::ZERO,
            error_percent: 0,
            scale: None,
            seed_on_first_request: false,
        }
    }

    /// The seeded restaurant group that demo mode shows.
    pub fn demo() -> Self {
        Self { seed: Some(seed::DEMO_SEED), ..Self::with_key(DEMO_API_KEY) }
    }
}

/// Shared between the HTTP handlers and the owner of the [`Emulator`] (tests reach into it).
pub type SharedState = Arc<Mutex<State>>;

/// A running emulator. Dropping it stops the server. What every emulator of the family can do
/// (`base_url`, `addr`, `state`, `inject`, `set_latency`, `set_error_percent`, `set_offline`) comes
/// through [`Deref`] from the kit's [`Running`]; what is Stripe's own is here.
pub struct Emulator(Running<State>);

impl Emulator {
    /// Binds 127.0.0.1 and serves on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<Self> {
        let mut state = State::new(config.api_keys.clone());
        state.faults.rate_limit = config.rate_limit;
        state.faults.plan.configure(config.latency, config.error_percent);
        let (seed, scale) = (config.seed, config.scale);
        // The embedded OpenAPI spec is parsed here rather than by the first request's handler.
        let prepare = move |state: &mut State| {
            let _ = spec::spec();
            match (seed, scale) {
                (Some(seed), Some(scale)) => seed::bulk::platform(state, seed, scale),
                (Some(seed), None) => seed::restaurant_group(state, seed),
                (None, _) => {}
            }
        };
        let running = if config.seed_on_first_request {
            Running::start_deferred(config.port, state, prepare, api::router, "stripe").await?
        } else {
            prepare(&mut state);
            Running::start(config.port, state, api::router, "stripe").await?
        };
        // Links made by a request without a `Host` header point here (set without waiting for a
        // deferred seed).
        let base = running.base_url();
        emulator_kit::lock(&running.state()).onboarding.base_url = Some(base);
        Ok(Self(running))
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(self) {
        self.0.stop().await;
    }

    /// Adds an active US restaurant (an Express account paid out in dollars) named `name`, as
    /// tests need one; returns its ID.
    pub fn add_restaurant(&self, name: &str) -> String {
        let mut s = self.lock();
        let spec = seed::AccountSpec {
            name,
            kind: "express",
            country: "US",
            currency: "usd",
            email: "restaurant@example.com",
            standing: seed::Standing::Active,
        };
        let now = s.now();
        seed::add_account(&mut s, &spec, now)
    }

    /// Moves the simulated clock forward, running what time does at Stripe on the way: funds
    /// settle, authorizations expire, payouts go out and arrive, disputes come due.
    pub fn advance_clock(&self, by: std::time::Duration) {
        ops::clock::advance(&mut self.lock(), by.as_secs() as i64);
    }

    /// Makes the bank reject the next payout of `account` (`None`: the platform's own).
    pub fn fail_next_payout(&self, account: Option<&str>) {
        self.lock().ledger.failing_banks.insert(account.map(str::to_string));
    }

    /// Fails a pending or succeeded refund at the card issuer, as Stripe reports some days later:
    /// `failure_reason` is one of Stripe's (`lost_or_stolen_card`, `expired_or_canceled_card`,
    /// `charge_for_pending_refund_disputed`, `insufficient_funds`, `declined`, `merchant_request`,
    /// `unknown`). The money returns to the balance and the charge no longer counts the refund;
    /// `/v1/events` tells an incremental sync. Returns the failed refund.
    pub fn fail_refund(&self, refund_id: &str, failure_reason: &str) -> Result<serde_json::Value, ApiError> {
        ops::refund_status::fail(&mut self.lock(), refund_id, failure_reason)
    }

    /// The customer answers the 3-D Secure page of `payment_intent` (one that is `requires_action`
    /// after confirming with `pm_card_threeDSecure2Required` or `pm_card_authenticationRequired`),
    /// as a `POST` to `next_action.redirect_to_url.url` does. `succeed`: with automatic
    /// confirmation the card is charged now (`succeeded`, or `requires_capture` for
    /// `capture_method=manual`), with `confirmation_method=manual` the intent waits in
    /// `requires_confirmation` for the platform's `/confirm`. Failed: `requires_payment_method`
    /// with `last_payment_error.code` `payment_intent_authentication_failure`. Single use, like the
    /// page; an intent that is not awaiting authentication is refused. Returns the intent.
    pub fn authenticate(&self, payment_intent: &str, succeed: bool) -> Result<serde_json::Value, ApiError> {
        ops::three_d_secure::authenticate(&mut self.lock(), payment_intent, succeed)
    }

    /// The owner of `account` finished Stripe's onboarding: details submitted, charges and payouts
    /// enabled, capabilities active, nothing due, a verified bank account added if it had none;
    /// `account.updated` (with `previous_attributes`) is readable in the account's scope. A
    /// rejected account (`rejected.*`) cannot complete. Returns the account.
    pub fn complete_onboarding(&self, account: &str) -> Result<serde_json::Value, ApiError> {
        ops::onboarding::complete(&mut self.lock(), account)
    }

    /// Stripe asks `account` for more information: `fields` (e.g. `company.tax_id`) join
    /// `currently_due` and `eventually_due`, due by `deadline` (Unix seconds on the emulator's
    /// clock, `None`: no deadline). Once the deadline has passed — now, or when the clock reaches
    /// it — they are `past_due`, payouts stop and `disabled_reason` is `requirements.past_due`.
    /// Emits `account.updated`; returns the account.
    pub fn require(
        &self,
        account: &str,
        fields: &[&str],
        deadline: Option<i64>,
    ) -> Result<serde_json::Value, ApiError> {
        ops::onboarding::require(&mut self.lock(), account, fields, deadline)
    }

    /// `account` disconnects from the platform: `account.application.deauthorized` is emitted in its
    /// scope, and from then on the platform's key gets Stripe's 403 for it everywhere except
    /// reading its events (`GET /v1/events[/{id}]` with `Stripe-Account`); the platform's account
    /// list omits it and links already issued for it stop working.
    pub fn deauthorize(&self, account: &str) -> Result<(), ApiError> {
        ops::onboarding::deauthorize(&mut self.lock(), account)
    }

    /// Whether a disconnected account's events stay readable (default `true`); `false` answers
    /// them 403 too, so the platform learns of the disconnection only from being refused.
    pub fn set_revoked_events_readable(&self, readable: bool) {
        self.lock().onboarding.revoked_events_readable = readable;
    }

    /// How long account links and login links made from now on stay usable (default 5 minutes;
    /// whole seconds of the emulator's clock), so tests can watch a link expire.
    pub fn set_account_link_lifetime(&self, lifetime: std::time::Duration) {
        self.lock().onboarding.link_lifetime = lifetime.as_secs() as i64;
    }

    /// Turns Stripe's rate limits on or off while running.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.lock().faults.rate_limit = limit;
    }

    /// Requests answered 429 so far.
    pub fn rate_limited_count(&self) -> u64 {
        self.lock().faults.rate_limited
    }
}

impl Deref for Emulator {
    type Target = Running<State>;
    fn deref(&self) -> &Running<State> {
        &self.0
    }
}
