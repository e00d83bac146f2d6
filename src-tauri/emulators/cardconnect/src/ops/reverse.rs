//! Giving money back: `void` (an authorization or a capture still in the open batch, so the card is
//! never charged), `voidByOrderId`, and `refund` (a settled transaction, in full or in part, named
//! with the merchant ID of its original authorization).

use serde_json::Value;

use super::{merchant_for, refuse};
use crate::amount;
use crate::codes::gateway;
use crate::model::{Setl, Txn, TxnKind};
use crate::state::{State, DAY};
use crate::wire;

/// A void by retref; an amount below the authorization's voids part of it.
pub type VoidReq = super::RetrefReq;

pub fn void(state: &mut State, req: VoidReq) -> Value {
    match super::named_txn(state, &req) {
        Ok((_, txn)) => void_txn(state, &txn.retref, req.amount.as_ref()),
        Err(answer) => answer,
    }
}

/// A void of the transaction made with an order ID, for when the authorization's answer was lost.
#[derive(Debug, Clone, Default)]
pub struct VoidByOrderReq {
    pub merchid: Option<String>,
    pub orderid: Option<String>,
    pub amount: Option<Value>,
}

pub fn void_by_orderid(state: &mut State, req: VoidByOrderReq) -> Value {
    super::settle::tick(state);
    let merchant = match merchant_for(state, req.merchid.as_deref()) {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let Some(orderid) = req.orderid.filter(|o| !o.is_empty()) else {
        return wire::refusal(gateway::INVALID_FIELD, None);
    };
    // Declined attempts are skipped, so an order retried after a decline voids the approval.
    let found = state
        .by_orderid(&orderid, Some(&merchant.merchid))
        .filter(|t| t.kind == TxnKind::Auth && t.setl != Setl::Declined)
        .last()
        .map(|t| t.retref.clone());
    match found {
        Some(retref) => void_txn(state, &retref, req.amount.as_ref()),
        None => wire::refusal(gateway::TXN_NOT_FOUND, None),
    }
}

fn void_txn(state: &mut State, retref: &str, amount: Option<&Value>) -> Value {
    let Some(txn) = state.txn(retref).cloned() else {
        return refuse(gateway::TXN_NOT_FOUND, retref);
    };
    match txn.setl {
        Setl::Declined | Setl::ZeroAmount => return refuse(gateway::TXN_NOT_FOUND, retref),
        // Answered again, so that voidByOrderId can be sent the three times CardPointe advises.
        Setl::Voided => return wire::voided(&txn),
        Setl::Accepted | Setl::Rejected => return refuse(gateway::TXN_BATCHED, retref),
        Setl::Authorized | Setl::QueuedForCapture => {}
    }
    if state.now() - txn.authdate > 30 * DAY {
        return refuse(gateway::VOID_AFTER_30_DAYS, retref);
    }
    // A capture with refunds against it (merchants allowed to refund before settlement) can no
    // longer be cancelled as a whole.
    if txn.refunded > 0 {
        return refuse(gateway::INVALID_FIELD, retref);
    }
    let requested = match amount.map(|a| amount::parse_request(a, &txn.currency)) {
        None | Some(Ok(0)) => txn.amount,
        Some(Ok(a)) if a > 0 && a <= txn.amount => a,
        Some(_) => return refuse(gateway::INVALID_AMOUNT, retref),
    };
    if requested < txn.amount {
        // Only an authorization not yet captured can be reduced; a capture is voided whole.
        if txn.setl != Setl::Authorized {
            return refuse(gateway::INVALID_AMOUNT, retref);
        }
        if let Some(t) = state.txn_mut(retref) {
            t.amount -= requested;
        }
    } else {
        cancel(state, &txn);
    }
    state.txn(retref).map_or_else(|| refuse(gateway::TXN_NOT_FOUND, retref), wire::voided)
}

/// Voids a whole transaction: out of its batch, and a voided refund gives its amount back.
fn cancel(state: &mut State, txn: &Txn) {
    if let Some(batchid) = &txn.batchid {
        if let Some(batch) = state.batch_mut(batchid) {
            batch.retrefs.retain(|r| r != &txn.retref);
        }
    }
    if let (TxnKind::Refund, Some(parent)) = (txn.kind, &txn.parent) {
        if let Some(p) = state.txn_mut(parent) {
            p.refunded -= txn.amount;
        }
    }
    if let Some(t) = state.txn_mut(&txn.retref) {
        t.setl = Setl::Voided;
        t.batchid = None;
    }
}

/// A refund of a sale: its retref, the merchant ID of its authorization, an amount for a partial
/// refund, and an order ID of the refund's own so it can be found after a lost answer.
#[derive(Debug, Clone, Default)]
pub struct RefundReq {
    pub merchid: Option<String>,
    pub retref: Option<String>,
    pub amount: Option<Value>,
    pub orderid: Option<String>,
}

pub fn refund(state: &mut State, req: RefundReq) -> Value {
    super::settle::tick(state);
    let Some(retref) = req.retref.filter(|r| !r.is_empty()) else {
        return wire::refusal(gateway::INVALID_FIELD, None);
    };
    // A merchant ID that is not boarded here at all is an invalid merchant; a refund without one,
    // or from another merchant than the original's, does not find the transaction (CardPointe's
    // original-MID rule of November 2023).
    let merchid = req.merchid.filter(|m| !m.is_empty());
    if let Some(m) = &merchid {
        if let Err(answer) = merchant_for(state, Some(m)) {
            return answer;
        }
    }
    let Some(original) = merchid.as_deref().and_then(|m| state.txn_of(m, &retref)).cloned() else {
        return refuse(gateway::TXN_NOT_FOUND, &retref);
    };
    let refund_unsettled = state.merchant(&original.merchid).is_some_and(|m| m.refund_unsettled);
    match (original.kind, original.setl) {
        (TxnKind::Refund, _) => return refuse(gateway::TXN_NOT_FOUND, &retref),
        (_, Setl::Accepted) => {}
        (_, Setl::QueuedForCapture) if refund_unsettled => {}
        (_, Setl::Authorized | Setl::QueuedForCapture) => return refuse(gateway::TXN_NOT_SETTLED, &retref),
        _ => return refuse(gateway::TXN_NOT_FOUND, &retref),
    }
    let left = original.amount - original.refunded;
    let amount = match req.amount.as_ref().map(|a| amount::parse_request(a, &original.currency)) {
        None | Some(Ok(0)) => left,
        Some(Ok(a)) if a > 0 => a,
        Some(_) => return refuse(gateway::INVALID_AMOUNT, &retref),
    };
    if amount == 0 || amount > left {
        return refuse(gateway::INVALID_AMOUNT, &retref);
    }
    if req.orderid.as_deref().is_some_and(|o| o.len() > 50) {
        return refuse(gateway::INVALID_FIELD, &retref);
    }
    let refund_retref = state.new_retref();
    let now = state.now();
    let refund = Txn {
        retref: refund_retref.clone(),
        kind: TxnKind::Refund,
        orderid: req.orderid.filter(|o| !o.is_empty()),
        amount,
        respproc: gateway::APPROVAL.respproc,
        respcode: gateway::APPROVAL.respcode,
        respstat: gateway::APPROVAL.respstat,
        resptext: gateway::APPROVAL.resptext,
        // Offline (auto-approved) refunds answer this authorization code.
        authcode: Some("REFUND".into()),
        setl: Setl::Authorized,
        batchid: None,
        authdate: now,
        capturedate: None,
        settledate: None,
        refunded: 0,
        parent: Some(original.retref.clone()),
        ..original.clone()
    };
    state.insert_txn(refund);
    if let Some(p) = state.txn_mut(&original.retref) {
        p.refunded += amount;
    }
    super::authorize::join_batch(state, &refund_retref);
    state.txn(&refund_retref).map_or_else(|| refuse(gateway::TXN_NOT_FOUND, &retref), wire::refunded)
}
