//! A connected account's payout schedule: shown in words with the next payout's estimate, and
//! changed by owners and admins through `settings[payouts][schedule]` — checked before sending,
//! journalled with an idempotency key, audited.

use super::schedule;
use super::views::{PayoutEstimate, PayoutSchedule, ScheduleView};
use crate::balances::queries;
use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::{allows, Action};
use crate::store::audit::AuditRecord;
use crate::store::cache;
use crate::store::filters::Accounts;

const AUDIT_ACTION: &str = "payouts.schedule_update";

impl Desk {
    pub fn payout_schedule(&self, account: &str) -> Result<ScheduleView, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        self.schedule_view(&profile, account)
    }

    fn schedule_view(&self, profile: &crate::profiles::Profile, account: &str) -> Result<ScheduleView, DeskError> {
        if account.is_empty() {
            return Err(DeskError::InvalidInput {
                field: "account",
                reason: "the platform's own payout schedule is set in the Stripe Dashboard; choose a restaurant".into(),
            });
        }
        self.check_account(profile, account)?;
        let raw = cache::account_raw(self.store().conn(), account)?
            .ok_or_else(|| DeskError::NotFound { what: "connected account", id: account.to_string() })?;
        let current = schedule::from_account(&raw);
        let country = raw["country"].as_str().unwrap_or("US").to_string();
        let name = crate::accounts::account_name(&raw);
        let cannot_edit = self.refusal_if_disconnected(account)?.map(|e| e.user_message());
        Ok(ScheduleView {
            account: account.to_string(),
            account_name: name,
            words: schedule::words(&current),
            minimum_delay_days: schedule::minimum_delay_days(&country),
            estimates: self.estimates(account, &current)?,
            schedule: current,
            country,
            can_edit: allows(profile.role, Action::ManagePayoutSchedule) && cannot_edit.is_none(),
            cannot_edit,
        })
    }

    /// The next payout per currency: what is available now plus what becomes available by the
    /// next payout day. An estimate: sales, refunds and disputes before then change it.
    fn estimates(&self, account: &str, current: &PayoutSchedule) -> Result<Vec<PayoutEstimate>, DeskError> {
        let store = self.store();
        let now = self.clock.now().timestamp();
        let balances = queries::balances(store.conn(), &Accounts::Only(vec![account.to_string()]))?;
        let Some(balance) = balances.into_iter().next() else { return Ok(Vec::new()) };
        let read_at = balance
            .synced_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp())
            .unwrap_or(now);
        let day = schedule::next_payout_day(current, now);
        let becoming = match day {
            Some(day) => queries::funds_becoming_available(store.conn(), account, read_at, schedule::day_start(day))?,
            None => Vec::new(),
        };
        Ok(balance
            .lines
            .iter()
            .map(|line| {
                let extra = becoming.iter().find(|(c, _)| *c == line.currency).map(|(_, n)| *n).unwrap_or(0);
                let amount = Money::new(line.available.amount + extra, &line.currency);
                let basis = match day {
                    _ if amount.amount < 0 => {
                        "The balance is negative: no payout is sent until it is covered, and Stripe may debit the bank account.".to_string()
                    }
                    Some(_) if extra != 0 => {
                        "What is available now, plus payments that become available by then.".to_string()
                    }
                    Some(_) => "What is available now; no further payments become available by then.".to_string(),
                    None => "Manual payouts: this is what could be paid out now.".to_string(),
                };
                PayoutEstimate { date: day.map(schedule::day_start), amount, basis }
            })
            .collect())
    }

    /// Checks a proposed schedule without sending it and says it in words, for the confirmation.
    pub fn check_payout_schedule(&self, account: &str, next: &PayoutSchedule) -> Result<String, DeskError> {
        let profile = self.authorize(Action::ManagePayoutSchedule)?;
        let current = self.schedule_view(&profile, account)?;
        schedule::validate(next, &current.country)
            .map_err(|err| DeskError::InvalidInput { field: err.field, reason: err.reason })?;
        Ok(schedule::words(next))
    }

    /// Changes the schedule; refused before sending when Stripe would refuse it. Goes through the
    /// door: journalled under `confirmation` (the key made when the person confirmed) and audited
    /// as requested, then with its outcome. A change whose outcome is unknown is settled by
    /// reading the account, never sent again over a later change.
    pub async fn update_payout_schedule(
        &self,
        account: &str,
        next: &PayoutSchedule,
        confirmation: Option<&str>,
    ) -> Result<ScheduleView, DeskError> {
        let profile = self.authorize_audited(Action::ManagePayoutSchedule, AUDIT_ACTION)?;
        let before = match self.schedule_view(&profile, account) {
            Ok(view) => view,
            Err(err) => return Err(self.refused(&profile, account, err)),
        };
        if let Err(err) = schedule::validate(next, &before.country) {
            let err = DeskError::InvalidInput { field: err.field, reason: err.reason };
            return Err(self.refused(&profile, account, err));
        }
        if before.schedule == *next {
            return Ok(before);
        }
        let call = MoneyCall::new("payout_schedule", format!("/v1/accounts/{account}"), None, &schedule::form(next));
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(account.to_string()),
            summary: format!(
                "Payout schedule of {}: {} → {}",
                before.account_name,
                before.words,
                schedule::words(next)
            ),
            ..Default::default()
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        cache::update_account_raw(self.store().conn(), account, &done.value, &self.clock.now().to_rfc3339())?;
        self.schedule_view(&profile, account)
    }

    /// Audits a refused change and hands the error back.
    fn refused(&self, profile: &crate::profiles::Profile, account: &str, err: DeskError) -> DeskError {
        let record = AuditRecord {
            action: AUDIT_ACTION.into(),
            target: Some(account.to_string()),
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        if let Err(audit) = self.audit(profile, record) {
            return audit;
        }
        err
    }
}
