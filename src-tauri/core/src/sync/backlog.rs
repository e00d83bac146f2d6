//! How many requests each endpoint of a full sync still has to make, told to the rate limiter,
//! which lets the endpoint with the most go first under the overall limit. Without it every
//! endpoint got an equal share, the short ones finished early and the longest one
//! (`/v1/balance_transactions`) walked alone at 25/s at the end, a quarter of the overall limit.
//!
//! An endpoint with a chain of pages to walk (a slice of the platform's lists, or a list past its
//! first page) comes before every endpoint without: a chain shows how long it is only as it is
//! read, so chains are walked first and the end of the sync is single pages, which the count of
//! tasks left spreads evenly over the endpoints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::tasks::Task;
use crate::gateways::stripe::limiter::{endpoint_of, RateLimiter};

/// Added to the backlog of an endpoint with chains left: more than any count of tasks.
const CHAINS_FIRST: u64 = 1 << 32;

#[derive(Debug, Default)]
struct Left {
    endpoint: String,
    /// Tasks queued or under way.
    tasks: u64,
    /// Of those, parts of a chain.
    chains: u64,
}

impl Left {
    fn backlog(&self) -> u64 {
        self.tasks + if self.chains > 0 { CHAINS_FIRST } else { 0 }
    }
}

pub struct Backlog {
    limiter: Arc<RateLimiter>,
    left: Mutex<HashMap<&'static str, Left>>,
}

impl Backlog {
    pub fn new(limiter: Arc<RateLimiter>) -> Self {
        Self { limiter, left: Mutex::default() }
    }

    /// `task` is queued.
    pub fn add(&self, task: &Task) {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        let kind = left
            .entry(task.kind)
            .or_insert_with(|| Left { endpoint: endpoint_of("GET", &format!("/v1/{}", task.kind)), ..Left::default() });
        kind.tasks += 1;
        kind.chains += u64::from(task.chain());
        self.limiter.set_backlog(&kind.endpoint, kind.backlog());
    }

    /// `task` was read (or given up); `next` is the page after it, if any.
    pub fn done(&self, task: &Task, next: Option<&Task>) {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        let Some(kind) = left.get_mut(task.kind) else { return };
        kind.tasks = kind.tasks.saturating_sub(1);
        kind.chains = kind.chains.saturating_sub(u64::from(task.chain()));
        if let Some(next) = next {
            kind.tasks += 1;
            kind.chains += u64::from(next.chain());
        }
        self.limiter.set_backlog(&kind.endpoint, kind.backlog());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_come_first_then_the_most_tasks() {
        let limiter = RateLimiter::new(100.0, Some(25.0));
        let mut tasks: Vec<Task> =
            (0..3).map(|i| Task::new(&format!("acct_{i}"), "charges", None, None, "charges".into())).collect();
        let slice = Task::new("", "application_fees", None, Some((Some(0), Some(100))), "application_fees#1".into());
        tasks.push(slice.clone());
        let backlog = Backlog::new(limiter);
        tasks.iter().for_each(|t| backlog.add(t));
        let left = |kind: &str| backlog.left.lock().unwrap()[kind].backlog();
        assert_eq!((left("charges"), left("application_fees")), (3, CHAINS_FIRST + 1));
        // A list with a second page becomes a chain; its last page ends it.
        let second = tasks[0].next("ch_1".into());
        backlog.done(&tasks[0], Some(&second));
        assert_eq!(left("charges"), CHAINS_FIRST + 3);
        backlog.done(&second, None);
        assert_eq!(left("charges"), 2);
        backlog.done(&slice, None);
        assert_eq!(left("application_fees"), 0);
    }
}
