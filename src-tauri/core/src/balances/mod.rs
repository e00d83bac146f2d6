//! Balances, for owners and platform admins: each restaurant's and the platform's balance, and
//! the history of the transactions that made it.

pub(crate) mod desk;
pub mod queries;
pub mod views;
