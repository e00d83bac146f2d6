//! A tips file of 20 transfers from the command line, each run killed (SIGKILL) at a random moment
//! while Stripe drops answers, and run again as a person would until one finishes: afterwards
//! Stripe holds exactly one transfer per row.

use std::collections::HashSet;
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
use md_core::{Desk, DeskConfig};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault, DEMO_API_KEY};

const KEY: &str = "sk_test_51BulkKilledBulkKilled0000";
const ROWS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tips_file_from_a_command_line_killed_at_random_sends_each_row_exactly_once() {
    let mut config = Config::with_key(KEY);
    config.latency = Duration::from_millis(120);
    let stripe = Emulator::start(config).await.unwrap();
    let base = stripe.base_url();
    let restaurants = [stripe.add_restaurant("Bistro"), stripe.add_restaurant("Taqueria")];
    // The platform's own sales fund the tips.
    let platform = StripeClient::new(&base, ApiKey::parse(KEY).unwrap()).unwrap();
    for _ in 0..5 {
        let form = [("amount", "100000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let _: Response<Value> = platform.post("/v1/payment_intents", &form, None, &new_key()).await.unwrap();
    }
    stripe.advance_clock(Duration::from_secs(5 * 86_400));

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let port = base.rsplit(':').next().unwrap_or_default().to_string();
    let service = format!("merchant-desk-cli-bulk-kills-{}-{port}", std::process::id());
    {
        let secrets = Arc::new(Keyring::new(service.clone()));
        let mut config = DeskConfig::new(data.clone(), secrets, "http://127.0.0.1:9".into(), DEMO_API_KEY.into());
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        Desk::open(config).unwrap().setup_first_profile("Ada", Role::PlatformAdmin, "2468").unwrap();
    }
    let file = dir.path().join("tips.csv");
    let mut csv = String::from("restaurant,amount,description\n");
    for n in 0..ROWS {
        csv.push_str(&format!("{},{}.00,Tips week {}\n", restaurants[n % 2], 10 + n, n + 1));
    }
    std::fs::write(&file, csv).unwrap();
    let cli = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"));
        command
            .args(args)
            .env("MERCHANT_DESK_STRIPE_KEY", KEY)
            .env("MERCHANT_DESK_STRIPE_API_BASE", &base)
            .env("MERCHANT_DESK_DATA_DIR", &data)
            .env("MERCHANT_DESK_KEYRING_SERVICE", &service)
            .env("MERCHANT_DESK_PROFILE", "Ada")
            .env("MERCHANT_DESK_PIN", "2468")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    assert!(cli(&["sync"]).status().unwrap().success());

    let file_arg = file.display().to_string();
    let mut rng = fastrand::Rng::with_seed(2026_11_30);
    let (mut kills, mut runs) = (0, 0);
    for _ in 0..12 {
        if rng.u32(0..100) < 40 {
            for _ in 0..rng.usize(1..=4) {
                stripe.inject(Fault::DropAfterProcessing, Some("POST"), Some("/v1/transfers"));
            }
        }
        let mut child = cli(&["transfer-bulk", "--csv", &file_arg]).spawn().unwrap();
        runs += 1;
        let wait = Duration::from_millis(rng.u64(0..2_500));
        let start = std::time::Instant::now();
        let mut exited = None;
        while start.elapsed() < wait && exited.is_none() {
            exited = child.try_wait().unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if exited.is_none() {
            child.kill().unwrap();
            child.wait().unwrap();
            kills += 1;
        }
    }

    // What killed runs left is settled (another process's call is left alone ten minutes), then
    // the file is run once more to finish: nothing is sent twice.
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
    Desk::open(config).unwrap().settle_unfinished().await.unwrap();
    let last = cli(&["transfer-bulk", "--csv", &file_arg]).status().unwrap();
    assert!(last.success(), "the last run finishes the file");

    let transfers: Vec<Value> = stripe.lock().objects_of_kind("transfer").map(|(_, v)| v.clone()).collect();
    assert_eq!(transfers.len(), ROWS, "one transfer per row ({runs} runs, {kills} killed)");
    let keys: HashSet<&str> = transfers.iter().filter_map(|t| t["metadata"][KEY_METADATA].as_str()).collect();
    assert_eq!(keys.len(), ROWS, "each row under its own key");
    let total: i64 = transfers.iter().map(|t| t["amount"].as_i64().unwrap_or(0)).sum();
    assert_eq!(total, (0..ROWS as i64).map(|n| (10 + n) * 100).sum::<i64>());
    assert!(kills > 0, "some runs were killed");
    eprintln!("killed command line: {ROWS} rows, {runs} runs, {kills} killed");
}
