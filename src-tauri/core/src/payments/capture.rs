//! An authorized payment finished or let go, and a payment that needed 3-D Secure confirmed:
//! capture all or part (the rest released; the platform's fee on what was captured), cancel with a
//! reason, confirm once the customer authenticated. Each checks the PaymentIntent as Stripe has it
//! now — its status, what is capturable, the 7-day window — before anything is journalled.

use serde_json::Value;

use super::take::taken;
use super::take_views::{CancelReason, CaptureForm, TakenPayment};
use crate::desk::{Desk, DeskError};
use crate::money;
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::objects;

const AUDIT_CAPTURE: &str = "payments.capture";
const AUDIT_CANCEL: &str = "payments.cancel";
const AUDIT_CONFIRM: &str = "payments.confirm";

fn invalid(field: &'static str, reason: impl Into<String>) -> DeskError {
    DeskError::InvalidInput { field, reason: reason.into() }
}

impl Desk {
    /// A payment taken here (or any PaymentIntent the profile may see), fresh from Stripe.
    pub async fn taken_payment(&self, restaurant: &str, payment: &str) -> Result<TakenPayment, DeskError> {
        let profile = self.authorize(Action::ViewPayments)?;
        if crate::accounts::gateway_of(restaurant.trim()) == Some(crate::gateways::GatewayKind::CardConnect) {
            let txn = self.fresh_cardconnect(&profile, restaurant.trim(), payment.trim()).await?;
            return Ok(super::cardconnect_auth::cardconnect_taken(&txn, txn.amount));
        }
        let pi = self.fresh_intent(&profile, restaurant, payment).await?;
        Ok(taken(&pi, restaurant))
    }

    /// Captures all or part of an authorization under `confirmation`.
    pub async fn capture_payment(
        &self,
        form: &CaptureForm,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let profile = self.authorize_audited(Action::CapturePayments, AUDIT_CAPTURE)?;
        let restaurant = form.restaurant.trim();
        if crate::accounts::gateway_of(restaurant) == Some(crate::gateways::GatewayKind::CardConnect) {
            let result = self
                .capture_cardconnect(&profile, restaurant, form.payment.trim(), form.amount.as_deref(), confirmation)
                .await;
            return match result {
                Err(err) if refused_before_the_door(&err) => {
                    Err(self.payment_refused(&profile, AUDIT_CAPTURE, &form.payment, err)?)
                }
                other => other,
            };
        }
        let checked = async {
            let pi = self.fresh_intent(&profile, restaurant, &form.payment).await?;
            let currency = pi["currency"].as_str().unwrap_or("usd").to_string();
            if pi["status"] != "requires_capture" {
                return Err(invalid("payment", format!("This payment is not waiting for capture ({})", taken(&pi, restaurant).status_words)));
            }
            let deadline = super::take::capture_deadline(&pi);
            if self.clock.now().timestamp() >= deadline {
                return Err(invalid(
                    "payment",
                    "The 7 days to capture this authorization have passed: the bank has released the hold. Take a new payment.",
                ));
            }
            let capturable = pi["amount_capturable"].as_i64().unwrap_or(0);
            let amount = match form.amount.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => capturable,
                Some(text) => money::parse_major(text, &currency)
                    .map_err(|e| invalid("amount", crate::views::capitalise(&e.to_string())))?,
            };
            if amount <= 0 {
                return Err(invalid("amount", "Capture more than zero, or cancel the authorization instead"));
            }
            if amount > capturable {
                return Err(invalid(
                    "amount",
                    format!(
                        "Only {} was authorized; {} is more (a larger tip needs a new payment)",
                        money::display(capturable, &currency),
                        money::display(amount, &currency)
                    ),
                ));
            }
            let fee = self.fee_for(restaurant_of(&pi, restaurant), amount, &currency)?;
            Ok((pi, currency, amount, fee))
        }
        .await;
        let (pi, currency, amount, fee) = match checked {
            Ok(checked) => checked,
            Err(err) => return Err(self.payment_refused(&profile, AUDIT_CAPTURE, &form.payment, err)?),
        };
        let id = form.payment.trim();
        let params = [("amount_to_capture", amount.to_string()), ("application_fee_amount", fee.to_string())];
        let call =
            MoneyCall::new("capture", format!("/v1/payment_intents/{id}/capture"), scope_of(&pi, restaurant), &params);
        let released = pi["amount_capturable"].as_i64().unwrap_or(0) - amount;
        let intent = Intent {
            audit_action: AUDIT_CAPTURE.into(),
            target: Some(id.to_string()),
            amount: Some(amount),
            currency: Some(currency.clone()),
            summary: format!(
                "Capture of {} (fee {}, {} released) of order {}",
                money::display(amount, &currency),
                money::display(fee, &currency),
                money::display(released, &currency),
                pi["metadata"]["order_number"].as_str().unwrap_or("without a number")
            ),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        self.after_change(restaurant, &done.value)
    }

    /// Lets an authorization go (the customer's hold released) under `confirmation`.
    pub async fn cancel_payment(
        &self,
        restaurant: &str,
        payment: &str,
        reason: CancelReason,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let profile = self.authorize_audited(Action::CapturePayments, AUDIT_CANCEL)?;
        if crate::accounts::gateway_of(restaurant.trim()) == Some(crate::gateways::GatewayKind::CardConnect) {
            return match self.void_cardconnect(&profile, restaurant.trim(), payment.trim(), confirmation).await {
                Err(err) if refused_before_the_door(&err) => {
                    Err(self.payment_refused(&profile, AUDIT_CANCEL, payment, err)?)
                }
                other => other,
            };
        }
        let checked = async {
            let pi = self.fresh_intent(&profile, restaurant, payment).await?;
            let cancelable =
                ["requires_capture", "requires_action", "requires_confirmation", "requires_payment_method"];
            if !cancelable.contains(&pi["status"].as_str().unwrap_or("")) {
                return Err(invalid(
                    "payment",
                    format!(
                        "This payment cannot be canceled: {} Refund it instead.",
                        taken(&pi, restaurant).status_words
                    ),
                ));
            }
            Ok(pi)
        }
        .await;
        let pi = match checked {
            Ok(pi) => pi,
            Err(err) => return Err(self.payment_refused(&profile, AUDIT_CANCEL, payment, err)?),
        };
        let id = payment.trim();
        let call = MoneyCall::new(
            "cancel",
            format!("/v1/payment_intents/{id}/cancel"),
            scope_of(&pi, restaurant),
            &[("cancellation_reason", reason.as_str().to_string())],
        );
        let currency = pi["currency"].as_str().unwrap_or("usd");
        let intent = Intent {
            audit_action: AUDIT_CANCEL.into(),
            target: Some(id.to_string()),
            amount: pi["amount"].as_i64(),
            currency: Some(currency.to_string()),
            summary: format!(
                "Cancel the authorization of {} ({})",
                money::display(pi["amount"].as_i64().unwrap_or(0), currency),
                reason.as_str().replace('_', " ")
            ),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        self.after_change(restaurant, &done.value)
    }

    /// Confirms a payment the customer authenticated (3-D Secure) under `confirmation`.
    pub async fn confirm_payment(
        &self,
        restaurant: &str,
        payment: &str,
        confirmation: Option<&str>,
    ) -> Result<TakenPayment, DeskError> {
        let profile = self.authorize_audited(Action::TakePayments, AUDIT_CONFIRM)?;
        let checked = async {
            let pi = self.fresh_intent(&profile, restaurant, payment).await?;
            match pi["status"].as_str().unwrap_or("") {
                "requires_confirmation" => Ok(pi),
                "requires_action" => Err(invalid(
                    "payment",
                    "The customer has not authenticated yet: send them the authentication link, then confirm.",
                )),
                _ => Err(invalid("payment", format!("Nothing to confirm: {}", taken(&pi, restaurant).status_words))),
            }
        }
        .await;
        let pi = match checked {
            Ok(pi) => pi,
            Err(err) => return Err(self.payment_refused(&profile, AUDIT_CONFIRM, payment, err)?),
        };
        let id = payment.trim();
        let call =
            MoneyCall::new("confirm", format!("/v1/payment_intents/{id}/confirm"), scope_of(&pi, restaurant), &[]);
        let currency = pi["currency"].as_str().unwrap_or("usd");
        let intent = Intent {
            audit_action: AUDIT_CONFIRM.into(),
            target: Some(id.to_string()),
            amount: pi["amount"].as_i64(),
            currency: Some(currency.to_string()),
            summary: format!(
                "Confirm the authenticated payment of {}",
                money::display(pi["amount"].as_i64().unwrap_or(0), currency)
            ),
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        self.after_change(restaurant, &done.value)
    }

    /// The PaymentIntent as Stripe has it now, after the profile's scope and the restaurant's
    /// connection are checked. `restaurant` is where it lives: the connected account of a direct
    /// charge, or the destination of a platform charge.
    async fn fresh_intent(&self, profile: &Profile, restaurant: &str, payment: &str) -> Result<Value, DeskError> {
        let restaurant = restaurant.trim();
        let payment = payment.trim();
        crate::desk::scope::check_id("payment", payment, "pi_")?;
        if !restaurant.is_empty() {
            crate::desk::scope::check_id("restaurant", restaurant, "acct_")?;
        }
        self.check_account(profile, restaurant)?;
        if let Some(refusal) = self.refusal_if_disconnected(restaurant)? {
            return Err(refusal);
        }
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let path = format!("/v1/payment_intents/{payment}");
        let expand = [("expand[]", "latest_charge".to_string())];
        let found = client.get::<Value>(&path, &expand, acting_as(restaurant)).await;
        let pi = match found {
            Ok(found) => found.value,
            // A destination charge lives on the platform, not on the restaurant's account.
            Err(crate::gateways::stripe::StripeError::Api { status: 404, .. }) if !restaurant.is_empty() => {
                client
                    .get::<Value>(&path, &[], None)
                    .await
                    .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?
                    .value
            }
            Err(e) => return Err(DeskError::from(e).offline_refusal("Stripe")),
        };
        // Found on the platform: it must be this restaurant's own destination charge, or the
        // profile would reach another restaurant's payment by naming its own.
        let destination = pi["transfer_data"]["destination"].as_str();
        let on_platform = pi["on_behalf_of"].is_string() || destination.is_some();
        if !restaurant.is_empty() && on_platform && destination != Some(restaurant) {
            return Err(DeskError::NotFound { what: "payment", id: payment.to_string() });
        }
        // The cache keeps Stripe's shape: the charge as an object of its own, its ID on the intent.
        let scope = if on_platform || restaurant.is_empty() { objects::PLATFORM } else { restaurant };
        let mut cached = pi.clone();
        if let Some(charge) = pi["latest_charge"].as_object() {
            if let Some(id) = charge.get("id").and_then(Value::as_str) {
                cached["latest_charge"] = Value::String(id.to_string());
            }
            self.remember_intent(scope, &pi["latest_charge"])?;
        }
        self.remember_intent(scope, &cached)?;
        Ok(pi)
    }

    fn after_change(&self, restaurant: &str, pi: &Value) -> Result<TakenPayment, DeskError> {
        let on_platform = pi["transfer_data"]["destination"].as_str().is_some() || restaurant.is_empty();
        self.remember_intent(if on_platform { objects::PLATFORM } else { restaurant }, pi)?;
        Ok(taken(pi, restaurant))
    }

    fn payment_refused(
        &self,
        profile: &Profile,
        action: &str,
        payment: &str,
        err: DeskError,
    ) -> Result<DeskError, DeskError> {
        let record = AuditRecord {
            action: action.into(),
            target: Some(payment.trim().to_string()),
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        self.audit(profile, record)?;
        Ok(err)
    }
}

/// Whether a CardConnect capture or void was refused before the door (which audits what it
/// journals itself): every such refusal is audited here.
fn refused_before_the_door(err: &DeskError) -> bool {
    !matches!(
        err,
        DeskError::OutcomeUnknown { .. }
            | DeskError::Unfinished { .. }
            | DeskError::AlreadyAnswered { .. }
            | DeskError::Store(_)
            | DeskError::CardConnect(_)
            | DeskError::Disconnected { .. }
    )
}

/// Where a call for `restaurant`'s payment is made: as the restaurant (direct charge) — the
/// platform's own charges name it as their destination and are called as the platform.
fn acting_as(restaurant: &str) -> Option<&str> {
    Some(restaurant).filter(|r| !r.is_empty())
}

/// The account a call about `pi` is made as: the platform for its own (destination) charges.
fn scope_of<'a>(pi: &Value, restaurant: &'a str) -> Option<&'a str> {
    if pi["transfer_data"]["destination"].is_string() {
        None
    } else {
        acting_as(restaurant)
    }
}

fn restaurant_of<'a>(pi: &'a Value, restaurant: &'a str) -> &'a str {
    pi["transfer_data"]["destination"].as_str().unwrap_or(restaurant)
}

impl Desk {
    /// Authorizations waiting for capture at the restaurants the profile may see, those whose
    /// 7 days end first on top (from the cache: a sync or a refresh brings the newest).
    pub fn authorizations(&self) -> Result<Vec<TakenPayment>, DeskError> {
        let profile = self.authorize(Action::CapturePayments)?;
        let rows: Vec<(String, String)> = {
            let store = self.store();
            let mut stmt = store
                .conn()
                .prepare_cached(
                    "SELECT account, raw FROM objects WHERE kind = 'payment_intent' AND status = 'requires_capture'
                     ORDER BY created",
                )
                .map_err(crate::store::StoreError::from)?;
            let found = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(crate::store::StoreError::from)?;
            found.collect::<Result<_, _>>().map_err(crate::store::StoreError::from)?
        };
        let mut out = Vec::new();
        let mut names = crate::payments::queries::Names::default();
        for (account, raw) in rows {
            let pi: Value = objects::parse(&raw)?;
            let restaurant = pi["transfer_data"]["destination"].as_str().map(str::to_string).unwrap_or(account);
            if self.may_see_subject(&profile, Some(&restaurant)) {
                let mut row = taken(&pi, &restaurant);
                row.restaurant_name = Some(names.of(self.store().conn(), &restaurant)?);
                out.push(row);
            }
        }
        // CardConnect tabs authorized and not captured (CardPointe keeps one retref per payment).
        let tabs = crate::store::transactions::open_authorizations(self.store().conn())?;
        for txn in tabs {
            if self.may_see_subject(&profile, Some(&txn.restaurant)) {
                let mut row = super::cardconnect_auth::cardconnect_taken(&txn, txn.amount);
                row.restaurant_name = Some(names.of(self.store().conn(), &txn.restaurant)?);
                out.push(row);
            }
        }
        out.sort_by_key(|r| r.capture_before.unwrap_or(i64::MAX));
        Ok(out)
    }
}
