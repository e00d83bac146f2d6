//! The overview, the first screen after signing in: the platform's balance and every restaurant
//! the profile may see, with its status and funds, read from the cache and refreshed from Stripe.

mod desk;
pub mod queries;
pub mod views;
