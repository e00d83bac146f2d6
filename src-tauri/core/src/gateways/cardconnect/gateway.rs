//! CardConnect behind the door's [`Gateway`] seam. CardPointe has no idempotency keys, so each
//! money call carries an order ID of its own, journalled before it leaves; a call with no definite
//! answer is settled by `inquireByOrderid` — it happened, or it did not — and never sent again
//! blindly. A call CardPointe answered with "no" (respstat C, B, wrong credentials, bad input)
//! did nothing.

use super::{CardConnectClient, CardConnectError, RefundRequest};
use crate::gateways::{Approved, Gateway, GatewayError, GatewayKind, Outcome, Refusal, Settle, Transaction, TxStatus};
use crate::store::journal::Entry;

/// How long after a call was journalled an inquiry that finds nothing proves it never happened.
/// This client waits up to 60 s for an answer and CardPointe up to 32 s for the processor, so a
/// request that reached CardPointe is on record by then; before that it may still be processing
/// (a process killed after the request left, a connection reset early), and a new call asked on
/// an early "never happened" could refund twice.
pub const NOT_MADE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// The endpoints the door sends: the journal's `path`.
pub const REFUND: &str = "refund";
pub const VOID: &str = "void";
pub const CAPTURE: &str = "capture";

fn param<'a>(entry: &'a Entry, name: &str) -> Option<&'a str> {
    entry.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn required<'a>(entry: &'a Entry, name: &str) -> Result<&'a str, CardConnectError> {
    param(entry, name).ok_or_else(|| CardConnectError::BadInput(format!("The journalled call has no {name}.")))
}

/// The minor-unit amount of a journalled call, if it names one.
fn amount(entry: &Entry) -> Result<Option<i64>, CardConnectError> {
    param(entry, "amount")
        .map(|a| {
            a.parse::<i64>().map_err(|_| CardConnectError::BadInput(format!("{a:?} is not an amount in minor units.")))
        })
        .transpose()
}

/// Sends a journalled call once.
async fn call(client: &CardConnectClient, entry: &Entry) -> Result<Transaction, CardConnectError> {
    let merchid = required(entry, "merchid")?;
    let currency = param(entry, "currency").unwrap_or("usd");
    match entry.path.as_str() {
        REFUND => {
            let request = RefundRequest {
                merchid: merchid.to_string(),
                retref: required(entry, "retref")?.to_string(),
                amount: amount(entry)?,
                currency: currency.to_string(),
                orderid: required(entry, "orderid")?.to_string(),
            };
            client.refund(&request).await
        }
        VOID => client.void(merchid, required(entry, "retref")?, amount(entry)?, currency).await,
        CAPTURE => client.capture(merchid, required(entry, "retref")?, amount(entry)?, currency).await,
        other => Err(CardConnectError::BadInput(format!("Merchant Desk does not send {other:?} to CardPointe."))),
    }
}

/// Sorts CardPointe's answer into the three outcomes.
pub fn classify(result: Result<Transaction, CardConnectError>) -> Outcome {
    match result {
        Ok(txn) => {
            let request_id = Some(txn.reference.clone());
            match serde_json::to_value(&txn) {
                Ok(value) => Outcome::Succeeded(Approved { value, request_id }),
                Err(e) => {
                    let err = CardConnectError::Decode { detail: e.to_string() };
                    Outcome::Unknown(why_unknown(&err), err.into())
                }
            }
        }
        Err(err) if err.outcome_unknown() => Outcome::Unknown(why_unknown(&err), err.into()),
        Err(err) => {
            let refusal = match &err {
                CardConnectError::Declined { respproc, respcode, resptext } => Refusal {
                    http_status: Some(200),
                    request_id: None,
                    kind: respproc.clone(),
                    code: Some(respcode.clone()),
                    message: resptext.clone(),
                },
                CardConnectError::Retry { respcode, resptext, retref } => Refusal {
                    http_status: Some(200),
                    request_id: retref.clone(),
                    kind: "retry".into(),
                    code: Some(respcode.clone()),
                    message: resptext.clone(),
                },
                other => Refusal {
                    http_status: match other {
                        CardConnectError::WrongCredentials => Some(401),
                        CardConnectError::Http { status, .. } => Some(*status),
                        _ => None,
                    },
                    request_id: None,
                    kind: "refused".into(),
                    code: None,
                    message: other.to_string(),
                },
            };
            Outcome::Failed(refusal, err.into())
        }
    }
}

/// Why an answer did not settle a call, in words for people.
fn why_unknown(err: &CardConnectError) -> String {
    match err {
        CardConnectError::Network { .. } => {
            "no answer arrived from CardPointe: the connection dropped or timed out".into()
        }
        CardConnectError::Http { status, .. } => format!("CardPointe answered with a server error ({status})"),
        CardConnectError::Decode { .. } => "CardPointe's answer could not be read".into(),
        other => other.to_string(),
    }
}

impl Gateway for CardConnectClient {
    fn kind(&self) -> GatewayKind {
        GatewayKind::CardConnect
    }

    /// The site's address and the API user (never the password).
    fn connection(&self) -> String {
        format!("cardconnect {} {}", self.base_url(), self.credentials().user())
    }

    async fn send(&self, entry: &Entry) -> Outcome {
        classify(call(self, entry).await)
    }

    /// Asks CardPointe for the transactions made with the call's own order ID: an approved one
    /// means it happened; none, [`NOT_MADE_AFTER`] after the call was made, means it never did
    /// (so a person may ask again). Nothing is sent.
    async fn settle(&self, entry: &Entry, how: &Settle, age: chrono::TimeDelta) -> (Option<Outcome>, &'static str) {
        let Settle::Inquire { merchid, orderid } = how else {
            tracing::warn!(key = %entry.key, "a CardConnect call without an order ID cannot be settled by inquiry");
            return (None, "inquiry");
        };
        match self.inquire_by_orderid(merchid, orderid).await {
            Ok(found) => match found.into_iter().find(|t| t.status != TxStatus::Failed) {
                Some(txn) => (Some(classify(Ok(txn))), "inquiry"),
                // Not on record yet is not "never": it stays unfinished, blocking its restaurant.
                None if age < NOT_MADE_AFTER => (None, "inquiry"),
                None => (
                    Some(Outcome::NotMade(format!("CardPointe has no approved transaction with order ID {orderid}"))),
                    "inquiry",
                ),
            },
            Err(err) => {
                tracing::info!(key = %entry.key, error = %err, "could not inquire about an unfinished call; will try again");
                (None, "inquiry")
            }
        }
    }
}

impl From<CardConnectError> for GatewayError {
    fn from(err: CardConnectError) -> Self {
        GatewayError::CardConnect(err)
    }
}
