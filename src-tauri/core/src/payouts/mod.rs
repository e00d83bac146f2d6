//! Payouts, for owners: the list, chart and CSV of every gateway's payouts and deposits, a
//! payout's reconciliation, the payout schedule, and alerts when a payout fails.
//!
//! The desk functions (`impl Desk`) are in `desk.rs`, `schedule_change.rs` and `alerts.rs`; the
//! SQLite queries in `queries.rs` and `alert_queries.rs`; what crosses to the screens in `views.rs`;
//! the rules that need neither the database nor the network in the other files.

mod alert_queries;
mod alerts;
mod chart;
pub(crate) mod desk;
pub mod export;
pub mod queries;
pub mod reconcile;
pub mod schedule;
mod schedule_change;
mod totals;
pub mod views;
pub mod words;

pub use alerts::{LogNotifier, Notifier};

/// How a CardConnect deposit's ID starts: `ccdep_<merchant ID>_<YYYYMMDD>`.
pub const DEPOSIT_PREFIX: &str = "ccdep_";
