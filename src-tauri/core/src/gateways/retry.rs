//! When to try a request again, and after how long: bounded exponential back-off with full jitter
//! for connection errors, 409, 429 and 5xx; `Stripe-Should-Retry` overrides the status, and
//! `Retry-After` (or CardPointe's rate-limit header) sets the minimum wait. A 4xx that is the
//! caller's fault is never retried. [`drive`] is the one loop both gateway clients retry with.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self { max_attempts: 6, base: Duration::from_millis(250), max_delay: Duration::from_secs(8) }
    }
}

/// What the last attempt looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No answer: refused connection, reset, timeout, a dropped answer.
    NoAnswer,
    Answer {
        status: u16,
        should_retry: Option<bool>,
        retry_after: Option<Duration>,
    },
}

impl Policy {
    /// `Some(wait)` to try again after `attempt` (1-based) ended with `outcome`, `None` to stop.
    pub fn next(&self, attempt: u32, outcome: Outcome) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let (retry, floor) = match outcome {
            Outcome::NoAnswer => (true, Duration::ZERO),
            Outcome::Answer { status, should_retry, retry_after } => {
                let by_status = status == 409 || status == 429 || status >= 500;
                (
                    should_retry.unwrap_or(by_status) && !(200..300).contains(&status),
                    retry_after.unwrap_or(Duration::ZERO),
                )
            }
        };
        if !retry {
            return None;
        }
        let exp = self.base.saturating_mul(1u32 << (attempt - 1).min(16)).min(self.max_delay);
        // Full jitter spreads retries of many clients; Retry-After is a floor, capped too.
        let jittered = exp.mul_f64(fastrand::f64());
        Some(jittered.max(floor.min(self.max_delay * 4)))
    }
}

/// Sends with `attempt` until it succeeds or `policy` says stop, waiting between attempts; each
/// attempt answers its result and how it ended. `what` names the request in the log ("Stripe
/// request", "CardPointe read"). Only for calls that are safe to send again.
pub async fn drive<T, E, Fut>(policy: &Policy, what: &str, mut attempt: impl FnMut() -> Fut) -> Result<T, E>
where
    E: Display,
    Fut: Future<Output = (Result<T, E>, Outcome)>,
{
    let mut number = 1;
    loop {
        let (result, outcome) = attempt().await;
        match (&result, policy.next(number, outcome)) {
            (Ok(_), _) | (Err(_), None) => return result,
            (Err(err), Some(wait)) => {
                tracing::info!(attempt = number, wait_ms = wait.as_millis() as u64, error = %err, "retrying {what}");
                tokio::time::sleep(wait).await;
                number += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Outcome {
        Outcome::Answer { status, should_retry: None, retry_after: None }
    }

    #[test]
    fn retries_what_stripe_says_is_transient() {
        let p = Policy::default();
        for status in [409, 429, 500, 502, 503] {
            assert!(p.next(1, answer(status)).is_some(), "{status}");
        }
        assert!(p.next(1, Outcome::NoAnswer).is_some());
        for status in [200, 400, 401, 402, 403, 404] {
            assert!(p.next(1, answer(status)).is_none(), "{status}");
        }
    }

    #[test]
    fn stripe_should_retry_overrides_and_retry_after_is_honoured() {
        let p = Policy::default();
        assert!(p.next(1, Outcome::Answer { status: 500, should_retry: Some(false), retry_after: None }).is_none());
        assert!(p.next(1, Outcome::Answer { status: 400, should_retry: Some(true), retry_after: None }).is_some());
        let wait = p
            .next(
                1,
                Outcome::Answer { status: 429, should_retry: Some(true), retry_after: Some(Duration::from_secs(2)) },
            )
            .unwrap();
        assert!(wait >= Duration::from_secs(2));
    }

    #[test]
    fn back_off_is_bounded() {
        let p = Policy::default();
        for attempt in 1..p.max_attempts {
            let wait = p.next(attempt, Outcome::NoAnswer).unwrap();
            assert!(wait <= p.max_delay, "{attempt}: {wait:?}");
        }
        assert!(p.next(p.max_attempts, Outcome::NoAnswer).is_none());
    }
}
