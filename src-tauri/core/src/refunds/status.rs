//! Refunds as the screens show them, from the cache: Stripe's refund objects (their status and
//! failure reason, who issued and approved them from their metadata) and CardConnect's refund
//! and void rows, each beside what this PC recorded when it asked (the note, the names). A refund
//! asked for whose outcome is not known yet is shown as such, never as failed.

use rusqlite::Connection;
use serde_json::Value;

use super::views::{RefundMethod, RefundStatus, RefundView};
use crate::desk::{Desk, DeskError};
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use crate::money::Money;
use crate::store::refund_records::{self, RefundRecord};
use crate::store::{journal, transactions, StoreError};

/// How far back a failed refund still deserves a notification when first seen.
const RECENT_DAYS: i64 = 30;

/// Why a refund failed, in words (Stripe's `failure_reason`).
pub fn failure_words(reason: &str) -> String {
    match reason {
        "lost_or_stolen_card" => "the card was reported lost or stolen".into(),
        "expired_or_canceled_card" => "the card has expired or was cancelled".into(),
        "charge_for_pending_refund_disputed" => "the customer disputed the payment while the refund was pending".into(),
        "insufficient_funds" => "the restaurant's Stripe balance could not cover it".into(),
        "declined" => "the customer's bank declined it".into(),
        "merchant_request" => "it was cancelled at the restaurant's request".into(),
        "unknown" | "" => "the card network gave no reason".into(),
        other => other.replace('_', " "),
    }
}

/// A refund's reason as people say it.
pub fn reason_label(reason: &str) -> String {
    match reason {
        "duplicate" => "Duplicate".into(),
        "fraudulent" => "Fraudulent".into(),
        "requested_by_customer" => "Requested by the customer".into(),
        other => crate::views::capitalise(&other.replace('_', " ")),
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A Stripe refund object as a [`RefundView`], with this PC's record of it if any.
pub fn stripe_view(raw: &Value, record: Option<&RefundRecord>) -> RefundView {
    let status = RefundStatus::parse(raw["status"].as_str());
    let currency = raw["currency"].as_str().unwrap_or("usd");
    let failure = match status {
        RefundStatus::Failed | RefundStatus::Canceled => {
            Some(failure_words(raw["failure_reason"].as_str().unwrap_or("unknown")))
        }
        RefundStatus::RequiresAction => Some(
            "Stripe needs the customer's bank details to send this refund; the restaurant is asked by email.".into(),
        ),
        _ => None,
    };
    RefundView {
        gateway: GatewayKind::Stripe,
        id: raw["id"].as_str().unwrap_or_default().to_string(),
        created: raw["created"].as_i64().unwrap_or(0),
        amount: Money::new(raw["amount"].as_i64().unwrap_or(0), currency),
        method: RefundMethod::Refund,
        status,
        status_label: status.label().to_string(),
        failure,
        reason_label: raw["reason"].as_str().map(reason_label),
        issued_by: text(&raw["metadata"]["issued_by"]).or_else(|| record.map(|r| r.issued_by.clone())),
        approved_by: text(&raw["metadata"]["approved_by"]).or_else(|| record.and_then(|r| r.approved_by.clone())),
        note: record.and_then(|r| r.note.clone()),
    }
}

/// A CardConnect refund or void row as a [`RefundView`], with this PC's record of it if any.
pub fn cardconnect_view(t: &Transaction, record: Option<&RefundRecord>) -> RefundView {
    let void = t.kind == TxType::Void;
    let status = if t.status == TxStatus::Failed { RefundStatus::Failed } else { RefundStatus::Succeeded };
    RefundView {
        gateway: GatewayKind::CardConnect,
        id: t.reference.clone(),
        created: t.created,
        amount: Money::new(t.amount, &t.currency),
        method: if void { RefundMethod::Void } else { RefundMethod::Refund },
        status,
        status_label: if void && status == RefundStatus::Succeeded { "Voided".into() } else { status.label().into() },
        failure: (status == RefundStatus::Failed).then(|| "CardConnect declined it".to_string()),
        reason_label: None,
        issued_by: record.map(|r| r.issued_by.clone()),
        approved_by: record.and_then(|r| r.approved_by.clone()),
        note: record.and_then(|r| r.note.clone()),
    }
}

/// The refunds of one payment (a Stripe charge, a CardPointe retref), oldest first, including
/// those asked for here whose outcome is not known yet.
pub fn of_payment(conn: &Connection, gateway: GatewayKind, payment: &str) -> Result<Vec<RefundView>, StoreError> {
    let records = refund_records::of_payment(conn, payment)?;
    let record_of = |id: &str| records.iter().find(|r| r.refund.as_deref() == Some(id));
    let mut views = Vec::new();
    match gateway {
        GatewayKind::Stripe => {
            let mut stmt = conn.prepare_cached(
                "SELECT raw FROM objects WHERE parent = ?1 AND +kind = 'refund' ORDER BY created, id",
            )?;
            let raws: Vec<String> = stmt.query_map([payment], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for raw in raws {
                let value = crate::store::objects::parse(&raw)?;
                let id = value["id"].as_str().unwrap_or_default().to_string();
                views.push(stripe_view(&value, record_of(&id)));
            }
        }
        GatewayKind::CardConnect => {
            let mut stmt = conn.prepare_cached(
                "SELECT reference FROM transactions WHERE gateway = 'cardconnect' AND parent = ?1
                 AND kind IN ('refund', 'void') ORDER BY created, reference",
            )?;
            let ids: Vec<String> = stmt.query_map([payment], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for id in ids {
                let Some(t) = transactions::get(conn, GatewayKind::CardConnect, &id)? else { continue };
                views.push(cardconnect_view(&t, record_of(&id)));
            }
        }
    }
    for record in records.iter().filter(|r| r.refund.is_none()) {
        if let Some(view) = unknown_view(conn, record)? {
            views.push(view);
        }
    }
    Ok(views)
}

/// A refund asked for here that has no refund to show yet: shown while its outcome is unknown.
pub fn unknown_view(conn: &Connection, record: &RefundRecord) -> Result<Option<RefundView>, StoreError> {
    let Some(entry) = journal::get(conn, &record.key)? else { return Ok(None) };
    if !entry.status.is_unfinished() {
        return Ok(None);
    }
    let created = chrono::DateTime::parse_from_rfc3339(&record.created_at).map(|t| t.timestamp()).unwrap_or(0);
    Ok(Some(RefundView {
        gateway: GatewayKind::parse(&record.gateway).unwrap_or(GatewayKind::Stripe),
        id: record.key.clone(),
        created,
        amount: Money::new(entry.amount.unwrap_or(0), entry.currency.as_deref().unwrap_or("usd")),
        method: if entry.action == "void" { RefundMethod::Void } else { RefundMethod::Refund },
        status: RefundStatus::Unknown,
        status_label: RefundStatus::Unknown.label().into(),
        failure: None,
        reason_label: None,
        issued_by: Some(record.issued_by.clone()),
        approved_by: record.approved_by.clone(),
        note: record.note.clone(),
    }))
}

impl Desk {
    /// Notifies, once per PC, each refund the cache now shows failed or canceled (a refund can
    /// fail days after it was made: the card was closed, the bank said no). Called after a sync.
    pub(crate) fn notice_failed_refunds(&self) -> Result<usize, DeskError> {
        let since = self.clock.now().timestamp() - RECENT_DAYS * 86_400;
        let failed: Vec<(String, String, String)> =
            {
                let store = self.store();
                let mut stmt = store.conn().prepare_cached(
                "SELECT id, account, raw FROM objects WHERE kind = 'refund' AND status IN ('failed', 'canceled')
                 AND created >= ?1",
            ).map_err(StoreError::from)?;
                let rows = stmt
                    .query_map([since], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .map_err(StoreError::from)?
                    .collect::<Result<_, _>>()
                    .map_err(StoreError::from)?;
                rows
            };
        if failed.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = failed.iter().map(|(id, ..)| id.clone()).collect();
        let now = self.clock.now().to_rfc3339();
        let fresh = refund_records::notice_failures(self.store().conn(), &ids, &now)?;
        if fresh.is_empty() {
            return Ok(0);
        }
        let viewer = self.session.lock().unwrap_or_else(|p| p.into_inner()).signed_in();
        let visible = |account: &str| viewer.as_ref().is_some_and(|p| self.may_see_subject(p, Some(account)));
        let shown: Vec<&(String, String, String)> = failed.iter().filter(|(id, ..)| fresh.contains(id)).collect();
        let body = match shown.as_slice() {
            [(_, account, raw)] if visible(account) => {
                let raw: Value = serde_json::from_str(raw).unwrap_or_default();
                let view = stripe_view(&raw, None);
                let name = crate::store::cache::account_raw(self.store().conn(), account)?
                    .map(|a| crate::accounts::account_name(&a))
                    .unwrap_or_else(|| "the platform".into());
                format!(
                    "A refund of {} {} at {name} failed: {}. The money is back in the restaurant's balance; refund the customer another way.",
                    view.amount.to_major_string(),
                    view.amount.currency.to_uppercase(),
                    view.failure.unwrap_or_default()
                )
            }
            [_] => "A refund failed. Open Merchant Desk and sign in to see which and why.".into(),
            many => format!("{} refunds failed; open Payments & Refunds to see why.", many.len()),
        };
        let title = if shown.len() == 1 { "Refund failed" } else { "Refunds failed" };
        if let Err(err) = self.notifier.notify(title, &body) {
            tracing::warn!(error = %err, "desktop notification not shown; the payment's timeline still shows the failure");
        }
        Ok(fresh.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stripe_refund_says_who_issued_it_and_why_it_failed() {
        let raw = json!({"id": "re_1", "amount": 1250, "currency": "usd", "created": 5, "status": "failed",
            "failure_reason": "expired_or_canceled_card", "reason": "requested_by_customer",
            "metadata": {"issued_by": "Sam", "approved_by": "Priya"}});
        let view = stripe_view(&raw, None);
        assert_eq!((view.status, view.status_label.as_str()), (RefundStatus::Failed, "Failed"));
        assert_eq!(view.failure.as_deref(), Some("the card has expired or was cancelled"));
        assert_eq!((view.issued_by.as_deref(), view.approved_by.as_deref()), (Some("Sam"), Some("Priya")));
        assert_eq!(view.reason_label.as_deref(), Some("Requested by the customer"));
        let record = RefundRecord { issued_by: "Lee".into(), note: Some("cold".into()), ..Default::default() };
        let plain =
            stripe_view(&json!({"id": "re_2", "amount": 5, "currency": "jpy", "status": "pending"}), Some(&record));
        assert_eq!((plain.issued_by.as_deref(), plain.note.as_deref()), (Some("Lee"), Some("cold")));
        assert_eq!(plain.status, RefundStatus::Pending);
    }
}
