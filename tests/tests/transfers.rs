//! Platform admins moving money to restaurants through the real window, on the demo group (the app
//! in demo mode against emulators this test runs): a transfer reviewed, confirmed and sent once; a
//! part reversed with a reason, more than is left refused beside the field with nothing sent, the
//! rest reversed; a tips file of 20 rows refused whole for one malformed row, then sent, each row
//! once; a transfer to a restaurant that disconnected refused from the console.

use std::time::Duration;

use md_e2e::{App, Launch};
use serde_json::json;
use stripe_emulator::Emulator;

const ROWS: &str = "table[aria-label='Transfers'] tbody tr";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sends_tips_and_claws_part_back() {
    let stripe = Emulator::start(stripe_emulator::Config::demo()).await.expect("stripe emulator");
    let cardconnect = cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::demo())
        .await
        .expect("cardconnect emulator");
    let app = App::launch(Launch {
        env: vec![
            ("MERCHANT_DESK_DEMO_STRIPE_API_BASE".into(), stripe.base_url()),
            ("MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE".into(), cardconnect.base_url()),
        ],
    })
    .await;
    app.set_up_admin_and_sync("Ada", "1593").await;
    let account_named = |name: &str| {
        let state = stripe.lock();
        let found = state
            .objects_of_kind("account")
            .find(|(_, a)| a["business_profile"]["name"] == name)
            .and_then(|(_, a)| a["id"].as_str().map(str::to_string));
        found.unwrap_or_else(|| panic!("{name} in the demo group"))
    };
    let transfers_at_stripe = || stripe.lock().objects_of_kind("transfer").count();
    let reversals_at_stripe = || stripe.lock().objects_of_kind("transfer_reversal").count();

    // A transfer: reviewed first, then sent once.
    app.open_section("Transfers").await;
    let listed = app.count(ROWS, None).await;
    let before = transfers_at_stripe();
    app.click_button("New transfer").await;
    app.select("Restaurant", &account_named("Harbor & Vine Seaport Grill")).await;
    app.fill("Amount", "120.00").await;
    app.fill("What it is for", "Weekly tips, 1–7 Dec").await;
    app.click_button("Review transfer").await;
    app.wait_for_text("[data-field='confirm-transfer']", "Send 120.00 USD to Harbor & Vine Seaport Grill").await;
    assert_eq!(transfers_at_stripe(), before, "a review sends nothing");
    app.click_button("Confirm and send").await;
    app.wait_for_text("[aria-label='Transfer'] .account-name", "Seaport Grill").await;
    assert_eq!(transfers_at_stripe(), before + 1);
    app.wait_for_text("[data-field='left']", "$120.00").await;

    // Part reversed with a reason; then more than is left, refused with nothing sent.
    let reversals = reversals_at_stripe();
    app.fill("Amount to reverse", "20").await;
    app.fill("Why", "Double-counted shift").await;
    app.click_button("Reverse…").await;
    app.wait_for_text("[data-field='confirm-reversal']", "Take 20 USD back").await;
    app.click_button("Confirm reversal").await;
    app.wait_for_text("[data-field='left']", "$100.00").await;
    app.wait_for_text("[data-field='transfer-status']", "Partly reversed").await;
    app.wait_for_text("table[aria-label='Reversals']", "Double-counted shift").await;
    assert_eq!(reversals_at_stripe(), reversals + 1);
    app.screenshot("transfer-reversal").await;
    app.fill("Amount to reverse", "100.01").await;
    app.click_button("Reverse…").await;
    app.click_button("Confirm reversal").await;
    app.wait_for_text("form[aria-label='Reverse the transfer'] [role='alert']", "Only $100.00").await;
    assert_eq!(reversals_at_stripe(), reversals + 1, "nothing sent");

    // The rest: nothing is left, and the form says so.
    app.fill("Amount to reverse", "100").await;
    app.click_button("Reverse…").await;
    app.click_button("Confirm reversal").await;
    app.wait_for_text("[data-field='transfer-status']", "Reversed").await;
    app.wait_for_text("[data-field='cannot-reverse']", "Fully reversed").await;
    app.click_button("Back to transfers").await;
    app.count(ROWS, Some(listed + 1)).await;
    app.screenshot("transfers-list").await;

    // A tips file of 20 rows: one malformed row refuses the whole file; fixed, each row is sent once.
    let mut ids: Vec<String> = stripe
        .lock()
        .objects_of_kind("account")
        .filter(|(_, a)| a["payouts_enabled"] == true && a["default_currency"] == "usd")
        .filter_map(|(_, a)| a["id"].as_str().map(str::to_string))
        .collect();
    ids.sort();
    let mut file = String::from("restaurant,amount,description\n");
    for n in 0..20 {
        file.push_str(&format!("{},{}.00,Tips week {}\n", ids[n % ids.len()], 5 + n, n + 1));
    }
    let paste = |text: String| {
        let script = "const t = document.querySelector(\"textarea[aria-label='CSV rows']\"); t.value = arguments[0]; \
                      t.dispatchEvent(new Event('input', { bubbles: true }));";
        let client = app.client.clone();
        async move { client.execute(script, vec![json!(text)]).await.expect("paste the file") }
    };
    app.click_button("From a file").await;
    paste(file.replacen(",5.00,", ",five,", 1)).await;
    app.click_button("Review file").await;
    app.wait_for_text("[data-field='bulk-problems']", "Line 2").await;
    app.count("table[aria-label='Transfers to send'] tbody tr", Some(19)).await;
    let before = transfers_at_stripe();
    paste(file.clone()).await;
    app.click_button("Review file").await;
    app.count("table[aria-label='Transfers to send'] tbody tr", Some(20)).await;
    app.click_button("Send 20 transfers").await;
    app.wait_for_text("[data-field='bulk-done']", "20 of 20 transfers sent").await;
    assert_eq!(transfers_at_stripe(), before + 20, "each row once");
    app.screenshot("transfers-bulk").await;
    app.click_button("Back to transfers").await;

    // A restaurant that disconnected gets nothing, even from the console.
    let gone = account_named("Vine Street Pizzeria");
    stripe.deauthorize(&gone).unwrap();
    app.click_css("[aria-label='Sync progress'] button").await;
    let form = json!({ "restaurant": gone, "amount": "5", "currency": "usd", "description": "Promotion" });
    let before = transfers_at_stripe();
    let answer = app
        .until("the sync to notice the disconnection", Duration::from_secs(60), || async {
            let answer = app
                .invoke_from_console(
                    "transfer_create",
                    json!({ "form": form, "confirmation": md_core::money_calls::new_key() }),
                )
                .await;
            if answer["code"] == "disconnected" {
                Ok(answer)
            } else {
                Err(answer.to_string())
            }
        })
        .await;
    assert!(answer["message"].as_str().unwrap_or("").contains("nothing was sent"), "{answer}");
    assert_eq!(transfers_at_stripe(), before, "nothing sent");
    app.close().await;
}
