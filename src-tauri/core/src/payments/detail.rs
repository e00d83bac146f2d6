//! A payment opened from the Payments & Refunds list: read from the cache at once, and refreshed
//! from its gateway behind (what is left to refund may have changed on another PC).

use serde_json::Value;

use super::find;
use super::queries::{self, Names};
use super::timeline;
use super::views::{DisputeInfo, PaymentDetail, TimelineEntry, TransferInfo};
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::permissions::{self, Action};
use crate::refunds::{self, ChargeKind};
use crate::store::{objects, StoreError};

impl Desk {
    /// The payment `reference` of `restaurant` (a Stripe account, `""` for the platform, or a
    /// CardConnect merchant ID), from the cache.
    pub fn payment_detail(&self, restaurant: &str, reference: &str) -> Result<PaymentDetail, DeskError> {
        let profile = self.authorize(Action::ViewPayments)?;
        self.check_account(&profile, restaurant)?;
        let gateway = crate::accounts::gateway_of(restaurant).unwrap_or(GatewayKind::Stripe);
        let store = self.store();
        let conn = store.conn();
        let found = queries::get(conn, gateway, reference)?
            .filter(|f| f.tx.restaurant == restaurant)
            .ok_or_else(|| DeskError::NotFound { what: "payment", id: reference.to_string() })?;
        let tx = found.tx.clone();
        let mut names = Names::default();
        let payment = find::row(conn, &mut names, found, None)?;
        let refund_views = refunds::status::of_payment(conn, gateway, reference)?;
        let mut detail = PaymentDetail {
            payment,
            timeline: Vec::new(),
            refunds: refund_views.clone(),
            description: None,
            platform_fee: None,
            processing_fee: None,
            charge_kind: None,
            charge_kind_label: None,
            transfer: None,
            dispute: None,
            settled: tx.settled,
            may_refund: permissions::allows(profile.role, Action::RefundPayment),
            not_refundable: None,
            refund_word: "Refund".into(),
            synced_at: conn
                .query_row(
                    "SELECT max(synced_at) FROM transactions WHERE gateway = ?1 AND reference = ?2",
                    [gateway.as_str(), reference],
                    |r| r.get(0),
                )
                .map_err(StoreError::from)?,
        };
        let mut timeline: Vec<TimelineEntry> = Vec::new();
        match gateway {
            GatewayKind::Stripe => {
                let raw = cached(conn, reference)?;
                let captured_at =
                    raw["balance_transaction"].as_str().and_then(|b| cached(conn, b).ok()).and_then(|b| {
                        let fee = b["fee"].as_i64().unwrap_or(0);
                        detail.processing_fee = Some(Money::new(fee, b["currency"].as_str().unwrap_or(&tx.currency)));
                        b["created"].as_i64()
                    });
                timeline.extend(timeline::payment_entries(&tx, &raw, captured_at));
                detail.description = raw["description"].as_str().map(str::to_string);
                detail.platform_fee =
                    raw["application_fee_amount"].as_i64().filter(|f| *f > 0).map(|f| Money::new(f, &tx.currency));
                let kind = ChargeKind::of(restaurant, &raw);
                detail.charge_kind = Some(kind);
                detail.charge_kind_label = Some(kind.label().into());
                if let Some(destination) = refunds::charge_kind::destination(&raw) {
                    let transfer_id = raw["transfer"].as_str().or_else(|| raw["transfer"]["id"].as_str());
                    let transfer = transfer_id.map(|t| cached(conn, t)).transpose()?.unwrap_or(Value::Null);
                    let fee = raw["application_fee_amount"].as_i64().unwrap_or(0);
                    let amount = transfer["amount"].as_i64().unwrap_or(tx.amount - fee);
                    let info = TransferInfo {
                        id: transfer_id.unwrap_or_default().to_string(),
                        amount: Money::new(amount, &tx.currency),
                        reversed: Money::new(transfer["amount_reversed"].as_i64().unwrap_or(0), &tx.currency),
                        destination_name: names.of(conn, &destination)?,
                        destination,
                    };
                    timeline.push(timeline::transfer_entry(transfer["created"].as_i64().unwrap_or(tx.created), &info));
                    detail.transfer = Some(info);
                }
                let dispute: Option<String> = conn
                    .query_row(
                        "SELECT raw FROM objects WHERE parent = ?1 AND +kind = 'dispute' ORDER BY created DESC LIMIT 1",
                        [reference],
                        |r| r.get(0),
                    )
                    .map(Some)
                    .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })
                    .map_err(StoreError::from)?;
                if let Some(raw) = dispute.as_deref().map(objects::parse).transpose()? {
                    let status = raw["status"].as_str().unwrap_or("needs_response").to_string();
                    let info = DisputeInfo {
                        id: raw["id"].as_str().unwrap_or_default().to_string(),
                        amount: Money::new(
                            raw["amount"].as_i64().unwrap_or(0),
                            raw["currency"].as_str().unwrap_or(&tx.currency),
                        ),
                        status_label: crate::views::capitalise(&status.replace('_', " ")),
                        status,
                        reason_label: crate::views::capitalise(
                            &raw["reason"].as_str().unwrap_or("general").replace('_', " "),
                        ),
                    };
                    timeline.push(timeline::dispute_entry(raw["created"].as_i64().unwrap_or(tx.created), &info));
                    detail.dispute = Some(info);
                }
            }
            GatewayKind::CardConnect => {
                timeline.extend(timeline::payment_entries(&tx, &Value::Null, None));
                if tx.settled == Some(false) && tx.status != crate::gateways::TxStatus::Failed {
                    detail.refund_word = "Void".into();
                }
            }
        }
        timeline.extend(refund_views.iter().map(timeline::refund_entry));
        timeline.sort_by_key(|e| e.at);
        detail.timeline = timeline;
        drop(store);
        detail.not_refundable = self.why_not_refundable(restaurant, gateway, &tx)?;
        Ok(detail)
    }

    /// [`Desk::payment_detail`] after reading the payment, its refunds and any dispute from its
    /// gateway into the cache.
    pub async fn payment_refresh(&self, restaurant: &str, reference: &str) -> Result<PaymentDetail, DeskError> {
        let profile = self.authorize(Action::ViewPayments)?;
        self.check_account(&profile, restaurant)?;
        if self.refusal_if_disconnected(restaurant)?.is_some() {
            // Stripe no longer answers for it: the payment as last synced is all there is.
            return self.payment_detail(restaurant, reference);
        }
        match crate::accounts::gateway_of(restaurant) {
            Some(GatewayKind::CardConnect) => {
                let client = self.cardconnect_client()?;
                if let Some(found) = client.inquire(restaurant, reference).await? {
                    self.remember_cardconnect(&serde_json::to_value(&found).unwrap_or_default(), None)?;
                }
            }
            _ => {
                let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
                let acting_as = Some(restaurant).filter(|a| !a.is_empty());
                let now = self.clock.now().to_rfc3339();
                if reference.starts_with("pi_") {
                    // A payment not charged yet (waiting for the customer's bank, say).
                    crate::desk::scope::check_id("payment", reference, "pi_")?;
                    let pi =
                        client.get::<Value>(&format!("/v1/payment_intents/{reference}"), &[], acting_as).await?.value;
                    objects::upsert(self.store().conn(), restaurant, &[pi], &now)?;
                    return self.payment_detail(restaurant, reference);
                }
                crate::desk::scope::check_id("payment", reference, "ch_")?;
                let charge = client.get::<Value>(&format!("/v1/charges/{reference}"), &[], acting_as).await?.value;
                let query = [("charge", reference.to_string()), ("limit", "100".to_string())];
                let refunds = client.get::<Value>("/v1/refunds", &query, acting_as).await?.value;
                let mut fresh = vec![charge];
                fresh.extend(refunds["data"].as_array().cloned().unwrap_or_default());
                let query = [("charge", reference.to_string()), ("limit", "10".to_string())];
                if let Ok(disputes) = client.get::<Value>("/v1/disputes", &query, acting_as).await {
                    fresh.extend(disputes.value["data"].as_array().cloned().unwrap_or_default());
                }
                objects::upsert(self.store().conn(), restaurant, &fresh, &now)?;
            }
        }
        self.payment_detail(restaurant, reference)
    }

    /// Why nothing of the payment can be refunded, by the same rules a refund applies.
    fn why_not_refundable(
        &self,
        restaurant: &str,
        gateway: GatewayKind,
        tx: &crate::gateways::Transaction,
    ) -> Result<Option<String>, DeskError> {
        if let Some(refusal) = self.refusal_if_disconnected(restaurant)? {
            return Ok(Some(refusal.user_message()));
        }
        let verdict = match gateway {
            GatewayKind::CardConnect => {
                if queries::voided(self.store().conn(), tx)? {
                    Err(DeskError::InvalidInput {
                        field: "payment",
                        reason: "This payment was voided: the customer was never charged.".into(),
                    })
                } else {
                    refunds::choose(tx, tx.refunded, None).map(|_| ())
                }
            }
            GatewayKind::Stripe => match self.cached_payment(restaurant, &tx.reference)? {
                Some(payment) => refunds::rules::refundable(&payment, None).map(|_| ()),
                None => Ok(()),
            },
        };
        Ok(verdict.err().map(|e| e.user_message()))
    }
}

fn cached(conn: &rusqlite::Connection, id: &str) -> Result<Value, StoreError> {
    objects::raw_of(conn, id)
}
