//! The platform's fees: what each payment pays the platform — a default rate, volume tiers and
//! per-restaurant overrides — kept on the restaurants' Stripe accounts so every PC agrees, and a
//! preview of any payment's fee.

pub mod collected;
mod desk;
pub mod rules;
pub mod views;
