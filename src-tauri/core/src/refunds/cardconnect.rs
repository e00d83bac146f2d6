//! Refunding a CardConnect payment: CardPointe settles captures in a nightly batch, and before
//! that a payment can only be voided (whole, once captured), after it only refunded. The choice is
//! made from what CardPointe says of the payment now (`inquire`: its `setlstat`), never guessed;
//! the call then goes through the one door with an order ID of its own.

use super::desk::{issued_by, RefundRequest, AUDIT_ACTION};
use crate::desk::{Desk, DeskError};
use crate::gateways::cardconnect::gateway::{REFUND, VOID};
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use crate::money::Money;
use crate::money_calls::{orderid_for, Done, Intent, MoneyCall};
use crate::profiles::Profile;
use crate::store::{refund_records, transactions};

/// What CardPointe will be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reversal {
    /// Not settled yet: cancel it (the customer is never charged).
    Void,
    /// Settled: give the money back.
    Refund,
}

/// Void or refund, from the payment as CardPointe describes it now; refused with a sentence when
/// neither can be done (`amount` in minor units; `None`: all that is left).
pub fn choose(payment: &Transaction, already_refunded: i64, amount: Option<i64>) -> Result<Reversal, DeskError> {
    let invalid = |reason: String| DeskError::InvalidInput { field: "payment", reason };
    let money =
        |a: i64| format!("{} {}", Money::new(a, &payment.currency).to_major_string(), payment.currency.to_uppercase());
    match (payment.kind, payment.status) {
        (TxType::Void, _) => {
            return Err(invalid("This payment was voided already: there is nothing to refund.".into()))
        }
        (TxType::Refund, _) => return Err(invalid("This is a refund, not a payment.".into())),
        (_, TxStatus::Failed) => {
            return Err(invalid("This payment was declined: the customer was never charged.".into()))
        }
        _ => {}
    }
    match payment.settled {
        Some(true) => {
            let left = (payment.amount - already_refunded).max(0);
            match amount {
                _ if left == 0 => Err(invalid(format!("All {} of this payment has been refunded already.", money(payment.amount)))),
                Some(a) if a > left => Err(DeskError::InvalidInput {
                    field: "amount",
                    reason: format!("At most {} is left to refund on this payment, not {}.", money(left), money(a)),
                }),
                _ => Ok(Reversal::Refund),
            }
        }
        Some(false) => match amount {
            // An authorization not yet captured may be voided in part; a captured sale only whole.
            Some(a) if a > payment.amount => Err(DeskError::InvalidInput {
                field: "amount",
                reason: format!("This payment is {}, less than {}.", money(payment.amount), money(a)),
            }),
            Some(a) if a < payment.amount && payment.kind != TxType::Authorize => Err(DeskError::InvalidInput {
                field: "amount",
                reason: format!(
                    "This payment has not settled yet, and CardConnect can only cancel it whole ({}) until tonight's settlement. Refund the whole of it now, or refund {} tomorrow.",
                    money(payment.amount),
                    money(a)
                ),
            }),
            _ => Ok(Reversal::Void),
        },
        None => Err(invalid("CardConnect did not say whether this payment has settled; try again in a moment.".into())),
    }
}

impl Desk {
    /// [`Desk::refund`] of a payment at a CardConnect restaurant (`request.account` is its
    /// merchant ID, `request.payment` the payment's retrieval reference).
    pub(super) async fn refund_cardconnect(
        &self,
        profile: &Profile,
        request: &RefundRequest,
        merchid: &str,
        key: &str,
        journalled: bool,
    ) -> Result<Done, DeskError> {
        let retref = request.payment.trim();
        if !(6..=20).contains(&retref.len()) || !retref.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DeskError::InvalidInput {
                field: "payment",
                reason: format!("{retref:?} is not a CardConnect retrieval reference (digits)"),
            });
        }
        if request.reason.is_some() {
            super::desk::check_reason(request.reason.as_deref())?;
        }
        let client = self.cardconnect_client()?;
        // Settled or not is asked now; offline, nothing is sent and nothing waits to be sent.
        let inquired =
            client.inquire(merchid, retref).await.map_err(|e| DeskError::from(e).offline_refusal("CardConnect"))?;
        let payment = inquired.ok_or_else(|| DeskError::InvalidInput {
            field: "payment",
            reason: format!(
                "CardConnect has no payment {retref} for merchant ID {merchid}. A refund must name the restaurant the payment was made at."
            ),
        })?;
        let cached = transactions::get(self.store().conn(), GatewayKind::CardConnect, retref)?;
        let already = cached.as_ref().map_or(0, |t| t.refunded);
        let order = cached.as_ref().and_then(|t| t.order_ref.clone()).or_else(|| payment.order_ref.clone());
        let how = choose(&payment, already, request.amount)?;
        let orderid = orderid_for(order.as_deref().unwrap_or(""), key);
        let mut form = vec![("retref", retref.to_string()), ("currency", payment.currency.clone())];
        let amount = match (how, request.amount) {
            (_, Some(a)) => a,
            (Reversal::Refund, None) => payment.amount - already,
            (Reversal::Void, None) => payment.amount,
        };
        if request.amount.is_some() || how == Reversal::Refund {
            form.push(("amount", amount.to_string()));
        }
        let (action, endpoint, word) = match how {
            Reversal::Refund => ("refund", REFUND, "Refund"),
            Reversal::Void => ("void", VOID, "Void"),
        };
        // CardPointe keeps no metadata: who issued and who approved go to the audit log only.
        let approver = if journalled {
            None
        } else {
            self.approve(profile, merchid, amount, &payment.currency, request.approval.as_ref())?
        };
        let call = MoneyCall::cardconnect(action, endpoint, merchid, &orderid, &form);
        let shown =
            format!("{} {}", Money::new(amount, &payment.currency).to_major_string(), payment.currency.to_uppercase());
        let who = issued_by(profile, approver.as_ref());
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(retref.to_string()),
            amount: Some(amount),
            currency: Some(payment.currency.clone()),
            summary: match &order {
                Some(order) => format!("{word} of {shown} on CardConnect payment {retref} (order {order}){who}"),
                None => format!("{word} of {shown} on CardConnect payment {retref}{who}"),
            },
        };
        if !journalled {
            let record = self.refund_record(profile, request, key, retref, approver.as_ref());
            refund_records::put(self.store().conn(), &record)?;
        }
        let done = self.through_door(profile, call, intent, Some(key)).await?;
        self.remember_cardconnect(&done.value, Some(retref))?;
        if let Some(id) = done.value["reference"].as_str() {
            refund_records::set_refund(self.store().conn(), &done.key, id)?;
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(kind: TxType, settled: Option<bool>) -> Transaction {
        Transaction {
            gateway: GatewayKind::CardConnect,
            reference: "123456789012".into(),
            kind,
            status: TxStatus::Complete,
            amount: 5_000,
            refunded: 0,
            currency: "usd".into(),
            order_ref: Some("HV-13-6001".into()),
            restaurant: "496400000113".into(),
            created: 0,
            parent: None,
            card_brand: None,
            card_last4: None,
            settled,
        }
    }

    #[test]
    fn settled_payments_are_refunded_unsettled_ones_voided() {
        assert_eq!(choose(&payment(TxType::Purchase, Some(true)), 0, Some(1_000)).unwrap(), Reversal::Refund);
        assert_eq!(choose(&payment(TxType::Purchase, Some(false)), 0, None).unwrap(), Reversal::Void);
        assert_eq!(choose(&payment(TxType::Authorize, Some(false)), 0, Some(1_000)).unwrap(), Reversal::Void);
    }

    #[test]
    fn what_cannot_be_done_is_said_not_sent() {
        let over = choose(&payment(TxType::Purchase, Some(true)), 4_000, Some(1_500)).unwrap_err();
        assert!(over.to_string().contains("At most 10.00 USD"), "{over}");
        let part = choose(&payment(TxType::Purchase, Some(false)), 0, Some(1_000)).unwrap_err();
        assert!(part.to_string().contains("only cancel it whole"), "{part}");
        assert!(choose(&payment(TxType::Purchase, Some(true)), 5_000, None).is_err());
        assert!(choose(&payment(TxType::Void, Some(false)), 0, None).is_err());
        assert!(choose(&payment(TxType::Purchase, None), 0, None).is_err());
        let mut declined = payment(TxType::Purchase, Some(false));
        declined.status = TxStatus::Failed;
        assert!(choose(&declined, 0, None).unwrap_err().to_string().contains("declined"));
    }
}
