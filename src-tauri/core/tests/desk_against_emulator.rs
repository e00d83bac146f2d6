//! The desk against the Stripe emulator over real HTTP: demo mode, connecting a key, forgetting it.

use std::sync::Arc;

use md_core::gateways::stripe::models::Balance;
use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::permissions::Role;
use md_core::secrets::{MemorySecrets, SecretStore, STRIPE_KEY};
use md_core::store::audit;
use md_core::store::Store;
use md_core::views::{ConnectionMode, ErrorCode};
use md_core::{Desk, DeskConfig};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

const TEST_KEY: &str = "sk_test_51TestPlatformKeyForMerchantDesk9Zq4";

struct World {
    _dir: tempfile::TempDir,
    data_dir: std::path::PathBuf,
    demo: Emulator,
    secrets: Arc<MemorySecrets>,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    World {
        data_dir: dir.path().to_path_buf(),
        _dir: dir,
        demo: Emulator::start(Config::demo()).await.unwrap(),
        secrets: Arc::new(MemorySecrets::default()),
    }
}

impl World {
    /// A desk signed in as the owner (created on first use).
    fn desk(&self, api_base_override: Option<String>) -> Desk {
        let mut config = DeskConfig::new(
            self.data_dir.clone(),
            self.secrets.clone(),
            self.demo.base_url(),
            DEMO_API_KEY.to_string(),
        );
        config.api_base_override = api_base_override;
        config.pin_cost = md_core::profiles::PinCost::FAST_FOR_TESTS;
        let desk = Desk::open(config).unwrap();
        let session = desk.session().unwrap();
        if session.needs_setup {
            desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
        } else {
            desk.unlock(session.profiles[0].id, "4821").unwrap();
        }
        desk
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_shows_the_seeded_group_after_a_refresh() {
    let w = world().await;
    let desk = w.desk(None);
    let session = desk.session().unwrap();
    assert_eq!(session.connection.mode, ConnectionMode::Demo);
    assert_eq!(session.connection.masked_key, None);

    let cached = desk.overview().unwrap();
    assert!(cached.accounts.is_empty() && cached.last_synced_at.is_none());

    let fresh = desk.refresh_overview().await.unwrap();
    assert_eq!(fresh.accounts.len(), 12);
    assert!(fresh.last_synced_at.is_some());
    // The overview shows exactly what the emulator's /v1/balance says, currency by currency. (If the
    // emulator's day rolled over between the two reads, funds moved: sync again and compare again.)
    let client = StripeClient::new(&w.demo.base_url(), ApiKey::parse(DEMO_API_KEY).unwrap()).unwrap();
    let mut fresh = fresh;
    let mut truth: md_core::gateways::stripe::Response<Balance> = client.get("/v1/balance", &[], None).await.unwrap();
    for _ in 0..2 {
        let shown: Vec<i64> = fresh.platform_balance.iter().map(|l| l.available.amount).collect();
        let mut expected: Vec<(String, i64)> =
            truth.value.available.iter().map(|a| (a.currency.clone(), a.amount)).collect();
        expected.sort();
        if shown == expected.iter().map(|e| e.1).collect::<Vec<_>>() {
            break;
        }
        fresh = desk.refresh_overview().await.unwrap();
        truth = client.get("/v1/balance", &[], None).await.unwrap();
    }
    let mut currencies: Vec<&str> = truth.value.available.iter().map(|a| a.currency.as_str()).collect();
    currencies.sort();
    let shown: Vec<&str> = fresh.platform_balance.iter().map(|l| l.currency.as_str()).collect();
    assert_eq!(shown, currencies);
    for line in &fresh.platform_balance {
        let available = truth.value.available.iter().find(|a| a.currency == line.currency).unwrap().amount;
        let pending = truth.value.pending.iter().find(|a| a.currency == line.currency).map_or(0, |a| a.amount);
        assert_eq!((line.available.amount, line.pending.amount), (available, pending), "{}", line.currency);
    }
    let jpy = fresh.platform_balance.iter().find(|l| l.currency == "jpy").unwrap();
    assert_eq!(jpy.available.exponent, 0, "yen has no minor unit");
    let usd = fresh.platform_balance.iter().find(|l| l.currency == "usd").unwrap();
    assert_eq!((usd.available.exponent, usd.connect_reserved.amount), (2, 25_000));
    // Every status appears, and active accounts carry their own balance.
    for status in ["active", "pending", "restricted", "disabled"] {
        assert!(fresh.accounts.iter().any(|a| serde_json::to_value(a.status).unwrap() == status), "{status}");
    }
    let sakura = fresh.accounts.iter().find(|a| a.name == "Sakura Kitchen Shibuya").unwrap();
    assert_eq!(sakura.available.as_ref().unwrap().currency, "jpy");
    let restricted = fresh.accounts.iter().find(|a| a.name == "Saltwater Oyster Bar").unwrap();
    assert_eq!(restricted.status_reason.as_deref(), Some("Information Stripe asked for is overdue"));
    assert!(restricted.requirements_deadline.is_some());

    // A second desk on the same data folder reads the cache without any network.
    drop(desk);
    let again = w.desk(None);
    assert_eq!(again.overview().unwrap().accounts.len(), 12);
}

#[tokio::test]
async fn malformed_and_rejected_keys_change_nothing() {
    let w = world().await;
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.unwrap();
    let desk = w.desk(Some(platform.base_url()));

    let err = desk.connect("pk_test_51TestPlatformKeyForMerchantDesk9Zq4", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidKeyFormat);

    let wrong = "sk_test_51WrongKeyWrongKeyWrongKeyWrong1234";
    let err = desk.connect(wrong, None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyRejected);
    assert!(err.to_string().contains("Invalid API Key provided: sk_test_"), "{err}");
    assert!(err.to_string().ends_with("1234"), "{err}");
    assert!(!err.to_string().contains(wrong), "the message must not echo the key");

    assert_eq!(w.secrets.get(STRIPE_KEY).unwrap(), None);
    assert_eq!(desk.session().unwrap().connection.mode, ConnectionMode::Demo);

    let unreachable = desk.connect(TEST_KEY, Some("http://127.0.0.1:9")).await.unwrap_err();
    assert_eq!(unreachable.code(), ErrorCode::Offline);
    let bad_url = desk.connect(TEST_KEY, Some("ftp://example")).await.unwrap_err();
    assert_eq!(bad_url.code(), ErrorCode::InvalidBaseUrl);
    let plain = desk.connect(TEST_KEY, Some("http://stripe.example.com")).await.unwrap_err();
    assert_eq!(plain.code(), ErrorCode::InvalidBaseUrl, "keys never travel over plain http to another machine");
    let live = desk.connect("sk_live_51LiveKeyLiveKeyLiveKey0001", Some(&platform.base_url())).await.unwrap_err();
    assert_eq!(live.code(), ErrorCode::InvalidInput, "a live key only goes to api.stripe.com");
    assert_eq!(w.secrets.get(STRIPE_KEY).unwrap(), None);
}

#[tokio::test]
async fn a_valid_key_is_stored_used_and_forgotten() {
    let w = world().await;
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.unwrap();
    let desk = w.desk(Some(platform.base_url()));
    desk.refresh_overview().await.unwrap();
    assert_eq!(desk.overview().unwrap().accounts.len(), 12);

    let view = desk.connect(&format!("  {TEST_KEY}  "), None).await.unwrap();
    assert_eq!(view.mode, ConnectionMode::Test);
    assert_eq!(view.masked_key.as_deref(), Some("sk_test_…9Zq4"));
    assert_eq!(view.api_base_url, platform.base_url());
    assert_eq!(w.secrets.get(STRIPE_KEY).unwrap().as_deref(), Some(TEST_KEY));
    // The demo cache belongs to another platform: it is gone.
    assert!(desk.overview().unwrap().accounts.is_empty());
    let fresh = desk.refresh_overview().await.unwrap();
    assert!(fresh.accounts.is_empty() && fresh.last_synced_at.is_some());

    // Restarting picks the key up from the keyring.
    drop(desk);
    let desk = w.desk(Some(platform.base_url()));
    assert_eq!(desk.session().unwrap().connection.mode, ConnectionMode::Test);

    let view = desk.forget_key().unwrap();
    assert_eq!(view.mode, ConnectionMode::Demo);
    assert_eq!(w.secrets.get(STRIPE_KEY).unwrap(), None);

    // Settings actions are audited, with the masked key only.
    let store = Store::open(&w.data_dir.join(md_core::desk::DATABASE_FILE)).unwrap();
    let records = audit::all(store.conn()).unwrap();
    let actions: Vec<(&str, &str)> = records.iter().map(|r| (r.action.as_str(), r.outcome.as_str())).collect();
    assert_eq!(
        actions,
        [("profiles.setup", "succeeded"), ("connection.connect", "succeeded"), ("connection.forget", "succeeded")]
    );
    assert_eq!(records[1].target.as_deref(), Some("sk_test_…9Zq4"));
    assert_eq!(records[1].profile_name, "Maria");
    assert!(records[1].request_id.as_deref().unwrap_or("").starts_with("req_"));
    let dump: String = records.iter().map(|r| format!("{r:?}")).collect();
    assert!(!dump.contains(TEST_KEY));
}

#[tokio::test]
async fn without_a_keyring_connecting_fails_clearly_and_nothing_is_kept() {
    let w = world().await;
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.unwrap();
    // No keyring at all: demo mode, said so; and no PIN can be set without its pepper.
    let broken = Arc::new(MemorySecrets::broken());
    let config = DeskConfig::new(w.data_dir.clone(), broken, w.demo.base_url(), DEMO_API_KEY.to_string());
    let desk = Desk::open(config).unwrap();
    let session = desk.session().unwrap();
    assert_eq!(session.connection.mode, ConnectionMode::Demo);
    assert!(session.connection.keyring_problem.is_some());
    let err = desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
    assert!(desk.session().unwrap().needs_setup);
    drop(desk);

    // A keyring that stops answering once the owner is signed in.
    let desk = w.desk(Some(platform.base_url()));
    w.secrets.set_broken(true);
    let err = desk.connect(TEST_KEY, None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
    assert_eq!(desk.session().unwrap().connection.mode, ConnectionMode::Demo);
    // Every file the desk wrote (database, WAL, shared memory), read after it let go of them.
    drop(desk);
    let mut scanned = 0;
    for entry in std::fs::read_dir(&w.data_dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(TEST_KEY));
        scanned += 1;
    }
    assert!(scanned >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_connection_starts_with_an_empty_cache_and_a_first_sync() {
    let w = world().await;
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.unwrap();
    let desk = w.desk(Some(platform.base_url()));
    desk.refresh_overview().await.unwrap();
    assert!(desk.sync_run(false).await.unwrap().last_finished_at.is_some());
    assert!(desk.payouts(&Default::default(), 0, 10).unwrap().total > 0, "the demo group's payouts are cached");

    desk.connect(TEST_KEY, None).await.unwrap();
    let status = desk.sync_status().unwrap();
    assert_eq!((status.running, status.last_finished_at), (false, None), "the screens start a first sync");
    assert_eq!(desk.payouts(&Default::default(), 0, 10).unwrap().total, 0, "nothing of the demo group is left");
    assert!(desk.balances().unwrap().is_empty());
}
