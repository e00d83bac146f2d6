//! Refunds that change after they were made: a pending one (Stripe's asynchronous test card)
//! succeeds later, and any pending or succeeded one can fail at the issuer (`fail_refund`), with
//! the money, the charge and `/v1/events` following as at Stripe.

mod common;

use std::time::Duration;

use common::Api;
use serde_json::Value;

const HOUR: Duration = Duration::from_secs(3_600);

async fn available_usd(api: &Api, account: &str) -> i64 {
    let balance = api.get_as(account, "/v1/balance", &[]).await.ok();
    balance["available"].as_array().unwrap().iter().find(|f| f["currency"] == "usd").unwrap()["amount"]
        .as_i64()
        .unwrap()
}

async fn events(api: &Api, account: &str) -> Vec<Value> {
    api.get_as(account, "/v1/events", &[("limit", "10")]).await.ok()["data"].as_array().unwrap().clone()
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> &'a Value {
    events.iter().find(|e| e["type"] == kind).unwrap_or_else(|| panic!("no {kind} event"))
}

async fn pay(api: &Api, account: &str, amount: &str, payment_method: &str) -> String {
    let form = [("amount", amount), ("currency", "usd"), ("payment_method", payment_method), ("confirm", "true")];
    let intent = api.post_as(account, "/v1/payment_intents", &form).await.ok();
    intent["latest_charge"].as_str().unwrap().to_string()
}

async fn refund(api: &Api, account: &str, charge: &str, amount: Option<&str>) -> Value {
    let mut form = vec![("charge", charge)];
    form.extend(amount.map(|a| ("amount", a)));
    api.post_as(account, "/v1/refunds", &form).await.ok()
}

#[tokio::test]
async fn a_failed_refund_gives_the_money_back_and_the_charge_no_longer_counts_it() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let charge = pay(&api, &a, "4000", "pm_card_visa").await;
    let kept = refund(&api, &a, &charge, Some("1000")).await;
    let refunded = refund(&api, &a, &charge, Some("1500")).await;
    let re = refunded["id"].as_str().unwrap();
    let before = available_usd(&api, &a).await;

    let failed = api.emulator.fail_refund(re, "expired_or_canceled_card").expect("fails");
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["failure_reason"], "expired_or_canceled_card");
    let txn_id = failed["failure_balance_transaction"].as_str().unwrap();
    let txn = api.get_as(&a, &format!("/v1/balance_transactions/{txn_id}"), &[]).await.ok();
    assert_eq!(
        (txn["type"].as_str(), txn["amount"].as_i64(), txn["net"].as_i64()),
        (Some("refund_failure"), Some(1500), Some(1500))
    );
    assert_eq!(txn["source"], re);
    assert_eq!(available_usd(&api, &a).await, before + 1500, "the money is back in the balance");

    assert_eq!(api.get_as(&a, &format!("/v1/refunds/{re}"), &[]).await.ok()["status"], "failed");
    let ch = api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok();
    assert_eq!(ch["amount_refunded"], 1000);
    assert_eq!(ch["refunded"], false);
    let embedded: Vec<(&str, &str)> = ch["refunds"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert!(embedded.contains(&(re, "failed")) && embedded.contains(&(kept["id"].as_str().unwrap(), "succeeded")));

    let recent = events(&api, &a).await;
    for kind in ["charge.refund.updated", "refund.updated"] {
        let event = of_type(&recent, kind);
        assert_eq!(event["data"]["object"]["status"], "failed", "{kind}");
        assert_eq!(event["data"]["previous_attributes"]["status"], "succeeded", "{kind}");
    }
    let updated = of_type(&recent, "charge.updated");
    assert_eq!(updated["data"]["object"]["amount_refunded"], 1000);
    assert_eq!(updated["data"]["previous_attributes"]["amount_refunded"], 2500);

    // What is left to refund grew back: the whole 3000 may be refunded again, once.
    let again = refund(&api, &a, &charge, None).await;
    assert_eq!(again["amount"], 3000);
    let ch = api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok();
    assert_eq!((ch["amount_refunded"].as_i64(), ch["refunded"].as_bool()), (Some(4000), Some(true)));
    api.emulator.fail_refund(again["id"].as_str().unwrap(), "lost_or_stolen_card").expect("fails");
    let ch = api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok();
    assert_eq!((ch["amount_refunded"].as_i64(), ch["refunded"].as_bool()), (Some(1000), Some(false)));
}

#[tokio::test]
async fn only_a_pending_or_succeeded_refund_fails_and_only_for_stripes_reasons() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let charge = pay(&api, &a, "4000", "pm_card_visa").await;
    let re = refund(&api, &a, &charge, Some("500")).await["id"].as_str().unwrap().to_string();
    let reason = api.emulator.fail_refund(&re, "card_was_lost").unwrap_err();
    assert_eq!((reason.status, reason.param.as_deref()), (400, Some("failure_reason")));
    assert_eq!(api.emulator.fail_refund("re_doesnotexist", "unknown").unwrap_err().status, 404);
    api.emulator.fail_refund(&re, "unknown").expect("fails once");
    let newest = events(&api, &a).await[0]["id"].clone();
    let twice = api.emulator.fail_refund(&re, "unknown").unwrap_err();
    assert_eq!(twice.status, 400);
    assert_eq!(events(&api, &a).await[0]["id"], newest, "a refused failure announced something");
    assert_eq!(api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok()["amount_refunded"], 0);
}

#[tokio::test]
async fn a_refund_of_the_asynchronous_card_is_pending_then_succeeds_or_fails() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let charge = pay(&api, &a, "2500", "pm_card_pendingRefund").await;
    let pending = refund(&api, &a, &charge, Some("1000")).await;
    let re = pending["id"].as_str().unwrap();
    assert_eq!(pending["status"], "pending");
    assert!(pending["balance_transaction"].is_string(), "the balance is debited at once, as at Stripe");
    let ch = api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok();
    assert_eq!(
        (ch["amount_refunded"].as_i64(), ch["refunds"]["data"][0]["status"].as_str()),
        (Some(1000), Some("pending"))
    );

    api.emulator.advance_clock(HOUR / 2);
    assert_eq!(api.get_as(&a, &format!("/v1/refunds/{re}"), &[]).await.ok()["status"], "pending");
    api.emulator.advance_clock(HOUR);
    assert_eq!(api.get_as(&a, &format!("/v1/refunds/{re}"), &[]).await.ok()["status"], "succeeded");
    let ch = api.get_as(&a, &format!("/v1/charges/{charge}"), &[]).await.ok();
    assert_eq!(ch["refunds"]["data"][0]["status"], "succeeded");
    let recent = events(&api, &a).await;
    let event = of_type(&recent, "charge.refund.updated");
    assert_eq!(
        (event["data"]["object"]["id"].as_str(), event["data"]["previous_attributes"]["status"].as_str()),
        (Some(re), Some("pending"))
    );

    // A pending refund can fail before it succeeds, and then stays failed.
    let other = refund(&api, &a, &charge, Some("700")).await["id"].as_str().unwrap().to_string();
    let failed = api.emulator.fail_refund(&other, "insufficient_funds").expect("fails");
    assert_eq!(failed["status"], "failed");
    api.emulator.advance_clock(2 * HOUR);
    assert_eq!(api.get_as(&a, &format!("/v1/refunds/{other}"), &[]).await.ok()["status"], "failed");
}
