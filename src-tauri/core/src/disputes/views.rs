//! What the Disputes screens send and show.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::money::Money;

/// The inbox's filters; `None` for any.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct DisputeFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// A connected account.
    #[serde(default)]
    pub restaurant: Option<String>,
}

/// How pressing a dispute is, for the inbox's order and badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Needs a response and the deadline has passed.
    Overdue,
    /// Needs a response within 72 hours.
    DueSoon,
    /// Needs a response, with time left.
    Open,
    /// Evidence is with the bank.
    UnderReview,
    /// Won, lost, closed or refunded: nothing more to do.
    Closed,
}

/// One dispute of the inbox.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DisputeRow {
    pub id: String,
    /// The connected account it belongs to (`""`: the platform).
    pub restaurant: String,
    pub restaurant_name: String,
    pub amount: Money,
    pub reason: String,
    /// "Fraud claim".
    pub reason_title: String,
    pub status: String,
    /// "Needs a response".
    pub status_label: String,
    pub urgency: Urgency,
    /// Unix seconds; `None` when the bank allows no response.
    #[specta(type = Option<specta_typescript::Number>)]
    pub due_by: Option<i64>,
    /// "Due in 2 days", "Overdue by 5 hours", "Answered".
    pub due_words: String,
    /// The disputed charge.
    pub charge: String,
    pub order_number: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
}

/// A page of the inbox, with the caption's counts over every dispute the filter matches.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DisputePage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<DisputeRow>,
    /// Needing a response within 72 hours (not yet overdue).
    pub due_soon: u32,
    /// Needing a response, past the deadline.
    pub overdue: u32,
    /// The reasons the reason picker offers: those of the disputes in view under the other filters.
    pub reasons: Vec<ReasonChoice>,
}

/// A reason as the picker shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReasonChoice {
    /// Stripe's word: `fraudulent`.
    pub reason: String,
    /// "Fraud claim".
    pub title: String,
}

/// A dispute opened: everything a manager needs to answer it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DisputeDetail {
    pub row: DisputeRow,
    /// What the reason means, in a sentence.
    pub reason_meaning: String,
    pub has_evidence: bool,
    pub past_due: bool,
    pub submission_count: u32,
    pub is_charge_refundable: bool,
    /// Whether evidence can still be staged or submitted (and the dispute accepted).
    pub can_respond: bool,
    /// Why not, when it cannot.
    pub cannot_respond: Option<String>,
    /// Whether the signed-in profile may answer disputes.
    pub may_manage: bool,
    /// What Stripe already holds, by evidence field (file fields hold `file_…` IDs).
    pub held: BTreeMap<String, String>,
    /// This PC's draft, if any.
    pub draft: Option<DraftView>,
    /// The customer as the charge names them.
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// The whole evidence form, section by section.
    pub sections: Vec<super::evidence::EvidenceSection>,
    /// The order-type picker's choices.
    pub order_types: Vec<super::recommend::OrderTypeChoice>,
    /// Files attached from this PC, by field.
    pub files: Vec<super::files::AttachedFile>,
    /// The disputed payment's life (authorized, paid, refunds, the dispute), oldest first.
    pub payment_timeline: Vec<crate::payments::views::TimelineEntry>,
}

/// A draft of evidence, kept on this PC as the manager types.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DraftView {
    /// dine_in, takeaway, delivery, catering.
    pub order_type: Option<String>,
    /// Evidence field → text or `file_…` ID.
    pub fields: BTreeMap<String, String>,
    /// RFC 3339.
    pub saved_at: String,
    /// When it was last sent to Stripe (staged or submitted), RFC 3339.
    pub sent_at: Option<String>,
}

/// What the evidence form sends: the draft to keep, or to stage or submit.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct EvidenceDraft {
    #[serde(default)]
    pub order_type: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}
