//! The desk's half of the one door every money or settings call goes through, for the app and the
//! command line alike: the caller has authorized the profile and validated the input; here an
//! unfinished call for the same account blocks a new one, a confirmation sent twice reuses its
//! key, and the wire half (`money_calls`) journals, audits, sends and records.

use super::{Desk, DeskError};
use crate::gateways::{Gateway, GatewayKind};
use crate::money_calls::{self, CallError, Done, Intent, MoneyCall, Settled};
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::journal::{self, Asker, Entry, Status};
use crate::store::StoreError;
use crate::views::UnfinishedCall;

impl Desk {
    /// A call acting as, or paying, a restaurant that disconnected from the platform: Stripe
    /// would refuse it, and it must not wait in the journal to be retried.
    fn disconnected_refusal(&self, call: &MoneyCall) -> Result<Option<DeskError>, DeskError> {
        for account in call.accounts() {
            if let Some(err) = self.refusal_if_disconnected(account)? {
                return Ok(Some(err));
            }
        }
        Ok(None)
    }

    /// The refusal a money action for `account` meets when it disconnected from the platform;
    /// screens show its message in place of the action.
    pub(crate) fn refusal_if_disconnected(&self, account: &str) -> Result<Option<DeskError>, DeskError> {
        let store = self.store();
        let Some(since) = crate::store::disconnected::since(store.conn(), account)? else { return Ok(None) };
        let name = crate::store::cache::account_raw(store.conn(), account)?
            .map(|raw| crate::accounts::account_name(&raw))
            .unwrap_or_else(|| account.to_string());
        Ok(Some(DeskError::Disconnected { account: account.to_string(), name, since }))
    }

    fn client(&self) -> crate::gateways::stripe::StripeClient {
        self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone()
    }

    /// The connection calls to `gateway` go through now, as the journal names it.
    fn connection_for(&self, gateway: &str) -> Option<String> {
        match GatewayKind::parse(gateway) {
            Some(GatewayKind::CardConnect) => self.cardconnect_link().map(|l| l.client.connection()),
            _ => Some(self.client().connection()),
        }
    }

    /// Sends `call` on behalf of `profile` under `key` (made when the person confirmed; a new one
    /// when `None`). Refused, and audited as such, while another call for the same account is
    /// unfinished. A key already journalled is never sent as a new call: its standing is returned.
    pub(crate) async fn through_door(
        &self,
        profile: &Profile,
        call: MoneyCall,
        intent: Intent,
        key: Option<&str>,
    ) -> Result<Done, DeskError> {
        let key = match key {
            Some(key) if !money_calls::is_key(key) => {
                return Err(DeskError::InvalidInput { field: "confirmation", reason: "not a key this app made".into() })
            }
            Some(key) => key.to_string(),
            None => money_calls::new_key(),
        };
        if let Some(entry) = journal::get(self.store().conn(), &key)? {
            same_call(&entry, &call, profile)?;
            return standing(entry);
        }
        let refusal = match self.disconnected_refusal(&call)? {
            Some(err) => Some(err),
            None => journal::unfinished_for(self.store().conn(), call.subject())?
                .into_iter()
                .next()
                .map(|first| DeskError::Unfinished { summary: first.summary, key: first.key, since: first.created_at }),
        };
        if let Some(err) = refusal {
            self.audit(
                profile,
                AuditRecord {
                    action: intent.audit_action.clone(),
                    target: intent.target.clone(),
                    amount: intent.amount,
                    currency: intent.currency.clone(),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                },
            )?;
            return Err(err);
        }
        let asker = Asker {
            profile_id: Some(profile.id),
            profile_name: profile.name.clone(),
            role: profile.role.as_str().to_string(),
        };
        let now = self.clock.now();
        let sent = match call.gateway {
            GatewayKind::Stripe => {
                money_calls::submit(&self.store, &self.client(), &call, &key, &asker, &intent, now).await
            }
            GatewayKind::CardConnect => {
                let client = self.cardconnect_client()?;
                money_calls::submit(&self.store, &client, &call, &key, &asker, &intent, now).await
            }
        };
        if let Err(CallError::Refused(crate::gateways::GatewayError::Stripe(err))) = &sent {
            if let Some(account) = call.subject() {
                if crate::sync::revoked(account, err) {
                    // The restaurant disconnected since the last sync: every screen shows it now.
                    crate::sync::mark_revoked(self.store().conn(), account)?;
                }
            }
        }
        sent.map_err(|err| match err {
            // The same confirmation sent twice at once: the other submission journalled it first.
            CallError::Store(StoreError::Sqlite(e)) if is_constraint(&e) => {
                DeskError::Unfinished { summary: intent.summary.clone(), key: key.clone(), since: "just now".into() }
            }
            CallError::Store(e) => DeskError::Store(e),
            CallError::Refused(e) => e.into(),
            CallError::Unknown { key, reason } => DeskError::OutcomeUnknown { key, reason },
        })
    }

    /// Settles what the current connection left unfinished (at start, after reconnecting, on a
    /// timer, and from "Check now"): retried with its key within 23 hours, looked up after.
    pub async fn settle_unfinished(&self) -> Result<Vec<Settled>, DeskError> {
        let client = self.client();
        let mut settled = money_calls::settle(&self.store, &client, self.clock.now()).await?;
        if let Some(link) = self.cardconnect_link() {
            settled.extend(money_calls::settle(&self.store, &link.client, self.clock.now()).await?);
        }
        // What Stripe showed for a settled account change is cached, so screens show it now.
        let now = self.clock.now().to_rfc3339();
        for done in settled.iter().filter(|s| matches!(s.status, Status::Succeeded | Status::Superseded)) {
            let Some(entry) = journal::get(self.store().conn(), &done.key)? else { continue };
            if GatewayKind::parse(&entry.gateway) == Some(GatewayKind::CardConnect) {
                // Found by inquiry: into the cache as an answered call is, so "what is left" is right.
                if let Some(value) = entry.response.as_deref().and_then(|r| serde_json::from_str(r).ok()) {
                    let paid = entry.params.iter().find(|(k, _)| k == "retref").map(|(_, v)| v.as_str());
                    self.remember_cardconnect(&value, paid)?;
                }
                continue;
            }
            let (Some(account), None) = (entry.subject(), entry.account.as_deref()) else { continue };
            let object = entry.response.as_deref().and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok());
            if let Some(object) = object.filter(|o| o["object"] == "account") {
                crate::store::cache::update_account_raw(self.store().conn(), account, &object, &now)?;
            }
        }
        Ok(settled)
    }

    /// Settings → Unfinished money actions: every call whose outcome is not known yet.
    pub fn unfinished_calls(&self) -> Result<Vec<UnfinishedCall>, DeskError> {
        let profile = self.authorize_quiet(crate::permissions::Action::ManageSettings)?;
        let entries = journal::all_unfinished(self.store().conn())?;
        Ok(entries
            .into_iter()
            .filter(|e| self.may_see_subject(&profile, e.subject()))
            .map(|e| (self.cached_name(e.subject()), self.only_by_hand(&e), e))
            .map(|(account_name, by_hand, e)| UnfinishedCall {
                settle_by_hand: by_hand,
                account: e.subject().map(str::to_string),
                other_connection: self.connection_for(&e.gateway).as_deref() != Some(e.connection.as_str()),
                key: e.key,
                summary: e.summary,
                amount: e.amount.zip(e.currency).map(|(a, c)| crate::money::Money::new(a, &c)),
                asked_by: e.asker.profile_name,
                requested_at: e.created_at,
                status: e.status.as_str().to_string(),
                account_name,
                known: e.response.as_deref().map(known_of).unwrap_or_else(|| {
                    "Recorded before sending; the app stopped before an answer was recorded.".into()
                }),
            })
            .collect())
    }

    fn cached_name(&self, account: Option<&str>) -> Option<String> {
        let raw = crate::store::cache::account_raw(self.store().conn(), account?).ok().flatten()?;
        Some(crate::accounts::account_name(&raw))
    }

    /// Settings → Unfinished money actions → "It happened" / "It did not happen": a person who
    /// checked the Stripe Dashboard settles a call the app cannot (made with another key, or past
    /// 23 hours with no way to look it up). Within 23 hours of its own connection the app settles
    /// it safely itself, so a person may not.
    pub fn settle_unfinished_by_hand(&self, key: &str, happened: bool) -> Result<Vec<UnfinishedCall>, DeskError> {
        const AUDIT: &str = "money.settle_by_hand";
        let profile = self.authorize_audited(crate::permissions::Action::ManageSettings, AUDIT)?;
        let entry = journal::get(self.store().conn(), key)?.filter(|e| e.status.is_unfinished());
        let refusal = match &entry {
            None => Some(DeskError::NotFound { what: "unfinished money action", id: key.chars().take(40).collect() }),
            Some(e) if !self.may_see_subject(&profile, e.subject()) => Some(DeskError::OutOfScope(e.summary.clone())),
            Some(e) if !self.only_by_hand(e) => Some(DeskError::InvalidInput {
                field: "action",
                reason: "Merchant Desk can still settle this with the gateway itself; use Check now".into(),
            }),
            Some(_) => None,
        };
        if let Some(err) = refusal {
            let record = AuditRecord {
                action: AUDIT.into(),
                target: Some(key.chars().take(40).collect()),
                outcome: "refused".into(),
                detail: Some(err.to_string()),
                ..Default::default()
            };
            self.audit(&profile, record)?;
            return Err(err);
        }
        let who = Asker {
            profile_id: Some(profile.id),
            profile_name: profile.name.clone(),
            role: profile.role.as_str().to_string(),
        };
        money_calls::settle_by_hand(&self.store, key, happened, &who, self.clock.now())?;
        self.unfinished_calls()
    }

    pub(crate) fn may_see_subject(&self, profile: &Profile, subject: Option<&str>) -> bool {
        match (&profile.scope, subject) {
            (None, _) => true,
            (Some(ids), Some(account)) => ids.iter().any(|id| id == account),
            (Some(_), None) => false,
        }
    }

    /// Whether only a person can settle `entry`: made through another connection, or past the
    /// retry window with no way to look it up (calls journalled before calls carried their key).
    fn only_by_hand(&self, entry: &Entry) -> bool {
        let other = self.connection_for(&entry.gateway).as_deref() != Some(entry.connection.as_str());
        let created = chrono::DateTime::parse_from_rfc3339(&entry.created_at).ok();
        let late = created.is_none_or(|c| self.clock.now().signed_duration_since(c) >= money_calls::RETRY_WINDOW);
        let settle: Option<money_calls::Settle> = entry.settle.as_deref().and_then(|s| serde_json::from_str(s).ok());
        let no_lookup = matches!(settle, None | Some(money_calls::Settle::Manual));
        // Stripe answers nothing for a restaurant that revoked the platform's access: neither a
        // retry nor a look-up can tell, so only a person who knows can.
        let subject = entry.account.as_deref().or_else(|| entry.path.strip_prefix("/v1/accounts/")?.split('/').next());
        let revoked =
            subject.is_some_and(|a| crate::store::disconnected::since(self.store().conn(), a).ok().flatten().is_some());
        other || (late && no_lookup) || revoked
    }

    /// "Check now": settles what it can and lists what is still unfinished.
    pub async fn check_unfinished_calls(&self) -> Result<Vec<UnfinishedCall>, DeskError> {
        self.authorize(crate::permissions::Action::ManageSettings)?;
        self.settle_unfinished().await?;
        self.unfinished_calls()
    }
}

/// What is known of an unfinished call, in words, from its journalled response.
fn known_of(response: &str) -> String {
    let reason = serde_json::from_str::<serde_json::Value>(response)
        .ok()
        .and_then(|v| v["reason"].as_str().map(str::to_string))
        .unwrap_or_default();
    if reason.is_empty() {
        "Sent; no definite answer yet.".into()
    } else {
        format!("Sent; {reason}.")
    }
}

fn is_constraint(err: &rusqlite::Error) -> bool {
    matches!(err, rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ConstraintViolation)
}

/// A journalled key may only stand for the call it was made for: the same action, path, account,
/// parameters and person. Anything else is refused rather than answered with another call's result.
fn same_call(entry: &Entry, call: &MoneyCall, profile: &Profile) -> Result<(), DeskError> {
    let sent: Vec<&(String, String)> = entry.params.iter().filter(|(k, _)| !k.starts_with("metadata[")).collect();
    let asked: Vec<&(String, String)> = call.form.iter().filter(|(k, _)| !k.starts_with("metadata[")).collect();
    let same = entry.action == call.action
        && entry.path == call.path
        && entry.account == call.account
        && sent == asked
        && entry.asker.profile_id == Some(profile.id);
    if same {
        Ok(())
    } else {
        Err(DeskError::InvalidInput {
            field: "confirmation",
            reason: "this confirmation was made for another action; review the change again".into(),
        })
    }
}

/// The answer for a key that is already journalled (the same confirmation submitted again).
fn standing(entry: Entry) -> Result<Done, DeskError> {
    match entry.status {
        Status::Succeeded => {
            let value = entry.response.as_deref().and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default();
            Ok(Done { key: entry.key, value, request_id: entry.request_id })
        }
        Status::Failed | Status::Superseded => {
            Err(DeskError::AlreadyAnswered { summary: entry.summary, status: entry.status.as_str() })
        }
        Status::Pending | Status::Unknown => {
            Err(DeskError::Unfinished { summary: entry.summary, key: entry.key, since: entry.created_at })
        }
    }
}
