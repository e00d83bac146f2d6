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
    /// The API address is not usable. What was typed is not kept: it may be a pasted key.
    #[error("{0}")]
    BadBaseUrl(BadUrl),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadUrl {
    #[error("the API address is not a valid https URL")]
    NotAUrl,
    #[error("the API address must use https (plain http only for this computer, e.g. http://127.0.0.1:12111)")]
    PlainHttp,
    /// Checked wherever a client is made, so a stored live key never reaches another address.
    #[error("a live key is only ever sent to https://api.stripe.com; nothing was sent to this API address")]
    LiveKeyOffStripe,
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
