//! Our Stripe client over reqwest: API version pinned to our spec copy, `Stripe-Account` per call,
//! timeouts, and Stripe's error bodies mapped to [`StripeError`].

mod error;
pub mod gateway;
pub mod limiter;
pub mod lookup;
pub mod models;
pub mod neutral;
pub mod upload;
/// Kept at its old path: the retry policy began as Stripe's and callers still name it here.
pub use crate::gateways::retry;

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use error::{BadUrl, StripeError};

use crate::keys::ApiKey;

/// The API version of `shared/stripe-openapi`, which every request pins.
pub const API_VERSION: &str = "2023-08-16";

/// Where Stripe lives unless a setting or `MERCHANT_DESK_STRIPE_API_BASE` says otherwise.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";

/// A decoded response plus the raw JSON and the request ID.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub value: T,
    pub raw: Value,
    pub request_id: Option<String>,
}

/// A client bound to one API key and base URL. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base_url: String,
    key: ApiKey,
    policy: retry::Policy,
    limiter: Option<std::sync::Arc<limiter::RateLimiter>>,
}

impl std::fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeClient").field("base_url", &self.base_url).field("key", &self.key).finish()
    }
}

/// Checks and normalises an API base URL (`https://host[:port]`, no trailing slash). Plain `http` is
/// accepted only for this machine (a local emulator), so a key never crosses a network unencrypted.
pub fn normalise_base_url(raw: &str) -> Result<String, StripeError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = url::Url::parse(trimmed).map_err(|_| StripeError::BadBaseUrl(BadUrl::NotAUrl))?;
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(StripeError::BadBaseUrl(BadUrl::NotAUrl));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(StripeError::BadBaseUrl(BadUrl::NotAUrl)),
    };
    match url.scheme() {
        "https" => Ok(trimmed.to_string()),
        "http" if loopback => Ok(trimmed.to_string()),
        "http" => Err(StripeError::BadBaseUrl(BadUrl::PlainHttp)),
        _ => Err(StripeError::BadBaseUrl(BadUrl::NotAUrl)),
    }
}

/// Whether a base URL is Stripe's own API.
pub fn is_stripe(base_url: &str) -> bool {
    url::Url::parse(base_url)
        .ok()
        .is_some_and(|u| u.scheme() == "https" && u.host_str() == Some("api.stripe.com") && u.port().is_none())
}

impl StripeClient {
    /// A client for `key` at `base_url`. A live key is refused anywhere but Stripe's own API, here
    /// where every client (app, command line, start-up) is made. Redirects are not followed (a
    /// redirect could carry the key elsewhere), and TLS is 1.2 or newer.
    pub fn new(base_url: &str, key: ApiKey) -> Result<Self, StripeError> {
        let base_url = normalise_base_url(base_url)?;
        if key.mode() == crate::keys::KeyMode::Live && !is_stripe(&base_url) {
            return Err(StripeError::BadBaseUrl(BadUrl::LiveKeyOffStripe));
        }
        let http = crate::gateways::http_client()
            .map_err(|e| StripeError::Network { base_url: base_url.clone(), detail: e.to_string() })?;
        Ok(Self { http, base_url, key, policy: retry::Policy::default(), limiter: None })
    }

    /// The same client, with every attempt (retries too) going through `limiter`.
    pub fn with_limiter(mut self, limiter: std::sync::Arc<limiter::RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The same client with another retry policy (tests use short waits).
    pub fn with_policy(mut self, policy: retry::Policy) -> Self {
        self.policy = policy;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn key(&self) -> &ApiKey {
        &self.key
    }

    /// `GET path?query`, as the platform (`account = None`) or as a connected account, retried
    /// on transient failures.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        account: Option<&str>,
    ) -> Result<Response<T>, StripeError> {
        self.with_retries("GET", path, || {
            let mut request = self
                .http
                .get(format!("{}{}", self.base_url, path))
                .bearer_auth(self.key.expose())
                .header("Stripe-Version", API_VERSION)
                .query(query);
            if let Some(account) = account {
                request = request.header("Stripe-Account", account);
            }
            request
        })
        .await
    }

    /// `POST path` with form parameters and an idempotency key, retried with the same key, so the
    /// effect happens once however many attempts it takes. Use [`crate::money_calls`] for anything
    /// that moves money: it journals the key before the first attempt.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(String, String)],
        account: Option<&str>,
        idempotency_key: &str,
    ) -> Result<Response<T>, StripeError> {
        self.with_retries("POST", path, || {
            let mut request = self
                .http
                .post(format!("{}{}", self.base_url, path))
                .bearer_auth(self.key.expose())
                .header("Stripe-Version", API_VERSION)
                .header("Idempotency-Key", idempotency_key)
                .form(form);
            if let Some(account) = account {
                request = request.header("Stripe-Account", account);
            }
            request
        })
        .await
    }

    async fn with_retries<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Response<T>, StripeError> {
        let endpoint = limiter::endpoint_of(method, path);
        let (endpoint, build) = (&endpoint, &build);
        retry::drive(&self.policy, "Stripe request", move || async move {
            if let Some(limiter) = &self.limiter {
                limiter.acquire(endpoint).await;
            }
            match build().send().await {
                Err(e) => (Err(self.network(e)), retry::Outcome::NoAnswer),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let header =
                        |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
                    let should_retry = header("stripe-should-retry").map(|v| v == "true");
                    let retry_after =
                        header("retry-after").and_then(|v| v.parse::<u64>().ok()).map(Duration::from_secs);
                    let result = self.decode(response).await;
                    // An answer cut off mid-body is no answer.
                    let outcome = match &result {
                        Err(StripeError::Network { .. }) => retry::Outcome::NoAnswer,
                        _ => retry::Outcome::Answer { status, should_retry, retry_after },
                    };
                    (result, outcome)
                }
            }
        })
        .await
    }

    /// Every object of a list endpoint as an async stream, 100 per page, following
    /// `starting_after`; the next page is requested only when the stream is read that far.
    pub fn list_stream<'a, T: DeserializeOwned + 'a>(
        &'a self,
        path: &'a str,
        account: Option<&'a str>,
    ) -> impl futures_util::Stream<Item = Result<(T, Value), StripeError>> + 'a {
        self.list_stream_where(path, Vec::new(), account)
    }

    /// [`StripeClient::list_stream`] with filters and `expand[]` added to every page's query.
    pub fn list_stream_where<'a, T: DeserializeOwned + 'a>(
        &'a self,
        path: &'a str,
        filters: Vec<(&'static str, String)>,
        account: Option<&'a str>,
    ) -> impl futures_util::Stream<Item = Result<(T, Value), StripeError>> + 'a {
        struct Cursor {
            after: Option<String>,
            buffered: std::collections::VecDeque<Value>,
            done: bool,
            request_id: Option<String>,
        }
        let start = Cursor { after: None, buffered: Default::default(), done: false, request_id: None };
        futures_util::stream::unfold(start, move |mut c| {
            let filters = filters.clone();
            async move {
                loop {
                    if let Some(raw) = c.buffered.pop_front() {
                        let item = serde_json::from_value(raw.clone()).map(|v| (v, raw)).map_err(|e| {
                            StripeError::Decode { request_id: c.request_id.clone(), detail: e.to_string() }
                        });
                        return Some((item, c));
                    }
                    if c.done {
                        return None;
                    }
                    let mut query = filters.clone();
                    query.push(("limit", "100".to_string()));
                    if let Some(id) = &c.after {
                        query.push(("starting_after", id.clone()));
                    }
                    let page: Response<Value> = match self.get(path, &query, account).await {
                        Ok(page) => page,
                        Err(err) => {
                            c.done = true;
                            return Some((Err(err), c));
                        }
                    };
                    let items = match page.raw.get("data") {
                        Some(Value::Array(items)) => items.clone(),
                        _ => {
                            c.done = true;
                            let err =
                                StripeError::Decode { request_id: page.request_id, detail: "list without data".into() };
                            return Some((Err(err), c));
                        }
                    };
                    c.after = items.last().and_then(|v| v["id"].as_str()).map(str::to_string);
                    c.done = page.raw["has_more"] != true || c.after.is_none();
                    c.request_id = page.request_id;
                    c.buffered.extend(items);
                }
            }
        })
    }

    /// Every object of a list endpoint (see [`StripeClient::list_stream`]).
    pub async fn list_all<T: DeserializeOwned>(
        &self,
        path: &str,
        account: Option<&str>,
    ) -> Result<Vec<(T, Value)>, StripeError> {
        use futures_util::TryStreamExt;
        self.list_stream(path, account).try_collect().await
    }

    fn network(&self, err: reqwest::Error) -> StripeError {
        // reqwest's Display includes the URL, never headers, so the key cannot leak here.
        let detail = if err.is_timeout() {
            "the request timed out".to_string()
        } else if err.is_connect() {
            "the connection was refused or could not be made".to_string()
        } else {
            err.to_string()
        };
        StripeError::Network { base_url: self.base_url.clone(), detail }
    }

    async fn decode<T: DeserializeOwned>(&self, response: reqwest::Response) -> Result<Response<T>, StripeError> {
        let status = response.status().as_u16();
        let request_id = response.headers().get("request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = response.bytes().await.map_err(|e| self.network(e))?;
        let raw: Value = serde_json::from_slice(&bytes).map_err(|e| StripeError::Decode {
            request_id: request_id.clone(),
            detail: format!("HTTP {status}, body is not JSON: {e}"),
        })?;
        if !(200..300).contains(&status) {
            let err = &raw["error"];
            let text = |v: &Value| v.as_str().map(str::to_string);
            return Err(StripeError::Api {
                status,
                kind: text(&err["type"]).unwrap_or_else(|| "api_error".into()),
                code: text(&err["code"]),
                param: text(&err["param"]),
                message: text(&err["message"]).unwrap_or_else(|| format!("HTTP {status} without a message")),
                request_id,
            });
        }
        // Read from the parsed JSON in place: a page of 100 objects is not copied to be typed.
        let value = <T as serde::Deserialize>::deserialize(&raw)
            .map_err(|e| StripeError::Decode { request_id: request_id.clone(), detail: e.to_string() })?;
        Ok(Response { value, raw, request_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(normalise_base_url("http://127.0.0.1:12111/").unwrap(), "http://127.0.0.1:12111");
        assert_eq!(normalise_base_url("http://localhost:12111").unwrap(), "http://localhost:12111");
        assert_eq!(normalise_base_url(DEFAULT_API_BASE).unwrap(), DEFAULT_API_BASE);
        assert!(normalise_base_url("ftp://x").is_err());
        assert!(normalise_base_url("not a url").is_err());
        assert!(normalise_base_url("https://x/?a=b").is_err());
        assert_eq!(
            normalise_base_url("http://stripe-proxy.example.com"),
            Err(StripeError::BadBaseUrl(BadUrl::PlainHttp))
        );
        // Whatever was typed is never echoed (it may be a key pasted into the wrong field).
        let err = normalise_base_url("sk_live_51SecretSecretSecret").unwrap_err();
        assert!(!err.to_string().contains("sk_live"), "{err}");
        assert!(is_stripe("https://api.stripe.com") && !is_stripe("http://127.0.0.1:1"));
    }
}
