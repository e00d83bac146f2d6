//! A sync brings the cache up to date whatever happened before: a first full sync that was
//! cancelled is finished by the next one (not left behind incremental ones), restaurants connected
//! since are picked up, and a cursor older than Stripe's 30 days of events falls back to a full
//! sync that says so.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use md_core::keys::ApiKey;
use md_core::store::{objects, Store};
use md_core::stripe::{Response, StripeClient};
use md_core::sync::{needs_full_sync, sync_to_date, Limits, SyncControl, SyncError, EVENTS_EXPIRED_NOTE};
use serde_json::Value;
use stripe_emulator::seed::{add_account, AccountSpec, Standing};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

const KINDS: [&str; 8] =
    ["account", "balance_transaction", "payout", "payment_intent", "charge", "refund", "dispute", "transfer"];

fn client(emulator: &Emulator) -> StripeClient {
    StripeClient::new(&emulator.base_url(), ApiKey::parse(DEMO_API_KEY).unwrap()).unwrap()
}

/// What the emulator holds, per kind, over every scope.
fn truth(emulator: &Emulator, kind: &'static str) -> usize {
    let state = emulator.state();
    let s = state.lock().unwrap();
    let accounts: Vec<String> = s.ids(&None, "account").to_vec();
    std::iter::once(None).chain(accounts.into_iter().map(Some)).map(|scope| s.count(&scope, kind)).sum()
}

fn cached(store: &Mutex<Store>, kind: &str) -> usize {
    objects::count(store.lock().unwrap().conn(), kind, None).unwrap() as usize
}

fn assert_mirrors(store: &Mutex<Store>, emulator: &Emulator) {
    for kind in KINDS {
        assert_eq!(cached(store, kind), truth(emulator, kind), "{kind}");
    }
}

async fn sync(emulator: &Emulator, store: &Mutex<Store>) -> md_core::sync::SyncReport {
    sync_to_date(&client(emulator), store, Limits::LIVE, &SyncControl::default(), false).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_first_sync_is_finished_by_the_next() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    // Cancelled from inside, once some pages are in: no timing involved.
    let control = Arc::new(SyncControl::default());
    let watcher = {
        let control = control.clone();
        tokio::spawn(async move {
            while control.progress.lock().unwrap().done < 40 {
                tokio::task::yield_now().await;
            }
            control.cancel.store(true, Ordering::SeqCst);
        })
    };
    let first = sync_to_date(&client(&emulator), &store, Limits::LIVE, &control, false).await;
    watcher.await.unwrap();
    assert!(matches!(first, Err(SyncError::Cancelled)), "{first:?}");
    assert!(cached(&store, "charge") < truth(&emulator, "charge"), "the first sync stopped part-way");
    assert!(needs_full_sync(&store).unwrap(), "an unfinished full sync is not taken for a complete one");

    sync(&emulator, &store).await;
    assert_mirrors(&store, &emulator);
    assert!(!needs_full_sync(&store).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restaurant_connected_after_the_first_sync_appears_after_the_next() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    sync(&emulator, &store).await;
    assert_mirrors(&store, &emulator);

    let account = {
        let state = emulator.state();
        let mut s = state.lock().unwrap();
        let spec = AccountSpec {
            name: "Late Night Noodles",
            kind: "express",
            country: "US",
            currency: "usd",
            email: "noodles@example.com",
            standing: Standing::Active,
        };
        let now = s.now();
        add_account(&mut s, &spec, now)
    };
    let form = [("amount", "2400"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")]
        .map(|(k, v)| (k.to_string(), v.to_string()));
    let paid: Response<Value> = client(&emulator)
        .post("/v1/payment_intents", &form, Some(&account), &md_core::money_calls::new_key())
        .await
        .unwrap();

    sync(&emulator, &store).await;
    assert_mirrors(&store, &emulator);
    let conn = store.lock().unwrap();
    let cached_id = |id: &str| -> i64 {
        conn.conn().query_row("SELECT count(*) FROM stripe_objects WHERE id = ?1", [id], |r| r.get(0)).unwrap()
    };
    assert_eq!(cached_id(&account), 1, "the restaurant is listed");
    assert_eq!(cached_id(paid.value["id"].as_str().unwrap()), 1, "its payment is cached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_older_than_stripes_events_falls_back_to_a_full_sync_and_says_so() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    assert_eq!(sync(&emulator, &store).await.note, None);
    // A month and more without a sync: the events after the cursor are no longer served.
    emulator.advance_clock(Duration::from_secs(31 * 86_400));
    let report = sync(&emulator, &store).await;
    assert_eq!(report.note.as_deref(), Some(EVENTS_EXPIRED_NOTE));
    assert_mirrors(&store, &emulator);
    // And the next sync is incremental again.
    assert_eq!(sync(&emulator, &store).await.note, None);
}
