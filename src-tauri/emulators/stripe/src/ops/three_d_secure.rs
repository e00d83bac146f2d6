//! 3-D Secure as Stripe's test mode runs it. Confirming with a card whose issuer asks for
//! authentication (`pm_card_threeDSecure2Required`, `pm_card_authenticationRequired`, …) makes no
//! charge yet: the PaymentIntent is `requires_action`, its `next_action` sends the customer to the
//! issuer's page — the emulator's own, `{base}/authenticate/{pi}/{token}` (see `api::hosted`) —
//! and `payment_intent.requires_action` is emitted. There (or through `Emulator::authenticate`)
//! the customer completes or fails authentication, once:
//!
//! - completed, an intent with `confirmation_method=automatic` is charged at once (`succeeded`,
//!   or `requires_capture` for `capture_method=manual`); one with `confirmation_method=manual`
//!   waits in `requires_confirmation` for the platform's `/confirm`, which then charges;
//! - failed, the intent is back to `requires_payment_method` with `last_payment_error`
//!   `payment_intent_authentication_failure`.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{clock, find, payments, save};
use crate::events::emit;
use crate::state::{Scope, State};
use crate::ApiError;

/// Stripe's message when the customer failed (or abandoned) authentication.
pub const FAILED_MESSAGE: &str = "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.";

/// One authentication the customer was sent to.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub scope: Scope,
    pub intent: String,
    /// The card being authenticated.
    pub payment_method: String,
    /// Where the customer returns afterwards (the confirmation's `return_url`).
    pub return_url: Option<String>,
    /// Completed or failed already: the link is single use.
    pub done: bool,
}

/// Book-keeping of 3-D Secure, outside Stripe's objects (so responses stay in Stripe's schema).
#[derive(Debug, Default)]
pub struct Book {
    /// Challenges by token.
    pub challenges: HashMap<String, Challenge>,
    /// Intents with `confirmation_method=manual` whose customer authenticated, and the card they
    /// authenticated: the platform's next `/confirm` with that card charges without asking again.
    pub authenticated: HashMap<String, String>,
}

/// What the customer's answer led to.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The PaymentIntent afterwards.
    pub intent: Value,
    pub succeeded: bool,
    pub return_url: Option<String>,
}

/// The card needs authentication: the intent becomes `requires_action`, sending the customer to
/// a new challenge page. Saves the intent and emits `payment_intent.requires_action`.
pub fn require(
    state: &mut State,
    scope: &Scope,
    intent: &mut Value,
    payment_method: &str,
    return_url: Option<String>,
    base_url: Option<&str>,
) {
    let id = intent["id"].as_str().unwrap_or_default().to_string();
    // A new confirmation replaces whatever challenge was still open for this intent.
    for challenge in state.three_d_secure.challenges.values_mut().filter(|c| c.intent == id) {
        challenge.done = true;
    }
    let token = state.rng().id("", 24).trim_start_matches('_').to_string();
    let base = base_url
        .map(str::to_string)
        .or_else(|| state.onboarding.base_url.clone())
        .unwrap_or_else(|| "http://127.0.0.1".to_string());
    let url = format!("{}/authenticate/{id}/{token}", base.trim_end_matches('/'));
    intent["status"] = json!("requires_action");
    intent["next_action"] = json!({
        "type": "redirect_to_url",
        "redirect_to_url": { "url": url, "return_url": return_url },
    });
    state.three_d_secure.challenges.insert(
        token,
        Challenge {
            scope: scope.clone(),
            intent: id,
            payment_method: payment_method.to_string(),
            return_url,
            done: false,
        },
    );
    save(state, scope, intent);
    emit(state, scope, "payment_intent.requires_action", intent, None);
}

/// The challenge behind `token` for `intent`, still awaiting the customer: its intent, with the
/// challenge. A token that was never issued (or names another intent) is Stripe's 404; one used
/// already, or whose intent moved on (canceled, confirmed again), a 400.
pub fn pending(state: &State, intent: &str, token: &str) -> Result<(Challenge, Value), ApiError> {
    let challenge = state
        .three_d_secure
        .challenges
        .get(token)
        .filter(|c| c.intent == intent)
        .cloned()
        .ok_or_else(|| ApiError::missing("authentication", token, "token"))?;
    let current = find(state, &challenge.scope, "payment_intent", intent, "intent")?;
    if challenge.done || current["status"] != "requires_action" {
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            format!(
                "This authentication was already completed, or PaymentIntent {intent} no longer awaits it (status {}).",
                current["status"].as_str().unwrap_or_default()
            ),
        ));
    }
    Ok((challenge, current))
}

/// The customer completed (`succeed`) or failed authentication on the page behind `token`.
/// Returns the intent afterwards; a decline after authentication is an outcome, not an error.
pub fn finish(state: &mut State, intent: &str, token: &str, succeed: bool) -> Result<Finished, ApiError> {
    let (challenge, mut current) = pending(state, intent, token)?;
    if let Some(c) = state.three_d_secure.challenges.get_mut(token) {
        c.done = true;
    }
    let scope = challenge.scope.clone();
    clock::tick(state);
    current["next_action"] = Value::Null;
    let succeeded = if !succeed {
        current["status"] = json!("requires_payment_method");
        current["last_payment_error"] = json!({
            "code": "payment_intent_authentication_failure",
            "doc_url": "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
            "message": FAILED_MESSAGE,
            "type": "invalid_request_error",
        });
        save(state, &scope, &current);
        emit(state, &scope, "payment_intent.payment_failed", &current, None);
        false
    } else if current["confirmation_method"] == "manual" {
        current["status"] = json!("requires_confirmation");
        save(state, &scope, &current);
        state.three_d_secure.authenticated.insert(intent.to_string(), challenge.payment_method.clone());
        true
    } else {
        match payments::charge_authenticated(state, &scope, current) {
            Ok(_) => true,
            Err(err) => {
                tracing::debug!("{intent} authenticated, then declined: {err}");
                false
            }
        }
    };
    let after = find(state, &scope, "payment_intent", intent, "intent")?;
    let succeeded = succeeded && after["status"] != "requires_payment_method";
    Ok(Finished { intent: after, succeeded, return_url: challenge.return_url })
}

/// What a test does in place of the customer: finishes the open challenge of `intent`.
pub fn authenticate(state: &mut State, intent: &str, succeed: bool) -> Result<Value, ApiError> {
    let token = state
        .three_d_secure
        .challenges
        .iter()
        .find(|(_, c)| c.intent == intent && !c.done)
        .map(|(token, _)| token.clone());
    let Some(token) = token else {
        let known = state.objects_of_kind("payment_intent").any(|(_, v)| v["id"] == intent);
        if !known {
            return Err(ApiError::missing("payment_intent", intent, "intent"));
        }
        return Err(ApiError::invalid_state(
            "payment_intent_unexpected_state",
            format!("PaymentIntent {intent} is not awaiting 3-D Secure authentication."),
        ));
    };
    finish(state, intent, &token, succeed).map(|f| f.intent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::payments::{create_intent, NewIntent};

    fn intent(state: &mut State, manual_confirmation: bool) -> Value {
        let req = NewIntent {
            amount: 4_200,
            currency: "usd".into(),
            payment_method: Some("pm_card_threeDSecure2Required".into()),
            confirm: true,
            confirmation_manual: manual_confirmation,
            return_url: Some("https://desk.example/back".into()),
            base_url: Some("http://localhost:4242".into()),
            ..Default::default()
        };
        create_intent(state, &None, req).unwrap()
    }

    #[test]
    fn a_card_that_needs_authentication_waits_for_the_customer() {
        let mut state = State::new(vec![]);
        let pi = intent(&mut state, false);
        assert_eq!(pi["status"], "requires_action");
        assert!(pi["latest_charge"].is_null(), "no charge before authentication");
        let url = pi["next_action"]["redirect_to_url"]["url"].as_str().unwrap();
        let id = pi["id"].as_str().unwrap();
        assert!(url.starts_with(&format!("http://localhost:4242/authenticate/{id}/")), "{url}");
        assert_eq!(pi["next_action"]["redirect_to_url"]["return_url"], "https://desk.example/back");

        let done = authenticate(&mut state, id, true).unwrap();
        assert_eq!(done["status"], "succeeded");
        assert!(done["next_action"].is_null());
        assert!(authenticate(&mut state, id, true).is_err(), "single use");
        let charge = state.get(&None, done["latest_charge"].as_str().unwrap()).unwrap();
        assert_eq!(charge["payment_method_details"]["card"]["three_d_secure"]["result"], "authenticated");
    }

    #[test]
    fn a_used_or_unknown_token_is_refused() {
        let mut state = State::new(vec![]);
        let pi = intent(&mut state, true);
        let id = pi["id"].as_str().unwrap();
        let url = pi["next_action"]["redirect_to_url"]["url"].as_str().unwrap();
        let token = url.rsplit('/').next().unwrap();
        assert_eq!(finish(&mut state, id, "nope", true).unwrap_err().status, 404);
        let finished = finish(&mut state, id, token, true).unwrap();
        assert_eq!(finished.intent["status"], "requires_confirmation");
        assert_eq!(finish(&mut state, id, token, false).unwrap_err().status, 400);
    }
}
