//! Stripe's hosted pages, served by the emulator itself so demo mode and tests can open an account
//! link or a login link as a browser would: `GET /setup/{s|e}/{account}/{token}` shows what is due
//! and a button that finishes onboarding, `POST` to the same path submits and sends the owner to
//! the link's `return_url`; `GET /express/{token}` stands for the Express dashboard.
//! `GET /authenticate/{pi}/{token}` is the card issuer's 3-D Secure page a PaymentIntent's
//! `next_action.redirect_to_url` sends the customer to: `POST` to the same path with
//! `outcome=complete` or `outcome=fail` answers it (see [`crate::ops::three_d_secure`]) and sends
//! the customer to the confirmation's `return_url`, as Stripe does.
//!
//! Links are single use, as Stripe's: a second visit, or one after `expires_at` on the emulator's
//! clock, goes to the link's `refresh_url` (where the platform makes a new link). A browser sends
//! no API key, so these pages are outside authentication, rate limits and idempotency; the
//! network cut still applies. Pages are self-contained (inline CSS, no external resources).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use super::lock;
use crate::ops::onboarding::{self, SUBMIT_GRACE};
use crate::ops::three_d_secure;
use crate::SharedState;

const ONBOARDING_TITLE: &str = "Stripe onboarding (emulator)";
const DASHBOARD_TITLE: &str = "Express dashboard (emulator)";
const AUTHENTICATION_TITLE: &str = "3-D Secure (emulator)";
const USED_UP: &str = "This link has expired or was already used. Ask the platform for a new one.";

pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/setup/{kind}/{account}/{token}", get(onboarding_page).post(onboarding_submit))
        .route("/express/{token}", get(dashboard))
        .route("/authenticate/{intent}/{token}", get(authentication_page).post(authentication_submit))
}

/// `http://{Host}` of the request, so a link works from wherever its creator reached the emulator;
/// without a usable `Host`, where the server listens.
pub fn base_url(headers: &HeaderMap, listening: Option<&str>) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)));
    match (host, listening) {
        (Some(host), _) => format!("http://{host}"),
        (None, Some(base)) => base.trim_end_matches('/').to_string(),
        (None, None) => "http://127.0.0.1".to_string(),
    }
}

/// The onboarding page, once per link.
async fn onboarding_page(
    State(shared): State<SharedState>,
    Path((kind, account_id, token)): Path<(String, String, String)>,
) -> Response {
    let mut s = lock(&shared);
    let now = s.now();
    let Some(link) = s.onboarding.account_links.get_mut(&token).filter(|l| matches(l, &kind, &account_id)) else {
        return not_found();
    };
    if link.visited || now > link.expires_at {
        let refresh = link.refresh_url.clone();
        return send_to(refresh.as_deref(), USED_UP);
    }
    link.visited = true;
    let update = link.kind == onboarding::LinkKind::Update;
    let Some(account) = s.account(&account_id) else { return not_found() };
    let name = account["business_profile"]["name"]
        .as_str()
        .or_else(|| account["settings"]["dashboard"]["display_name"].as_str())
        .unwrap_or(&account_id);
    let due = due_fields(account);
    let list = if due.is_empty() {
        "<p>Stripe needs nothing more right now.</p>".to_string()
    } else {
        let items: String = due.iter().map(|f| format!("<li><code>{}</code></li>", escape(f))).collect();
        format!("<p>Stripe needs:</p><ul>{items}</ul>")
    };
    let action = format!("/setup/{}/{}/{}", escape(&kind), escape(&account_id), escape(&token));
    let body = format!(
        "<h1>{ONBOARDING_TITLE}</h1><p class=\"who\">{} <span>{}</span></p><p>{}</p>{list}\
         <form method=\"post\" action=\"{action}\"><button type=\"submit\">Submit and return</button></form>",
        escape(name),
        escape(&account_id),
        if update { "Update your business details." } else { "Set up payments and payouts with Stripe." },
    );
    page(StatusCode::OK, ONBOARDING_TITLE, &body)
}

/// The owner pressed "Submit and return": onboarding completes, once, then the owner goes back to
/// the platform's `return_url` whatever the outcome (as at Stripe, arriving there does not mean
/// onboarding is complete: the platform reads the account).
async fn onboarding_submit(
    State(shared): State<SharedState>,
    Path((kind, account_id, token)): Path<(String, String, String)>,
) -> Response {
    let mut s = lock(&shared);
    let now = s.now();
    let Some(link) = s.onboarding.account_links.get_mut(&token).filter(|l| matches(l, &kind, &account_id)) else {
        return not_found();
    };
    if !link.visited || link.submitted || now > link.expires_at + SUBMIT_GRACE {
        let refresh = link.refresh_url.clone();
        return send_to(refresh.as_deref(), USED_UP);
    }
    link.submitted = true;
    let back = link.return_url.clone();
    // A rejected account cannot complete; the owner still returns to the platform, which sees it.
    if let Err(err) = onboarding::complete(&mut s, &account_id) {
        tracing::debug!("onboarding of {account_id} not completed: {err}");
    }
    send_to(back.as_deref(), "Your details were submitted. You can close this page.")
}

/// The Express dashboard, once per login link.
async fn dashboard(State(shared): State<SharedState>, Path(token): Path<String>) -> Response {
    let mut s = lock(&shared);
    let now = s.now();
    let Some(link) = s.onboarding.login_links.get_mut(&token) else { return not_found() };
    if link.used || now > link.expires_at {
        let body =
            format!("<h1>{DASHBOARD_TITLE}</h1><p>This login link has expired. Ask the platform for a new one.</p>");
        return page(StatusCode::GONE, DASHBOARD_TITLE, &body);
    }
    link.used = true;
    let account_id = link.account.clone();
    let name = s
        .account(&account_id)
        .and_then(|a| a["settings"]["dashboard"]["display_name"].as_str().or(a["business_profile"]["name"].as_str()))
        .unwrap_or(&account_id)
        .to_string();
    let body = format!(
        "<h1>{DASHBOARD_TITLE}</h1><p class=\"who\">{} <span>{}</span></p><p>Payments, balances and payouts of this account would be here.</p>",
        escape(&name),
        escape(&account_id),
    );
    page(StatusCode::OK, DASHBOARD_TITLE, &body)
}

/// The issuer's 3-D Secure page, for as long as the PaymentIntent awaits it.
async fn authentication_page(
    State(shared): State<SharedState>,
    Path((intent_id, token)): Path<(String, String)>,
) -> Response {
    let s = lock(&shared);
    let (challenge, intent) = match three_d_secure::pending(&s, &intent_id, &token) {
        Ok(found) => found,
        Err(err) => return authentication_refused(&err),
    };
    let merchant = challenge
        .scope
        .as_deref()
        .and_then(|a| s.account(a))
        .and_then(|a| a["business_profile"]["name"].as_str().or(a["settings"]["dashboard"]["display_name"].as_str()))
        .unwrap_or("Merchant Desk")
        .to_string();
    let card = crate::ops::cards::lookup(&challenge.payment_method);
    let card = card.map_or_else(|| challenge.payment_method.clone(), |c| format!("{} •••• {}", c.brand, c.last4));
    let amount = money(intent["amount"].as_i64().unwrap_or(0), intent["currency"].as_str().unwrap_or("usd"));
    let action = format!("/authenticate/{}/{}", escape(&intent_id), escape(&token));
    let body = format!(
        "<h1>{AUTHENTICATION_TITLE}</h1><p class=\"who\">{} <span>{}</span></p>\
         <p>Confirm the payment of <strong>{}</strong> with your card <strong>{}</strong>.</p>\
         <p>This is a test payment: choose how the authentication ends.</p>\
         <form method=\"post\" action=\"{action}\">\
         <button type=\"submit\" name=\"outcome\" value=\"complete\">Complete authentication</button> \
         <button type=\"submit\" name=\"outcome\" value=\"fail\" class=\"fail\">Fail authentication</button></form>",
        escape(&merchant),
        escape(&intent_id),
        escape(&amount),
        escape(&card),
    );
    page(StatusCode::OK, AUTHENTICATION_TITLE, &body)
}

/// The customer completed or failed authentication: once, then back to the `return_url` (with
/// Stripe's `payment_intent`, `payment_intent_client_secret` and `redirect_status`), or a page
/// saying how it ended.
async fn authentication_submit(
    State(shared): State<SharedState>,
    Path((intent_id, token)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let outcome = form_urlencoded::parse(&body).find(|(k, _)| k == "outcome").map(|(_, v)| v.into_owned());
    let succeed = match outcome.as_deref() {
        Some("complete") => true,
        Some("fail") => false,
        _ => {
            let body = format!(
                "<h1>{AUTHENTICATION_TITLE}</h1><p>Choose <code>outcome=complete</code> or <code>outcome=fail</code>.</p>"
            );
            return page(StatusCode::BAD_REQUEST, AUTHENTICATION_TITLE, &body);
        }
    };
    let mut s = lock(&shared);
    let finished = match three_d_secure::finish(&mut s, &intent_id, &token, succeed) {
        Ok(finished) => finished,
        Err(err) => return authentication_refused(&err),
    };
    drop(s);
    let status = if finished.succeeded { "succeeded" } else { "failed" };
    if let Some(url) = &finished.return_url {
        let secret = finished.intent["client_secret"].as_str().unwrap_or_default();
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("payment_intent", &intent_id)
            .append_pair("payment_intent_client_secret", secret)
            .append_pair("redirect_status", status)
            .finish();
        let (base, fragment) = url.split_once('#').map_or((url.as_str(), None), |(b, f)| (b, Some(f)));
        let separator = if base.contains('?') { '&' } else { '?' };
        let mut to = format!("{base}{separator}{query}");
        if let Some(fragment) = fragment {
            to = format!("{to}#{fragment}");
        }
        if let Ok(location) = HeaderValue::from_str(&to) {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
        }
    }
    let said = if finished.succeeded { "Authentication complete." } else { "Authentication failed." };
    let body = format!("<h1>{AUTHENTICATION_TITLE}</h1><p>{said} You can close this page.</p>");
    page(StatusCode::OK, AUTHENTICATION_TITLE, &body)
}

/// A page for a challenge that cannot be answered: 404 for a link that never existed, 410 for one
/// already used or no longer awaited.
fn authentication_refused(err: &crate::ApiError) -> Response {
    if err.status == 404 {
        return not_found();
    }
    let body = format!(
        "<h1>{AUTHENTICATION_TITLE}</h1><p>This authentication was already completed or is no longer needed. You can close this page.</p>"
    );
    page(StatusCode::GONE, AUTHENTICATION_TITLE, &body)
}

/// `USD 42.00`, or `JPY 500` for a zero-decimal currency.
fn money(amount: i64, currency: &str) -> String {
    let code = currency.to_ascii_uppercase();
    if crate::zero_decimal(currency) {
        format!("{code} {amount}")
    } else {
        let sign = if amount < 0 { "-" } else { "" };
        format!("{code} {sign}{}.{:02}", amount.abs() / 100, amount.abs() % 100)
    }
}

fn matches(link: &onboarding::AccountLink, kind: &str, account: &str) -> bool {
    link.kind.segment() == kind && link.account == account
}

/// What is due, past due first, each field once.
fn due_fields(account: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in ["past_due", "currently_due", "eventually_due"] {
        for field in account["requirements"][list].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !out.iter().any(|f| f == field) {
                out.push(field.to_string());
            }
        }
    }
    out
}

/// 303 to `to`, or a page saying `otherwise` when the link has nowhere to go (or the URL cannot
/// be a header).
fn send_to(to: Option<&str>, otherwise: &str) -> Response {
    match to.and_then(|url| HeaderValue::from_str(url).ok()) {
        Some(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        None => page(
            StatusCode::GONE,
            ONBOARDING_TITLE,
            &format!("<h1>{ONBOARDING_TITLE}</h1><p>{}</p>", escape(otherwise)),
        ),
    }
}

fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, "Not found (emulator)", "<h1>Not found</h1><p>This link does not exist.</p>")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style>\
         </head><body><main>{body}</main></body></html>",
        escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        html,
    )
        .into_response()
}

const CSS: &str = "body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}\
main{max-width:32rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 8px #0002}\
h1{font-size:1.25rem;color:#635bff}.who{font-weight:600}.who span{font-weight:400;color:#697386}\
button{background:#635bff;color:#fff;border:0;border-radius:6px;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}\
button.fail{background:#fff;color:#df1b41;border:1px solid #df1b41}";

/// HTML-escapes text and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_follows_the_host_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(base_url(&headers, Some("http://127.0.0.1:4242")), "http://127.0.0.1:4242");
        headers.insert(header::HOST, HeaderValue::from_static("localhost:9000"));
        assert_eq!(base_url(&headers, Some("http://127.0.0.1:4242")), "http://localhost:9000");
        headers.insert(header::HOST, HeaderValue::from_static("evil.example/path?"));
        assert_eq!(base_url(&headers, Some("http://127.0.0.1:4242")), "http://127.0.0.1:4242");
    }

    #[test]
    fn formats_amounts_in_their_currency() {
        assert_eq!(money(4_250, "usd"), "USD 42.50");
        assert_eq!(money(500, "jpy"), "JPY 500");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(escape("Harbor & <Vine> \"x\""), "Harbor &amp; &lt;Vine&gt; &quot;x&quot;");
    }
}
