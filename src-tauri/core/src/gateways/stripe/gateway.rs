//! Stripe behind the door's [`Gateway`] seam: a journalled call is sent with its idempotency key;
//! an unknown one is sent again with the same key within [`RETRY_WINDOW`] (Stripe forgets keys
//! after 24 hours) and looked up after that, never sent as a new call.

use serde_json::Value;

use super::lookup::look_up;
use super::{Response, StripeClient, StripeError};
use crate::gateways::{Approved, Found, Gateway, GatewayKind, Outcome, Refusal, Settle};
use crate::store::journal::Entry;

/// How long after journalling a call may be sent again with its key: Stripe keeps keys for 24
/// hours; an hour's margin covers clocks and a slow start.
pub const RETRY_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(23);

/// Sorts a Stripe answer into the three outcomes: a 4xx other than 409, 429 and
/// `idempotency_error` is a definite no; no answer, 409, 429 and 5xx leave it unknown.
pub fn classify(result: Result<Response<Value>, StripeError>) -> Outcome {
    match result {
        Ok(response) => Outcome::Succeeded(Approved { value: response.raw, request_id: response.request_id }),
        Err(StripeError::Api { status, kind, code, param, message, request_id })
            if (400..500).contains(&status) && status != 409 && status != 429 && kind != "idempotency_error" =>
        {
            let refusal = Refusal {
                http_status: Some(status),
                request_id: request_id.clone(),
                kind: kind.clone(),
                code: code.clone(),
                message: message.clone(),
            };
            Outcome::Failed(refusal, StripeError::Api { status, kind, code, param, message, request_id }.into())
        }
        Err(err) => Outcome::Unknown(why_unknown(&err), err.into()),
    }
}

/// Why an answer did not settle a call, in words for people (never a URL or a key).
pub fn why_unknown(err: &StripeError) -> String {
    match err {
        StripeError::Network { .. } => "no answer arrived: the connection dropped or timed out".into(),
        StripeError::Decode { .. } => "the answer could not be read".into(),
        StripeError::Api { kind, .. } if kind == "idempotency_error" => {
            "Stripe could not match the request to its first attempt".into()
        }
        StripeError::Api { status: 409, .. } => "Stripe was still working on an earlier attempt".into(),
        StripeError::Api { status: 429, .. } => "Stripe kept asking to slow down".into(),
        StripeError::Api { status, .. } => format!("Stripe answered with a server error ({status})"),
        StripeError::BadBaseUrl(why) => why.to_string(),
    }
}

impl Gateway for StripeClient {
    fn kind(&self) -> GatewayKind {
        GatewayKind::Stripe
    }

    /// The API address and the masked key: a call is replayed only with the key that made it.
    fn connection(&self) -> String {
        format!("{} {}", self.base_url(), self.key().masked())
    }

    async fn send(&self, entry: &Entry) -> Outcome {
        classify(self.post(&entry.path, &entry.params, entry.account.as_deref(), &entry.key).await)
    }

    async fn settle(&self, entry: &Entry, how: &Settle, age: chrono::TimeDelta) -> (Option<Outcome>, &'static str) {
        if age < RETRY_WINDOW && !matches!(how, Settle::Read { .. }) {
            return match self.send(entry).await {
                // The key lost its rights or the account is gone: that says nothing of the first try.
                Outcome::Failed(Refusal { http_status: Some(401 | 403 | 404), .. }, _) => (None, "retry"),
                outcome => (Some(outcome), "retry"),
            };
        }
        let found = match look_up(self, entry, how).await {
            Ok(found) => found,
            Err(err) => {
                tracing::info!(key = %entry.key, error = %err, "could not look up an unfinished call; will try again");
                return (None, "lookup");
            }
        };
        match found {
            Found::Made(value) => (Some(Outcome::Succeeded(Approved { value, request_id: None })), "lookup"),
            Found::NotMade(why) => (Some(Outcome::NotMade(why)), "lookup"),
            Found::Superseded(value) => (Some(Outcome::Superseded(value)), "lookup"),
            Found::CannotTell(why) => {
                tracing::info!(key = %entry.key, %why, "an unfinished call cannot be settled by lookup yet");
                (None, "lookup")
            }
        }
    }
}
