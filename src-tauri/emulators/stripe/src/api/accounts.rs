//! Connected accounts: create, retrieve, update (including the payout schedule), list; onboarding
//! links and Express dashboard login links, which point at the emulator's own hosted pages (see
//! `hosted`). An account that disconnected from the platform is gone from the list and refused by
//! the rest, as Stripe refuses a key whose access was revoked.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::filters::Range;
use super::{hosted, lock, merge_metadata, platform_only, reachable, reply, ApiKey, Ctx, Params};
use crate::events::emit;
use crate::ops::onboarding::{AccountLink, LinkKind, LoginLink};
use crate::seed::{self, AccountSpec, Standing};
use crate::state::Page;
use crate::{ApiError, SharedState};

pub async fn list(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let created = Range::from_params(&params, "created")?;
    let s = lock(&shared);
    if ctx.scope.is_some() {
        // A connected account has no connected accounts of its own.
        return Ok(Json(json!({ "object": "list", "data": [], "has_more": false, "url": "/v1/accounts" })));
    }
    let list = s.list_where(&None, "account", "/v1/accounts", &page, |v| {
        created.matches(v, "created") && !s.is_revoked(v["id"].as_str().unwrap_or_default())
    })?;
    Ok(reply(&s, &None, list, &params))
}

pub async fn retrieve(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let s = lock(&shared);
    reachable(&s, &key, &id)?;
    let visible = ctx.scope.is_none() || ctx.scope.as_deref() == Some(id.as_str());
    match s.account(&id) {
        Some(account) if visible => Ok(reply(&s, &None, account.clone(), &params)),
        _ => Err(ApiError::missing("account", &id, "account")),
    }
}

pub async fn create(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let kind = params.choice("type", &["standard", "express", "custom"])?.unwrap_or_else(|| "standard".into());
    let country = params.str("country")?.unwrap_or_else(|| "US".into()).to_ascii_uppercase();
    if country.len() != 2 {
        return Err(ApiError::invalid_param("country", "country_unsupported", format!("Country '{country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.")));
    }
    let email = params.str("email")?.unwrap_or_default();
    let name =
        params.object("business_profile").and_then(|b| b.get("name")).and_then(Value::as_str).unwrap_or("").to_string();
    let currency = params.currency("default_currency")?.unwrap_or_else(|| seed::default_currency(&country).to_string());
    let mut s = lock(&shared);
    let now = s.now();
    let id = s.new_id("acct");
    let spec = AccountSpec {
        name: &name,
        kind: &kind,
        country: &country,
        currency: &currency,
        email: &email,
        standing: Standing::Pending,
    };
    let mut account = seed::account_object(&id, &spec, now, now);
    if name.is_empty() {
        account["business_profile"]["name"] = Value::Null;
        account["settings"]["dashboard"]["display_name"] = Value::Null;
    }
    if email.is_empty() {
        account["email"] = Value::Null;
        account["business_profile"]["support_email"] = Value::Null;
    }
    if let Some(profile) = params.object("business_profile") {
        for field in ["mcc", "url", "product_description", "support_phone", "support_url"] {
            if let Some(v) = profile.get(field) {
                account["business_profile"][field] = v.clone();
            }
        }
    }
    if let Some(business_type) =
        params.choice("business_type", &["company", "government_entity", "individual", "non_profit"])?
    {
        account["business_type"] = json!(business_type);
    }
    if let Some(metadata) = params.metadata()? {
        merge_metadata(&mut account["metadata"], metadata);
    }
    s.insert(None, "account", account.clone());
    s.funds_mut(&Some(id.clone()), &currency);
    emit(&mut s, &None, "account.updated", &account, None);
    Ok(reply(&s, &None, account, &params))
}

pub async fn update(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let mut s = lock(&shared);
    reachable(&s, &key, &id)?;
    let visible = ctx.scope.is_none() || ctx.scope.as_deref() == Some(id.as_str());
    let mut account = match s.account(&id) {
        Some(a) if visible => a.clone(),
        _ => return Err(ApiError::missing("account", &id, "account")),
    };
    let before = account.clone();
    let mut previous = Map::new();
    if let Some(email) = params.str("email")? {
        previous.insert("email".into(), account["email"].clone());
        account["email"] = json!(email);
    }
    if let Some(profile) = params.object("business_profile") {
        previous.insert("business_profile".into(), account["business_profile"].clone());
        for (field, value) in profile {
            if account["business_profile"].get(field).is_none() {
                return Err(ApiError::invalid_param(
                    &format!("business_profile[{field}]"),
                    "parameter_unknown",
                    format!("Received unknown parameter: business_profile[{field}]"),
                ));
            }
            account["business_profile"][field] = if value.as_str() == Some("") { Value::Null } else { value.clone() };
        }
    }
    if let Some(schedule) = params
        .object("settings")
        .and_then(|st| st.get("payouts"))
        .and_then(|p| p.get("schedule"))
        .and_then(Value::as_object)
    {
        let current = account["settings"]["payouts"]["schedule"].clone();
        let next = payout_schedule(&current, schedule, account["country"].as_str().unwrap_or("US"))?;
        previous.insert("settings".into(), json!({ "payouts": { "schedule": current } }));
        account["settings"]["payouts"]["schedule"] = next;
    }
    if let Some(metadata) = params.metadata()? {
        previous.insert("metadata".into(), account["metadata"].clone());
        merge_metadata(&mut account["metadata"], metadata);
    }
    if account != before {
        if let Some(slot) = s.get_mut(&None, &id) {
            *slot = account.clone();
        }
        emit(&mut s, &Some(id.clone()), "account.updated", &account, Some(Value::Object(previous)));
    }
    Ok(reply(&s, &None, account, &params))
}

/// Minimum `delay_days` Stripe allows by country (illustrative: 2 in the US, 7 elsewhere).
pub fn minimum_delay_days(country: &str) -> i64 {
    if country == "US" {
        2
    } else {
        7
    }
}

/// Applies a `settings[payouts][schedule]` update with Stripe's validation.
fn payout_schedule(current: &Value, update: &Map<String, Value>, country: &str) -> Result<Value, ApiError> {
    const P: &str = "settings[payouts][schedule]";
    let text = |k: &str| update.get(k).and_then(Value::as_str).map(str::to_string);
    let interval =
        text("interval").or_else(|| current["interval"].as_str().map(str::to_string)).unwrap_or_else(|| "daily".into());
    if !["daily", "weekly", "monthly", "manual"].contains(&interval.as_str()) {
        return Err(ApiError::invalid_param(
            &format!("{P}[interval]"),
            "parameter_invalid_string",
            "Invalid interval: must be one of daily, manual, monthly, or weekly",
        ));
    }
    let minimum = minimum_delay_days(country);
    let delay = match text("delay_days") {
        Some(raw) if raw == "minimum" => minimum,
        Some(raw) => raw.parse::<i64>().map_err(|_| {
            ApiError::invalid_param(
                &format!("{P}[delay_days]"),
                "parameter_invalid_integer",
                format!("Invalid integer: {raw}"),
            )
        })?,
        None => current["delay_days"].as_i64().unwrap_or(minimum),
    };
    if delay < minimum {
        return Err(ApiError::invalid_param(
            &format!("{P}[delay_days]"),
            "parameter_invalid_integer",
            format!("The delay_days for this account must be at least {minimum} (got {delay})."),
        ));
    }
    if delay > 31 {
        return Err(ApiError::invalid_param(
            &format!("{P}[delay_days]"),
            "parameter_invalid_integer",
            "The delay_days parameter can be at most 31.",
        ));
    }
    let mut schedule = json!({ "delay_days": delay, "interval": interval });
    match interval.as_str() {
        "weekly" => {
            let anchor = text("weekly_anchor")
                .or_else(|| current["weekly_anchor"].as_str().map(str::to_string))
                .ok_or_else(|| {
                    ApiError::invalid_param(
                        &format!("{P}[weekly_anchor]"),
                        "parameter_missing",
                        "You must specify a weekly_anchor when the payout interval is weekly.",
                    )
                })?;
            let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
            if !days.contains(&anchor.as_str()) {
                return Err(ApiError::invalid_param(
                    &format!("{P}[weekly_anchor]"),
                    "parameter_invalid_string",
                    format!("Invalid weekly_anchor: must be one of {}", days.join(", ")),
                ));
            }
            schedule["weekly_anchor"] = json!(anchor);
        }
        "monthly" => {
            let raw = text("monthly_anchor")
                .or_else(|| current["monthly_anchor"].as_i64().map(|n| n.to_string()))
                .ok_or_else(|| {
                    ApiError::invalid_param(
                        &format!("{P}[monthly_anchor]"),
                        "parameter_missing",
                        "You must specify a monthly_anchor when the payout interval is monthly.",
                    )
                })?;
            let anchor = raw.parse::<i64>().ok().filter(|n| (1..=31).contains(n)).ok_or_else(|| {
                ApiError::invalid_param(
                    &format!("{P}[monthly_anchor]"),
                    "parameter_invalid_integer",
                    "The monthly_anchor must be a day of the month between 1 and 31.",
                )
            })?;
            schedule["monthly_anchor"] = json!(anchor);
        }
        _ => {}
    }
    Ok(schedule)
}

/// `POST /v1/accounts/{account}/login_links`: a single-use link to the emulator's Express
/// dashboard page, `{base}/express/{token}`.
pub async fn login_link(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let mut s = lock(&shared);
    reachable(&s, &key, &id)?;
    let account = s.account(&id).cloned().ok_or_else(|| ApiError::missing("account", &id, "account"))?;
    if account["type"] != "express" {
        return Err(ApiError::invalid_request(
            "Cannot create a login link for an account that is not an Express account.",
        ));
    }
    if account["details_submitted"] != true {
        return Err(ApiError::invalid_request(
            "Cannot create a login link for an account that has not completed onboarding.",
        ));
    }
    let token = s.rng().id("", 12).trim_start_matches('_').to_string();
    let now = s.now();
    let expires_at = now + s.onboarding.link_lifetime;
    let base = hosted::base_url(&headers, s.onboarding.base_url.as_deref());
    s.onboarding.login_links.insert(token.clone(), LoginLink { account: id, expires_at, used: false });
    let link = json!({ "object": "login_link", "created": now, "url": format!("{base}/express/{token}") });
    Ok(reply(&s, &None, link, &params))
}

/// `POST /v1/account_links`: a single-use link to the emulator's onboarding page,
/// `{base}/setup/{s|e}/{account}/{token}` (`s` onboarding, `e` update, as Stripe's), where `base`
/// is the `Host` this request was sent to, so whoever reached the API reaches the page.
pub async fn account_link(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Extension(key): Extension<ApiKey>,
    headers: HeaderMap,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    platform_only(&ctx)?;
    let account_id = params.require_str("account")?;
    let kind = params
        .choice("type", &["account_onboarding", "account_update"])?
        .ok_or_else(|| super::params::missing("type"))?;
    for url in ["refresh_url", "return_url"] {
        if let Some(u) = params.str(url)? {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(ApiError::invalid_param(url, "url_invalid", format!("Not a valid URL: {u}")));
            }
        }
    }
    let mut s = lock(&shared);
    reachable(&s, &key, &account_id)?;
    let account =
        s.account(&account_id).cloned().ok_or_else(|| ApiError::missing("account", &account_id, "account"))?;
    // Stripe: `account_update` links only for accounts whose platform collects requirements
    // (Custom); an account with a Stripe-hosted dashboard (Express, Standard) cannot have one.
    if kind == "account_update" && account["type"] != "custom" {
        return Err(ApiError::invalid_param(
            "type",
            "parameter_invalid_string",
            "You cannot create `account_update` type Account Links for accounts that have access to a Stripe-hosted Dashboard.",
        ));
    }
    let now = s.now();
    let token = s.rng().id("", 24).trim_start_matches('_').to_string();
    let kind = if kind == "account_onboarding" { LinkKind::Onboarding } else { LinkKind::Update };
    let expires_at = now + s.onboarding.link_lifetime;
    let base = hosted::base_url(&headers, s.onboarding.base_url.as_deref());
    let url = format!("{base}/setup/{}/{account_id}/{token}", kind.segment());
    let issued = AccountLink {
        account: account_id,
        kind,
        return_url: params.str("return_url")?,
        refresh_url: params.str("refresh_url")?,
        expires_at,
        visited: false,
        submitted: false,
    };
    s.onboarding.account_links.insert(token, issued);
    let link = json!({ "object": "account_link", "created": now, "expires_at": expires_at, "url": url });
    Ok(reply(&s, &None, link, &params))
}

/// `GET /v1/accounts/{account}/external_accounts`: the account's bank accounts.
pub async fn external_accounts(
    State(shared): State<SharedState>,
    Extension(ctx): Extension<Ctx>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let page = Page::from_params(params.map())?;
    let s = lock(&shared);
    reachable(&s, &key, &id)?;
    let visible = ctx.scope.is_none() || ctx.scope.as_deref() == Some(id.as_str());
    let account = s.account(&id).filter(|_| visible).ok_or_else(|| ApiError::missing("account", &id, "account"))?;
    let items = account["external_accounts"]["data"].as_array().cloned().unwrap_or_default();
    let list =
        crate::State::list_of(items, "external_account", &format!("/v1/accounts/{id}/external_accounts"), &page)?;
    Ok(reply(&s, &None, list, &params))
}
