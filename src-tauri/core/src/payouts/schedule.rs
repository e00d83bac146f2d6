//! Payout schedules: checked before anything is sent, described in words, and projected to the
//! next payout day.

use chrono::{DateTime, Datelike, Days, NaiveDate};
use serde_json::Value;

use crate::views::{capitalise, PayoutInterval, PayoutSchedule};

pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Stripe's upper bound for `delay_days`.
pub const MAX_DELAY_DAYS: u32 = 31;

/// The shortest `delay_days` Stripe allows, where we know it (the US standard is two days).
/// Elsewhere it depends on the account and Stripe's answer is shown instead.
pub fn minimum_delay_days(country: &str) -> Option<u32> {
    (country == "US").then_some(2)
}

/// Why a schedule cannot be sent: the field and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ScheduleError {
    pub field: &'static str,
    pub reason: String,
}

fn refuse(field: &'static str, reason: impl Into<String>) -> ScheduleError {
    ScheduleError { field, reason: reason.into() }
}

/// Checks a schedule the way Stripe does, for an account in `country`.
pub fn validate(schedule: &PayoutSchedule, country: &str) -> Result<(), ScheduleError> {
    if let Some(minimum) = minimum_delay_days(country) {
        if schedule.delay_days < minimum {
            return Err(refuse(
                "delay_days",
                format!(
                    "The delay must be at least {minimum} days for an account in {country} (you asked for {}).",
                    schedule.delay_days
                ),
            ));
        }
    }
    if schedule.delay_days == 0 || schedule.delay_days > MAX_DELAY_DAYS {
        return Err(refuse("delay_days", format!("The delay must be between 1 and {MAX_DELAY_DAYS} days.")));
    }
    match schedule.interval {
        PayoutInterval::Weekly => match schedule.weekly_anchor.as_deref() {
            None => return Err(refuse("weekly_anchor", "Choose the day of the week payouts are sent.")),
            Some(day) if !WEEKDAYS.contains(&day) => {
                return Err(refuse("weekly_anchor", format!("{day:?} is not a day of the week.")))
            }
            Some(_) => {}
        },
        PayoutInterval::Monthly => match schedule.monthly_anchor {
            None => return Err(refuse("monthly_anchor", "Choose the day of the month payouts are sent.")),
            Some(day) if !(1..=31).contains(&day) => {
                return Err(refuse(
                    "monthly_anchor",
                    format!("The day of the month must be between 1 and 31 (you asked for {day})."),
                ))
            }
            Some(_) => {}
        },
        PayoutInterval::Daily | PayoutInterval::Manual => {}
    }
    if schedule.interval != PayoutInterval::Weekly && schedule.weekly_anchor.is_some() {
        return Err(refuse("weekly_anchor", "A day of the week applies only to weekly payouts."));
    }
    if schedule.interval != PayoutInterval::Monthly && schedule.monthly_anchor.is_some() {
        return Err(refuse("monthly_anchor", "A day of the month applies only to monthly payouts."));
    }
    Ok(())
}

/// The form fields of `POST /v1/accounts/{id}` that set `schedule`.
pub fn form(schedule: &PayoutSchedule) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("settings[payouts][schedule][interval]", interval_name(schedule.interval).to_string()),
        ("settings[payouts][schedule][delay_days]", schedule.delay_days.to_string()),
    ];
    if let Some(day) = &schedule.weekly_anchor {
        form.push(("settings[payouts][schedule][weekly_anchor]", day.clone()));
    }
    if let Some(day) = schedule.monthly_anchor {
        form.push(("settings[payouts][schedule][monthly_anchor]", day.to_string()));
    }
    form
}

pub fn interval_name(interval: PayoutInterval) -> &'static str {
    match interval {
        PayoutInterval::Daily => "daily",
        PayoutInterval::Weekly => "weekly",
        PayoutInterval::Monthly => "monthly",
        PayoutInterval::Manual => "manual",
    }
}

/// Reads `settings.payouts.schedule` of an account's JSON (Stripe's default when absent).
pub fn from_account(account: &Value) -> PayoutSchedule {
    let s = &account["settings"]["payouts"]["schedule"];
    let interval = match s["interval"].as_str() {
        Some("weekly") => PayoutInterval::Weekly,
        Some("monthly") => PayoutInterval::Monthly,
        Some("manual") => PayoutInterval::Manual,
        _ => PayoutInterval::Daily,
    };
    PayoutSchedule {
        interval,
        delay_days: s["delay_days"].as_u64().and_then(|d| u32::try_from(d).ok()).unwrap_or(2),
        weekly_anchor: (interval == PayoutInterval::Weekly)
            .then(|| s["weekly_anchor"].as_str().map(str::to_string))
            .flatten(),
        monthly_anchor: (interval == PayoutInterval::Monthly)
            .then(|| s["monthly_anchor"].as_u64().and_then(|d| u32::try_from(d).ok()))
            .flatten(),
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Weekly on Friday, 2-day delay".
pub fn words(schedule: &PayoutSchedule) -> String {
    let delay = format!("{}-day delay", schedule.delay_days);
    match schedule.interval {
        PayoutInterval::Daily => format!("Daily, {delay}"),
        PayoutInterval::Weekly => {
            format!("Weekly on {}, {delay}", capitalise(schedule.weekly_anchor.as_deref().unwrap_or("monday")))
        }
        PayoutInterval::Monthly => {
            let day = schedule.monthly_anchor.unwrap_or(1);
            let tail = if day >= 29 { " (or the month's last day)" } else { "" };
            format!("Monthly on the {}{tail}, {delay}", ordinal(day))
        }
        PayoutInterval::Manual => "Manual: payouts are sent only when someone asks for one".to_string(),
    }
}

/// The first day after `now` (UTC) on which the schedule sends a payout; `None` for manual.
pub fn next_payout_day(schedule: &PayoutSchedule, now: i64) -> Option<NaiveDate> {
    let today = DateTime::from_timestamp(now, 0)?.date_naive();
    let mut day = today.checked_add_days(Days::new(1))?;
    for _ in 0..62 {
        let due = match schedule.interval {
            PayoutInterval::Daily => true,
            PayoutInterval::Weekly => {
                let anchor = schedule.weekly_anchor.as_deref().unwrap_or("monday");
                WEEKDAYS.get(day.weekday().num_days_from_monday() as usize) == Some(&anchor)
            }
            PayoutInterval::Monthly => {
                let anchor = schedule.monthly_anchor.unwrap_or(1);
                let last = last_day_of_month(day);
                day.day() == anchor.min(last)
            }
            PayoutInterval::Manual => return None,
        };
        if due {
            return Some(day);
        }
        day = day.checked_add_days(Days::new(1))?;
    }
    None
}

fn last_day_of_month(day: NaiveDate) -> u32 {
    let (y, m) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map(|d| d.day()).unwrap_or(28)
}

/// Unix seconds of the start of `day` (UTC).
pub fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(interval: PayoutInterval, delay: u32, weekly: Option<&str>, monthly: Option<u32>) -> PayoutSchedule {
        PayoutSchedule {
            interval,
            delay_days: delay,
            weekly_anchor: weekly.map(str::to_string),
            monthly_anchor: monthly,
        }
    }

    #[test]
    fn refuses_what_stripe_refuses_with_the_field_named() {
        let us = |s: &PayoutSchedule| validate(s, "US").map_err(|e| e.field);
        assert_eq!(us(&schedule(PayoutInterval::Daily, 1, None, None)), Err("delay_days"));
        assert_eq!(us(&schedule(PayoutInterval::Daily, 32, None, None)), Err("delay_days"));
        assert_eq!(us(&schedule(PayoutInterval::Weekly, 2, None, None)), Err("weekly_anchor"));
        assert_eq!(us(&schedule(PayoutInterval::Weekly, 2, Some("funday"), None)), Err("weekly_anchor"));
        assert_eq!(us(&schedule(PayoutInterval::Monthly, 2, None, Some(32))), Err("monthly_anchor"));
        assert_eq!(us(&schedule(PayoutInterval::Monthly, 2, None, Some(0))), Err("monthly_anchor"));
        assert_eq!(us(&schedule(PayoutInterval::Daily, 2, None, Some(3))), Err("monthly_anchor"));
        assert_eq!(us(&schedule(PayoutInterval::Weekly, 3, Some("friday"), None)), Ok(()));
        assert_eq!(us(&schedule(PayoutInterval::Monthly, 31, None, Some(31))), Ok(()));
        // Outside the US the minimum is Stripe's to say.
        assert_eq!(validate(&schedule(PayoutInterval::Daily, 1, None, None), "JP"), Ok(()));
        let err = validate(&schedule(PayoutInterval::Daily, 1, None, None), "US").unwrap_err();
        assert_eq!(err.reason, "The delay must be at least 2 days for an account in US (you asked for 1).");
    }

    #[test]
    fn says_the_schedule_in_words() {
        assert_eq!(words(&schedule(PayoutInterval::Weekly, 2, Some("friday"), None)), "Weekly on Friday, 2-day delay");
        assert_eq!(words(&schedule(PayoutInterval::Daily, 7, None, None)), "Daily, 7-day delay");
        assert_eq!(words(&schedule(PayoutInterval::Monthly, 2, None, Some(1))), "Monthly on the 1st, 2-day delay");
        assert_eq!(
            words(&schedule(PayoutInterval::Monthly, 2, None, Some(31))),
            "Monthly on the 31st (or the month's last day), 2-day delay"
        );
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
    }

    #[test]
    fn finds_the_next_payout_day() {
        // 2026-11-26 is a Thursday.
        let now = day_start(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()) + 3600;
        let next = |s: &PayoutSchedule| next_payout_day(s, now).map(|d| d.to_string());
        assert_eq!(next(&schedule(PayoutInterval::Daily, 2, None, None)).as_deref(), Some("2026-11-27"));
        assert_eq!(next(&schedule(PayoutInterval::Weekly, 2, Some("thursday"), None)).as_deref(), Some("2026-12-03"));
        assert_eq!(next(&schedule(PayoutInterval::Weekly, 2, Some("friday"), None)).as_deref(), Some("2026-11-27"));
        assert_eq!(next(&schedule(PayoutInterval::Monthly, 2, None, Some(1))).as_deref(), Some("2026-12-01"));
        // A 31st anchor falls on the last day of shorter months.
        assert_eq!(next(&schedule(PayoutInterval::Monthly, 2, None, Some(31))).as_deref(), Some("2026-11-30"));
        assert_eq!(next(&schedule(PayoutInterval::Manual, 2, None, None)), None);
    }
}
