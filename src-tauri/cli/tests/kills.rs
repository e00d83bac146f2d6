//! Money calls survive the process being killed: refunds asked from the command line, each run
//! killed (SIGKILL) at a random moment in many cases — while signing in, journalling, sending,
//! retrying or recording — and asked again the way a person would when a run gave no answer.
//! Afterwards Stripe holds exactly one refund per payment, nothing recorded as failed exists, and
//! each call is audited once as requested and once with its outcome.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use md_core::clock::ManualClock;
use md_core::gateways::stripe::{Response, StripeClient};
use md_core::keys::ApiKey;
use md_core::money_calls::{new_key, KEY_METADATA};
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::{Keyring, SecretStore, STRIPE_KEY};
use md_core::store::journal::{self, Status};
use md_core::store::{audit, Store};
use md_core::{Desk, DeskConfig};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault, DEMO_API_KEY};

const KEY: &str = "sk_test_51KilledKilledKilledKilled000";
const PAYMENTS: usize = 20;

fn cli(data: &Path, base: &str, service: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"));
    command
        .args(args)
        .env("MERCHANT_DESK_STRIPE_KEY", KEY)
        .env("MERCHANT_DESK_STRIPE_API_BASE", base)
        .env("MERCHANT_DESK_DATA_DIR", data)
        .env("MERCHANT_DESK_KEYRING_SERVICE", service)
        .env("MERCHANT_DESK_PROFILE", "Ada")
        .env("MERCHANT_DESK_PIN", "2468")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// The journal entries of refunds of `payment`.
fn entries_for(data: &Path, payment: &str) -> Vec<journal::Entry> {
    let store = Store::open(&data.join(md_core::desk::DATABASE_FILE)).unwrap();
    let keys: Vec<String> = {
        let mut stmt = store.conn().prepare("SELECT key FROM idempotency_journal WHERE target = ?1").unwrap();
        stmt.query_map([payment], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    keys.iter().filter_map(|k| journal::get(store.conn(), k).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_from_a_command_line_killed_at_random_happen_exactly_once() {
    let mut config = Config::with_key(KEY);
    // Slow answers widen the moments a kill can land in while a request is out.
    config.latency = Duration::from_millis(150);
    let stripe = Emulator::start(config).await.unwrap();
    let base = stripe.base_url();
    let account = stripe.add_restaurant("Bistro");
    let platform = StripeClient::new(&base, ApiKey::parse(KEY).unwrap()).unwrap();
    let mut payments = Vec::new();
    for _ in 0..PAYMENTS {
        let form = [("amount", "5000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let paid: Response<Value> =
            platform.post("/v1/payment_intents", &form, Some(&account), &new_key()).await.unwrap();
        payments.push(paid.value["id"].as_str().unwrap().to_string());
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let port = base.rsplit(':').next().unwrap_or_default().to_string();
    let service = format!("merchant-desk-cli-kills-{}-{port}", std::process::id());
    {
        let secrets = Arc::new(Keyring::new(service.clone()));
        let mut config = DeskConfig::new(data.clone(), secrets, "http://127.0.0.1:9".into(), DEMO_API_KEY.into());
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        Desk::open(config).unwrap().setup_first_profile("Ada", Role::PlatformAdmin, "2468").unwrap();
    }
    let synced = cli(&data, &base, &service, &["sync"]).status().unwrap();
    assert!(synced.success());

    let mut rng = fastrand::Rng::with_seed(20261130);
    let (mut kills, mut runs) = (0, 0);
    for payment in &payments {
        for attempt in 0.. {
            assert!(attempt < 25, "{payment} was asked {attempt} times without getting under way");
            if rng.u32(0..100) < 30 {
                for _ in 0..rng.usize(1..=7) {
                    stripe.inject(Fault::DropAfterProcessing, Some("POST"), Some("/v1/refunds"));
                }
            }
            let args = ["refund", "--payment", payment, "--account", &account, "--amount", "100"];
            let mut child = cli(&data, &base, &service, &args).spawn().unwrap();
            runs += 1;
            let done = if rng.u32(0..100) < 70 {
                let wait = Duration::from_millis(rng.u64(0..1_200));
                let start = std::time::Instant::now();
                let mut exited = None;
                while start.elapsed() < wait && exited.is_none() {
                    exited = child.try_wait().unwrap();
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                match exited {
                    Some(status) => status.success(),
                    None => {
                        child.kill().unwrap();
                        child.wait().unwrap();
                        kills += 1;
                        false
                    }
                }
            } else {
                child.wait().unwrap().success()
            };
            // As a person would: ask again only when nothing of this refund is known to be under way.
            let entries = entries_for(&data, payment);
            let asked = entries.iter().any(|e| e.status != Status::Failed);
            if done || asked {
                break;
            }
        }
    }

    // The desk settles what the killed runs left (a pending call of another process is left alone
    // while it may still be in flight: ten minutes on), and what never happened is asked again.
    let clock = Arc::new(ManualClock::default());
    clock.advance(chrono::Duration::minutes(10));
    let secrets: Arc<dyn SecretStore> = {
        let store = Arc::new(md_core::secrets::MemorySecrets::default());
        store.set(STRIPE_KEY, KEY).unwrap();
        store
    };
    let mut config = DeskConfig::new(data.clone(), secrets, "http://127.0.0.1:9".into(), DEMO_API_KEY.into());
    config.clock = clock;
    config.api_base_override = Some(base.clone());
    let desk = Desk::open(config).unwrap();
    desk.settle_unfinished().await.unwrap();
    for payment in &payments {
        if !entries_for(&data, payment).iter().any(|e| e.status == Status::Succeeded) {
            let args = ["refund", "--payment", payment, "--account", &account, "--amount", "100"];
            assert!(cli(&data, &base, &service, &args).status().unwrap().success(), "{payment}");
        }
    }

    let state = stripe.state();
    let refunds: Vec<Value> = state.lock().unwrap().objects_of_kind("refund").map(|(_, v)| v.clone()).collect();
    assert_eq!(refunds.len(), PAYMENTS, "one refund per payment ({runs} runs, {kills} killed)");
    let made: HashSet<String> =
        refunds.iter().filter_map(|r| r["metadata"][KEY_METADATA].as_str().map(str::to_string)).collect();
    let store = Store::open(&data.join(md_core::desk::DATABASE_FILE)).unwrap();
    let mut per_key: HashMap<String, Vec<String>> = HashMap::new();
    for row in audit::all(store.conn()).unwrap().into_iter().filter(|r| r.action == "refunds.create") {
        if let Some(key) = row.idempotency_key {
            per_key.entry(key).or_default().push(row.outcome);
        }
    }
    for (key, outcomes) in &per_key {
        let entry = journal::get(store.conn(), key).unwrap().unwrap();
        assert!(!(entry.status == Status::Failed && made.contains(key)), "{key} recorded failed but exists");
        let requested = outcomes.iter().filter(|o| *o == "requested").count();
        let ended = outcomes.iter().filter(|o| *o == "succeeded" || *o == "failed").count();
        assert_eq!((requested, ended), (1, 1), "{key}: {outcomes:?}");
    }
    assert!(kills > 0, "some runs were killed");
    eprintln!(
        "killed command line: {PAYMENTS} refunds, {runs} runs, {kills} killed, {} calls journalled",
        per_key.len()
    );
}
