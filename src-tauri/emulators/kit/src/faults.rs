//! Faults on demand, the part every gateway emulator shares: a fault planned for the next request
//! that matches a method and path prefix, latency on every request, a share of requests answered
//! with a server error, and the network lost altogether (offline). A gateway adds its own kinds
//! (Stripe's 429s) by planning its own fault type and handing the shared ones to [`respond`].

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::Rng;

/// What every gateway emulator can do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A server error before anything is done.
    ServerError,
    /// The request is carried out (and recorded), then the connection drops without an answer:
    /// the caller cannot tell whether it happened.
    DropAfterProcessing,
}

/// A fault waiting for the next request that matches.
#[derive(Debug, Clone)]
pub struct Planned<F> {
    pub fault: F,
    /// Upper-case method, or `None` for any.
    pub method: Option<String>,
    /// Path prefix, e.g. `/v1/refunds`; `None` for any.
    pub path_prefix: Option<String>,
}

impl<F> Planned<F> {
    pub fn new(fault: F, method: Option<&str>, path_prefix: Option<&str>) -> Self {
        Self { fault, method: method.map(str::to_ascii_uppercase), path_prefix: path_prefix.map(str::to_string) }
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

/// The shared fault settings of a running emulator, over the gateway's own fault type `F`.
#[derive(Debug)]
pub struct FaultPlan<F> {
    /// The network is lost: every connection drops before the gateway sees the request, whatever
    /// else is planned (see [`crate::running::cut_when_offline`]).
    pub offline: bool,
    /// Added to every request.
    pub latency: Duration,
    /// Share of requests (0–100 %) answered with a server error before processing.
    pub error_percent: u8,
    pub planned: VecDeque<Planned<F>>,
    /// Requests being handled now (see [`crate::running::Running::wait_idle`]).
    pub in_flight: usize,
    /// Its own generator, so rolling for faults never shifts seeded data.
    rolls: Rng,
}

impl<F> Default for FaultPlan<F> {
    fn default() -> Self {
        let seed = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64;
        Self {
            offline: false,
            latency: Duration::ZERO,
            error_percent: 0,
            planned: VecDeque::new(),
            in_flight: 0,
            rolls: Rng::new(seed),
        }
    }
}

impl<F> FaultPlan<F> {
    /// Plans `fault` for the next request matching `method` (any case) and `path_prefix`.
    pub fn plan(&mut self, fault: F, method: Option<&str>, path_prefix: Option<&str>) {
        self.planned.push_back(Planned::new(fault, method, path_prefix));
    }

    /// The settings an emulator starts with: `latency` on every request, `error_percent` (capped
    /// at 100) of them answered with a server error.
    pub fn configure(&mut self, latency: Duration, error_percent: u8) {
        self.latency = latency;
        self.error_percent = error_percent.min(100);
    }

    /// Takes the first planned fault matching this request.
    pub fn take_planned(&mut self, method: &str, path: &str) -> Option<F> {
        let index = self.planned.iter().position(|p| p.matches(method, path))?;
        self.planned.remove(index).map(|p| p.fault)
    }

    /// True for `error_percent` % of calls.
    pub fn roll_error(&mut self) -> bool {
        self.error_percent > 0 && self.rolls.chance(u64::from(self.error_percent.min(100)))
    }

    /// The fault for this request: a planned one first, else a random server error.
    pub fn next_fault(&mut self, method: &str, path: &str, server_error: F) -> Option<F> {
        self.take_planned(method, path).or_else(|| self.roll_error().then_some(server_error))
    }
}

/// Runs the request through a shared fault: a server error (`server_error` builds the gateway's
/// own answer) instead of the handler, or the handler followed by a dropped connection.
pub async fn respond(
    fault: Option<Fault>,
    request: Request,
    next: Next,
    server_error: impl FnOnce() -> Response,
) -> Response {
    match fault {
        Some(Fault::ServerError) => server_error(),
        Some(Fault::DropAfterProcessing) => {
            let _ = next.run(request).await;
            dropped_connection()
        }
        None => next.run(request).await,
    }
}

/// A response whose body fails at once, which makes hyper abort the connection without a complete
/// answer: the client sees a reset, not a status.
pub fn dropped_connection() -> Response {
    Response::new(Body::from_stream(Broken))
}

struct Broken;

impl futures_core::Stream for Broken {
    type Item = Result<axum::body::Bytes, std::io::Error>;
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "dropped by the emulator",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_faults_match_method_and_prefix_once() {
        let mut plan = FaultPlan::<Fault>::default();
        plan.plan(Fault::ServerError, Some("post"), Some("/cardconnect/rest/refund"));
        assert_eq!(plan.take_planned("GET", "/cardconnect/rest/refund"), None);
        assert_eq!(plan.take_planned("POST", "/cardconnect/rest/auth"), None);
        assert_eq!(plan.take_planned("POST", "/cardconnect/rest/refund"), Some(Fault::ServerError));
        assert_eq!(plan.take_planned("POST", "/cardconnect/rest/refund"), None, "used up");
        plan.plan(Fault::DropAfterProcessing, None, None);
        assert_eq!(plan.next_fault("PUT", "/x", Fault::ServerError), Some(Fault::DropAfterProcessing));
    }

    #[test]
    fn error_percent_bounds() {
        let mut plan = FaultPlan::<Fault>::default();
        assert!((0..100).all(|_| !plan.roll_error()));
        plan.error_percent = 100;
        assert!((0..100).all(|_| plan.roll_error()));
    }
}
