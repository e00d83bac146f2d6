//! A stateful local emulator of the CardPointe Gateway REST API (CardConnect), the part Merchant
//! Desk calls: `auth` (with capture for a purchase, by card, token or stored profile), `capture`,
//! `void`, `voidByOrderId`, `refund`, `inquire`, `inquireByOrderid`, `inquireMerchant`,
//! `settlestat` and `funding`, at `/cardconnect/rest/…` on a loopback port.
//!
//! Like the Stripe emulator it is a product component, not a stub: demo mode and integration
//! tests run against it. It answers as CardPointe does (see `API.md` for the facts it relies on
//! and where they come from): HTTP Basic credentials or a 401; approval, retry or refusal in
//! `respstat` A/B/C with CardPointe's own codes and texts, always HTTP 200; captures queued in the
//! merchant's batch, settled each night and deposited the next day on a simulated clock; the
//! UAT test cards and amount-driven response codes; and the family's faults from
//! [`emulator_kit`].

mod amount;
mod api;
pub mod codes;
pub mod model;
pub mod ops;
pub mod seed;
pub mod state;
mod wire;

use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use emulator_kit::Running;

pub use emulator_kit::Fault;
pub use state::{Snapshot, State};

/// The demo restaurant group's site: in production its URL would be `https://harborvine.cardconnect.com`.
pub const DEMO_SITE: &str = "harborvine";
/// The demo API user. With [`DEMO_API_PASSWORD`] it unlocks only the local emulator.
pub const DEMO_API_USER: &str = "harborvine_api";
/// Not a secret: it unlocks only the emulator running on this computer.
pub const DEMO_API_PASSWORD: &str = "local-emulator-demo";
/// "Harbor & Vine Lakeside Kitchen" (USD, US).
pub const DEMO_MERCHID_LAKESIDE: &str = "496400000113";
/// "Vine Street Taqueria" (USD, US).
pub const DEMO_MERCHID_TAQUERIA: &str = "496400000114";

/// How an emulator instance starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Loopback port; 0 picks a free one.
    pub port: u16,
    /// The only credentials the emulated site accepts (HTTP Basic); anything else gets a 401.
    pub api_user: String,
    pub api_password: String,
    pub site: String,
    /// Seed for the demo restaurants and their history; `None` starts with no merchants.
    pub seed: Option<u64>,
    /// Added to every request.
    pub latency: Duration,
    /// Share of requests (0–100) answered with a 500.
    pub error_percent: u8,
    /// Seed when the first request arrives rather than at start (the app's demo mode: see the
    /// Stripe emulator's `Config::seed_on_first_request`).
    pub seed_on_first_request: bool,
}

impl Config {
    /// An empty site that accepts these credentials.
    pub fn with_credentials(api_user: impl Into<String>, api_password: impl Into<String>) -> Self {
        Self {
            port: 0,
            api_user: api_user.into(),
            api_password: api_password.into(),
            site: DEMO_SITE.into(),
            seed: None,
            latency: Duration::ZERO,
            error_percent: 0,
            seed_on_first_request: false,
        }
    }

    /// The demo restaurants with 75 days of history, as demo mode shows them.
    pub fn demo() -> Self {
        Self { seed: Some(seed::DEMO_SEED), ..Self::with_credentials(DEMO_API_USER, DEMO_API_PASSWORD) }
    }
}

/// Shared between the HTTP handlers and the owner of the [`Emulator`] (tests reach into it).
pub type SharedState = Arc<Mutex<State>>;

/// A running emulator. Dropping it stops the server. What every emulator of the family can do
/// (`base_url`, `addr`, `state`, `inject`, `set_latency`, `set_error_percent`, `set_offline`) comes
/// through [`Deref`] from the kit's [`Running`]; what is CardPointe's own is here.
pub struct Emulator(Running<State>);

impl Emulator {
    /// Binds 127.0.0.1 and serves on the current tokio runtime (the API itself is under
    /// `/cardconnect/rest` of [`Running::base_url`]).
    pub async fn start(config: Config) -> std::io::Result<Self> {
        let mut state = State::new(&config.api_user, &config.api_password, &config.site);
        state.faults.configure(config.latency, config.error_percent);
        let seed = config.seed;
        let prepare = move |state: &mut State| {
            if let Some(seed) = seed {
                seed::restaurant_group(state, seed);
            }
        };
        if config.seed_on_first_request {
            Running::start_deferred(config.port, state, prepare, api::router, "cardconnect").await.map(Self)
        } else {
            prepare(&mut state);
            Running::start(config.port, state, api::router, "cardconnect").await.map(Self)
        }
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(self) {
        self.0.stop().await;
    }

    /// How many requests reached the Gateway so far.
    pub fn request_count(&self) -> u64 {
        self.lock().requests
    }

    /// Every record the Gateway keeps, to compare before and after a call that must change nothing.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot()
    }

    /// Boards a new merchant ID in `currency` (e.g. "USD") and returns it.
    pub fn add_merchant(&self, name: &str, currency: &str) -> String {
        let mut s = self.lock();
        let merchid = loop {
            let candidate = format!("4964{}", s.rng().digits(8));
            if s.merchant(&candidate).is_none() {
                break candidate;
            }
        };
        s.board(&merchid, name, currency);
        merchid
    }

    /// Lets a merchant refund captures before they settle (a configuration CardPointe offers).
    pub fn set_refund_unsettled(&self, merchid: &str, allowed: bool) {
        if let Some(m) = self.lock().merchants.get_mut(merchid) {
            m.refund_unsettled = allowed;
        }
    }

    /// Stores a card for a merchant's customer (a $0 verification with `"profile":"Y"`, as an
    /// integration would) and returns `profileid/acctid`; `None` if the card is refused.
    pub fn add_profile(&self, merchid: &str, card_number: &str, expiry: &str) -> Option<String> {
        let mut s = self.lock();
        let answer = ops::authorize::auth(
            &mut s,
            ops::authorize::AuthReq {
                merchid: Some(merchid.into()),
                account: Some(card_number.into()),
                expiry: Some(expiry.into()),
                amount: Some(serde_json::json!("0")),
                profile: Some("Y".into()),
                ..Default::default()
            },
        );
        Some(format!("{}/{}", answer["profileid"].as_str()?, answer["acctid"].as_str()?))
    }

    /// Moves the simulated clock forward, running each midnight on the way: open batches settle
    /// for the day that ended and are deposited the next day.
    pub fn advance_clock(&self, by: Duration) {
        ops::settle::advance(&mut self.lock(), by.as_secs() as i64);
    }
}

impl Deref for Emulator {
    type Target = Running<State>;
    fn deref(&self) -> &Running<State> {
        &self.0
    }
}
