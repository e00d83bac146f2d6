//! Settling calls whose outcome is not known, one gateway connection at a time, each the way its
//! gateway allows (see [`Gateway::settle`]): Stripe resends with the same key within 23 hours of
//! the journal's own timestamp and only looks the call up after; CardConnect inquires by the
//! call's order ID. A settings change is never sent again: it could undo a later change. Here:
//! which calls may be settled now (not one still on its way, in this process or another).

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use super::{lock, record};
use crate::gateways::{Gateway, Outcome, Settle};
use crate::store::journal::{self, Entry, Status};
use crate::store::{Store, StoreError};

/// Keys this process is sending right now: not settled beside their own request.
static IN_FLIGHT: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Mutex::default);

/// Marks `key` as being sent by this process until the guard is dropped. Only the first mark of
/// a key removes it: a second submission of the same key ending early leaves the first marked.
pub(super) struct Sending(Option<String>);

impl Sending {
    pub(super) fn start(key: &str) -> Sending {
        let first = IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner()).insert(key.to_string());
        Sending(first.then(|| key.to_string()))
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        if let Some(key) = &self.0 {
            IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        }
    }
}

fn in_flight(key: &str) -> bool {
    IN_FLIGHT.lock().unwrap_or_else(|p| p.into_inner()).contains(key)
}

/// How long a pending call may still be on its way in another process (the command line beside
/// the app, or an app still running): six attempts of up to a minute each with their back-off.
/// Such calls are left alone for that long (they still block their account); a pending call of
/// this process that is not being sent was cut short, and unknown ones were answered: both can be
/// settled at once.
pub const IN_FLIGHT_LEASE: chrono::TimeDelta = chrono::TimeDelta::minutes(8);

/// This process, as the journal names it: a random ID and the process ID.
pub fn instance() -> &'static str {
    static INSTANCE: LazyLock<String> =
        LazyLock::new(|| format!("{}:{}", uuid::Uuid::new_v4().simple(), std::process::id()));
    &INSTANCE
}

fn in_flight_elsewhere(entry: &Entry, now: chrono::DateTime<chrono::Utc>) -> bool {
    let Some(other) = entry.instance.as_deref().filter(|i| *i != instance()) else { return false };
    entry.status == Status::Pending
        && process_may_live(other)
        && chrono::DateTime::parse_from_rfc3339(&entry.created_at)
            .is_ok_and(|created| now.signed_duration_since(created) < IN_FLIGHT_LEASE)
}

/// Whether the process that journalled a call may still be running. On Linux a process that is
/// gone (killed, crashed) is seen at once in `/proc`; elsewhere the lease alone decides.
fn process_may_live(instance: &str) -> bool {
    let Some(pid) = instance.rsplit_once(':').and_then(|(_, pid)| pid.parse::<u32>().ok()) else { return true };
    if cfg!(target_os = "linux") && std::path::Path::new("/proc/self").exists() {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// What settling one call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub key: String,
    pub status: Status,
    /// `retry`, `lookup` or `inquiry`; `None` when nothing new was learnt.
    pub settled_by: Option<&'static str>,
}

/// Settles every unfinished call to `client`'s connection (oldest first) as far as the gateway can
/// tell now, and says where each stands. Calls it cannot settle stay unknown and keep blocking their
/// account; a network failure leaves them as they were, to be tried again.
pub async fn settle(
    store: &Mutex<Store>,
    client: &impl Gateway,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Settled>, StoreError> {
    let unfinished = journal::unfinished(lock(store).conn(), &client.connection())?;
    let mut out = Vec::with_capacity(unfinished.len());
    for entry in unfinished {
        if in_flight(&entry.key) || in_flight_elsewhere(&entry, now) {
            continue;
        }
        // One unreadable entry must not keep every other account blocked.
        let (outcome, by) = match settle_one(client, &entry, now).await {
            Ok(settled) => settled,
            Err(err) => {
                tracing::warn!(key = %entry.key, error = %err, "an unfinished call could not be read; skipped");
                continue;
            }
        };
        if let Some(outcome) = &outcome {
            record(store, &entry.key, outcome, by, now)?;
        }
        let status = journal::get(lock(store).conn(), &entry.key)?.map_or(entry.status, |e| e.status);
        let settled_by = (!status.is_unfinished()).then_some(by);
        out.push(Settled { key: entry.key, status, settled_by });
    }
    Ok(out)
}

/// What one call came to, and how it was learnt (`None`: nothing to record). The gateway decides
/// how (see [`Gateway::settle`]); while it works the key counts as being sent by this process.
async fn settle_one(
    client: &impl Gateway,
    entry: &Entry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<Outcome>, &'static str), StoreError> {
    let how: Settle = match entry.settle.as_deref() {
        Some(json) => {
            serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("journal {}: {e}", entry.key)))?
        }
        None => crate::gateways::stripe::lookup::settle_for(&entry.path, &entry.params),
    };
    let created = chrono::DateTime::parse_from_rfc3339(&entry.created_at)
        .map_err(|e| StoreError::Corrupt(format!("journal {}: {e}", entry.key)))?;
    let _sending = Sending::start(&entry.key);
    Ok(client.settle(entry, &how, now.signed_duration_since(created)).await)
}
