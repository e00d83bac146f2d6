//! Staff refunds through the real window, on the demo group (the app in demo mode, talking to
//! emulators this test runs so it can read what they recorded and cut the network): a staff
//! profile finds an order by its number and Enter, refunds part of it, tries to refund more than
//! is left (refused, nothing sent), refunds the rest; refunds above the staff limit with a
//! manager's PIN (both names in Stripe's refund metadata and the audit log); double-clicks Confirm
//! (one refund); refunds a settled CardConnect order and voids an unsettled one; and loses the
//! network (refused, nothing sent or queued).

use std::time::Duration;

use cardconnect_emulator::model::{Setl, TxnKind};
use md_e2e::{App, Launch};
use serde_json::{json, Value};

/// A Stripe payment the test refunds: its restaurant, charge and order number.
#[derive(Debug, Clone)]
struct Target {
    account: String,
    charge: String,
    order: String,
    amount: i64,
}

/// Captured USD charges of the demo group with nothing refunded and no dispute, whose amount is
/// within `range` (cents), each with an order number; oldest first, so a test never races the
/// seeded clock.
fn stripe_targets(stripe: &stripe_emulator::Emulator, range: std::ops::RangeInclusive<i64>) -> Vec<Target> {
    let state = stripe.lock();
    let disputed: Vec<String> =
        state.objects_of_kind("dispute").filter_map(|(_, d)| d["charge"].as_str().map(str::to_string)).collect();
    let mut found: Vec<Target> = state
        .objects_of_kind("charge")
        .filter(|(scope, c)| {
            scope.is_some()
                && c["currency"] == "usd"
                && c["captured"] == true
                && c["status"] == "succeeded"
                && c["amount_refunded"] == 0
                && c["metadata"]["order_number"].is_string()
                && range.contains(&c["amount"].as_i64().unwrap_or(0))
                && !disputed.iter().any(|d| c["id"] == d.as_str())
        })
        .map(|(scope, c)| Target {
            account: scope.clone().unwrap_or_default(),
            charge: c["id"].as_str().unwrap_or_default().to_string(),
            order: c["metadata"]["order_number"].as_str().unwrap_or_default().to_string(),
            amount: c["amount"].as_i64().unwrap_or(0),
        })
        .collect();
    found.sort_by(|a, b| a.order.cmp(&b.order));
    found
}

/// The refunds the Stripe emulator holds for `charge`.
fn refunds_of(stripe: &stripe_emulator::Emulator, charge: &str) -> Vec<Value> {
    stripe.lock().objects_of_kind("refund").filter(|(_, r)| r["charge"] == charge).map(|(_, r)| r.clone()).collect()
}

fn refund_count(stripe: &stripe_emulator::Emulator) -> usize {
    stripe.lock().objects_of_kind("refund").count()
}

/// Opens the order's payment the way staff do: its number in the search box, then Enter.
async fn open_order(app: &App, order: &str) {
    app.fill("Find a payment", order).await;
    app.wait_for_text("table[aria-label='Payments'] tbody tr.top-match", order).await;
    let search = app.labelled("Find a payment").await;
    search.send_keys("\u{E007}").await.expect("Enter");
    app.wait_for_text("[aria-label='Payment detail'] [data-field='order']", order).await;
}

/// Back from a payment to the search box.
async fn back_to_list(app: &App) {
    app.click_button("Back to payments").await;
    app.css("input[aria-label='Find a payment']").await;
}

/// Opens the refund dialog, types `amount` (or keeps the whole remainder) and reviews it.
async fn review_refund(app: &App, currency: &str, amount: Option<&str>) {
    app.click_xpath(
        "//div[@aria-label='Payment detail']//button[normalize-space(.)='Refund…' or normalize-space(.)='Void…']",
    )
    .await;
    app.css("dialog[open]").await;
    if let Some(amount) = amount {
        app.fill(&format!("Amount to refund ({currency})"), amount).await;
    }
    app.click_button("Review refund").await;
}

/// Confirms the refund reviewed and waits for what the screen says of it.
async fn confirm_refund(app: &App, expect: &str) -> String {
    app.click_xpath("//dialog[@open]//button[starts-with(normalize-space(.), 'Confirm')]").await;
    app.wait_for_text_within("[data-field='refund-result']", expect, Duration::from_secs(45)).await
}

/// Picks the approver named `name` in the approval and types their PIN.
async fn approve_as(app: &App, name: &str, pin: &str) {
    app.css("dialog[open] fieldset[aria-label='Manager approval']").await;
    let values = app.attrs("select[aria-label='Approved by'] option", "value").await;
    let texts = app.texts("select[aria-label='Approved by'] option").await;
    let value = values
        .iter()
        .zip(&texts)
        .find(|(_, t)| t.contains(name))
        .map(|(v, _)| v.clone())
        .unwrap_or_else(|| panic!("{name} is not offered as an approver: {texts:?}"));
    app.select("Approved by", &value).await;
    app.fill("Approver's PIN", pin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_find_an_order_and_refund_it_once_whichever_gateway_took_it() {
    let stripe = stripe_emulator::Emulator::start(stripe_emulator::Config::demo()).await.expect("stripe emulator");
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
    app.labelled("Demo mode").await;
    app.set_up_owner("Maria", "2468").await;
    app.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(180)).await;
    app.add_profile("Priya", "manager", "9753").await;
    app.add_profile("Sam", "staff", "1357").await;
    app.click_button("Lock").await;
    app.unlock_as("Sam", "1357").await;
    assert_eq!(app.nav_labels().await, ["Payments & Refunds"]);
    // The search box has the focus: staff type at once.
    let focused =
        app.client.execute("return document.activeElement?.getAttribute('aria-label')", vec![]).await.unwrap();
    assert_eq!(focused, json!("Find a payment"));

    app.css("[data-field='payments-caption']").await;
    app.screenshot("payments-today").await;
    let small = stripe_targets(&stripe, 1_200..=5_400);
    let big = stripe_targets(&stripe, 6_000..=16_500);
    assert!(small.len() >= 3 && !big.is_empty(), "the demo group has payments to refund");

    // An order number and Enter open its payment.
    let a = &small[0];
    app.fill("Find a payment", &a.order).await;
    app.wait_for_text("table[aria-label='Payments'] tbody tr.top-match", &a.order).await;
    app.screenshot("payments-search").await;
    let search = app.labelled("Find a payment").await;
    search.send_keys("\u{E007}").await.expect("Enter");
    app.wait_for_text("[aria-label='Payment detail'] [data-field='order']", &a.order).await;
    app.wait_for_text("ol[aria-label='Timeline']", "Paid").await;
    app.screenshot("payment-detail").await;

    // Part of it.
    review_refund(&app, "USD", Some("5.00")).await;
    let confirmation = app.wait_for_text("dialog[open] [data-field='confirm-amount']", "5.00").await;
    assert!(confirmation.contains("USD"), "{confirmation}");
    let effect = app.wait_for_text("dialog[open] [data-field='effect']", "Stripe balance").await;
    assert!(effect.contains("fee"), "a direct charge gives the platform's fee back: {effect}");
    app.screenshot("refund-confirmation").await;
    confirm_refund(&app, "Refunded").await;
    let made = refunds_of(&stripe, &a.charge);
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!((made[0]["amount"].as_i64(), made[0]["metadata"]["issued_by"].as_str()), (Some(500), Some("Sam")));
    assert_eq!(made[0]["metadata"]["order_number"], a.order.as_str());

    // More than is left: refused before anything is sent.
    let left = a.amount - 500;
    let over = format!("{}.{:02}", (left + 1) / 100, (left + 1) % 100);
    let before = refund_count(&stripe);
    review_refund(&app, "USD", Some(&over)).await;
    app.wait_for_text("dialog[open] [role='alert']", "At most").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Cancel']").await;
    assert_eq!(refund_count(&stripe), before, "nothing sent");

    // The rest (the whole remainder is filled in).
    review_refund(&app, "USD", None).await;
    app.wait_for_text("dialog[open] [data-field='confirm-amount']", &format!("{}.{:02}", left / 100, left % 100)).await;
    confirm_refund(&app, "Refunded").await;
    app.wait_for_text("[data-field='not-refundable']", "refunded already").await;
    app.wait_for_text("ol[aria-label='Timeline']", "Issued by Sam").await;
    app.screenshot("payment-detail-refunded").await;
    let charge = stripe.lock().get(&Some(a.account.clone()), &a.charge).cloned().expect("charge");
    assert_eq!(charge["refunded"], true);
    back_to_list(&app).await;

    // Above the staff limit: a manager approves with her PIN; Sam stays signed in.
    let b = &big[0];
    open_order(&app, &b.order).await;
    review_refund(&app, "USD", None).await;
    approve_as(&app, "Priya", "9753").await;
    app.screenshot("refund-approval").await;
    confirm_refund(&app, "Refunded").await;
    app.wait_for_text("[data-field='profile-name']", "Sam").await;
    let approved = refunds_of(&stripe, &b.charge);
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["metadata"]["issued_by"], "Sam");
    assert_eq!(approved[0]["metadata"]["approved_by"], "Priya");
    app.wait_for_text("ol[aria-label='Timeline']", "approved by Priya").await;
    back_to_list(&app).await;

    // Confirm clicked twice: one refund.
    let c = &small[1];
    open_order(&app, &c.order).await;
    review_refund(&app, "USD", Some("1.00")).await;
    app.css("dialog[open] [data-field='confirm-amount']").await;
    let confirm = app.button("Confirm refund").await;
    app.client
        .execute("arguments[0].click(); arguments[0].click();", vec![serde_json::to_value(&confirm).unwrap()])
        .await
        .expect("double click");
    app.wait_for_text_within("[data-field='refund-result']", "Refunded", Duration::from_secs(45)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(refunds_of(&stripe, &c.charge).len(), 1, "a double click refunds once");
    back_to_list(&app).await;

    // The network goes: refused with a clear message, nothing sent, nothing queued.
    let d = &small[2];
    open_order(&app, &d.order).await;
    review_refund(&app, "USD", Some("2.00")).await;
    app.css("dialog[open] [data-field='confirm-amount']").await;
    let before = refund_count(&stripe);
    stripe.set_offline(true);
    app.click_xpath("//dialog[@open]//button[starts-with(normalize-space(.), 'Confirm')]").await;
    let offline = app.wait_for_text("dialog[open] [role='alert']", "offline").await;
    assert!(offline.contains("nothing is waiting to be sent"), "{offline}");
    app.screenshot("refund-offline").await;
    stripe.set_offline(false);
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Cancel']").await;
    assert_eq!(refund_count(&stripe), before, "nothing reached Stripe");
    back_to_list(&app).await;

    // CardConnect: a settled order is refunded, an unsettled one voided.
    let (settled, unsettled): ((String, String), (String, String)) = {
        let state = cardconnect.lock();
        let pick = |setl: Setl| {
            let mut found: Vec<_> = state
                .txns()
                .filter(|t| {
                    t.kind == TxnKind::Auth
                        && t.setl == setl
                        && t.refunded == 0
                        && t.currency.eq_ignore_ascii_case("usd")
                        && t.amount <= 5_000
                        && t.amount >= 500
                        && t.orderid.is_some()
                })
                .map(|t| (t.authdate, t.retref.clone(), t.orderid.clone().unwrap_or_default()))
                .collect();
            // The newest: yesterday's batch is settled, today's is not.
            found.sort();
            found.pop().map(|(_, retref, order)| (retref, order))
        };
        (
            pick(Setl::Accepted).expect("a settled CardConnect sale"),
            pick(Setl::QueuedForCapture).expect("an unsettled one"),
        )
    };
    open_order(&app, &settled.1).await;
    review_refund(&app, "USD", Some("3.00")).await;
    app.wait_for_text("dialog[open] [data-field='effect']", "CardConnect").await;
    confirm_refund(&app, "Refunded").await;
    let refunded: Vec<i64> = cardconnect
        .lock()
        .txns()
        .filter(|t| t.kind == TxnKind::Refund && t.parent.as_deref() == Some(settled.0.as_str()))
        .map(|t| t.amount)
        .collect();
    assert_eq!(refunded, [300]);
    back_to_list(&app).await;
    open_order(&app, &unsettled.1).await;
    review_refund(&app, "USD", None).await;
    app.wait_for_text("dialog[open] [data-field='effect']", "never charged").await;
    app.screenshot("refund-void-confirmation").await;
    confirm_refund(&app, "Voided").await;
    let voided = cardconnect.lock().txn(&unsettled.0).map(|t| t.setl);
    assert_eq!(voided, Some(Setl::Voided));
    back_to_list(&app).await;

    // My refunds lists them, with who approved.
    app.click_xpath("//button[@role='tab' and normalize-space()='My refunds']").await;
    let mine = app.wait_for_text("table[aria-label='My refunds']", "Priya").await;
    assert!(mine.contains(&b.order) && mine.contains("Voided"), "{mine}");
    assert!(!mine.contains("$0.00"), "a void shows the amount voided: {mine}");
    app.screenshot("my-refunds").await;

    // The owner's audit log names both for the approved refund.
    app.click_button("Lock").await;
    app.unlock_as("Maria", "2468").await;
    app.open_section("Settings").await;
    app.click_button("Audit log").await;
    let log = app.wait_for_text("table[aria-label='Audit records']", "approved by Priya").await;
    assert!(log.contains("issued by Sam"), "{log}");
    app.close().await;
}
