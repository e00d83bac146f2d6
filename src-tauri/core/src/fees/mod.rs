//! The platform's fees: what each payment pays the platform, as the POS platform's API defines
//! them (a default rate, tiers by a restaurant's monthly volume, per-restaurant overrides).
//!
//! `rules.rs` is pure (no I/O, no Desk, no SQLite): it checks a schedule, quotes a payment's fee,
//! words a rate, and writes the schedule to a connected account's Stripe metadata and back, so
//! that every back-office PC reads the same fees from Stripe.

pub mod rules;
