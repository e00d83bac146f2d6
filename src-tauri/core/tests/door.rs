//! The one door through the desk: a call with no definite answer is unknown (never failed), blocks
//! new calls for its account until settled, and is settled after a restart — with its key within
//! 23 hours, by lookup after Stripe's 24 hours, never by sending again; a settings change is never
//! re-applied over a later one; a confirmation submitted twice acts once.

use std::sync::Arc;
use std::time::Duration;

use md_core::clock::ManualClock;
use md_core::desk::RefundRequest;
use md_core::gateways::stripe::{Response, StripeClient};
use md_core::keys::ApiKey;
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::store::journal::{self, Status};
use md_core::store::{audit, Store};
use md_core::views::{ErrorCode, PayoutInterval, PayoutSchedule};
use md_core::{Desk, DeskConfig};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault, DEMO_API_KEY};

const KEY: &str = "sk_test_51DoorDoorDoorDoorDoorDoor0000";
/// The same platform's key after a roll.
const ROLLED: &str = "sk_test_51DoorDoorDoorDoorDoorDoor9999";

struct World {
    dir: tempfile::TempDir,
    stripe: Emulator,
    demo: Emulator,
    clock: Arc<ManualClock>,
    secrets: Arc<MemorySecrets>,
    platform: StripeClient,
    accounts: Vec<String>,
}

impl World {
    async fn new() -> World {
        let mut config = Config::with_key(KEY);
        config.api_keys.push(ROLLED.into());
        let stripe = Emulator::start(config).await.unwrap();
        let accounts = ["Bistro", "Trattoria"].into_iter().map(|name| stripe.add_restaurant(name)).collect();
        let platform = StripeClient::new(&stripe.base_url(), ApiKey::parse(KEY).unwrap()).unwrap();
        World {
            dir: tempfile::tempdir().unwrap(),
            demo: Emulator::start(Config::with_key(DEMO_API_KEY)).await.unwrap(),
            stripe,
            clock: Arc::new(ManualClock::default()),
            secrets: Arc::new(MemorySecrets::default()),
            platform,
            accounts,
        }
    }

    /// Opens the desk on the data folder (a restart when called again); settles what the last run
    /// left unfinished, as the app does at start.
    async fn open(&self) -> Desk {
        let mut config = DeskConfig::new(
            self.dir.path().to_path_buf(),
            self.secrets.clone(),
            self.demo.base_url(),
            DEMO_API_KEY.into(),
        );
        config.clock = self.clock.clone();
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        config.api_base_override = Some(self.stripe.base_url());
        let desk = Desk::open(config).unwrap();
        desk.settle_unfinished().await.unwrap();
        desk
    }

    /// The first start: an owner, the key connected, the accounts synced.
    async fn first_start(&self) -> Desk {
        let desk = self.open().await;
        desk.setup_first_profile("Maria", Role::Owner, "2468").unwrap();
        desk.connect(KEY, None).await.unwrap();
        desk.sync_run(true).await.unwrap();
        desk
    }

    fn sign_in(&self, desk: &Desk) {
        let maria = desk.session().unwrap().profiles.into_iter().find(|p| p.name == "Maria").unwrap();
        desk.unlock(maria.id, "2468").unwrap();
    }

    /// A paid card payment on `account`.
    async fn payment(&self, account: &str) -> String {
        let form = [("amount", "5000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let key = md_core::money_calls::new_key();
        let paid: Response<Value> =
            self.platform.post("/v1/payment_intents", &form, Some(account), &key).await.unwrap();
        paid.value["id"].as_str().unwrap().to_string()
    }

    async fn refunds(&self, account: &str, payment: &str) -> Vec<Value> {
        let q = [("payment_intent", payment.to_string())];
        let list: Response<Value> = self.platform.get("/v1/refunds", &q, Some(account)).await.unwrap();
        list.value["data"].as_array().unwrap().clone()
    }

    async fn schedule(&self, account: &str) -> Value {
        let a: Response<Value> = self.platform.get(&format!("/v1/accounts/{account}"), &[], None).await.unwrap();
        a.value["settings"]["payouts"]["schedule"].clone()
    }

    /// Every answer to the next six POSTs under `path` is lost after Stripe acted.
    fn drop_answers(&self, path: &str) {
        for _ in 0..6 {
            self.stripe.inject(Fault::DropAfterProcessing, Some("POST"), Some(path));
        }
    }

    fn journal(&self, key: &str) -> journal::Entry {
        let store = Store::open(&self.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        journal::get(store.conn(), key).unwrap().unwrap()
    }

    fn audited(&self, key: &str) -> Vec<(String, String)> {
        let store = Store::open(&self.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        let all = audit::all(store.conn()).unwrap();
        all.into_iter()
            .filter(|r| r.idempotency_key.as_deref() == Some(key))
            .map(|r| (r.outcome, r.detail.unwrap_or_default()))
            .collect()
    }

    /// A weekend: the emulator's clock and the desk's move on 25 hours.
    fn a_day_and_more_passes(&self) {
        self.stripe.advance_clock(Duration::from_secs(25 * 3600));
        self.clock.advance(chrono::Duration::hours(25));
    }
}

fn refund(account: &str, payment: &str, amount: i64) -> RefundRequest {
    RefundRequest {
        account: Some(account.into()),
        payment: payment.into(),
        amount: Some(amount),
        reason: None,
        approval: None,
        note: None,
    }
}

fn unknown_key(err: &md_core::DeskError) -> String {
    match err {
        md_core::DeskError::OutcomeUnknown { key, .. } => key.clone(),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_whose_answer_was_lost_is_found_by_lookup_after_stripe_forgot_its_key() {
    let w = World::new().await;
    let desk = w.first_start().await;
    let account = w.accounts[0].clone();
    let payment = w.payment(&account).await;

    w.drop_answers("/v1/refunds");
    let err = desk.refund(&refund(&account, &payment, 1500), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OutcomeUnknown, "{err}");
    let key = unknown_key(&err);
    assert_eq!(w.journal(&key).status, Status::Unknown, "not failed: the refund may have happened");
    assert_eq!(w.refunds(&account, &payment).await.len(), 1, "the emulator made it");

    // While it is unknown, nothing else is sent for this restaurant; another one is not blocked.
    let blocked = desk.refund(&refund(&account, &payment, 100), None).await.unwrap_err();
    assert_eq!(blocked.code(), ErrorCode::UnfinishedCall);
    assert!(blocked.to_string().contains(&format!("Refund of 15.00 USD on {payment}")), "{blocked}");
    let other = w.accounts[1].clone();
    let elsewhere = w.payment(&other).await;
    desk.refund(&refund(&other, &elsewhere, 100), None).await.unwrap();

    // The app is closed over a long weekend, then started again.
    drop(desk);
    w.a_day_and_more_passes();
    let desk = w.open().await;
    assert_eq!(w.refunds(&account, &payment).await.len(), 1, "exactly one refund");
    let entry = w.journal(&key);
    assert_eq!((entry.status, entry.settled_by.as_deref()), (Status::Succeeded, Some("lookup")));
    let audited = w.audited(&key);
    let outcomes: Vec<&str> = audited.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(outcomes, ["requested", "unknown", "succeeded"]);
    assert!(audited[2].1.contains("settled by lookup"), "{audited:?}");

    // Settled: the restaurant takes refunds again.
    w.sign_in(&desk);
    desk.refund(&refund(&account, &payment, 100), None).await.unwrap();
    assert_eq!(w.refunds(&account, &payment).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_schedule_change_is_never_applied_over_a_later_one() {
    let w = World::new().await;
    let desk = w.first_start().await;
    let account = w.accounts[0].clone();
    let weekly = PayoutSchedule {
        interval: PayoutInterval::Weekly,
        delay_days: 3,
        weekly_anchor: Some("friday".into()),
        monthly_anchor: None,
    };
    w.drop_answers(&format!("/v1/accounts/{account}"));
    let err = desk.update_payout_schedule(&account, &weekly, None).await.unwrap_err();
    let key = unknown_key(&err);
    assert_eq!(w.schedule(&account).await["interval"], "weekly", "Stripe applied it");

    // Meanwhile someone changes it again in the Stripe Dashboard.
    let later = [("settings[payouts][schedule][interval]", "daily"), ("settings[payouts][schedule][delay_days]", "4")]
        .map(|(k, v)| (k.to_string(), v.to_string()));
    let _: Response<Value> = w
        .platform
        .post(&format!("/v1/accounts/{account}"), &later, None, &md_core::money_calls::new_key())
        .await
        .unwrap();

    drop(desk);
    w.a_day_and_more_passes();
    let _desk = w.open().await;
    assert_eq!(w.schedule(&account).await, serde_json::json!({"interval": "daily", "delay_days": 4}));
    let entry = w.journal(&key);
    assert_eq!((entry.status, entry.settled_by.as_deref()), (Status::Superseded, Some("lookup")));
    let outcomes: Vec<String> = w.audited(&key).into_iter().map(|(o, _)| o).collect();
    assert_eq!(outcomes, ["requested", "unknown", "superseded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_submitted_twice_refunds_once() {
    let w = World::new().await;
    let desk = w.first_start().await;
    let account = w.accounts[0].clone();
    let payment = w.payment(&account).await;
    let confirmation = md_core::money_calls::new_key();
    let first = desk.refund(&refund(&account, &payment, 700), Some(&confirmation)).await.unwrap();
    let again = desk.refund(&refund(&account, &payment, 700), Some(&confirmation)).await.unwrap();
    assert_eq!(first.value["id"], again.value["id"]);
    assert_eq!(w.refunds(&account, &payment).await.len(), 1);
    let bad = desk.refund(&refund(&account, &payment, 700), Some("md_not-a-key")).await.unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput);
    let outcomes: Vec<String> = w.audited(&confirmation).into_iter().map(|(o, _)| o).collect();
    assert_eq!(outcomes, ["requested", "succeeded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_made_for_another_action_is_refused() {
    let w = World::new().await;
    let desk = w.first_start().await;
    let account = w.accounts[0].clone();
    let payment = w.payment(&account).await;
    let confirmation = md_core::money_calls::new_key();
    desk.refund(&refund(&account, &payment, 300), Some(&confirmation)).await.unwrap();
    // The same key for another amount, or for a schedule change, answers nothing of the refund's.
    let other_amount = desk.refund(&refund(&account, &payment, 900), Some(&confirmation)).await.unwrap_err();
    assert_eq!(other_amount.code(), ErrorCode::InvalidInput, "{other_amount}");
    let weekly = PayoutSchedule {
        interval: PayoutInterval::Weekly,
        delay_days: 3,
        weekly_anchor: Some("monday".into()),
        monthly_anchor: None,
    };
    let schedule = desk.update_payout_schedule(&account, &weekly, Some(&confirmation)).await.unwrap_err();
    assert_eq!(schedule.code(), ErrorCode::InvalidInput, "{schedule}");
    assert_eq!(w.refunds(&account, &payment).await.len(), 1);
    assert_eq!(w.schedule(&account).await["interval"], "daily", "nothing reached Stripe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_made_with_a_rolled_key_still_blocks_until_a_person_settles_it() {
    let w = World::new().await;
    let desk = w.first_start().await;
    let account = w.accounts[0].clone();
    let payment = w.payment(&account).await;
    w.drop_answers("/v1/refunds");
    let key = unknown_key(&desk.refund(&refund(&account, &payment, 1500), None).await.unwrap_err());
    // Within 23 hours of its own connection, only the app settles it (with its key).
    let early = desk.settle_unfinished_by_hand(&key, true).unwrap_err();
    assert_eq!(early.code(), ErrorCode::InvalidInput, "{early}");

    // The key is rolled: the call was made with a key no longer connected, and still blocks.
    desk.connect(ROLLED, None).await.unwrap();
    desk.sync_run(true).await.unwrap();
    let blocked = desk.refund(&refund(&account, &payment, 100), None).await.unwrap_err();
    assert_eq!(blocked.code(), ErrorCode::UnfinishedCall, "{blocked}");
    let listed = desk.unfinished_calls().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].other_connection && listed[0].settle_by_hand, "{listed:?}");

    // The owner checks the Stripe Dashboard: it happened.
    assert!(desk.settle_unfinished_by_hand(&key, true).unwrap().is_empty());
    let entry = w.journal(&key);
    assert_eq!((entry.status, entry.settled_by.as_deref()), (Status::Succeeded, Some("hand")));
    let audited = w.audited(&key);
    assert_eq!(audited.last().map(|(o, _)| o.as_str()), Some("succeeded"));
    assert!(audited.last().unwrap().1.contains("settled by hand: Maria"), "{audited:?}");
    desk.refund(&refund(&account, &payment, 100), None).await.unwrap();
    assert_eq!(w.refunds(&account, &payment).await.len(), 2);
}
