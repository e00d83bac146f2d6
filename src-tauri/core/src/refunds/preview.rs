//! The refund dialog's check before the confirmation: the typed amount read in the payment's
//! currency, against what the gateway says is left right now, with the method (refund or void),
//! who pays, and whether the profile's limit calls for a manager's PIN. Nothing is journalled or
//! sent; offline, the person learns it here, before confirming.

use super::cardconnect::{choose, Reversal};
use super::charge_kind::{self, ChargeKind};
use super::rules::{check_positive, refundable};
use super::views::{RefundDraft, RefundMethod, RefundPreview};
use crate::desk::scope::check_id;
use crate::desk::{Desk, DeskError};
use crate::gateways::{GatewayKind, Transaction};
use crate::money::{self, Money};
use crate::payments::queries::Names;
use crate::payments::words;
use crate::permissions::Action;
use crate::settings::REFUND_LIMITS;
use crate::store::transactions;

/// The effect sentence, once the amount is known (as shown: `12.50 USD`).
type Effect = Box<dyn Fn(&str) -> String + Send>;

impl Desk {
    /// Checks `draft` and says what confirming it will do.
    pub async fn refund_preview(&self, draft: &RefundDraft) -> Result<RefundPreview, DeskError> {
        let profile = self.authorize(Action::RefundPayment)?;
        let restaurant = draft.restaurant.trim();
        let payment = draft.payment.trim();
        self.check_account(&profile, restaurant)?;
        if let Some(refusal) = self.refusal_if_disconnected(restaurant)? {
            return Err(refusal);
        }
        let gateway = crate::accounts::gateway_of(restaurant).unwrap_or(GatewayKind::Stripe);
        let (tx, method, effect_of): (Transaction, RefundMethod, Effect) = match gateway {
            GatewayKind::CardConnect => {
                let client = self.cardconnect_client()?;
                let found = client
                    .inquire(restaurant, payment)
                    .await
                    .map_err(|e| DeskError::from(e).offline_refusal("CardConnect"))?
                    .ok_or_else(|| DeskError::NotFound { what: "payment", id: payment.to_string() })?;
                self.remember_cardconnect(&serde_json::to_value(&found).unwrap_or_default(), None)?;
                let cached = transactions::get(self.store().conn(), GatewayKind::CardConnect, payment)?;
                let refunded = cached.as_ref().map_or(0, |t| t.refunded);
                let tx = Transaction {
                    refunded,
                    order_ref: found.order_ref.clone().or(cached.and_then(|t| t.order_ref)),
                    ..found
                };
                let how = choose(&tx, refunded, None)?;
                let method = if how == Reversal::Void { RefundMethod::Void } else { RefundMethod::Refund };
                let name = Names::default().of(self.store().conn(), restaurant)?;
                let effect: Effect = match how {
                    Reversal::Void => Box::new(|_| {
                        "The payment has not settled yet, so CardConnect cancels it (a void): the customer is never charged, and it leaves their statement within a few days.".to_string()
                    }),
                    Reversal::Refund => Box::new(move |amount| {
                        format!("{amount} goes back to the customer's card from {name}'s CardConnect deposits; customers usually see it within 5–10 business days.")
                    }),
                };
                (tx, method, effect)
            }
            GatewayKind::Stripe => {
                check_id("payment", payment, if payment.starts_with("ch_") { "ch_" } else { "pi_" })?;
                let found = self.fresh_stripe_payment(restaurant, payment).await?;
                refundable(&found, None)?;
                let raw = self.cached_raw(&found.charge.reference)?;
                let kind = ChargeKind::of(restaurant, &raw);
                let mut names = Names::default();
                let name = names.of(self.store().conn(), restaurant)?;
                let destination = match charge_kind::destination(&raw) {
                    Some(d) => names.of(self.store().conn(), &d)?,
                    None => "the restaurant".into(),
                };
                let card = words::card(found.charge.card_brand.as_deref(), found.charge.card_last4.as_deref())
                    .unwrap_or_else(|| "card".into());
                let fee = charge_kind::has_fee(&raw);
                let effect: Effect = Box::new(move |amount| kind.effect(amount, &card, &name, &destination, fee));
                (found.charge, RefundMethod::Refund, effect)
            }
        };
        let left = tx.refundable();
        let amount = match draft.amount.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => left,
            Some(text) => money::parse_major(text, &tx.currency)
                .map_err(|e| DeskError::InvalidInput { field: "amount", reason: amount_reason(&e.to_string()) })?,
        };
        check_positive(Some(amount))?;
        // The same rules the refund itself applies, with the figures just read.
        match gateway {
            GatewayKind::CardConnect => {
                choose(&tx, tx.refunded, Some(amount))?;
            }
            GatewayKind::Stripe => {
                refundable(&crate::refunds::rules::StripePayment { charge: tx.clone(), dispute: None }, Some(amount))?;
            }
        }
        let limit = self.store().get(&REFUND_LIMITS)?.unwrap_or_default().limit(profile.role, &tx.currency);
        let shown = format!("{} {}", Money::new(amount, &tx.currency).to_major_string(), tx.currency.to_uppercase());
        let restaurant_name = Names::default().of(self.store().conn(), restaurant)?;
        Ok(RefundPreview {
            gateway,
            gateway_label: gateway.label().to_string(),
            restaurant: restaurant.to_string(),
            restaurant_name,
            payment: tx.reference.clone(),
            order_number: tx.order_ref.clone(),
            amount: Money::new(amount, &tx.currency),
            refundable: Money::new(left, &tx.currency),
            left_after: Money::new((left - amount).max(0), &tx.currency),
            method,
            effect: effect_of(&shown),
            limit: limit.map(|l| Money::new(l, &tx.currency)),
            needs_approval: limit.is_some_and(|l| amount > l),
        })
    }
}

/// An amount that does not read, said as a sentence.
fn amount_reason(why: &str) -> String {
    let mut text = crate::views::capitalise(why);
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}
