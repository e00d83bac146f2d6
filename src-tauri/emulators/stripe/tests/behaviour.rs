//! The emulator's behaviour over real HTTP: idempotency, pagination, scoping, money rules, rate
//! limits, faults and the simulated clock.

mod common;

use std::time::Duration;

use common::{Api, KEY};
use serde_json::Value;
use stripe_emulator::{Fault, RateLimit};

const DAY: Duration = Duration::from_secs(86_400);

fn ids(list: &Value) -> Vec<String> {
    list["data"].as_array().expect("list data").iter().map(|v| v["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn idempotent_replay_and_conflict() {
    let api = Api::empty().await;
    let form = [("email", "a@example.com"), ("name", "Ada")];
    let first = api.send("POST", "/v1/customers", &form, None, Some("key-1")).await;
    assert_eq!(first.status, 200);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = api.send("POST", "/v1/customers", &form, None, Some("key-1")).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.body["id"], first.body["id"]);

    let other = api.send("POST", "/v1/customers", &[("email", "b@example.com")], None, Some("key-1")).await;
    assert_eq!(other.status, 400);
    assert_eq!(other.body["error"]["type"], "idempotency_error");

    // A key is scoped to the account it was used with.
    let account = api.active_account("Scoped").await;
    let scoped = api.send("POST", "/v1/customers", &form, Some(&account), Some("key-1")).await;
    assert_eq!(scoped.status, 200);
    assert_ne!(scoped.body["id"], first.body["id"]);
}

#[tokio::test]
async fn pagination_edges() {
    let api = Api::empty().await;
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(
            api.post("/v1/accounts", &[("type", "custom"), ("business_profile[name]", &format!("R{i}"))]).await.ok()
                ["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    created.reverse(); // newest first
    let first = api.get("/v1/accounts", &[("limit", "3")]).await.ok();
    assert_eq!(ids(&first), created[0..3]);
    assert_eq!(first["has_more"], true);
    assert_eq!(first["url"], "/v1/accounts");
    let second = api.get("/v1/accounts", &[("limit", "3"), ("starting_after", &created[2])]).await.ok();
    assert_eq!(ids(&second), created[3..6]);
    assert_eq!(second["has_more"], true);
    let last = api.get("/v1/accounts", &[("limit", "3"), ("starting_after", &created[5])]).await.ok();
    assert_eq!(ids(&last), created[6..7]);
    assert_eq!(last["has_more"], false);
    let back = api.get("/v1/accounts", &[("limit", "3"), ("ending_before", &created[3])]).await.ok();
    assert_eq!(ids(&back), created[0..3]);
    assert_eq!(back["has_more"], false);
    let back_short = api.get("/v1/accounts", &[("limit", "2"), ("ending_before", &created[3])]).await.ok();
    assert_eq!(ids(&back_short), created[1..3]);
    assert_eq!(back_short["has_more"], true);
    let all = api.get("/v1/accounts", &[("limit", "100")]).await.ok();
    assert_eq!(ids(&all), created);

    for bad in ["0", "101", "ten"] {
        let answer = api.get("/v1/accounts", &[("limit", bad)]).await;
        assert_eq!(answer.status, 400, "limit={bad}");
        assert_eq!(answer.body["error"]["param"], "limit");
    }
    let unknown = api.get("/v1/accounts", &[("starting_after", "acct_doesnotexist1")]).await;
    assert_eq!((unknown.status, unknown.error_code()), (404, Some("resource_missing")));
    let both = api.get("/v1/accounts", &[("starting_after", &created[0]), ("ending_before", &created[2])]).await;
    assert_eq!(both.status, 400);
}

#[tokio::test]
async fn accounts_cannot_see_each_others_objects() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let b = api.active_account("B").await;
    let intent = api.paid(Some(&a), 2_500, "usd").await;
    let pi = intent["id"].as_str().unwrap();
    assert_eq!(api.get_as(&a, &format!("/v1/payment_intents/{pi}"), &[]).await.status, 200);
    assert_eq!(api.get_as(&b, &format!("/v1/payment_intents/{pi}"), &[]).await.status, 404);
    assert_eq!(api.get(&format!("/v1/payment_intents/{pi}"), &[]).await.status, 404);
    assert!(ids(&api.get_as(&b, "/v1/charges", &[]).await.ok()).is_empty());
    assert_eq!(ids(&api.get_as(&a, "/v1/charges", &[]).await.ok()).len(), 1);
    let refund = api.post_as(&b, "/v1/refunds", &[("payment_intent", pi)]).await;
    assert_eq!(refund.status, 404);
    let stranger = api.get_as("acct_1NotMineNotMine00", "/v1/balance", &[]).await;
    assert_eq!(stranger.status, 403);
    assert!(stranger.body["error"]["message"].as_str().unwrap().contains("does not have access to account"));
}

#[tokio::test]
async fn refunds_never_exceed_the_charge() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let intent = api.paid(Some(&a), 1_000, "usd").await;
    let pi = intent["id"].as_str().unwrap();
    api.post_as(&a, "/v1/refunds", &[("payment_intent", pi), ("amount", "600"), ("reason", "requested_by_customer")])
        .await
        .ok();
    let over = api.post_as(&a, "/v1/refunds", &[("payment_intent", pi), ("amount", "500")]).await;
    assert_eq!((over.status, over.error_code()), (400, Some("amount_too_large")));
    assert_eq!(over.body["error"]["param"], "amount");
    assert!(over.body["error"]["message"].as_str().unwrap().contains("4.00 USD"), "{}", over.body);
    for bad in ["0", "-5"] {
        assert_eq!(api.post_as(&a, "/v1/refunds", &[("payment_intent", pi), ("amount", bad)]).await.status, 400);
    }
    api.post_as(&a, "/v1/refunds", &[("payment_intent", pi)]).await.ok(); // the remaining 400
    let again = api.post_as(&a, "/v1/refunds", &[("payment_intent", pi), ("amount", "1")]).await;
    assert_eq!(again.error_code(), Some("charge_already_refunded"));
    let charge = api.get_as(&a, &format!("/v1/charges/{}", intent["latest_charge"].as_str().unwrap()), &[]).await.ok();
    assert_eq!((charge["amount_refunded"].as_i64(), charge["refunded"].as_bool()), (Some(1_000), Some(true)));
    assert_eq!(ids(&api.get_as(&a, "/v1/refunds", &[("payment_intent", pi)]).await.ok()).len(), 2);
}

#[tokio::test]
async fn captures_never_exceed_the_authorization() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let intent = api.authorized(&a, 5000).await;
    assert_eq!(intent["status"], "requires_capture");
    assert_eq!(intent["amount_capturable"], 5000);
    let pi = intent["id"].as_str().unwrap();
    let over = api.post_as(&a, &format!("/v1/payment_intents/{pi}/capture"), &[("amount_to_capture", "6000")]).await;
    assert_eq!((over.status, over.error_code()), (400, Some("amount_too_large")));
    let captured =
        api.post_as(&a, &format!("/v1/payment_intents/{pi}/capture"), &[("amount_to_capture", "3000")]).await.ok();
    assert_eq!((captured["status"].as_str(), captured["amount_received"].as_i64()), (Some("succeeded"), Some(3000)));
    let twice = api.post_as(&a, &format!("/v1/payment_intents/{pi}/capture"), &[]).await;
    assert_eq!(twice.error_code(), Some("payment_intent_unexpected_state"));
    let charge = api
        .get_as(
            &a,
            &format!("/v1/charges/{}", captured["latest_charge"].as_str().unwrap()),
            &[("expand[]", "balance_transaction")],
        )
        .await
        .ok();
    assert_eq!(charge["amount_captured"], 3000);
    assert_eq!(charge["amount_refunded"], 2000, "the released remainder");
    assert_eq!(charge["balance_transaction"]["amount"], 3000, "expanded and booked for the captured amount");
    // Only the captured 3000 is refundable.
    let over_refund = api.post_as(&a, "/v1/refunds", &[("payment_intent", pi), ("amount", "3001")]).await;
    assert_eq!(over_refund.error_code(), Some("amount_too_large"));
}

#[tokio::test]
async fn declines_and_errors_have_stripes_shape() {
    let api = Api::empty().await;
    let declined = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "900"),
                ("currency", "usd"),
                ("payment_method", "pm_card_chargeDeclinedInsufficientFunds"),
                ("confirm", "true"),
            ],
        )
        .await;
    assert_eq!(declined.status, 402);
    assert_eq!(declined.body["error"]["type"], "card_error");
    assert_eq!(declined.body["error"]["decline_code"], "insufficient_funds");
    assert!(declined.headers.get("request-id").unwrap().to_str().unwrap().starts_with("req_"));
    let missing = api.post("/v1/payment_intents", &[("currency", "usd")]).await;
    assert_eq!((missing.status, missing.error_code()), (400, Some("parameter_missing")));
    assert_eq!(missing.body["error"]["param"], "amount");
    let nowhere = api.get("/v1/nowhere", &[]).await;
    assert_eq!(nowhere.status, 404);
    assert!(nowhere.body["error"]["message"].as_str().unwrap().starts_with("Unrecognized request URL"));
    let http = reqwest::Client::new();
    let anonymous = http.get(api.url("/v1/balance")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = http.get(api.url("/v1/balance")).bearer_auth("sk_test_wrongwrongwrong9876").send().await.unwrap();
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["message"], "Invalid API Key provided: sk_test_***************9876");
}

#[tokio::test]
async fn rate_limits_answer_429_with_should_retry() {
    let api = Api::empty().await;
    api.emulator.set_rate_limit(Some(RateLimit::TEST));
    let mut limited = None;
    for _ in 0..100 {
        let answer = api.get("/v1/balance", &[]).await;
        if answer.status == 429 {
            limited = Some(answer);
            break;
        }
    }
    let limited = limited.expect("the 26th request within a second is refused");
    assert_eq!(limited.headers.get("stripe-should-retry").unwrap(), "true");
    assert_eq!(limited.error_code(), Some("rate_limit"));
    assert!(api.emulator.rate_limited_count() >= 1);
    api.emulator.set_rate_limit(None);
    assert_eq!(api.get("/v1/balance", &[]).await.status, 200);
    let _ = KEY;
}

#[tokio::test]
async fn a_dropped_answer_is_recovered_by_retrying_with_the_same_key() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let intent = api.paid(Some(&a), 4_000, "usd").await;
    let pi = intent["id"].as_str().unwrap().to_string();
    api.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some("/v1/refunds"));
    let http = reqwest::Client::new();
    let attempt = http
        .post(api.url("/v1/refunds"))
        .bearer_auth(KEY)
        .header("Stripe-Account", &a)
        .header("Idempotency-Key", "refund-once")
        .form(&[("payment_intent", pi.as_str()), ("amount", "1500")])
        .send()
        .await;
    let failed = match attempt {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(failed, "the caller never got an answer");
    let retry = api
        .send("POST", "/v1/refunds", &[("payment_intent", &pi), ("amount", "1500")], Some(&a), Some("refund-once"))
        .await;
    assert_eq!(retry.status, 200);
    assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(ids(&api.get_as(&a, "/v1/refunds", &[]).await.ok()).len(), 1, "refunded exactly once");

    api.emulator.inject(Fault::ServerError, Some("POST"), Some("/v1/refunds"));
    let five_hundred = api
        .send("POST", "/v1/refunds", &[("payment_intent", &pi), ("amount", "100")], Some(&a), Some("refund-two"))
        .await;
    assert_eq!(five_hundred.status, 500);
    let retried = api
        .send("POST", "/v1/refunds", &[("payment_intent", &pi), ("amount", "100")], Some(&a), Some("refund-two"))
        .await;
    assert_eq!(retried.status, 200);
    assert!(retried.headers.get("idempotent-replayed").is_none(), "the 500 did nothing, the retry ran");
    assert_eq!(ids(&api.get_as(&a, "/v1/refunds", &[]).await.ok()).len(), 2);
}

#[tokio::test]
async fn offline_a_request_changes_nothing_and_online_again_it_works() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let pi = api.paid(Some(&a), 4_000, "usd").await["id"].as_str().unwrap().to_string();
    let refund = [("payment_intent", pi.as_str()), ("amount", "1500")];
    let events_before = ids(&api.get("/v1/events", &[("limit", "100")]).await.ok());
    api.emulator.inject(Fault::ServerError, Some("POST"), Some("/v1/refunds"));
    api.emulator.set_latency(Duration::from_secs(30));
    api.emulator.set_offline(true);
    let http = reqwest::Client::new();
    let started = std::time::Instant::now();
    let attempt =
        http.post(api.url("/v1/refunds")).bearer_auth(KEY).header("Stripe-Account", &a).form(&refund).send().await;
    let failed = match attempt {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(failed, "answered while offline");
    assert!(started.elapsed() < Duration::from_secs(10), "offline waited for the latency");

    api.emulator.set_offline(false);
    api.emulator.set_latency(Duration::ZERO);
    assert!(ids(&api.get_as(&a, "/v1/refunds", &[]).await.ok()).is_empty(), "refunded while offline");
    assert_eq!(ids(&api.get("/v1/events", &[("limit", "100")]).await.ok()), events_before);
    assert_eq!(api.send("POST", "/v1/refunds", &refund, Some(&a), None).await.status, 500, "the fault waited");
    let refunded = api.post_as(&a, "/v1/refunds", &refund).await.ok();
    assert_eq!(refunded["status"], "succeeded");
}

#[tokio::test]
async fn the_clock_settles_funds_and_pays_out_what_adds_up() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    api.post(
        &format!("/v1/accounts/{a}"),
        &[("settings[payouts][schedule][interval]", "daily"), ("settings[payouts][schedule][delay_days]", "2")],
    )
    .await
    .ok();
    api.paid(Some(&a), 10_000, "usd").await;
    api.paid(Some(&a), 2_500, "usd").await;
    let balance = api.get_as(&a, "/v1/balance", &[]).await.ok();
    let net = (10_000 - (290 + 30)) + (2_500 - (73 + 30));
    assert_eq!(balance["pending"][0]["amount"], net);
    assert_eq!(balance["available"][0]["amount"], 0);

    api.emulator.advance_clock(3 * DAY);
    let payouts = api.get_as(&a, "/v1/payouts", &[]).await.ok();
    let payout = &payouts["data"][0];
    assert_eq!(payout["automatic"], true);
    assert_eq!(payout["amount"], net);
    let po = payout["id"].as_str().unwrap().to_string();
    let contents = api.get_as(&a, "/v1/balance_transactions", &[("payout", &po), ("limit", "100")]).await.ok();
    let items = contents["data"].as_array().unwrap();
    let charges: i64 = items.iter().filter(|t| t["type"] == "charge").map(|t| t["net"].as_i64().unwrap()).sum();
    let payout_txn: i64 = items.iter().filter(|t| t["type"] == "payout").map(|t| t["amount"].as_i64().unwrap()).sum();
    assert_eq!(charges, net);
    assert_eq!(charges + payout_txn, 0, "the payout's transactions add up to zero");

    api.emulator.advance_clock(3 * DAY);
    let paid = api.get_as(&a, &format!("/v1/payouts/{po}"), &[]).await.ok();
    assert_eq!(paid["status"], "paid");

    // The next one fails at the bank and the money returns.
    api.paid(Some(&a), 5_000, "usd").await;
    api.emulator.fail_next_payout(Some(&a));
    api.emulator.advance_clock(3 * DAY);
    api.emulator.advance_clock(3 * DAY);
    let failed = api.get_as(&a, "/v1/payouts", &[("status", "failed")]).await.ok();
    assert_eq!(failed["data"][0]["failure_code"], "account_closed");
    let events = api.get_as(&a, "/v1/events", &[("type", "payout.failed")]).await.ok();
    assert_eq!(ids(&events).len(), 1);
    // The failed money came back and went out again in a later payout; every automatic payout
    // still reconciles to zero, and the balance is the sum of all transactions.
    api.emulator.advance_clock(6 * DAY);
    for payout in api.get_as(&a, "/v1/payouts", &[("limit", "100")]).await.ok()["data"].as_array().unwrap() {
        let contents = api
            .get_as(&a, "/v1/balance_transactions", &[("payout", payout["id"].as_str().unwrap()), ("limit", "100")])
            .await
            .ok();
        let sum: i64 = contents["data"].as_array().unwrap().iter().map(|t| t["net"].as_i64().unwrap()).sum();
        assert_eq!(sum, 0, "payout {} does not reconcile", payout["id"]);
    }
    assert_books_balance(&api, Some(&a)).await;
}

/// Every balance equals the sum of its balance transactions.
async fn assert_books_balance(api: &Api, account: Option<&str>) {
    let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
    let mut after: Option<String> = None;
    loop {
        let mut query = vec![("limit", "100".to_string())];
        if let Some(cursor) = &after {
            query.push(("starting_after", cursor.clone()));
        }
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = api.send("GET", "/v1/balance_transactions", &query, account, None).await.ok();
        for t in page["data"].as_array().unwrap() {
            *sums.entry(t["currency"].as_str().unwrap().to_string()).or_default() += t["net"].as_i64().unwrap();
        }
        after = page["data"].as_array().unwrap().last().map(|t| t["id"].as_str().unwrap().to_string());
        if page["has_more"] != true {
            break;
        }
    }
    let balance = api.send("GET", "/v1/balance", &[], account, None).await.ok();
    for (currency, sum) in sums {
        let pick = |part: &str| {
            balance[part]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["currency"] == currency.as_str())
                .map_or(0, |x| x["amount"].as_i64().unwrap())
        };
        assert_eq!(pick("available") + pick("pending"), sum, "{account:?} {currency}");
    }
}

#[tokio::test]
async fn amounts_and_fees_have_bounds() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let huge = api.post_as(&a, "/v1/payment_intents", &[("amount", "100000000"), ("currency", "usd")]).await;
    assert_eq!((huge.status, huge.error_code()), (400, Some("amount_too_large")));
    let negative_fee = api
        .post_as(
            &a,
            "/v1/payment_intents",
            &[("amount", "1000"), ("currency", "usd"), ("application_fee_amount", "-5")],
        )
        .await;
    assert_eq!(negative_fee.status, 400);
    let max = api
        .post_as(
            &a,
            "/v1/payment_intents",
            &[("amount", "99999999"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")],
        )
        .await;
    assert_eq!(max.status, 200, "the largest amount still works: {}", max.body);
    // A fee can only be taken on a direct or destination charge, at capture too.
    let auth = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "5000"),
                ("currency", "usd"),
                ("capture_method", "manual"),
                ("payment_method", "pm_card_visa"),
                ("confirm", "true"),
            ],
        )
        .await
        .ok();
    let capture = api
        .post(
            &format!("/v1/payment_intents/{}/capture", auth["id"].as_str().unwrap()),
            &[("application_fee_amount", "100")],
        )
        .await;
    assert_eq!(capture.status, 400);
    assert_books_balance(&api, None).await;
    assert_books_balance(&api, Some(&a)).await;
}

#[tokio::test]
async fn a_charged_back_payment_cannot_also_be_refunded() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let intent = api.disputed(&a, 3000).await;
    let refund = api.post_as(&a, "/v1/refunds", &[("payment_intent", intent["id"].as_str().unwrap())]).await;
    assert_eq!(refund.error_code(), Some("charge_disputed"));
    assert_books_balance(&api, Some(&a)).await;
}

#[tokio::test]
async fn refunds_reverse_at_most_what_is_left_of_the_transfer() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let intent = api
        .post(
            "/v1/payment_intents",
            &[
                ("amount", "10000"),
                ("currency", "usd"),
                ("payment_method", "pm_card_visa"),
                ("confirm", "true"),
                ("transfer_data[destination]", &a),
                ("application_fee_amount", "1000"),
            ],
        )
        .await
        .ok();
    let transfer = api.get("/v1/transfers", &[]).await.ok()["data"][0].clone();
    assert_eq!(transfer["amount"], 9000);
    let tr = transfer["id"].as_str().unwrap();
    api.post(&format!("/v1/transfers/{tr}/reversals"), &[("amount", "8000")]).await.ok();
    let refund = api
        .post("/v1/refunds", &[("payment_intent", intent["id"].as_str().unwrap()), ("reverse_transfer", "true")])
        .await
        .ok();
    assert_eq!(refund["amount"], 10000);
    let after = api.get(&format!("/v1/transfers/{tr}"), &[]).await.ok();
    assert_eq!((after["amount_reversed"].as_i64(), after["reversed"].as_bool()), (Some(9000), Some(true)));
    // Before the charge's funds arrive the platform has not yet paid the transfer out of pocket.
    assert_books_balance(&api, None).await;
    assert_books_balance(&api, Some(&a)).await;
}

#[tokio::test]
async fn authorizations_expire_and_disputes_come_due() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let auth = api.authorized(&a, 700).await;
    let disputed = api.disputed(&a, 3000).await;
    let disputes = api.get_as(&a, "/v1/disputes", &[]).await.ok();
    assert_eq!(disputes["data"][0]["status"], "needs_response");
    assert_eq!(disputes["data"][0]["payment_intent"], disputed["id"]);
    let dp = disputes["data"][0]["id"].as_str().unwrap().to_string();

    api.emulator.advance_clock(6 * DAY);
    let still = api.get_as(&a, &format!("/v1/payment_intents/{}", auth["id"].as_str().unwrap()), &[]).await.ok();
    assert_eq!(still["status"], "requires_capture");
    api.emulator.advance_clock(2 * DAY);
    let expired = api.get_as(&a, &format!("/v1/payment_intents/{}", auth["id"].as_str().unwrap()), &[]).await.ok();
    assert_eq!(
        (expired["status"].as_str(), expired["cancellation_reason"].as_str()),
        (Some("canceled"), Some("automatic"))
    );
    let lost = api.get_as(&a, &format!("/v1/disputes/{dp}"), &[]).await.ok();
    assert_eq!(lost["status"], "lost");
    assert_eq!(lost["evidence_details"]["past_due"], true);
    let late = api.post_as(&a, &format!("/v1/disputes/{dp}"), &[("evidence[customer_name]", "Ada")]).await;
    assert_eq!(late.status, 400);
}

#[tokio::test]
async fn dispute_evidence_is_staged_then_submitted() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    api.disputed(&a, 3000).await;
    let dp = api.get_as(&a, "/v1/disputes", &[]).await.ok()["data"][0]["id"].as_str().unwrap().to_string();
    let staged = api
        .post_as(
            &a,
            &format!("/v1/disputes/{dp}"),
            &[
                ("evidence[customer_name]", "Ada Lovelace"),
                ("evidence[uncategorized_text]", "Dined in, signed receipt."),
                ("submit", "false"),
            ],
        )
        .await
        .ok();
    assert_eq!(
        (staged["status"].as_str(), staged["evidence_details"]["has_evidence"].as_bool()),
        (Some("needs_response"), Some(true))
    );
    assert_eq!(staged["evidence"]["customer_name"], "Ada Lovelace");
    let unknown = api.post_as(&a, &format!("/v1/disputes/{dp}"), &[("evidence[favourite_colour]", "blue")]).await;
    assert_eq!(unknown.error_code(), Some("parameter_unknown"));
    let submitted = api.post_as(&a, &format!("/v1/disputes/{dp}"), &[("submit", "true")]).await.ok();
    assert_eq!(submitted["status"], "under_review");
    assert_eq!(submitted["evidence_details"]["submission_count"], 1);
    let changed = api.post_as(&a, &format!("/v1/disputes/{dp}"), &[("evidence[customer_name]", "Someone else")]).await;
    assert_eq!(changed.status, 400);
}

#[tokio::test]
async fn transfers_and_reversals_stay_within_bounds() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let broke = api.post("/v1/transfers", &[("amount", "500"), ("currency", "usd"), ("destination", &a)]).await;
    assert_eq!(broke.error_code(), Some("balance_insufficient"));
    api.paid(None, 20_000, "usd").await;
    api.emulator.advance_clock(3 * DAY);
    let transfer =
        api.post("/v1/transfers", &[("amount", "1000"), ("currency", "usd"), ("destination", &a)]).await.ok();
    let tr = transfer["id"].as_str().unwrap().to_string();
    let path = format!("/v1/transfers/{tr}/reversals");
    api.post(&path, &[("amount", "600")]).await.ok();
    let over = api.post(&path, &[("amount", "500")]).await;
    assert_eq!(over.error_code(), Some("amount_too_large"));
    api.post(&path, &[]).await.ok();
    let done = api.get(&format!("/v1/transfers/{tr}"), &[]).await.ok();
    assert_eq!((done["amount_reversed"].as_i64(), done["reversed"].as_bool()), (Some(1000), Some(true)));
    assert_eq!(ids(&api.get(&path, &[]).await.ok()).len(), 2);
    let account_balance = api.get_as(&a, "/v1/balance", &[]).await.ok();
    assert_eq!(account_balance["available"][0]["amount"], 0, "the account got 1000 and gave 1000 back");
}

#[tokio::test]
async fn events_read_incrementally() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    api.paid(Some(&a), 1_000, "usd").await;
    let before = api.get_as(&a, "/v1/events", &[("limit", "1")]).await.ok();
    let newest = before["data"][0]["id"].as_str().unwrap().to_string();
    let intent = api.paid(Some(&a), 2_000, "usd").await;
    let since = api.get_as(&a, "/v1/events", &[("ending_before", &newest), ("limit", "100")]).await.ok();
    let kinds: Vec<&str> = since["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"]);
    assert_eq!(since["data"][0]["data"]["object"]["id"], intent["id"]);
    assert_eq!(since["data"][0]["account"], a.as_str());
    let only = api.get_as(&a, "/v1/events", &[("types[]", "charge.*")]).await.ok();
    assert!(only["data"].as_array().unwrap().iter().all(|e| e["type"].as_str().unwrap().starts_with("charge.")));
}

#[tokio::test]
async fn payout_schedules_are_validated() {
    let api = Api::empty().await;
    let a = api.active_account("A").await;
    let path = format!("/v1/accounts/{a}");
    let low = api.post(&path, &[("settings[payouts][schedule][delay_days]", "1")]).await;
    assert_eq!(low.body["error"]["param"], "settings[payouts][schedule][delay_days]");
    let anchor = api
        .post(
            &path,
            &[
                ("settings[payouts][schedule][interval]", "monthly"),
                ("settings[payouts][schedule][monthly_anchor]", "32"),
            ],
        )
        .await;
    assert_eq!(anchor.body["error"]["param"], "settings[payouts][schedule][monthly_anchor]");
    let weekly = api
        .post(
            &path,
            &[
                ("settings[payouts][schedule][interval]", "weekly"),
                ("settings[payouts][schedule][weekly_anchor]", "friday"),
            ],
        )
        .await
        .ok();
    assert_eq!(weekly["settings"]["payouts"]["schedule"]["weekly_anchor"], "friday");
    let event = api.get_as(&a, "/v1/events", &[("type", "account.updated")]).await.ok();
    assert_eq!(event["data"][0]["data"]["previous_attributes"]["settings"]["payouts"]["schedule"]["interval"], "daily");
}
