//! Taking a payment for an order (platform admins: phone and catering orders), with the
//! platform's fee from the fee rules, as a destination or a direct charge, captured now or later;
//! through the door, keyed, found again by its key's metadata after a lost answer. Card data never
//! reaches the app: only a saved payment method, or Stripe's test ones in test mode.

use serde_json::Value;

use super::take_views::{ChargeType, TakePaymentForm, TakenPayment};
use crate::desk::{Desk, DeskError};
use crate::money::{self, Money};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;
use crate::store::objects;
use crate::views::ConnectionMode;

pub(super) const AUDIT_TAKE: &str = "payments.take";
/// How long Stripe holds an authorization for capture.
pub const CAPTURE_WINDOW_SECONDS: i64 = 7 * 86_400;

impl Desk {
    /// Takes the payment `form` describes under `confirmation`.
    pub async fn take_payment(
        &self,
        form: &TakePaymentForm,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let profile = self.authorize_audited(Action::TakePayments, AUDIT_TAKE)?;
        let checked = self.check_take(&profile, form);
        let (restaurant, amount, currency, fee) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                let record = AuditRecord {
                    action: AUDIT_TAKE.into(),
                    target: Some(form.restaurant.trim().to_string()).filter(|t| !t.is_empty()),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err);
            }
        };
        let order = form.order_number.trim().to_string();
        let mut params = vec![
            ("amount", amount.to_string()),
            ("currency", currency.clone()),
            ("payment_method", form.payment_method.trim().to_string()),
            ("payment_method_types[]", "card".to_string()),
            ("confirm", "true".to_string()),
            // After 3-D Secure the payment waits for the desk's confirm step rather than charging
            // on its own: whoever took it sees what happened and confirms (Elastic Path's flow).
            ("confirmation_method", "manual".to_string()),
            ("capture_method", if form.capture_later { "manual" } else { "automatic" }.to_string()),
            ("application_fee_amount", fee.to_string()),
            ("metadata[order_number]", order.clone()),
        ];
        let acting_as = match form.charge_type {
            ChargeType::Destination => {
                params.push(("transfer_data[destination]", restaurant.clone()));
                params.push(("on_behalf_of", restaurant.clone()));
                None
            }
            ChargeType::Direct => Some(restaurant.as_str()),
        };
        let call = MoneyCall::new("payment", "/v1/payment_intents", acting_as, &params);
        let name = crate::payments::queries::Names::default().of(self.store().conn(), &restaurant)?;
        let intent = Intent {
            audit_action: AUDIT_TAKE.into(),
            target: Some(restaurant.clone()),
            amount: Some(amount),
            currency: Some(currency.clone()),
            summary: format!(
                "{} of {} for order {order} at {name} (fee {})",
                if form.capture_later { "Authorization" } else { "Payment" },
                money::display(amount, &currency),
                money::display(fee, &currency)
            ),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        let scope = acting_as.unwrap_or(objects::PLATFORM);
        self.remember_intent(scope, &done.value)?;
        Ok(taken(&done.value, &restaurant))
    }

    /// (restaurant, amount, currency, fee), or why not.
    fn check_take(
        &self,
        profile: &crate::profiles::Profile,
        form: &TakePaymentForm,
    ) -> Result<(String, i64, String, i64), DeskError> {
        let restaurant = form.restaurant.trim().to_string();
        crate::desk::scope::check_id("restaurant", &restaurant, "acct_")?;
        self.check_account(profile, &restaurant)?;
        let raw = crate::store::cache::account_raw(self.store().conn(), &restaurant)?
            .ok_or_else(|| DeskError::NotFound { what: "restaurant", id: restaurant.clone() })?;
        if let Some(refusal) = self.refusal_if_disconnected(&restaurant)? {
            return Err(refusal);
        }
        if raw["charges_enabled"] != true {
            return Err(DeskError::InvalidInput {
                field: "restaurant",
                reason: format!(
                    "{} cannot take card payments yet: Stripe needs more from the owner (see Accounts)",
                    crate::accounts::account_name(&raw)
                ),
            });
        }
        let currency = crate::desk::inputs::currency(&form.currency)?;
        let amount = crate::desk::inputs::positive_amount(&form.amount, &currency)?;
        let order = form.order_number.trim();
        if order.is_empty() || order.chars().count() > 100 || order.chars().any(char::is_control) {
            return Err(DeskError::InvalidInput {
                field: "order_number",
                reason: "Type the order number staff will look the payment up by (at most 100 characters)".into(),
            });
        }
        let method = form.payment_method.trim();
        crate::desk::scope::check_id("payment_method", method, "pm_")
            .or_else(|_| if is_test_method(method) { Ok(()) } else { Err(()) })
            .map_err(|()| DeskError::InvalidInput {
                field: "payment_method",
                reason: "Use the customer's saved payment method (pm_…): card numbers are never typed into this app"
                    .into(),
            })?;
        let mode = self.connection.read().unwrap_or_else(|p| p.into_inner()).mode;
        if is_test_method(method) && mode == ConnectionMode::Live {
            return Err(DeskError::InvalidInput {
                field: "payment_method",
                reason: "Stripe's test cards work in test mode only; with a live key use the customer's saved payment method".into(),
            });
        }
        let fee = self.fee_for(&restaurant, amount, &currency)?;
        Ok((restaurant, amount, currency, fee))
    }

    /// The platform's fee on `amount` at `restaurant` by the fee rules in force.
    pub(crate) fn fee_for(&self, restaurant: &str, amount: i64, currency: &str) -> Result<i64, DeskError> {
        Ok(self.fee_on(restaurant, amount, currency)?.0.fee)
    }

    pub(super) fn remember_intent(&self, scope: &str, intent: &Value) -> Result<(), DeskError> {
        objects::upsert(self.store().conn(), scope, std::slice::from_ref(intent), &self.clock.now().to_rfc3339())?;
        Ok(())
    }
}

/// When an authorization can no longer be captured: Stripe's own date on the card when the
/// charge is expanded, else 7 days from the authorization (the charge, which after 3-D Secure is
/// later than the PaymentIntent), else from the PaymentIntent.
pub(super) fn capture_deadline(pi: &Value) -> i64 {
    let charge = &pi["latest_charge"];
    charge["payment_method_details"]["card"]["capture_before"]
        .as_i64()
        .or_else(|| charge["created"].as_i64().map(|c| c + CAPTURE_WINDOW_SECONDS))
        .unwrap_or_else(|| pi["created"].as_i64().unwrap_or(0) + CAPTURE_WINDOW_SECONDS)
}

/// Stripe's test payment methods (`pm_card_visa`, `pm_card_threeDSecure2Required`, …).
fn is_test_method(method: &str) -> bool {
    method
        .strip_prefix("pm_card_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// A PaymentIntent as the screens show it.
pub(super) fn taken(pi: &Value, restaurant: &str) -> TakenPayment {
    let currency = pi["currency"].as_str().unwrap_or("usd");
    let status = pi["status"].as_str().unwrap_or("").to_string();
    let capture_before = (status == "requires_capture").then(|| capture_deadline(pi));
    let status_words = match status.as_str() {
        "requires_action" => {
            "The customer must authenticate (3-D Secure) at their bank; then confirm it here.".to_string()
        }
        "requires_confirmation" => "The customer authenticated: confirm the payment to charge the card.".to_string(),
        "requires_capture" => {
            "Authorized: capture it (with the tip) within 7 days, or cancel it to release the hold.".to_string()
        }
        "succeeded" => "Paid.".to_string(),
        "processing" => "Processing at the card network.".to_string(),
        "canceled" => "Canceled: the customer's hold was released.".to_string(),
        "requires_payment_method" => match pi["last_payment_error"]["message"].as_str() {
            Some(why) => format!("Not paid: {why}"),
            None => "Not paid: the card was declined.".to_string(),
        },
        other => other.replace('_', " "),
    };
    TakenPayment {
        id: pi["id"].as_str().unwrap_or_default().to_string(),
        restaurant: restaurant.to_string(),
        restaurant_name: None,
        amount: Money::new(pi["amount"].as_i64().unwrap_or(0), currency),
        capturable: Money::new(pi["amount_capturable"].as_i64().unwrap_or(0), currency),
        captured: Money::new(pi["amount_received"].as_i64().unwrap_or(0), currency),
        fee: pi["application_fee_amount"].as_i64().map(|f| Money::new(f, currency)),
        status,
        status_words,
        action_url: pi["next_action"]["redirect_to_url"]["url"].as_str().map(str::to_string),
        capture_before,
        order_number: pi["metadata"]["order_number"].as_str().map(str::to_string),
    }
}
