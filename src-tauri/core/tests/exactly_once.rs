//! Every refund, capture, transfer and payout happens exactly once, whatever fails: 500s, 429s,
//! answers dropped after Stripe acted, and the app dying between journalling a key and recording
//! the answer (before or after the request went out) — settled with the key within 23 hours and by
//! lookup after Stripe's 24 hours, never sent again then; no definite answer is never "failed".

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use md_core::gateways::stripe::retry::Policy;
use md_core::gateways::stripe::{Response, StripeClient};
use md_core::keys::ApiKey;
use md_core::money_calls::{self, Intent, MoneyCall, Outcome};
use md_core::store::journal::{self, Asker, Status};
use md_core::store::Store;
use serde_json::Value;
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
    let account = emulator.add_restaurant("Bistro");
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

fn asker() -> Asker {
    Asker { profile_id: Some(1), profile_name: "Maria".into(), role: "owner".into() }
}

fn intent(call: &MoneyCall) -> Intent {
    Intent { audit_action: format!("test.{}", call.action), summary: call.action.to_string(), ..Default::default() }
}

/// Journals `call` (and audits it as requested) the way the door does, without sending it.
fn journal_only(w: &World, call: &MoneyCall, now: DateTime<Utc>) -> String {
    let key = money_calls::new_key();
    money_calls::journal(&w.store, &w.client, call, &key, &asker(), &intent(call), now).unwrap();
    key
}

fn entry(store: &Mutex<Store>, key: &str) -> journal::Entry {
    journal::get(store.lock().unwrap().conn(), key).unwrap().unwrap()
}

/// The outcomes the audit log holds for `key`, in order.
fn audited(store: &Mutex<Store>, key: &str) -> Vec<String> {
    let all = md_core::store::audit::all(store.lock().unwrap().conn()).unwrap();
    all.into_iter().filter(|r| r.idempotency_key.as_deref() == Some(key)).map(|r| r.outcome).collect()
}

/// A refund of `amount` cents of `payment` on the world's restaurant.
fn refund_of(w: &World, payment: String, amount: i64) -> MoneyCall {
    MoneyCall::new(
        "refund",
        "/v1/refunds",
        Some(&w.account),
        &[("payment_intent", payment), ("amount", amount.to_string())],
    )
}

fn reopen(w: &World) -> Mutex<Store> {
    Mutex::new(Store::open(&w.dir.path().join("desk.sqlite3")).unwrap())
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
            let key = done.unwrap().key;
            assert_eq!(entry(&w.store, &key).status, Status::Succeeded);
            assert_eq!(audited(&w.store, &key), ["requested", "succeeded"]);
        }
    }
}

#[tokio::test]
async fn a_crash_before_sending_is_sent_once_within_the_window() {
    let w = world().await;
    for (call, _) in each_money_call(&w).await {
        // The key is journalled, then the app dies before the request leaves.
        let key = journal_only(&w, &call, Utc::now());
        assert_eq!(effects(&w, &call).await, 0);
        // Next start: a new store handle on the same file finds it unfinished and retries it.
        let reopened = reopen(&w);
        let settled = money_calls::settle(&reopened, &w.client, Utc::now()).await.unwrap();
        assert_eq!(settled.len(), 1);
        assert_eq!((settled[0].status, settled[0].settled_by), (Status::Succeeded, Some("retry")));
        assert_eq!(effects(&w, &call).await, 1, "{} happened once", call.action);
        assert_eq!(entry(&reopened, &key).status, Status::Succeeded);
        assert_eq!(audited(&reopened, &key), ["requested", "succeeded"]);
        assert!(money_calls::settle(&reopened, &w.client, Utc::now()).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_crash_after_sending_is_settled_without_acting_twice() {
    let w = world().await;
    for (call, _) in each_money_call(&w).await {
        // Sent and carried out by Stripe, then the app dies before recording the answer.
        let key = journal_only(&w, &call, Utc::now());
        assert!(matches!(money_calls::send(&w.client, &entry(&w.store, &key)).await, Outcome::Succeeded(_)));
        assert_eq!(effects(&w, &call).await, 1);
        let reopened = reopen(&w);
        let settled = money_calls::settle(&reopened, &w.client, Utc::now()).await.unwrap();
        assert_eq!(settled[0].status, Status::Succeeded);
        assert_eq!(effects(&w, &call).await, 1, "{} still happened once", call.action);
    }
}

#[tokio::test]
async fn past_stripes_24_hours_a_call_is_looked_up_never_sent_again() {
    let w = world().await;
    let calls = each_money_call(&w).await;
    // Made at Stripe, answer lost; and journalled but never sent. Then a long weekend.
    let mut made = Vec::new();
    let mut never_sent = Vec::new();
    let start = Utc::now();
    for (call, _) in &calls {
        let key = journal_only(&w, call, start);
        assert!(matches!(money_calls::send(&w.client, &entry(&w.store, &key)).await, Outcome::Succeeded(_)));
        made.push((call.clone(), key));
    }
    let (paid, auth) = w.payments().await;
    let a = Some(w.account.as_str());
    for call in [
        MoneyCall::new("refund", "/v1/refunds", a, &[("payment_intent", paid), ("amount", "700".into())]),
        MoneyCall::new("capture", format!("/v1/payment_intents/{auth}/capture"), a, &[]),
    ] {
        let key = journal_only(&w, &call, start);
        never_sent.push((call, key));
    }
    let refunds_before = effects(&w, &calls[0].0).await;
    w.emulator.advance_clock(25 * 3600 * Duration::from_secs(1));
    let later = start + chrono::TimeDelta::hours(25);

    let reopened = reopen(&w);
    let settled = money_calls::settle(&reopened, &w.client, later).await.unwrap();
    assert_eq!(settled.len(), made.len() + never_sent.len());
    for (call, key) in &made {
        let e = entry(&reopened, key);
        assert_eq!((e.status, e.settled_by.as_deref()), (Status::Succeeded, Some("lookup")), "{}", call.action);
        assert_eq!(audited(&reopened, key), ["requested", "succeeded"], "{}", call.action);
    }
    for (call, key) in &never_sent {
        let e = entry(&reopened, key);
        assert_eq!((e.status, e.settled_by.as_deref()), (Status::Failed, Some("lookup")), "{}", call.action);
        assert_eq!(audited(&reopened, key), ["requested", "failed"]);
    }
    // Nothing was sent again: one refund each, and the authorization is still uncaptured.
    assert_eq!(effects(&w, &calls[0].0).await, refunds_before);
    let pi: Response<Value> = w.client.get(&format!("/v1/payment_intents/{auth}"), &[], a).await.unwrap();
    assert_eq!(pi.value["status"], "requires_capture");
}

#[tokio::test]
async fn no_definite_answer_is_unknown_never_failed_and_settles_later() {
    let w = world().await;
    let (paid, _) = w.payments().await;
    let call = refund_of(&w, paid, 500);
    // Every attempt fails with a 500: no answer settles it.
    for _ in 0..6 {
        w.emulator.inject(Fault::ServerError, Some("POST"), Some("/v1/refunds"));
    }
    let key = money_calls::new_key();
    let err = money_calls::submit(&w.store, &w.client, &call, &key, &asker(), &intent(&call), Utc::now()).await;
    assert!(matches!(err, Err(money_calls::CallError::Unknown { .. })), "{err:?}");
    assert_eq!(entry(&w.store, &key).status, Status::Unknown);
    assert_eq!(audited(&w.store, &key), ["requested", "unknown"]);
    assert_eq!(effects(&w, &call).await, 0);

    let settled = money_calls::settle(&w.store, &w.client, Utc::now()).await.unwrap();
    assert_eq!((settled[0].status, settled[0].settled_by), (Status::Succeeded, Some("retry")));
    assert_eq!(audited(&w.store, &key), ["requested", "unknown", "succeeded"]);
    assert_eq!(effects(&w, &call).await, 1);
}

#[tokio::test]
async fn a_refusal_is_recorded_and_not_retried() {
    let w = world().await;
    let (paid, _) = w.payments().await;
    let call = refund_of(&w, paid, 999999);
    let err = money_calls::execute(&w.store, &w.client, &call).await.unwrap_err();
    assert!(err.to_string().contains("greater than unrefunded amount"), "{err}");
    assert!(
        journal::unfinished(w.store.lock().unwrap().conn(), &money_calls::connection_of(&w.client)).unwrap().is_empty(),
        "a refusal is an outcome, not unfinished"
    );
    assert_eq!(effects(&w, &call).await, 0);
}

#[test]
fn answers_sort_into_three_outcomes() {
    use md_core::gateways::stripe::StripeError;
    use md_core::money_calls::classify;
    let api = |status: u16, kind: &str| {
        Err(StripeError::Api {
            status,
            kind: kind.into(),
            code: None,
            param: None,
            message: "m".into(),
            request_id: None,
        })
    };
    assert!(matches!(classify(api(400, "invalid_request_error")), Outcome::Failed(..)));
    assert!(matches!(classify(api(402, "card_error")), Outcome::Failed(..)));
    assert!(matches!(classify(api(400, "idempotency_error")), Outcome::Unknown(..)));
    for status in [409, 429, 500, 502, 503] {
        assert!(matches!(classify(api(status, "api_error")), Outcome::Unknown(..)), "{status}");
    }
    let network = Err(StripeError::Network { base_url: "x".into(), detail: "reset".into() });
    assert!(matches!(classify(network), Outcome::Unknown(..)));
}
