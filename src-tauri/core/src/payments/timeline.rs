//! A payment's life in order, for its detail: authorized, captured or paid, declined, each refund
//! or void with who issued and approved it, a dispute, the transfer to the restaurant.

use serde_json::Value;

use super::views::{DisputeInfo, TimelineEntry, TransferInfo};
use crate::gateways::{Transaction, TxStatus, TxType};
use crate::money::Money;
use crate::refunds::{RefundMethod, RefundView};

fn shown(m: &Money) -> String {
    crate::money::display(m.amount, &m.currency)
}

fn entry(at: i64, kind: &str, title: String, amount: Option<Money>) -> TimelineEntry {
    TimelineEntry { at, kind: kind.into(), title, amount, detail: None, status: None, refund_status: None }
}

/// The payment itself: from the Stripe charge when cached (`raw`), else from the neutral row.
pub fn payment_entries(tx: &Transaction, raw: &Value, captured_at: Option<i64>) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let authorized = raw["amount"].as_i64().unwrap_or(tx.amount);
    let money = |a: i64| Money::new(a, &tx.currency);
    if tx.status == TxStatus::Failed {
        let mut e =
            entry(tx.created, "declined", format!("Declined: {}", shown(&money(tx.amount))), Some(money(tx.amount)));
        e.detail = raw["failure_message"].as_str().map(str::to_string);
        e.status = Some("Declined".into());
        out.push(e);
        return out;
    }
    match tx.kind {
        TxType::Authorize => {
            let mut e = entry(
                tx.created,
                "authorized",
                format!("Authorized {}", shown(&money(tx.amount))),
                Some(money(tx.amount)),
            );
            e.detail = Some("Not captured yet: the customer has not been charged.".into());
            out.push(e);
        }
        TxType::Capture => {
            out.push(entry(
                tx.created,
                "authorized",
                format!("Authorized {}", shown(&money(authorized))),
                Some(money(authorized)),
            ));
            let mut e = entry(
                captured_at.unwrap_or(tx.created),
                "captured",
                format!("Captured {}", shown(&money(tx.amount))),
                Some(money(tx.amount)),
            );
            if authorized > tx.amount {
                e.detail = Some(format!(
                    "The other {} of the authorization was released.",
                    shown(&money(authorized - tx.amount))
                ));
            }
            out.push(e);
        }
        _ => {
            let mut e = entry(tx.created, "paid", format!("Paid {}", shown(&money(tx.amount))), Some(money(tx.amount)));
            if tx.status == TxStatus::Pending {
                e.status = Some("Processing".into());
            }
            out.push(e);
        }
    }
    out
}

/// A refund or void.
pub fn refund_entry(refund: &RefundView) -> TimelineEntry {
    let (kind, word) = match refund.method {
        RefundMethod::Void => ("void", "Voided"),
        RefundMethod::Refund => ("refund", "Refund of"),
    };
    let mut parts = Vec::new();
    match (&refund.issued_by, &refund.approved_by) {
        (Some(i), Some(a)) => parts.push(format!("Issued by {i}, approved by {a}")),
        (Some(i), None) => parts.push(format!("Issued by {i}")),
        (None, Some(a)) => parts.push(format!("Approved by {a}")),
        (None, None) => {}
    }
    if let Some(reason) = &refund.reason_label {
        parts.push(reason.clone());
    }
    if let Some(failure) = &refund.failure {
        parts.push(format!("Failed: {failure}"));
    }
    if let Some(note) = &refund.note {
        parts.push(format!("Note: {note}"));
    }
    TimelineEntry {
        at: refund.created,
        kind: kind.into(),
        title: format!("{word} {}", shown(&refund.amount)),
        amount: Some(refund.amount.clone()),
        detail: (!parts.is_empty()).then(|| parts.join(" · ")),
        status: Some(refund.status_label.clone()),
        refund_status: Some(refund.status),
    }
}

pub fn dispute_entry(at: i64, dispute: &DisputeInfo) -> TimelineEntry {
    TimelineEntry {
        at,
        kind: "dispute".into(),
        title: format!("Disputed: {}", shown(&dispute.amount)),
        amount: Some(dispute.amount.clone()),
        detail: Some(format!("Reason: {}", dispute.reason_label)),
        status: Some(dispute.status_label.clone()),
        refund_status: None,
    }
}

pub fn transfer_entry(at: i64, transfer: &TransferInfo) -> TimelineEntry {
    let mut e = entry(
        at,
        "transfer",
        format!("Sent {} to {}", shown(&transfer.amount), transfer.destination_name),
        Some(transfer.amount.clone()),
    );
    if transfer.reversed.amount > 0 {
        e.detail = Some(format!("{} taken back with refunds.", shown(&transfer.reversed)));
    }
    e
}
