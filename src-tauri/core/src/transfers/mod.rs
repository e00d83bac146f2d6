//! Transfers (platform admins): money moved from the platform's balance to a restaurant — tips,
//! corrections, promotions — and clawed back by reversals, never above what is left; each through
//! the door.

pub mod bulk;
mod desk;
mod queries;
pub mod rules;
pub mod views;
