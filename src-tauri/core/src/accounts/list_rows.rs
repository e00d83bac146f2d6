//! The accounts list's rows as stored (`account_rows`, schema 23): what each restaurant's row
//! shows and sorts on, worked out once when its account changes instead of on every listing.
//!
//! Which rows exist and which changed is kept by SQLite triggers on every table a row comes from
//! (`accounts`, `objects` of kind 'account', `disconnected_accounts`, `cardconnect_merchants`), so
//! no writer can forget it. What a row *says* is worked out here, in Rust, and not in the
//! triggers: the status and the requirements' counts, nearest deadline and summary come from
//! [`super::status::status`] and [`super::requirements::explain`] (grouping Stripe's paths, its
//! errors and future requirements, dates in words), which the account screen and the alerts use
//! too. A second copy of that in SQL `json_extract`s would drift from it; one function cannot.
//! The cache's write functions call [`refresh`] in their own transaction, and the list calls it
//! before reading, for rows another writer (a test, an older binary) left stale.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::requirements;
use super::status::{status as status_of, AccountStatus};
use super::views::AccountListRow;
use crate::gateways::stripe::models::Account;
use crate::gateways::GatewayKind;
use crate::store::{merchants, StoreError};

/// Works out every stale row from what is cached now; returns how many were stale. Opens a
/// transaction of its own when called outside one.
pub fn refresh(conn: &Connection) -> Result<usize, StoreError> {
    let stale: Vec<(i64, String, String)> = conn
        .prepare_cached("SELECT rowid, gateway, id FROM account_rows WHERE stale = 1")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if stale.is_empty() {
        return Ok(0);
    }
    if conn.is_autocommit() {
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        let n = refresh(&tx)?;
        tx.commit()?;
        return Ok(n);
    }
    for (rowid, gateway, id) in &stale {
        match GatewayKind::parse(gateway) {
            Some(GatewayKind::Stripe) => refresh_account(conn, *rowid, id)?,
            Some(GatewayKind::CardConnect) => refresh_merchant(conn, *rowid, id)?,
            None => return Err(StoreError::Corrupt(format!("account row of gateway {gateway}"))),
        }
    }
    Ok(stale.len())
}

/// A connected account's row from its newest cached copy, unless that copy and its disconnection
/// are what the row was last worked out from.
fn refresh_account(conn: &Connection, rowid: i64, id: &str) -> Result<(), StoreError> {
    let text: Option<String> = conn
        .prepare_cached(
            "SELECT raw FROM (SELECT raw, synced_at FROM accounts WHERE id = ?1
                              UNION ALL SELECT raw, synced_at FROM objects WHERE id = ?1 AND kind = 'account')
             ORDER BY synced_at DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    // The triggers delete a row whose last copy went; nothing left to show otherwise.
    let Some(text) = text else { return Ok(()) };
    let disconnected = conn.prepare_cached("SELECT 1 FROM disconnected_accounts WHERE account = ?1")?.exists([id])?;
    let hash = source_hash(&text, disconnected);
    let known: Option<i64> = conn
        .prepare_cached("SELECT source_hash FROM account_rows WHERE rowid = ?1")?
        .query_row([rowid], |r| r.get(0))?;
    if known == Some(hash) {
        conn.prepare_cached("UPDATE account_rows SET stale = 0 WHERE rowid = ?1")?.execute([rowid])?;
        return Ok(());
    }
    let raw = crate::store::objects::parse(&text)?;
    // Listed under the ID it is cached under, whatever its JSON says.
    let row = AccountListRow { id: id.to_string(), ..row_of(&raw, disconnected) };
    write(conn, rowid, Some(hash), &row)
}

fn refresh_merchant(conn: &Connection, rowid: i64, merchid: &str) -> Result<(), StoreError> {
    let Some(m) = merchants::get(conn, merchid)? else { return Ok(()) };
    write(conn, rowid, None, &merchant_row(m))
}

/// A CardConnect restaurant as the list shows it: it takes cards, nothing is due.
pub fn merchant_row(m: merchants::Merchant) -> AccountListRow {
    AccountListRow {
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
    }
}

/// Restricted, disabled and past due first (0), then pending or with something due (1), then
/// active (2).
pub fn attention(row: &AccountListRow) -> i64 {
    match row.status {
        AccountStatus::Restricted | AccountStatus::Disabled => 0,
        _ if row.past_due_count > 0 => 0,
        AccountStatus::Pending => 1,
        AccountStatus::Active if row.due_count > 0 => 1,
        AccountStatus::Active => 2,
    }
}

fn write(conn: &Connection, rowid: i64, hash: Option<i64>, row: &AccountListRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE account_rows SET stale = 0, source_hash = ?2, name = ?3, name_key = ?4, id_key = ?5, kind = ?6,
             country = ?7, default_currency = ?8, status = ?9, status_words = ?10, due_count = ?11,
             past_due_count = ?12, nearest_deadline = ?13, requirements_summary = ?14, created = ?15,
             disconnected = ?16, attention = ?17, deadline_key = ?18
         WHERE rowid = ?1",
    )?
    .execute(params![
        rowid,
        hash,
        row.name,
        row.name.to_lowercase(),
        row.id.to_lowercase(),
        row.kind,
        row.country,
        row.default_currency,
        row.status.as_str(),
        row.status_words,
        row.due_count,
        row.past_due_count,
        row.nearest_deadline,
        row.requirements_summary,
        row.created,
        row.disconnected,
        attention(row),
        row.nearest_deadline.unwrap_or(i64::MAX),
    ])?;
    Ok(())
}

/// FNV-1a of the account's text and whether it is disconnected: stable across builds, unlike
/// std's hasher, since it is stored.
fn source_hash(text: &str, disconnected: bool) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes().chain(std::iter::once(disconnected as u8)) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// A connected account's row from its JSON.
pub fn row_of(raw: &Value, disconnected: bool) -> AccountListRow {
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
