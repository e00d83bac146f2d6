//! Platform admins onboarding a restaurant through the real window, in demo mode: the accounts
//! list (restricted first, CardConnect restaurants with their merchant ID), the link addresses set
//! in Settings, a new Express account created and opened with what Stripe needs in words, its
//! onboarding link with a QR code that reads back to the link; a bad form refused beside its field
//! with nothing sent; an owner's console call to create an account refused.

use md_e2e::{App, Launch};
use serde_json::json;

/// Reads a QR code's modules back to its text, as a phone would (a bitmap with a quiet zone).
fn decode(modules: &[Vec<bool>]) -> String {
    let (quiet, scale) = (4, 4);
    let side = (modules.len() + 2 * quiet) * scale;
    let dark = |px: usize, py: usize| {
        let (x, y) = (px / scale, py / scale);
        (quiet..quiet + modules.len()).contains(&x)
            && (quiet..quiet + modules.len()).contains(&y)
            && modules[y - quiet][x - quiet]
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| if dark(x, y) { 0 } else { 255 });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the picture");
    grids[0].decode().expect("the code reads").1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_restaurant_and_hands_over_its_onboarding_link() {
    let app = App::launch(Launch::default()).await;
    app.labelled("Demo mode").await;
    app.fill("Your name", "Ada").await;
    app.select("Role", "platform_admin").await;
    app.fill("PIN (4 to 8 digits)", "1593").await;
    app.fill("PIN again", "1593").await;
    app.click_button("Create profile and start").await;
    app.css("nav[aria-label='Sections']").await;
    app.wait_for_text_within("[aria-label='Sync progress']", "All data synced", std::time::Duration::from_secs(180))
        .await;

    // Where owners come back after onboarding: set once in Settings.
    app.open_section("Settings").await;
    app.click_button("Onboarding links").await;
    app.fill("After onboarding (return address)", "https://harborvine.example/onboarding/done").await;
    app.fill("When a link has expired (refresh address)", "ftp://harborvine.example/again").await;
    app.click_button("Save addresses").await;
    app.wait_for_text("form[aria-label='Onboarding link settings'] [role='alert']", "https").await;
    app.fill("When a link has expired (refresh address)", "https://harborvine.example/onboarding/again").await;
    app.click_button("Save addresses").await;
    app.wait_for_text("form[aria-label='Onboarding link settings'] [role='status']", "Saved").await;

    // The list: restricted and past due first; CardConnect restaurants with their merchant ID.
    app.open_section("Accounts").await;
    let rows = app.count("table[aria-label='Restaurant accounts'] tbody tr", None).await;
    assert!(rows >= 12, "{rows}");
    let listed = app.texts("table[aria-label='Restaurant accounts'] tbody tr").await;
    assert!(listed.iter().any(|r| r.contains(cardconnect_emulator::DEMO_MERCHID_LAKESIDE)), "{listed:?}");
    let first = &listed[0];
    assert!(first.contains("Restricted") || first.contains("Disabled") || first.contains("past due"), "{first}");
    app.screenshot("accounts-list").await;

    // A bad email: said beside the field, nothing created.
    let before = app.count("table[aria-label='Restaurant accounts'] tbody tr", None).await;
    app.click_button("New restaurant account").await;
    app.select("Account type", "express").await;
    app.fill("Owner's email", "not-an-email").await;
    app.fill("Restaurant name", "Harbor & Vine Dockside Cantina").await;
    app.fill("Website", "https://dockside.example").await;
    app.click_button("Create account").await;
    app.wait_for_text("form[aria-label='New restaurant account'] [role='alert']", "email").await;
    app.fill("Owner's email", "owner@dockside.example").await;
    app.click_button("Create account").await;

    // Created and opened: pending, with what Stripe needs in words.
    app.wait_for_text("[aria-label='Account'] .account-name", "Dockside Cantina").await;
    let needs = app.wait_for_text("[aria-label='What Stripe needs']", "Stripe needs").await;
    assert!(!needs.contains("individual.") && !needs.contains("company."), "words, not field paths: {needs}");
    app.click_button("Onboarding link").await;
    app.css("[data-field='account-link'] img[alt='QR code of the link']").await;
    let link = app.texts("[data-field='account-link'] .link-url").await.remove(0);
    assert!(link.starts_with("https://"), "{link}");
    let shown: String = app.attrs("[data-field='account-link'] img", "src").await.remove(0);
    assert_eq!(shown, md_core::accounts::qr::svg_data_url(&link).unwrap(), "the QR code on screen is the link's");
    assert_eq!(decode(&md_core::accounts::qr::matrix(&link).unwrap()), link, "the code reads back to the link");
    app.wait_for_text("[data-field='link-expiry']", "Usable for").await;
    app.client
        .execute("document.querySelector(\"[data-field='account-link']\").scrollIntoView({block: 'center'})", vec![])
        .await
        .expect("scroll to the link");
    app.screenshot("account-onboarding-link").await;
    app.click_button("Back to accounts").await;
    app.count("table[aria-label='Restaurant accounts'] tbody tr", Some(before + 1)).await;

    // An owner may not create accounts, also from the web view's console.
    app.add_profile("Maria", "owner", "2468").await;
    app.click_button("Lock").await;
    app.unlock_as("Maria", "2468").await;
    let form = json!({ "account_type": "express", "business_type": "company", "country": "US", "email": "x@y.example",
        "business_name": "Sneaky", "mcc": "5812", "url": null, "capabilities": { "card_payments": true, "transfers": true } });
    let answer = app
        .invoke_from_console(
            "account_create",
            json!({ "form": form, "confirmation": "md_00000000000000000000000000000000" }),
        )
        .await;
    assert_eq!(answer["code"], "role_forbidden", "{answer}");
    app.close().await;
}
