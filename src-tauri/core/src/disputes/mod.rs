//! Disputes, for managers: an inbox of what is due first, a dispute's detail, the evidence Stripe
//! accepts grouped the way a manager thinks, the evidence that wins each kind of dispute for each
//! kind of restaurant order, attachments and a cover letter, drafts that survive a restart, and
//! staging or submitting through the one door. Stripe only: CardPointe has no chargeback calls.
//!
//! `evidence.rs` is the catalogue of Stripe's evidence fields; `recommend.rs` the matrix of
//! reason × order type; `attachments.rs` checks files before upload; `cover_letter.rs` writes the
//! one-page PDF; `desk.rs` reads the inbox, a dispute and its draft from the cache; `respond.rs`
//! stages, submits or accepts through the door; `reminders.rs` warns before deadlines.

pub mod attachments;
pub mod cover_letter;
pub mod desk;
pub mod evidence;
pub mod files;
mod queries;
pub mod recommend;
mod reminders;
mod respond;
pub mod views;
pub mod words;
