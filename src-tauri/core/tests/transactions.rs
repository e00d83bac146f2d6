//! The neutral transactions against the Stripe emulator: a sync of the demo restaurant group
//! leaves one row per charge and per refund, with amounts, refunds and order numbers that agree
//! with what Stripe holds; an order number from the seed is found across gateways; refunds and
//! captures made after the first sync reach the rows, and a full re-sync ends where it started.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use md_core::gateways::stripe::{Response, StripeClient};
use md_core::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use md_core::keys::ApiKey;
use md_core::store::filters::Accounts;
use md_core::store::transactions::{self, OrderQuery};
use md_core::store::Store;
use md_core::sync::{full_sync, sync_to_date, Limits, SyncControl};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

fn client(emulator: &Emulator) -> StripeClient {
    StripeClient::new(&emulator.base_url(), ApiKey::parse(DEMO_API_KEY).unwrap()).unwrap()
}

async fn sync(emulator: &Emulator, store: &Mutex<Store>) {
    sync_to_date(&client(emulator), store, Limits::LIVE, &SyncControl::default(), false).await.unwrap();
}

async fn post(emulator: &Emulator, path: &str, form: &[(&str, &str)], account: &str) -> Value {
    static KEYS: AtomicU32 = AtomicU32::new(0);
    let key = format!("transactions-test-{}", KEYS.fetch_add(1, Ordering::Relaxed));
    let form: Vec<(String, String)> = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let answer: Response<Value> = client(emulator).post(path, &form, Some(account), &key).await.unwrap();
    answer.value
}

/// Every cached object of `kind`: (account, JSON).
fn cached(store: &Mutex<Store>, kind: &str) -> Vec<(String, Value)> {
    let s = store.lock().unwrap();
    let mut stmt = s.conn().prepare("SELECT account, raw FROM objects WHERE kind = ?1").unwrap();
    let rows = stmt.query_map([kind], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).unwrap();
    rows.map(|r| r.unwrap()).map(|(a, raw)| (a, serde_json::from_str(&raw).unwrap())).collect()
}

fn row(store: &Mutex<Store>, reference: &str) -> Option<Transaction> {
    transactions::get(store.lock().unwrap().conn(), GatewayKind::Stripe, reference).unwrap()
}

/// Checks every cached charge and refund against its neutral row, with figures taken from other
/// objects than the one mapped where Stripe has them: a charge's refunds from the refunds
/// themselves, a captured amount from its PaymentIntent's `amount_received`, capture or purchase
/// from the PaymentIntent's `capture_method`. Returns how many rows it checked.
fn assert_consistent(store: &Mutex<Store>) -> usize {
    let intents: BTreeMap<String, Value> = cached(store, "payment_intent")
        .into_iter()
        .map(|(_, pi)| (pi["id"].as_str().unwrap().to_string(), pi))
        .collect();
    let refunds = cached(store, "refund");
    let mut refunded: BTreeMap<&str, i64> = BTreeMap::new();
    for (_, r) in &refunds {
        if !matches!(r["status"].as_str(), Some("failed" | "canceled")) {
            *refunded.entry(r["charge"].as_str().unwrap()).or_default() += r["amount"].as_i64().unwrap();
        }
    }
    let charges = cached(store, "charge");
    assert!(charges.len() > 1_000, "the demo group has months of payments: {}", charges.len());
    let mut orders: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (account, c) in &charges {
        let id = c["id"].as_str().unwrap();
        let t = row(store, id).unwrap_or_else(|| panic!("no neutral row for {id}"));
        let pi = &intents[c["payment_intent"].as_str().unwrap()];
        let order = c["metadata"]["order_number"].as_str().map(str::to_string);
        assert_eq!(order, pi["metadata"]["order_number"].as_str().map(str::to_string));
        assert!(order.is_some(), "{id}: every payment here has an order number");
        assert_eq!((&t.restaurant, &t.order_ref, t.created), (account, &order, c["created"].as_i64().unwrap()), "{id}");
        assert_eq!(t.currency, c["currency"].as_str().unwrap());
        assert_eq!(t.card_last4.as_deref(), c["payment_method_details"]["card"]["last4"].as_str());
        let status = match c["status"].as_str().unwrap() {
            "succeeded" => TxStatus::Complete,
            "failed" => TxStatus::Failed,
            _ => TxStatus::Pending,
        };
        assert_eq!(t.status, status, "{id}");
        if c["captured"] == true {
            let kind = if pi["capture_method"] == "manual" { TxType::Capture } else { TxType::Purchase };
            assert_eq!((t.kind, t.settled), (kind, Some(true)), "{id}");
            assert_eq!(t.amount, pi["amount_received"].as_i64().unwrap(), "{id}: the amount captured");
            assert_eq!(t.refunded, refunded.get(id).copied().unwrap_or(0), "{id}: the sum of its refunds");
        } else {
            assert_eq!((t.kind, t.settled, t.amount), (TxType::Authorize, Some(false), c["amount"].as_i64().unwrap()));
            assert_eq!(t.refundable(), 0);
        }
        orders.insert(id.to_string(), order);
    }
    for (account, r) in &refunds {
        let id = r["id"].as_str().unwrap();
        let t = row(store, id).unwrap_or_else(|| panic!("no neutral row for {id}"));
        let charge = r["charge"].as_str().unwrap();
        assert_eq!(
            (t.kind, t.amount, t.parent.as_deref(), &t.restaurant),
            (TxType::Refund, r["amount"].as_i64().unwrap(), Some(charge), account)
        );
        assert_eq!(t.order_ref, orders[charge], "{id}: a refund carries its charge's order number");
    }
    // Nothing else: every demo PaymentIntent that took a card has its charge.
    let total = transactions::total(store.lock().unwrap().conn(), Some(GatewayKind::Stripe)).unwrap() as usize;
    assert_eq!(total, charges.len() + refunds.len());
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_synced_charge_and_refund_has_its_row_and_a_seeded_order_is_found() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    sync(&emulator, &store).await;
    assert_consistent(&store);

    // An order the seed refunded, taken from the emulator's own state.
    let (restaurant, charge, order, refunds) = {
        let state = emulator.state();
        let s = state.lock().unwrap();
        let refund = s.objects_of_kind("refund").map(|(_, r)| r).next().expect("the demo has refunds").clone();
        let charge = refund["charge"].as_str().unwrap().to_string();
        let (scope, c) = s.objects_of_kind("charge").find(|(_, c)| c["id"] == charge.as_str()).unwrap();
        let refunds: Vec<String> = s
            .objects_of_kind("refund")
            .filter(|(_, r)| r["charge"] == charge.as_str())
            .map(|(_, r)| r["id"].as_str().unwrap().to_string())
            .collect();
        (scope.clone().unwrap(), charge, c["metadata"]["order_number"].as_str().unwrap().to_string(), refunds)
    };
    let conn = store.lock().unwrap();
    let found = transactions::by_order(conn.conn(), &order, &Accounts::All).unwrap();
    assert_eq!(found[0].reference, charge, "{found:#?}");
    assert_eq!(found.len(), 1 + refunds.len());
    assert!(found[1..].iter().all(|t| t.kind == TxType::Refund && t.parent.as_deref() == Some(charge.as_str())));
    assert!(found.iter().all(|t| t.gateway == GatewayKind::Stripe && t.restaurant == restaurant));
    assert_eq!(transactions::by_order(conn.conn(), &order, &Accounts::Only(vec![restaurant.clone()])).unwrap(), found);
    assert!(transactions::by_order(conn.conn(), &order, &Accounts::Only(vec!["acct_other".into()]))
        .unwrap()
        .is_empty());

    // The restaurant's list finds it by the start of its number, and pages newest first.
    let query = OrderQuery { order_prefix: Some(order.to_lowercase()), ..OrderQuery::default() };
    let listed = transactions::of_restaurant(conn.conn(), &restaurant, &query).unwrap();
    assert!(listed.iter().any(|t| t.reference == charge));
    let all = OrderQuery::default();
    let page = transactions::of_restaurant(conn.conn(), &restaurant, &all).unwrap();
    let total = transactions::count(conn.conn(), &Accounts::Only(vec![restaurant.clone()]), &all).unwrap();
    assert_eq!(page.len(), 100.min(total as usize));
    assert!(page.windows(2).all(|w| w[0].created >= w[1].created));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_and_captures_after_the_first_sync_reach_the_rows_and_a_full_resync_agrees() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    sync(&emulator, &store).await;

    // A refund on a payment nobody refunded or disputed.
    let (account, charge) = {
        let state = emulator.state();
        let s = state.lock().unwrap();
        let (scope, c) = s
            .objects_of_kind("charge")
            .find(|(scope, c)| {
                scope.is_some() && c["captured"] == true && c["amount_refunded"] == 0 && c["disputed"] == false
            })
            .unwrap();
        (scope.clone().unwrap(), c["id"].as_str().unwrap().to_string())
    };
    let before = row(&store, &charge).unwrap();
    assert_eq!(before.refunded, 0);
    let refund = post(&emulator, "/v1/refunds", &[("charge", &charge), ("amount", "300")], &account).await;
    // A manual-capture payment, authorized, then captured for less.
    let intent = post(
        &emulator,
        "/v1/payment_intents",
        &[
            ("amount", "5000"),
            ("currency", "usd"),
            ("payment_method", "pm_card_visa"),
            ("capture_method", "manual"),
            ("confirm", "true"),
            ("metadata[order_number]", "TX-TEST-1"),
        ],
        &account,
    )
    .await;
    let held = intent["latest_charge"].as_str().unwrap().to_string();
    sync(&emulator, &store).await;

    let after = row(&store, &charge).unwrap();
    assert_eq!((after.refunded, after.refundable()), (300, before.amount - 300));
    let r = row(&store, refund["id"].as_str().unwrap()).unwrap();
    assert_eq!((r.kind, r.status, r.amount, r.order_ref), (TxType::Refund, TxStatus::Complete, 300, before.order_ref));
    let auth = row(&store, &held).unwrap();
    assert_eq!(
        (auth.kind, auth.status, auth.amount, auth.settled),
        (TxType::Authorize, TxStatus::Complete, 5_000, Some(false))
    );
    assert_eq!(auth.order_ref.as_deref(), Some("TX-TEST-1"));

    let pi = intent["id"].as_str().unwrap();
    post(&emulator, &format!("/v1/payment_intents/{pi}/capture"), &[("amount_to_capture", "4200")], &account).await;
    sync(&emulator, &store).await;
    let captured = row(&store, &held).unwrap();
    assert_eq!((captured.kind, captured.amount, captured.refunded), (TxType::Capture, 4_200, 0), "{captured:?}");
    assert_eq!((captured.refundable(), captured.settled), (4_200, Some(true)));
    let checked = assert_consistent(&store);

    // A full re-sync over the same cache rewrites every row and ends where it started.
    let snapshot = |store: &Mutex<Store>| -> Vec<Transaction> {
        let s = store.lock().unwrap();
        let mut stmt = s.conn().prepare("SELECT reference FROM transactions ORDER BY reference").unwrap();
        let refs: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        refs.iter().map(|r| transactions::get(s.conn(), GatewayKind::Stripe, r).unwrap().unwrap()).collect()
    };
    let before_resync = snapshot(&store);
    full_sync(&client(&emulator), &store, Limits::LIVE, &SyncControl::default(), false).await.unwrap();
    assert_eq!(assert_consistent(&store), checked);
    assert_eq!(snapshot(&store), before_resync);
}
