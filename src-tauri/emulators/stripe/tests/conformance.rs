//! Conformance: every endpoint the emulator serves, walked with realistic calls, and every answer
//! (success or error) validated against Stripe's official OpenAPI schema for that operation. Event
//! payloads are validated against the schema of the object they carry, and their types against
//! the API version's list of event types.

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use common::{Answer, Api};
use serde_json::Value;
use stripe_emulator::spec::spec;

/// Operations of the spec subset the emulator does not serve, and why.
const NOT_EMULATED: &[(&str, &str)] = &[
    ("DeleteAccountsAccount", "the app never deletes connected accounts"),
    ("PostAccountsAccountExternalAccounts", "bank details are entered in Stripe's own onboarding"),
    ("PostCharges", "legacy Charges API; the app creates PaymentIntents"),
    ("GetWebhookEndpoints", "the desktop app syncs from /v1/events instead of receiving webhooks"),
    ("PostWebhookEndpoints", "as above"),
    ("GetWebhookEndpointsWebhookEndpoint", "as above"),
    ("PostWebhookEndpointsWebhookEndpoint", "as above"),
    ("DeleteWebhookEndpointsWebhookEndpoint", "as above"),
];

struct Checked {
    api: Api,
    seen: Mutex<BTreeSet<String>>,
    problems: Mutex<Vec<String>>,
    /// One concrete request per operation: (method, path, account).
    calls: Mutex<Vec<(String, String, Option<String>)>>,
}

impl Checked {
    async fn call(&self, method: &str, path: &str, form: &[(&str, &str)], account: Option<&str>) -> Answer {
        let answer = self.api.send(method, path, form, account, None).await;
        self.check(method, path, &answer);
        self.calls.lock().unwrap().push((method.to_string(), path.to_string(), account.map(str::to_string)));
        answer
    }

    fn check(&self, method: &str, path: &str, answer: &Answer) {
        let Some(op) = spec().operation(method, path) else {
            self.problems.lock().unwrap().push(format!("{method} {path}: not an operation of the spec"));
            return;
        };
        self.seen.lock().unwrap().insert(op.operation_id().to_string());
        if let Err(violations) = op.validate_response(answer.status, &answer.body) {
            let list: Vec<String> = violations.iter().take(8).map(|v| v.to_string()).collect();
            self.problems.lock().unwrap().push(format!("{method} {path} → {}: {}", answer.status, list.join("; ")));
        }
        self.check_events(&answer.body);
    }

    /// An event's `data.object` is free-form in the spec: validate it against its own schema.
    fn check_events(&self, body: &Value) {
        let events: Vec<&Value> = match body["object"].as_str() {
            Some("event") => vec![body],
            Some("list") => body["data"]
                .as_array()
                .map(|d| d.iter().filter(|e| e["object"] == "event").collect())
                .unwrap_or_default(),
            _ => vec![],
        };
        for event in events {
            let kind = event["type"].as_str().unwrap_or_default();
            if !event_types().contains(kind) {
                self.problems.lock().unwrap().push(format!("event type {kind:?} does not exist in this API version"));
            }
            let object = &event["data"]["object"];
            let Some(kind) = object["object"].as_str() else { continue };
            if let Err(violations) = spec().validate_schema(kind, object) {
                let list: Vec<String> = violations.iter().take(5).map(|v| v.to_string()).collect();
                self.problems.lock().unwrap().push(format!(
                    "event {} carries an invalid {kind}: {}",
                    event["type"],
                    list.join("; ")
                ));
            }
        }
    }

    async fn ok(&self, method: &str, path: &str, form: &[(&str, &str)], account: Option<&str>) -> Value {
        let answer = self.call(method, path, form, account).await;
        assert!(answer.status < 300, "{method} {path}: {} {}", answer.status, answer.body);
        answer.body
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

async fn upload(api: &Api, account: &str, bytes: Vec<u8>, name: &str) -> Answer {
    let form = reqwest::multipart::Form::new()
        .text("purpose", "dispute_evidence")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    let response = reqwest::Client::new()
        .post(api.url("/v1/files"))
        .bearer_auth(common::KEY)
        .header("Stripe-Account", account)
        .multipart(form)
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.json().await.unwrap(),
    }
}

#[tokio::test]
async fn every_endpoint_answers_in_stripes_schema() {
    let c = Checked {
        api: Api::empty().await,
        seen: Mutex::default(),
        problems: Mutex::default(),
        calls: Mutex::default(),
    };
    let day = Duration::from_secs(86_400);

    // Accounts and links.
    let a = c.api.active_account("Conformance Bistro").await;
    let created = c
        .ok(
            "POST",
            "/v1/accounts",
            &[
                ("type", "custom"),
                ("country", "GB"),
                ("email", "new@example.com"),
                ("business_profile[name]", "New Place"),
                ("business_profile[mcc]", "5812"),
                ("metadata[region]", "north"),
            ],
            None,
        )
        .await;
    let custom = id(&created);
    c.ok("GET", "/v1/accounts", &[("limit", "2")], None).await;
    c.ok("GET", &format!("/v1/accounts/{a}"), &[], None).await;
    c.ok(
        "POST",
        &format!("/v1/accounts/{a}"),
        &[
            ("settings[payouts][schedule][interval]", "daily"),
            ("settings[payouts][schedule][delay_days]", "2"),
            ("metadata[owner]", "Ada"),
        ],
        None,
    )
    .await;
    c.ok(
        "POST",
        "/v1/account_links",
        &[
            ("account", &custom),
            ("type", "account_onboarding"),
            ("refresh_url", "https://example.com/r"),
            ("return_url", "https://example.com/d"),
        ],
        None,
    )
    .await;
    c.ok("POST", &format!("/v1/accounts/{a}/login_links"), &[], None).await;
    c.ok("GET", &format!("/v1/accounts/{a}/external_accounts"), &[], None).await;
    c.call("POST", &format!("/v1/accounts/{custom}/login_links"), &[], None).await;

    // Customers and payments.
    let customer = c.ok("POST", "/v1/customers", &[("email", "guest@example.com"), ("name", "Guest")], Some(&a)).await;
    c.ok("GET", "/v1/customers", &[], Some(&a)).await;
    let pi = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "4200"),
                ("currency", "usd"),
                ("customer", &id(&customer)),
                ("application_fee_amount", "200"),
                ("metadata[order_number]", "A-1001"),
                ("description", "Table 4"),
                ("receipt_email", "guest@example.com"),
            ],
            Some(&a),
        )
        .await;
    let pi_id = id(&pi);
    c.ok("POST", &format!("/v1/payment_intents/{pi_id}"), &[("metadata[table]", "4")], Some(&a)).await;
    let confirmed = c
        .ok(
            "POST",
            &format!("/v1/payment_intents/{pi_id}/confirm"),
            &[("payment_method", "pm_card_visa"), ("expand[]", "latest_charge")],
            Some(&a),
        )
        .await;
    let charge = confirmed["latest_charge"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        confirmed["latest_charge"]["receipt_email"], "guest@example.com",
        "the receipt goes where the intent said"
    );
    c.ok("GET", "/v1/payment_intents", &[("limit", "3")], Some(&a)).await;
    c.ok("GET", &format!("/v1/payment_intents/{pi_id}"), &[], Some(&a)).await;
    let auth = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "9000"),
                ("currency", "usd"),
                ("capture_method", "manual"),
                ("payment_method", "pm_card_mastercard"),
                ("confirm", "true"),
            ],
            Some(&a),
        )
        .await;
    c.ok("POST", &format!("/v1/payment_intents/{}/capture", id(&auth)), &[("amount_to_capture", "7000")], Some(&a))
        .await;
    let to_cancel = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "1200"),
                ("currency", "usd"),
                ("capture_method", "manual"),
                ("payment_method", "pm_card_amex"),
                ("confirm", "true"),
            ],
            Some(&a),
        )
        .await;
    c.ok(
        "POST",
        &format!("/v1/payment_intents/{}/cancel", id(&to_cancel)),
        &[("cancellation_reason", "abandoned")],
        Some(&a),
    )
    .await;
    c.call(
        "POST",
        "/v1/payment_intents",
        &[("amount", "500"), ("currency", "usd"), ("payment_method", "pm_card_chargeDeclined"), ("confirm", "true")],
        Some(&a),
    )
    .await;
    // 3-D Secure: requires_action with a redirect, refused while waiting, then confirmed.
    let secure = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "3300"),
                ("currency", "usd"),
                ("payment_method", "pm_card_threeDSecure2Required"),
                ("confirmation_method", "manual"),
                ("confirm", "true"),
                ("return_url", "https://example.com/paid"),
                ("application_fee_amount", "100"),
            ],
            Some(&a),
        )
        .await;
    assert_eq!(secure["status"], "requires_action");
    let early = c.call("POST", &format!("/v1/payment_intents/{}/confirm", id(&secure)), &[], Some(&a)).await;
    assert_eq!(early.status, 400);
    c.api.emulator.authenticate(&id(&secure), true).expect("authenticated");
    c.ok("GET", &format!("/v1/payment_intents/{}", id(&secure)), &[], Some(&a)).await;
    c.ok("POST", &format!("/v1/payment_intents/{}/confirm", id(&secure)), &[], Some(&a)).await;
    let refused = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "700"),
                ("currency", "usd"),
                ("payment_method", "pm_card_authenticationRequired"),
                ("confirm", "true"),
            ],
            Some(&a),
        )
        .await;
    c.api.emulator.authenticate(&id(&refused), false).expect("failed authentication");
    c.ok("GET", &format!("/v1/payment_intents/{}", id(&refused)), &[], Some(&a)).await;
    c.ok("GET", "/v1/charges", &[("payment_intent", &pi_id)], Some(&a)).await;
    c.ok("GET", &format!("/v1/charges/{charge}"), &[("expand[]", "balance_transaction")], Some(&a)).await;
    c.ok("POST", &format!("/v1/charges/{charge}"), &[("description", "Table 4, two guests")], Some(&a)).await;

    // Refunds, including the application fee.
    let refund = c
        .ok(
            "POST",
            "/v1/refunds",
            &[
                ("charge", &charge),
                ("amount", "1000"),
                ("reason", "requested_by_customer"),
                ("refund_application_fee", "true"),
                ("metadata[by]", "staff-1"),
            ],
            Some(&a),
        )
        .await;
    c.ok("GET", "/v1/refunds", &[("charge", &charge)], Some(&a)).await;
    c.ok("GET", &format!("/v1/refunds/{}", id(&refund)), &[], Some(&a)).await;
    c.ok("POST", &format!("/v1/refunds/{}", id(&refund)), &[("metadata[note]", "cold soup")], Some(&a)).await;
    c.call("POST", "/v1/refunds", &[("charge", &charge), ("amount", "999999")], Some(&a)).await;

    // Refunds that change later: one pending (Stripe's asynchronous test card), one failed at the
    // issuer, each read back with its balance transactions.
    let slow = c
        .ok(
            "POST",
            "/v1/payment_intents",
            &[
                ("amount", "2500"),
                ("currency", "usd"),
                ("payment_method", "pm_card_pendingRefund"),
                ("confirm", "true"),
            ],
            Some(&a),
        )
        .await;
    let pending = c.ok("POST", "/v1/refunds", &[("payment_intent", &id(&slow))], Some(&a)).await;
    assert_eq!(pending["status"], "pending");
    let failed = c.api.emulator.fail_refund(&id(&refund), "expired_or_canceled_card").expect("the refund fails");
    c.ok(
        "GET",
        &format!("/v1/refunds/{}", id(&refund)),
        &[("expand[]", "failure_balance_transaction"), ("expand[]", "balance_transaction")],
        Some(&a),
    )
    .await;
    c.ok("GET", &format!("/v1/refunds/{}", id(&failed)), &[], Some(&a)).await;
    c.ok(
        "GET",
        &format!("/v1/charges/{charge}"),
        &[("expand[]", "refunds.data.failure_balance_transaction")],
        Some(&a),
    )
    .await;

    // Application fees (the platform's side of direct charges).
    let fees = c.ok("GET", "/v1/application_fees", &[], None).await;
    let fee = id(&fees["data"][0]);
    c.ok("GET", &format!("/v1/application_fees/{fee}"), &[], None).await;
    c.ok("POST", &format!("/v1/application_fees/{fee}/refunds"), &[("amount", "50")], None).await;
    c.ok("GET", &format!("/v1/application_fees/{fee}/refunds"), &[], None).await;

    // Destination charge on the platform, then transfers and reversals.
    c.ok(
        "POST",
        "/v1/payment_intents",
        &[
            ("amount", "30000"),
            ("currency", "usd"),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
            ("transfer_data[destination]", &a),
            ("application_fee_amount", "1500"),
        ],
        None,
    )
    .await;
    c.ok(
        "POST",
        "/v1/payment_intents",
        &[("amount", "50000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")],
        None,
    )
    .await;
    c.api.emulator.advance_clock(3 * day);
    let transfer = c
        .ok(
            "POST",
            "/v1/transfers",
            &[("amount", "2500"), ("currency", "usd"), ("destination", &a), ("description", "Marketing credit")],
            None,
        )
        .await;
    let tr = id(&transfer);
    c.ok("GET", "/v1/transfers", &[("destination", &a)], None).await;
    c.ok("GET", &format!("/v1/transfers/{tr}"), &[], None).await;
    c.ok("POST", &format!("/v1/transfers/{tr}"), &[("metadata[campaign]", "spring")], None).await;
    let reversal = c.ok("POST", &format!("/v1/transfers/{tr}/reversals"), &[("amount", "500")], None).await;
    c.ok("GET", &format!("/v1/transfers/{tr}/reversals"), &[], None).await;
    c.ok("GET", &format!("/v1/transfers/{tr}/reversals/{}", id(&reversal)), &[], None).await;
    c.ok("POST", &format!("/v1/transfers/{tr}/reversals/{}", id(&reversal)), &[("metadata[reason]", "overpaid")], None)
        .await;

    // Payouts: manual (on a manual schedule), canceled, then automatic with reconciliation.
    let refused = c.call("POST", "/v1/payouts", &[("amount", "1000"), ("currency", "usd")], Some(&a)).await;
    assert_eq!(refused.status, 400, "no manual payouts while payouts are automatic");
    c.ok("POST", &format!("/v1/accounts/{a}"), &[("settings[payouts][schedule][interval]", "manual")], None).await;
    let manual = c.ok("POST", "/v1/payouts", &[("amount", "1000"), ("currency", "usd")], Some(&a)).await;
    c.ok("POST", &format!("/v1/payouts/{}", id(&manual)), &[("metadata[ref]", "x")], Some(&a)).await;
    c.ok("POST", &format!("/v1/payouts/{}/cancel", id(&manual)), &[], Some(&a)).await;
    c.ok("POST", &format!("/v1/accounts/{a}"), &[("settings[payouts][schedule][interval]", "daily")], None).await;
    c.api.emulator.advance_clock(day);
    let payouts = c.ok("GET", "/v1/payouts", &[("limit", "10")], Some(&a)).await;
    let automatic = payouts["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["automatic"] == true)
        .expect("an automatic payout")
        .clone();
    c.ok("GET", &format!("/v1/payouts/{}", id(&automatic)), &[], Some(&a)).await;
    c.ok("GET", "/v1/balance_transactions", &[("payout", &id(&automatic)), ("expand[]", "data.source")], Some(&a))
        .await;
    let txns = c.ok("GET", "/v1/balance_transactions", &[("limit", "100")], Some(&a)).await;
    c.ok("GET", &format!("/v1/balance_transactions/{}", id(&txns["data"][0])), &[], Some(&a)).await;
    c.ok("GET", "/v1/balance", &[], Some(&a)).await;
    c.ok("GET", "/v1/balance", &[], None).await;
    c.ok("GET", "/v1/balance_transactions", &[("limit", "100")], None).await;

    // Disputes with a file as evidence.
    c.ok(
        "POST",
        "/v1/payment_intents",
        &[("amount", "6400"), ("currency", "usd"), ("payment_method", "pm_card_createDispute"), ("confirm", "true")],
        Some(&a),
    )
    .await;
    let disputes = c.ok("GET", "/v1/disputes", &[], Some(&a)).await;
    let dp = id(&disputes["data"][0]);
    let file = upload(&c.api, &a, b"%PDF-1.4 receipt".to_vec(), "receipt.pdf").await;
    c.check("POST", "/v1/files", &file);
    let file_id = id(&file.body);
    c.ok("GET", "/v1/files", &[("purpose", "dispute_evidence")], Some(&a)).await;
    c.ok("GET", &format!("/v1/files/{file_id}"), &[], Some(&a)).await;
    let not_a_pdf = upload(&c.api, &a, b"MZ executable".to_vec(), "receipt.exe").await;
    c.check("POST", "/v1/files", &not_a_pdf);
    assert_eq!(not_a_pdf.status, 400);
    c.ok(
        "POST",
        &format!("/v1/disputes/{dp}"),
        &[("evidence[receipt]", &file_id), ("evidence[customer_name]", "Guest"), ("submit", "false")],
        Some(&a),
    )
    .await;
    c.ok("GET", &format!("/v1/disputes/{dp}"), &[], Some(&a)).await;
    c.ok("POST", &format!("/v1/disputes/{dp}"), &[("submit", "true")], Some(&a)).await;
    c.api.emulator.advance_clock(11 * day);
    c.ok(
        "POST",
        "/v1/payment_intents",
        &[("amount", "1800"), ("currency", "usd"), ("payment_method", "pm_card_createDispute"), ("confirm", "true")],
        Some(&a),
    )
    .await;
    let open = c.ok("GET", "/v1/disputes", &[("limit", "1")], Some(&a)).await;
    c.ok("POST", &format!("/v1/disputes/{}/close", id(&open["data"][0])), &[], Some(&a)).await;

    // Events, every kind produced above, platform and account.
    let events = c.ok("GET", "/v1/events", &[("limit", "100")], Some(&a)).await;
    c.ok("GET", &format!("/v1/events/{}", id(&events["data"][0])), &[], Some(&a)).await;
    let mut after: Option<String> = None;
    loop {
        let mut q = vec![("limit", "100".to_string())];
        if let Some(cursor) = &after {
            q.push(("starting_after", cursor.clone()));
        }
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = c.ok("GET", "/v1/events", &q, Some(&a)).await;
        after = page["data"].as_array().unwrap().last().map(id);
        if page["has_more"] != true {
            break;
        }
    }
    c.ok("GET", "/v1/events", &[("limit", "100")], None).await;

    // Errors are Stripe-shaped too.
    c.call("GET", "/v1/payouts/po_doesnotexist0000", &[], Some(&a)).await;
    c.call("GET", "/v1/accounts", &[("limit", "1000")], None).await;
    c.call("POST", "/v1/payment_intents", &[("amount", "100"), ("currency", "usd"), ("colour", "blue")], None).await;

    let problems = c.problems.lock().unwrap().clone();
    assert!(problems.is_empty(), "{} answers do not match Stripe's schema:\n{}", problems.len(), problems.join("\n"));

    // Whatever a handler reads, it can only ever receive what the spec defines: every operation
    // refuses a parameter the spec does not have, before doing anything.
    let calls = c.calls.lock().unwrap().clone();
    let mut refused = BTreeSet::new();
    for (method, path, account) in calls {
        let op = spec().operation(&method, &path).unwrap().operation_id().to_string();
        if !refused.insert(op.clone()) {
            continue;
        }
        let answer = c.api.send(&method, &path, &[("zz_not_in_stripes_spec", "1")], account.as_deref(), None).await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (400, Some("parameter_unknown")),
            "{op} accepted an unknown parameter"
        );
        assert_eq!(answer.body["error"]["param"], "zz_not_in_stripes_spec");
    }

    let seen = c.seen.lock().unwrap().clone();
    let spec_ops: BTreeSet<String> = spec_operation_ids();
    let skipped: BTreeSet<String> = NOT_EMULATED.iter().map(|(op, _)| op.to_string()).collect();
    let missing: Vec<&String> = spec_ops.iter().filter(|op| !seen.contains(*op) && !skipped.contains(*op)).collect();
    assert!(missing.is_empty(), "operations not walked: {missing:?}");
}

#[tokio::test]
async fn the_demo_seed_answers_in_stripes_schema() {
    let c =
        Checked { api: Api::demo().await, seen: Mutex::default(), problems: Mutex::default(), calls: Mutex::default() };
    let accounts = c.ok("GET", "/v1/accounts", &[("limit", "100")], None).await;
    c.ok("GET", "/v1/balance", &[], None).await;
    for account in accounts["data"].as_array().unwrap() {
        let a = id(account);
        c.ok("GET", "/v1/balance", &[], Some(&a)).await;
        for path in [
            "/v1/payouts",
            "/v1/payment_intents",
            "/v1/charges",
            "/v1/refunds",
            "/v1/disputes",
            "/v1/balance_transactions",
            "/v1/events",
        ] {
            c.ok("GET", path, &[("limit", "100")], Some(&a)).await;
        }
    }
    for path in ["/v1/transfers", "/v1/application_fees", "/v1/events", "/v1/balance_transactions"] {
        c.ok("GET", path, &[("limit", "100")], None).await;
    }
    let problems = c.problems.lock().unwrap().clone();
    assert!(problems.is_empty(), "{} answers do not match Stripe's schema:\n{}", problems.len(), problems.join("\n"));
}

/// Every event type of the API version: the spec lists them as what a webhook endpoint may enable.
fn event_types() -> &'static BTreeSet<String> {
    static TYPES: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        let raw: Value = serde_json::from_str(include_str!("../spec/connect-subset.json")).unwrap();
        let enabled = &raw["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
            ["application/x-www-form-urlencoded"]["schema"]["properties"]["enabled_events"];
        enabled["items"]["enum"].as_array().unwrap().iter().filter_map(|t| t.as_str().map(str::to_string)).collect()
    })
}

fn spec_operation_ids() -> BTreeSet<String> {
    let raw: Value = serde_json::from_str(include_str!("../spec/connect-subset.json")).unwrap();
    let mut out = BTreeSet::new();
    for (_, ops) in raw["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if ["get", "post", "delete"].contains(&method.as_str()) {
                out.insert(op["operationId"].as_str().unwrap().to_string());
            }
        }
    }
    out
}
