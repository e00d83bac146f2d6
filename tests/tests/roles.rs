//! Profiles and roles through the real window: first-run set-up, the lock screen with PIN back-off,
//! a staff profile that cannot reach payouts, disputes or settings — not in the navigation and not
//! by invoking commands from the web view's console — and the audit log screen.

use md_e2e::fantoccini::Locator;
use md_e2e::{App, Launch};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_only_what_they_may_and_commands_refuse_the_rest() {
    let app = App::launch(Launch::default()).await;
    app.screenshot("setup-first-run").await;
    app.set_up_owner("Maria", "2468").await;
    assert_eq!(app.nav_labels().await, ["Overview", "Payouts", "Payments & Refunds", "Disputes", "Settings"]);

    // The owner adds a staff profile.
    app.open_section("Settings").await;
    app.button("Profiles").await.click().await.unwrap();
    app.button("Add profile").await.click().await.unwrap();
    app.labelled("Name").await.send_keys("Sam").await.unwrap();
    let role = app.labelled("Role").await;
    role.select_by_value("staff").await.unwrap();
    app.labelled("PIN (4 to 8 digits)").await.send_keys("1357").await.unwrap();
    // Sam works at one restaurant only.
    app.client
        .find(Locator::XPath("//label[contains(., 'Only the ones ticked below')]/input"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let restaurant = app.client.find(Locator::XPath("//div[@aria-label='Restaurants']//label[1]")).await.unwrap();
    let restaurant_name = restaurant.text().await.unwrap().trim().to_string();
    restaurant.find(Locator::Css("input")).await.unwrap().click().await.unwrap();
    app.button("Create profile").await.click().await.unwrap();
    let table = app.wait_for_text("table[aria-label='Profiles']", "Sam").await;
    assert!(table.contains(&restaurant_name), "Sam's restaurant is listed: {table}");
    app.screenshot("settings-profiles").await;

    // Lock, then a wrong PIN, then Sam's PIN.
    app.button("Lock").await.click().await.unwrap();
    app.css("main[aria-label='Locked']").await;
    app.button("Sam").await.click().await.unwrap();
    app.labelled("PIN for Sam").await.send_keys("0000").await.unwrap();
    app.button("Unlock").await.click().await.unwrap();
    app.wait_for_text("[role='alert'][data-code='wrong_pin']", "4 attempts left").await;
    app.screenshot("lock-wrong-pin").await;
    app.labelled("PIN for Sam").await.send_keys("1357").await.unwrap();
    app.button("Unlock").await.click().await.unwrap();
    app.wait_for_text("[data-field='profile-name']", "Sam").await;

    // Not in the navigation…
    assert_eq!(app.nav_labels().await, ["Payments & Refunds"]);
    app.screenshot("staff-home").await;
    // …and not from the console either.
    for (command, args) in [
        ("overview_get", json!({})),
        ("connection_forget", json!({})),
        ("profiles_list", json!({})),
        ("settings_set_idle_lock", json!({ "minutes": 60 })),
        (
            "audit_list",
            json!({ "filter": { "profile_name": null, "action": null, "outcome": null, "from": null, "to": null } }),
        ),
    ] {
        let answer = app.invoke_from_console(command, args).await;
        assert_eq!(answer["code"], "role_forbidden", "{command}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains("Staff"), "{command}: {answer}");
    }
    // A command the app does not have is refused by the capability layer, not run.
    let unknown = app.invoke_from_console("plugin:fs|read_file", json!({ "path": "/etc/passwd" })).await;
    assert!(unknown.get("ok").is_none(), "{unknown}");

    // The owner sees every refusal in the audit log.
    app.button("Lock").await.click().await.unwrap();
    app.button("Maria").await.click().await.unwrap();
    app.labelled("PIN for Maria").await.send_keys("2468").await.unwrap();
    app.button("Unlock").await.click().await.unwrap();
    app.open_section("Settings").await;
    app.button("Audit log").await.click().await.unwrap();
    let log = app.wait_for_text("table[aria-label='Audit records']", "connection.forget").await;
    for expected in ["profiles.setup", "profiles.create", "forbidden", "Sam"] {
        assert!(log.contains(expected), "audit screen lacks {expected}: {log}");
    }
    app.screenshot("settings-audit-log").await;
    app.close().await;
}
