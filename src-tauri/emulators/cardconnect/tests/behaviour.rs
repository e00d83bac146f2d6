//! The emulator's behaviour over real HTTP, one test per behaviour of the CardPointe Gateway it
//! emulates: credentials, merchants, purchases and captures, the nightly batch and next-day
//! deposits, voids, refunds, inquiries, declines, stored profiles, faults and the demo seed.

use std::time::Duration;

use cardconnect_emulator::{Config, Emulator, Fault, DEMO_API_PASSWORD, DEMO_API_USER};
use chrono::{Days, NaiveDate};
use serde_json::{json, Value};

const DAY: Duration = Duration::from_secs(86_400);
const USER: &str = "testuser";
const PASSWORD: &str = "testpassword";
const VISA: &str = "4111111111111111";

struct Api {
    emulator: Emulator,
    http: reqwest::Client,
    merchid: String,
}

struct Answer {
    status: u16,
    body: Value,
    text: String,
}

impl Api {
    async fn new() -> Self {
        let emulator = Emulator::start(Config::with_credentials(USER, PASSWORD)).await.unwrap();
        let merchid = emulator.add_merchant("Test Kitchen", "USD");
        Self { emulator, http: reqwest::Client::new(), merchid }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/cardconnect/rest/{path}", self.emulator.base_url())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::Null), text }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let answer = self.send(self.http.post(self.url(path)).basic_auth(USER, Some(PASSWORD)).json(&body)).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
        answer.body
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(self.http.get(self.url(path)).basic_auth(USER, Some(PASSWORD))).await
    }

    async fn purchase(&self, amount: &str, orderid: &str) -> Value {
        let body = json!({ "merchid": self.merchid, "account": VISA, "expiry": "1229", "amount": amount,
                           "currency": "USD", "orderid": orderid, "capture": "Y" });
        let answer = self.post("auth", body).await;
        assert_eq!(answer["respstat"], "A", "{answer}");
        answer
    }

    async fn inquire(&self, retref: &str) -> Value {
        self.get(&format!("inquire/{retref}/{}", self.merchid)).await.body
    }

    /// Runs tonight's batch: the clock passes midnight once.
    fn settle(&self) {
        self.emulator.advance_clock(DAY);
    }
}

fn refused(answer: &Value, respcode: &str, resptext: &str) {
    assert_eq!(answer["respstat"], "C", "{answer}");
    assert_eq!(answer["respproc"], "PPS", "{answer}");
    assert_eq!(answer["respcode"], respcode, "{answer}");
    assert_eq!(answer["resptext"], resptext, "{answer}");
}

fn day_of(stamp: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(&stamp.as_str().unwrap()[..8], "%Y%m%d").unwrap()
}

#[tokio::test]
async fn wrong_or_missing_credentials_get_a_401_and_the_servlet_answers_right_ones() {
    let api = Api::new().await;
    let path = format!("inquireMerchant/{}", api.merchid);
    for request in [
        api.http.get(api.url(&path)),
        api.http.get(api.url(&path)).basic_auth(USER, Some("wrong")),
        api.http.get(api.url(&path)).basic_auth("someone", Some(PASSWORD)),
        api.http.get(api.url(&path)).bearer_auth(PASSWORD),
    ] {
        let answer = api.send(request).await;
        assert_eq!(answer.status, 401, "{}", answer.text);
    }
    let servlet = api.send(api.http.put(api.url("")).basic_auth(USER, Some(PASSWORD)).json(&json!({}))).await;
    assert_eq!(servlet.status, 200);
    assert!(servlet.text.contains("CardConnect REST Servlet"));
    let merchant = api.get(&path).await;
    assert_eq!(merchant.body["merchid"], api.merchid.as_str());
    assert_eq!(merchant.body["enabled"], true);
}

#[tokio::test]
async fn an_unknown_merchant_is_refused_as_invalid_without_a_trace() {
    let api = Api::new().await;
    let before = api.emulator.snapshot();
    let auth =
        json!({ "merchid": "999999999999", "account": VISA, "expiry": "1229", "amount": "10.00", "capture": "Y" });
    refused(&api.post("auth", auth).await, "21", "Invalid merchant");
    refused(&api.get("inquireMerchant/999999999999").await.body, "21", "Invalid merchant");
    refused(&api.get("inquire/123456789012/999999999999").await.body, "21", "Invalid merchant");
    let wrong_currency =
        json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "10.00", "currency": "EUR" });
    refused(&api.post("auth", wrong_currency).await, "32", "Wrong currency for merch");
    assert_eq!(api.emulator.snapshot(), before);
}

#[tokio::test]
async fn amounts_go_in_as_decimals_or_minor_units_and_come_back_as_decimals() {
    let api = Api::new().await;
    let decimal = api.purchase("12.50", "A-1").await;
    let minor = api.purchase("1250", "A-2").await;
    assert_eq!(decimal["amount"], "12.50");
    assert_eq!(minor["amount"], "12.50");
    let bad = json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "12.505" });
    refused(&api.post("auth", bad).await, "43", "Invalid amount");
}

#[tokio::test]
async fn a_purchase_is_queued_settles_that_night_and_is_deposited_the_next_day() {
    let api = Api::new().await;
    let purchase = api.purchase("42.10", "HV-1").await;
    let retref = purchase["retref"].as_str().unwrap();
    assert!(purchase["batchid"].is_string(), "{purchase}");
    assert_eq!(purchase["token"].as_str().unwrap().len(), 16);
    let queued = api.inquire(retref).await;
    assert_eq!(queued["setlstat"], "Queued for Capture");
    assert_eq!((&queued["voidable"], &queued["refundable"]), (&json!("Y"), &json!("N")));
    assert_eq!(queued["orderId"], "HV-1");
    assert_eq!(queued["lastfour"], "1111");

    api.settle();
    let settled = api.inquire(retref).await;
    assert_eq!(settled["setlstat"], "Accepted");
    assert_eq!((&settled["voidable"], &settled["refundable"]), (&json!("N"), &json!("Y")));
    let business_day = day_of(&settled["settledate"]);
    let batches = api.get(&format!("settlestat?merchid={}&date={}", api.merchid, business_day.format("%m%d"))).await;
    let batch = &batches.body[0];
    assert_eq!(batch["batchid"], purchase["batchid"]);
    assert_eq!(batch["hoststat"], "GB");
    assert_eq!(batch["txns"][0]["retref"], retref);
    assert_eq!(batch["txns"][0]["setlamount"], "42.10");
    assert_eq!(batch["txns"][0]["setlstat"], "Y");
    assert_eq!(batch["txns"][0]["salesdoc"], "HV-1");

    let deposit_day = business_day.checked_add_days(Days::new(1)).unwrap();
    for date in [deposit_day.format("%m%d").to_string(), deposit_day.format("%Y%m%d").to_string()] {
        let funding = api.get(&format!("funding?merchid={}&date={date}", api.merchid)).await.body;
        assert_eq!(funding["fundings"][0]["totalfunding"], "42.10", "{funding}");
        assert_eq!(funding["fundings"][0]["fundingdate"], deposit_day.format("%Y%m%d").to_string());
        assert_eq!(funding["txns"][0]["retref"], retref);
        assert_eq!(funding["txns"][0]["fundingid"], funding["fundings"][0]["fundingid"]);
    }
    let none = api.get(&format!("funding?merchid={}&date={}", api.merchid, business_day.format("%m%d"))).await;
    assert_eq!(none.body["errormsg"], "No deposits match your request");
    let empty = api.get(&format!("settlestat?merchid={}&date={}", api.merchid, deposit_day.format("%m%d"))).await;
    assert_eq!(empty.text, "Null batches");
}

#[tokio::test]
async fn an_authorization_is_captured_later_for_up_to_its_amount() {
    let api = Api::new().await;
    let auth =
        json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "80.00", "orderid": "TAB-1" });
    let auth = api.post("auth", auth).await;
    let retref = auth["retref"].as_str().unwrap();
    assert_eq!(api.inquire(retref).await["setlstat"], "Authorized");
    let too_much = api.post("capture", json!({ "merchid": api.merchid, "retref": retref, "amount": "80.01" })).await;
    refused(&too_much, "43", "Invalid amount");
    let captured = api.post("capture", json!({ "merchid": api.merchid, "retref": retref, "amount": "72.00" })).await;
    assert_eq!(
        (&captured["respstat"], &captured["setlstat"], &captured["amount"]),
        (&json!("A"), &json!("Queued for Capture"), &json!("72.00"))
    );
    assert_eq!(captured["orderid"], "TAB-1");
    api.settle();
    let again = api.post("capture", json!({ "merchid": api.merchid, "retref": retref })).await;
    assert_eq!(
        (&again["respstat"], &again["respcode"], &again["resptext"]),
        (&json!("A"), &json!("26"), &json!("Txn Settled"))
    );
    refused(
        &api.post("capture", json!({ "merchid": api.merchid, "retref": "000000000000" })).await,
        "29",
        "Txn not found",
    );
}

#[tokio::test]
async fn an_unsettled_transaction_is_voided_and_a_settled_one_is_not() {
    let api = Api::new().await;
    let voided = api.purchase("20.00", "V-1").await;
    let retref = voided["retref"].as_str().unwrap();
    let answer = api.post("void", json!({ "merchid": api.merchid, "retref": retref })).await;
    assert_eq!(
        (&answer["respstat"], &answer["authcode"], &answer["amount"]),
        (&json!("A"), &json!("REVERS"), &json!("0.00"))
    );
    assert_eq!(api.inquire(retref).await["setlstat"], "Voided");

    let kept = api.purchase("30.00", "V-2").await;
    let kept_retref = kept["retref"].as_str().unwrap();
    api.settle();
    let before = api.emulator.snapshot();
    let refusal = api.post("void", json!({ "merchid": api.merchid, "retref": kept_retref })).await;
    refused(&refusal, "27", "Txn Batched");
    assert_eq!(refusal["retref"], kept_retref);
    assert_eq!(api.emulator.snapshot(), before, "a refused void changes nothing");
    // The voided purchase never reached the batch, so only the other one was deposited.
    let state = api.emulator.state();
    let s = state.lock().unwrap();
    assert_eq!(s.deposits.len(), 1);
    assert_eq!(s.deposits[0].net, 3_000);
    assert_eq!(s.deposits[0].retrefs, vec![kept_retref.to_string()]);
}

#[tokio::test]
async fn part_of_an_authorization_is_voided_but_a_capture_only_whole() {
    let api = Api::new().await;
    let auth = json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "50.00" });
    let retref = api.post("auth", auth).await["retref"].as_str().unwrap().to_string();
    let partial = api.post("void", json!({ "merchid": api.merchid, "retref": retref, "amount": "15.00" })).await;
    assert_eq!((&partial["respstat"], &partial["amount"]), (&json!("A"), &json!("35.00")));
    assert_eq!(api.inquire(&retref).await["setlstat"], "Authorized");
    let capture = api.purchase("40.00", "P-1").await;
    let part =
        api.post("void", json!({ "merchid": api.merchid, "retref": capture["retref"], "amount": "10.00" })).await;
    refused(&part, "43", "Invalid amount");
}

#[tokio::test]
async fn void_by_order_id_voids_the_approved_attempt_and_answers_again() {
    let api = Api::new().await;
    let declined = json!({ "merchid": api.merchid, "account": "4387751111111038", "expiry": "1229", "amount": "25.00",
                           "orderid": "ORDER-9", "capture": "Y" });
    assert_eq!(api.post("auth", declined).await["respstat"], "C");
    let approved = api.purchase("25.00", "ORDER-9").await;
    for _ in 0..3 {
        let answer = api.post("voidByOrderId", json!({ "merchid": api.merchid, "orderid": "ORDER-9" })).await;
        assert_eq!((&answer["respstat"], &answer["retref"]), (&json!("A"), &approved["retref"]), "{answer}");
    }
    assert_eq!(api.inquire(approved["retref"].as_str().unwrap()).await["setlstat"], "Voided");
    refused(
        &api.post("voidByOrderId", json!({ "merchid": api.merchid, "orderid": "NOPE" })).await,
        "29",
        "Txn not found",
    );
}

#[tokio::test]
async fn refunds_wait_for_settlement_name_the_original_merchant_and_never_exceed_what_is_left() {
    let api = Api::new().await;
    let other = api.emulator.add_merchant("Other Kitchen", "USD");
    let purchase = api.purchase("60.00", "R-1").await;
    let retref = purchase["retref"].as_str().unwrap();
    let refund = |amount: Option<&str>, merchid: Option<&str>| {
        let mut body = json!({ "retref": retref });
        if let Some(a) = amount {
            body["amount"] = json!(a);
        }
        if let Some(m) = merchid {
            body["merchid"] = json!(m);
        }
        body
    };
    let before = api.emulator.snapshot();
    refused(&api.post("refund", refund(Some("10.00"), Some(&api.merchid))).await, "28", "Txn not settled");
    assert_eq!(api.emulator.snapshot(), before);

    api.settle();
    let before = api.emulator.snapshot();
    for (body, text) in [
        (refund(Some("10.00"), None), "no merchant ID"),
        (refund(Some("10.00"), Some(&other)), "another merchant's ID"),
    ] {
        let answer = api.post("refund", body).await;
        refused(&answer, "29", "Txn not found");
        assert_eq!(answer["retref"], retref, "{text}");
    }
    refused(&api.post("refund", refund(Some("60.01"), Some(&api.merchid))).await, "43", "Invalid amount");
    assert_eq!(api.emulator.snapshot(), before, "refused refunds change nothing");

    let partial = api.post("refund", refund(Some("25.00"), Some(&api.merchid))).await;
    assert_eq!(
        (&partial["respstat"], &partial["amount"], &partial["authcode"]),
        (&json!("A"), &json!("25.00"), &json!("REFUND"))
    );
    assert_ne!(partial["retref"], retref, "a refund has its own retref");
    let before = api.emulator.snapshot();
    refused(&api.post("refund", refund(Some("35.01"), Some(&api.merchid))).await, "43", "Invalid amount");
    assert_eq!(api.emulator.snapshot(), before);
    let rest = api.post("refund", refund(None, Some(&api.merchid))).await;
    assert_eq!(rest["amount"], "35.00", "no amount refunds what is left");
    assert_eq!(api.inquire(retref).await["refundable"], "N");
    refused(&api.post("refund", refund(None, Some(&api.merchid))).await, "43", "Invalid amount");

    // The two refunds settle tonight and are taken from tomorrow's deposit.
    api.settle();
    let state = api.emulator.state();
    let s = state.lock().unwrap();
    assert_eq!(s.deposits.iter().map(|d| d.net).collect::<Vec<_>>(), vec![6_000, -6_000]);
}

#[tokio::test]
async fn a_refund_made_with_an_order_id_is_found_by_it_after_a_lost_answer() {
    let api = Api::new().await;
    let purchase = api.purchase("48.00", "HV-13-7001").await;
    api.settle();
    api.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some("/cardconnect/rest/refund"));
    let body =
        json!({ "merchid": api.merchid, "retref": purchase["retref"], "amount": "12.00", "orderid": "HV-13-7001-R1" });
    let lost = api.http.post(api.url("refund")).basic_auth(USER, Some(PASSWORD)).json(&body).send().await;
    let lost = match lost {
        Ok(response) => response.text().await.map(|_| ()),
        Err(err) => Err(err),
    };
    assert!(lost.is_err(), "the answer was dropped");
    let found = api.get(&format!("inquireByOrderid/HV-13-7001-R1/{}/1", api.merchid)).await.body;
    assert_eq!(
        (&found["respstat"], &found["amount"], &found["orderId"]),
        (&json!("A"), &json!("-12.00"), &json!("HV-13-7001-R1"))
    );
    assert_eq!(found["setlstat"], "Queued for Capture");
    let sale = api.get(&format!("inquireByOrderid/HV-13-7001/{}/1", api.merchid)).await.body;
    assert_eq!(sale["retref"], purchase["retref"]);
    assert_eq!(sale["amount"], "48.00");
}

#[tokio::test]
async fn inquiry_by_order_id_answers_one_object_or_an_array_and_set_keeps_to_the_merchant() {
    let api = Api::new().await;
    let other = api.emulator.add_merchant("Sister Kitchen", "USD");
    api.purchase("10.00", "SHARED").await;
    api.purchase("11.00", "SHARED").await;
    let body = json!({ "merchid": other, "account": VISA, "expiry": "1229", "amount": "12.00", "orderid": "SHARED" });
    api.post("auth", body).await;
    let mine = api.get(&format!("inquireByOrderid/SHARED/{}/1", api.merchid)).await.body;
    assert_eq!(mine.as_array().map(Vec::len), Some(2), "{mine}");
    let site = api.get(&format!("inquireByOrderid/SHARED/{}", api.merchid)).await.body;
    assert_eq!(site.as_array().map(Vec::len), Some(3), "{site}");
    let one = api.get(&format!("inquireByOrderid/SHARED/{other}/1")).await.body;
    assert_eq!(one["amount"], "12.00");
    refused(&api.get(&format!("inquireByOrderid/MISSING/{}/1", api.merchid)).await.body, "29", "Txn not found");
    let missing = api.get(&format!("inquire/000000000001/{}", api.merchid)).await.body;
    refused(&missing, "29", "Txn not found");
    assert_eq!(missing["retref"], "000000000001");
}

#[tokio::test]
async fn declines_answer_the_processors_codes_as_uat_does() {
    let api = Api::new().await;
    let auth = |account: &str, amount: &str| json!({ "merchid": api.merchid, "account": account, "expiry": "1229", "amount": amount, "capture": "Y" });
    let do_not_honor = api.post("auth", auth("4387751111111038", "20.00")).await;
    assert_eq!(
        (&do_not_honor["respstat"], &do_not_honor["respproc"], &do_not_honor["respcode"], &do_not_honor["resptext"]),
        (&json!("C"), &json!("FNOR"), &json!("05"), &json!("Do not honor"))
    );
    assert_eq!(do_not_honor["amount"], "0.00");
    let inquiry = api.inquire(do_not_honor["retref"].as_str().unwrap()).await;
    assert_eq!((&inquiry["setlstat"], &inquiry["respstat"]), (&json!("Declined"), &json!("C")));
    let nsf = api.post("auth", auth(VISA, "1051.00")).await;
    assert_eq!((&nsf["respcode"], &nsf["resptext"]), (&json!("51"), &json!("Declined")));
    let timeout = api.post("auth", auth("4999006200620062", "5.00")).await;
    assert_eq!(
        (&timeout["respstat"], &timeout["respproc"], &timeout["respcode"], &timeout["resptext"]),
        (&json!("B"), &json!("PPS"), &json!("62"), &json!("Timed out"))
    );
    refused(&api.post("auth", auth("4111111111111112", "5.00")).await, "13", "Bad card check digit");
    let state = api.emulator.state();
    assert!(state.lock().unwrap().batches.iter().all(|b| b.retrefs.is_empty()), "declines never reach a batch");
}

#[tokio::test]
async fn a_stored_profile_pays_as_profileid_slash_acctid_for_its_own_merchant_only() {
    let api = Api::new().await;
    let profile = api.emulator.add_profile(&api.merchid, "5454545454545454", "1229").unwrap();
    assert_eq!(profile.split_once('/').map(|(p, a)| (p.len(), a)), Some((20, "1")));
    let body =
        json!({ "merchid": api.merchid, "profile": profile, "amount": "33.00", "capture": "Y", "orderid": "P-1" });
    let paid = api.post("auth", body).await;
    assert_eq!(paid["respstat"], "A", "{paid}");
    assert_eq!(paid["profileid"], profile.split('/').next().unwrap());
    assert_eq!(api.inquire(paid["retref"].as_str().unwrap()).await["lastfour"], "5454");
    let other = api.emulator.add_merchant("Other", "USD");
    let foreign = json!({ "merchid": other, "profile": profile, "amount": "33.00" });
    refused(&api.post("auth", foreign).await, "96", "Profile not found");
    let unknown = json!({ "merchid": api.merchid, "profile": "12345678901234567890/1", "amount": "33.00" });
    refused(&api.post("auth", unknown).await, "96", "Profile not found");
}

#[tokio::test]
async fn a_token_pays_like_its_card_and_an_authorization_can_store_the_card() {
    let api = Api::new().await;
    let first = json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "10.00",
                        "profile": "Y", "tokenize": "Y", "receipt": "Y", "orderid": "T-1" });
    let first = api.post("auth", first).await;
    assert_eq!(first["account"], "41XXXXXXXXXX1111", "tokenize answers the masked number");
    assert_eq!(first["orderId"], "T-1", "receipt answers the order ID");
    assert_eq!(first["profileid"].as_str().map(str::len), Some(20));
    let token = first["token"].as_str().unwrap();
    assert!(token.starts_with('9') && token.ends_with("1111"), "{token}");
    let again =
        json!({ "merchid": api.merchid, "account": token, "expiry": "1229", "amount": "12.00", "capture": "Y" });
    let again = api.post("auth", again).await;
    assert_eq!((&again["respstat"], &again["token"]), (&json!("A"), &json!(token)));
    let stored = format!("{}/{}", first["profileid"].as_str().unwrap(), first["acctid"].as_str().unwrap());
    let by_profile = api.post("auth", json!({ "merchid": api.merchid, "profile": stored, "amount": "5.00" })).await;
    assert_eq!(by_profile["respstat"], "A", "{by_profile}");

    // A token of a UAT decline card declines as the card does.
    let declining = json!({ "merchid": api.merchid, "account": "4387751111111038", "expiry": "1229", "amount": "0" });
    let declining_token = api.post("auth", declining).await["token"].as_str().unwrap().to_string();
    let declined = json!({ "merchid": api.merchid, "account": declining_token, "expiry": "1229", "amount": "9.00" });
    assert_eq!(api.post("auth", declined).await["resptext"], "Do not honor");
}

#[tokio::test]
async fn settlement_status_by_batch_id() {
    let api = Api::new().await;
    let purchase = api.purchase("19.99", "B-1").await;
    let batchid = purchase["batchid"].as_str().unwrap();
    let open = api.get(&format!("settlestat?merchid={}&batchid={batchid}", api.merchid)).await;
    assert_eq!(open.text, "Null batches", "an open batch has not settled");
    api.settle();
    let closed = api.get(&format!("settlestat?merchid={}&batchid={batchid}", api.merchid)).await;
    assert_eq!(closed.body[0]["txns"][0]["retref"], purchase["retref"]);
    assert!(closed.body[0]["hostbatch"].as_str().is_some_and(|h| !h.is_empty()));
}

#[tokio::test]
async fn faults_a_share_of_server_errors() {
    let api = Api::new().await;
    api.emulator.set_error_percent(100);
    assert_eq!(api.get(&format!("inquireMerchant/{}", api.merchid)).await.status, 500);
    api.emulator.set_error_percent(0);
    assert_eq!(api.get(&format!("inquireMerchant/{}", api.merchid)).await.status, 200);
}

#[tokio::test]
async fn faults_a_server_error_changes_nothing_and_latency_delays() {
    let api = Api::new().await;
    api.emulator.inject(Fault::ServerError, Some("post"), Some("/cardconnect/rest/auth"));
    let before = api.emulator.snapshot();
    let body = json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "5.00", "orderid": "F-1" });
    let failed = api.send(api.http.post(api.url("auth")).basic_auth(USER, Some(PASSWORD)).json(&body)).await;
    assert_eq!(failed.status, 500);
    assert_eq!(api.emulator.snapshot(), before);
    assert_eq!(api.post("auth", body).await["respstat"], "A", "the fault was used up");

    api.emulator.set_latency(Duration::from_millis(300));
    let started = std::time::Instant::now();
    api.get(&format!("inquireMerchant/{}", api.merchid)).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn offline_a_request_changes_nothing_and_online_again_it_works() {
    let api = Api::new().await;
    api.emulator.inject(Fault::ServerError, Some("post"), Some("/cardconnect/rest/auth"));
    api.emulator.set_latency(Duration::from_secs(30));
    api.emulator.set_offline(true);
    let before = api.emulator.snapshot();
    let requests = api.emulator.request_count();
    let body = json!({ "merchid": api.merchid, "account": VISA, "expiry": "1229", "amount": "5.00",
                       "orderid": "OFF-1", "capture": "Y" });
    let started = std::time::Instant::now();
    let attempt = api.http.post(api.url("auth")).basic_auth(USER, Some(PASSWORD)).json(&body).send().await;
    let failed = match attempt {
        Err(_) => true,
        Ok(response) => response.bytes().await.is_err(),
    };
    assert!(failed, "answered while offline");
    assert!(started.elapsed() < Duration::from_secs(10), "offline waited for the latency");
    assert_eq!(api.emulator.snapshot(), before);
    assert_eq!(api.emulator.request_count(), requests, "the Gateway saw the request");

    api.emulator.set_offline(false);
    api.emulator.set_latency(Duration::ZERO);
    let failed = api.send(api.http.post(api.url("auth")).basic_auth(USER, Some(PASSWORD)).json(&body)).await;
    assert_eq!(failed.status, 500, "the planned fault waited for the network");
    assert_eq!(api.purchase("5.00", "OFF-1").await["respstat"], "A");
}

#[tokio::test]
async fn bad_requests_and_unknown_paths_are_answered_as_the_gateway_does() {
    let api = Api::new().await;
    let not_json = api
        .send(
            api.http
                .post(api.url("auth"))
                .basic_auth(USER, Some(PASSWORD))
                .body("merchid=1")
                .header("content-type", "application/json"),
        )
        .await;
    assert_eq!(not_json.status, 400);
    let unknown = api.get("inquireByOderid/x/y").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["path"], "/cardconnect/rest/inquireByOderid/x/y");
    assert_eq!(unknown.body["error"], "Not Found");
}

#[tokio::test]
async fn the_demo_restaurants_have_settled_history_and_deposits() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let http = reqwest::Client::new();
    let get = |path: String| {
        let request = http
            .get(format!("{}/cardconnect/rest/{path}", emulator.base_url()))
            .basic_auth(DEMO_API_USER, Some(DEMO_API_PASSWORD));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let today = emulator.state().lock().unwrap().today();
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap();
    for (merchid, name) in [
        (cardconnect_emulator::DEMO_MERCHID_LAKESIDE, "Harbor & Vine Lakeside Kitchen"),
        (cardconnect_emulator::DEMO_MERCHID_TAQUERIA, "Vine Street Taqueria"),
    ] {
        assert_eq!(get(format!("inquireMerchant/{merchid}")).await["merchid"], merchid);
        assert_eq!(emulator.state().lock().unwrap().merchant(merchid).map(|m| m.name.clone()).as_deref(), Some(name));
        let funding = get(format!("funding?merchid={merchid}&date={}", today.format("%m%d"))).await;
        assert!(funding["txns"].as_array().is_some_and(|t| t.len() >= 5), "{merchid}: {funding}");
        let batches = get(format!("settlestat?merchid={merchid}&date={}", yesterday.format("%m%d"))).await;
        assert!(batches[0]["txns"].as_array().is_some_and(|t| !t.is_empty()), "{merchid}: {batches}");
        let orderid = batches[0]["txns"][0]["salesdoc"].as_str().unwrap().to_string();
        assert!(orderid.starts_with("HV-1"), "{orderid}");
        let found = get(format!("inquireByOrderid/{orderid}/{merchid}/1")).await;
        assert_eq!(found["setlstat"], "Accepted", "{found}");
    }
}
