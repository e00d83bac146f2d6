//! Settings → CardConnect through the real window, against a CardPointe emulator started by the
//! test: wrong credentials and an unknown merchant ID are refused with the core's words and store
//! nothing; the right ones are kept, the password only in the OS keyring — never on the page,
//! before or after a restart, and in no file the app wrote; forgetting asks first and empties the
//! keyring entry. Demo mode shows its demo site read-only.

use std::time::Duration;

use md_e2e::cardconnect::{forget_keyring_service, stored_cardconnect};
use md_e2e::{files_below, App, Launch};

const STRIPE_KEY: &str = "sk_test_51E2eCardConnectPlatformKeyMDeskC8c";
const SITE: &str = "harborvine";
const API_USER: &str = "harborvine_e2e";
/// Distinctive, so that finding it anywhere means it leaked.
const PASSWORD: &str = "Cc9-e2e-Pw-q7Zr4Lx2";
const WRONG_PASSWORD: &str = "not-the-password";
/// A well-formed merchant ID CardPointe has never boarded.
const UNKNOWN_MERCHID: &str = "496400009999";
const PIN: &str = "2468";

const FORM: &str = "form[aria-label='Set up CardConnect']";
const SETUP: &str = "dl[aria-label='Current CardConnect set-up']";
const RESTAURANTS: &str = "table[aria-label='Restaurants on CardConnect']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cardconnect_is_checked_then_kept_only_in_the_keyring() {
    let stripe = stripe_emulator::Emulator::start(stripe_emulator::Config::with_key(STRIPE_KEY)).await.expect("stripe");
    let cardpointe =
        cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::with_credentials(API_USER, PASSWORD))
            .await
            .expect("cardconnect emulator");
    let lakeside = cardpointe.add_merchant("Harbor & Vine Lakeside Kitchen", "USD");
    let taqueria = cardpointe.add_merchant("Vine Street Taqueria", "USD");
    let restaurants = [(lakeside.as_str(), "Lakeside Kitchen"), (taqueria.as_str(), "Vine Street Taqueria")];

    // One data folder and keyring service for both runs of the app, so the second finds what the
    // first stored (and its PIN pepper).
    let data = tempfile::tempdir().expect("data dir");
    let service = format!("merchant-desk-e2e-cardconnect-{}", std::process::id());
    let launch = Launch {
        env: vec![
            ("MERCHANT_DESK_STRIPE_API_BASE".into(), stripe.base_url()),
            ("MERCHANT_DESK_CARDCONNECT_API_BASE".into(), cardpointe.base_url()),
            ("MERCHANT_DESK_DATA_DIR".into(), data.path().display().to_string()),
            ("MERCHANT_DESK_KEYRING_SERVICE".into(), service.clone()),
        ],
    };

    let app = App::launch(launch.clone()).await;
    app.set_up_owner("Maria", PIN).await;
    app.connect_and_sync(STRIPE_KEY).await;
    app.open_cardconnect_settings().await;
    app.wait_for_text("[data-field='cardconnect-state']", "Not set up").await;
    app.fill("CardPointe site", SITE).await;
    app.wait_for_text("[data-field='cc-site-address']", "https://harborvine.cardconnect.com").await;

    // (a) A wrong password: CardPointe's refusal in the core's words, beside the password; nothing kept.
    app.fill_cardconnect(SITE, API_USER, WRONG_PASSWORD, &restaurants).await;
    app.click_button("Check and save").await;
    let refused = app
        .wait_for_text(
            &format!("{FORM} #cc-password-error[role='alert']"),
            "did not accept the API user name and password",
        )
        .await;
    assert!(refused.contains("nothing was done"), "{refused}");
    app.screenshot("cardconnect-wrong-password").await;
    assert_eq!(stored_cardconnect(&service), None, "a refused password is not kept");
    app.wait_for_text("[data-field='cardconnect-state']", "Not set up").await;
    assert_eq!(app.field_value("API password").await, WRONG_PASSWORD, "the form stays as typed, to be corrected");

    // (b) The right password but a merchant ID CardPointe does not know: named, beside the list.
    app.fill_cardconnect(SITE, API_USER, PASSWORD, &[restaurants[0], (UNKNOWN_MERCHID, "Ghost Diner")]).await;
    app.click_button("Check and save").await;
    let unknown = app.wait_for_text(&format!("{FORM} #cc-merchants-error[role='alert']"), UNKNOWN_MERCHID).await;
    assert!(unknown.contains("does not know merchant ID"), "{unknown}");
    let invalid = app.attrs(&format!("{FORM} input[aria-invalid='true']"), "aria-label").await;
    assert_eq!(invalid, vec!["Merchant ID 2".to_string()], "the unknown merchant ID is marked");
    app.screenshot("cardconnect-unknown-merchant").await;
    assert_eq!(stored_cardconnect(&service), None, "nothing is kept while one merchant ID is unknown");
    app.wait_for_text("[data-field='cardconnect-state']", "Not set up").await;

    // (c) Everything right: saved, the password field emptied, the password nowhere on the page.
    app.fill("Merchant ID 2", restaurants[1].0).await;
    app.fill("Restaurant name 2", restaurants[1].1).await;
    // A slow CardPointe, to see the form while it is asked: busy, and nothing can be changed.
    cardpointe.set_latency(Duration::from_millis(1500));
    app.click_button("Check and save").await;
    app.wait_for_text(&format!("{FORM} button[type='submit']"), "Checking with CardPointe").await;
    let (submit, site) =
        (app.css(&format!("{FORM} button[type='submit']")).await, app.labelled("CardPointe site").await);
    assert!(!submit.is_enabled().await.unwrap() && !site.is_enabled().await.unwrap(), "the form is locked while busy");
    app.screenshot("cardconnect-checking").await;
    app.wait_for_text(&format!("{FORM} [role='status']"), "stored in the system keyring").await;
    cardpointe.set_latency(Duration::ZERO);
    app.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'center' });",
            vec![serde_json::json!(format!("{FORM} [role='status']"))],
        )
        .await
        .expect("scroll to the saved message");
    app.screenshot("cardconnect-saved").await;
    assert_eq!(app.field_value("API password").await, "", "the password field is emptied");
    app.wait_for_text(&format!("{SETUP} [data-field='cc-site']"), "harborvine (https://harborvine.cardconnect.com)")
        .await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-api-user']"), API_USER).await;
    assert_setup_shown(&app, &restaurants).await;
    app.screenshot("cardconnect-settings").await;
    let page = app.page_and_field_values().await;
    assert!(!page.contains(PASSWORD), "the page shows the password after saving");
    let stored = stored_cardconnect(&service).expect("the credentials are in the keyring");
    app.close().await;

    // (d) After a restart: site, user and restaurants are shown, still without the password.
    let app = App::launch(launch.clone()).await;
    app.unlock_as("Maria", PIN).await;
    app.open_cardconnect_settings().await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-site']"), "harborvine").await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-api-user']"), API_USER).await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-password']"), "Stored in the system keyring").await;
    assert_setup_shown(&app, &restaurants).await;
    assert_eq!(app.field_value("CardPointe site").await, SITE, "the form starts from the stored set-up");
    assert_eq!(app.field_value("Merchant ID 2").await, taqueria);
    assert_eq!(app.field_value("API password").await, "", "the password is never filled in");
    let page = app.page_and_field_values().await;
    assert!(!page.contains(PASSWORD), "the page shows the password after a restart");
    app.screenshot("cardconnect-after-restart").await;

    // (e) The password is in the OS keyring (Secret Service), as it was stored before the restart…
    let json: serde_json::Value = serde_json::from_str(&stored).expect("the keyring holds JSON");
    assert_eq!((json["site"].as_str(), json["api_user"].as_str()), (Some(SITE), Some(API_USER)));
    assert_eq!(json["password"].as_str(), Some(PASSWORD));
    assert_eq!(stored_cardconnect(&service).as_deref(), Some(stored.as_str()), "still there after the restart");

    // Forgetting asks first, then takes the credentials out of the keyring.
    app.click_button("Forget CardConnect").await;
    app.wait_for_text("dialog[open]", "Forget CardConnect?").await;
    app.screenshot("cardconnect-forget-confirm").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Forget CardConnect']").await;
    app.wait_for_text(&format!("{FORM} [role='status']"), "gone from the keyring").await;
    app.wait_for_text("[data-field='cardconnect-state']", "Not set up").await;
    assert_eq!(stored_cardconnect(&service), None, "forgotten credentials leave the keyring");
    app.close().await;

    // …and in no file the app wrote.
    let files = files_below(data.path());
    let named = |ext: &str| files.iter().any(|f| f.to_string_lossy().ends_with(ext));
    assert!(named(".sqlite3") && named(".log"), "the app wrote its database and log: {files:?}");
    for file in &files {
        let bytes = std::fs::read(file).expect("read a file the app wrote");
        assert!(
            !bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()),
            "{} contains the CardConnect password",
            file.display()
        );
        assert!(
            !bytes.windows(WRONG_PASSWORD.len()).any(|w| w == WRONG_PASSWORD.as_bytes()),
            "{} contains the refused password",
            file.display()
        );
    }
    forget_keyring_service(&service);
}

/// The stored set-up's restaurants, each with its merchant ID and name.
async fn assert_setup_shown(app: &App, restaurants: &[(&str, &str)]) {
    app.count(&format!("{RESTAURANTS} tbody tr"), Some(restaurants.len())).await;
    let rows = app.texts(&format!("{RESTAURANTS} tbody tr")).await;
    for (merchid, name) in restaurants {
        let shown = rows.iter().any(|row| row.contains(merchid) && row.contains(name) && row.contains("USD"));
        assert!(shown, "no row shows {merchid} {name} (USD): {rows:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_shows_the_demo_site_read_only() {
    let app = App::launch(Launch::default()).await;
    app.set_up_owner("Maria", PIN).await;
    app.open_cardconnect_settings().await;
    app.wait_for_text(
        "[aria-label='CardConnect settings'] [role='note']",
        "after connecting your platform's Stripe key",
    )
    .await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-site']"), cardconnect_emulator::DEMO_SITE).await;
    app.wait_for_text(&format!("{SETUP} [data-field='cc-api-user']"), cardconnect_emulator::DEMO_API_USER).await;
    app.count(&format!("{RESTAURANTS} tbody tr"), Some(2)).await;
    let rows = app.texts(&format!("{RESTAURANTS} tbody tr")).await.concat();
    for merchid in [cardconnect_emulator::DEMO_MERCHID_LAKESIDE, cardconnect_emulator::DEMO_MERCHID_TAQUERIA] {
        assert!(rows.contains(merchid), "the demo restaurants lack {merchid}: {rows}");
    }
    // Read-only: no form, nothing to forget.
    app.count(FORM, Some(0)).await;
    app.count("[aria-label='CardConnect settings'] button.danger", Some(0)).await;
    app.screenshot("cardconnect-demo").await;
    app.click_button("Open Stripe connection").await;
    app.labelled("Stripe secret key").await;
    app.close().await;
}
