//! Connected accounts for platform admins, from the cache: the list (restricted and past due
//! first, CardConnect restaurants beside them), and one account with its requirements in words.

use serde_json::Value;

use super::list_query::{self, ListQuery};
use super::list_rows;
use super::requirements;
use super::views::{AccountChoice, AccountDetail, AccountPage, AccountsFilter, CapabilityView};
use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::permissions::{self, Action};
use crate::store::filters::MAX_PAGE;

/// Payouts the account page shows; the Payouts screen has the rest.
const RECENT_PAYOUTS: u32 = 3;

impl Desk {
    /// A page of the restaurants the profile may see, most in need of attention first, and how
    /// many there are: read from `account_rows` (schema 23) in its index's order.
    pub fn accounts_list(&self, filter: &AccountsFilter, offset: u32, limit: u32) -> Result<AccountPage, DeskError> {
        let profile = self.authorize(Action::ViewAccounts)?;
        let given = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let query = ListQuery {
            scope: crate::desk::scope::accounts_of(&profile),
            search: given(&filter.search).map(|s| s.to_lowercase()),
            // Matched as given, as before: a status or kind with spaces around it lists nothing.
            status: filter.status.clone().filter(|s| !s.is_empty()),
            kind: filter.kind.clone().filter(|k| !k.is_empty()),
            found: None,
        };
        let store = self.store();
        let conn = store.conn();
        // Rows a writer outside the cache's functions left to be worked out (normally none).
        list_rows::refresh(conn)?;
        let query = query.found(conn)?;
        let total = list_query::count(conn, &query)?;
        Ok(AccountPage {
            total,
            offset,
            rows: list_query::page(conn, &query, offset, limit.clamp(1, MAX_PAGE), total)?,
        })
    }

    /// Every connected account the profile may see (`status`: only those), by name, for the
    /// pickers of other screens, which need them all and not a page.
    pub fn account_choices(&self, status: Option<&str>) -> Result<Vec<AccountChoice>, DeskError> {
        let profile = self.authorize(Action::ViewAccounts)?;
        let store = self.store();
        let conn = store.conn();
        list_rows::refresh(conn)?;
        Ok(list_query::choices(conn, &crate::desk::scope::accounts_of(&profile), status.filter(|s| !s.is_empty()))?)
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
        let row = list_rows::row_of(&raw, since.is_some());
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
