//! The overview as cached: the platform's balance, every restaurant by name, the last sync time.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::views::{AccountRow, OverviewView};
use crate::accounts::{self, AccountStatus};
use crate::gateways::stripe::models::Account;
use crate::money::Money;
use crate::store::cache::PLATFORM;
use crate::store::StoreError;
use crate::views::{BalanceLine, MerchantEntry};

/// The overview as cached: platform balance, accounts by name, last sync time.
pub fn overview(conn: &Connection) -> Result<OverviewView, StoreError> {
    let mut lines = conn.prepare(
        "SELECT scope, currency, available, pending, connect_reserved, instant_available FROM balances
         ORDER BY scope, currency",
    )?;
    let mut platform_balance = Vec::new();
    let mut account_funds: HashMap<(String, String), (i64, i64)> = HashMap::new();
    let rows = lines.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (scope, currency, available, pending, reserved, instant) = row?;
        if scope == PLATFORM {
            platform_balance.push(BalanceLine::new(currency, [available, pending, reserved, instant]));
        } else {
            account_funds.insert((scope, currency), (available, pending));
        }
    }

    let mut stmt = conn.prepare(
        "SELECT id, name, type, country, default_currency, status, disabled_reason, raw FROM accounts
         ORDER BY name COLLATE NOCASE, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    let mut accounts_out = Vec::new();
    for row in rows {
        let (id, name, kind, country, currency, status, disabled_reason, raw) = row?;
        let status = AccountStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("account {id} status {status}")))?;
        let account: Account =
            serde_json::from_str(&raw).map_err(|e| StoreError::Corrupt(format!("account {id}: {e}")))?;
        let req = account.requirements.unwrap_or_default();
        let mut due = req.past_due.clone();
        due.extend(req.currently_due.iter().filter(|f| !req.past_due.contains(f)).cloned());
        let status_reason = match status {
            AccountStatus::Active => None,
            AccountStatus::Pending => Some("Onboarding not finished".to_string()),
            _ => disabled_reason.as_deref().map(accounts::reason_in_words),
        };
        let funds = account_funds.get(&(id.clone(), currency.clone()));
        accounts_out.push(AccountRow {
            available: funds.map(|f| Money::new(f.0, &currency)),
            pending: funds.map(|f| Money::new(f.1, &currency)),
            id,
            name,
            kind,
            country,
            default_currency: currency,
            status,
            status_reason,
            requirements_due: due,
            requirements_deadline: req.current_deadline,
        });
    }
    let last_synced_at: Option<String> = conn
        .query_row("SELECT synced_at FROM sync_state WHERE scope = ?1 AND object = 'overview'", [PLATFORM], |r| {
            r.get(0)
        })
        .optional()?;
    let cardconnect = crate::store::merchants::all(conn)?
        .into_iter()
        .map(|m| MerchantEntry { merchid: m.merchid, name: m.name, currency: Some(m.currency) })
        .collect();
    Ok(OverviewView { platform_balance, accounts: accounts_out, cardconnect, last_synced_at })
}
