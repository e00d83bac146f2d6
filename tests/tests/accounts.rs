//! Platform admins onboarding a restaurant through the real window, on the demo group (the app in
//! demo mode against emulators this test runs, so the owner's side of onboarding can be played):
//! the accounts list (restricted first, CardConnect restaurants with their merchant ID), the link
//! addresses set in Settings, a new Express account created and opened with what Stripe needs in
//! words, its onboarding link with a QR code that reads back to the link, opened in the browser
//! once; the owner completes onboarding and the account turns active after a sync; the Express
//! dashboard link; an expired link never opened again; bad forms refused with nothing sent; owners,
//! managers and staff refused account creation from the web view's console. Then a restricted
//! restaurant explains what is due (and its deadline reaches the desktop as a notification), and
//! one that disconnected shows so, with no money actions.

use std::path::Path;
use std::time::Duration;

use md_e2e::{App, Launch, NotificationWatch};
use serde_json::json;
use stripe_emulator::Emulator;

const ROWS: &str = "table[aria-label='Restaurant accounts'] tbody tr";

/// Both demo emulators, run by the test.
struct Demo {
    stripe: Emulator,
    cardconnect: cardconnect_emulator::Emulator,
}

impl Demo {
    async fn start() -> Demo {
        Demo {
            stripe: Emulator::start(stripe_emulator::Config::demo()).await.expect("stripe emulator"),
            cardconnect: cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::demo())
                .await
                .expect("cardconnect emulator"),
        }
    }

    /// The app in demo mode on these emulators; `browser` stands in for the person's browser.
    fn launch(&self, browser: &Path) -> Launch {
        Launch {
            env: vec![
                ("MERCHANT_DESK_DEMO_STRIPE_API_BASE".into(), self.stripe.base_url()),
                ("MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE".into(), self.cardconnect.base_url()),
                ("BROWSER".into(), browser.display().to_string()),
            ],
        }
    }

    /// The ID of the demo restaurant named `name`.
    fn account_named(&self, name: &str) -> String {
        let state = self.stripe.lock();
        let found = state
            .objects_of_kind("account")
            .find(|(_, a)| a["business_profile"]["name"] == name)
            .and_then(|(_, a)| a["id"].as_str().map(str::to_string));
        found.unwrap_or_else(|| panic!("{name} is in the demo group"))
    }
}

/// A stand-in browser: a script that writes each address it is asked to open into `opened`.
fn fake_browser(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    let opened = dir.join("opened.txt");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, opened)
}

/// Waits until the stand-in browser was asked to open something; returns every address so far.
async fn opened_in_browser(opened: &Path) -> Vec<String> {
    for _ in 0..100 {
        if let Ok(text) = std::fs::read_to_string(opened) {
            if !text.is_empty() {
                return text.lines().map(str::to_string).collect();
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing was opened in the browser");
}

/// The owner's side of onboarding, as their phone's browser does it: the page, then its form.
async fn owner_completes_onboarding(link: &str) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(link).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200, "the link was not used before the owner");
    let back = client.post(link).send().await.unwrap();
    assert_eq!(back.status().as_u16(), 303);
}

/// Runs a sync from the sync bar and waits for it to end (Stripe's `last_finished_at` moves on).
async fn sync_again(app: &App) {
    let finished = || async {
        let status = app.invoke_from_console("sync_status", json!({})).await;
        (status["ok"]["running"] == false).then(|| status["ok"]["last_finished_at"].clone())
    };
    let before = finished().await;
    app.click_css("[aria-label='Sync progress'] button").await;
    app.until("a sync that ends", Duration::from_secs(60), || async {
        match finished().await {
            Some(now) if Some(&now) != before.as_ref() => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
}

fn scroll_into_view(selector: &str) -> String {
    format!("document.querySelector(\"{selector}\").scrollIntoView({{block: 'center'}})")
}

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
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (browser, opened) = fake_browser(dir.path());
    let app = App::launch(demo.launch(&browser)).await;
    app.set_up_admin_and_sync("Ada", "1593").await;

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
    let rows = app.count(ROWS, None).await;
    assert!(rows >= 12, "{rows}");
    let listed = app.texts(ROWS).await;
    assert!(listed.iter().any(|r| r.contains(cardconnect_emulator::DEMO_MERCHID_LAKESIDE)), "{listed:?}");
    let first = &listed[0];
    assert!(first.contains("Restricted") || first.contains("Disabled") || first.contains("past due"), "{first}");
    app.screenshot("accounts-list").await;

    // A bad email: said beside the field, nothing created.
    let before = app.count(ROWS, None).await;
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
    assert!(link.starts_with("http://127.0.0.1:") && link.contains("/setup/s/"), "{link}");
    let shown: String = app.attrs("[data-field='account-link'] img", "src").await.remove(0);
    assert_eq!(shown, md_core::accounts::qr::svg_data_url(&link).unwrap(), "the QR code on screen is the link's");
    assert_eq!(decode(&md_core::accounts::qr::matrix(&link).unwrap()), link, "the code reads back to the link");
    app.wait_for_text("[data-field='link-expiry']", "Usable for").await;
    app.client.execute(&scroll_into_view("[data-field='account-link']"), vec![]).await.expect("scroll to the link");
    app.screenshot("account-onboarding-link").await;

    // Opened in the browser once; then it is spent: no QR code, no second opening.
    app.click_button("Open in browser").await;
    assert_eq!(opened_in_browser(&opened).await, vec![link.clone()]);
    app.wait_for_text("[data-field='link-expiry']", "Opened in the browser").await;
    app.count("[data-field='account-link'] img", Some(0)).await;
    let handle: String = app.attrs("[data-field='account-link']", "data-handle").await.remove(0);
    let again = app.invoke_from_console("account_link_open", json!({ "handle": handle })).await;
    assert!(again["message"].as_str().unwrap_or("").contains("used once"), "{again}");

    // The owner finishes onboarding on their side; after a sync the account is active.
    owner_completes_onboarding(&link).await;
    app.wait_for_text("[aria-label='Account'] .account-head", "Pending").await;
    sync_again(&app).await;
    app.wait_for_text("[aria-label='Account'] .account-head", "Active").await;
    app.wait_for_text("[aria-label='What Stripe needs']", "Nothing due").await;

    // The Express dashboard link, opened in the browser.
    app.click_button("Express dashboard link").await;
    let dashboard = app.wait_for_text("[data-field='dashboard-link'] .link-url", "/express/").await;
    app.click_css("[data-field='dashboard-link'] button").await;
    app.until("the dashboard opened", Duration::from_secs(10), || async {
        let text = std::fs::read_to_string(&opened).unwrap_or_default();
        if text.contains(dashboard.trim()) {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;

    // An update link left to expire is never offered again, nor opened from the console.
    demo.stripe.set_account_link_lifetime(Duration::from_secs(3));
    app.click_button("Update link").await;
    app.wait_for_text_within("[data-field='link-expiry']", "expired", Duration::from_secs(15)).await;
    app.count("[data-field='account-link'] img", Some(0)).await;
    let handle: String = app.attrs("[data-field='account-link']", "data-handle").await.remove(0);
    let expired = app.invoke_from_console("account_link_open", json!({ "handle": handle })).await;
    assert_eq!(expired["code"], "invalid_input", "{expired}");
    assert!(expired["message"].as_str().unwrap_or("").contains("expired"), "{expired}");
    assert_eq!(std::fs::read_to_string(&opened).unwrap().lines().count(), 2, "nothing more was opened");
    demo.stripe.set_account_link_lifetime(Duration::from_secs(300));
    app.click_button("New link").await;
    app.wait_for_text("[data-field='link-expiry']", "Usable for").await;
    app.count("[data-field='account-link'] img", Some(1)).await;

    // Bad input typed into the console: each a clear refusal, nothing created at Stripe.
    let accounts_at_stripe = || demo.stripe.lock().objects_of_kind("account").count();
    let made = accounts_at_stripe();
    let form = |country: &str, kind: &str, mcc: &str| {
        json!({ "account_type": kind, "business_type": "company", "country": country, "email": "owner@grill.example",
            "business_name": "Grill", "mcc": mcc, "url": null, "capabilities": { "card_payments": true, "transfers": true } })
    };
    for (bad, field) in [
        (form("ZZ", "express", "5812"), "country"),
        (form("US", "express", "58a2"), "mcc"),
        (form("AR", "standard", "5812"), "account_type"),
        (form("US", "partner", "5812"), ""),
    ] {
        let answer = app
            .invoke_from_console(
                "account_create",
                json!({ "form": bad, "confirmation": md_core::money_calls::new_key() }),
            )
            .await;
        if field.is_empty() {
            // Not a type at all: refused where the command's arguments are read.
            assert!(answer.as_str().is_some_and(|m| m.contains("unknown variant `partner`")), "{answer}");
        } else {
            assert_eq!((&answer["code"], &answer["field"]), (&json!("invalid_input"), &json!(field)), "{answer}");
        }
    }
    let standard = demo.account_named("Le Petit Four Marais");
    let answer = app.invoke_from_console("account_login_link", json!({ "account": standard })).await;
    assert!(answer["message"].as_str().unwrap_or("").contains("Standard account"), "{answer}");
    assert_eq!(accounts_at_stripe(), made, "nothing was created");

    app.click_button("Back to accounts").await;
    app.count(ROWS, Some(before + 1)).await;

    // Owners, managers and staff may not create accounts, also from the web view's console.
    for (name, role, pin) in [("Maria", "owner", "2468"), ("Priya", "manager", "9753"), ("Sam", "staff", "1357")] {
        app.add_profile(name, role, pin).await;
    }
    for (name, pin) in [("Maria", "2468"), ("Priya", "9753"), ("Sam", "1357")] {
        app.click_button("Lock").await;
        app.unlock_as(name, pin).await;
        if name == "Maria" {
            // An owner sees the restaurants' accounts and may send update links, not create.
            app.open_section("Accounts").await;
            app.count(ROWS, Some(before + 1)).await;
            app.count("button.primary", Some(0)).await;
        } else {
            assert!(!app.nav_labels().await.iter().any(|l| l == "Accounts"), "{name} has no Accounts section");
        }
        let answer = app
            .invoke_from_console(
                "account_create",
                json!({ "form": form("US", "express", "5812"), "confirmation": md_core::money_calls::new_key() }),
            )
            .await;
        assert_eq!(answer["code"], "role_forbidden", "{name}: {answer}");
    }
    assert_eq!(accounts_at_stripe(), made);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricted_restaurant_says_what_is_due_and_a_disconnected_one_moves_no_money() {
    let notifications = NotificationWatch::start();
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (browser, _) = fake_browser(dir.path());
    let app = App::launch(demo.launch(&browser)).await;
    app.set_up_admin_and_sync("Ada", "1593").await;
    // Stripe's deadline for the restricted restaurants is 6 days away: the desktop says so.
    let shown = notifications.wait_for("Stripe deadline in", Duration::from_secs(30));
    assert!(shown.contains("Stripe needs") && shown.contains("update link"), "{shown}");
    app.open_section("Accounts").await;

    // Restricted: what Stripe needs, in words, with its deadline.
    let restricted = demo.account_named("Saltwater Oyster Bar");
    app.click_css(&format!("{ROWS}[data-account='{restricted}'] .name")).await;
    app.wait_for_text("[aria-label='Account'] .account-head", "Restricted").await;
    let needs = app.wait_for_text("[aria-label='What Stripe needs']", "Stripe needs").await;
    assert!(needs.contains("past due") || needs.contains("Past due"), "{needs}");
    assert!(!needs.contains("representative.verification"), "words, not field paths: {needs}");
    app.screenshot("account-detail-restricted").await;
    app.click_button("Back to accounts").await;

    // The restaurant behind today's order HV-01-9002 revokes the platform's access.
    let seaport = demo.account_named("Harbor & Vine Seaport Grill");
    demo.stripe.deauthorize(&seaport).unwrap();
    sync_again(&app).await;
    app.wait_for_text(&format!("{ROWS}[data-account='{seaport}']"), "Disconnected").await;
    app.click_css(&format!("{ROWS}[data-account='{seaport}'] .name")).await;
    app.wait_for_text("[data-field='disconnected']", "revoked").await;
    app.count("[aria-label='Links for the owner']", Some(0)).await;
    app.screenshot("account-detail-disconnected").await;

    // Its payments can no longer be refunded from here, and the console is refused too.
    let charge: String = {
        let state = demo.stripe.lock();
        let found = state
            .objects_of_kind("charge")
            .find(|(_, c)| c["metadata"]["order_number"] == "HV-01-9002" && c["status"] == "succeeded")
            .and_then(|(_, c)| c["id"].as_str().map(str::to_string));
        found.expect("the order's charge")
    };
    app.open_section("Payments & Refunds").await;
    app.fill("Find a payment", &charge).await;
    app.labelled("Find a payment").await.send_keys("\u{E007}").await.expect("Enter");
    app.wait_for_text("[data-field='order']", "HV-01-9002").await;
    app.wait_for_text("[data-field='not-refundable']", "disconnected").await;
    app.count("button.primary", Some(0)).await;
    let refunds = demo.stripe.lock().objects_of_kind("refund").count();
    let order = json!({ "restaurant": seaport, "payment": charge, "amount": 100, "reason": "requested_by_customer",
        "note": null, "approver_profile_id": null, "approver_pin": null });
    let answer = app
        .invoke_from_console(
            "refund_confirm",
            json!({ "order": order, "confirmation": md_core::money_calls::new_key() }),
        )
        .await;
    assert_eq!(answer["code"], "disconnected", "{answer}");
    assert_eq!(demo.stripe.lock().objects_of_kind("refund").count(), refunds, "nothing was sent");
    app.close().await;
}
