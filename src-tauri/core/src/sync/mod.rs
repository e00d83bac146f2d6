//! Getting the gateways' data into the SQLite cache: for Stripe, the overview refresh, a full sync
//! of the platform and every connected account that spends the rate limit well, and incremental
//! sync from events; for CardConnect, each restaurant's deposits and transactions day by day.

mod backlog;
mod cardconnect;
mod connect;
mod engine;
mod overview;
mod tasks;
mod to_date;
mod writer;

pub use cardconnect::{sync_cardconnect, CardConnectReport, CardConnectSyncError, HISTORY_DAYS, REVISIT_DAYS};
pub use connect::{mark_revoked, revoked};
pub use engine::{full_sync, incremental_sync, Limits, Progress, SyncControl, SyncError, SyncReport};
pub use overview::fetch_overview;
pub use to_date::{needs_full_sync, sync_to_date, EVENTS_EXPIRED_NOTE};
