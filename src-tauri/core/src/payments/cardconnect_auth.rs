//! CardConnect authorizations (a tab opened at the counter): captured all or part — the rest
//! released — or voided, from what CardPointe says of them now (`inquire`), through the same door
//! with an order ID of its own (CardPointe has no idempotency keys: an unknown answer is settled
//! by inquiry before anything is resent).

use super::take::CAPTURE_WINDOW_SECONDS;
use super::take_views::TakenPayment;
use crate::desk::{Desk, DeskError};
use crate::gateways::cardconnect::gateway::{CAPTURE, VOID};
use crate::gateways::{Transaction, TxStatus, TxType};
use crate::money::{self, Money};
use crate::money_calls::{new_key, orderid_for, Intent, MoneyCall};
use crate::profiles::Profile;

fn invalid(field: &'static str, reason: impl Into<String>) -> DeskError {
    DeskError::InvalidInput { field, reason: reason.into() }
}

impl Desk {
    /// The CardConnect payment `retref` at `merchid` as CardPointe has it now.
    pub(super) async fn fresh_cardconnect(
        &self,
        profile: &Profile,
        merchid: &str,
        retref: &str,
    ) -> Result<Transaction, DeskError> {
        self.check_account(profile, merchid)?;
        if retref.is_empty() || retref.len() > 20 || !retref.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("payment", format!("{retref:?} is not a CardConnect retrieval reference (digits)")));
        }
        let client = self.cardconnect_client()?;
        let found =
            client.inquire(merchid, retref).await.map_err(|e| DeskError::from(e).offline_refusal("CardConnect"))?;
        let txn = found.ok_or_else(|| {
            invalid("payment", format!("CardConnect has no payment {retref} at merchant ID {merchid}"))
        })?;
        self.remember_cardconnect(&serde_json::to_value(&txn).unwrap_or_default(), None)?;
        Ok(txn)
    }

    /// Captures all (`amount` None) or part of a CardConnect authorization.
    pub(super) async fn capture_cardconnect(
        &self,
        profile: &Profile,
        merchid: &str,
        retref: &str,
        typed: Option<&str>,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let txn = self.fresh_cardconnect(profile, merchid, retref).await?;
        if txn.kind != TxType::Authorize || txn.status != TxStatus::Complete {
            return Err(invalid("payment", "This CardConnect payment is not an authorization waiting for capture"));
        }
        let amount = match typed.map(str::trim).filter(|t| !t.is_empty()) {
            None => txn.amount,
            Some(text) => money::parse_major(text, &txn.currency)
                .map_err(|e| invalid("amount", crate::views::capitalise(&e.to_string())))?,
        };
        if amount <= 0 || amount > txn.amount {
            return Err(invalid(
                "amount",
                format!(
                    "Only {} was authorized; {} cannot be captured",
                    money::display(txn.amount, &txn.currency),
                    money::display(amount.max(0), &txn.currency)
                ),
            ));
        }
        let key = confirmation.map(str::to_string).unwrap_or_else(new_key);
        let orderid = orderid_for(txn.order_ref.as_deref().unwrap_or(""), &key);
        let form = [("retref", retref.to_string()), ("amount", amount.to_string()), ("currency", txn.currency.clone())];
        let call = MoneyCall::cardconnect("capture", CAPTURE, merchid, &orderid, &form);
        let intent = Intent {
            audit_action: "payments.capture".into(),
            target: Some(retref.to_string()),
            amount: Some(amount),
            currency: Some(txn.currency.clone()),
            summary: format!(
                "Capture of {} of the CardConnect authorization {retref}{}",
                money::display(amount, &txn.currency),
                txn.order_ref.as_deref().map(|o| format!(" (order {o})")).unwrap_or_default()
            ),
        };
        let done = self.through_door(profile, call, intent, Some(&key)).await?;
        self.remember_cardconnect(&done.value, None)?;
        // It happened: a failed re-read is answered from the capture itself.
        let after = self.fresh_cardconnect(profile, merchid, retref).await;
        Ok(match after {
            Ok(after) => cardconnect_taken(&after, txn.amount),
            Err(_) => captured_view(&txn, amount),
        })
    }

    /// Voids a CardConnect authorization whole: the hold on the customer's card is released.
    pub(super) async fn void_cardconnect(
        &self,
        profile: &Profile,
        merchid: &str,
        retref: &str,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let txn = self.fresh_cardconnect(profile, merchid, retref).await?;
        if txn.kind != TxType::Authorize || txn.status != TxStatus::Complete || txn.settled == Some(true) {
            return Err(invalid(
                "payment",
                "Only an authorization not yet captured can be voided here; refund a captured payment instead",
            ));
        }
        let key = confirmation.map(str::to_string).unwrap_or_else(new_key);
        let orderid = orderid_for(txn.order_ref.as_deref().unwrap_or(""), &key);
        let form = [("retref", retref.to_string()), ("currency", txn.currency.clone())];
        let call = MoneyCall::cardconnect("void", VOID, merchid, &orderid, &form);
        let intent = Intent {
            audit_action: "payments.cancel".into(),
            target: Some(retref.to_string()),
            amount: Some(txn.amount),
            currency: Some(txn.currency.clone()),
            summary: format!(
                "Void of the CardConnect authorization {retref} ({})",
                money::display(txn.amount, &txn.currency)
            ),
        };
        let done = self.through_door(profile, call, intent, Some(&key)).await?;
        self.remember_cardconnect(&done.value, Some(retref))?;
        let after = self.fresh_cardconnect(profile, merchid, retref).await;
        Ok(match after {
            Ok(after) => cardconnect_taken(&after, txn.amount),
            Err(_) => {
                let mut voided = cardconnect_taken(&txn, txn.amount);
                voided.status = "canceled".into();
                voided.status_words = "Voided: the hold on the customer's card is released.".into();
                voided.capturable.amount = 0;
                voided.capture_before = None;
                voided
            }
        })
    }
}

/// An authorization just captured for `amount`, when CardPointe could not be asked again.
fn captured_view(txn: &Transaction, amount: i64) -> TakenPayment {
    let mut view = cardconnect_taken(txn, txn.amount);
    view.status = "succeeded".into();
    view.status_words = "Captured; it settles in tonight's batch.".into();
    view.capturable.amount = 0;
    view.captured.amount = amount;
    view.capture_before = None;
    view
}

/// A CardConnect payment as the screens show taken payments.
pub(super) fn cardconnect_taken(txn: &Transaction, authorized: i64) -> TakenPayment {
    let (status, words) = match (txn.kind, txn.status) {
        (TxType::Authorize, TxStatus::Complete) => (
            "requires_capture",
            "Authorized: capture it (with the tip) before the bank releases the hold, or void it.".to_string(),
        ),
        (TxType::Void, _) => ("canceled", "Voided: the hold on the customer's card is released.".to_string()),
        (_, TxStatus::Failed) => ("requires_payment_method", "Declined by the card's bank.".to_string()),
        (_, TxStatus::Pending) => ("processing", "Waiting for CardConnect.".to_string()),
        _ => ("succeeded", "Captured; it settles in tonight's batch.".to_string()),
    };
    let captured = if status == "succeeded" { txn.amount } else { 0 };
    TakenPayment {
        id: txn.reference.clone(),
        restaurant: txn.restaurant.clone(),
        restaurant_name: None,
        amount: Money::new(authorized.max(txn.amount), &txn.currency),
        capturable: Money::new(if status == "requires_capture" { txn.amount } else { 0 }, &txn.currency),
        captured: Money::new(captured, &txn.currency),
        fee: None,
        status: status.to_string(),
        status_words: words,
        action_url: None,
        capture_before: (status == "requires_capture").then_some(txn.created + CAPTURE_WINDOW_SECONDS),
        order_number: txn.order_ref.clone(),
    }
}
