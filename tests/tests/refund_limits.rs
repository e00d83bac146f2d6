//! Settings → Refund limits through the real window: the owner sets staff and manager limits in
//! USD (typed in major units), reads the change back before saving and sees it listed; a limit the
//! currency cannot hold is refused beside its field and nothing is saved; the audit log shows the
//! change; a staff profile has no Settings and cannot set limits by invoking the command.

use md_e2e::{App, Launch};
use serde_json::json;

const TABLE: &str = "table[aria-label='Refund limits set']";

/// The limits the app keeps, read as the refund screen reads them: `(role, currency, amount)`.
async fn kept(app: &App) -> Vec<(String, String, Option<i64>)> {
    let answer = app.invoke_from_console("refund_limits_get", json!({})).await;
    let set = answer["ok"]["set"].as_array().unwrap_or_else(|| panic!("refund_limits_get: {answer}"));
    set.iter()
        .map(|l| {
            (l["role"].as_str().unwrap().to_string(), l["currency"].as_str().unwrap().to_string(), l["amount"].as_i64())
        })
        .collect()
}

/// Adds a row through the row form (not saved yet).
async fn add_limit(app: &App, role: &str, currency: &str, limit: &str) {
    app.click_button("Add limit").await;
    app.css("form[aria-label='New limit']").await;
    app.select("Role", role).await;
    app.fill("Currency", currency).await;
    app.fill("Limit", limit).await;
    app.click_button("Add to the list").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_set_refund_limits_and_staff_cannot() {
    let app = App::launch(Launch::default()).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Settings").await;
    app.click_button("Refund limits").await;

    // The rule and the defaults, before anything is set.
    let defaults =
        app.wait_for_text("[data-field='refund-limit-defaults']", "Staff: 50.00 in every currency unless set").await;
    assert!(defaults.contains("no limit unless set"), "{defaults}");
    app.wait_for_text(TABLE, "No limits set").await;
    assert!(kept(&app).await.is_empty());

    // Staff 75.00 and managers 200.00 in USD, read back in words before saving.
    add_limit(&app, "staff", "USD", "75.00").await;
    add_limit(&app, "manager", "USD", "200.00").await;
    app.wait_for_text("[data-field='refund-limits-pending']", "2 changes not saved yet").await;
    assert!(kept(&app).await.is_empty(), "nothing is kept before it is confirmed");
    app.click_button("Review and save").await;
    let confirm = app.wait_for_text("dialog.rl-confirm", "Staff in USD: $50.00 (default) → $75.00").await;
    assert!(confirm.contains("Manager in USD: no limit (default) → $200.00"), "{confirm}");
    app.screenshot("settings-refund-limits-confirm").await;
    app.click_button("Save limits").await;
    let saved = app.wait_for_text("[data-field='refund-limits-saved']", "Saved").await;
    assert!(saved.contains("Staff in USD: $50.00 (default) → $75.00"), "{saved}");
    let rows = app.texts(&format!("{TABLE} tbody tr")).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (row, (role, limit)) in rows.iter().zip([("Staff", "$75.00"), ("Manager", "$200.00")]) {
        assert!(row.contains(role) && row.contains("USD") && row.contains(limit), "{row:?}");
        assert!(!row.contains("Not saved"), "{row:?}");
    }
    let both =
        vec![("staff".to_string(), "usd".to_string(), Some(7_500)), ("manager".into(), "usd".into(), Some(20_000))];
    assert_eq!(kept(&app).await, both);
    app.screenshot("settings-refund-limits").await;

    // A limit USD cannot hold is refused beside its field, before anything is sent.
    add_limit(&app, "owner", "USD", "12.505").await;
    let error = app.wait_for_text("[data-field='rl-amount-error']", "USD amounts have at most 2 decimals").await;
    assert!(error.contains("12.505 has 3"), "{error}");
    assert_eq!(app.attrs("#rl-amount", "aria-invalid").await, ["true"]);
    assert_eq!(app.attrs("#rl-amount", "aria-describedby").await, ["rl-amount-error rl-amount-help"]);
    app.screenshot("settings-refund-limits-refused").await;
    app.click_button("Cancel").await;
    app.wait_for_text("[data-field='refund-limits-pending']", "No unsaved changes").await;
    assert_eq!(app.texts(&format!("{TABLE} tbody tr")).await.len(), 2);
    // The core refuses what the form would have refused, with the field named.
    let refused = app
        .invoke_from_console(
            "refund_limits_set",
            json!({ "limits": { "set": [{ "role": "owner", "currency": "dollars", "amount": 1_250 }] } }),
        )
        .await;
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    assert_eq!(refused["field"], "refund limits", "{refused}");
    assert_eq!(kept(&app).await, both, "nothing was saved");

    // The change, and the refusal, are in the audit log.
    app.click_button("Audit log").await;
    let log = app.wait_for_text("table[aria-label='Audit records']", "settings.refund_limits").await;
    for expected in ["Staff 75.00 USD", "Manager 200.00 USD", "succeeded", "refused"] {
        assert!(log.contains(expected), "audit screen lacks {expected}: {log}");
    }

    // A staff profile: no Settings, and the command refuses it.
    app.click_button("Profiles").await;
    app.click_button("Add profile").await;
    app.fill("Name", "Sam").await;
    app.select("Role", "staff").await;
    app.fill("PIN (4 to 8 digits)", "1357").await;
    app.click_button("Create profile").await;
    app.wait_for_text("table[aria-label='Profiles']", "Sam").await;
    app.click_button("Lock").await;
    app.unlock_as("Sam", "1357").await;
    let nav = app.nav_labels().await;
    assert!(!nav.iter().any(|s| s == "Settings"), "{nav:?}");
    let answer = app
        .invoke_from_console(
            "refund_limits_set",
            json!({ "limits": { "set": [{ "role": "staff", "currency": "usd", "amount": 1_000_000 }] } }),
        )
        .await;
    assert_eq!(answer["code"], "role_forbidden", "{answer}");
    assert!(answer.get("ok").is_none(), "{answer}");
    // Staff read the limits in force (the refund screen needs them), unchanged.
    assert_eq!(kept(&app).await, both);
    app.close().await;
}
