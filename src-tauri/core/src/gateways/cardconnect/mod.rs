//! Our client for the CardPointe Gateway REST API (CardConnect): JSON over HTTPS with HTTP Basic
//! credentials per site, at `https://{site}.cardconnect.com/cardconnect/rest/…`.
//!
//! Two rules shape it. Approval is `respstat` A, never the HTTP status: every money call answers
//! HTTP 200, and a `C` (declined, refused) or `B` (try again) becomes [`CardConnectError`]. And
//! CardPointe has no idempotency keys, so money calls (auth, capture, void, refund) are sent
//! exactly once and never retried here: the caller records an order ID before sending and settles
//! any doubt with [`CardConnectClient::inquire_by_orderid`]. Only reads are retried, with bounded
//! back-off and jitter ([`crate::gateways::retry`]). Amounts are minor units in and out.

mod amount;
mod credentials;
mod error;
pub mod gateway;
mod mapping;
mod reports;
mod requests;

use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

pub use credentials::{ApiPassword, Credentials};
pub use error::CardConnectError;
pub use reports::{Deposit, MerchantInfo, SettledTxn, Settlement};
pub use requests::{AuthRequest, PaymentAccount, RefundRequest};

use crate::gateways::Transaction;
use crate::gateways::{retry, stripe};
use mapping::text;

/// A client for one site's credentials. Cheap to clone (the connection pool is shared).
#[derive(Clone, Debug)]
pub struct CardConnectClient {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    policy: retry::Policy,
}

/// A read's answer: JSON, or the plain text some reports answer ("Null batches").
enum Body {
    Json(Value),
    Text(String),
}

impl CardConnectClient {
    /// A client for the Gateway at `base_url` (`https://{site}.cardconnect.com`, or a local
    /// emulator's `http://127.0.0.1:PORT`; plain http is refused for anything but this computer).
    /// Redirects are not followed (they could carry the credentials elsewhere); TLS 1.2 or newer.
    pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, CardConnectError> {
        let base_url = stripe::normalise_base_url(base_url).map_err(|err| match err {
            stripe::StripeError::BadBaseUrl(stripe::BadUrl::PlainHttp) => {
                CardConnectError::BadBaseUrl("it must use https (plain http only for this computer)")
            }
            _ => CardConnectError::BadBaseUrl("it is not a valid https address"),
        })?;
        let http = crate::gateways::http_client().map_err(|e| CardConnectError::Network {
            base_url: base_url.clone(),
            detail: e.to_string(),
            may_have_reached: false,
        })?;
        Ok(Self { http, base_url, credentials, policy: retry::Policy::default() })
    }

    /// A client for a CardPointe site by name (`fts-uat` → `https://fts-uat.cardconnect.com`).
    pub fn for_site(site: &str, credentials: Credentials) -> Result<Self, CardConnectError> {
        Self::new(&site_url(site)?, credentials)
    }

    /// The same client with another retry policy for reads (tests use short waits).
    pub fn with_policy(mut self, policy: retry::Policy) -> Self {
        self.policy = policy;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Authorizes a payment, and captures it too when `capture` (a purchase). Sent once.
    pub async fn auth(&self, req: &AuthRequest) -> Result<Transaction, CardConnectError> {
        let mut body = json!({
            "merchid": requests::merchid(&req.merchid)?,
            "amount": amount::to_decimal(requests::positive(req.amount)?, &req.currency),
            "currency": req.currency.to_ascii_uppercase(),
            "orderid": requests::orderid(&req.orderid)?,
            "capture": if req.capture { "Y" } else { "N" },
        });
        match &req.account {
            PaymentAccount::Card { number, expiry } => {
                body["account"] = json!(number.trim());
                body["expiry"] = json!(expiry.trim());
            }
            PaymentAccount::Token { token, expiry } => {
                body["account"] = json!(token.trim());
                body["expiry"] = json!(expiry.trim());
            }
            PaymentAccount::Profile { profileid, acctid } => body["profile"] = json!(format!("{profileid}/{acctid}")),
        }
        let answer = self.money_call("auth", &body).await?;
        mapping::authorized(&answer, req)
    }

    /// Captures an authorization (`amount` below the authorized one captures less). Sent once.
    pub async fn capture(
        &self,
        merchid: &str,
        retref: &str,
        amount: Option<i64>,
        currency: &str,
    ) -> Result<Transaction, CardConnectError> {
        let answer = self.money_call("capture", &on_retref(merchid, retref, amount, currency)?).await?;
        mapping::captured(&answer, merchid.trim(), retref.trim(), currency)
    }

    /// Voids a transaction that has not settled: all of it, or (for an authorization not yet
    /// captured) `amount` of it. The answer's amount is what stays authorized. Sent once.
    pub async fn void(
        &self,
        merchid: &str,
        retref: &str,
        amount: Option<i64>,
        currency: &str,
    ) -> Result<Transaction, CardConnectError> {
        let answer = self.money_call("void", &on_retref(merchid, retref, amount, currency)?).await?;
        mapping::voided(&answer, merchid.trim(), currency)
    }

    /// Voids the (approved) transaction made with `orderid`, for when an authorization's answer
    /// was lost. CardPointe answers a repeat with the same approval, so sending it again after a
    /// lost answer is safe; this client still sends it once per call.
    pub async fn void_by_order_id(
        &self,
        merchid: &str,
        orderid: &str,
        currency: &str,
    ) -> Result<Transaction, CardConnectError> {
        let body = json!({ "merchid": requests::merchid(merchid)?, "orderid": requests::orderid(orderid)? });
        let answer = self.money_call("voidByOrderId", &body).await?;
        mapping::voided(&answer, merchid.trim(), currency)
    }

    /// Refunds a settled payment, in full (`amount` `None`) or in part, under the merchant ID of
    /// the payment and an order ID of the refund's own. Sent once.
    pub async fn refund(&self, req: &RefundRequest) -> Result<Transaction, CardConnectError> {
        let mut body = json!({
            "merchid": requests::merchid(&req.merchid)?,
            "retref": requests::retref(&req.retref)?,
            "orderid": requests::orderid(&req.orderid)?,
        });
        if let Some(a) = req.amount {
            body["amount"] = json!(amount::to_decimal(requests::positive(a)?, &req.currency));
        }
        let answer = self.money_call("refund", &body).await?;
        mapping::refunded(&answer, req)
    }

    /// One transaction by retrieval reference; `None` when CardPointe has no such transaction for
    /// this merchant ID. A declined transaction is returned (status failed), not an error.
    pub async fn inquire(&self, merchid: &str, retref: &str) -> Result<Option<Transaction>, CardConnectError> {
        let path = ["inquire", requests::retref(retref)?, requests::merchid(merchid)?];
        let answer = self.read(&path, &[]).await?.json()?;
        let mut found = records(answer)?;
        Ok(if found.is_empty() { None } else { Some(found.remove(0)) })
    }

    /// Every transaction this merchant ID made with `orderid`, oldest first; empty when none (for
    /// a payment whose answer was lost: it did not happen).
    pub async fn inquire_by_orderid(&self, merchid: &str, orderid: &str) -> Result<Vec<Transaction>, CardConnectError> {
        // `1`: only this merchant ID, not every merchant on the site.
        let path = ["inquireByOrderid", requests::orderid(orderid)?, requests::merchid(merchid)?, "1"];
        records(self.read(&path, &[]).await?.json()?)
    }

    /// The merchant ID's configuration: a cheap check that the credentials work for it.
    pub async fn inquire_merchant(&self, merchid: &str) -> Result<MerchantInfo, CardConnectError> {
        let answer = self.read(&["inquireMerchant", requests::merchid(merchid)?], &[]).await?.json()?;
        refused(&answer)?;
        reports::merchant(&answer)
    }

    /// The merchant's batches settled on `date` (CardPointe answers this for dates of the
    /// current calendar year only), amounts in `currency`.
    pub async fn settlestat(
        &self,
        merchid: &str,
        date: NaiveDate,
        currency: &str,
    ) -> Result<Vec<Settlement>, CardConnectError> {
        if date.year() != chrono::Utc::now().year() {
            return Err(CardConnectError::BadInput(
                "CardPointe's settlement status covers this calendar year only; use the deposits (funding) for earlier dates."
                    .into(),
            ));
        }
        let query = [("merchid", requests::merchid(merchid)?.to_string()), ("date", date.format("%m%d").to_string())];
        match self.read(&["settlestat"], &query).await? {
            Body::Text(text) if text.trim().eq_ignore_ascii_case("null batches") => Ok(Vec::new()),
            Body::Text(text) => Err(unreadable(&text)),
            Body::Json(answer) => {
                refused(&answer)?;
                reports::settlements(&answer, currency)
            }
        }
    }

    /// The merchant's deposits dated `date`, with the transactions each paid out.
    pub async fn funding(&self, merchid: &str, date: NaiveDate) -> Result<Vec<Deposit>, CardConnectError> {
        // MMDD for this year, YYYYMMDD for earlier years, as the API documents.
        let day = if date.year() == chrono::Utc::now().year() { date.format("%m%d") } else { date.format("%Y%m%d") };
        let merchid = requests::merchid(merchid)?;
        let query = [("merchid", merchid.to_string()), ("date", day.to_string())];
        let answer = self.read(&["funding"], &query).await?.json()?;
        refused(&answer)?;
        if let Some(message) = text(&answer, "errormsg") {
            if message.to_ascii_lowercase().contains("no deposits") {
                return Ok(Vec::new());
            }
            return Err(CardConnectError::Decode { detail: format!("CardPointe said: {message}") });
        }
        reports::deposits(&answer, merchid)
    }

    /// POSTs a money call once and judges its `respstat`. Never retried: a second attempt could
    /// charge or refund twice.
    async fn money_call(&self, endpoint: &str, body: &Value) -> Result<Value, CardConnectError> {
        let url = self.url(&[endpoint], &[])?;
        let response = self
            .http
            .post(url)
            .basic_auth(self.credentials.user(), Some(self.credentials.password().expose()))
            .json(body)
            .send()
            .await
            .map_err(|e| self.network(e))?;
        let answer = self.answer(response).await?.json()?;
        judge(answer)
    }

    /// GETs a read, retried on no answer, 429 and 5xx with bounded back-off and jitter.
    async fn read(&self, segments: &[&str], query: &[(&str, String)]) -> Result<Body, CardConnectError> {
        let url = &self.url(segments, query)?;
        retry::drive(&self.policy, "CardPointe read", move || async move {
            let sent = self
                .http
                .get(url.clone())
                .basic_auth(self.credentials.user(), Some(self.credentials.password().expose()))
                .send()
                .await;
            match sent {
                Err(e) => (Err(self.network(e)), retry::Outcome::NoAnswer),
                Ok(response) => {
                    let status = response.status().as_u16();
                    // UAT rate-limits reads and says when to come back.
                    let retry_after = response
                        .headers()
                        .get("x-rate-limit-retry-after-seconds")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let result = self.answer(response).await;
                    let outcome = match &result {
                        Err(CardConnectError::Network { .. }) => retry::Outcome::NoAnswer,
                        _ => retry::Outcome::Answer { status, should_retry: None, retry_after },
                    };
                    (result, outcome)
                }
            }
        })
        .await
    }

    /// The answer's body, or the HTTP error it is.
    async fn answer(&self, response: reqwest::Response) -> Result<Body, CardConnectError> {
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|e| self.network(e))?;
        let text = String::from_utf8_lossy(&bytes).to_string();
        match status {
            200..=299 => Ok(serde_json::from_str(&text).map_or(Body::Text(text), Body::Json)),
            401 => Err(CardConnectError::WrongCredentials),
            _ => Err(CardConnectError::Http { status, detail: summary(&text) }),
        }
    }

    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Result<url::Url, CardConnectError> {
        let mut url = url::Url::parse(&self.base_url)
            .map_err(|_| CardConnectError::BadBaseUrl("it is not a valid https address"))?;
        url.path_segments_mut()
            .map_err(|_| CardConnectError::BadBaseUrl("it is not a valid https address"))?
            .pop_if_empty()
            .extend(["cardconnect", "rest"])
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    fn network(&self, err: reqwest::Error) -> CardConnectError {
        // reqwest's Display includes the URL, never headers, so the password cannot leak here.
        let detail = if err.is_timeout() {
            "the request timed out".to_string()
        } else if err.is_connect() {
            "the connection could not be made".to_string()
        } else {
            err.to_string()
        };
        // Only a connection never made (or a request never built) certainly did not arrive.
        let may_have_reached = !(err.is_connect() || err.is_builder());
        CardConnectError::Network { base_url: self.base_url.clone(), detail, may_have_reached }
    }
}

impl Body {
    fn json(self) -> Result<Value, CardConnectError> {
        match self {
            Body::Json(value) => Ok(value),
            Body::Text(text) => Err(unreadable(&text)),
        }
    }
}

/// The body of a capture or a void: both name the transaction by merchant ID and retref, with an
/// amount only for part of it.
fn on_retref(merchid: &str, retref: &str, amount: Option<i64>, currency: &str) -> Result<Value, CardConnectError> {
    let mut body = json!({ "merchid": requests::merchid(merchid)?, "retref": requests::retref(retref)? });
    if let Some(a) = amount {
        body["amount"] = json!(amount::to_decimal(requests::positive(a)?, currency));
    }
    Ok(body)
}

/// `https://{site}.cardconnect.com` for a site name CardPointe issued (letters, digits, dashes).
pub fn site_url(site: &str) -> Result<String, CardConnectError> {
    let site = site.trim().to_ascii_lowercase();
    let valid = !site.is_empty()
        && site.len() <= 63
        && site.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !site.starts_with('-')
        && !site.ends_with('-');
    if !valid {
        return Err(CardConnectError::BadInput(
            "A CardPointe site name has only letters, digits and dashes, like fts or fts-uat.".into(),
        ));
    }
    Ok(format!("https://{site}.cardconnect.com"))
}

/// Approval is `respstat` A: B asks to retry, C declines or refuses.
fn judge(answer: Value) -> Result<Value, CardConnectError> {
    let field = |k: &str| text(&answer, k).unwrap_or_default();
    match text(&answer, "respstat").as_deref() {
        Some("A") => Ok(answer),
        Some("B") => Err(CardConnectError::Retry {
            respcode: field("respcode"),
            resptext: field("resptext"),
            retref: text(&answer, "retref"),
        }),
        Some("C") => Err(CardConnectError::Declined {
            respproc: field("respproc"),
            respcode: field("respcode"),
            resptext: field("resptext"),
        }),
        _ => Err(CardConnectError::Decode { detail: "the answer has no respstat".into() }),
    }
}

/// A report answered with a refusal (e.g. an unknown merchant ID) instead of its data.
fn refused(answer: &Value) -> Result<(), CardConnectError> {
    if answer.get("respstat").is_some() {
        judge(answer.clone())?;
    }
    Ok(())
}

/// The transactions of an inquiry's answer: one record, several, or CardPointe's "Txn not found".
fn records(answer: Value) -> Result<Vec<Transaction>, CardConnectError> {
    match answer {
        Value::Array(items) => items.iter().map(mapping::inquired).collect(),
        one if mapping::is_record(&one) => Ok(vec![mapping::inquired(&one)?]),
        refusal => match judge(refusal) {
            Err(err) if err.is_txn_not_found() => Ok(Vec::new()),
            Err(err) => Err(err),
            Ok(_) => Err(CardConnectError::Decode { detail: "an approval without a transaction".into() }),
        },
    }
}

fn unreadable(text: &str) -> CardConnectError {
    CardConnectError::Decode { detail: format!("expected JSON, got \"{}\"", summary(text)) }
}

/// A short, single-line excerpt of a body for an error message (HTML pages are left out).
fn summary(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('<') {
        return String::new();
    }
    text.chars().filter(|c| !c.is_control()).take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> Result<CardConnectClient, CardConnectError> {
        CardConnectClient::new(base, Credentials::new("user", ApiPassword::new("pw")).unwrap())
    }

    #[test]
    fn addresses_are_checked_and_paths_encoded() {
        assert_eq!(site_url("FTS-UAT").unwrap(), "https://fts-uat.cardconnect.com");
        assert!(site_url("evil.com/").is_err());
        assert!(matches!(client("http://gateway.example.com"), Err(CardConnectError::BadBaseUrl(_))));
        let c = client("http://127.0.0.1:9/").unwrap();
        let url = c.url(&["inquireByOrderid", "HV 1/2", "496400000113", "1"], &[]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/cardconnect/rest/inquireByOrderid/HV%201%2F2/496400000113/1");
        let url = c.url(&["funding"], &[("merchid", "1".into()), ("date", "0105".into())]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/cardconnect/rest/funding?merchid=1&date=0105");
        assert!(!format!("{c:?}").contains("\"pw\""), "{c:?}");
    }

    #[test]
    fn respstat_decides_not_the_status() {
        assert!(judge(json!({ "respstat": "A" })).is_ok());
        assert!(matches!(judge(json!({ "respstat": "B", "respcode": "62" })), Err(CardConnectError::Retry { .. })));
        let declined =
            judge(json!({ "respstat": "C", "respproc": "FNOR", "respcode": "05", "resptext": "Do not honor" }));
        assert!(matches!(declined, Err(CardConnectError::Declined { ref respcode, .. }) if respcode == "05"));
        assert!(matches!(judge(json!({})), Err(CardConnectError::Decode { .. })));
        assert_eq!(
            records(json!({ "respstat": "C", "respproc": "PPS", "respcode": "29", "resptext": "Txn not found" }))
                .unwrap(),
            vec![]
        );
    }
}
