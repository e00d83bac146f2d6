//! Payout domain rules that need neither the database nor the network: schedules (validation,
//! words, next payout day), reconciliation groups, and statuses and failures in words.

pub mod export;
pub mod reconcile;
pub mod schedule;
pub mod words;
