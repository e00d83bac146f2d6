//! Payments & Refunds, for staff at the counter: find an order's payment from one search box (order
//! number, amount, card last4, customer email or a gateway ID), or see today's payments, across
//! both gateways and within the restaurants the profile may see. Refunding is `refunds/`.
//!
//! The desk function is in `desk.rs`, the page it returns built in `find.rs`; the reading of the search text in `search.rs`; the SQLite
//! look-ups over the neutral `transactions` table in `queries.rs`; states and cards in words in
//! `words.rs`; what crosses to the screen in `views.rs`. A payment opened is `detail.rs`, its
//! life in order `timeline.rs`. Platform admins take payments for orders here too (`take.rs`), and
//! authorizations are captured, canceled or confirmed after 3-D Secure (`capture.rs`).

mod capture;
mod cardconnect_auth;
mod desk;
mod detail;
pub mod find;
pub mod queries;
mod remote;
pub mod search;
mod take;
pub mod take_views;
mod timeline;
pub mod views;
pub mod words;
