//! The payment gateways Merchant Desk talks to, each in its own folder, and what they share.

pub mod stripe;
