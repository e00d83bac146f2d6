//! Connected accounts for platform admins, from the cache: the list (restricted and past due
//! first, CardConnect restaurants beside them), and one account with its requirements in words.

use serde_json::Value;

use super::requirements;
use super::status::{status as status_of, AccountStatus};
use super::views::{AccountDetail, AccountListRow, AccountsFilter, CapabilityView};
use crate::desk::{Desk, DeskError};
use crate::gateways::stripe::models::Account;
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::permissions::{self, Action};
use crate::store::{cache, merchants, StoreError};

/// Payouts the account page shows; the Payouts screen has the rest.
const RECENT_PAYOUTS: u32 = 3;

impl Desk {
    /// Every restaurant the profile may see, most in need of attention first.
    pub fn accounts_list(&self, filter: &AccountsFilter) -> Result<Vec<AccountListRow>, DeskError> {
        let profile = self.authorize(Action::ViewAccounts)?;
        let store = self.store();
        let conn = store.conn();
        let visible = |id: &str| profile.scope.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id));
        let mut rows: Vec<AccountListRow> = Vec::new();
        for raw in cache::newest_accounts(conn)? {
            let id = raw["id"].as_str().unwrap_or_default();
            if visible(id) {
                rows.push(row_of(&raw, disconnected(conn, id)?));
            }
        }
        for m in merchants::all(conn)?.into_iter().filter(|m| visible(&m.merchid)) {
            rows.push(AccountListRow {
                gateway: GatewayKind::CardConnect,
                id: m.merchid,
                name: m.name,
                kind: "cardconnect".into(),
                country: None,
                default_currency: Some(m.currency),
                status: AccountStatus::Active,
                status_words: None,
                due_count: 0,
                past_due_count: 0,
                nearest_deadline: None,
                requirements_summary: "Takes cards through CardConnect".into(),
                created: None,
                disconnected: false,
            });
        }
        let words = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
        rows.retain(|r| {
            words.as_ref().is_none_or(|w| r.name.to_lowercase().contains(w) || r.id.to_lowercase().starts_with(w))
                && filter.status.as_deref().is_none_or(|s| s.is_empty() || r.status.as_str() == s)
                && filter.kind.as_deref().is_none_or(|k| k.is_empty() || r.kind == k)
        });
        // Restricted, disabled and past due first, then the nearest deadline, then by name.
        rows.sort_by_key(|r| {
            let attention = match r.status {
                AccountStatus::Restricted | AccountStatus::Disabled => 0,
                _ if r.past_due_count > 0 => 0,
                AccountStatus::Pending => 1,
                AccountStatus::Active if r.due_count > 0 => 1,
                AccountStatus::Active => 2,
            };
            (attention, r.nearest_deadline.unwrap_or(i64::MAX), r.name.to_lowercase())
        });
        Ok(rows)
    }

    /// One connected account: profile, capabilities, requirements in words, balance.
    pub fn account_detail(&self, account: &str) -> Result<AccountDetail, DeskError> {
        let profile = self.authorize(Action::ViewOverview)?;
        crate::desk::scope::check_id("account", account, "acct_")?;
        self.check_account(&profile, account)?;
        let store = self.store();
        let conn = store.conn();
        let raw = crate::store::cache::account_raw(conn, account)?
            .ok_or_else(|| DeskError::NotFound { what: "restaurant", id: account.to_string() })?;
        let since = crate::store::disconnected::since(conn, account)?;
        let row = row_of(&raw, since.is_some());
        let currency = raw["default_currency"].as_str().unwrap_or("usd").to_string();
        let funds: Option<(i64, i64)> = conn
            .query_row(
                "SELECT available, pending FROM balances WHERE scope = ?1 AND currency = ?2",
                [account, currency.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let recent_payouts = if permissions::allows(profile.role, Action::ViewPayouts) {
            let query = crate::payouts::queries::PayoutQuery {
                accounts: crate::store::filters::Accounts::Only(vec![account.to_string()]),
                status: None,
                from: None,
                until: None,
                sort: crate::payouts::views::PayoutSort::ArrivalDate,
                descending: true,
                search: None,
            };
            crate::payouts::queries::page(conn, &query, 0, RECENT_PAYOUTS)?
        } else {
            Vec::new()
        };
        let profile_json = &raw["business_profile"];
        let text = |v: &Value| v.as_str().map(str::to_string).filter(|s| !s.is_empty());
        let mcc = text(&profile_json["mcc"]);
        let capabilities = raw["capabilities"]
            .as_object()
            .map(|caps| {
                caps.iter()
                    .map(|(name, status)| CapabilityView {
                        label: crate::views::capitalise(&name.replace('_', " ")),
                        name: name.clone(),
                        status: status.as_str().unwrap_or("inactive").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(AccountDetail {
            email: text(&raw["email"]),
            business_name: text(&profile_json["name"]),
            mcc_name: mcc.as_deref().and_then(|m| super::mcc::check(m).ok()).map(|m| m.name.to_string()),
            mcc,
            url: text(&profile_json["url"]),
            support_email: text(&profile_json["support_email"]),
            support_phone: text(&profile_json["support_phone"]),
            payout_schedule: raw["settings"]["payouts"]["schedule"]
                .is_object()
                .then(|| crate::payouts::schedule::words(&crate::payouts::schedule::from_account(&raw))),
            recent_payouts,
            capabilities,
            requirements: requirements::explain(&raw),
            available: funds.map(|f| Money::new(f.0, &currency)),
            pending: funds.map(|f| Money::new(f.1, &currency)),
            charges_enabled: raw["charges_enabled"].as_bool().unwrap_or(false),
            payouts_enabled: raw["payouts_enabled"].as_bool().unwrap_or(false),
            details_submitted: raw["details_submitted"].as_bool().unwrap_or(false),
            // Stripe refuses links for a restaurant that revoked the platform's access.
            may_manage: permissions::allows(profile.role, Action::ManageAccounts) && since.is_none(),
            may_send_update: permissions::allows(profile.role, Action::SendAccountLinks) && since.is_none(),
            disconnected: since.map(|at| disconnected_words(&at)),
            row,
        })
    }
}

/// What a disconnection means for the people at the desk.
fn disconnected_words(at: &str) -> String {
    let day = chrono::DateTime::parse_from_rfc3339(at).map(|t| t.format("%-d %b %Y").to_string()).unwrap_or_default();
    format!(
        "Disconnected from the platform on {day}: the restaurant revoked the platform's access at Stripe. \
         What is shown is as it was last synced; no refunds, dispute answers, payouts or transfers can be made for it \
         from here until it connects again."
    )
}

/// Whether the restaurant disconnected from the platform.
fn disconnected(conn: &rusqlite::Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached("SELECT 1 FROM disconnected_accounts WHERE account = ?1")?.exists([id])?)
}

fn row_of(raw: &Value, disconnected: bool) -> AccountListRow {
    let account: Option<Account> = serde_json::from_value(raw.clone()).ok();
    let status = account.as_ref().map(status_of).unwrap_or(AccountStatus::Pending);
    let req = requirements::explain(raw);
    let status_words = match status {
        AccountStatus::Active => None,
        AccountStatus::Pending => Some("Onboarding not finished".to_string()),
        _ => req.disabled_in_words.clone(),
    };
    AccountListRow {
        gateway: GatewayKind::Stripe,
        id: raw["id"].as_str().unwrap_or_default().to_string(),
        name: super::status::account_name(raw),
        kind: raw["type"].as_str().unwrap_or("standard").to_string(),
        country: raw["country"].as_str().map(str::to_string),
        default_currency: raw["default_currency"].as_str().map(str::to_string),
        status: if disconnected { AccountStatus::Disabled } else { status },
        status_words: if disconnected { Some("Disconnected from the platform".into()) } else { status_words },
        due_count: req.due_count,
        past_due_count: req.past_due_count,
        nearest_deadline: req.nearest_deadline,
        requirements_summary: req.summary,
        created: raw["created"].as_i64(),
        disconnected,
    }
}
