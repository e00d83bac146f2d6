//! What "sync" means for the desk and the command line: bring the cache up to date whatever
//! happened before. A full sync that was cancelled or crashed is finished by the next sync (not
//! left half-filled behind incremental ones); restaurants connected since the last sync are listed
//! and their lists fetched; a cursor older than Stripe's 30 days of events falls back to a full
//! sync, and says so.

use std::sync::Mutex;

use super::engine::{full_sync, incremental_sync, Limits, SyncControl, SyncError, SyncReport};
use crate::gateways::stripe::StripeClient;
use crate::store::{locked as lock, objects, Store, StoreError};

/// The `sync_state` row that says a full sync ran to its end (no list of it left unfinished).
const FULL_SYNC_DONE: &str = "full_sync";

/// Said when events ran out: the sync is still complete, but took longer.
pub const EVENTS_EXPIRED_NOTE: &str =
    "Stripe keeps events for 30 days and the last sync was longer ago, so everything was synced again in full.";

/// Whether the next [`sync_to_date`] runs (or finishes) a full sync.
pub fn needs_full_sync(store: &Mutex<Store>) -> Result<bool, StoreError> {
    Ok(!full_sync_done(store)?)
}

fn full_sync_done(store: &Mutex<Store>) -> Result<bool, StoreError> {
    Ok(matches!(objects::cursor(lock(store).conn(), objects::PLATFORM, FULL_SYNC_DONE)?, Some((_, true))))
}

fn mark_full_sync_done(store: &Mutex<Store>) -> Result<(), StoreError> {
    let now = chrono::Utc::now().to_rfc3339();
    objects::set_cursor(lock(store).conn(), objects::PLATFORM, FULL_SYNC_DONE, None, true, &now)
}

/// A full sync (`resume`: what an earlier one finished is kept), remembered once it completes.
async fn full(
    client: &StripeClient,
    store: &Mutex<Store>,
    limits: Limits,
    control: &SyncControl,
    resume: bool,
) -> Result<SyncReport, SyncError> {
    let report = full_sync(client, store, limits, control, resume).await?;
    mark_full_sync_done(store)?;
    Ok(report)
}

/// Brings the cache up to date: a full sync when asked (`full`), the first time, or to finish one
/// that was interrupted; otherwise each scope reads its events since its cursor, then the
/// restaurants are listed again (new ones get their lists, complete lists are skipped). Events
/// first: an event carries its object as it was then, so the listing that follows leaves the
/// newest copy of each account in the cache, not the snapshot of an older event.
pub async fn sync_to_date(
    client: &StripeClient,
    store: &Mutex<Store>,
    limits: Limits,
    control: &SyncControl,
    full_requested: bool,
) -> Result<SyncReport, SyncError> {
    if full_requested || !full_sync_done(store)? {
        return full(client, store, limits, control, !full_requested).await;
    }
    // A scope whose events keep failing (one restaurant's key rights, say) must not stop the
    // listing of every other: it runs all the same, and the failure is reported after.
    let events = match incremental_sync(client, store, limits, control).await {
        Err(SyncError::EventsExpired) => {
            tracing::info!("an events cursor is older than Stripe keeps events; syncing in full");
            let report = full(client, store, limits, control, false).await?;
            return Ok(SyncReport { note: Some(EVENTS_EXPIRED_NOTE.to_string()), ..report });
        }
        Err(err @ SyncError::Incomplete { .. }) => Err(err),
        Err(err) => return Err(err),
        Ok(report) => Ok(report),
    };
    match (events, full_sync(client, store, limits, control, true).await) {
        (Ok(events), Ok(listed)) => Ok(events.and(listed)),
        (_, Err(err)) | (Err(err), Ok(_)) => Err(err),
    }
}
