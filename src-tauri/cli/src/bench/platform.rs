//! The connected restaurants every screen's benchmark stands on: accounts as the overview caches
//! them, named as restaurants are, some restricted, onboarding or with something due.

use md_core::gateways::stripe::models::{Account, Balance};
use md_core::store::cache::{self, OverviewSnapshot};
use md_core::store::Store;
use serde_json::{json, Value};

use crate::commands::CliError;

const FIRST: [&str; 16] = [
    "Harbour", "Blue", "Golden", "Little", "Olive", "Copper", "Saffron", "Juniper", "Maple", "Salt", "Ember", "Fig",
    "Cedar", "Lotus", "Anchor", "Velvet",
];
const SECOND: [&str; 12] = [
    "Grill",
    "Door",
    "Kitchen",
    "Bistro",
    "Noodle Bar",
    "Trattoria",
    "Diner",
    "Taqueria",
    "Bakery",
    "Cafe",
    "Table",
    "Oven",
];

/// The ID of restaurant `i`.
pub(super) fn account_id(i: usize) -> String {
    format!("acct_{i:016}")
}

/// The name of restaurant `i`: "Saffron Noodle Bar 42" (192 names, then numbered).
pub(super) fn name(i: usize) -> String {
    format!("{} {} {}", FIRST[i % FIRST.len()], SECOND[(i / FIRST.len()) % SECOND.len()], i / 192 + 1)
}

/// Restaurant `i` as Stripe sends it; one in 40 restricted (past due), one in 25 onboarding, one
/// in 10 with something due by a deadline.
pub(super) fn account(i: usize, now: i64) -> Value {
    let restricted = i % 40 == 7;
    let onboarding = i % 25 == 3;
    let due = i % 10 == 1 || restricted;
    let deadline = due.then(|| now + ((i as i64 * 7_919) % 30 - 5) * 86_400);
    let kind = ["standard", "express", "custom"][i % 3];
    json!({
        "id": account_id(i), "object": "account", "type": kind,
        "country": "US", "default_currency": "usd", "email": format!("owner{i}@example.com"),
        "created": now - 400 * 86_400 + (i as i64 % 300) * 86_400,
        "charges_enabled": !restricted && !onboarding, "payouts_enabled": !restricted && !onboarding,
        "details_submitted": !onboarding,
        "business_profile": {"name": name(i), "mcc": "5812", "url": format!("https://restaurant{i}.example.com"),
                             "support_phone": "+15555550100"},
        "capabilities": {"card_payments": if restricted { "inactive" } else { "active" },
                         "transfers": if restricted { "inactive" } else { "active" }},
        "requirements": {
            "currently_due": if due { json!(["individual.verification.document"]) } else { json!([]) },
            "eventually_due": if due { json!(["individual.verification.document"]) } else { json!([]) },
            "past_due": if restricted { json!(["individual.verification.document"]) } else { json!([]) },
            "pending_verification": [], "errors": [],
            "disabled_reason": if restricted { json!("requirements.past_due") } else { Value::Null },
            "current_deadline": deadline,
        },
        "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}},
                     "dashboard": {"display_name": name(i)}},
        "external_accounts": {"object": "list", "data": [{"id": format!("ba_{i:016}"), "object": "bank_account",
            "bank_name": "STRIPE TEST BANK", "last4": format!("{:04}", i % 10_000), "currency": "usd"}]},
        "metadata": {},
    })
}

/// Caches `n` restaurants as a refresh of the overview does (their balances left out); returns
/// their IDs.
pub(super) fn restaurants(store: &mut Store, n: usize, now: i64) -> Result<Vec<String>, CliError> {
    let accounts = (0..n)
        .map(|i| {
            let raw = account(i, now);
            let account: Account =
                serde_json::from_value(raw.clone()).map_err(|e| CliError::Setup(format!("account {i}: {e}")))?;
            Ok((account, raw))
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let balance: Balance = serde_json::from_value(json!({})).map_err(|e| CliError::Setup(e.to_string()))?;
    let snapshot = OverviewSnapshot { platform_balance: (balance, json!({})), accounts, account_balances: vec![] };
    cache::replace_overview(store.conn_mut(), &snapshot, &chrono::Utc::now().to_rfc3339())?;
    Ok((0..n).map(account_id).collect())
}
