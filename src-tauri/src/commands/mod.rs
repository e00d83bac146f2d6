//! Commands, one module per screen. Each is `guard → core call → map error`; the guard is inside
//! the core call (`Desk::guard`), so no command can skip it.

pub mod accounts;
pub mod audit;
pub mod cardconnect;
pub mod connection;
pub mod disputes;
pub mod fees;
pub mod overview;
pub mod payments_take;
pub mod payouts;
pub mod profiles;
pub mod refunds;
pub mod session;
pub mod sync;
pub mod transfers;
pub mod unfinished;

#[cfg(test)]
mod matrix_tests;
