//! Demo data: a restaurant group on a Connect platform, deterministic from a seed.
//!
//! The group has a dozen connected accounts of all three types (standard, express, custom) and all
//! four statuses (active, pending, restricted, disabled), in several currencies including JPY, a
//! zero-decimal one, with months of history made by the same operations the API runs (see
//! [`history`]), then fixed payments made today and catering orders paid to the platform (see
//! [`today`]).

pub mod bulk;
pub mod history;
pub mod today;

use serde_json::{json, Value};

use crate::state::State;

/// The seed demo mode uses.
pub const DEMO_SEED: u64 = 20_230_816;

/// How a seeded account stands with Stripe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Active,
    /// Onboarding not finished: details not submitted.
    Pending,
    /// Information past due: payouts (and maybe charges) paused.
    Restricted,
    /// Rejected by Stripe.
    Disabled,
}

/// What a connected account is made from.
#[derive(Debug, Clone)]
pub struct AccountSpec<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub country: &'a str,
    pub currency: &'a str,
    pub email: &'a str,
    pub standing: Standing,
}

const GROUP: &[AccountSpec<'static>] = &[
    AccountSpec {
        name: "Harbor & Vine Seaport Grill",
        kind: "standard",
        country: "US",
        currency: "usd",
        email: "seaport@harborvine.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Harbor & Vine Midtown Bistro",
        kind: "express",
        country: "US",
        currency: "usd",
        email: "midtown@harborvine.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Vine Street Pizzeria",
        kind: "express",
        country: "US",
        currency: "usd",
        email: "hello@vinestreetpizza.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Saltwater Oyster Bar",
        kind: "custom",
        country: "US",
        currency: "usd",
        email: "office@saltwateroyster.example",
        standing: Standing::Restricted,
    },
    AccountSpec {
        name: "Golden Gate Noodle House",
        kind: "custom",
        country: "US",
        currency: "usd",
        email: "owner@ggnoodle.example",
        standing: Standing::Pending,
    },
    AccountSpec {
        name: "Sakura Kitchen Shibuya",
        kind: "express",
        country: "JP",
        currency: "jpy",
        email: "shibuya@sakurakitchen.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Le Petit Four Marais",
        kind: "standard",
        country: "FR",
        currency: "eur",
        email: "bonjour@petitfour.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Trattoria Nonna Lucia",
        kind: "express",
        country: "IT",
        currency: "eur",
        email: "ciao@nonnalucia.example",
        standing: Standing::Restricted,
    },
    AccountSpec {
        name: "Maple & Rye Diner",
        kind: "custom",
        country: "CA",
        currency: "cad",
        email: "books@mapleandrye.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Thames Fish Bar",
        kind: "standard",
        country: "GB",
        currency: "gbp",
        email: "accounts@thamesfish.example",
        standing: Standing::Active,
    },
    AccountSpec {
        name: "Brasa Churrasqueria",
        kind: "express",
        country: "US",
        currency: "usd",
        email: "gerente@brasa.example",
        standing: Standing::Disabled,
    },
    AccountSpec {
        name: "Copper Kettle Cafe",
        kind: "standard",
        country: "US",
        currency: "usd",
        email: "hi@copperkettle.example",
        standing: Standing::Pending,
    },
];

/// Fills `state` with the restaurant group.
pub fn restaurant_group(state: &mut State, seed: u64) {
    restaurant_group_with(state, seed, history::DEMO_DAYS);
}

/// The group with `days` of history, then today's payments and catering orders (0: accounts and
/// opening balances only).
pub fn restaurant_group_with(state: &mut State, seed: u64, days: i64) {
    state.reseed_ids(seed);
    // History happens in the past: wind the clock back, then let it run forward to now.
    state.advance_clock(-days * 86_400);
    let start = state.now();
    let mut accounts = Vec::new();
    for (i, spec) in GROUP.iter().enumerate() {
        // Older accounts first, so the list (newest first) shows recent sign-ups on top.
        let created = start - 86_400 * (400 - 30 * i as i64) - state.rng().range(0, 86_399);
        let id = add_account(state, spec, created);
        // Stripe reports a zero balance in the default currency for an account with no funds yet.
        state.funds_mut(&Some(id.clone()), spec.currency);
        accounts.push((id, spec.clone()));
    }
    history::opening_balances(state);
    history::run(state, &accounts, days);
    // Last, so that nothing made before it changes.
    if days > 0 {
        today::run(state, &accounts);
    }
    // A restricted restaurant's deadline lies ahead of today, not of the day history began.
    let deadline = state.now() + 6 * 86_400;
    for (id, spec) in &accounts {
        if spec.standing == Standing::Restricted {
            if let Some(account) = state.get_mut(&None, id) {
                account["requirements"]["current_deadline"] = json!(deadline);
            }
        }
    }
}

/// Creates a connected account in `state` and returns its ID.
pub fn add_account(state: &mut State, spec: &AccountSpec<'_>, created: i64) -> String {
    let id = state.new_id("acct");
    let account = account_object(&id, spec, created, state.now());
    state.insert(None, "account", account)
}

/// A full `account` object as Stripe returns it for the given standing.
pub fn account_object(id: &str, spec: &AccountSpec<'_>, created: i64, now: i64) -> Value {
    let (charges, payouts, submitted) = match spec.standing {
        Standing::Active => (true, true, true),
        Standing::Pending => (false, false, false),
        Standing::Restricted => (true, false, true),
        Standing::Disabled => (false, false, true),
    };
    let (currently_due, past_due, disabled_reason, deadline): (Vec<&str>, Vec<&str>, Value, Value) = match spec.standing
    {
        Standing::Active => (vec![], vec![], Value::Null, Value::Null),
        Standing::Pending => (
            vec!["business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"],
            vec!["business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"],
            json!("requirements.past_due"),
            Value::Null,
        ),
        Standing::Restricted => (
            vec!["company.tax_id", "representative.verification.document"],
            vec!["representative.verification.document"],
            json!("requirements.past_due"),
            json!(now + 6 * 86_400),
        ),
        Standing::Disabled => (vec![], vec![], json!("rejected.fraud"), Value::Null),
    };
    let capability = |enabled: bool| {
        if enabled {
            "active"
        } else if submitted {
            "inactive"
        } else {
            "pending"
        }
    };
    let external_accounts = if submitted {
        json!({
            "object": "list",
            "data": [bank_account(id, spec.country, spec.currency, json!(spec.name), created)],
            "has_more": false,
            "url": format!("/v1/accounts/{id}/external_accounts")
        })
    } else {
        json!({ "object": "list", "data": [], "has_more": false, "url": format!("/v1/accounts/{id}/external_accounts") })
    };
    json!({
        "id": id,
        "object": "account",
        "type": spec.kind,
        "country": spec.country,
        "default_currency": spec.currency,
        "email": spec.email,
        "created": created,
        "charges_enabled": charges,
        "payouts_enabled": payouts,
        "details_submitted": submitted,
        "business_type": "company",
        "business_profile": {
            "name": spec.name,
            "mcc": "5812",
            "url": Value::Null,
            "product_description": "Restaurant",
            "support_email": spec.email,
            "support_phone": Value::Null,
            "support_url": Value::Null,
            "support_address": Value::Null
        },
        "capabilities": { "card_payments": capability(charges), "transfers": capability(payouts) },
        "requirements": {
            "alternatives": [],
            "current_deadline": deadline,
            "currently_due": currently_due,
            "disabled_reason": disabled_reason,
            "errors": [],
            "eventually_due": currently_due,
            "past_due": past_due,
            "pending_verification": []
        },
        "future_requirements": {
            "alternatives": [],
            "current_deadline": Value::Null,
            "currently_due": [],
            "disabled_reason": Value::Null,
            "errors": [],
            "eventually_due": [],
            "past_due": [],
            "pending_verification": []
        },
        "external_accounts": external_accounts,
        "metadata": {},
        "settings": {
            "branding": { "icon": Value::Null, "logo": Value::Null, "primary_color": Value::Null, "secondary_color": Value::Null },
            "card_payments": { "decline_on": { "avs_failure": false, "cvc_failure": false }, "statement_descriptor_prefix": Value::Null, "statement_descriptor_prefix_kana": Value::Null, "statement_descriptor_prefix_kanji": Value::Null },
            "dashboard": { "display_name": spec.name, "timezone": timezone(spec.country) },
            "payments": { "statement_descriptor": statement_descriptor(spec.name), "statement_descriptor_kana": Value::Null, "statement_descriptor_kanji": Value::Null },
            "payouts": {
                "debit_negative_balances": true,
                "schedule": { "delay_days": if spec.country == "US" { 2 } else { 7 }, "interval": "daily" },
                "statement_descriptor": Value::Null
            }
        },
        "tos_acceptance": { "date": if submitted { json!(created) } else { Value::Null } }
    })
}

/// The verified bank account an onboarded account is paid out to (Stripe's test bank details);
/// `created` picks its last four digits, so seeded accounts differ.
pub fn bank_account(account: &str, country: &str, currency: &str, holder: Value, created: i64) -> Value {
    let last4 = format!("{:04}", (created.unsigned_abs() % 10_000));
    let tail = account.get(5..).unwrap_or(account);
    json!({
        "id": format!("ba_{tail}"),
        "object": "bank_account",
        "account": account,
        "bank_name": bank_name(country),
        "country": country,
        "currency": currency,
        "last4": last4,
        "status": "verified",
        "default_for_currency": true,
        "routing_number": "110000000",
        "fingerprint": format!("fp{}", tail.get(..8).unwrap_or(tail)),
        "account_holder_name": holder,
        "account_holder_type": "company",
        "available_payout_methods": ["standard", "instant"],
        "metadata": {}
    })
}

pub fn default_currency(country: &str) -> &'static str {
    match country {
        "US" => "usd",
        "GB" => "gbp",
        "JP" => "jpy",
        "CA" => "cad",
        "AU" => "aud",
        "FR" | "IT" | "DE" | "ES" | "IE" | "NL" | "BE" | "AT" | "PT" | "FI" => "eur",
        _ => "usd",
    }
}

fn bank_name(country: &str) -> &'static str {
    match country {
        "US" => "STRIPE TEST BANK",
        "JP" => "MIZUHO BANK",
        "FR" => "BNP PARIBAS",
        "IT" => "INTESA SANPAOLO",
        "CA" => "ROYAL BANK OF CANADA",
        "GB" => "BARCLAYS BANK",
        _ => "TEST BANK",
    }
}

fn timezone(country: &str) -> &'static str {
    match country {
        "JP" => "Asia/Tokyo",
        "FR" => "Europe/Paris",
        "IT" => "Europe/Rome",
        "CA" => "America/Toronto",
        "GB" => "Europe/London",
        _ => "America/New_York",
    }
}

fn statement_descriptor(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ').take(22).collect::<String>().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Page;

    fn ids(s: &State, scope: &crate::state::Scope, kind: &'static str) -> Vec<String> {
        s.ids(scope, kind).to_vec()
    }

    #[test]
    fn same_seed_same_group() {
        let mut a = State::new(vec![]);
        let mut b = State::new(vec![]);
        restaurant_group_with(&mut a, 7, 3);
        restaurant_group_with(&mut b, 7, 3);
        assert_eq!(ids(&a, &None, "account"), ids(&b, &None, "account"));
        assert_eq!(ids(&a, &None, "account").len(), GROUP.len());
        let first = ids(&a, &None, "account")[0].clone();
        assert_eq!(ids(&a, &Some(first.clone()), "charge"), ids(&b, &Some(first), "charge"));
        let page = Page { limit: 100, ..Page::default() };
        assert!(a.list(&None, "account", "/v1/accounts", &page).is_ok());
    }

    #[test]
    fn covers_every_type_and_standing_and_a_zero_decimal_currency() {
        for kind in ["standard", "express", "custom"] {
            assert!(GROUP.iter().any(|s| s.kind == kind), "{kind}");
        }
        for standing in [Standing::Active, Standing::Pending, Standing::Restricted, Standing::Disabled] {
            assert!(GROUP.iter().any(|s| s.standing == standing), "{standing:?}");
        }
        assert!(GROUP.iter().any(|s| s.currency == "jpy"));
    }

    #[test]
    fn the_demo_history_has_every_dispute_status_failed_payouts_and_money_that_adds_up() {
        let mut s = State::new(vec![]);
        restaurant_group(&mut s, DEMO_SEED);
        let statuses: std::collections::BTreeSet<String> =
            s.objects_of_kind("dispute").map(|(_, d)| d["status"].as_str().unwrap().to_string()).collect();
        for status in [
            "needs_response",
            "warning_needs_response",
            "under_review",
            "warning_under_review",
            "won",
            "lost",
            "warning_closed",
        ] {
            assert!(statuses.contains(status), "no {status} dispute in {statuses:?}");
        }
        let payouts: Vec<Value> = s.objects_of_kind("payout").map(|(_, p)| p.clone()).collect();
        assert!(payouts.iter().filter(|p| p["status"] == "failed").count() >= 2);
        assert!(payouts.iter().filter(|p| p["status"] == "paid").count() > 50);
        assert!(s.objects_of_kind("refund").count() > 20);
        assert!(s.objects_of_kind("charge").count() > 1_000);
        // Every scope's balance is the sum of its balance transactions.
        let mut scopes: Vec<crate::state::Scope> = ids(&s, &None, "account").into_iter().map(Some).collect();
        scopes.push(None);
        for scope in scopes {
            let mut sums: std::collections::BTreeMap<String, i64> = Default::default();
            for id in s.ids(&scope, "balance_transaction") {
                let t = s.get(&scope, id).unwrap();
                *sums.entry(t["currency"].as_str().unwrap().to_string()).or_default() += t["net"].as_i64().unwrap();
            }
            let balance = s.balance(&scope);
            for (currency, sum) in sums {
                let pick = |part: &str| {
                    balance[part]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|a| a["currency"] == currency.as_str())
                        .map_or(0, |a| a["amount"].as_i64().unwrap())
                };
                assert_eq!(pick("available") + pick("pending"), sum, "{scope:?} {currency}");
            }
        }
    }
}
