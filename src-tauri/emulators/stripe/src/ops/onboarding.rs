//! Connect onboarding as a restaurant lives it at Stripe: the owner finishes Stripe's hosted
//! onboarding, Stripe asks for more information by a deadline, the owner disconnects from the
//! platform. Also the [`Book`] of what that leaves behind outside Stripe's objects: links issued
//! (for the hosted pages) and access revoked (for authentication).

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use crate::events::emit;
use crate::state::State;
use crate::ApiError;

/// How long an account link or login link stays usable unless a test says otherwise (Stripe: a
/// few minutes).
pub const DEFAULT_LINK_LIFETIME: i64 = 300;

/// An account link may still be submitted this long after it expired, so an owner who opened the
/// page in time is not refused for reading slowly.
pub const SUBMIT_GRACE: i64 = 3_600;

/// What an account link was issued for (`/setup/s/…` or `/setup/e/…` in its URL, as Stripe's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Onboarding,
    Update,
}

impl LinkKind {
    /// The URL path segment Stripe uses for this kind.
    pub fn segment(self) -> &'static str {
        match self {
            LinkKind::Onboarding => "s",
            LinkKind::Update => "e",
        }
    }
}

/// An issued `/v1/account_links` link. Single use, like Stripe's: a second visit, or a visit
/// after `expires_at`, is sent to `refresh_url` for a new link.
#[derive(Debug, Clone)]
pub struct AccountLink {
    pub account: String,
    pub kind: LinkKind,
    pub return_url: Option<String>,
    pub refresh_url: Option<String>,
    pub expires_at: i64,
    pub visited: bool,
    pub submitted: bool,
}

/// An issued Express dashboard login link: single use too.
#[derive(Debug, Clone)]
pub struct LoginLink {
    pub account: String,
    pub expires_at: i64,
    pub used: bool,
}

/// Book-keeping of onboarding and Connect access. Kept out of the account objects, so every
/// response stays exactly in Stripe's schema.
#[derive(Debug)]
pub struct Book {
    /// Accounts that disconnected from the platform: the platform's key no longer reaches them.
    pub revoked: HashSet<String>,
    /// Whether a revoked account's events stay readable (our default); `false` refuses them too,
    /// the strictest reading of Stripe, where a platform learns of it only from the 403.
    pub revoked_events_readable: bool,
    /// Account links by token.
    pub account_links: HashMap<String, AccountLink>,
    /// Login links by token.
    pub login_links: HashMap<String, LoginLink>,
    /// Seconds a new link stays usable.
    pub link_lifetime: i64,
    /// Requirement deadlines still ahead, per account, for the clock to enforce.
    pub deadlines: Vec<(String, i64)>,
    /// Where the server listens (`http://127.0.0.1:PORT`), for links requested without a `Host`.
    pub base_url: Option<String>,
    /// The platform's Connect application (`ca_…`), made on first need.
    application: Option<String>,
}

impl Default for Book {
    fn default() -> Self {
        Self {
            revoked: HashSet::new(),
            revoked_events_readable: true,
            account_links: HashMap::new(),
            login_links: HashMap::new(),
            link_lifetime: DEFAULT_LINK_LIFETIME,
            deadlines: Vec::new(),
            base_url: None,
            application: None,
        }
    }
}

/// The owner finished onboarding: details submitted, charges and payouts enabled, every
/// capability active, nothing due, and a verified bank account if there was none. A rejected
/// account (`disabled_reason` `rejected.*`) stays rejected. Returns the account.
pub fn complete(state: &mut State, account_id: &str) -> Result<Value, ApiError> {
    let before = reachable(state, account_id)?;
    let now = state.now();
    let mut account = before.clone();
    account["details_submitted"] = json!(true);
    account["charges_enabled"] = json!(true);
    account["payouts_enabled"] = json!(true);
    if let Some(capabilities) = account["capabilities"].as_object_mut() {
        for status in capabilities.values_mut() {
            *status = json!("active");
        }
    }
    let requirements = &mut account["requirements"];
    for list in ["currently_due", "eventually_due", "past_due", "pending_verification", "errors"] {
        requirements[list] = json!([]);
    }
    requirements["disabled_reason"] = Value::Null;
    requirements["current_deadline"] = Value::Null;
    if account["tos_acceptance"]["date"].is_null() {
        account["tos_acceptance"]["date"] = json!(now);
    }
    let has_bank = account["external_accounts"]["data"].as_array().is_some_and(|d| !d.is_empty());
    if !has_bank {
        let bank = crate::seed::bank_account(
            account_id,
            account["country"].as_str().unwrap_or("US"),
            account["default_currency"].as_str().unwrap_or("usd"),
            account["business_profile"]["name"].clone(),
            now,
        );
        account["external_accounts"] = json!({
            "object": "list",
            "data": [bank],
            "has_more": false,
            "url": format!("/v1/accounts/{account_id}/external_accounts"),
        });
    }
    state.onboarding.deadlines.retain(|(id, _)| id != account_id);
    Ok(save_and_announce(state, account_id, &before, account))
}

/// Stripe asks for more: `fields` join `currently_due` and `eventually_due`, due by `deadline`.
/// A deadline already passed makes them `past_due` at once: payouts stop and `disabled_reason`
/// becomes `requirements.past_due`. A future deadline does the same when the clock reaches it;
/// no deadline only asks. Returns the account.
pub fn require(state: &mut State, account_id: &str, fields: &[&str], deadline: Option<i64>) -> Result<Value, ApiError> {
    let before = reachable(state, account_id)?;
    let mut account = before.clone();
    let requirements = &mut account["requirements"];
    add_all(&mut requirements["currently_due"], fields);
    add_all(&mut requirements["eventually_due"], fields);
    requirements["current_deadline"] = json!(deadline);
    match deadline {
        Some(at) if at <= state.now() => make_past_due(&mut account),
        Some(at) => state.onboarding.deadlines.push((account_id.to_string(), at)),
        None => {}
    }
    Ok(save_and_announce(state, account_id, &before, account))
}

/// Deadlines the clock has reached: what is still currently due becomes past due.
pub fn enforce_deadlines(state: &mut State) {
    if state.onboarding.deadlines.is_empty() {
        return;
    }
    let now = state.now();
    let (due, ahead): (Vec<_>, Vec<_>) = state.onboarding.deadlines.drain(..).partition(|(_, at)| *at <= now);
    state.onboarding.deadlines = ahead;
    for (account_id, at) in due {
        let Some(before) = state.account(&account_id).cloned() else { continue };
        // A later `require` moved the deadline: this one no longer counts.
        if before["requirements"]["current_deadline"].as_i64() != Some(at) {
            continue;
        }
        let mut account = before.clone();
        make_past_due(&mut account);
        save_and_announce(state, &account_id, &before, account);
    }
}

/// The restaurant disconnected from the platform (`account.application.deauthorized`, in the
/// account's scope, carrying the platform's `application`). From then on the platform's key no
/// longer reaches the account, except to read its events (see `api::check`).
pub fn deauthorize(state: &mut State, account_id: &str) -> Result<(), ApiError> {
    if state.connected(account_id).is_none() {
        return Err(ApiError::missing("account", account_id, "account"));
    }
    let application = json!({ "id": application_id(state), "object": "application", "name": Value::Null });
    emit(state, &Some(account_id.to_string()), "account.application.deauthorized", &application, None);
    let book = &mut state.onboarding;
    book.revoked.insert(account_id.to_string());
    // Links already handed out stop working with the access that issued them.
    book.account_links.retain(|_, link| link.account != account_id);
    book.login_links.retain(|_, link| link.account != account_id);
    Ok(())
}

/// The platform's Connect client ID, stable for the life of the emulator.
fn application_id(state: &mut State) -> String {
    if let Some(id) = &state.onboarding.application {
        return id.clone();
    }
    let id = state.rng().id("ca", 32);
    state.onboarding.application = Some(id.clone());
    id
}

/// An account the platform still reaches, and not rejected by Stripe (a rejected account has
/// nothing left to submit).
fn reachable(state: &State, account_id: &str) -> Result<Value, ApiError> {
    let account =
        state.connected(account_id).cloned().ok_or_else(|| ApiError::missing("account", account_id, "account"))?;
    if let Some(reason) = account["requirements"]["disabled_reason"].as_str().filter(|r| r.starts_with("rejected.")) {
        return Err(ApiError::invalid_request(format!(
            "The account '{account_id}' was rejected by Stripe ({reason}) and cannot change its onboarding."
        )));
    }
    Ok(account)
}

/// What is currently due becomes past due: payouts stop, as on the seed's restricted accounts.
fn make_past_due(account: &mut Value) {
    let due: Vec<String> = account["requirements"]["currently_due"]
        .as_array()
        .map(|d| d.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if due.is_empty() {
        return;
    }
    let due: Vec<&str> = due.iter().map(String::as_str).collect();
    add_all(&mut account["requirements"]["past_due"], &due);
    account["requirements"]["disabled_reason"] = json!("requirements.past_due");
    account["payouts_enabled"] = json!(false);
    if account["capabilities"].get("transfers").is_some() {
        account["capabilities"]["transfers"] = json!("inactive");
    }
}

/// Appends the fields a list does not have yet, keeping its order.
fn add_all(list: &mut Value, fields: &[&str]) {
    if !list.is_array() {
        *list = json!([]);
    }
    if let Some(items) = list.as_array_mut() {
        for field in fields {
            if !items.iter().any(|f| f == field) {
                items.push(json!(field));
            }
        }
    }
}

/// Stores the new account and, if anything changed, emits `account.updated` in its scope with the
/// previous values of the changed top-level fields, as `POST /v1/accounts/{id}` does.
fn save_and_announce(state: &mut State, account_id: &str, before: &Value, account: Value) -> Value {
    if &account == before {
        return account;
    }
    let mut previous = Map::new();
    if let (Some(old), Some(new)) = (before.as_object(), account.as_object()) {
        for (field, value) in new {
            let was = old.get(field).cloned().unwrap_or(Value::Null);
            if was != *value {
                previous.insert(field.clone(), was);
            }
        }
    }
    super::save(state, &None, &account);
    emit(state, &Some(account_id.to_string()), "account.updated", &account, Some(Value::Object(previous)));
    account
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{self, AccountSpec, Standing};

    fn with_account(standing: Standing) -> (State, String) {
        let mut state = State::new(vec![]);
        let spec = AccountSpec {
            name: "Test Diner",
            kind: "express",
            country: "US",
            currency: "usd",
            email: "a@example.com",
            standing,
        };
        let now = state.now();
        let id = seed::add_account(&mut state, &spec, now);
        (state, id)
    }

    #[test]
    fn completing_clears_requirements_and_adds_a_bank() {
        let (mut state, id) = with_account(Standing::Pending);
        let account = complete(&mut state, &id).unwrap();
        assert_eq!(account["charges_enabled"], true);
        assert_eq!(account["requirements"]["past_due"], json!([]));
        assert_eq!(account["external_accounts"]["data"][0]["status"], "verified");
        assert_eq!(state.account(&id), Some(&account));
    }

    #[test]
    fn a_rejected_account_cannot_complete() {
        let (mut state, id) = with_account(Standing::Disabled);
        assert!(complete(&mut state, &id).is_err());
    }

    #[test]
    fn a_future_deadline_restricts_when_the_clock_reaches_it() {
        let (mut state, id) = with_account(Standing::Active);
        let at = state.now() + 100;
        let account = require(&mut state, &id, &["company.tax_id"], Some(at)).unwrap();
        assert_eq!(account["payouts_enabled"], true);
        assert_eq!(account["requirements"]["current_deadline"], at);
        state.advance_clock(101);
        enforce_deadlines(&mut state);
        let account = state.account(&id).unwrap();
        assert_eq!(account["payouts_enabled"], false);
        assert_eq!(account["requirements"]["past_due"], json!(["company.tax_id"]));
        assert_eq!(account["requirements"]["disabled_reason"], "requirements.past_due");
    }
}
