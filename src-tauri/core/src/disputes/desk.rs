//! Disputes for managers, read from the cache: the inbox (most pressing first), a dispute opened,
//! and the evidence draft kept on this PC as the manager types.

use std::collections::BTreeMap;

use serde_json::Value;

use super::queries::{self, Cached};
use super::recommend::{EvidencePlan, OrderType};
use super::views::{DisputeDetail, DisputeFilter, DisputePage, DisputeRow, DraftView, EvidenceDraft, ReasonChoice};
use super::words::{self, NEEDS_RESPONSE};
use crate::desk::scope::accounts_of;
use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::payments::queries::Names;
use crate::permissions::{self, Action};
use crate::profiles::Profile;
use crate::store::dispute_drafts::{self, Draft};
use crate::store::filters::MAX_PAGE;

impl Desk {
    /// A page of the disputes of the restaurants the profile may see, overdue and due-soon first.
    pub fn disputes(&self, filter: &DisputeFilter, offset: u32, limit: u32) -> Result<DisputePage, DeskError> {
        let profile = self.authorize(Action::ViewDisputes)?;
        if let Some(restaurant) = filter.restaurant.as_deref().filter(|r| !r.is_empty()) {
            self.check_account(&profile, restaurant)?;
        }
        let now = self.clock.now().timestamp();
        let store = self.store();
        let conn = store.conn();
        let accounts = accounts_of(&profile);
        let inbox = queries::Inbox { accounts: &accounts, filter };
        let counts = inbox.counts(conn, now)?;
        let mut names = Names::default();
        let rows = inbox
            .page(conn, counts.total, offset, limit.clamp(1, MAX_PAGE))?
            .iter()
            .map(|c| row(conn, &mut names, c, now))
            .collect::<Result<_, _>>()?;
        let reasons = inbox
            .reasons(conn)?
            .into_iter()
            .map(|reason| ReasonChoice { title: super::recommend::reason_words(&reason).title.to_string(), reason })
            .collect();
        Ok(DisputePage {
            total: counts.total,
            offset,
            rows,
            due_soon: counts.due_soon,
            overdue: counts.overdue,
            reasons,
        })
    }

    /// One dispute, with what Stripe holds and this PC's draft.
    pub fn dispute_detail(&self, dispute: &str) -> Result<DisputeDetail, DeskError> {
        let profile = self.authorize(Action::ViewDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        self.detail_of(&profile, &cached)
    }

    /// [`Desk::dispute_detail`] after reading the dispute from Stripe: it may have changed there
    /// (evidence staged on another PC, the bank's decision) since the last sync.
    pub async fn dispute_refresh(&self, dispute: &str) -> Result<DisputeDetail, DeskError> {
        let profile = self.authorize(Action::ViewDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        if self.refusal_if_disconnected(&cached.account)?.is_some() {
            // Stripe no longer answers for the restaurant: the dispute as last synced.
            return self.detail_of(&profile, &cached);
        }
        let fresh = self.fresh_dispute(&cached.account, dispute).await?;
        self.detail_of(&profile, &fresh)
    }

    /// What the evidence form shows first for `dispute` when its order was served as `order_type`.
    pub fn dispute_plan(&self, dispute: &str, order_type: OrderType) -> Result<EvidencePlan, DeskError> {
        let profile = self.authorize_quiet(Action::ViewDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        Ok(super::recommend::plan(cached.raw["reason"].as_str().unwrap_or("general"), order_type))
    }

    /// Keeps the manager's draft of `dispute` on this PC (as they type; nothing is sent).
    pub fn save_dispute_draft(&self, dispute: &str, draft: &EvidenceDraft) -> Result<DraftView, DeskError> {
        let profile = self.authorize_quiet(Action::ManageDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        check_order_type(draft.order_type.as_deref())?;
        let kept = Draft {
            dispute: dispute.to_string(),
            account: cached.account.clone(),
            order_type: draft.order_type.clone(),
            fields: draft
                .fields
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            saved_at: self.clock.now().to_rfc3339(),
            sent_at: None,
            profile_id: Some(profile.id),
        };
        dispute_drafts::put(self.store().conn(), &kept)?;
        let stored = dispute_drafts::get(self.store().conn(), dispute)?.unwrap_or(kept);
        Ok(draft_view(stored))
    }

    /// The dispute from the cache, if the profile may see its restaurant.
    pub(super) fn cached_dispute(&self, profile: &Profile, dispute: &str) -> Result<Cached, DeskError> {
        crate::desk::scope::check_id("dispute", dispute, "dp_")
            .or_else(|e| crate::desk::scope::check_id("dispute", dispute, "du_").map_err(|_| e))?;
        let cached = queries::get(self.store().conn(), dispute)?
            .ok_or_else(|| DeskError::NotFound { what: "dispute", id: dispute.to_string() })?;
        self.check_account(profile, &cached.account)?;
        Ok(cached)
    }

    pub(super) fn detail_of(&self, profile: &Profile, cached: &Cached) -> Result<DisputeDetail, DeskError> {
        let now = self.clock.now().timestamp();
        let store = self.store();
        let conn = store.conn();
        let row = row(conn, &mut Names::default(), cached, now)?;
        let raw = &cached.raw;
        let details = &raw["evidence_details"];
        let submission_count = details["submission_count"].as_u64().unwrap_or(0) as u32;
        let mut cannot_respond = cannot_respond(&row, submission_count, now);
        let held: BTreeMap<String, String> = raw["evidence"]
            .as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| {
                        let text = v.as_str().map(str::to_string).or_else(|| v["id"].as_str().map(str::to_string))?;
                        Some((k.clone(), text)).filter(|(_, t)| !t.is_empty())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let charge = crate::store::objects::raw_of(conn, &row.charge)?;
        drop(store);
        // The payment as the Payments & Refunds screen shows it (a profile that may see disputes
        // may look payments up); nothing when its charge is not cached.
        let payment_timeline =
            self.payment_detail(&row.restaurant, &row.charge).map(|p| p.timeline).unwrap_or_default();
        if cannot_respond.is_none() {
            cannot_respond = self.refusal_if_disconnected(&row.restaurant)?.map(|e| e.user_message());
        }
        let store = self.store();
        let conn = store.conn();
        let billing = &charge["billing_details"];
        Ok(DisputeDetail {
            reason_meaning: super::recommend::reason_words(&row.reason).meaning.to_string(),
            has_evidence: details["has_evidence"].as_bool().unwrap_or(false),
            past_due: details["past_due"].as_bool().unwrap_or(false),
            submission_count,
            is_charge_refundable: raw["is_charge_refundable"].as_bool().unwrap_or(false),
            can_respond: cannot_respond.is_none(),
            cannot_respond,
            may_manage: permissions::allows(profile.role, Action::ManageDisputes),
            held,
            draft: dispute_drafts::get(conn, &row.id)?.map(draft_view),
            customer_name: billing["name"].as_str().map(str::to_string),
            customer_email: billing["email"].as_str().or_else(|| charge["receipt_email"].as_str()).map(str::to_string),
            sections: super::evidence::sections(),
            order_types: super::recommend::order_type_choices(),
            files: super::files::attached(conn, &row.id)?,
            payment_timeline,
            row,
        })
    }
}

/// Why evidence can no longer be sent, in a sentence; `None` while it can.
pub(super) fn cannot_respond(row: &DisputeRow, submission_count: u32, now: i64) -> Option<String> {
    if !NEEDS_RESPONSE.contains(&row.status.as_str()) {
        return Some(format!(
            "This dispute is {}: Stripe takes no more evidence for it.",
            row.status_label.to_lowercase()
        ));
    }
    if row.due_by.is_some_and(|d| d > 0 && d <= now) {
        // The screen shows the deadline itself, in the person's locale.
        return Some("The deadline passed: the bank no longer takes evidence for this dispute.".into());
    }
    if submission_count > 0 {
        return Some("Evidence was already submitted for this dispute; the bank decides on it now.".into());
    }
    None
}

fn check_order_type(order_type: Option<&str>) -> Result<(), DeskError> {
    match order_type {
        Some(t) if OrderType::parse(t).is_none() => Err(DeskError::InvalidInput {
            field: "order_type",
            reason: format!("{t:?} is not dine-in, takeaway, delivery or catering"),
        }),
        _ => Ok(()),
    }
}

fn draft_view(d: Draft) -> DraftView {
    DraftView { order_type: d.order_type, fields: d.fields, saved_at: d.saved_at, sent_at: d.sent_at }
}

/// A cached dispute as an inbox row.
pub(super) fn row(
    conn: &rusqlite::Connection,
    names: &mut Names,
    c: &Cached,
    now: i64,
) -> Result<DisputeRow, crate::store::StoreError> {
    let raw: &Value = &c.raw;
    let status = raw["status"].as_str().unwrap_or("needs_response").to_string();
    let due_by = raw["evidence_details"]["due_by"].as_i64().filter(|d| *d > 0);
    let urgency = words::urgency(&status, due_by, now);
    let reason = raw["reason"].as_str().unwrap_or("general").to_string();
    Ok(DisputeRow {
        id: raw["id"].as_str().unwrap_or_default().to_string(),
        restaurant_name: names.of(conn, &c.account)?,
        restaurant: c.account.clone(),
        amount: Money::new(raw["amount"].as_i64().unwrap_or(0), raw["currency"].as_str().unwrap_or("usd")),
        reason_title: super::recommend::reason_words(&reason).title.to_string(),
        reason,
        status_label: words::status_label(&status),
        status,
        urgency,
        due_by,
        due_words: words::due_words(urgency, due_by, now),
        charge: raw["charge"].as_str().or_else(|| raw["charge"]["id"].as_str()).unwrap_or_default().to_string(),
        order_number: c.order_number.clone(),
        created: raw["created"].as_i64().unwrap_or(0),
    })
}
