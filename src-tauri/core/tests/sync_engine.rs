//! The sync engine against the emulator: a full sync mirrors every list of every scope, an
//! incremental sync picks up changes from events, a cancelled sync resumes, and Stripe's rate
//! limits are respected without a single 429. And a sync brings the cache up to date whatever
//! happened before: a first full sync that was cancelled is finished by the next one (not left
//! behind incremental ones), restaurants connected since are picked up, and a cursor older than
//! Stripe's 30 days of events falls back to a full sync that says so.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use md_core::gateways::stripe::Response;
use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::money_calls::{self, MoneyCall};
use md_core::store::objects;
use md_core::store::Store;
use md_core::sync::{
    full_sync, incremental_sync, needs_full_sync, sync_to_date, Limits, SyncControl, SyncError, EVENTS_EXPIRED_NOTE,
};
use serde_json::Value;
use stripe_emulator::seed::bulk::Scale;
use stripe_emulator::{Config, Emulator, RateLimit, DEMO_API_KEY};

fn store(dir: &tempfile::TempDir) -> Mutex<Store> {
    Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap())
}

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

fn cached(store: &Mutex<Store>, kind: &str) -> i64 {
    objects::count(store.lock().unwrap().conn(), kind, None).unwrap()
}

const KINDS: [&str; 7] = ["balance_transaction", "payout", "payment_intent", "charge", "refund", "dispute", "transfer"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_mirrors_every_list_within_the_rate_limit() {
    let mut config = Config::demo();
    config.rate_limit = Some(RateLimit::LIVE);
    let emulator = Emulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let report = full_sync(&client(&emulator), &store, Limits::LIVE, &SyncControl::default(), false).await.unwrap();
    for kind in KINDS {
        assert_eq!(cached(&store, kind) as usize, truth(&emulator, kind), "{kind}");
    }
    assert_eq!(cached(&store, "account"), 12);
    assert_eq!(emulator.rate_limited_count(), 0, "no 429 at Stripe's live limits");
    assert!(report.requests > 100, "{report:?}");
    // Every synced object decodes into its typed model (unknown fields and new values tolerated).
    fn decode_all<T: serde::de::DeserializeOwned>(store: &Mutex<Store>, kind: &str) -> usize {
        let s = store.lock().unwrap();
        let mut stmt = s.conn().prepare("SELECT raw FROM objects WHERE kind = ?1").unwrap();
        let raws: Vec<String> = stmt.query_map([kind], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        for raw in &raws {
            serde_json::from_str::<T>(raw).unwrap_or_else(|e| panic!("{kind} does not decode: {e}\n{raw}"));
        }
        raws.len()
    }
    use md_core::gateways::stripe::models as m;
    assert!(decode_all::<m::BalanceTransaction>(&store, "balance_transaction") > 1_000);
    assert!(decode_all::<m::Payout>(&store, "payout") > 50);
    assert!(decode_all::<m::PaymentIntent>(&store, "payment_intent") > 1_000);
    assert!(decode_all::<m::Charge>(&store, "charge") > 1_000);
    assert!(decode_all::<m::Refund>(&store, "refund") > 10);
    assert!(decode_all::<m::Dispute>(&store, "dispute") >= 7);
    assert!(decode_all::<m::Transfer>(&store, "transfer") >= 1);
    assert!(decode_all::<m::ApplicationFee>(&store, "application_fee") > 1_000);
    assert_eq!(decode_all::<m::Account>(&store, "account"), 12);
    // The list stream reads the same accounts, page by page.
    let streamed: Vec<(m::Account, serde_json::Value)> =
        client(&emulator).list_all("/v1/accounts", None).await.unwrap();
    assert_eq!(streamed.len(), 12);

    // Every account's balance is cached too.
    let balances: i64 =
        store.lock().unwrap().conn().query_row("SELECT count(DISTINCT scope) FROM balances", [], |r| r.get(0)).unwrap();
    assert_eq!(balances, 13);
}

/// Every object of every scope is cached once, as Stripe sent it: however the sync orders and
/// interleaves its requests (the busiest lists first, accounts listed while the platform's lists
/// run), it reads the same objects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sync_caches_every_object_as_stripe_sends_it() {
    let mut config = Config::demo();
    config.rate_limit = Some(RateLimit::LIVE);
    config.scale = Some(Scale { accounts: 40, payments_per_account: 60 });
    let emulator = Emulator::start(config).await.unwrap();
    let client = client(&emulator);
    // What the emulator's clock has due runs now, not half-way through the sync.
    let _: Response<Value> = client.get("/v1/balance", &[], None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    full_sync(&client, &store, Limits::LIVE, &SyncControl::default(), false).await.unwrap();
    assert_eq!(emulator.rate_limited_count(), 0);

    let cache: std::collections::HashMap<(String, String), String> = {
        let s = store.lock().unwrap();
        let mut stmt = s.conn().prepare("SELECT account, id, raw FROM objects").unwrap();
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let state = emulator.state();
    let s = state.lock().unwrap();
    let accounts: Vec<String> = s.ids(&None, "account").to_vec();
    let mut expected = 0;
    for scope in std::iter::once(None).chain(accounts.into_iter().map(Some)) {
        let kinds = KINDS.into_iter().chain(["application_fee"]).chain(scope.is_none().then_some("account"));
        for kind in kinds {
            for id in s.ids(&scope, kind) {
                let mut sent = s.get(&scope, id).unwrap().clone();
                if let Some(map) = sent.as_object_mut() {
                    map.remove("client_secret");
                }
                let key = (scope.clone().unwrap_or_default(), id.clone());
                let cached: Value =
                    serde_json::from_str(cache.get(&key).unwrap_or_else(|| panic!("{key:?} not cached"))).unwrap();
                assert_eq!(cached, sent, "{key:?}");
                expected += 1;
            }
        }
    }
    assert_eq!(cache.len(), expected, "nothing cached twice or from elsewhere");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_sync_reads_only_the_changes() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let client = client(&emulator);
    full_sync(&client, &store, Limits::LIVE, &SyncControl::default(), false).await.unwrap();

    // Three refunds on one account.
    let account = {
        let s = store.lock().unwrap();
        s.conn()
            .query_row("SELECT account FROM objects WHERE kind = 'charge' AND account != '' AND status = 'succeeded' AND raw NOT LIKE '%\"refunded\":true%' AND raw NOT LIKE '%\"disputed\":true%' LIMIT 1", [], |r| r.get::<_, String>(0))
            .unwrap()
    };
    let charges: Vec<String> = {
        let s = store.lock().unwrap();
        let mut stmt = s
            .conn()
            .prepare("SELECT id FROM objects WHERE kind = 'charge' AND account = ?1 AND status = 'succeeded' AND raw LIKE '%\"amount_refunded\":0%' AND raw LIKE '%\"disputed\":false%' ORDER BY created DESC LIMIT 3")
            .unwrap();
        stmt.query_map([&account], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(charges.len(), 3);
    for charge in &charges {
        let call = MoneyCall::new(
            "refund",
            "/v1/refunds",
            Some(&account),
            &[("charge", charge.clone()), ("amount", "100".into())],
        );
        money_calls::execute(&store, &client, &call).await.unwrap();
    }
    let before = cached(&store, "refund");
    let report = incremental_sync(&client, &store, Limits::LIVE, &SyncControl::default()).await.unwrap();
    assert_eq!(cached(&store, "refund"), before + 3);
    for charge in &charges {
        let raw: String = store
            .lock()
            .unwrap()
            .conn()
            .query_row("SELECT raw FROM objects WHERE id = ?1", [charge], |r| r.get(0))
            .unwrap();
        assert!(raw.contains("\"amount_refunded\":100"), "the charge was updated from its event");
    }
    // One events page per synced scope: 13 scopes (platform + 12 accounts), nothing else.
    assert_eq!(report.requests, 13, "{report:?}");
    // Nothing changed since: the same again, and no new objects.
    let again = incremental_sync(&client, &store, Limits::LIVE, &SyncControl::default()).await.unwrap();
    assert_eq!((again.requests, again.objects), (13, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_sync_resumes_where_it_stopped() {
    let mut config = Config::demo();
    config.scale = Some(Scale { accounts: 40, payments_per_account: 60 });
    let emulator = Emulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir);
    let client = client(&emulator);
    let control = Arc::new(SyncControl::default());
    let watcher = {
        let control = control.clone();
        tokio::spawn(async move {
            while control.progress.lock().unwrap().done < 60 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            control.cancel.store(true, Ordering::SeqCst);
        })
    };
    let first = full_sync(&client, &store, Limits::LIVE, &control, false).await;
    watcher.await.unwrap();
    assert!(matches!(first, Err(SyncError::Cancelled)), "{first:?}");
    let partial = cached(&store, "balance_transaction");
    assert!(partial > 0 && (partial as usize) < truth(&emulator, "balance_transaction"), "{partial}");

    let resumed = full_sync(&client, &store, Limits::LIVE, &SyncControl::default(), true).await.unwrap();
    for kind in KINDS {
        assert_eq!(cached(&store, kind) as usize, truth(&emulator, kind), "{kind}");
    }
    // The resumed run did not start over: it needed fewer requests than a fresh one.
    let dir2 = tempfile::tempdir().unwrap();
    let fresh = full_sync(&client, &store_fresh(&dir2), Limits::LIVE, &SyncControl::default(), false).await.unwrap();
    assert!(resumed.requests < fresh.requests, "resumed {} vs fresh {}", resumed.requests, fresh.requests);
}

fn store_fresh(dir: &tempfile::TempDir) -> Mutex<Store> {
    store(dir)
}

/// The cache holds what Stripe holds, accounts included.
fn assert_mirrors(store: &Mutex<Store>, emulator: &Emulator) {
    for kind in KINDS.into_iter().chain(["account"]) {
        assert_eq!(cached(store, kind) as usize, truth(emulator, kind), "{kind}");
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
    assert!((cached(&store, "charge") as usize) < truth(&emulator, "charge"), "the first sync stopped part-way");
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

    let account = emulator.add_restaurant("Late Night Noodles");
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
        conn.conn().query_row("SELECT count(*) FROM objects WHERE id = ?1", [id], |r| r.get(0)).unwrap()
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
