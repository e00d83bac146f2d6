//! The one door through the real window: a payout schedule change whose answers Stripe never
//! delivers is unknown, not failed; a second change for that restaurant is refused while it is;
//! Settings → Unfinished money actions lists it, and "Check now" settles it by reading the account.

use std::time::Duration;

use md_core::gateways::stripe::{Response, StripeClient};
use md_core::keys::ApiKey;
use md_e2e::{App, Launch};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault};

const KEY: &str = "sk_test_51E2eUnfinishedPlatformKeyMDeskQ4w";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_change_blocks_the_next_and_check_now_settles_it() {
    let emulator = Emulator::start(Config::with_key(KEY)).await.expect("emulator");
    let account = emulator.add_restaurant("Harbour Grill");
    let stripe = StripeClient::new(&emulator.base_url(), ApiKey::parse(KEY).unwrap()).unwrap();
    let schedule = |stripe: StripeClient, account: String| async move {
        let a: Response<Value> = stripe.get(&format!("/v1/accounts/{account}"), &[], None).await.unwrap();
        a.value["settings"]["payouts"]["schedule"].clone()
    };

    let app = App::launch(Launch { env: vec![("MERCHANT_DESK_STRIPE_API_BASE".into(), emulator.base_url())] }).await;
    app.set_up_owner("Maria", "2468").await;
    app.connect_and_sync(KEY).await;
    app.open_section("Payouts").await;
    app.select("Account", &account).await;
    app.click_button("Schedule").await;
    app.wait_for_text("[data-field='schedule-words']", "Daily").await;

    // Stripe carries the change out, but no answer ever arrives.
    for _ in 0..6 {
        emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some(&format!("/v1/accounts/{account}")));
    }
    let form = "form[aria-label='Change payout schedule']";
    app.select("Payout interval", "weekly").await;
    app.select("Day of the week", "friday").await;
    app.fill("Delay (days)", "3").await;
    app.click_button("Review change").await;
    app.css("dialog[open]").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Change schedule']").await;
    let unknown = app
        .wait_for_text_within(
            &format!("{form} [role='alert']"),
            "may or may not have happened",
            Duration::from_secs(60),
        )
        .await;
    assert!(!unknown.contains("failed"), "an unknown outcome is not shown as failed: {unknown}");
    app.screenshot("unfinished-unknown-answer").await;

    // A second change for the same restaurant is not sent while the first is unknown.
    app.select("Payout interval", "monthly").await;
    app.fill("Day of the month", "15").await;
    app.click_button("Review change").await;
    app.css("dialog[open]").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Change schedule']").await;
    app.wait_for_text(&format!("{form} [role='alert']"), "an earlier action for this restaurant is unfinished").await;
    assert_eq!(schedule(stripe.clone(), account.clone()).await["interval"], "weekly", "only the first reached Stripe");

    // The screen lists it with what is known; Check now settles it by reading the account.
    app.open_section("Settings").await;
    app.click_button("Unfinished money actions").await;
    let table = app.wait_for_text("table[aria-label='Unfinished actions']", "Payout schedule of Harbour Grill").await;
    assert!(table.contains("Weekly on Friday") && table.contains("Maria"), "{table}");
    app.screenshot("settings-unfinished-actions").await;
    app.click_button("Check now").await;
    app.wait_for_text("section[aria-label='Unfinished money actions'] [role='status']", "settled").await;
    app.wait_for_text("section[aria-label='Unfinished money actions']", "Nothing is unfinished").await;

    // The audit log tells the whole story: requested, unknown, then succeeded (settled by lookup).
    app.click_button("Audit log").await;
    let log = app.wait_for_text("table[aria-label='Audit records']", "settled by lookup").await;
    for outcome in ["requested", "unknown", "succeeded", "refused"] {
        assert!(log.contains(outcome), "the audit log lacks {outcome}: {log}");
    }

    // Settled: the restaurant's schedule can change again.
    app.open_section("Payouts").await;
    app.select("Account", &account).await;
    app.click_button("Schedule").await;
    app.wait_for_text("[data-field='schedule-words']", "Weekly on Friday").await;
    app.select("Payout interval", "daily").await;
    app.fill("Delay (days)", "4").await;
    app.click_button("Review change").await;
    app.css("dialog[open]").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Change schedule']").await;
    app.wait_for_text(&format!("{form} [role='status']"), "Payout schedule changed to Daily, 4-day delay").await;
    assert_eq!(schedule(stripe, account).await["interval"], "daily");
    app.close().await;
}
