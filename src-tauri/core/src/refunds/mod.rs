//! Refunds, for staff and managers: refund an order's payment, fully or in part, through the door,
//! whichever gateway took it (CardConnect payments are voided before settlement, refunded after),
//! within the profile's refund limit or with a manager's or owner's approval above it.
//!
//! `desk.rs` carries a refund out (and `cardconnect.rs` CardConnect's); `preview.rs` checks the
//! dialog before the confirmation; `rules.rs` says what may be refunded, `charge_kind.rs` who pays
//! it back, `limits.rs` who may refund how much; `status.rs` shows refunds and notices failures;
//! `mine.rs` lists a profile's own; `views.rs` is what crosses to the screen.

mod cardconnect;
pub mod charge_kind;
mod desk;
mod limits;
mod mine;
mod preview;
pub(crate) mod rules;
pub mod status;
pub mod views;

pub use cardconnect::{choose, Reversal};
pub use charge_kind::ChargeKind;
pub use desk::{RefundRequest, REFUND_REASONS};
pub use limits::{default_limit, Approval, Approver, RefundLimit, RefundLimits};
pub use views::*;
