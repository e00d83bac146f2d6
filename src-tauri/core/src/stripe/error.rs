//! Errors of the Stripe client layer, carrying what Stripe said (type, code, param, message) and
//! the request ID support needs.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StripeError {
    /// Stripe answered with an error body.
    #[error("Stripe refused the request ({status} {kind}): {message}")]
    Api {
        status: u16,
        /// `invalid_request_error`, `card_error`, `api_error`, …
        kind: String,
        code: Option<String>,
        param: Option<String>,
        message: String,
        request_id: Option<String>,
    },
    /// No answer: DNS, connection refused, TLS, timeout.
    #[error("could not reach Stripe at {base_url}: {detail}")]
    Network { base_url: String, detail: String },
    /// An answer we could not read.
    #[error("unexpected answer from Stripe (request {request_id:?}): {detail}")]
    Decode { request_id: Option<String>, detail: String },
    /// The configured API base URL is not a usable http(s) URL.
    #[error("the API base URL {0:?} is not a valid http or https URL")]
    BadBaseUrl(String),
}

impl StripeError {
    pub fn status(&self) -> Option<u16> {
        match self {
            StripeError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            StripeError::Api { request_id, .. } | StripeError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}
