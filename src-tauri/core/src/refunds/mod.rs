//! Refunds, for staff and managers: refund an order's payment, fully or in part, through the door,
//! whichever gateway took it (CardConnect payments are voided before settlement, refunded after),
//! within the profile's refund limit or with a manager's or owner's approval above it.

mod cardconnect;
mod desk;
mod limits;
mod rules;

pub use cardconnect::{choose, Reversal};
pub use desk::{RefundRequest, REFUND_REASONS};
pub use limits::{default_limit, Approval, RefundLimit, RefundLimits};
