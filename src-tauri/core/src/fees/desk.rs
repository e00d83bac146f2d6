//! The platform's fee schedule at the desk (platform admins): read from the restaurants' account
//! metadata when any carries it — Stripe is what every back-office PC agrees on — else from this
//! PC; saved here and written onto every connected restaurant's metadata through the door (each
//! keyed and audited); and a preview of what a payment would pay.

use chrono::Datelike;

use super::rules::{self, AppliedRule, FeeOverride, FeeRate, FeeSchedule};
use super::views::{FeePreview, FeePreviewForm, FeeSaveAnswer, FeeSaved, FeeScheduleView};
use crate::desk::{Desk, DeskError};
use crate::money::{self, Money};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::settings::FEE_SCHEDULE;
use crate::store::audit::AuditRecord;
use crate::store::StoreError;

const AUDIT_FEES: &str = "settings.fees";

/// The rate before anyone sets one: Stripe's own list price for US cards, a sensible start.
fn built_in() -> FeeSchedule {
    FeeSchedule { default: FeeRate { percent_bp: 290, fixed: 30 }, tiers: Vec::new(), overrides: Vec::new() }
}

impl Desk {
    pub fn fee_schedule(&self) -> Result<FeeScheduleView, DeskError> {
        self.authorize(Action::ManageFees)?;
        self.fee_view()
    }

    /// Saves `schedule` after checking it whole, then writes it onto each connected restaurant;
    /// or refuses it with every problem on its field, saving and sending nothing.
    pub async fn set_fee_schedule(&self, schedule: &FeeSchedule) -> Result<FeeSaveAnswer, DeskError> {
        let profile = self.authorize_audited(Action::ManageFees, AUDIT_FEES)?;
        let audit = |outcome: &str, detail: String| AuditRecord {
            action: AUDIT_FEES.into(),
            outcome: outcome.into(),
            detail: Some(detail),
            ..Default::default()
        };
        // What Stripe's metadata can hold is part of the check: nothing is saved that cannot be
        // written onto the restaurants.
        let fits = rules::to_metadata(schedule, "acct_0000000000000000").err().map(|e| {
            vec![rules::FeeProblem { field: "tiers".into(), message: crate::views::capitalise(&e.to_string()) }]
        });
        if let Some(problems) = rules::check(schedule).err().or(fits) {
            let words = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>();
            self.audit(&profile, audit("refused", words.join("; ")))?;
            return Ok(FeeSaveAnswer { saved: None, problems });
        }
        let before = self.fee_view()?.schedule;
        self.store().put(&FEE_SCHEDULE, schedule)?;
        self.audit(&profile, audit("succeeded", format!("was {}; now {}", summary(&before), summary(schedule))))?;

        let mut written = 0;
        let mut failed = Vec::new();
        for (account, name) in self.fee_restaurants()? {
            let params = match rules::to_metadata(schedule, &account) {
                Ok(params) => params,
                Err(err) => return Err(DeskError::InvalidInput { field: "fees", reason: err.to_string() }),
            };
            let form: Vec<(String, String)> = params.into_iter().map(|(k, v)| (format!("metadata[{k}]"), v)).collect();
            let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let call = MoneyCall::new("fee_metadata", format!("/v1/accounts/{account}"), None, &pairs);
            let intent = Intent {
                audit_action: "settings.fees.account".into(),
                target: Some(account.clone()),
                summary: format!("Fee schedule onto {name}"),
                ..Default::default()
            };
            match self.through_door(&profile, call, intent, None).await {
                Ok(done) => {
                    let now = self.clock.now().to_rfc3339();
                    crate::store::cache::update_account_raw(self.store().conn(), &account, &done.value, &now)?;
                    written += 1;
                }
                // Not known yet is not a failure: the door finds out before anything is resent.
                Err(err @ DeskError::OutcomeUnknown { .. }) => {
                    failed.push(format!("{name}: not known yet ({})", err.user_message()))
                }
                Err(err) => failed.push(format!("{name}: {}", err.user_message())),
            }
        }
        let saved = FeeSaved { view: self.fee_view()?, accounts_written: written, accounts_failed: failed };
        Ok(FeeSaveAnswer { saved: Some(saved), problems: Vec::new() })
    }

    /// What a payment of `form.amount` at `form.restaurant` would pay the platform now.
    pub fn fee_preview(&self, form: &FeePreviewForm) -> Result<FeePreview, DeskError> {
        let profile = self.authorize(Action::ManageFees)?;
        let restaurant = form.restaurant.trim();
        crate::desk::scope::check_id("restaurant", restaurant, "acct_")?;
        self.check_account(&profile, restaurant)?;
        let currency = crate::desk::inputs::currency(&form.currency)?;
        let amount = crate::desk::inputs::positive_amount(&form.amount, &currency)?;
        let (quote, volume) = self.fee_on(restaurant, amount, &currency)?;
        let rule_words = match &quote.rule {
            AppliedRule::Override { reason } => format!("Override for this restaurant: {reason}"),
            AppliedRule::Tier { index, volume_min, volume_max } => format!(
                "Tier {}: monthly volume {} – {}",
                index + 1,
                money::display(*volume_min, &currency),
                volume_max.map_or_else(|| "and above".to_string(), |m| money::display(m, &currency))
            ),
            AppliedRule::Default => "Default rate".to_string(),
        };
        Ok(FeePreview {
            amount: Money::new(amount, &currency),
            fee: Money::new(quote.fee, &currency),
            net: Money::new(quote.net, &currency),
            rule_words,
            rate_words: rules::rate_words(&quote.rate, &currency),
            monthly_volume: Money::new(volume, &currency),
        })
    }

    /// The fee rules' quote for a payment of `amount` at `restaurant`, and the month's volume
    /// that picked the tier; refused (on `amount`) when the fee would take the whole payment.
    pub(crate) fn fee_on(
        &self,
        restaurant: &str,
        amount: i64,
        currency: &str,
    ) -> Result<(rules::FeeQuote, i64), DeskError> {
        let schedule = self.fee_view()?.schedule;
        let volume = self.monthly_volume(restaurant, currency)?;
        let quote = rules::quote(&schedule, restaurant, amount, volume).map_err(|e| DeskError::InvalidInput {
            field: "amount",
            reason: crate::views::capitalise(&e.to_string()),
        })?;
        Ok((quote, volume))
    }

    /// The schedule as Stripe's metadata has it (any restaurant carrying it gives the default and
    /// tiers; each its own override), else as saved here, else built in.
    fn fee_view(&self) -> Result<FeeScheduleView, DeskError> {
        let restaurants = self.fee_restaurants()?;
        let mut shared: Option<(FeeRate, Vec<rules::FeeTier>)> = None;
        let mut overrides = Vec::new();
        for (account, _) in &restaurants {
            let Some(raw) = crate::store::cache::account_raw(self.store().conn(), account)? else { continue };
            if let Some((default, tiers, terms)) = rules::from_metadata(&raw["metadata"]) {
                shared.get_or_insert((default, tiers));
                if let Some(terms) = terms {
                    overrides.push(FeeOverride { restaurant: account.clone(), rate: terms.rate, reason: terms.reason });
                }
            }
        }
        let (schedule, source) = match (shared, self.store().get(&FEE_SCHEDULE)?) {
            (Some((default, tiers)), _) => (FeeSchedule { default, tiers, overrides }, "Stripe"),
            (None, Some(saved)) => (saved, "this PC"),
            (None, None) => (built_in(), "built in"),
        };
        Ok(FeeScheduleView { schedule, source: source.into(), restaurants })
    }

    /// The connected restaurants a schedule is written onto: every cached Stripe account that has
    /// not disconnected, by name.
    fn fee_restaurants(&self) -> Result<Vec<(String, String)>, DeskError> {
        let store = self.store();
        let conn = store.conn();
        let mut out = Vec::new();
        for raw in crate::store::cache::newest_accounts(conn)? {
            let id = raw["id"].as_str().unwrap_or_default().to_string();
            if !id.is_empty() && crate::store::disconnected::since(conn, &id)?.is_none() {
                out.push((id, crate::accounts::account_name(&raw)));
            }
        }
        out.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()));
        Ok(out)
    }

    /// The restaurant's succeeded card payments this calendar month (UTC), in `currency`.
    fn monthly_volume(&self, restaurant: &str, currency: &str) -> Result<i64, DeskError> {
        let now = self.clock.now();
        let month_start = now
            .date_naive()
            .with_day(1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0);
        let volume: i64 = self
            .store()
            .conn()
            .query_row(
                "SELECT COALESCE(SUM(amount), 0) FROM transactions
                 WHERE restaurant = ?1 AND currency = ?2 AND status = 'complete'
                   AND kind IN ('purchase', 'capture') AND created >= ?3",
                rusqlite::params![restaurant, currency, month_start],
                |r| r.get(0),
            )
            .map_err(StoreError::from)?;
        Ok(volume)
    }
}

/// A schedule in one line, for the audit log's history of changes.
fn summary(schedule: &FeeSchedule) -> String {
    let rate = |r: &FeeRate| format!("{}bp+{}", r.percent_bp, r.fixed);
    let tiers: Vec<String> = schedule
        .tiers
        .iter()
        .map(|t| {
            format!("{}-{}:{}", t.volume_min, t.volume_max.map_or(String::new(), |m| m.to_string()), rate(&t.rate))
        })
        .collect();
    let overrides: Vec<String> =
        schedule.overrides.iter().map(|o| format!("{}:{} ({})", o.restaurant, rate(&o.rate), o.reason)).collect();
    format!("default {}; tiers [{}]; overrides [{}]", rate(&schedule.default), tiers.join(", "), overrides.join(", "))
}
