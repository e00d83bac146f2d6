//! CardConnect deposits beside Stripe payouts through the real window, in demo mode (which runs
//! both emulators): the list labels each row's gateway, a deposit opens with the transactions it
//! funded adding up to it, and the CSV says which gateway each row came from.

use std::time::Duration;

use md_e2e::{App, Launch};

const LAKESIDE: &str = "Harbor & Vine Lakeside Kitchen";
const TAQUERIA_ID: &str = cardconnect_emulator::DEMO_MERCHID_TAQUERIA;
const ROWS: &str = "[role='table'][aria-label='Payouts'] [role='row'][data-payout-id]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_group_sees_cardconnect_deposits_beside_stripe_payouts() {
    let app = App::launch(Launch::default()).await;
    app.labelled("Demo mode").await;
    app.set_up_owner("Maria", "2468").await;
    app.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(180)).await;
    // The overview lists the restaurants on CardConnect beside the connected accounts.
    app.count("table[aria-label='CardConnect restaurants'] tbody tr", Some(2)).await;
    let listed = app.texts("table[aria-label='CardConnect restaurants'] tbody tr").await.concat();
    assert!(listed.contains(LAKESIDE) && listed.contains(TAQUERIA_ID), "{listed}");
    app.open_section("Payouts").await;

    // The newest rows mix both gateways: deposits arrive daily beside Stripe's payouts.
    app.until("Stripe payouts and CardConnect deposits in the list", md_e2e::WAIT, || async {
        let gateways = app.attrs(ROWS, "data-gateway").await;
        if gateways.iter().any(|g| g == "stripe") && gateways.iter().any(|g| g == "cardconnect") {
            Ok(())
        } else {
            Err(format!("{gateways:?}"))
        }
    })
    .await;
    let badge = app.texts(&format!("{ROWS}[data-gateway='cardconnect'] [data-field='gateway']")).await;
    assert!(!badge.is_empty() && badge.iter().all(|b| b == "CardConnect"), "{badge:?}");
    app.screenshot("payouts-with-cardconnect").await;

    // One CardConnect restaurant picked as the account: its deposits only; no Stripe balance.
    app.select("Account", TAQUERIA_ID).await;
    app.until("only the Taqueria's deposits", md_e2e::WAIT, || async {
        let gateways = app.attrs(ROWS, "data-gateway").await;
        let count = app.texts("[aria-label='Payout count']").await.concat();
        if !gateways.is_empty() && gateways.iter().all(|g| g == "cardconnect") && count.contains("payouts") {
            Ok(())
        } else {
            Err(format!("{gateways:?} {count}"))
        }
    })
    .await;
    app.click_button("Balances").await;
    app.wait_for_text("[role='note']", "takes cards through CardConnect").await;
    app.screenshot("cardconnect-balances-note").await;
    app.click_xpath("//button[@role='tab' and normalize-space()='Payouts']").await;
    app.select("Account", "*").await;

    // One restaurant's deposits, by name.
    app.fill("Search payouts", "Lakeside").await;
    app.until("only the Lakeside Kitchen's deposits", md_e2e::WAIT, || async {
        let names = app.attrs(&format!("{ROWS} [data-field='account']"), "title").await;
        let gateways = app.attrs(ROWS, "data-gateway").await;
        if !names.is_empty() && names.iter().all(|n| n == LAKESIDE) && gateways.iter().all(|g| g == "cardconnect") {
            Ok(())
        } else {
            Err(format!("{names:?} {gateways:?}"))
        }
    })
    .await;

    // A deposit opens with what it funded, adding up to it, order numbers shown.
    let id = app.attrs(&format!("{ROWS}[data-status='paid']"), "data-payout-id").await.remove(0);
    app.click_css(&format!("[role='row'][data-payout-id='{id}']")).await;
    app.css("section[aria-label='Payout detail']").await;
    app.wait_for_text("section[aria-label='Payout detail']", &format!("CardConnect deposit to {LAKESIDE}")).await;
    app.wait_for_text("[data-field='payout-gateway']", "CardConnect").await;
    app.wait_for_text("[data-field='reconciled']", "Adds up").await;
    let amount = app.wait_for_text("[data-field='payout-amount']", "$").await;
    app.wait_for_text("[data-field='total']", &amount).await;
    let charges = app.wait_for_text("table[aria-label='Charges']", "HV-13-").await;
    assert!(charges.contains("HV-13-"), "charges show the Lakeside Kitchen's order numbers");
    app.screenshot("deposit-detail").await;

    // Every payout and deposit as CSV, each row naming its gateway.
    app.click_button("Back to payouts").await;
    app.click_button("Clear filters").await;
    app.select("Status", "paid").await;
    app.until("only paid rows, of both gateways", md_e2e::WAIT, || async {
        let statuses = app.attrs(ROWS, "data-status").await;
        let gateways = app.attrs(ROWS, "data-gateway").await;
        let both = gateways.iter().any(|g| g == "stripe") && gateways.iter().any(|g| g == "cardconnect");
        if !statuses.is_empty() && statuses.iter().all(|s| s == "paid") && both {
            Ok(())
        } else {
            Err(format!("{statuses:?} {gateways:?}"))
        }
    })
    .await;
    let shown = app.payout_count().await;
    let out = tempfile::tempdir().unwrap();
    let mut csv = app.export_payouts_csv(&out.path().join("payouts.csv")).await;
    let header = csv.remove(0);
    assert_eq!(header[..4], ["payout_id", "gateway", "account_id", "account_name"]);
    assert_eq!(csv.len(), shown, "one row per payout listed");
    let deposits: Vec<&Vec<String>> = csv.iter().filter(|r| r[1] == "cardconnect").collect();
    assert!(csv.iter().any(|r| r[1] == "stripe"), "Stripe payouts in the file");
    assert!(!deposits.is_empty(), "CardConnect deposits in the file");
    assert!(deposits
        .iter()
        .all(|r| r[0].starts_with("ccdep_") && (r[3] == LAKESIDE || r[3] == "Vine Street Taqueria")));
    assert!(csv.iter().all(|r| r[1] == "stripe" || r[1] == "cardconnect"));
    app.close().await;
}
