//! PaymentIntents and their charges: create, confirm, capture (in full or in part), cancel, and the
//! 7-day expiry of uncaptured authorizations. Captured money lands in the ledger with Stripe's fee,
//! the platform's application fee, and — for destination charges — the transfer to the account.
//! A card that needs 3-D Secure stops the confirmation at `requires_action` until the customer
//! authenticates (see [`super::three_d_secure`]).

use serde_json::{json, Map, Value};

use super::cards::{self, Outcome};
use super::{find, save, three_d_secure};
use crate::events::emit;
use crate::ledger::{self, Movement};
use crate::state::{Scope, State};
use crate::ApiError;

/// Uncaptured authorizations expire after this long.
pub const AUTHORIZATION_DAYS: i64 = 7;

/// The platform application every application fee names.
pub const PLATFORM_APPLICATION: &str = "ca_MerchantDeskPlatform0001";

/// What `POST /v1/payment_intents` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewIntent {
    pub amount: i64,
    pub currency: String,
    pub capture_manual: bool,
    pub payment_method: Option<String>,
    pub confirm: bool,
    pub application_fee_amount: Option<i64>,
    pub destination: Option<String>,
    pub on_behalf_of: Option<String>,
    pub metadata: Map<String, Value>,
    pub description: Option<String>,
    pub customer: Option<String>,
    /// Where Stripe emails the receipt; the charge carries it too (`receipt_email`).
    pub receipt_email: Option<String>,
    /// `confirmation_method=manual`: after 3-D Secure the platform confirms again itself.
    pub confirmation_manual: bool,
    /// Where the customer returns after 3-D Secure (only with `confirm`, as at Stripe).
    pub return_url: Option<String>,
    /// Where the authentication page is served (`http://{Host}` of the request); `None`: where
    /// the server listens.
    pub base_url: Option<String>,
}

/// What `POST /v1/payment_intents/{id}/confirm` (or `confirm=true` on create) brings.
#[derive(Debug, Clone, Default)]
pub struct Confirmation {
    pub payment_method: Option<String>,
    /// Where the customer returns after 3-D Secure.
    pub return_url: Option<String>,
    /// As [`NewIntent::base_url`].
    pub base_url: Option<String>,
}

pub fn create_intent(state: &mut State, scope: &Scope, req: NewIntent) -> Result<Value, ApiError> {
    if let Some(fee) = req.application_fee_amount {
        if scope.is_none() && req.destination.is_none() {
            return Err(ApiError::invalid_param(
                "application_fee_amount",
                "parameter_invalid_integer",
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
            ));
        }
        if fee > req.amount {
            return Err(ApiError::invalid_param(
                "application_fee_amount",
                "parameter_invalid_integer",
                "The application fee amount cannot be greater than the amount of the payment.",
            ));
        }
    }
    if let Some(dest) = &req.destination {
        if scope.is_some() || state.connected(dest).is_none() {
            return Err(ApiError::missing("destination", dest, "transfer_data[destination]"));
        }
    }
    if let Some(pm) = &req.payment_method {
        if cards::lookup(pm).is_none() {
            return Err(ApiError::missing("payment_method", pm, "payment_method"));
        }
    }
    if req.return_url.is_some() && !req.confirm {
        return Err(ApiError {
            param: Some("return_url".into()),
            ..ApiError::invalid_request("You may only specify a `return_url` when `confirm` is set to `true`.")
        });
    }
    let id = state.new_id("pi");
    let now = state.now();
    let status = if req.payment_method.is_some() { "requires_confirmation" } else { "requires_payment_method" };
    let intent = json!({
        "id": id,
        "object": "payment_intent",
        "amount": req.amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "application": Value::Null,
        "application_fee_amount": req.application_fee_amount,
        "automatic_payment_methods": Value::Null,
        "canceled_at": Value::Null,
        "cancellation_reason": Value::Null,
        "capture_method": if req.capture_manual { "manual" } else { "automatic" },
        "client_secret": format!("{id}_secret_{}", &id[3..]),
        "confirmation_method": if req.confirmation_manual { "manual" } else { "automatic" },
        "created": now,
        "currency": req.currency,
        "customer": req.customer,
        "description": req.description,
        "invoice": Value::Null,
        "last_payment_error": Value::Null,
        "latest_charge": Value::Null,
        "livemode": false,
        "metadata": req.metadata,
        "next_action": Value::Null,
        "on_behalf_of": req.on_behalf_of,
        "payment_method": req.payment_method,
        "payment_method_options": { "card": { "installments": Value::Null, "mandate_options": Value::Null, "network": Value::Null, "request_three_d_secure": "automatic" } },
        "payment_method_types": ["card"],
        "processing": Value::Null,
        "receipt_email": req.receipt_email,
        "review": Value::Null,
        "setup_future_usage": Value::Null,
        "shipping": Value::Null,
        "statement_descriptor": Value::Null,
        "statement_descriptor_suffix": Value::Null,
        "status": status,
        "transfer_data": req.destination.as_ref().map(|d| json!({ "destination": d })),
        "transfer_group": Value::Null,
    });
    state.insert(scope.clone(), "payment_intent", intent.clone());
    emit(state, scope, "payment_intent.created", &intent, None);
    if req.confirm {
        let how = Confirmation { payment_method: None, return_url: req.return_url, base_url: req.base_url };
        return confirm_intent(state, scope, &id, how);
    }
    Ok(intent)
}

/// Confirms with the attached (or given) payment method: the card is charged or authorized, or —
/// for a card that needs 3-D Secure the customer has not passed yet — the intent waits in
/// `requires_action` for the customer.
pub fn confirm_intent(state: &mut State, scope: &Scope, id: &str, how: Confirmation) -> Result<Value, ApiError> {
    let mut intent = find(state, scope, "payment_intent", id, "intent")?;
    let status = intent["status"].as_str().unwrap_or_default().to_string();
    if status == "requires_action" {
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            "This PaymentIntent's payment_method requires authentication before it can be confirmed. The customer must first complete the action in `next_action.redirect_to_url`.",
        )
        .with("payment_intent", intent));
    }
    if !matches!(status.as_str(), "requires_payment_method" | "requires_confirmation") {
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            format!("You cannot confirm this PaymentIntent because it has a status of {status}."),
        ));
    }
    if let Some(pm) = how.payment_method {
        intent["payment_method"] = json!(pm);
    }
    let Some(pm) = intent["payment_method"].as_str().map(str::to_string) else {
        return Err(ApiError::invalid_param(
            "payment_method",
            "payment_intent_unexpected_state",
            "You cannot confirm this PaymentIntent because it's missing a payment method.",
        ));
    };
    let card = cards::lookup(&pm).ok_or_else(|| ApiError::missing("payment_method", &pm, "payment_method"))?;
    // A new attempt: the previous one's error is cleared, as at Stripe.
    intent["last_payment_error"] = Value::Null;
    // With manual confirmation, the customer may already have authenticated this card.
    let authenticated = state.three_d_secure.authenticated.remove(id).is_some_and(|done| done == pm);
    if card.authentication && !authenticated {
        three_d_secure::require(state, scope, &mut intent, &pm, how.return_url, how.base_url.as_deref());
        return Ok(intent);
    }
    charge(state, scope, intent, &card, card.authentication)
}

/// Charges (or, for `capture_method=manual`, authorizes) an intent that the customer has
/// authenticated, confirmed automatically right after 3-D Secure.
pub(crate) fn charge_authenticated(state: &mut State, scope: &Scope, intent: Value) -> Result<Value, ApiError> {
    let pm = intent["payment_method"].as_str().unwrap_or_default().to_string();
    let card = cards::lookup(&pm).ok_or_else(|| ApiError::missing("payment_method", &pm, "payment_method"))?;
    charge(state, scope, intent, &card, true)
}

/// The card is charged: declined (402, the intent back to `requires_payment_method`), authorized
/// (`requires_capture`) or captured (`succeeded`), as the card and `capture_method` say.
fn charge(
    state: &mut State,
    scope: &Scope,
    mut intent: Value,
    card: &cards::TestCard,
    authenticated: bool,
) -> Result<Value, ApiError> {
    let id = intent["id"].as_str().unwrap_or_default().to_string();
    intent["next_action"] = Value::Null;
    let amount = intent["amount"].as_i64().unwrap_or(0);
    let currency = intent["currency"].as_str().unwrap_or("usd").to_string();
    let manual = intent["capture_method"] == "manual";

    if let Outcome::Declines(code) = card.outcome {
        let charge = new_charge(state, scope, &intent, card, false, Some(code), authenticated);
        intent["status"] = json!("requires_payment_method");
        intent["latest_charge"] = json!(charge["id"]);
        let message = cards::decline_message(code);
        intent["last_payment_error"] = json!({
            "charge": charge["id"], "code": "card_declined", "decline_code": code, "message": message, "type": "card_error"
        });
        save(state, scope, &intent);
        emit(state, scope, "charge.failed", &charge, None);
        emit(state, scope, "payment_intent.payment_failed", &intent, None);
        return Err(ApiError::card_declined(code, message)
            .with("charge", charge["id"].clone())
            .with("payment_intent", intent.clone()));
    }

    let mut charge = new_charge(state, scope, &intent, card, !manual, None, authenticated);
    intent["latest_charge"] = json!(charge["id"]);
    if manual {
        intent["status"] = json!("requires_capture");
        intent["amount_capturable"] = json!(amount);
        save(state, scope, &intent);
        emit(state, scope, "charge.succeeded", &charge, None);
        emit(state, scope, "payment_intent.amount_capturable_updated", &intent, None);
    } else {
        settle_capture(state, scope, &intent, &mut charge, amount, &currency);
        intent["status"] = json!("succeeded");
        intent["amount_received"] = json!(amount);
        save(state, scope, &intent);
        emit(state, scope, "charge.succeeded", &charge, None);
        emit(state, scope, "payment_intent.succeeded", &intent, None);
    }
    if card.outcome == Outcome::Disputed && !manual {
        super::disputes::open(state, scope, &charge);
    }
    find(state, scope, "payment_intent", &id, "intent")
}

/// Captures an authorized PaymentIntent, all of it or `amount_to_capture` of it.
pub fn capture_intent(
    state: &mut State,
    scope: &Scope,
    id: &str,
    amount_to_capture: Option<i64>,
    application_fee_amount: Option<i64>,
) -> Result<Value, ApiError> {
    let mut intent = find(state, scope, "payment_intent", id, "intent")?;
    let status = intent["status"].as_str().unwrap_or_default().to_string();
    if status != "requires_capture" {
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            format!("This PaymentIntent could not be captured because it has a status of {status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture."),
        ));
    }
    let capturable = intent["amount_capturable"].as_i64().unwrap_or(0);
    let amount = amount_to_capture.unwrap_or(capturable);
    if amount > capturable {
        return Err(ApiError::invalid_param(
            "amount_to_capture",
            "amount_too_large",
            format!("The amount_to_capture ({amount}) is greater than the amount capturable ({capturable}) on this PaymentIntent."),
        ));
    }
    if let Some(fee) = application_fee_amount {
        if scope.is_none() && intent["transfer_data"]["destination"].is_null() {
            return Err(ApiError::invalid_param(
                "application_fee_amount",
                "parameter_invalid_integer",
                "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
            ));
        }
        if fee > amount {
            return Err(ApiError::invalid_param(
                "application_fee_amount",
                "parameter_invalid_integer",
                "The application fee amount cannot be greater than the amount captured.",
            ));
        }
        intent["application_fee_amount"] = json!(fee);
    }
    let charge_id = intent["latest_charge"].as_str().unwrap_or_default().to_string();
    let mut charge = find(state, scope, "charge", &charge_id, "charge")?;
    let currency = intent["currency"].as_str().unwrap_or("usd").to_string();
    settle_capture(state, scope, &intent, &mut charge, amount, &currency);
    // The uncaptured remainder is released, which Stripe shows as refunded on the charge.
    let total = charge["amount"].as_i64().unwrap_or(0);
    charge["amount_refunded"] = json!(total - amount);
    save(state, scope, &charge);
    intent["status"] = json!("succeeded");
    intent["amount_capturable"] = json!(0);
    intent["amount_received"] = json!(amount);
    save(state, scope, &intent);
    emit(state, scope, "charge.captured", &charge, None);
    emit(state, scope, "payment_intent.succeeded", &intent, None);
    Ok(intent)
}

/// Cancels a PaymentIntent that has not succeeded; an authorization is released.
pub fn cancel_intent(state: &mut State, scope: &Scope, id: &str, reason: Option<String>) -> Result<Value, ApiError> {
    let mut intent = find(state, scope, "payment_intent", id, "intent")?;
    let status = intent["status"].as_str().unwrap_or_default().to_string();
    if matches!(status.as_str(), "succeeded" | "canceled") {
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            format!("You cannot cancel this PaymentIntent because it has a status of {status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing."),
        ));
    }
    release_authorization(state, scope, &mut intent, reason.unwrap_or_else(|| "requested_by_customer".into()));
    Ok(intent)
}

fn release_authorization(state: &mut State, scope: &Scope, intent: &mut Value, reason: String) {
    if intent["status"] == "requires_capture" {
        if let Some(charge_id) = intent["latest_charge"].as_str().map(str::to_string) {
            if let Some(mut charge) = state.get(scope, &charge_id).cloned() {
                charge["amount_refunded"] = charge["amount"].clone();
                charge["refunded"] = json!(true);
                save(state, scope, &charge);
                emit(state, scope, "charge.expired", &charge, None);
            }
        }
    }
    intent["status"] = json!("canceled");
    intent["next_action"] = Value::Null;
    intent["amount_capturable"] = json!(0);
    intent["canceled_at"] = json!(state.now());
    intent["cancellation_reason"] = json!(reason);
    save(state, scope, intent);
    emit(state, scope, "payment_intent.canceled", intent, None);
}

/// Cancels every authorization older than seven days (called when the clock moves). The days count
/// from the authorization (the charge), which after 3-D Secure can be later than the intent.
pub fn expire_authorizations(state: &mut State) {
    let cutoff = state.now() - AUTHORIZATION_DAYS * 86_400;
    let authorized_at = |s: &Scope, v: &Value| {
        v["latest_charge"]
            .as_str()
            .and_then(|c| state.get(s, c))
            .and_then(|c| c["created"].as_i64())
            .or_else(|| v["created"].as_i64())
            .unwrap_or(i64::MAX)
    };
    let expired: Vec<(Scope, Value)> = state
        .objects_of_kind("payment_intent")
        .filter(|(s, v)| v["status"] == "requires_capture" && authorized_at(s, v) <= cutoff)
        .map(|(s, v)| (s.clone(), v.clone()))
        .collect();
    for (scope, mut intent) in expired {
        release_authorization(state, &scope, &mut intent, "automatic".into());
    }
}

fn new_charge(
    state: &mut State,
    scope: &Scope,
    intent: &Value,
    card: &cards::TestCard,
    captured: bool,
    decline: Option<&str>,
    authenticated: bool,
) -> Value {
    let id = state.new_id("ch");
    let now = state.now();
    let amount = intent["amount"].as_i64().unwrap_or(0);
    let failed = decline.is_some();
    // The customer passed the issuer's challenge (3-D Secure 2).
    let three_d_secure = authenticated.then(|| {
        json!({ "authentication_flow": "challenge", "result": "authenticated", "result_reason": Value::Null, "version": "2.2.0" })
    });
    let mut charge = json!({
        "id": id,
        "object": "charge",
        "amount": amount,
        "amount_captured": 0,
        "amount_refunded": 0,
        "application": Value::Null,
        "application_fee": Value::Null,
        "application_fee_amount": intent["application_fee_amount"],
        "balance_transaction": Value::Null,
        "billing_details": { "address": Value::Null, "email": Value::Null, "name": Value::Null, "phone": Value::Null },
        "calculated_statement_descriptor": "MERCHANT DESK",
        "captured": captured,
        "created": now,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": false,
        "failure_balance_transaction": Value::Null,
        "failure_code": decline.map(|_| "card_declined"),
        "failure_message": decline.map(cards::decline_message),
        "fraud_details": {},
        "invoice": Value::Null,
        "livemode": false,
        "metadata": intent["metadata"],
        "on_behalf_of": intent["on_behalf_of"],
        "outcome": {
            "network_status": if failed { "declined_by_network" } else { "approved_by_network" },
            "reason": decline,
            "risk_level": "normal",
            "risk_score": 12,
            "seller_message": if failed { "The bank did not return any further details with this decline." } else { "Payment complete." },
            "type": if failed { "issuer_declined" } else { "authorized" }
        },
        "paid": !failed,
        "payment_intent": intent["id"],
        "payment_method": intent["payment_method"],
        "payment_method_details": {
            "card": {
                "brand": card.brand, "checks": { "address_line1_check": Value::Null, "address_postal_code_check": Value::Null, "cvc_check": "pass" },
                "country": card.country, "exp_month": 12, "exp_year": 2034, "fingerprint": format!("fp{}", card.last4),
                "funding": card.funding, "installments": Value::Null, "last4": card.last4, "mandate": Value::Null,
                "network": card.brand, "network_token": Value::Null, "three_d_secure": three_d_secure, "wallet": Value::Null
            },
            "type": "card"
        },
        "receipt_email": intent["receipt_email"],
        "receipt_number": Value::Null,
        "receipt_url": Value::Null,
        "refunded": false,
        "refunds": { "object": "list", "data": [], "has_more": false, "url": format!("/v1/charges/{id}/refunds") },
        "review": Value::Null,
        "shipping": Value::Null,
        "source_transfer": Value::Null,
        "statement_descriptor": Value::Null,
        "statement_descriptor_suffix": Value::Null,
        "status": if failed { "failed" } else { "succeeded" },
        "transfer_data": intent["transfer_data"],
        "transfer_group": Value::Null,
    });
    if failed {
        charge["application_fee_amount"] = Value::Null;
    }
    state.insert(scope.clone(), "charge", charge.clone());
    charge
}

/// Books a captured amount: the charge's balance transaction with Stripe's fee, the application
/// fee to the platform, and for destination charges the transfer to the connected account.
fn settle_capture(state: &mut State, scope: &Scope, intent: &Value, charge: &mut Value, amount: i64, currency: &str) {
    let now = state.now();
    // Funds settle after the account's payout delay (Stripe's `delay_days`).
    let delay = scope
        .as_ref()
        .and_then(|a| state.account(a))
        .and_then(|a| a["settings"]["payouts"]["schedule"]["delay_days"].as_i64())
        .unwrap_or(ledger::SETTLEMENT_DAYS);
    let available_on = Some(ledger::day_start_after(now, delay));
    let charge_id = charge["id"].as_str().unwrap_or_default().to_string();
    let app_fee = intent["application_fee_amount"].as_i64().filter(|f| *f > 0);
    let destination = intent["transfer_data"]["destination"].as_str().map(str::to_string);
    let mut fees = vec![("stripe_fee", ledger::stripe_fee(amount, currency), "Stripe processing fees".to_string())];
    if let (Some(fee), None) = (app_fee, &destination) {
        fees.push(("application_fee", fee, "Platform application fee".to_string()));
    }
    let txn = ledger::record(
        state,
        Movement {
            scope: scope.clone(),
            kind: "charge",
            reporting_category: "charge",
            amount,
            currency: currency.to_string(),
            fees,
            source: Some(charge_id.clone()),
            description: intent["description"].as_str().map(str::to_string),
            available_on,
        },
    );
    charge["captured"] = json!(true);
    charge["amount_captured"] = json!(amount);
    charge["balance_transaction"] = json!(txn);
    charge["application_fee_amount"] = json!(app_fee);

    match (destination, scope) {
        (Some(dest), None) => {
            // Destination charge: the platform keeps the application fee and transfers the rest.
            let transfer_amount = amount - app_fee.unwrap_or(0);
            let transfer =
                super::transfers::fund_destination(state, &dest, transfer_amount, currency, &charge_id, available_on);
            charge["transfer"] = json!(transfer);
        }
        (None, Some(account)) => {
            if let Some(fee) = app_fee {
                let fee_id = application_fee(state, account, &charge_id, fee, currency, available_on);
                charge["application_fee"] = json!(fee_id);
            }
        }
        _ => {}
    }
    save(state, scope, charge);
}

/// The platform's application fee object and its balance transaction, for a direct charge.
fn application_fee(
    state: &mut State,
    account: &str,
    charge: &str,
    amount: i64,
    currency: &str,
    available_on: Option<i64>,
) -> String {
    let id = state.new_id("fee");
    let txn = ledger::record(
        state,
        Movement {
            scope: None,
            kind: "application_fee",
            reporting_category: "platform_earning",
            amount,
            currency: currency.to_string(),
            fees: vec![],
            source: Some(id.clone()),
            description: None,
            available_on,
        },
    );
    let fee = json!({
        "id": id,
        "object": "application_fee",
        "account": account,
        "amount": amount,
        "amount_refunded": 0,
        "application": PLATFORM_APPLICATION,
        "balance_transaction": txn,
        "charge": charge,
        "created": state.now(),
        "currency": currency,
        "livemode": false,
        "originating_transaction": Value::Null,
        "refunded": false,
        "refunds": { "object": "list", "data": [], "has_more": false, "url": format!("/v1/application_fees/{id}/refunds") },
    });
    state.insert(None, "application_fee", fee.clone());
    emit(state, &None, "application_fee.created", &fee, None);
    id
}
