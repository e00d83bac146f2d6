//! What may be refunded of a Stripe payment, decided before anything is journalled: from the
//! neutral cache (the payment's charge row and its cached dispute), read from Stripe into the
//! cache first when this PC has not synced the payment yet.

use rusqlite::OptionalExtension;
use serde_json::Value;

use crate::desk::{Desk, DeskError};
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use crate::money::Money;
use crate::store::{objects, transactions, StoreError};

/// A Stripe payment as the refund rules see it.
#[derive(Debug, Clone)]
pub(crate) struct StripePayment {
    /// The charge's neutral row.
    pub charge: Transaction,
    /// The status of a dispute of the charge (`needs_response`, `won`, …), if there is one.
    pub dispute: Option<String>,
}

fn shown(amount: i64, currency: &str) -> String {
    format!("{} {}", Money::new(amount, currency).to_major_string(), currency.to_uppercase())
}

/// A refund's amount is positive (checked before anything is looked up or sent).
pub(super) fn check_positive(amount: Option<i64>) -> Result<(), DeskError> {
    match amount {
        Some(a) if a <= 0 => Err(DeskError::InvalidInput {
            field: "amount",
            reason: if a == 0 {
                "A refund of nothing is no refund: type an amount above zero.".into()
            } else {
                format!("A refund is a positive amount, not {a} (minor units).")
            },
        }),
        _ => Ok(()),
    }
}

/// How much to refund of `payment` (`amount`, or all that is left when `None`), or why not.
pub(crate) fn refundable(payment: &StripePayment, amount: Option<i64>) -> Result<i64, DeskError> {
    let charge = &payment.charge;
    let invalid = |reason: String| DeskError::InvalidInput { field: "payment", reason };
    if let Some(status) = &payment.dispute {
        return Err(invalid(format!(
            "This payment is disputed (dispute {}): its money is settled through the dispute, not refunded.",
            status.replace('_', " ")
        )));
    }
    match (charge.kind, charge.status) {
        (TxType::Refund | TxType::Void, _) => return Err(invalid("This is not a payment.".into())),
        (_, TxStatus::Failed) => return Err(invalid("This payment was declined: the customer was never charged.".into())),
        (TxType::Authorize, _) => {
            return Err(invalid("This payment was authorized but never captured: the customer was not charged, so there is nothing to refund.".into()))
        }
        (_, TxStatus::Pending) => {
            return Err(invalid("This payment is still being processed; refund it once it has gone through.".into()))
        }
        _ => {}
    }
    let left = charge.refundable();
    if left == 0 {
        return Err(invalid(format!(
            "All {} of this payment has been refunded already.",
            shown(charge.amount, &charge.currency)
        )));
    }
    match amount {
        Some(a) if a > left => Err(DeskError::InvalidInput {
            field: "amount",
            reason: format!(
                "At most {} is left to refund on this payment, not {}.",
                shown(left, &charge.currency),
                shown(a, &charge.currency)
            ),
        }),
        Some(a) => Ok(a),
        None => Ok(left),
    }
}

impl Desk {
    /// `payment` (`ch_…` or `pi_…`) of `account` (`""`: the platform) as the refund rules need
    /// it: from the cache, or read from Stripe into the cache when not synced yet.
    pub(super) async fn stripe_payment(&self, account: &str, payment: &str) -> Result<StripePayment, DeskError> {
        if let Some(found) = self.cached_payment(account, payment)? {
            return Ok(found);
        }
        self.fresh_stripe_payment(account, payment).await
    }

    /// `payment` as Stripe has it now, read into the cache first: what is left to refund may have
    /// changed on another PC since the last sync. Offline, the refund is refused: nothing is sent.
    pub(crate) async fn fresh_stripe_payment(&self, account: &str, payment: &str) -> Result<StripePayment, DeskError> {
        self.read_stripe_payment(account, payment).await.map_err(|e| e.offline_refusal("Stripe"))?;
        self.cached_payment(account, payment)?
            .ok_or_else(|| DeskError::NotFound { what: "payment", id: payment.to_string() })
    }

    /// Reads the payment's charge (and PaymentIntent) from Stripe into the cache.
    async fn read_stripe_payment(&self, account: &str, payment: &str) -> Result<(), DeskError> {
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let acting_as = Some(account).filter(|a| !a.is_empty());
        let charge_id = if payment.starts_with("pi_") {
            let pi = client.get::<Value>(&format!("/v1/payment_intents/{payment}"), &[], acting_as).await?.value;
            let latest = pi["latest_charge"].as_str().or_else(|| pi["latest_charge"]["id"].as_str());
            let Some(latest) = latest.map(str::to_string) else {
                return Err(DeskError::InvalidInput {
                    field: "payment",
                    reason: "This payment has not been charged yet, so there is nothing to refund.".into(),
                });
            };
            objects::upsert(self.store().conn(), account, &[pi], &self.clock.now().to_rfc3339())?;
            latest
        } else {
            payment.to_string()
        };
        let charge = client.get::<Value>(&format!("/v1/charges/{charge_id}"), &[], acting_as).await?.value;
        objects::upsert(self.store().conn(), account, &[charge], &self.clock.now().to_rfc3339())?;
        Ok(())
    }

    /// A cached Stripe object's JSON (`Null` when not cached).
    pub(crate) fn cached_raw(&self, id: &str) -> Result<Value, DeskError> {
        Ok(objects::raw_of(self.store().conn(), id)?)
    }

    /// The payment's charge row and dispute from the cache, if this PC has them.
    pub(crate) fn cached_payment(&self, account: &str, payment: &str) -> Result<Option<StripePayment>, DeskError> {
        let store = self.store();
        let conn = store.conn();
        let charge_id: Option<String> = if payment.starts_with("pi_") {
            // The PaymentIntent's charge that went through, else its latest.
            conn.query_row(
                "SELECT id FROM objects WHERE kind = 'charge' AND parent = ?1 AND account = ?2
                 ORDER BY status = 'succeeded' DESC, created DESC LIMIT 1",
                [payment, account],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?
        } else {
            Some(payment.to_string())
        };
        let Some(charge_id) = charge_id else { return Ok(None) };
        let Some(charge) = transactions::get(conn, GatewayKind::Stripe, &charge_id)? else { return Ok(None) };
        if charge.restaurant != account {
            return Ok(None);
        }
        let dispute: Option<String> = conn
            .query_row(
                "SELECT coalesce(status, 'open') FROM objects WHERE kind = 'dispute' AND parent = ?1
                 ORDER BY created DESC LIMIT 1",
                [&charge_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?;
        // A charge Stripe marks disputed whose dispute is not cached yet is disputed all the same.
        let marked: Option<bool> = conn
            .query_row(
                "SELECT json_extract(raw, '$.disputed') FROM objects WHERE id = ?1 AND kind = 'charge'",
                [&charge_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(StoreError::from)?
            .flatten();
        let dispute = dispute.or_else(|| marked.filter(|d| *d).map(|_| "open".to_string()));
        Ok(Some(StripePayment { charge, dispute }))
    }

    /// Puts a refund Stripe made into the cache, so what is left to refund is right at once (the
    /// next sync would bring it too). The refund happened: a failure here is logged, not shown.
    pub(super) fn remember_stripe_refund(&self, account: &str, refund: &Value) {
        if refund["object"] != "refund" {
            return;
        }
        let now = self.clock.now().to_rfc3339();
        if let Err(err) = objects::upsert(self.store().conn(), account, std::slice::from_ref(refund), &now) {
            tracing::warn!(%err, "a refund could not be cached; the next sync brings it");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(kind: TxType, status: TxStatus, refunded: i64) -> StripePayment {
        StripePayment {
            charge: Transaction {
                gateway: GatewayKind::Stripe,
                reference: "ch_1".into(),
                kind,
                status,
                amount: 5_000,
                refunded,
                currency: "usd".into(),
                order_ref: None,
                restaurant: "acct_1".into(),
                created: 0,
                parent: None,
                card_brand: None,
                card_last4: None,
                settled: Some(true),
            },
            dispute: None,
        }
    }

    #[test]
    fn what_is_left_may_be_refunded_and_no_more() {
        let paid = payment(TxType::Purchase, TxStatus::Complete, 1_000);
        assert_eq!(refundable(&paid, Some(4_000)).unwrap(), 4_000);
        assert_eq!(refundable(&paid, None).unwrap(), 4_000);
        let over = refundable(&paid, Some(4_001)).unwrap_err();
        assert_eq!(over.to_string(), "amount: At most 40.00 USD is left to refund on this payment, not 40.01 USD.");
        let all = refundable(&payment(TxType::Capture, TxStatus::Complete, 5_000), None).unwrap_err();
        assert!(all.to_string().contains("refunded already"), "{all}");
    }

    #[test]
    fn disputed_declined_and_uncaptured_payments_are_not_refunded() {
        let mut disputed = payment(TxType::Purchase, TxStatus::Complete, 0);
        disputed.dispute = Some("needs_response".into());
        assert!(refundable(&disputed, Some(100))
            .unwrap_err()
            .to_string()
            .contains("disputed (dispute needs response)"));
        assert!(refundable(&payment(TxType::Purchase, TxStatus::Failed, 0), None)
            .unwrap_err()
            .to_string()
            .contains("declined"));
        assert!(refundable(&payment(TxType::Authorize, TxStatus::Complete, 0), None).is_err());
        assert!(refundable(&payment(TxType::Purchase, TxStatus::Pending, 0), None).is_err());
    }

    #[test]
    fn a_refund_is_positive() {
        assert!(check_positive(Some(1)).is_ok() && check_positive(None).is_ok());
        assert!(check_positive(Some(0)).unwrap_err().to_string().contains("nothing"));
        assert!(check_positive(Some(-5)).unwrap_err().to_string().contains("positive"));
    }
}
