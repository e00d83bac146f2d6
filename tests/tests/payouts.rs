//! Owners' balances and payouts through the real window, against an emulated Stripe platform with
//! the demo restaurant group: balances equal Stripe's, a payout's breakdown adds up to it, CSV
//! exports through the native save dialog, the schedule changes in Stripe (bad input does not),
//! a failed payout shows its reason in a banner and a desktop notification, the chart renders.

use std::time::Duration;

use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_e2e::{csv_rows, en_us_money, App, Launch, NotificationWatch};
use serde_json::{json, Value};
use stripe_emulator::{Config, Emulator};

const TEST_KEY: &str = "sk_test_51E2ePayoutsPlatformKeyMerchantDsk8W";

struct Platform {
    emulator: Emulator,
    stripe: StripeClient,
}

impl Platform {
    async fn start() -> Platform {
        let config = Config { seed: Some(stripe_emulator::seed::DEMO_SEED), ..Config::with_key(TEST_KEY) };
        let emulator = Emulator::start(config).await.expect("emulator");
        let stripe = StripeClient::new(&emulator.base_url(), ApiKey::parse(TEST_KEY).unwrap()).unwrap();
        Platform { emulator, stripe }
    }

    async fn get(&self, path: &str, account: Option<&str>) -> Value {
        self.stripe.get::<Value>(path, &[], account).await.expect(path).value
    }

    /// A connected account in `country` paid out daily, with its name.
    async fn daily_account(&self, country: &str) -> (String, String) {
        let list = self.get("/v1/accounts?limit=100", None).await;
        let account = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| {
                a["country"] == country
                    && a["payouts_enabled"] == true
                    && a["settings"]["payouts"]["schedule"]["interval"] == "daily"
            })
            .expect("a daily account")
            .clone();
        (account["id"].as_str().unwrap().to_string(), account["business_profile"]["name"].as_str().unwrap().to_string())
    }

    /// The connected account a payout belongs to (`None`: the platform's own).
    async fn owner_of(&self, payout: &str) -> Option<String> {
        let list = self.get("/v1/accounts?limit=100", None).await;
        for account in list["data"].as_array().unwrap() {
            let id = account["id"].as_str().unwrap();
            if self.stripe.get::<Value>(&format!("/v1/payouts/{payout}"), &[], Some(id)).await.is_ok() {
                return Some(id.to_string());
            }
        }
        None
    }

    async fn schedule(&self, account: &str) -> Value {
        self.get(&format!("/v1/accounts/{account}"), None).await["settings"]["payouts"]["schedule"].clone()
    }

    async fn launch(&self) -> App {
        let app =
            App::launch(Launch { env: vec![("MERCHANT_DESK_STRIPE_API_BASE".into(), self.emulator.base_url())] }).await;
        app.set_up_owner("Maria", "2468").await;
        app.connect_and_sync(TEST_KEY).await;
        app.open_section("Payouts").await;
        app
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_reads_balances_reconciles_a_payout_and_exports_csv() {
    let platform = Platform::start().await;
    let app = platform.launch().await;

    // The chart renders bars of what was paid.
    app.css("figure[aria-label='Payouts chart'] rect.bar").await;
    let bars = app.attrs("figure[aria-label='Payouts chart'] rect.bar", "data-paid").await;
    assert!(bars.len() >= 8, "{} bars", bars.len());
    let paid: i64 = bars.iter().filter_map(|v| v.parse::<i64>().ok()).sum();
    assert!(paid > 0);
    let count = app.wait_for_text("[aria-label='Payout count']", "payouts").await;
    app.screenshot("payouts-list").await;

    // Failed payouts say why, in words.
    app.select("Status", "failed").await;
    app.wait_for_text("[aria-label='Payout count']", "payout").await;
    app.wait_for_text(
        "[role='table'][aria-label='Payouts'] [role='row'][data-payout-id] [data-field='status']",
        "Failed",
    )
    .await;
    for reason in app.texts("[role='row'][data-payout-id] [data-field='failure']").await {
        assert!(reason.len() > 15 && !reason.contains('_'), "{reason:?}");
    }
    app.screenshot("payouts-failed").await;

    // Search by part of a restaurant's name.
    app.select("Status", "").await;
    app.fill("Search payouts", "thames").await;
    // (Each row's account cell carries the full name as its title; WebKit's WebDriver reads no
    // text from a plain text node in an ellipsised grid cell.)
    let account_cells = "[role='row'][data-payout-id] [data-field='account']";
    app.wait_for_text("[aria-label='Payout count']", "payouts").await;
    app.until("only Thames Fish Bar's payouts", md_e2e::WAIT, || async {
        let names = app.attrs(account_cells, "title").await;
        if !names.is_empty() && names.iter().all(|n| n == "Thames Fish Bar") {
            Ok(())
        } else {
            Err(format!("{names:?}"))
        }
    })
    .await;
    app.fill("Search payouts", "").await;

    // A paid automatic payout of a connected account: its breakdown adds up to it.
    app.select("Status", "paid").await;
    let statuses = "[role='table'][aria-label='Payouts'] [role='row'][data-payout-id] [data-field='status']";
    app.until("only paid payouts in the list", md_e2e::WAIT, || async {
        let shown = app.texts(statuses).await;
        if !shown.is_empty() && shown.iter().all(|s| s == "Paid") {
            Ok(())
        } else {
            Err(format!("{shown:?}"))
        }
    })
    .await;
    let id = app.attrs("[role='row'][data-payout-id]", "data-payout-id").await.remove(0);
    app.click_css(&format!("[role='row'][data-payout-id='{id}']")).await;
    app.css("section[aria-label='Payout detail']").await;
    let owner = platform.owner_of(&id).await;
    let payout = platform.get(&format!("/v1/payouts/{id}"), owner.as_deref()).await;
    let amount = en_us_money(payout["amount"].as_i64().unwrap(), payout["currency"].as_str().unwrap());
    app.wait_for_text("[data-field='reconciled']", "Adds up").await;
    assert!(app.wait_for_text("[data-field='payout-amount']", &amount).await.contains(&amount));
    assert!(app.wait_for_text("[data-field='total']", &amount).await.contains(&amount));
    let charges = app.wait_for_text("table[aria-label='Charges']", "HV-").await;
    assert!(charges.contains("HV-"), "charges show their order numbers");
    app.screenshot("payout-detail").await;

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("reconciliation.csv");
    app.click_button("Export reconciliation CSV").await;
    app.save_through_dialog(&file).await;
    app.wait_for_text("section[aria-label='Payout detail'] [role='status']", "rows saved").await;
    let mut csv = csv_rows(&file);
    assert_eq!(csv.remove(0)[..4], ["payout_id", "group", "balance_transaction", "type"]);
    let scale = 10f64.powi(md_core::money::exponent(payout["currency"].as_str().unwrap()) as i32);
    let net: f64 = csv.iter().map(|r| r[10].parse::<f64>().unwrap()).sum();
    assert_eq!((net * scale).round() as i64, payout["amount"].as_i64().unwrap(), "rows add up to the payout");
    assert!(csv.iter().all(|r| r[0] == id && r[11] == payout["currency"].as_str().unwrap().to_uppercase()));

    // Every paid payout as CSV for the accountant.
    app.click_button("Back to payouts").await;
    let shown = app.payout_count().await;
    let mut csv = app.export_payouts_csv(&out.path().join("payouts.csv")).await;
    assert_eq!(
        csv.remove(0)[..8],
        ["payout_id", "gateway", "account_id", "account_name", "arrival_date", "created", "amount", "currency"]
    );
    assert_eq!(csv.len(), shown);
    assert!(csv.iter().all(|r| r[8] == "paid" && r[4].len() == 10));
    assert!(count.contains("payouts"));

    // Balances: the platform's equals Stripe's; an account's history filters by type.
    app.click_button("Balances").await;
    let balance = platform.get("/v1/balance", None).await;
    let usd = balance["available"].as_array().unwrap().iter().find(|b| b["currency"] == "usd").unwrap();
    let cell = "table[aria-label='Balances'] tr[data-account=''][data-currency='usd'] [data-field='available']";
    app.wait_for_text(cell, &en_us_money(usd["amount"].as_i64().unwrap(), "usd")).await;
    let (account, name) = platform.daily_account("US").await;
    app.select("Account", &account).await;
    app.wait_for_text("main[aria-label='Payouts']", &format!("Balance history — {name}")).await;
    app.css("table[aria-label='Balance history'] tr[data-txn-id]").await;
    app.select("Transaction type", "refund").await;
    app.wait_for_text("table[aria-label='Balance history'] tr[data-txn-id] [data-field='type']", "Refund").await;
    let types = app.texts("table[aria-label='Balance history'] tr[data-txn-id] [data-field='type']").await;
    assert!(!types.is_empty() && types.iter().all(|t| t == "Refund"), "{types:?}");
    app.screenshot("balances").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_changes_in_stripe_and_bad_input_changes_nothing() {
    let platform = Platform::start().await;
    let app = platform.launch().await;
    let (account, name) = platform.daily_account("US").await;
    let before = platform.schedule(&account).await;
    app.select("Account", &account).await;
    app.click_button("Schedule").await;
    app.wait_for_text("[data-field='schedule-words']", "Daily, 2-day delay").await;
    app.wait_for_text("section[aria-label='Next payout estimate']", "estimate, not a promise").await;

    // Refused before anything is sent: below the minimum delay, a 32nd of the month.
    app.fill("Delay (days)", "1").await;
    app.click_button("Review change").await;
    app.wait_for_text("form[aria-label='Change payout schedule'] [role='alert']", "at least 2 days").await;
    app.fill("Delay (days)", "2").await;
    app.select("Payout interval", "monthly").await;
    app.fill("Day of the month", "32").await;
    app.click_button("Review change").await;
    app.wait_for_text("form[aria-label='Change payout schedule'] [role='alert']", "between 1 and 31").await;
    app.screenshot("payout-schedule-refused").await;
    assert_eq!(platform.schedule(&account).await, before, "nothing reached Stripe");

    // A good change: the confirmation names the effect, then Stripe has it.
    app.select("Payout interval", "weekly").await;
    app.select("Day of the week", "friday").await;
    app.fill("Delay (days)", "3").await;
    app.click_button("Review change").await;
    let dialog = app.wait_for_text("dialog[open]", "Weekly on Friday, 3-day delay").await;
    assert!(dialog.contains(&name) && dialog.contains("Daily, 2-day delay"), "{dialog}");
    app.screenshot("payout-schedule-confirm").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Change schedule']").await;
    app.wait_for_text(
        "form[aria-label='Change payout schedule'] [role='status']",
        "Payout schedule changed to Weekly on Friday, 3-day delay",
    )
    .await;
    app.wait_for_text("[data-field='schedule-words']", "Weekly on Friday, 3-day delay").await;
    let after = platform.schedule(&account).await;
    assert_eq!(after, json!({"interval": "weekly", "weekly_anchor": "friday", "delay_days": 3}));
    app.screenshot("payout-schedule").await;

    // A manager may not, whatever the web view sends.
    let created = app
        .invoke_from_console(
            "profiles_create",
            json!({"form": {"name": "Leo", "role": "manager", "pin": "1357", "scope": null}}),
        )
        .await;
    let leo = created["ok"].as_array().unwrap().iter().find(|p| p["name"] == "Leo").unwrap()["id"].clone();
    app.invoke_from_console("session_lock", json!({})).await;
    app.invoke_from_console("session_unlock", json!({"profileId": leo, "pin": "1357"})).await;
    let schedule = json!({"interval": "daily", "delay_days": 5, "weekly_anchor": null, "monthly_anchor": null});
    let refused =
        app.invoke_from_console("payout_schedule_update", json!({"account": account, "schedule": schedule})).await;
    assert_eq!(refused["code"], "role_forbidden", "{refused}");
    assert_eq!(platform.schedule(&account).await, after);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_payout_shows_its_reason_and_notifies() {
    let watch = NotificationWatch::start();
    let platform = Platform::start().await;
    let app = platform.launch().await;
    let (account, name) = platform.daily_account("US").await;
    // The first sync found the demo's recent failures.
    app.wait_for_text("[role='alert'][aria-label='Failed payouts']", "failed").await;

    platform.emulator.fail_next_payout(Some(&account));
    platform.emulator.advance_clock(Duration::from_secs(3 * 86_400));
    app.click_button("Sync again").await;
    let banner =
        app.wait_for_text_within("[role='alert'][aria-label='Failed payouts']", &name, Duration::from_secs(60)).await;
    let failed = platform.get("/v1/payouts?status=failed&limit=100", Some(&account)).await;
    let newest = failed["data"][0].clone();
    let reason = newest["failure_message"].as_str().unwrap();
    assert!(banner.contains(reason), "{banner}");
    let note = watch.wait_for(&name, Duration::from_secs(10));
    assert!(note.contains("Payout failed") && note.contains(reason), "{note}");
    app.screenshot("payout-failed-banner").await;

    // "View payout" opens it with the reason.
    let id = newest["id"].as_str().unwrap();
    let view = format!(
        "//div[@aria-label='Failed payouts']//li[@data-payout='{id}']//button[normalize-space(.)='View payout']"
    );
    app.click_xpath(&view).await;
    app.wait_for_text("section[aria-label='Payout detail'] [data-field='failure-message']", reason).await;
    app.close().await;
}
