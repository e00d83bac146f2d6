//! 3-D Secure as Stripe's test mode runs it: a card that needs authentication leaves the
//! PaymentIntent `requires_action` with no charge; the customer's page (fetched as a browser
//! would) or the `Emulator::authenticate` hook completes or fails it; automatic confirmation then
//! charges at once, manual confirmation waits for the platform's `/confirm`. Every API answer is
//! checked against Stripe's schema, events included.

mod common;

use std::time::Duration;

use common::{Answer, Api};
use serde_json::Value;
use stripe_emulator::spec::spec;

const DAY: Duration = Duration::from_secs(86_400);
const RETURN: &str = "https://desk.example/paid?order=A-1001";

/// A browser that does not follow redirects, so a test sees each 303.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Sends a request and checks the answer (and any event in it) against Stripe's schema.
async fn call(api: &Api, method: &str, path: &str, form: &[(&str, &str)], account: Option<&str>) -> Answer {
    let answer = api.send(method, path, form, account, None).await;
    let op = spec().operation(method, path).expect("operation");
    if let Err(violations) = op.validate_response(answer.status, &answer.body) {
        panic!("{method} {path} → {}: {violations:?}", answer.status);
    }
    let events: Vec<&Value> = match answer.body["object"].as_str() {
        Some("list") => answer.body["data"].as_array().unwrap().iter().filter(|e| e["object"] == "event").collect(),
        _ => vec![],
    };
    for event in events {
        let object = &event["data"]["object"];
        let kind = object["object"].as_str().unwrap();
        if let Err(violations) = spec().validate_schema(kind, object) {
            panic!("event {} carries an invalid {kind}: {violations:?}", event["type"]);
        }
    }
    answer
}

async fn ok(api: &Api, method: &str, path: &str, form: &[(&str, &str)], account: Option<&str>) -> Value {
    call(api, method, path, form, account).await.ok()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

fn challenge_url(intent: &Value) -> String {
    intent["next_action"]["redirect_to_url"]["url"].as_str().expect("a redirect_to_url").to_string()
}

/// The event types `account` (or the platform) saw for `intent`, oldest first.
async fn event_types(api: &Api, account: Option<&str>, intent: &str) -> Vec<String> {
    let events = ok(api, "GET", "/v1/events", &[("limit", "100")], account).await;
    let mut types: Vec<String> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["data"]["object"]["id"] == intent || e["data"]["object"]["payment_intent"] == intent)
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect();
    types.reverse();
    types
}

#[tokio::test]
async fn the_customer_authenticates_on_the_page_and_the_payment_completes() {
    let api = Api::empty().await;
    let a = api.active_account("Harbor Grill").await;
    // A destination charge on the platform, settled on behalf of the restaurant.
    let intent = ok(
        &api,
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "4200"),
            ("currency", "usd"),
            ("payment_method", "pm_card_threeDSecure2Required"),
            ("confirm", "true"),
            ("transfer_data[destination]", &a),
            ("on_behalf_of", &a),
            ("application_fee_amount", "300"),
            ("metadata[order_number]", "A-1001"),
            ("return_url", RETURN),
        ],
        None,
    )
    .await;
    let pi = id(&intent);
    assert_eq!(intent["status"], "requires_action");
    assert_eq!(intent["next_action"]["type"], "redirect_to_url");
    assert_eq!(intent["next_action"]["redirect_to_url"]["return_url"], RETURN);
    let url = challenge_url(&intent);
    let prefix = format!("{}/authenticate/{pi}/", api.emulator.base_url());
    assert!(url.starts_with(&prefix), "{url} is the emulator's page");
    assert!(intent["latest_charge"].is_null(), "no charge before authentication");
    assert_eq!((intent["amount_received"].as_i64(), intent["amount_capturable"].as_i64()), (Some(0), Some(0)));
    let charges = ok(&api, "GET", "/v1/charges", &[("payment_intent", &pi)], None).await;
    assert_eq!(charges["data"].as_array().unwrap().len(), 0);
    assert_eq!(event_types(&api, None, &pi).await, ["payment_intent.created", "payment_intent.requires_action"]);

    // The customer's page: self-contained, two ways out.
    let page = browser().get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    for text in ["3-D Secure (emulator)", "Complete authentication", "Fail authentication", "USD 42.00", "3220"] {
        assert!(html.contains(text), "{text} missing from the page");
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "no external resources");
    let unknown = browser().get(format!("{prefix}not-a-token")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let not_an_outcome = browser().post(&url).form(&[("outcome", "maybe")]).send().await.unwrap();
    assert_eq!(not_an_outcome.status(), 400);

    let done = browser().post(&url).form(&[("outcome", "complete")]).send().await.unwrap();
    assert_eq!(done.status(), 303);
    let location = done.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("{RETURN}&payment_intent={pi}&payment_intent_client_secret=")), "{location}");
    assert!(location.ends_with("&redirect_status=succeeded"), "{location}");

    let paid = ok(&api, "GET", &format!("/v1/payment_intents/{pi}"), &[("expand[]", "latest_charge")], None).await;
    assert_eq!(paid["status"], "succeeded");
    assert_eq!(paid["amount_received"], 4200);
    assert!(paid["next_action"].is_null());
    let charge = &paid["latest_charge"];
    assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"]["result"], "authenticated");
    assert_eq!(charge["application_fee_amount"], 300);
    assert_eq!(charge["on_behalf_of"], a.as_str());
    assert_eq!(charge["metadata"]["order_number"], "A-1001");
    let transfer = ok(&api, "GET", &format!("/v1/transfers/{}", charge["transfer"].as_str().unwrap()), &[], None).await;
    assert_eq!((transfer["amount"].as_i64(), transfer["destination"].as_str()), (Some(3900), Some(a.as_str())));
    assert_eq!(
        event_types(&api, None, &pi).await,
        ["payment_intent.created", "payment_intent.requires_action", "charge.succeeded", "payment_intent.succeeded"]
    );

    // Single use.
    assert_eq!(browser().post(&url).form(&[("outcome", "complete")]).send().await.unwrap().status(), 410);
    assert_eq!(browser().get(&url).send().await.unwrap().status(), 410);
    assert!(api.emulator.authenticate(&pi, true).is_err());
}

#[tokio::test]
async fn with_manual_confirmation_the_platform_confirms_after_authentication() {
    let api = Api::empty().await;
    let a = api.active_account("Saltwater Oyster Bar").await;
    // A direct charge (Stripe-Account) with the platform's fee.
    let intent = ok(
        &api,
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "8000"),
            ("currency", "usd"),
            ("payment_method", "pm_card_authenticationRequired"),
            ("confirmation_method", "manual"),
            ("confirm", "true"),
            ("application_fee_amount", "240"),
            ("metadata[order_number]", "B-7"),
        ],
        Some(&a),
    )
    .await;
    let pi = id(&intent);
    assert_eq!(
        (intent["status"].as_str(), intent["confirmation_method"].as_str()),
        (Some("requires_action"), Some("manual"))
    );
    assert!(intent["next_action"]["redirect_to_url"]["return_url"].is_null());

    // Confirming again before the customer authenticated is refused, saying why.
    let early = call(&api, "POST", &format!("/v1/payment_intents/{pi}/confirm"), &[], Some(&a)).await;
    assert_eq!((early.status, early.error_code()), (400, Some("payment_intent_unexpected_state")));
    assert!(early.body["error"]["message"].as_str().unwrap().contains("requires authentication"));
    assert_eq!(early.body["error"]["payment_intent"]["status"], "requires_action");

    // Without a return_url the page ends on its own.
    let page = browser().post(challenge_url(&intent)).form(&[("outcome", "complete")]).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("You can close this page"));
    let waiting = ok(&api, "GET", &format!("/v1/payment_intents/{pi}"), &[], Some(&a)).await;
    assert_eq!(waiting["status"], "requires_confirmation");
    assert!(waiting["next_action"].is_null() && waiting["latest_charge"].is_null());

    let confirmed = ok(
        &api,
        "POST",
        &format!("/v1/payment_intents/{pi}/confirm"),
        &[("expand[]", "latest_charge.application_fee")],
        Some(&a),
    )
    .await;
    assert_eq!(confirmed["status"], "succeeded");
    assert_eq!(confirmed["amount_received"], 8000);
    let charge = &confirmed["latest_charge"];
    assert_eq!(charge["amount_captured"], 8000);
    assert_eq!(charge["payment_method_details"]["card"]["last4"], "3184");
    assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"]["result"], "authenticated");
    assert_eq!(charge["application_fee"]["amount"], 240);
    let fee = id(&charge["application_fee"]);
    let fee = ok(&api, "GET", &format!("/v1/application_fees/{fee}"), &[], None).await;
    assert_eq!((fee["account"].as_str(), fee["charge"].as_str()), (Some(a.as_str()), charge["id"].as_str()));
    assert_eq!(
        event_types(&api, Some(&a), &pi).await,
        ["payment_intent.created", "payment_intent.requires_action", "charge.succeeded", "payment_intent.succeeded"]
    );
    let twice = call(&api, "POST", &format!("/v1/payment_intents/{pi}/confirm"), &[], Some(&a)).await;
    assert_eq!(twice.error_code(), Some("payment_intent_unexpected_state"));
}

#[tokio::test]
async fn failed_authentication_asks_for_another_payment_method() {
    let api = Api::empty().await;
    let a = api.active_account("Vine Street Pizzeria").await;
    let intent = ok(
        &api,
        "POST",
        "/v1/payment_intents",
        &[("amount", "2600"), ("currency", "usd"), ("payment_method", "pm_card_authenticationRequired")],
        Some(&a),
    )
    .await;
    let pi = id(&intent);
    assert_eq!(intent["status"], "requires_confirmation");
    assert!(api.emulator.authenticate(&pi, true).is_err(), "nothing to authenticate yet");
    let confirm = [("return_url", "https://desk.example/back")];
    let pending = ok(&api, "POST", &format!("/v1/payment_intents/{pi}/confirm"), &confirm, Some(&a)).await;
    assert_eq!(pending["status"], "requires_action");

    let failed = api.emulator.authenticate(&pi, false).unwrap();
    assert_eq!(failed["status"], "requires_payment_method");
    assert_eq!(failed["last_payment_error"]["code"], "payment_intent_authentication_failure");
    assert_eq!(failed["last_payment_error"]["type"], "invalid_request_error");
    assert!(failed["next_action"].is_null() && failed["latest_charge"].is_null());
    let read = ok(&api, "GET", &format!("/v1/payment_intents/{pi}"), &[], Some(&a)).await;
    assert_eq!(read, failed);
    assert!(api.emulator.authenticate(&pi, false).is_err(), "single use");
    assert_eq!(browser().get(challenge_url(&pending)).send().await.unwrap().status(), 410);
    let types = event_types(&api, Some(&a), &pi).await;
    assert_eq!(types.last().map(String::as_str), Some("payment_intent.payment_failed"));
    assert!(!types.iter().any(|t| t.starts_with("charge.")), "no charge was attempted");

    // Another card, and the payment goes through; the failure is cleared.
    let paid =
        ok(&api, "POST", &format!("/v1/payment_intents/{pi}/confirm"), &[("payment_method", "pm_card_visa")], Some(&a))
            .await;
    assert_eq!(paid["status"], "succeeded");
    assert!(paid["last_payment_error"].is_null());

    // Authenticated, then declined by the issuer: the redirect says it failed.
    let declined = ok(
        &api,
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "1500"),
            ("currency", "usd"),
            ("payment_method", "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds"),
            ("confirm", "true"),
            ("return_url", "https://desk.example/back"),
        ],
        Some(&a),
    )
    .await;
    let page = browser().post(challenge_url(&declined)).form(&[("outcome", "complete")]).send().await.unwrap();
    assert!(page.headers()["location"].to_str().unwrap().ends_with("redirect_status=failed"));
    let after = ok(&api, "GET", &format!("/v1/payment_intents/{}", id(&declined)), &[], Some(&a)).await;
    assert_eq!(after["status"], "requires_payment_method");
    assert_eq!(after["last_payment_error"]["decline_code"], "insufficient_funds");
}

#[tokio::test]
async fn an_authenticated_authorization_is_captured_in_part_canceled_or_expires() {
    let api = Api::empty().await;
    let a = api.active_account("Brasa Churrasqueria").await;
    let authorize = |amount: &'static str| {
        let api = &api;
        let a = a.clone();
        async move {
            let form = [
                ("amount", amount),
                ("currency", "usd"),
                ("capture_method", "manual"),
                ("payment_method", "pm_card_threeDSecure2Required"),
                ("confirm", "true"),
            ];
            let intent = ok(api, "POST", "/v1/payment_intents", &form, Some(&a)).await;
            assert_eq!(intent["status"], "requires_action");
            let authorized = api.emulator.authenticate(&id(&intent), true).unwrap();
            assert_eq!(
                (authorized["status"].as_str(), authorized["amount_capturable"].as_i64()),
                (Some("requires_capture"), Some(amount.parse().unwrap()))
            );
            id(&authorized)
        }
    };

    // Captured for less, with a fee taken at capture; the rest is released.
    let pi = authorize("10000").await;
    let form = [("amount_to_capture", "7500"), ("application_fee_amount", "150"), ("expand[]", "latest_charge")];
    let captured = ok(&api, "POST", &format!("/v1/payment_intents/{pi}/capture"), &form, Some(&a)).await;
    assert_eq!((captured["status"].as_str(), captured["amount_received"].as_i64()), (Some("succeeded"), Some(7500)));
    assert_eq!(captured["latest_charge"]["amount_refunded"], 2500, "the released remainder");
    assert!(captured["latest_charge"]["application_fee"].is_string());

    // Canceled while the customer is still on the page: the page no longer answers.
    let form = [
        ("amount", "900"),
        ("currency", "usd"),
        ("payment_method", "pm_card_threeDSecure2Required"),
        ("confirm", "true"),
    ];
    let waiting = ok(&api, "POST", "/v1/payment_intents", &form, Some(&a)).await;
    let canceled = ok(
        &api,
        "POST",
        &format!("/v1/payment_intents/{}/cancel", id(&waiting)),
        &[("cancellation_reason", "abandoned")],
        Some(&a),
    )
    .await;
    assert_eq!(
        (canceled["status"].as_str(), canceled["cancellation_reason"].as_str()),
        (Some("canceled"), Some("abandoned"))
    );
    assert!(canceled["next_action"].is_null());
    assert_eq!(
        browser().post(challenge_url(&waiting)).form(&[("outcome", "complete")]).send().await.unwrap().status(),
        410
    );

    // Seven days after the authorization it expires, and capture is refused as at Stripe.
    let pi = authorize("5000").await;
    api.emulator.advance_clock(6 * DAY);
    let still = ok(&api, "GET", &format!("/v1/payment_intents/{pi}"), &[], Some(&a)).await;
    assert_eq!(still["status"], "requires_capture");
    api.emulator.advance_clock(2 * DAY);
    let late = call(&api, "POST", &format!("/v1/payment_intents/{pi}/capture"), &[], Some(&a)).await;
    assert_eq!((late.status, late.error_code()), (400, Some("payment_intent_unexpected_state")));
    let expired = ok(&api, "GET", &format!("/v1/payment_intents/{pi}"), &[], Some(&a)).await;
    assert_eq!(
        (expired["status"].as_str(), expired["cancellation_reason"].as_str()),
        (Some("canceled"), Some("automatic"))
    );
}

#[tokio::test]
async fn return_url_needs_confirm_and_the_page_goes_offline_with_the_api() {
    let api = Api::empty().await;
    let refused = call(
        &api,
        "POST",
        "/v1/payment_intents",
        &[("amount", "500"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("return_url", RETURN)],
        None,
    )
    .await;
    assert_eq!((refused.status, refused.body["error"]["param"].as_str()), (400, Some("return_url")));
    let bad = call(
        &api,
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "500"),
            ("currency", "usd"),
            ("confirm", "true"),
            ("payment_method", "pm_card_visa"),
            ("return_url", "not a url"),
        ],
        None,
    )
    .await;
    assert_eq!((bad.status, bad.error_code()), (400, Some("url_invalid")));

    let form = [
        ("amount", "500"),
        ("currency", "usd"),
        ("payment_method", "pm_card_threeDSecure2Required"),
        ("confirm", "true"),
    ];
    let intent = ok(&api, "POST", "/v1/payment_intents", &form, None).await;
    let url = challenge_url(&intent);
    api.emulator.set_offline(true);
    assert!(browser().get(&url).send().await.is_err());
    api.emulator.set_offline(false);
    assert_eq!(browser().get(&url).send().await.unwrap().status(), 200);
}
