//! Stripe-style object IDs (`acct_…`, `req_…`) come from the family's deterministic generator, so
//! a seed always produces the same data.

pub use emulator_kit::Rng;
