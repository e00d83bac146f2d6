//! The payment gateways Merchant Desk talks to, each in its own folder, and what they share: one
//! neutral transaction shape ([`transaction`]) and one account of what each gateway can do.

pub mod cardconnect;
pub mod stripe;
pub mod transaction;

pub use transaction::{GatewayKind, Transaction, TxStatus, TxType};
