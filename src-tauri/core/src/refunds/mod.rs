//! Refunds, for staff and managers: refund an order's payment, fully or in part, through the door.

mod desk;

pub use desk::{RefundRequest, REFUND_REASONS};
