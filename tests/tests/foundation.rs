//! The foundation through the real window: demo mode, refusing a malformed key, accepting a valid
//! one into the OS keyring without it reaching SQLite or the logs.

use md_core::gateways::stripe::models::Balance;
use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_e2e::{files_below, App, Launch};
use stripe_emulator::{Config, Emulator};

const TEST_KEY: &str = "sk_test_51E2eTestPlatformKeyMerchantDeskQ7vX";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_shows_balance_and_accounts() {
    let app = App::launch(Launch::default()).await;
    app.labelled("Demo mode").await;
    app.set_up_owner("Maria", "2468").await;
    let usd = app.wait_for_text("[aria-label='Balance in USD'] [data-field='available']", "$").await;
    let jpy = app.wait_for_text("[aria-label='Balance in JPY'] [data-field='available']", "¥").await;
    app.count("table[aria-label='Connected accounts'] tbody tr", Some(12)).await;
    let table = app.texts("table[aria-label='Connected accounts']").await.concat();
    for word in ["Sakura Kitchen Shibuya", "Active", "Pending", "Restricted", "Disabled", "Japan"] {
        assert!(table.contains(word), "accounts table lacks {word:?}");
    }
    app.wait_for_text("[aria-label='Last synced']", "Last synced").await;
    // Everything else (payouts, payments, disputes…) syncs in the background with progress.
    app.wait_for_text("[aria-label='Sync progress']", "All data synced").await;
    app.screenshot("overview-demo").await;

    // The screen shows what the demo emulator's /v1/balance says, yen without decimals. (If the
    // emulator's day rolled over between the two reads, funds moved: sync again and compare again.)
    app.open_section("Settings").await;
    let base = app.wait_for_text("[data-field='api-base']", "http://127.0.0.1:").await;
    let client = StripeClient::new(&base, ApiKey::parse(stripe_emulator::DEMO_API_KEY).unwrap()).unwrap();
    let (mut usd, mut jpy) = (usd, jpy);
    for attempt in 0.. {
        let truth: md_core::gateways::stripe::Response<Balance> = client.get("/v1/balance", &[], None).await.unwrap();
        let available = |c: &str| truth.value.available.iter().find(|a| a.currency == c).unwrap().amount;
        let expected = (md_e2e::en_us_money(available("usd"), "usd"), md_e2e::en_us_money(available("jpy"), "jpy"));
        if (usd.clone(), jpy.clone()) == expected || attempt == 2 {
            assert_eq!((usd.clone(), jpy.clone()), expected);
            break;
        }
        app.open_section("Overview").await;
        app.click_button("Refresh now").await;
        app.wait_for_text("[aria-label='Last synced']", "just now").await;
        usd = app.wait_for_text("[aria-label='Balance in USD'] [data-field='available']", "$").await;
        jpy = app.wait_for_text("[aria-label='Balance in JPY'] [data-field='available']", "¥").await;
        app.open_section("Settings").await;
    }
    assert!(!jpy.contains('.'), "zero-decimal currency: {jpy}");
    app.open_section("Overview").await;

    // Search narrows the list; the disputes inbox lists the demo group's disputes.
    app.fill("Search accounts", "sakura").await;
    app.count("table[aria-label='Connected accounts'] tbody tr", Some(1)).await;
    app.wait_for_text("table[aria-label='Connected accounts'] tbody", "Sakura").await;
    app.open_section("Disputes").await;
    app.count("table[aria-label='Disputes'] tbody tr", None).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_key_is_refused_with_a_clear_message() {
    let app = App::launch(Launch::default()).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Settings").await;
    app.fill("Stripe secret key", "pk_test_51E2eTestPlatformKeyMerchantDeskQ7vX").await;
    app.click_button("Check and save key").await;
    let message = app.wait_for_text("form [role='alert']", "publishable").await;
    assert!(message.contains("paste a secret key (sk_…)"), "{message}");
    app.screenshot("settings-malformed-key").await;
    assert_eq!(app.stored_key(), None);
    app.labelled("Demo mode").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_key_lands_in_the_keyring_and_nowhere_else() {
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.expect("emulator");
    let app = App::launch(Launch { env: vec![("MERCHANT_DESK_STRIPE_API_BASE".into(), platform.base_url())] }).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Settings").await;

    // A wrong key first: Stripe's own message, nothing stored.
    app.fill("Stripe secret key", "sk_test_51WrongWrongWrongWrongWrongWrong0000").await;
    app.click_button("Check and save key").await;
    let message = app.wait_for_text("form [role='alert']", "Invalid API Key provided").await;
    assert!(message.contains("Stripe did not accept this key"), "{message}");
    assert_eq!(app.stored_key(), None);

    app.fill("Stripe secret key", TEST_KEY).await;
    app.click_button("Check and save key").await;
    app.wait_for_text("form [role='status']", "Connected with sk_test_…Q7vX").await;
    app.labelled("Test mode").await;
    app.wait_for_text("[data-field='masked-key']", "sk_test_…Q7vX").await;
    let field = app.labelled("Stripe secret key").await;
    let field = &field;
    app.until("the key field to be cleared", md_e2e::WAIT, move || async move {
        match field.prop("value").await {
            Ok(Some(value)) if value.is_empty() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    assert_eq!(app.stored_key().as_deref(), Some(TEST_KEY));
    app.screenshot("settings-connected-test-mode").await;

    // The overview now shows the connected (empty) platform.
    app.open_section("Overview").await;
    app.wait_for_text("main[aria-label='Overview']", "No connected accounts yet").await;

    let service = app.keyring_service.clone();
    let data = app.close().await;
    let files = files_below(data.path());
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "sqlite3")), "{files:?}");
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "log")), "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(TEST_KEY), "{} contains the key", file.display());
        assert!(!text.contains("51E2eTestPlatformKey"), "{} contains part of the key", file.display());
    }
    let _ = keyring::Entry::new(&service, md_e2e::KEYRING_ENTRY).and_then(|e| e.delete_credential());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_the_key_returns_to_demo_mode() {
    let platform = Emulator::start(Config::with_key(TEST_KEY)).await.expect("emulator");
    let app = App::launch(Launch { env: vec![("MERCHANT_DESK_STRIPE_API_BASE".into(), platform.base_url())] }).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Settings").await;
    app.fill("Stripe secret key", TEST_KEY).await;
    app.click_button("Check and save key").await;
    app.labelled("Test mode").await;
    app.click_button("Forget key").await;
    app.css("dialog[open]").await;
    app.screenshot("settings-forget-confirm").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Forget key']").await;
    app.labelled("Demo mode").await;
    app.wait_for_text("form [role='status']", "back in demo mode").await;
    assert_eq!(app.stored_key(), None);
    app.close().await;
}
