//! What the Gateway does, one module per kind of request. The HTTP handlers and the demo seed call
//! the same functions, so seeded history is made exactly as API calls would make it. Each returns
//! the JSON answer CardPointe would give (an approval, a decline or a refusal, all HTTP 200).

pub mod authorize;
pub mod reads;
pub mod reverse;
pub mod settle;

use serde_json::Value;

use crate::codes::{gateway, Code};
use crate::model::{Merchant, Txn};
use crate::state::State;
use crate::wire;

/// The merchant a request names, or the answer that refuses it: none named or not boarded here
/// ("Invalid merchant"), or disabled.
pub(crate) fn merchant_for(state: &State, merchid: Option<&str>) -> Result<Merchant, Value> {
    let merchant = merchid
        .filter(|m| !m.is_empty())
        .and_then(|m| state.merchant(m))
        .ok_or_else(|| wire::refusal(gateway::INVALID_MERCHANT, None))?;
    if !merchant.enabled {
        return Err(wire::refusal(gateway::MERCHANT_DISABLED, None));
    }
    Ok(merchant.clone())
}

/// A refusal naming the transaction it is about.
pub(crate) fn refuse(code: Code, retref: &str) -> Value {
    wire::refusal(code, Some(retref))
}

/// A request on one of the merchant's transactions by retref (a capture, a void), with an amount
/// when it is for part of it.
#[derive(Debug, Clone, Default)]
pub struct RetrefReq {
    pub merchid: Option<String>,
    pub retref: Option<String>,
    pub amount: Option<Value>,
}

/// The merchant and the transaction a [`RetrefReq`] names, after the clock's due work, or the
/// refusal: the merchant's (see [`merchant_for`]), no retref, or no such transaction of that
/// merchant.
pub(crate) fn named_txn(state: &mut State, req: &RetrefReq) -> Result<(Merchant, Txn), Value> {
    settle::tick(state);
    let merchant = merchant_for(state, req.merchid.as_deref())?;
    let Some(retref) = req.retref.as_deref().filter(|r| !r.is_empty()) else {
        return Err(wire::refusal(gateway::INVALID_FIELD, None));
    };
    let txn = state.txn_of(&merchant.merchid, retref).cloned().ok_or_else(|| refuse(gateway::TXN_NOT_FOUND, retref))?;
    Ok((merchant, txn))
}
