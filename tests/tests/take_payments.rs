//! Platform admins taking payments for orders through the real window, in demo mode: an
//! authorization reviewed with the fee the rules set, captured in part (the fee on what was
//! captured, the rest released), more than authorized refused; another authorization canceled; a
//! payment whose card needs 3-D Secure waits for the customer, then is confirmed here; the
//! authorizations list shows it with its time left, and it is captured from there.

use md_e2e::{App, Launch};

async fn take(app: &App, order: &str, amount: &str, method: &str, status: &str) {
    app.click_button("Take a payment").await;
    app.fill("Order number", order).await;
    app.fill("Amount", amount).await;
    app.fill("Payment method", method).await;
    app.click_button("Review payment").await;
    app.wait_for_text("[data-field='take-review']", "platform's fee").await;
    app.click_button("Confirm payment").await;
    app.wait_for_text("[data-field='taken-status']", status).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_authorizes_captures_part_and_cancels_another() {
    let app = App::launch(Launch::default()).await;
    app.set_up_admin_and_sync("Ada", "1593").await;
    app.open_section("Payments & Refunds").await;

    take(&app, "CAT-900", "64.20", "pm_card_visa", "requires capture").await;
    app.wait_for_text("[data-field='capturable']", "$64.20").await;
    app.wait_for_text("[data-field='capture-by']", "left").await;

    // More than authorized: refused, nothing captured.
    app.fill("Amount to capture", "64.21").await;
    app.click_button("Capture…").await;
    app.click_button("Yes, capture").await;
    app.wait_for_text("[aria-label='Payment taken'] [role='alert']", "Only $64.20 was authorized").await;
    app.wait_for_text("[data-field='captured']", "$0.00").await;

    // $50.00: captured, the fee on $50, the rest released.
    app.fill("Amount to capture", "50.00").await;
    app.click_button("Capture…").await;
    app.wait_for_text("[data-field='confirm-action']", "Capture 50.00 USD of $64.20").await;
    app.click_button("Yes, capture").await;
    app.wait_for_text("[data-field='taken-note']", "$14.20 released").await;
    app.wait_for_text("[data-field='captured']", "$50.00").await;
    app.wait_for_text("[data-field='taken-fee']", "$1.75").await;
    app.screenshot("payment-captured").await;

    // Another authorization, let go.
    app.click_button("Back to payments").await;
    take(&app, "CAT-901", "30.00", "pm_card_visa", "requires capture").await;
    app.select("Cancel reason", "requested_by_customer").await;
    app.click_button("Cancel authorization…").await;
    app.click_button("Yes, cancel it").await;
    app.wait_for_text("[data-field='taken-status']", "canceled").await;

    // A card that needs 3-D Secure: the customer authenticates at their bank, then it is confirmed.
    app.click_button("Back to payments").await;
    take(&app, "CAT-902", "45.00", "pm_card_threeDSecure2Required", "requires action").await;
    let link = app.wait_for_text("[data-field='action-url'] .mono", "/authenticate/").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let done = client.post(link.trim()).form(&[("outcome", "complete")]).send().await.unwrap();
    assert!(done.status().is_success() || done.status().is_redirection(), "{}", done.status());
    app.click_button("Check again").await;
    app.wait_for_text("[data-field='taken-status']", "requires confirmation").await;
    app.click_button("Confirm payment…").await;
    app.click_button("Yes, confirm").await;
    app.wait_for_text("[data-field='taken-status']", "requires capture").await;

    // Waiting for capture with its time left; opened from the list and captured whole.
    app.click_button("Back to payments").await;
    app.click_button("Authorizations").await;
    let row = app.wait_for_text("table[aria-label='Authorizations'] tbody", "CAT-902").await;
    assert!(row.contains("6 d"), "seven days to capture, less a little: {row}");
    app.screenshot("payments-authorizations").await;
    app.click_xpath("//table[@aria-label='Authorizations']//tr[contains(., 'CAT-902')]/td[1]").await;
    app.click_button("Capture…").await;
    app.click_button("Yes, capture").await;
    app.wait_for_text("[data-field='taken-status']", "succeeded").await;
    app.close().await;
}
