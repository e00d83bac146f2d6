//! Connect onboarding and disconnection as tests and demo mode walk them: the test hooks
//! (`complete_onboarding`, `require`, `deauthorize`), revoked access, and the hosted pages that
//! account links and login links open, fetched as a browser would.

mod common;

use std::time::Duration;

use common::{Api, KEY};
use serde_json::Value;
use stripe_emulator::spec::spec;

const REFRESH: &str = "https://platform.example/refresh";
const RETURN: &str = "https://platform.example/return";

/// A browser that does not follow redirects, so a test sees each 303.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn pending_account(api: &Api, name: &str) -> String {
    let created =
        api.post("/v1/accounts", &[("type", "express"), ("country", "US"), ("business_profile[name]", name)]).await;
    created.ok()["id"].as_str().unwrap().to_string()
}

async fn onboarding_link(api: &Api, account: &str) -> Value {
    let form = [("account", account), ("type", "account_onboarding"), ("refresh_url", REFRESH), ("return_url", RETURN)];
    api.post("/v1/account_links", &form).await.ok()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn assert_in_schema(method: &str, path: &str, answer: &common::Answer) {
    let op = spec().operation(method, path).expect("operation");
    if let Err(violations) = op.validate_response(answer.status, &answer.body) {
        panic!("{method} {path} → {}: {violations:?}", answer.status);
    }
}

#[tokio::test]
async fn completing_onboarding_turns_a_pending_account_active_and_says_so_in_its_events() {
    let api = Api::empty().await;
    let id = pending_account(&api, "Golden Gate Noodle House").await;
    let completed = api.emulator.complete_onboarding(&id).unwrap();
    assert_eq!(completed["charges_enabled"], true);

    let answer = api.get(&format!("/v1/accounts/{id}"), &[]).await;
    assert_in_schema("GET", &format!("/v1/accounts/{id}"), &answer);
    let account = answer.ok();
    assert_eq!((account["details_submitted"].clone(), account["payouts_enabled"].clone()), (true.into(), true.into()));
    assert_eq!(account["capabilities"]["card_payments"], "active");
    assert_eq!(account["capabilities"]["transfers"], "active");
    for list in ["currently_due", "eventually_due", "past_due", "pending_verification"] {
        assert_eq!(account["requirements"][list], serde_json::json!([]), "{list}");
    }
    assert!(account["requirements"]["disabled_reason"].is_null());
    assert!(account["requirements"]["current_deadline"].is_null());
    assert_eq!(account["external_accounts"]["data"][0]["status"], "verified");

    let events = api.get_as(&id, "/v1/events", &[("type", "account.updated")]).await.ok();
    let event = &events["data"][0];
    assert_eq!(event["account"], id.as_str());
    assert_eq!(event["data"]["object"]["charges_enabled"], true);
    assert_eq!(event["data"]["previous_attributes"]["charges_enabled"], false);
    assert!(event["data"]["previous_attributes"]["requirements"]["currently_due"].as_array().is_some());
    assert!(spec().validate_schema("account", &event["data"]["object"]).is_ok());

    // A rejected account cannot complete.
    let demo = Api::demo().await;
    let rejected = demo.get("/v1/accounts", &[("limit", "100")]).await.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["requirements"]["disabled_reason"] == "rejected.fraud")
        .map(|a| a["id"].as_str().unwrap().to_string())
        .unwrap();
    assert!(demo.emulator.complete_onboarding(&rejected).is_err());
}

#[tokio::test]
async fn requirements_past_their_deadline_restrict_the_account() {
    let api = Api::empty().await;
    let id = api.emulator.add_restaurant("Saltwater Oyster Bar");
    let now = api.emulator.lock().now();
    let account = api.emulator.require(&id, &["company.tax_id"], Some(now - 60)).unwrap();
    assert_eq!(account["payouts_enabled"], false);
    assert_eq!(account["requirements"]["past_due"], serde_json::json!(["company.tax_id"]));
    assert_eq!(account["requirements"]["currently_due"], serde_json::json!(["company.tax_id"]));
    assert_eq!(account["requirements"]["disabled_reason"], "requirements.past_due");
    assert_eq!(account["requirements"]["current_deadline"], now - 60);
    let event = &api.get_as(&id, "/v1/events", &[("type", "account.updated")]).await.ok()["data"][0];
    assert_eq!(event["data"]["previous_attributes"]["payouts_enabled"], true);

    // A deadline ahead only asks, until the clock reaches it.
    let other = api.emulator.add_restaurant("Thames Fish Bar");
    let account = api.emulator.require(&other, &["representative.verification.document"], Some(now + 3_600)).unwrap();
    assert_eq!(account["payouts_enabled"], true);
    assert!(account["requirements"]["disabled_reason"].is_null());
    api.emulator.advance_clock(Duration::from_secs(7_200));
    let account = api.get(&format!("/v1/accounts/{other}"), &[]).await.ok();
    assert_eq!(account["payouts_enabled"], false);
    assert_eq!(account["requirements"]["disabled_reason"], "requirements.past_due");

    // Finishing onboarding again lifts the restriction.
    assert_eq!(api.emulator.complete_onboarding(&id).unwrap()["payouts_enabled"], true);
}

#[tokio::test]
async fn a_deauthorized_account_leaves_only_its_events_readable() {
    let api = Api::empty().await;
    let id = api.emulator.add_restaurant("Brasa Churrasqueria");
    let stays = api.emulator.add_restaurant("Vine Street Pizzeria");
    api.emulator.deauthorize(&id).unwrap();
    assert!(api.emulator.deauthorize(&id).is_err(), "already gone");

    let events = api.get_as(&id, "/v1/events", &[("type", "account.application.deauthorized")]).await;
    assert_in_schema("GET", "/v1/events", &events);
    let events = events.ok();
    let event = &events["data"][0];
    assert_eq!(event["account"], id.as_str());
    let application = &event["data"]["object"];
    assert_eq!(application["object"], "application");
    assert!(application["id"].as_str().unwrap().starts_with("ca_"));
    assert!(spec().validate_schema("application", application).is_ok());
    let evt = event["id"].as_str().unwrap();
    assert_eq!(api.get_as(&id, &format!("/v1/events/{evt}"), &[]).await.ok()["id"], evt);

    let balance = api.get_as(&id, "/v1/balance", &[]).await;
    assert_in_schema("GET", "/v1/balance", &balance);
    assert_eq!((balance.status, balance.error_code()), (403, Some("account_invalid")));
    let message = balance.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("Application access may have been revoked"), "{message}");
    assert!(message.contains(&id) && !message.contains(KEY) && message.contains(&KEY[KEY.len() - 4..]), "{message}");

    let list = api.get("/v1/accounts", &[("limit", "100")]).await.ok();
    let listed: Vec<&str> = list["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(listed, vec![stays.as_str()]);

    let link = api.post("/v1/account_links", &[("account", &id), ("type", "account_update")]).await;
    assert_in_schema("POST", "/v1/account_links", &link);
    assert_eq!((link.status, link.error_code()), (403, Some("account_invalid")));
    assert_eq!(api.get(&format!("/v1/accounts/{id}"), &[]).await.status, 403);
    assert_eq!(api.post(&format!("/v1/accounts/{id}"), &[("metadata[a]", "b")]).await.status, 403);
    assert_eq!(api.post(&format!("/v1/accounts/{id}/login_links"), &[]).await.status, 403);
    let transfer = api.post("/v1/transfers", &[("amount", "100"), ("currency", "usd"), ("destination", &id)]).await;
    assert_eq!((transfer.status, transfer.error_code()), (404, Some("resource_missing")));
    assert_eq!(api.get_as(&stays, "/v1/balance", &[]).await.status, 200);
}

#[tokio::test]
async fn an_account_link_opens_once_completes_onboarding_and_returns() {
    let api = Api::empty().await;
    let id = pending_account(&api, "Harbor & Vine Test Kitchen").await;
    let link = onboarding_link(&api, &id).await;
    assert_eq!(link["expires_at"].as_i64().unwrap() - link["created"].as_i64().unwrap(), 300);
    let url = link["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/setup/s/{id}/", api.emulator.base_url())), "{url}");

    let browser = browser();
    let page = browser.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>Stripe onboarding (emulator)</title>"), "{html}");
    assert!(html.contains("Harbor &amp; Vine Test Kitchen"), "{html}");
    assert!(html.contains("business_profile.url") && html.contains("Submit and return"), "{html}");
    assert!(!html.contains("src=") && !html.contains("href="), "self-contained: {html}");

    let submitted = browser.post(&url).send().await.unwrap();
    assert_eq!((submitted.status().as_u16(), location(&submitted)), (303, RETURN.to_string()));
    let account = api.get(&format!("/v1/accounts/{id}"), &[]).await.ok();
    assert_eq!((account["charges_enabled"].clone(), account["details_submitted"].clone()), (true.into(), true.into()));

    // Single use: back to the platform for a new link.
    let again = browser.get(&url).send().await.unwrap();
    assert_eq!((again.status().as_u16(), location(&again)), (303, REFRESH.to_string()));
    let resubmitted = browser.post(&url).send().await.unwrap();
    assert_eq!((resubmitted.status().as_u16(), location(&resubmitted)), (303, REFRESH.to_string()));
    let unknown = browser.get(format!("{}/setup/s/{id}/NoSuchToken", api.emulator.base_url())).send().await.unwrap();
    assert_eq!(unknown.status(), 404);

    // A submit without a visit first is refused too.
    let fresh = onboarding_link(&api, &id).await["url"].as_str().unwrap().to_string();
    let blind = browser.post(&fresh).send().await.unwrap();
    assert_eq!((blind.status().as_u16(), location(&blind)), (303, REFRESH.to_string()));
}

#[tokio::test]
async fn links_point_at_the_host_the_platform_called() {
    let api = Api::empty().await;
    let id = pending_account(&api, "Copper Kettle Cafe").await;
    let port = api.emulator.addr().port();
    let response = reqwest::Client::new()
        .post(api.url("/v1/account_links"))
        .bearer_auth(KEY)
        .header("Host", format!("localhost:{port}"))
        .form(&[("account", id.as_str()), ("type", "account_onboarding"), ("refresh_url", REFRESH)])
        .send()
        .await
        .unwrap();
    let link: Value = response.json().await.unwrap();
    assert!(link["url"].as_str().unwrap().starts_with(&format!("http://localhost:{port}/setup/s/{id}/")), "{link}");
}

#[tokio::test]
async fn an_expired_link_sends_the_owner_to_refresh() {
    let api = Api::empty().await;
    let id = pending_account(&api, "Maple & Rye Diner").await;
    api.emulator.set_account_link_lifetime(Duration::from_secs(1));
    let link = onboarding_link(&api, &id).await;
    assert_eq!(link["expires_at"].as_i64().unwrap(), link["created"].as_i64().unwrap() + 1);
    api.emulator.advance_clock(Duration::from_secs(2));
    let page = browser().get(link["url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!((page.status().as_u16(), location(&page)), (303, REFRESH.to_string()));
    let account = api.get(&format!("/v1/accounts/{id}"), &[]).await.ok();
    assert_eq!(account["details_submitted"], false);
}

#[tokio::test]
async fn offline_drops_the_hosted_pages_too() {
    let api = Api::empty().await;
    let id = pending_account(&api, "Sakura Kitchen").await;
    let url = onboarding_link(&api, &id).await["url"].as_str().unwrap().to_string();
    api.emulator.set_offline(true);
    assert!(browser().get(&url).send().await.is_err());
    api.emulator.set_offline(false);
    // The dropped visit did not use the link up.
    assert_eq!(browser().get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_login_link_opens_the_express_dashboard_once() {
    let api = Api::empty().await;
    let id = api.emulator.add_restaurant("Le Petit Four");
    let answer = api.post(&format!("/v1/accounts/{id}/login_links"), &[]).await;
    assert_in_schema("POST", &format!("/v1/accounts/{id}/login_links"), &answer);
    let url = answer.ok()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/express/", api.emulator.base_url())), "{url}");
    let page = browser().get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Express dashboard (emulator)") && html.contains("Le Petit Four"), "{html}");
    let again = browser().get(&url).send().await.unwrap();
    assert_eq!(again.status(), 410);
    assert!(again.text().await.unwrap().contains("expired"));
}
