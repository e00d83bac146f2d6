//! Refunds, for staff and managers: refund an order's payment, fully or in part, through the door,
//! whichever gateway took it (CardConnect payments are voided before settlement, refunded after).

mod cardconnect;
mod desk;

pub use cardconnect::{choose, Reversal};
pub use desk::{RefundRequest, REFUND_REASONS};
