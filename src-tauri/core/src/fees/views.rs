//! What the fee screen sends and shows.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::rules::{FeeProblem, FeeSchedule};
use crate::money::Money;

/// The schedule in force, and where it was read.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FeeScheduleView {
    pub schedule: FeeSchedule,
    /// "Stripe": read from the restaurants' account metadata (what every PC agrees on); "this
    /// PC": saved here, not yet on any account; "built in": never set.
    pub source: String,
    /// The restaurants overrides may name: (ID, name).
    pub restaurants: Vec<(String, String)>,
}

/// After saving: the schedule, and how many restaurants carry it at Stripe.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FeeSaved {
    pub view: FeeScheduleView,
    pub accounts_written: u32,
    /// Restaurants whose metadata could not be written, with why.
    pub accounts_failed: Vec<String>,
}

/// A save's answer: saved, or refused with every problem on its field (nothing saved or sent).
#[derive(Debug, Clone, Serialize, Type)]
pub struct FeeSaveAnswer {
    pub saved: Option<FeeSaved>,
    pub problems: Vec<FeeProblem>,
}

/// What the preview asks: a payment of `amount` (major units) at `restaurant`.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct FeePreviewForm {
    pub restaurant: String,
    pub amount: String,
    pub currency: String,
}

/// What that payment would pay the platform, and which rule says so.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FeePreview {
    pub amount: Money,
    pub fee: Money,
    /// What the restaurant keeps (before Stripe's own processing fee).
    pub net: Money,
    /// "Tier 2: monthly volume $10,000.01 – $50,000.00", "Override: Enterprise agreement", "Default rate".
    pub rule_words: String,
    /// "2.5% + $0.25".
    pub rate_words: String,
    /// The restaurant's succeeded card volume this month, which picks the tier.
    pub monthly_volume: Money,
}
