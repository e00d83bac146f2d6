//! A tiny raw HTTP client for the emulator's own tests: it sends exactly what a test writes, so the
//! tests see the emulator's wire behaviour (status, headers, error bodies) without an SDK between.

#![allow(dead_code)]

use reqwest::header::HeaderMap;
use serde_json::Value;
use stripe_emulator::{Config, Emulator};

pub const KEY: &str = "sk_test_51EmulatorTestsEmulatorTests00";

pub struct Api {
    pub emulator: Emulator,
    http: reqwest::Client,
    key: String,
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn ok(self) -> Value {
        assert!((200..300).contains(&self.status), "expected success, got {} {}", self.status, self.body);
        self.body
    }

    pub fn error_code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

impl Api {
    /// An emulator with an empty platform.
    pub async fn empty() -> Self {
        Self::with(Config::with_key(KEY)).await
    }

    /// The demo restaurant group.
    pub async fn demo() -> Self {
        let mut config = Config::demo();
        config.api_keys.push(KEY.to_string());
        Self::with(config).await
    }

    pub async fn with(config: Config) -> Self {
        let emulator = Emulator::start(config).await.expect("start emulator");
        Self { emulator, http: reqwest::Client::new(), key: KEY.to_string() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emulator.base_url(), path)
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
        account: Option<&str>,
        idempotency_key: Option<&str>,
    ) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method.clone(), self.url(path)).bearer_auth(&self.key);
        if method == reqwest::Method::GET {
            request = request.query(form);
        } else {
            request = request.form(form);
        }
        if let Some(account) = account {
            request = request.header("Stripe-Account", account);
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.json().await.unwrap_or(Value::Null);
        Answer { status, headers, body }
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        self.send("GET", path, query, None, None).await
    }

    pub async fn get_as(&self, account: &str, path: &str, query: &[(&str, &str)]) -> Answer {
        self.send("GET", path, query, Some(account), None).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send("POST", path, form, None, None).await
    }

    pub async fn post_as(&self, account: &str, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send("POST", path, form, Some(account), None).await
    }

    /// A connected account that has finished onboarding (so it can be paid and pay out).
    pub async fn active_account(&self, name: &str) -> String {
        let id = self
            .post("/v1/accounts", &[("type", "express"), ("country", "US"), ("business_profile[name]", name)])
            .await
            .ok()["id"]
            .as_str()
            .expect("account id")
            .to_string();
        let state = self.emulator.state();
        let mut s = state.lock().unwrap();
        let spec = stripe_emulator::seed::AccountSpec {
            name,
            kind: "express",
            country: "US",
            currency: "usd",
            email: "owner@example.com",
            standing: stripe_emulator::seed::Standing::Active,
        };
        let now = s.now();
        let account = stripe_emulator::seed::account_object(&id, &spec, now, now);
        *s.get_mut(&None, &id).expect("account") = account;
        id
    }

    /// A card payment of `amount` USD cents on `account`, authorized and waiting for capture.
    pub async fn authorized(&self, account: &str, amount: i64) -> Value {
        let amount = amount.to_string();
        let form = [
            ("amount", amount.as_str()),
            ("currency", "usd"),
            ("capture_method", "manual"),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
        ];
        self.post_as(account, "/v1/payment_intents", &form).await.ok()
    }

    /// A card payment of `amount` USD cents on `account` that the cardholder then disputes.
    pub async fn disputed(&self, account: &str, amount: i64) -> Value {
        let amount = amount.to_string();
        let form = [
            ("amount", amount.as_str()),
            ("currency", "usd"),
            ("payment_method", "pm_card_createDispute"),
            ("confirm", "true"),
        ];
        self.post_as(account, "/v1/payment_intents", &form).await.ok()
    }

    /// A succeeded card payment of `amount` on `account` (direct charge), returning the intent.
    pub async fn paid(&self, account: Option<&str>, amount: i64, currency: &str) -> Value {
        let amount = amount.to_string();
        let form = [
            ("amount", amount.as_str()),
            ("currency", currency),
            ("payment_method", "pm_card_visa"),
            ("confirm", "true"),
        ];
        match account {
            Some(a) => self.post_as(a, "/v1/payment_intents", &form).await.ok(),
            None => self.post("/v1/payment_intents", &form).await.ok(),
        }
    }
}
