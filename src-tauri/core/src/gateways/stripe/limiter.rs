//! One rate limiter for every request a client sends, retries included: requests are spaced
//! evenly (no bursts at a window edge) and, as a hard cap, never more than the limit go out in any
//! sliding second. Limits are per endpoint (method and resource, IDs folded) and overall, as
//! Stripe counts them. When several endpoints wait for the overall limit, the one with the most
//! work left goes first (its backlog, as the caller estimates it): the endpoints then finish
//! together, instead of the longest one walking alone at its own limit at the end.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The window Stripe counts requests in, with a little room for the time a request takes to get
/// there (our clock and Stripe's windows do not line up).
const WINDOW: Duration = Duration::from_millis(1_010);

#[derive(Debug)]
struct Gate {
    interval: Duration,
    cap: usize,
    next: Instant,
    sent: VecDeque<Instant>,
}

impl Gate {
    fn new(per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / per_second.max(0.001)),
            cap: (per_second.floor() as usize).max(1),
            next: Instant::now(),
            sent: VecDeque::new(),
        }
    }

    /// When the next request may go: its spaced slot, or later if the window is full.
    fn earliest(&mut self, now: Instant) -> Instant {
        while self.sent.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            self.sent.pop_front();
        }
        let spaced = self.next.max(now);
        match (self.sent.len() >= self.cap, self.sent.front()) {
            (true, Some(oldest)) => spaced.max(*oldest + WINDOW),
            _ => spaced,
        }
    }

    /// Records a request sent `now`. The next slot follows the planned one, not the moment the
    /// sender woke up: timers wake late, and counting from the wake-up would drift below the rate.
    fn take(&mut self, now: Instant) {
        let floor = now.checked_sub(self.interval / 2).unwrap_or(now);
        self.next = self.next.max(floor) + self.interval;
        self.sent.push_back(now);
    }
}

/// How long a request that leaves its slot to a busier endpoint waits before it looks again.
const YIELD: Duration = Duration::from_millis(1);

#[derive(Debug)]
struct Gates {
    overall: Gate,
    endpoints: HashMap<String, Gate>,
    /// Requests waiting in `acquire`, per endpoint.
    waiting: HashMap<String, usize>,
    /// Requests left per endpoint, as the caller estimates them.
    backlog: HashMap<String, u64>,
    /// When each request went out, per endpoint: the counts, and the timeline a benchmark draws.
    sent: BTreeMap<String, Vec<Instant>>,
}

impl Gates {
    /// When a request to `endpoint` may go, under both limits.
    fn earliest(&mut self, endpoint: &str, per_endpoint: Option<f64>, now: Instant) -> Instant {
        let overall = self.overall.earliest(now);
        let Some(rate) = per_endpoint else { return overall };
        if !self.endpoints.contains_key(endpoint) {
            self.endpoints.insert(endpoint.to_string(), Gate::new(rate));
        }
        self.endpoints.get_mut(endpoint).map_or(overall, |gate| overall.max(gate.earliest(now)))
    }

    /// Whether an endpoint with more work left than `endpoint` has a request waiting that its own
    /// limit lets go now: that one takes the slot.
    fn outranked(&mut self, endpoint: &str, now: Instant) -> bool {
        let Gates { endpoints, waiting, backlog, .. } = self;
        let mine = backlog.get(endpoint).copied().unwrap_or(0);
        waiting.iter().any(|(rival, &n)| {
            n > 0
                && rival != endpoint
                && backlog.get(rival).copied().unwrap_or(0) > mine
                && endpoints.get_mut(rival).is_none_or(|gate| gate.earliest(now) <= now)
        })
    }

    fn take(&mut self, endpoint: &str, now: Instant) {
        self.overall.take(now);
        if let Some(gate) = self.endpoints.get_mut(endpoint) {
            gate.take(now);
        }
        self.sent.entry(endpoint.to_string()).or_default().push(now);
    }
}

/// A request waiting in `acquire`, counted until it goes (or its caller gives up).
struct Waiting<'a> {
    limiter: &'a RateLimiter,
    endpoint: &'a str,
}

impl<'a> Waiting<'a> {
    fn enter(limiter: &'a RateLimiter, endpoint: &'a str) -> Self {
        let mut g = limiter.gates.lock().unwrap_or_else(|p| p.into_inner());
        *g.waiting.entry(endpoint.to_string()).or_default() += 1;
        Self { limiter, endpoint }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut g = self.limiter.gates.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = g.waiting.get_mut(self.endpoint) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Limits in requests per second.
#[derive(Debug)]
pub struct RateLimiter {
    per_endpoint: Option<f64>,
    gates: Mutex<Gates>,
}

impl RateLimiter {
    pub fn new(overall: f64, per_endpoint: Option<f64>) -> Arc<Self> {
        Arc::new(Self {
            per_endpoint,
            gates: Mutex::new(Gates {
                overall: Gate::new(overall),
                endpoints: HashMap::new(),
                waiting: HashMap::new(),
                backlog: HashMap::new(),
                sent: BTreeMap::new(),
            }),
        })
    }

    /// Waits until a request to `endpoint` may be sent, and counts it.
    pub async fn acquire(&self, endpoint: &str) {
        let _waiting = Waiting::enter(self, endpoint);
        loop {
            let wait = {
                let mut g = self.gates.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                let at = g.earliest(endpoint, self.per_endpoint, now);
                if at > now {
                    at - now
                } else if g.outranked(endpoint, now) {
                    YIELD
                } else {
                    g.take(endpoint, now);
                    return;
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// How many requests `endpoint` still has to make: the overall limit goes to the endpoint with
    /// the most first. Unset, an endpoint counts as having none left.
    pub fn set_backlog(&self, endpoint: &str, requests: u64) {
        let mut g = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        g.backlog.insert(endpoint.to_string(), requests);
    }

    /// Requests sent so far, per endpoint.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        let g = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        g.sent.iter().map(|(endpoint, at)| (endpoint.clone(), at.len() as u64)).collect()
    }

    /// When each request went out since `start`, per endpoint.
    pub fn timeline(&self, start: Instant) -> BTreeMap<String, Vec<Duration>> {
        let g = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        g.sent
            .iter()
            .map(|(endpoint, at)| (endpoint.clone(), at.iter().map(|t| t.saturating_duration_since(start)).collect()))
            .collect()
    }
}

/// The endpoint a request counts against: method and path with object IDs folded, so
/// `GET /v1/accounts/acct_1` and `GET /v1/accounts/acct_2` share a limit.
pub fn endpoint_of(method: &str, path: &str) -> String {
    let folded: Vec<&str> = path.split('/').map(|seg| if looks_like_id(seg) { "{id}" } else { seg }).collect();
    format!("{method} {}", folded.join("/"))
}

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

    #[tokio::test]
    async fn no_more_than_the_limit_in_any_second() {
        let limiter = RateLimiter::new(50.0, Some(20.0));
        let start = Instant::now();
        let mut sent = Vec::new();
        for i in 0..60 {
            limiter.acquire(if i % 2 == 0 { "GET /v1/a" } else { "GET /v1/b" }).await;
            sent.push(start.elapsed());
        }
        for (i, t) in sent.iter().enumerate() {
            let in_window = sent[i..].iter().filter(|u| **u - *t < Duration::from_secs(1)).count();
            assert!(in_window <= 40, "{in_window} requests within a second from {t:?}");
        }
        assert_eq!(limiter.counts()["GET /v1/a"], 30);
    }

    #[tokio::test]
    async fn the_endpoint_with_the_most_left_goes_first() {
        let limiter = RateLimiter::new(20.0, Some(20.0));
        limiter.set_backlog("GET /v1/long", 100);
        limiter.set_backlog("GET /v1/short", 5);
        // The first slot is taken, so every request below waits for the next ones together.
        limiter.acquire("GET /v1/warm").await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for endpoint in ["GET /v1/short", "GET /v1/long"].into_iter().cycle().take(8) {
            let (limiter, order) = (limiter.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                limiter.acquire(endpoint).await;
                order.lock().unwrap().push(endpoint);
            }));
        }
        for w in waiting {
            w.await.expect("acquired");
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order[..4], ["GET /v1/long"; 4], "{order:?}");
        assert_eq!(limiter.counts()["GET /v1/short"], 4);
    }

    #[test]
    fn ids_fold() {
        assert_eq!(endpoint_of("GET", "/v1/accounts/acct_1Ab2Cd3Ef4Gh5Ij6"), "GET /v1/accounts/{id}");
        assert_eq!(endpoint_of("GET", "/v1/balance_transactions"), "GET /v1/balance_transactions");
    }
}
