//! How a money call to any gateway ended, as far as is known: the door journals and audits these
//! the same way whichever gateway answered.

use serde_json::Value;

use super::cardconnect::CardConnectError;
use super::stripe::StripeError;

/// Anything that went wrong talking to a gateway.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    CardConnect(CardConnectError),
}

impl GatewayError {
    /// The gateway's ID of the request, when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            GatewayError::Stripe(e) => e.request_id(),
            GatewayError::CardConnect(CardConnectError::Retry { retref, .. }) => retref.as_deref(),
            GatewayError::CardConnect(_) => None,
        }
    }
}

/// A definite "no" from a gateway, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    /// The gateway's kind of error (`card_error`, CardPointe's `respproc`, …).
    pub kind: String,
    pub code: Option<String>,
    /// The gateway's own sentence.
    pub message: String,
}

/// An approved answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Approved {
    pub value: Value,
    pub request_id: Option<String>,
}

/// How a call ended, as far as is known.
#[derive(Debug)]
pub enum Outcome {
    Succeeded(Approved),
    /// The gateway refused it definitively: nothing happened.
    Failed(Refusal, GatewayError),
    /// Maybe it happened, maybe not; `String` says why not known, in words for people.
    Unknown(String, GatewayError),
    /// A lookup found that it never happened (why, in words).
    NotMade(String),
    /// A lookup found that a settings change no longer shows: a later change won.
    Superseded(Value),
}
