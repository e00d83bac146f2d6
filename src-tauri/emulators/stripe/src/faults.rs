//! Faults on demand, switchable per test: Stripe's rate limits (429 with `Stripe-Should-Retry`),
//! plus what every emulator of the family does through [`emulator_kit::faults`]: latency, server
//! errors, and connections dropped after the request was carried out.

use std::collections::HashMap;

use emulator_kit::FaultPlan;

/// Requests per second, as Stripe publishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub overall: u32,
    /// Per endpoint (method and resource); `None` when only the overall limit applies.
    pub per_endpoint: Option<u32>,
}

impl RateLimit {
    /// Live mode: 100 requests/s overall, 25/s per endpoint.
    pub const LIVE: RateLimit = RateLimit { overall: 100, per_endpoint: Some(25) };
    /// Test mode: 25 requests/s overall.
    pub const TEST: RateLimit = RateLimit { overall: 25, per_endpoint: None };
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 500 before anything is done.
    ServerError,
    /// The request is carried out (and its idempotent result stored), then the connection drops
    /// without an answer: the caller cannot tell whether it happened.
    DropAfterProcessing,
    /// 429 as if the rate limit were hit.
    RateLimited,
}

impl Fault {
    /// The family's own fault this one is, if it is not Stripe's alone.
    pub fn shared(self) -> Option<emulator_kit::Fault> {
        match self {
            Fault::ServerError => Some(emulator_kit::Fault::ServerError),
            Fault::DropAfterProcessing => Some(emulator_kit::Fault::DropAfterProcessing),
            Fault::RateLimited => None,
        }
    }
}

/// A fault waiting for the next request that matches.
pub type Planned = emulator_kit::Planned<Fault>;

/// The fault settings of a running emulator.
#[derive(Debug, Default)]
pub struct Faults {
    pub rate_limit: Option<RateLimit>,
    /// Latency, a share of 500s and planned faults, as every emulator of the family has them.
    pub plan: FaultPlan<Fault>,
    window_start_ms: u64,
    overall_count: u32,
    endpoint_counts: HashMap<String, u32>,
    /// Requests refused with 429 so far (benchmarks report it).
    pub rate_limited: u64,
}

impl Faults {
    /// Counts the request in the current one-second window; `false` when over a limit.
    pub fn admit(&mut self, endpoint: &str, now_ms: u64) -> bool {
        let Some(limit) = self.rate_limit else { return true };
        if now_ms.saturating_sub(self.window_start_ms) >= 1_000 {
            self.window_start_ms = now_ms;
            self.overall_count = 0;
            self.endpoint_counts.clear();
        }
        if self.overall_count >= limit.overall {
            self.rate_limited += 1;
            return false;
        }
        if let Some(per) = limit.per_endpoint {
            let count = self.endpoint_counts.entry(endpoint.to_string()).or_default();
            if *count >= per {
                self.rate_limited += 1;
                return false;
            }
            *count += 1;
        }
        self.overall_count += 1;
        true
    }
}

/// The endpoint a request counts against: method plus the resource, with IDs folded
/// (`GET /v1/accounts/acct_1` and `GET /v1/accounts/acct_2` share a limit).
pub fn endpoint_of(method: &str, path: &str) -> String {
    let folded: Vec<&str> = path.split('/').map(|seg| if looks_like_id(seg) { "{id}" } else { seg }).collect();
    format!("{method} {}", folded.join("/"))
}

/// `acct_1Ab…`, `pi_3X…`: a short lower-case prefix, then a body with a digit or capital letter
/// (resource names such as `balance_transactions` have neither).
fn looks_like_id(segment: &str) -> bool {
    match segment.split_once('_') {
        Some((prefix, body)) => {
            (1..=6).contains(&prefix.len())
                && prefix.chars().all(|c| c.is_ascii_lowercase())
                && body.chars().any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_limits_count_overall_and_per_endpoint_in_one_second_windows() {
        let mut f = Faults { rate_limit: Some(RateLimit::LIVE), ..Faults::default() };
        let balance = endpoint_of("GET", "/v1/balance");
        for _ in 0..25 {
            assert!(f.admit(&balance, 1_000));
        }
        assert!(!f.admit(&balance, 1_500), "26th on one endpoint within a second");
        for i in 0..75 {
            assert!(f.admit(&format!("GET /v1/e{i}"), 1_600));
        }
        assert!(!f.admit("GET /v1/other", 1_700), "101st overall");
        assert!(f.admit(&balance, 2_000), "a new second");
        assert_eq!(f.rate_limited, 2);
    }

    #[test]
    fn ids_fold_into_one_endpoint() {
        assert_eq!(endpoint_of("GET", "/v1/accounts/acct_1Ab2Cd3Ef4Gh5Ij6"), "GET /v1/accounts/{id}");
        assert_eq!(
            endpoint_of("POST", "/v1/payment_intents/pi_3Abcdefghij/capture"),
            "POST /v1/payment_intents/{id}/capture"
        );
        assert_eq!(endpoint_of("GET", "/v1/balance_transactions"), "GET /v1/balance_transactions");
    }
}
