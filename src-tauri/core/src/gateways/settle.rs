//! How a call whose outcome is unknown is settled without acting twice, for every gateway: the
//! journal keeps one of these (as JSON) beside each call, chosen when the call is made.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a call's effect is found at its gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settle {
    /// Stripe: a created object, listed at `list` (with `query`), recognised by its metadata key.
    Find { list: String, query: Vec<(String, String)> },
    /// Stripe: a settings change: read `path`, compare with the form; never re-applied.
    Read { path: String },
    /// Stripe: a state change of one object: `field` of `path` is `done` once it happened, one of
    /// `before` while it has not.
    Retrieve { path: String, field: String, done: String, before: Vec<String> },
    /// CardConnect: the call carried an order ID of its own; `inquireByOrderid` on the merchant
    /// finds it if it happened. CardPointe has no idempotency keys, so this comes before any resend.
    Inquire { merchid: String, orderid: String },
    /// No way to tell from the API: a person checks the gateway's dashboard.
    Manual,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Made(Value),
    NotMade(String),
    /// A settings change that the gateway does not show now: a later change won.
    Superseded(Value),
    CannotTell(String),
}
