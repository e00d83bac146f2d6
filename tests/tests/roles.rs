//! Profiles and roles through the real window: first-run set-up, the lock screen with PIN back-off,
//! a staff profile that cannot reach payouts, disputes or settings — not in the navigation and not
//! by invoking commands from the web view's console — and the audit log screen.

use md_e2e::{App, Launch};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_only_what_they_may_and_commands_refuse_the_rest() {
    let app = App::launch(Launch::default()).await;
    app.labelled("Your name").await;
    app.screenshot("setup-first-run").await;
    app.set_up_owner("Maria", "2468").await;
    assert_eq!(
        app.nav_labels().await,
        ["Overview", "Payouts", "Payments & Refunds", "Disputes", "Accounts", "Settings"]
    );

    // The owner adds a staff profile.
    app.open_section("Settings").await;
    app.click_button("Profiles").await;
    app.click_button("Add profile").await;
    app.fill("Name", "Sam").await;
    app.select("Role", "staff").await;
    app.fill("PIN (4 to 8 digits)", "1357").await;
    // Sam works at one restaurant only.
    app.click_xpath("//label[contains(., 'Only the ones ticked below')]/input").await;
    app.css("div[aria-label='Restaurants'] label").await;
    let restaurant_name = app.texts("div[aria-label='Restaurants'] label").await.remove(0);
    app.click_xpath("(//div[@aria-label='Restaurants']//label)[1]/input").await;
    app.click_button("Create profile").await;
    let table = app.wait_for_text("table[aria-label='Profiles']", "Sam").await;
    assert!(table.contains(&restaurant_name), "Sam's restaurant is listed: {table}");
    app.screenshot("settings-profiles").await;

    // Lock, then a wrong PIN, then Sam's PIN.
    app.click_button("Lock").await;
    app.css("main[aria-label='Locked']").await;
    app.click_button("Sam").await;
    app.fill("PIN for Sam", "0000").await;
    app.click_button("Unlock").await;
    app.wait_for_text("[role='alert'][data-code='wrong_pin']", "4 attempts left").await;
    app.screenshot("lock-wrong-pin").await;
    app.fill("PIN for Sam", "1357").await;
    app.click_button("Unlock").await;
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
    app.click_button("Lock").await;
    app.unlock_as("Maria", "2468").await;
    app.open_section("Settings").await;
    app.click_button("Audit log").await;
    let log = app.wait_for_text("table[aria-label='Audit records']", "connection.forget").await;
    for expected in ["profiles.setup", "profiles.create", "forbidden", "Sam"] {
        assert!(log.contains(expected), "audit screen lacks {expected}: {log}");
    }
    app.screenshot("settings-audit-log").await;
    app.close().await;
}
