//! Connected accounts (restaurants), for platform admins: their status in words.

pub mod status;

pub use status::{account_name, reason_in_words, status, AccountStatus};
