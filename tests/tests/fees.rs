//! Platform admins setting the platform's fees through the real window, in demo mode: volume tiers
//! with a gap refused on the tier's field with nothing saved, then tiers and an override saved and
//! written onto every restaurant at Stripe, a fee previewed with the rule that applied, a payment
//! taken at that restaurant with that fee and captured in part (the fee on what was captured), and
//! part of a collected fee given back.

use md_e2e::{App, Launch};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_tiers_and_an_override_and_previews_a_fee() {
    let app = App::launch(Launch::default()).await;
    app.set_up_admin_and_sync("Ada", "1593").await;

    app.open_section("Settings").await;
    app.click_button("Platform fees").await;
    app.wait_for_text("form[aria-label='Platform fees']", "built in").await;
    app.fill("Default percent", "2.9").await;
    app.fill("Default fixed", "30").await;
    app.click_button("Add a tier").await;
    app.fill("Tier 1 from", "0").await;
    app.fill("Tier 1 to", "1000000").await;
    app.fill("Tier 1 percent", "3").await;
    app.fill("Tier 1 fixed", "30").await;
    app.click_button("Add a tier").await;
    // A gap: volumes between the two tiers would pay no rate.
    app.fill("Tier 2 from", "1500000").await;
    app.fill("Tier 2 percent", "2.5").await;
    app.fill("Tier 2 fixed", "25").await;
    app.click_button("Add a restaurant").await;
    let seaport = app.attrs("select[aria-label='Override 1 restaurant'] option", "value").await;
    let names = app.texts("select[aria-label='Override 1 restaurant'] option").await;
    let at = names.iter().position(|n| n == "Harbor & Vine Seaport Grill").expect("Seaport Grill listed");
    app.select("Override 1 restaurant", &seaport[at]).await;
    app.fill("Override 1 percent", "2").await;
    app.fill("Override 1 fixed", "20").await;
    app.fill("Override 1 reason", "Enterprise agreement").await;
    app.click_button("Save fees").await;
    app.wait_for_text("form[aria-label='Platform fees'] [role='alert']", "without a fee").await;
    app.wait_for_text("form[aria-label='Platform fees']", "built in").await;

    // Closed: saved, and written onto every restaurant.
    app.fill("Tier 2 from", "1000001").await;
    app.click_button("Save fees").await;
    app.wait_for_text("form[aria-label='Platform fees'] [role='status']", "written onto").await;
    app.wait_for_text("form[aria-label='Platform fees']", "Stripe").await;

    // The preview: Seaport pays its own rate, and says why.
    app.select("Preview restaurant", &seaport[at]).await;
    app.fill("Preview amount", "100.00").await;
    app.click_button("Preview").await;
    app.wait_for_text("[data-field='fee-rule']", "Enterprise agreement").await;
    app.wait_for_text("[data-field='fee-amount']", "$2.20").await;
    app.wait_for_text("[data-field='fee-net']", "$97.80").await;
    app.screenshot("fees-preview").await;

    // A fee above the payment is refused, not clamped.
    app.fill("Preview amount", "0.20").await;
    app.click_button("Preview").await;
    app.wait_for_text("form[aria-label='Fee preview'] [role='alert']", "whole payment").await;

    // A payment taken at Seaport pays that fee: authorized, then part captured with the fee on it.
    app.open_section("Payments & Refunds").await;
    app.click_button("Take a payment").await;
    app.select("Restaurant", &seaport[at]).await;
    app.fill("Order number", "CAT-777").await;
    app.fill("Amount", "100.00").await;
    app.click_button("Review payment").await;
    app.wait_for_text("[data-field='take-review']", "fee is $2.20 (Override for this restaurant: Enterprise agreement")
        .await;
    app.click_button("Confirm payment").await;
    app.wait_for_text("[data-field='taken-fee']", "$2.20").await;
    app.fill("Amount to capture", "80.00").await;
    app.click_button("Capture…").await;
    app.click_button("Yes, capture").await;
    app.wait_for_text("[data-field='taken-note']", "$20.00 released").await;
    app.wait_for_text("[data-field='taken-fee']", "$1.80").await;
    app.open_section("Settings").await;
    app.click_button("Platform fees").await;

    // What the platform collected this month; part of a fee given back.
    app.wait_for_text("[data-field='collected-total']", "net of refunds").await;
    app.click_css("table[aria-label='Collected fees'] tbody tr:first-child .link-button").await;
    app.fill("Amount to give back", "0.10").await;
    app.click_css("[data-field='give-back'] button.primary").await;
    app.wait_for_text("[aria-label='Fees collected'] [role='status']", "0.10 of fee").await;
    app.client
        .execute("document.querySelector(\"[aria-label='Fees collected']\").scrollIntoView({block: 'start'})", vec![])
        .await
        .expect("scroll to the fees collected");
    app.screenshot("fees-collected").await;
    app.close().await;
}
