//! Full and incremental sync.
//!
//! A full sync lists every kind of object of the platform and of every connected account, one page
//! (100 objects) per request. Each endpoint has its own queue and workers, paced at Stripe's
//! per-endpoint limit, and all of them share the overall limit, so endpoints and accounts are
//! interleaved instead of walked one by one; the endpoint with the most left goes first (see
//! `backlog`), so that they all finish together. Each page is written with its resume cursor in one
//! transaction: a sync cut short (crash, cancel, network) leaves a consistent cache and the next
//! run resumes from the cursors. An incremental sync reads `/v1/events` per scope since the last
//! event seen and writes the objects the events carry.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::backlog::Backlog;
use super::connect;
use super::tasks::{self, platform_windows, Saved, Task, ACCOUNT_KINDS, PLATFORM_KINDS, WINDOWS_ANCHOR};
use super::writer::{Write, Writer};
use crate::gateways::stripe::limiter::{endpoint_of, RateLimiter};
use crate::gateways::stripe::{StripeClient, StripeError};
use crate::store::objects::{self, PLATFORM};
use crate::store::{Store, StoreError};

/// Requests per second to stay under. Slightly below Stripe's published numbers, so that clock
/// skew between us and Stripe's windows never costs a 429.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub overall: f64,
    /// `None` when only the overall limit applies (test mode).
    pub per_endpoint: Option<f64>,
    pub workers_per_endpoint: usize,
}

impl Limits {
    /// Live mode: 100/s overall, 25/s per endpoint.
    pub const LIVE: Limits = Limits { overall: 99.0, per_endpoint: Some(24.8), workers_per_endpoint: 4 };
    /// Test mode: 25/s overall.
    pub const TEST: Limits = Limits { overall: 24.8, per_endpoint: None, workers_per_endpoint: 2 };
}

/// Shared with the UI: what the sync is doing, and a way to stop it.
#[derive(Debug, Default)]
pub struct SyncControl {
    /// Set to stop; what was already fetched is still written, so the next sync resumes after it.
    pub cancel: AtomicBool,
    /// Set (with `cancel`) when the cache is being emptied for another connection: nothing more is
    /// written, not even what was fetched (checked under the store's write lock).
    pub abandon: std::sync::Arc<AtomicBool>,
    pub progress: Mutex<Progress>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub phase: String,
    /// Pages fetched so far.
    pub done: u64,
    /// Pages known to be needed so far (grows as lists turn out longer).
    pub total: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the sync was cancelled; the next one resumes where it stopped")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{failed} of the lists could not be fetched (first: {first}); the next sync resumes them")]
    Incomplete { failed: usize, first: StripeError },
    #[error(transparent)]
    Stripe(#[from] StripeError),
    /// An events cursor is older than the 30 days Stripe keeps events: only a full sync helps.
    #[error("Stripe no longer has the events since the last sync (it keeps 30 days)")]
    EventsExpired,
}

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub requests: u64,
    pub objects: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    /// When each request went out, per endpoint, from the start of the sync: shows a benchmark
    /// where an endpoint sat idle.
    pub timeline: BTreeMap<String, Vec<Duration>>,
    pub elapsed: Duration,
    /// Something the person should know about how it went (a fallback to a full sync).
    pub note: Option<String>,
}

impl SyncReport {
    /// This report followed by `next`, as one.
    pub fn and(mut self, next: SyncReport) -> SyncReport {
        self.requests += next.requests;
        self.objects += next.objects;
        for (endpoint, n) in next.by_endpoint {
            *self.by_endpoint.entry(endpoint).or_default() += n;
        }
        for (endpoint, at) in next.timeline {
            let offset = self.elapsed;
            self.timeline.entry(endpoint).or_default().extend(at.into_iter().map(|t| t + offset));
        }
        self.elapsed += next.elapsed;
        self.note = next.note.or(self.note);
        self
    }
}

struct Shared<'a> {
    /// The caller's client, with every attempt (retries too) going through `limiter`.
    client: StripeClient,
    limiter: std::sync::Arc<RateLimiter>,
    store: &'a Mutex<Store>,
    control: &'a SyncControl,
    objects: AtomicU64,
    failures: Mutex<Vec<StripeError>>,
}

impl<'a> Shared<'a> {
    fn new(client: &StripeClient, limits: Limits, store: &'a Mutex<Store>, control: &'a SyncControl) -> Self {
        let limiter = RateLimiter::new(limits.overall, limits.per_endpoint);
        Self {
            client: client.clone().with_limiter(limiter.clone()),
            limiter,
            store,
            control,
            objects: AtomicU64::new(0),
            failures: Mutex::default(),
        }
    }
}

impl Shared<'_> {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn progress(&self, f: impl FnOnce(&mut Progress)) {
        f(&mut self.control.progress.lock().unwrap_or_else(|p| p.into_inner()));
    }

    fn cancelled(&self) -> bool {
        self.control.cancel.load(Ordering::Relaxed)
    }

    fn abandoned(&self) -> bool {
        self.control.abandon.load(Ordering::SeqCst)
    }

    /// One GET; the limiter paces and counts every attempt. The answer's JSON, parsed once and
    /// never copied: a full sync reads some 200,000 objects.
    async fn get(&self, path: &str, query: &[(&str, String)], account: Option<&str>) -> Result<Value, StripeError> {
        Ok(self.client.get::<serde::de::IgnoredAny>(path, query, account).await?.raw)
    }
}

/// The objects of a list page, taken out of it.
fn data(page: &mut Value) -> Vec<Value> {
    match page["data"].take() {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

fn store_error(e: StoreError) -> StripeError {
    StripeError::Decode { request_id: None, detail: e.to_string() }
}

fn account_of(scope: &str) -> Option<&str> {
    (scope != PLATFORM).then_some(scope)
}

/// Lists every object of the platform and its connected accounts into the cache. With `resume`,
/// lists a previous run completed are skipped and interrupted ones continue from their cursor.
pub async fn full_sync(
    client: &StripeClient,
    store: &Mutex<Store>,
    limits: Limits,
    control: &SyncControl,
    resume: bool,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let shared = Shared::new(client, limits, store, control);
    if !resume {
        shared
            .store()
            .conn()
            .execute("UPDATE sync_state SET complete = 0, cursor = NULL WHERE object != 'overview'", [])
            .map_err(StoreError::from)?;
    }

    let path = shared
        .store()
        .conn()
        .path()
        .map(std::path::PathBuf::from)
        .ok_or_else(|| StoreError::Corrupt("the sync needs a database file".into()))?;
    let saved = |scope: &str, key: &str| -> Result<Saved, StoreError> {
        if resume {
            objects::cursor(shared.store().conn(), scope, key)
        } else {
            Ok(None)
        }
    };
    let platform = {
        let store = shared.store();
        // The slices are cut once per full sync and kept: a resumed sync must cut them the same
        // way, or objects near a moved boundary would fall into a slice already marked complete.
        let anchor = match objects::cursor(store.conn(), PLATFORM, WINDOWS_ANCHOR)? {
            Some((Some(at), _)) if resume => at.parse().unwrap_or_else(|_| chrono::Utc::now().timestamp()),
            _ => chrono::Utc::now().timestamp(),
        };
        objects::set_cursor(
            store.conn(),
            PLATFORM,
            WINDOWS_ANCHOR,
            Some(&anchor.to_string()),
            true,
            &chrono::Utc::now().to_rfc3339(),
        )?;
        drop(store);
        tasks::of_scope(PLATFORM, PLATFORM_KINDS, Some(&platform_windows(anchor)), |key| saved(PLATFORM, key))?
    };

    // One queue per endpoint, interleaving the scopes: the platform's lists start at once, each
    // connected account's as the page listing it comes in.
    let queues = Queues {
        kinds: PLATFORM_KINDS
            .iter()
            .copied()
            .chain(["balance", "events"])
            .map(|kind| (kind, Mutex::default()))
            .collect(),
        backlog: Backlog::new(shared.limiter.clone()),
        listing: AtomicBool::new(true),
        halted: AtomicBool::new(false),
    };
    shared.progress(|p| *p = Progress { phase: "accounts".into(), done: 0, total: 1 });
    queues.push(&shared, platform);
    let writer = Writer::start(path, control.abandon.clone());
    let listed = async {
        let listed = list_accounts(&shared, &writer, &queues, saved).await;
        queues.listing.store(false, Ordering::SeqCst);
        if listed.is_err() {
            queues.halted.store(true, Ordering::SeqCst);
        }
        shared.progress(|p| p.phase = "lists".into());
        listed
    };
    let mut workers = Vec::new();
    for queue in queues.kinds.values() {
        for _ in 0..limits.workers_per_endpoint {
            workers.push(worker(&shared, &writer, &queues, queue));
        }
    }
    let (listed, _) = futures_util::future::join(listed, futures_util::future::join_all(workers)).await;
    // Whatever was fetched is committed, also when cancelled: the next run resumes after it.
    let written = writer.finish()?;
    shared.objects.fetch_add(written, Ordering::Relaxed);

    if shared.cancelled() {
        return Err(SyncError::Cancelled);
    }
    listed?;
    let mut failures = std::mem::take(&mut *shared.failures.lock().unwrap_or_else(|p| p.into_inner()));
    if !failures.is_empty() {
        let count = failures.len();
        return Err(SyncError::Incomplete { failed: count, first: failures.remove(0) });
    }
    shared.progress(|p| p.phase = "done".into());
    Ok(report(&shared, started))
}

/// The full sync's tasks, one queue per kind, and what its workers need to know about them.
struct Queues {
    kinds: BTreeMap<&'static str, Mutex<VecDeque<Task>>>,
    backlog: Backlog,
    /// Set while the connected accounts are being listed: an empty queue may still get tasks.
    listing: AtomicBool,
    /// Set when the accounts could not be listed: the sync stops.
    halted: AtomicBool,
}

impl Queues {
    fn push(&self, shared: &Shared<'_>, tasks: Vec<Task>) {
        shared.progress(|p| p.total += tasks.len() as u64);
        for task in tasks {
            self.backlog.add(&task);
            if let Some(queue) = self.kinds.get(task.kind) {
                queue.lock().unwrap_or_else(|p| p.into_inner()).push_back(task);
            }
        }
    }
}

/// Lists the connected accounts page by page, writing each page and queuing its accounts' tasks.
async fn list_accounts(
    shared: &Shared<'_>,
    writer: &Writer,
    queues: &Queues,
    saved: impl Fn(&str, &str) -> Result<Saved, StoreError>,
) -> Result<(), SyncError> {
    // Every other queue waits for this list: it goes before any of them.
    shared.limiter.set_backlog(&endpoint_of("GET", "/v1/accounts"), u64::MAX);
    let mut after: Option<String> = None;
    loop {
        if shared.cancelled() {
            return Err(SyncError::Cancelled);
        }
        let mut query = vec![("limit", "100".to_string())];
        if let Some(a) = &after {
            query.push(("starting_after", a.clone()));
        }
        let mut page = shared.get("/v1/accounts", &query, None).await?;
        let items = data(&mut page);
        let mut tasks = Vec::new();
        for account in items.iter().filter_map(|a| a["id"].as_str()) {
            tasks.extend(tasks::of_scope(account, ACCOUNT_KINDS, None, |key| saved(account, key))?);
        }
        after = items.last().and_then(|a| a["id"].as_str()).map(str::to_string);
        writer.send(Write::Objects { scope: PLATFORM.to_string(), items })?;
        queues.push(shared, tasks);
        shared.progress(|p| p.done += 1);
        if page["has_more"] != true || after.is_none() {
            return Ok(());
        }
        shared.progress(|p| p.total += 1);
    }
}

fn report(shared: &Shared<'_>, started: Instant) -> SyncReport {
    let by_endpoint = shared.limiter.counts();
    SyncReport {
        requests: by_endpoint.values().sum(),
        objects: shared.objects.load(Ordering::Relaxed),
        by_endpoint,
        timeline: shared.limiter.timeline(started),
        elapsed: started.elapsed(),
        note: None,
    }
}

/// Takes tasks of one endpoint until its queue is empty (and no account listed later can add to
/// it); the next page of a list comes first.
async fn worker(shared: &Shared<'_>, writer: &Writer, queues: &Queues, queue: &Mutex<VecDeque<Task>>) {
    loop {
        if shared.cancelled() || queues.halted.load(Ordering::SeqCst) {
            return;
        }
        // Read before the queue: once the listing is over, every task it queued is in there.
        let listing = queues.listing.load(Ordering::SeqCst);
        let Some(task) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front() else {
            if listing {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            return;
        };
        let result = page(shared, writer, &task).await;
        queues.backlog.done(&task, result.as_ref().ok().and_then(Option::as_ref));
        match result {
            Ok(Some(next)) => {
                shared.progress(|p| {
                    p.done += 1;
                    p.total += 1;
                });
                // A long list keeps its worker busy until its last page, so it never waits behind
                // every other scope for each of its pages.
                queue.lock().unwrap_or_else(|p| p.into_inner()).push_front(next);
            }
            Ok(None) => shared.progress(|p| p.done += 1),
            Err(err) if connect::revoked(&task.scope, &err) => {
                // The restaurant disconnected: its lists are left as last seen, not failed.
                if let Err(e) = connect::mark_revoked(shared.store().conn(), &task.scope) {
                    shared.failures.lock().unwrap_or_else(|p| p.into_inner()).push(store_error(e));
                }
                shared.progress(|p| p.done += 1);
            }
            Err(err) => {
                tracing::warn!(scope = %task.scope, kind = task.kind, error = %err, "a list could not be synced");
                shared.failures.lock().unwrap_or_else(|p| p.into_inner()).push(err);
            }
        }
    }
}

/// Fetches one page and hands it to the writer; returns the task for the next page, if any.
async fn page(shared: &Shared<'_>, writer: &Writer, task: &Task) -> Result<Option<Task>, StripeError> {
    let account = account_of(&task.scope);
    let store_err = |e: StoreError| StripeError::Decode { request_id: None, detail: e.to_string() };
    match task.kind {
        "balance" => {
            let balance = shared.get("/v1/balance", &[], account).await?;
            writer.send(Write::Balance { scope: task.scope.clone(), raw: balance }).map_err(store_err)?;
            Ok(None)
        }
        "events" => {
            let newest = shared.get("/v1/events", &[("limit", "1".into())], account).await?;
            // "" means no event yet: the next incremental sync reads from the very first one.
            let id = newest["data"][0]["id"].as_str().unwrap_or("").to_string();
            writer.send(Write::EventsCursor { scope: task.scope.clone(), id }).map_err(store_err)?;
            Ok(None)
        }
        kind => {
            let mut query = vec![("limit", "100".to_string())];
            if let Some(after) = &task.after {
                query.push(("starting_after", after.clone()));
            }
            if let Some((gte, lt)) = task.window {
                if let Some(gte) = gte {
                    query.push(("created[gte]", gte.to_string()));
                }
                if let Some(lt) = lt {
                    query.push(("created[lt]", lt.to_string()));
                }
            }
            let mut response = shared.get(&format!("/v1/{kind}"), &query, account).await?;
            let items = data(&mut response);
            let last = items.last().and_then(|o| o["id"].as_str()).map(str::to_string);
            let next = match &last {
                Some(last) if response["has_more"] == true => Some(task.next(last.clone())),
                _ => None,
            };
            let more = next.is_some();
            // The page and where to resume are committed together.
            let cursor = last.or_else(|| task.after.clone());
            writer
                .send(Write::Page {
                    scope: task.scope.clone(),
                    state_key: task.state_key.clone(),
                    items,
                    cursor,
                    complete: !more,
                })
                .map_err(store_err)?;
            Ok(next)
        }
    }
}

/// Reads `/v1/events` of every synced scope since its last event and writes the objects the events
/// carry. Scopes never fully synced are skipped (run a full sync first), except connected accounts
/// that came after it, read from their first event.
pub async fn incremental_sync(
    client: &StripeClient,
    store: &Mutex<Store>,
    limits: Limits,
    control: &SyncControl,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let shared = Shared::new(client, limits, store, control);
    let scopes: Vec<(String, String)> = {
        let store = shared.store();
        let mut stmt = store
            .conn()
            .prepare("SELECT scope, cursor FROM sync_state WHERE object = 'events' AND cursor IS NOT NULL")
            .map_err(StoreError::from)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(StoreError::from)?;
        let mut scopes: Vec<(String, String)> = rows.collect::<Result<_, _>>().map_err(StoreError::from)?;
        // An account made here (or first seen since the full sync) is read from its first event.
        scopes.extend(connect::unread_accounts(store.conn())?.into_iter().map(|a| (a, String::new())));
        scopes
    };
    shared.progress(|p| *p = Progress { phase: "events".into(), done: 0, total: scopes.len() as u64 });
    let queue: Mutex<VecDeque<(String, String)>> = Mutex::new(scopes.into_iter().collect());
    let mut workers = Vec::new();
    for _ in 0..limits.workers_per_endpoint {
        workers.push(async {
            loop {
                if shared.cancelled() {
                    return;
                }
                let Some((scope, cursor)) = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front() else { return };
                match events_since(&shared, &scope, cursor).await {
                    Err(err) if connect::revoked(&scope, &err) => {
                        if let Err(e) = connect::mark_revoked(shared.store().conn(), &scope) {
                            shared.failures.lock().unwrap_or_else(|p| p.into_inner()).push(store_error(e));
                        }
                    }
                    Err(err) => shared.failures.lock().unwrap_or_else(|p| p.into_inner()).push(err),
                    Ok(()) => {}
                }
                shared.progress(|p| p.done += 1);
            }
        });
    }
    futures_util::future::join_all(workers).await;
    if shared.cancelled() {
        return Err(SyncError::Cancelled);
    }
    let mut failures = std::mem::take(&mut *shared.failures.lock().unwrap_or_else(|p| p.into_inner()));
    // A cursor naming an event Stripe no longer keeps: reading events cannot catch up.
    let expired = |e: &StripeError| {
        matches!(e, StripeError::Api { code: Some(code), param: Some(param), .. }
            if code == "resource_missing" && param == "ending_before")
    };
    if failures.iter().any(expired) {
        return Err(SyncError::EventsExpired);
    }
    if !failures.is_empty() {
        let count = failures.len();
        return Err(SyncError::Incomplete { failed: count, first: failures.remove(0) });
    }
    Ok(report(&shared, started))
}

/// The events of one scope newer than `cursor`, oldest page first; the newest event becomes the
/// new cursor, in the same transaction as the objects it carried.
async fn events_since(shared: &Shared<'_>, scope: &str, mut cursor: String) -> Result<(), StripeError> {
    let store_err = |e: StoreError| StripeError::Decode { request_id: None, detail: e.to_string() };
    if cursor.is_empty() {
        // No event seen yet: find the oldest one (pages run newest first), then go forward from it.
        let mut oldest: Option<String> = None;
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![("limit", "100".to_string())];
            if let Some(a) = &after {
                query.push(("starting_after", a.clone()));
            }
            let mut page = shared.get("/v1/events", &query, account_of(scope)).await?;
            let events = data(&mut page);
            if let Some(last) = events.last().and_then(|e| e["id"].as_str()) {
                oldest = Some(last.to_string());
                after = oldest.clone();
            }
            if page["has_more"] != true {
                break;
            }
        }
        let Some(oldest) = oldest else { return Ok(()) };
        let event = shared.get(&format!("/v1/events/{oldest}"), &[], account_of(scope)).await?;
        let now = chrono::Utc::now().to_rfc3339();
        {
            let store = shared.store();
            if shared.abandoned() {
                return Ok(());
            }
            objects::upsert(store.conn(), scope, connect::carried(&event).as_slice(), &now).map_err(store_err)?;
            connect::apply(store.conn(), scope, std::slice::from_ref(&event)).map_err(store_err)?;
            objects::set_cursor(store.conn(), scope, "events", Some(&oldest), true, &now).map_err(store_err)?;
        }
        cursor = oldest;
    }
    loop {
        let query = vec![("limit", "100".to_string()), ("ending_before", cursor.clone())];
        let mut page = shared.get("/v1/events", &query, account_of(scope)).await?;
        let events = data(&mut page);
        let Some(newest) = events.first().and_then(|e| e["id"].as_str()).map(str::to_string) else { return Ok(()) };
        // Oldest first, so the last write of an object is its newest state.
        let oldest_first: Vec<Value> = events.iter().rev().cloned().collect();
        let carried: Vec<Value> = oldest_first.iter().filter_map(connect::carried).collect();
        let now = chrono::Utc::now().to_rfc3339();
        {
            let mut store = shared.store();
            if shared.abandoned() {
                return Ok(());
            }
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| store_err(e.into()))?;
            let written = objects::upsert(&tx, scope, &carried, &now).map_err(store_err)?;
            connect::apply(&tx, scope, &oldest_first).map_err(store_err)?;
            objects::set_cursor(&tx, scope, "events", Some(&newest), true, &now).map_err(store_err)?;
            tx.commit().map_err(|e| store_err(e.into()))?;
            shared.objects.fetch_add(written as u64, Ordering::Relaxed);
        }
        cursor = newest;
        if page["has_more"] != true {
            return Ok(());
        }
    }
}
