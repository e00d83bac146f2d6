//! The cached copy of Stripe objects the screens read first. Writes replace a whole snapshot in one
//! transaction, so a crash mid-write leaves the previous snapshot intact.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::StoreError;
use crate::gateways::stripe::models::{Account, Balance, BalanceAmount};

/// Scope of the platform's own rows in `balances` and `sync_state`.
pub const PLATFORM: &str = "";

/// What one overview sync fetched.
#[derive(Debug, Clone)]
pub struct OverviewSnapshot {
    pub platform_balance: (Balance, Value),
    pub accounts: Vec<(Account, Value)>,
    /// Balance of each connected account, by account ID.
    pub account_balances: Vec<(String, Balance, Value)>,
}

/// Replaces the cached overview with `snapshot`, atomically.
pub fn replace_overview(conn: &mut Connection, snapshot: &OverviewSnapshot, synced_at: &str) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Accounts are written over in place and only those gone are deleted: each payout carries its
    // account's name for sorting (schema 16), and emptying the table would rewrite every payout.
    let ids: Vec<&str> = snapshot.accounts.iter().map(|(a, _)| a.id.as_str()).collect();
    let ids = serde_json::to_string(&ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute("DELETE FROM accounts WHERE id NOT IN (SELECT value FROM json_each(?1))", [ids])?;
    tx.execute("DELETE FROM balances", [])?;
    tx.execute("DELETE FROM balance_snapshots", [])?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO accounts (id, name, type, country, default_currency, email, status, charges_enabled,
                                   payouts_enabled, details_submitted, disabled_reason, created, raw, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, country = excluded.country,
                 default_currency = excluded.default_currency, email = excluded.email, status = excluded.status,
                 charges_enabled = excluded.charges_enabled, payouts_enabled = excluded.payouts_enabled,
                 details_submitted = excluded.details_submitted, disabled_reason = excluded.disabled_reason,
                 created = excluded.created, raw = excluded.raw, synced_at = excluded.synced_at",
        )?;
        for (account, raw) in &snapshot.accounts {
            insert.execute(params![
                account.id,
                account.display_name(),
                account.kind.as_deref().unwrap_or("standard"),
                account.country.as_deref().unwrap_or(""),
                account.default_currency.as_deref().unwrap_or(""),
                account.email,
                crate::accounts::status(account).as_str(),
                account.charges_enabled,
                account.payouts_enabled,
                account.details_submitted,
                account.requirements.as_ref().and_then(|r| r.disabled_reason.clone()),
                account.created.unwrap_or(0),
                raw.to_string(),
                synced_at,
            ])?;
        }
        let mut balances = tx.prepare(
            "INSERT INTO balances (scope, currency, available, pending, connect_reserved, instant_available, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut snapshots = tx.prepare("INSERT INTO balance_snapshots (scope, raw, synced_at) VALUES (?1, ?2, ?3)")?;
        let platform = std::iter::once((PLATFORM, &snapshot.platform_balance.0, &snapshot.platform_balance.1));
        let connected = snapshot.account_balances.iter().map(|(id, b, raw)| (id.as_str(), b, raw));
        for (scope, balance, raw) in platform.chain(connected) {
            for (currency, f) in by_currency(balance) {
                balances.execute(params![scope, currency, f[0], f[1], f[2], f[3], synced_at])?;
            }
            snapshots.execute(params![scope, raw.to_string(), synced_at])?;
        }
    }
    tx.execute(
        "INSERT INTO sync_state (scope, object, synced_at) VALUES (?1, 'overview', ?2)
         ON CONFLICT(scope, object) DO UPDATE SET synced_at = excluded.synced_at",
        params![PLATFORM, synced_at],
    )?;
    // The accounts list's rows, worked out in the same transaction as the accounts they show.
    crate::accounts::list_rows::refresh(&tx)?;
    tx.commit()?;
    Ok(())
}

/// `[available, pending, connect_reserved, instant_available]` per currency.
fn by_currency(balance: &Balance) -> BTreeMap<String, [i64; 4]> {
    let mut out: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    let parts: [&Vec<BalanceAmount>; 4] =
        [&balance.available, &balance.pending, &balance.connect_reserved, &balance.instant_available];
    for (slot, amounts) in parts.iter().enumerate() {
        for a in amounts.iter() {
            out.entry(a.currency.to_ascii_lowercase()).or_default()[slot] += a.amount;
        }
    }
    out
}

/// Writes one scope's balance (from a full sync), replacing what was cached for it.
pub fn upsert_balance(conn: &Connection, scope: &str, raw: &Value, synced_at: &str) -> Result<(), StoreError> {
    let balance: Balance =
        serde_json::from_value(raw.clone()).map_err(|e| StoreError::Corrupt(format!("balance: {e}")))?;
    conn.execute("DELETE FROM balances WHERE scope = ?1", [scope])?;
    for (currency, f) in by_currency(&balance) {
        conn.execute(
            "INSERT INTO balances (scope, currency, available, pending, connect_reserved, instant_available, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![scope, currency, f[0], f[1], f[2], f[3], synced_at],
        )?;
    }
    conn.execute(
        "INSERT INTO balance_snapshots (scope, raw, synced_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(scope) DO UPDATE SET raw = excluded.raw, synced_at = excluded.synced_at",
        params![scope, raw.to_string(), synced_at],
    )?;
    Ok(())
}

/// Forgets every cached Stripe object (used when the connection changes to another platform).
pub fn clear(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for table in [
        "accounts",
        "balances",
        "balance_snapshots",
        "sync_state",
        "objects",
        "payout_contents",
        "payout_reconciled",
        "payout_alerts",
        "transactions",
        // What this PC knew of the old platform's restaurants.
        "disconnected_accounts",
        "account_alerts",
        "account_alerts_started",
    ] {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    tx.commit()?;
    Ok(())
}

/// Forgets what was cached from one gateway (its site changed): its objects, transactions and
/// sync progress. The other gateway's cache stays.
pub fn clear_gateway(conn: &mut Connection, gateway: crate::gateways::GatewayKind) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM objects WHERE gateway = ?1", [gateway.as_str()])?;
    tx.execute("DELETE FROM transactions WHERE gateway = ?1", [gateway.as_str()])?;
    tx.execute("DELETE FROM sync_state WHERE object LIKE ?1", [format!("{}%", gateway.as_str())])?;
    // An account whose sync copy went shows its overview copy again.
    crate::accounts::list_rows::refresh(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Whether a restaurant is in the cache: a connected account (from the overview or the full sync)
/// or a CardConnect merchant.
pub fn has_account(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM accounts WHERE id = ?1 UNION ALL SELECT 1 FROM objects WHERE id = ?1 AND kind = 'account'
             UNION ALL SELECT 1 FROM cardconnect_merchants WHERE merchid = ?1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A cached account's Stripe JSON: the newer of the overview's copy and the sync's (events).
pub fn account_raw(conn: &Connection, id: &str) -> Result<Option<Value>, StoreError> {
    let newest = newest_account_text(conn, id)?;
    newest.map(|r| serde_json::from_str(&r).map_err(|e| StoreError::Corrupt(format!("account: {e}")))).transpose()
}

/// The name of a cached account ([`crate::accounts::account_name`] of [`account_raw`]).
pub fn account_name(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    newest_account_text(conn, id)?.map(|raw| crate::accounts::account_name_of_text(&raw)).transpose()
}

/// A cached account's name and its bank accounts (its `external_accounts`, `Null` when none), for
/// the payouts list, which names the restaurant and bank of every row: read from the account's
/// text without building its whole JSON.
pub fn account_name_and_banks(conn: &Connection, id: &str) -> Result<Option<(String, Value)>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Banks {
        #[serde(default)]
        external_accounts: Value,
    }
    let Some(text) = newest_account_text(conn, id)? else { return Ok(None) };
    let name = crate::accounts::account_name_of_text(&text)?;
    // An object as expected; anything else (or a key written twice) read as the JSON it is.
    let banks = match serde_json::from_str::<Banks>(&text) {
        Ok(banks) if text.trim_start().starts_with('{') => banks.external_accounts,
        _ => {
            let json: Value = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("account: {e}")))?;
            json["external_accounts"].clone()
        }
    };
    Ok(Some((name, banks)))
}

fn newest_account_text(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    // Prepared once per connection: the lists ask it for every restaurant on a page.
    Ok(conn
        .prepare_cached(
            "SELECT raw FROM (SELECT raw, synced_at FROM accounts WHERE id = ?1
                              UNION ALL SELECT raw, synced_at FROM objects WHERE id = ?1 AND kind = 'account')
             ORDER BY synced_at DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The newest cached copy of every connected account, by ID: the overview's, or the object
/// cache's (accounts made here, and those an event changed since the overview was refreshed).
/// The accounts list, the fee schedule and the restaurant alerts all read this one answer.
pub fn newest_accounts(conn: &Connection) -> Result<Vec<Value>, StoreError> {
    let mut stmt = conn.prepare_cached(
        // SQLite takes `raw` from the row holding the MAX.
        "SELECT raw, MAX(synced_at) FROM (SELECT id, raw, synced_at FROM accounts
                          UNION ALL SELECT id, raw, synced_at FROM objects WHERE kind = 'account')
         GROUP BY id",
    )?;
    let raws: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    raws.iter().map(|raw| super::objects::parse(raw)).collect()
}

/// Replaces a cached account's JSON after a change made from here, in both copies.
pub fn update_account_raw(conn: &Connection, id: &str, raw: &Value, synced_at: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE accounts SET raw = ?2, synced_at = ?3 WHERE id = ?1",
        params![id, raw.to_string(), synced_at],
    )?;
    crate::store::objects::upsert(conn, crate::store::objects::PLATFORM, std::slice::from_ref(raw), synced_at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_name_and_banks_are_those_of_the_whole_account() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let texts = [
            r#"{"id":"acct_1","business_profile":{"name":"Blue Door"},"external_accounts":{"data":[{"id":"ba_1","last4":"6789"}]}}"#,
            r#"{"id":"acct_2","email":"o@example.com"}"#,
            r#"{"id":"acct_3","external_accounts":null,"charges_enabled":"yes"}"#,
            r#"{"id":"acct_4","external_accounts":{"data":[]},"external_accounts":{"data":[{"id":"ba_4"}]}}"#,
            r#"[{"data":[{"id":"ba_5"}]}]"#,
        ];
        for (i, text) in texts.iter().enumerate() {
            conn.execute(
                "INSERT INTO objects (id, kind, account, created, raw, synced_at) VALUES (?1, 'account', '', 0, ?2, 't')",
                rusqlite::params![format!("acct_{}", i + 1), text],
            )
            .unwrap();
        }
        for i in 1..=texts.len() {
            let id = format!("acct_{i}");
            let whole = account_raw(conn, &id).unwrap().unwrap();
            let expect = (crate::accounts::account_name(&whole), whole["external_accounts"].clone());
            assert_eq!(account_name_and_banks(conn, &id).unwrap(), Some(expect), "{id}");
        }
        assert_eq!(account_name_and_banks(conn, "acct_none").unwrap(), None);
    }
}
