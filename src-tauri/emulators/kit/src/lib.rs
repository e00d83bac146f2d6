//! What Merchant Desk's gateway emulators share, so that the Stripe and CardConnect emulators read
//! as one family: the server's life (bind loopback, serve, stop gracefully), faults planned per
//! test (a 500, or an answer dropped after the work was done, plus latency, a share of 500s and
//! the network lost on demand), a simulated clock tests can move, seeded IDs, HTTP Basic
//! credentials, the handle a running emulator is driven through ([`Running`]) and its binary's
//! flags ([`cli`]).
//!
//! What is a gateway's own stays in its crate: Stripe's rate limits and 429s, CardPointe's
//! `respstat` answers, every wire format.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod faults;
pub mod rng;
pub mod running;
pub mod server;

use std::sync::{Mutex, MutexGuard};

pub use clock::SimClock;
pub use faults::{Fault, FaultPlan, Planned};
pub use rng::Rng;
pub use running::{Running, WithFaults};
pub use server::Server;

/// Locks the emulator's state even if a handler panicked while holding it: an emulator that keeps
/// answering after one bad request is more useful to a test than one that poisons every later one.
pub fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}
