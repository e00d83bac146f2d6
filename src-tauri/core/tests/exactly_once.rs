//! Every refund, capture, transfer and payout happens exactly once, whatever fails: 500s, 429s,
//! answers dropped after Stripe acted, and the app dying between journalling a key and recording
//! the answer (before or after the request went out).

use std::sync::Mutex;
use std::time::Duration;

use md_core::keys::ApiKey;
use md_core::money_calls::{self, MoneyCall};
use md_core::store::{journal, Store};
use md_core::stripe::retry::Policy;
use md_core::stripe::{Response, StripeClient};
use serde_json::Value;
use stripe_emulator::seed::{add_account, AccountSpec, Standing};
use stripe_emulator::{Config, Emulator, Fault};

const KEY: &str = "sk_test_51ExactlyOnceExactlyOnce000";
const DAY: Duration = Duration::from_secs(86_400);

struct World {
    emulator: Emulator,
    client: StripeClient,
    dir: tempfile::TempDir,
    store: Mutex<Store>,
    account: String,
}

async fn world() -> World {
    let emulator = Emulator::start(Config::with_key(KEY)).await.unwrap();
    let account = {
        let state = emulator.state();
        let mut s = state.lock().unwrap();
        let spec = AccountSpec {
            name: "Bistro",
            kind: "express",
            country: "US",
            currency: "usd",
            email: "b@example.com",
            standing: Standing::Active,
        };
        let now = s.now();
        add_account(&mut s, &spec, now)
    };
    let fast = Policy { max_attempts: 6, base: Duration::from_millis(5), max_delay: Duration::from_millis(40) };
    let client = StripeClient::new(&emulator.base_url(), ApiKey::parse(KEY).unwrap()).unwrap().with_policy(fast);
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("desk.sqlite3")).unwrap());
    World { emulator, client, dir, store, account }
}

impl World {
    async fn post(&self, path: &str, form: &[(&str, String)], account: Option<&str>) -> Value {
        let call = MoneyCall::new("setup", path, account, form);
        money_calls::execute(&self.store, &self.client, &call).await.unwrap().value
    }

    async fn list(&self, path: &str, account: Option<&str>) -> Vec<Value> {
        let r: Response<Value> = self.client.get(path, &[("limit", "100".into())], account).await.unwrap();
        r.value["data"].as_array().unwrap().clone()
    }

    /// A captured card payment on the account, and one authorized only.
    async fn payments(&self) -> (String, String) {
        let a = Some(self.account.as_str());
        let paid = self
            .post(
                "/v1/payment_intents",
                &[
                    ("amount", "5000".into()),
                    ("currency", "usd".into()),
                    ("payment_method", "pm_card_visa".into()),
                    ("confirm", "true".into()),
                ],
                a,
            )
            .await;
        let auth = self
            .post(
                "/v1/payment_intents",
                &[
                    ("amount", "8000".into()),
                    ("currency", "usd".into()),
                    ("capture_method", "manual".into()),
                    ("payment_method", "pm_card_visa".into()),
                    ("confirm", "true".into()),
                ],
                a,
            )
            .await;
        (paid["id"].as_str().unwrap().to_string(), auth["id"].as_str().unwrap().to_string())
    }
}

/// The four kinds of money call, each with a check that it took effect exactly once.
async fn each_money_call(w: &World) -> Vec<(MoneyCall, &'static str)> {
    let (paid, auth) = w.payments().await;
    // Funds for a transfer (platform) and a payout (account, on a manual schedule).
    w.post(
        "/v1/payment_intents",
        &[
            ("amount", "90000".into()),
            ("currency", "usd".into()),
            ("payment_method", "pm_card_visa".into()),
            ("confirm", "true".into()),
        ],
        None,
    )
    .await;
    w.post(&format!("/v1/accounts/{}", w.account), &[("settings[payouts][schedule][interval]", "manual".into())], None)
        .await;
    w.emulator.advance_clock(3 * DAY);
    let a = Some(w.account.as_str());
    vec![
        (
            MoneyCall::new("refund", "/v1/refunds", a, &[("payment_intent", paid), ("amount", "1200".into())]),
            "/v1/refunds",
        ),
        (
            MoneyCall::new(
                "capture",
                format!("/v1/payment_intents/{auth}/capture"),
                a,
                &[("amount_to_capture", "6000".into())],
            ),
            "capture",
        ),
        (
            MoneyCall::new(
                "transfer",
                "/v1/transfers",
                None,
                &[("amount", "2500".into()), ("currency", "usd".into()), ("destination", w.account.clone())],
            ),
            "/v1/transfers",
        ),
        (
            MoneyCall::new("payout", "/v1/payouts", a, &[("amount", "1000".into()), ("currency", "usd".into())]),
            "/v1/payouts",
        ),
    ]
}

/// How many times the call's effect exists at Stripe.
async fn effects(w: &World, call: &MoneyCall) -> usize {
    let a = Some(w.account.as_str());
    match call.action {
        "refund" => w.list("/v1/refunds", a).await.len(),
        "transfer" => w.list("/v1/transfers", None).await.len(),
        "payout" => w.list("/v1/payouts", a).await.len(),
        "capture" => {
            // A capture shows as one charge.captured event.
            let r: Response<Value> =
                w.client.get("/v1/events", &[("type", "charge.captured".into())], a).await.unwrap();
            r.value["data"].as_array().unwrap().len()
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn faults_on_the_wire_never_double_an_effect() {
    for fault in [Fault::ServerError, Fault::RateLimited, Fault::DropAfterProcessing] {
        let w = world().await;
        for (call, prefix) in each_money_call(&w).await {
            let path_prefix = if prefix == "capture" { call.path.as_str() } else { prefix };
            // Two faults in a row, then the request goes through.
            w.emulator.inject(fault, Some("POST"), Some(path_prefix));
            w.emulator.inject(fault, Some("POST"), Some(path_prefix));
            let done = money_calls::execute(&w.store, &w.client, &call).await;
            assert!(done.is_ok(), "{fault:?} {}: {done:?}", call.action);
            assert_eq!(effects(&w, &call).await, 1, "{fault:?}: {} happened once", call.action);
            let entry = journal::get(w.store.lock().unwrap().conn(), &done.unwrap().key).unwrap().unwrap();
            assert_eq!(entry.status, "succeeded");
        }
    }
}

#[tokio::test]
async fn a_crash_before_sending_is_replayed_once() {
    let w = world().await;
    for (call, _) in each_money_call(&w).await {
        // The key is journalled, then the app dies before the request leaves.
        let key = money_calls::journal(&w.store, &w.client, &call).unwrap();
        assert_eq!(effects(&w, &call).await, 0);
        // Next start: a new store handle on the same file finds it pending and replays it.
        let reopened = Mutex::new(Store::open(&w.dir.path().join("desk.sqlite3")).unwrap());
        let replayed = money_calls::resolve_pending(&reopened, &w.client).await.unwrap();
        assert_eq!(replayed.len(), 1);
        assert!(replayed[0].1.is_ok(), "{:?}", replayed[0].1);
        assert_eq!(effects(&w, &call).await, 1, "{} happened once", call.action);
        assert_eq!(journal::get(reopened.lock().unwrap().conn(), &key).unwrap().unwrap().status, "succeeded");
        assert!(money_calls::resolve_pending(&reopened, &w.client).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_crash_after_sending_is_replayed_without_acting_twice() {
    let w = world().await;
    for (call, _) in each_money_call(&w).await {
        // Sent and carried out by Stripe, then the app dies before recording the answer.
        let key = money_calls::journal(&w.store, &w.client, &call).unwrap();
        money_calls::send(&w.client, &key, &call).await.unwrap();
        assert_eq!(effects(&w, &call).await, 1);
        let reopened = Mutex::new(Store::open(&w.dir.path().join("desk.sqlite3")).unwrap());
        let replayed = money_calls::resolve_pending(&reopened, &w.client).await.unwrap();
        assert_eq!(replayed.len(), 1);
        assert!(replayed[0].1.is_ok());
        assert_eq!(effects(&w, &call).await, 1, "{} still happened once", call.action);
    }
}

#[tokio::test]
async fn a_refusal_is_recorded_and_not_retried() {
    let w = world().await;
    let (paid, _) = w.payments().await;
    let call = MoneyCall::new(
        "refund",
        "/v1/refunds",
        Some(&w.account),
        &[("payment_intent", paid), ("amount", "999999".into())],
    );
    let err = money_calls::execute(&w.store, &w.client, &call).await.unwrap_err();
    assert!(err.to_string().contains("greater than unrefunded amount"), "{err}");
    assert!(
        journal::pending(w.store.lock().unwrap().conn(), &money_calls::connection_of(&w.client)).unwrap().is_empty(),
        "a refusal is an outcome, not pending"
    );
    assert_eq!(effects(&w, &call).await, 0);
}
