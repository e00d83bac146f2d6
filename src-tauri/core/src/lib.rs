//! Merchant Desk core: everything the app does that does not need a window.
//!
//! The Tauri shell is a thin layer of commands over [`desk::Desk`]; the same functions are called
//! directly by this crate's tests against the Stripe emulator.

pub mod accounts;
pub mod balances;
pub mod clock;
pub mod csv_writer;
pub mod desk;
pub mod disputes;
pub mod fees;
pub mod gateways;
pub mod keys;
pub mod money;
pub mod money_calls;
pub mod overview;
pub mod payments;
pub mod payouts;
pub mod permissions;
pub mod profiles;
pub mod refunds;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod sync;
pub mod transfers;
pub mod views;

pub use desk::{Desk, DeskConfig, DeskError};
