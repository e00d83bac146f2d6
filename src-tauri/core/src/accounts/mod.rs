//! Restaurants, for platform admins: Stripe connected accounts and their status in words, and
//! which gateway a restaurant ID belongs to.

mod alerts;
mod create;
pub mod create_rules;
mod desk;
pub mod handed;
pub mod ids;
pub mod links;
pub mod list_query;
pub mod list_rows;
#[cfg(test)]
mod list_tests;
pub mod mcc;
pub mod profile_edit;
pub mod qr;
pub mod requirements;
pub mod status;
pub mod views;

pub use ids::gateway_of;
pub use status::{account_name, account_name_of_text, reason_in_words, status, AccountStatus};
