//! What the payouts screens (list, chart, detail, schedule, alerts) show and send.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::gateways::GatewayKind;
use crate::money::Money;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PayoutSort {
    #[default]
    ArrivalDate,
    Created,
    Amount,
    Status,
    Account,
}

/// Filters of the payouts list, chart and export. Dates are `YYYY-MM-DD` arrival dates, inclusive, UTC.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct PayoutFilter {
    /// One account (`""` for the platform); `None` for every account the profile may see.
    pub account: Option<String>,
    /// `pending`, `in_transit`, `paid`, `failed` or `canceled`; `None` for all.
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: PayoutSort,
    pub descending: bool,
    /// A payout ID (or its start), an amount (`286.30`) or part of a restaurant's name.
    #[serde(default)]
    pub search: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PayoutRow {
    pub id: String,
    /// Stripe payout, or a CardConnect deposit.
    pub gateway: GatewayKind,
    /// `acct_…`, or `""` for the platform.
    pub account: String,
    pub account_name: String,
    pub amount: Money,
    /// Stripe's status (`paid`, `failed`, …).
    pub status: String,
    /// The status in words.
    pub status_label: String,
    /// Unix seconds of the (expected) arrival day.
    #[specta(type = specta_typescript::Number)]
    pub arrival_date: i64,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    /// `standard` or `instant`.
    pub method: String,
    /// Made by the payout schedule (reconcilable) rather than by hand.
    pub automatic: bool,
    /// "Chase ••••6789", when the destination is known.
    pub bank: Option<String>,
    pub failure_code: Option<String>,
    /// Why it failed and what to do, in words.
    pub failure_message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PayoutPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<PayoutRow>,
}

/// One balance transaction settled in a payout.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReconciliationItem {
    pub id: String,
    #[specta(type = specta_typescript::Number)]
    pub created: i64,
    pub kind_label: String,
    pub description: Option<String>,
    /// The charge, refund, dispute or transfer behind it.
    pub source: Option<String>,
    /// The order number of the payment behind it, when there is one.
    pub order_number: Option<String>,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReconciliationGroup {
    /// `charges`, `refunds`, `disputes`, `fees`, `transfers` or `other`.
    pub key: String,
    pub label: String,
    pub items: Vec<ReconciliationItem>,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
}

/// One summary line: a group's gross, or the fees of every transaction.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReconciliationLine {
    pub label: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PayoutDetail {
    pub payout: PayoutRow,
    /// Manual payouts cannot be broken down by Stripe: `reason` says so.
    pub reconcilable: bool,
    pub reason: Option<String>,
    pub groups: Vec<ReconciliationGroup>,
    /// Charges, refunds, disputes, transfers, other, then fees: they add up to `total`.
    pub summary: Vec<ReconciliationLine>,
    /// What the transactions add up to.
    pub total: Option<Money>,
    /// Payout amount minus `total`, when they differ (shown, never hidden).
    pub difference: Option<Money>,
    /// RFC 3339 time the breakdown was fetched from Stripe.
    pub fetched_at: Option<String>,
    /// Said above the breakdown when it may still change (Stripe is still reconciling the payout).
    pub note: Option<String>,
}

impl PayoutDetail {
    /// A payout shown without a breakdown, and why (a manual payout; a deposit CardPointe did
    /// not itemise).
    pub fn without_breakdown(payout: PayoutRow, reason: &str, fetched_at: Option<&str>) -> Self {
        Self {
            payout,
            reconcilable: false,
            reason: Some(reason.to_string()),
            groups: Vec::new(),
            summary: Vec::new(),
            total: None,
            difference: None,
            fetched_at: fetched_at.map(str::to_string),
            note: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PayoutInterval {
    Daily,
    Weekly,
    Monthly,
    Manual,
}

/// `settings.payouts.schedule` of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PayoutSchedule {
    pub interval: PayoutInterval,
    /// Days between a payment and its funds becoming available for payout.
    pub delay_days: u32,
    /// `monday` … `sunday`, for weekly payouts.
    pub weekly_anchor: Option<String>,
    /// Day of the month (1–31; the last day in shorter months), for monthly payouts.
    pub monthly_anchor: Option<u32>,
}

/// What the next automatic payout is expected to be, per currency.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PayoutEstimate {
    /// Unix seconds of the expected payout day; `None` for manual payouts.
    #[specta(type = Option<specta_typescript::Number>)]
    pub date: Option<i64>,
    pub amount: Money,
    /// How it was worked out, in words.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ScheduleView {
    pub account: String,
    pub account_name: String,
    pub country: String,
    pub schedule: PayoutSchedule,
    /// "Weekly on Friday, 2-day delay".
    pub words: String,
    /// The shortest delay allowed in the account's country, when known.
    pub minimum_delay_days: Option<u32>,
    /// An estimate, not a promise: from the cached balance and pending funds.
    pub estimates: Vec<PayoutEstimate>,
    /// Whether the signed-in profile may change the schedule.
    pub can_edit: bool,
    /// Why nobody can change it from here (the restaurant disconnected), in a sentence.
    pub cannot_edit: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChartBucket {
    #[default]
    Week,
    Month,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartPoint {
    /// Unix seconds of the bucket's first day (UTC).
    #[specta(type = specta_typescript::Number)]
    pub start: i64,
    /// Paid and in-transit payouts arriving in the bucket, in minor units.
    #[specta(type = specta_typescript::Number)]
    pub paid: i64,
    pub count: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartSeries {
    pub currency: String,
    pub exponent: u8,
    pub points: Vec<ChartPoint>,
}

/// A failed payout someone should act on.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PayoutAlert {
    pub payout: PayoutRow,
    /// RFC 3339 time this device first saw the failure.
    pub noticed_at: String,
}
