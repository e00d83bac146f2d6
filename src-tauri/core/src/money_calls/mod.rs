//! The wire half of the one door every money or settings call goes through (the desk adds who may
//! ask, and what blocks): journal the key and audit "requested" in one fsynced transaction → send
//! → record the outcome and audit it in another.
//!
//! An outcome is succeeded, failed (the gateway said no, definitively) or unknown (no answer, 5xx
//! or 409 after the last retry, an idempotency error, a crash). An unknown is never recorded as
//! failed: it is settled later by [`settle`], the way its gateway allows (see [`Gateway`]): Stripe
//! with the same key within 23 hours and by looking the object up after; CardConnect by inquiry on
//! the call's order ID before anything is sent again.

mod settle;

use std::sync::Mutex;

use serde_json::Value;

pub use settle::{settle, Settled};

pub use crate::gateways::stripe::gateway::{classify, RETRY_WINDOW};
pub use crate::gateways::stripe::lookup::KEY_METADATA;
pub use crate::gateways::{Found, Gateway, GatewayError, Outcome, Settle};
use crate::gateways::{GatewayKind, Refusal};
use crate::store::audit::{self, AuditRecord};
use crate::store::journal::{self, Asker, Entry, Finish, Status};
use crate::store::{locked as lock, Store, StoreError};

/// One money-moving or settings request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyCall {
    /// What it is for the journal: `refund`, `capture`, `transfer`, `payout_schedule`, …
    pub action: &'static str,
    pub gateway: GatewayKind,
    pub path: String,
    /// The connected account it acts as (`Stripe-Account`), or the platform.
    pub account: Option<String>,
    pub form: Vec<(String, String)>,
    /// How its effect is found at Stripe without sending it again.
    pub settle: Settle,
}

impl MoneyCall {
    /// A Stripe call, whose way of being looked up follows from its path (see
    /// [`settle_for`](crate::gateways::stripe::lookup::settle_for)).
    pub fn new(action: &'static str, path: impl Into<String>, account: Option<&str>, form: &[(&str, String)]) -> Self {
        let path = path.into();
        let form: Vec<(String, String)> = form.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect();
        let settle = crate::gateways::stripe::lookup::settle_for(&path, &form);
        Self { action, gateway: GatewayKind::Stripe, path, account: account.map(str::to_string), form, settle }
    }

    /// A CardConnect call to `endpoint` (`refund`, `void`, `capture`) for merchant `merchid`. It
    /// carries an order ID of its own, journalled before sending, by which CardPointe is asked
    /// (`inquireByOrderid`) what became of it after a lost answer: CardPointe has no idempotency keys.
    pub fn cardconnect(
        action: &'static str,
        endpoint: &str,
        merchid: &str,
        orderid: &str,
        form: &[(&str, String)],
    ) -> Self {
        let mut pairs: Vec<(String, String)> =
            vec![("merchid".into(), merchid.to_string()), ("orderid".into(), orderid.to_string())];
        pairs.extend(form.iter().map(|(k, v)| ((*k).to_string(), v.clone())));
        Self {
            action,
            gateway: GatewayKind::CardConnect,
            path: endpoint.to_string(),
            account: Some(merchid.to_string()),
            form: pairs,
            settle: Settle::Inquire { merchid: merchid.to_string(), orderid: orderid.to_string() },
        }
    }

    /// The account the call is about, for blocking: the one it acts as, the connected account the
    /// platform changes (`/v1/accounts/{id}`) or pays; `None` for the platform itself.
    pub fn subject(&self) -> Option<&str> {
        // A platform call that pays a restaurant (a transfer, a destination charge) is about that
        // restaurant: an unknown one blocks its next call, not every platform call.
        self.account.as_deref().or_else(|| subject_of_path(&self.path)).or_else(|| {
            self.form
                .iter()
                .find(|(k, _)| k == "destination" || k == "transfer_data[destination]")
                .map(|(_, v)| v.as_str())
        })
    }

    /// The connected accounts the call acts as or pays: its subject and any destination.
    pub fn accounts(&self) -> impl Iterator<Item = &str> {
        let destinations = self
            .form
            .iter()
            .filter(|(k, _)| k == "destination" || k == "transfer_data[destination]")
            .map(|(_, v)| v.as_str());
        self.subject().into_iter().chain(destinations).filter(|a| a.starts_with("acct_"))
    }

    /// The form as sent: a creating call carries its key in `metadata`, so a lookup can find it.
    fn form_with_key(&self, key: &str) -> Vec<(String, String)> {
        let mut form = self.form.clone();
        if matches!(self.settle, Settle::Find { .. }) {
            form.push((format!("metadata[{KEY_METADATA}]"), key.to_string()));
        }
        form
    }
}

fn subject_of_path(path: &str) -> Option<&str> {
    path.strip_prefix("/v1/accounts/").map(|rest| rest.split('/').next().unwrap_or(rest)).filter(|id| !id.is_empty())
}

/// What a call is, for people and the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Intent {
    pub audit_action: String,
    pub target: Option<String>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub summary: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The gateway refused it: nothing happened.
    #[error(transparent)]
    Refused(#[from] GatewayError),
    /// Sent, but what became of it is not known yet; it is settled later, never guessed.
    #[error("no definite answer from the gateway ({reason}); Merchant Desk will find out what happened before anything else is sent for this account (key {key})")]
    Unknown { key: String, reason: String },
}

/// The gateway a journalled call went to, by name.
fn gateway_label(entry: &Entry) -> &'static str {
    GatewayKind::parse(&entry.gateway).unwrap_or(GatewayKind::Stripe).label()
}

/// A call that went through.
#[derive(Debug, Clone)]
pub struct Done {
    pub key: String,
    pub value: Value,
    pub request_id: Option<String>,
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    format!("md_{}", uuid::Uuid::new_v4().simple())
}

/// A CardPointe order ID of a call's own, made from its key: `prefix` (the order number, say)
/// and the key's first twelve hex digits, at most 50 characters as CardPointe allows.
pub fn orderid_for(prefix: &str, key: &str) -> String {
    let hex: String = key.trim_start_matches("md_").chars().take(12).collect();
    let room = 50 - hex.len() - 2;
    let prefix: String = prefix.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(room).collect();
    if prefix.is_empty() {
        format!("MD{hex}")
    } else {
        format!("{prefix}-M{hex}")
    }
}

/// Is `key` one this app makes (`md_` and 32 hex digits)? Keys from the screens are checked.
pub fn is_key(key: &str) -> bool {
    key.strip_prefix("md_").is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Which gateway connection a client talks to, as the journal names it (never a secret).
pub fn connection_of(gateway: &impl Gateway) -> String {
    gateway.connection()
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Step 1: in one transaction, journal the call under `key` and audit "requested". Nothing has
/// been sent yet; the database is fsynced on commit (synchronous=FULL), so a power cut after the
/// request left cannot lose the journal row.
pub fn journal(
    store: &Mutex<Store>,
    client: &impl Gateway,
    call: &MoneyCall,
    key: &str,
    asker: &Asker,
    intent: &Intent,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let settle = serde_json::to_string(&call.settle).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let entry = Entry {
        key: key.to_string(),
        connection: client.connection(),
        gateway: call.gateway.as_str().to_string(),
        action: call.action.to_string(),
        audit_action: intent.audit_action.clone(),
        account: call.account.clone(),
        method: "POST".into(),
        path: call.path.clone(),
        params: call.form_with_key(key),
        status: Status::Pending,
        http_status: None,
        response: None,
        request_id: None,
        created_at: rfc3339(now),
        asker: asker.clone(),
        target: intent.target.clone(),
        amount: intent.amount,
        currency: intent.currency.clone(),
        settle: Some(settle),
        settled_by: None,
        summary: intent.summary.clone(),
        instance: Some(settle::instance().to_string()),
    };
    let mut store = lock(store);
    let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    journal::begin(&tx, &entry)?;
    audit::append(&tx, &audit_row(&entry, "requested", None, None))?;
    tx.commit()?;
    Ok(())
}

/// The audit row of `entry` with `outcome`.
fn audit_row(entry: &Entry, outcome: &str, request_id: Option<String>, detail: Option<String>) -> AuditRecord {
    AuditRecord {
        profile_id: entry.asker.profile_id,
        profile_name: entry.asker.profile_name.clone(),
        role: entry.asker.role.clone(),
        action: entry.audit_action.clone(),
        target: entry.target.clone(),
        amount: entry.amount,
        currency: entry.currency.clone(),
        idempotency_key: Some(entry.key.clone()),
        request_id,
        outcome: outcome.into(),
        detail: Some(detail.unwrap_or_else(|| entry.summary.clone())),
    }
}

/// Step 2: send it as journalled (with its key, or its order ID where the gateway has no keys).
pub async fn send(client: &impl Gateway, entry: &Entry) -> Outcome {
    client.send(entry).await
}

/// Step 3: in one transaction, record what is now known of `key` and audit it. An unknown outcome
/// changes the journal from pending to unknown and is audited once as such; later tries that
/// learn nothing new write nothing.
pub fn record(
    store: &Mutex<Store>,
    key: &str,
    outcome: &Outcome,
    settled_by: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let mut store = lock(store);
    let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(entry) = journal::get(&tx, key)? else {
        return Err(StoreError::Corrupt(format!("no journal entry {key}")));
    };
    if !entry.status.is_unfinished() {
        return Ok(());
    }
    let at = rfc3339(now);
    let how = |what: &str| {
        if settled_by == "answer" {
            what.to_string()
        } else {
            format!("{what} (settled by {settled_by})")
        }
    };
    let finish = |status: Status, http_status: Option<u16>, request_id: Option<&str>, body: &str| {
        let f = Finish { status, http_status, request_id, response: body, settled_by, at: &at };
        journal::finish(&tx, key, &f)
    };
    let row = match outcome {
        Outcome::Succeeded(approved) => {
            finish(Status::Succeeded, Some(200), approved.request_id.as_deref(), &approved.value.to_string())?;
            audit_row(&entry, "succeeded", approved.request_id.clone(), Some(how(&entry.summary)))
        }
        Outcome::Failed(Refusal { http_status, request_id, kind, code, message }, _) => {
            let body = serde_json::json!({ "type": kind, "code": code, "message": message }).to_string();
            finish(Status::Failed, *http_status, request_id.as_deref(), &body)?;
            let detail = how(&format!("{}: {} refused it: {message}", entry.summary, gateway_label(&entry)));
            audit_row(&entry, "failed", request_id.clone(), Some(detail))
        }
        Outcome::NotMade(why) => {
            finish(
                Status::Failed,
                None,
                None,
                &serde_json::json!({ "outcome": "not_made", "reason": why }).to_string(),
            )?;
            audit_row(&entry, "failed", None, Some(how(&format!("{}: it never happened: {why}", entry.summary))))
        }
        Outcome::Superseded(now_at_stripe) => {
            finish(Status::Superseded, None, None, &now_at_stripe.to_string())?;
            let detail = how(&format!("{}: Stripe shows a later change; not applied again", entry.summary));
            audit_row(&entry, "superseded", None, Some(detail))
        }
        Outcome::Unknown(why, err) => {
            if entry.status == Status::Unknown {
                return Ok(());
            }
            let body = serde_json::json!({ "outcome": "unknown", "reason": why }).to_string();
            tx.execute(
                "UPDATE idempotency_journal SET status = 'unknown', response = ?2 WHERE key = ?1 AND status = 'pending'",
                rusqlite::params![key, body],
            )?;
            let detail =
                format!("{}: no definite answer from {} ({why}); to be settled", entry.summary, gateway_label(&entry));
            audit_row(&entry, "unknown", err.request_id().map(str::to_string), Some(detail))
        }
    };
    audit::append(&tx, &row)?;
    tx.commit()?;
    Ok(())
}

/// A person settles `key` by hand, having checked the Stripe Dashboard: it `happened`, or not. For
/// calls nothing else can settle (made with a key since rolled, or journalled before calls carried
/// their key in metadata). The audit row names who decided.
pub fn settle_by_hand(
    store: &Mutex<Store>,
    key: &str,
    happened: bool,
    who: &Asker,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let mut store = lock(store);
    let tx = store.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(entry) = journal::get(&tx, key)?.filter(|e| e.status.is_unfinished()) else {
        return Ok(());
    };
    let at = rfc3339(now);
    let body = serde_json::json!({ "outcome": "settled_by_hand", "happened": happened, "by": who.profile_name });
    let status = if happened { Status::Succeeded } else { Status::Failed };
    let finish = Finish {
        status,
        http_status: None,
        request_id: None,
        response: &body.to_string(),
        settled_by: "hand",
        at: &at,
    };
    journal::finish(&tx, key, &finish)?;
    let said = if happened { "it happened" } else { "it did not happen" };
    let mut row = audit_row(
        &entry,
        status.as_str(),
        None,
        Some(format!("{} (settled by hand: {} checked the Stripe Dashboard: {said})", entry.summary, who.profile_name)),
    );
    row.profile_id = who.profile_id;
    row.profile_name = who.profile_name.clone();
    row.role = who.role.clone();
    audit::append(&tx, &row)?;
    tx.commit()?;
    Ok(())
}

/// Journals, sends and records one call under `key`: the whole wire half of the door.
pub async fn submit(
    store: &Mutex<Store>,
    client: &impl Gateway,
    call: &MoneyCall,
    key: &str,
    asker: &Asker,
    intent: &Intent,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Done, CallError> {
    // Marked before the journal row exists, so this process never settles it beside its request.
    let _sending = settle::Sending::start(key);
    journal(store, client, call, key, asker, intent, now)?;
    let entry =
        journal::get(lock(store).conn(), key)?.ok_or_else(|| StoreError::Corrupt(format!("no journal entry {key}")))?;
    let outcome = send(client, &entry).await;
    record(store, key, &outcome, "answer", now)?;
    into_done(key, outcome)
}

fn into_done(key: &str, outcome: Outcome) -> Result<Done, CallError> {
    match outcome {
        Outcome::Succeeded(r) => Ok(Done { key: key.to_string(), value: r.value, request_id: r.request_id }),
        Outcome::Failed(_, err) => Err(err.into()),
        Outcome::Unknown(why, _) => Err(CallError::Unknown { key: key.to_string(), reason: why }),
        Outcome::NotMade(why) => Err(CallError::Unknown { key: key.to_string(), reason: why }),
        Outcome::Superseded(_) => Err(CallError::Unknown { key: key.to_string(), reason: "superseded".into() }),
    }
}

/// [`submit`] under a new key, on behalf of the app itself (set-up calls of tests and benchmarks;
/// people's calls go through the desk, which says who asked).
pub async fn execute(store: &Mutex<Store>, client: &impl Gateway, call: &MoneyCall) -> Result<Done, CallError> {
    let intent =
        Intent { audit_action: call.action.to_string(), summary: call.action.to_string(), ..Default::default() };
    let asker = Asker { profile_name: "Merchant Desk".into(), ..Default::default() };
    submit(store, client, call, &new_key(), &asker, &intent, chrono::Utc::now()).await
}
