//! Account alerts for platform admins: a desktop notification when a connected restaurant becomes
//! restricted (once per restriction episode on this PC), or when Stripe's deadline for what it
//! asked (`requirements.current_deadline`) is within a week (once per account and deadline).
//! Checked after each sync and on the shell's timer, as deadlines come closer without any sync.
//!
//! The first check that finds restaurants on a PC only records those already restricted: a fresh
//! install does not raise a notification per restaurant it already knew to be restricted.

use serde_json::Value;

use super::requirements::{self, RequirementUrgency, RequirementsView};
use super::status::{account_name, status, AccountStatus};
use crate::desk::{Desk, DeskError};
use crate::gateways::stripe::models::Account;
use crate::permissions::Action;
use crate::store::{account_alerts, cache, disconnected, StoreError};

/// How close a Stripe deadline must be for a notification.
pub const DEADLINE_WITHIN_DAYS: i64 = 7;

/// What every notification body ends with when it names the restaurant.
const NEXT_STEP: &str = "Open Accounts to send the owner an update link.";

/// The body of a notification whose reader may not see the restaurant (locked, another role,
/// another scope).
const GENERIC_BODY: &str = "A restaurant needs attention: open Merchant Desk and sign in to see which.";

/// One notification to show, before the viewer is known.
struct Due {
    account: String,
    title: String,
    /// The body for a viewer who may see the restaurant.
    body: String,
}

impl Desk {
    /// Shows the account notifications now due; returns how many.
    pub fn notice_account_alerts(&self) -> Result<usize, DeskError> {
        let now = self.clock.now();
        let stamp = now.to_rfc3339();
        let due = {
            let store = self.store();
            // One transaction: what is recorded as noticed is exactly what is shown below.
            let tx = rusqlite::Transaction::new_unchecked(store.conn(), rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let conn: &rusqlite::Connection = &tx;
            let accounts = cache::newest_accounts(conn)?;
            // The first check to find restaurants only records those already restricted.
            let first = !accounts.is_empty() && account_alerts::started(conn)?.is_none();
            let mut due = Vec::new();
            for raw in &accounts {
                let Some(id) = raw["id"].as_str().filter(|id| !id.is_empty()) else { continue };
                if disconnected::since(conn, id)?.is_some() {
                    continue;
                }
                let restricted = serde_json::from_value::<Account>(raw.clone())
                    .is_ok_and(|account| status(&account) == AccountStatus::Restricted);
                let view = requirements::explain(raw);
                if restricted {
                    let fresh = account_alerts::notice_once(conn, id, account_alerts::RESTRICTED, "", &stamp)?;
                    if fresh && !first {
                        due.push(restricted_alert(id, raw, &view));
                    }
                } else {
                    // The episode ended: a later restriction is news again.
                    account_alerts::forget(conn, id, account_alerts::RESTRICTED)?;
                }
                let deadline = view.current_deadline.filter(|d| {
                    let left = d - now.timestamp();
                    left > 0 && left <= DEADLINE_WITHIN_DAYS * 86_400
                });
                if let Some(deadline) = deadline {
                    if account_alerts::notice_once(conn, id, account_alerts::DEADLINE, &deadline.to_string(), &stamp)? {
                        due.push(deadline_alert(id, raw, &view, deadline - now.timestamp()));
                    }
                }
            }
            if first {
                account_alerts::mark_started(conn, &stamp)?;
            }
            tx.commit().map_err(StoreError::from)?;
            due
        };
        if due.is_empty() {
            return Ok(0);
        }
        // Whoever is signed in and not idle past the lock, if their role sees restaurants; checking
        // is not activity. Locked, idle or another role: no names.
        let viewer = self.authorize_quiet(Action::ViewAccounts).ok();
        for alert in &due {
            let visible = viewer.as_ref().is_some_and(|p| self.may_see_subject(p, Some(&alert.account)));
            let body = if visible { alert.body.as_str() } else { GENERIC_BODY };
            if let Err(err) = self.notifier.notify(&alert.title, body) {
                tracing::warn!(error = %err, "desktop notification not shown; the accounts list still shows it");
            }
        }
        Ok(due.len())
    }
}

fn restricted_alert(id: &str, raw: &Value, view: &RequirementsView) -> Due {
    let name = account_name(raw);
    // Past due first: what paused the restaurant.
    let why = view
        .items
        .first()
        .map(|item| item.sentence.clone())
        .or_else(|| view.disabled_in_words.clone())
        .unwrap_or_else(|| "Stripe paused its payments or payouts".to_string());
    Due {
        account: id.to_string(),
        title: "Restaurant restricted".to_string(),
        body: format!("{name} is restricted: {why}. {NEXT_STEP}"),
    }
}

fn deadline_alert(id: &str, raw: &Value, view: &RequirementsView, left: i64) -> Due {
    let name = account_name(raw);
    // What the deadline is for: the items due now carry it in their sentence.
    let what = view
        .items
        .iter()
        .find(|item| item.urgency == RequirementUrgency::DueNow)
        .or_else(|| view.items.first())
        .map(|item| item.sentence.clone())
        .unwrap_or_else(|| format!("Stripe needs information: {}", view.summary));
    Due {
        account: id.to_string(),
        title: format!("Stripe deadline in {}", time_left(left)),
        body: format!("{name}: {what}. {NEXT_STEP}"),
    }
}

/// "5 days", "20 hours", "1 hour": days (to the nearest) from two days on, hours before that.
fn time_left(seconds: i64) -> String {
    let (n, unit) = if seconds >= 48 * 3_600 {
        ((seconds + 43_200) / 86_400, "day")
    } else {
        (((seconds + 3_599) / 3_600).max(1), "hour")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use chrono::Duration;
    use serde_json::json;

    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::desk::{DeskConfig, Notifier};
    use crate::permissions::Role;
    use crate::profiles::PinCost;
    use crate::secrets::MemorySecrets;

    #[derive(Default)]
    struct Recording(Mutex<Vec<(String, String)>>);

    impl Notifier for Recording {
        fn notify(&self, title: &str, body: &str) -> Result<(), String> {
            self.0.lock().unwrap().push((title.into(), body.into()));
            Ok(())
        }
    }

    impl Recording {
        fn take(&self) -> Vec<(String, String)> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }

    struct Failing;

    impl Notifier for Failing {
        fn notify(&self, _: &str, _: &str) -> Result<(), String> {
            Err("no notification daemon".into())
        }
    }

    fn desk(dir: &std::path::Path, notifier: Arc<dyn Notifier>, clock: Arc<ManualClock>) -> Desk {
        let mut config = DeskConfig::new(
            dir.to_path_buf(),
            Arc::new(MemorySecrets::default()),
            "http://127.0.0.1:9".into(),
            "sk_test_51UnusedKeyForAccountAlertTests000000000000000".into(),
        );
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        config.notifier = notifier;
        config.clock = clock;
        let desk = Desk::open(config).unwrap();
        desk.setup_first_profile("Ada", Role::PlatformAdmin, "1593").unwrap();
        desk
    }

    /// A connected account as Stripe returns it: active, or restricted with a past-due document,
    /// with `deadline` for its tax ID.
    fn account(id: &str, name: &str, restricted: bool, deadline: Option<i64>) -> Value {
        json!({
            "id": id,
            "object": "account",
            "type": "express",
            "charges_enabled": true,
            "payouts_enabled": !restricted,
            "details_submitted": true,
            "business_profile": { "name": name },
            "requirements": {
                "current_deadline": deadline,
                "currently_due": if deadline.is_some() { json!(["company.tax_id"]) } else { json!([]) },
                "past_due": if restricted { json!(["representative.verification.document"]) } else { json!([]) },
                "disabled_reason": if restricted { json!("requirements.past_due") } else { Value::Null },
                "eventually_due": [], "pending_verification": [], "errors": [], "alternatives": []
            }
        })
    }

    fn cache(desk: &Desk, accounts: &[Value], at: &str) {
        crate::store::objects::upsert(desk.store().conn(), "", accounts, at).unwrap();
    }

    #[test]
    fn restrictions_notify_once_per_episode_but_not_on_the_first_check() {
        let dir = tempfile::tempdir().unwrap();
        let notes = Arc::new(Recording::default());
        let clock = Arc::new(ManualClock::default());
        let desk = desk(dir.path(), notes.clone(), clock.clone());
        // Before anything is cached, the check is not yet the first one.
        assert_eq!(desk.notice_account_alerts().unwrap(), 0);
        cache(
            &desk,
            &[
                account("acct_a", "Saltwater Oyster Bar", true, None),
                account("acct_b", "Vine Street Pizzeria", false, None),
            ],
            "2030-01-01T00:00:00+00:00",
        );
        assert_eq!(desk.notice_account_alerts().unwrap(), 0, "already restricted: recorded, not shown");
        assert!(account_alerts::restricted_since(desk.store().conn(), "acct_a").unwrap().is_some());

        cache(&desk, &[account("acct_b", "Vine Street Pizzeria", true, None)], "2030-01-01T00:01:00+00:00");
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        assert_eq!(desk.notice_account_alerts().unwrap(), 0, "once per episode");
        let shown = notes.take();
        assert_eq!(shown[0].0, "Restaurant restricted");
        assert!(shown[0].1.starts_with("Vine Street Pizzeria is restricted: Stripe needs"), "{shown:?}");
        assert!(shown[0].1.ends_with("Open Accounts to send the owner an update link."), "{shown:?}");

        // Lifted, then restricted again: a new episode.
        cache(&desk, &[account("acct_a", "Saltwater Oyster Bar", false, None)], "2030-01-01T00:02:00+00:00");
        assert_eq!(desk.notice_account_alerts().unwrap(), 0);
        assert_eq!(account_alerts::restricted_since(desk.store().conn(), "acct_a").unwrap(), None);
        cache(&desk, &[account("acct_a", "Saltwater Oyster Bar", true, None)], "2030-01-01T00:03:00+00:00");
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        assert!(notes.take()[0].1.starts_with("Saltwater Oyster Bar is restricted"));

        // A disconnected restaurant is left alone.
        crate::store::disconnected::mark(desk.store().conn(), "acct_a", &clock.now().to_rfc3339()).unwrap();
        cache(&desk, &[account("acct_a", "Saltwater Oyster Bar", false, None)], "2030-01-01T00:04:00+00:00");
        cache(&desk, &[account("acct_a", "Saltwater Oyster Bar", true, None)], "2030-01-01T00:05:00+00:00");
        assert_eq!(desk.notice_account_alerts().unwrap(), 0);
    }

    #[test]
    fn deadlines_notify_once_per_deadline_within_a_week() {
        let dir = tempfile::tempdir().unwrap();
        let notes = Arc::new(Recording::default());
        let clock = Arc::new(ManualClock::default());
        let desk = desk(dir.path(), notes.clone(), clock.clone());
        let now = clock.now().timestamp();
        cache(
            &desk,
            &[
                account("acct_soon", "Trattoria Nonna Lucia", false, Some(now + 5 * 86_400)),
                account("acct_later", "Thames Fish Bar", false, Some(now + 10 * 86_400)),
                account("acct_past", "Maple & Rye Diner", false, Some(now - 86_400)),
            ],
            "2030-01-01T00:00:00+00:00",
        );
        // Deadlines are not held back on the first check.
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        let shown = notes.take();
        assert_eq!(shown[0].0, "Stripe deadline in 5 days");
        assert!(shown[0].1.starts_with("Trattoria Nonna Lucia: Stripe needs the business's tax ID by "), "{shown:?}");
        assert_eq!(desk.notice_account_alerts().unwrap(), 0, "once per deadline");

        // Time passes without a sync: the later deadline comes within a week. Nobody touched the
        // desk meanwhile, so it is locked: no names.
        clock.advance(Duration::days(4));
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        assert_eq!(notes.take()[0], ("Stripe deadline in 6 days".to_string(), GENERIC_BODY.to_string()));

        // Stripe moves a deadline: the new one is news.
        cache(
            &desk,
            &[account("acct_soon", "Trattoria Nonna Lucia", false, Some(now + 6 * 86_400))],
            "2030-01-01T00:01:00+00:00",
        );
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        assert_eq!(notes.take()[0].0, "Stripe deadline in 2 days");
    }

    #[test]
    fn the_body_names_the_restaurant_only_to_who_may_see_it_and_failures_are_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let notes = Arc::new(Recording::default());
        let clock = Arc::new(ManualClock::default());
        let desk = desk(dir.path(), notes.clone(), clock.clone());
        let now = clock.now().timestamp();
        desk.lock().unwrap();
        cache(
            &desk,
            &[account("acct_1", "Copper Kettle Cafe", false, Some(now + 3 * 86_400))],
            "2030-01-01T00:00:00+00:00",
        );
        assert_eq!(desk.notice_account_alerts().unwrap(), 1);
        assert_eq!(notes.take()[0].1, GENERIC_BODY);

        let dir = tempfile::tempdir().unwrap();
        let desk = super::tests::desk(dir.path(), Arc::new(Failing), clock.clone());
        cache(
            &desk,
            &[account("acct_1", "Copper Kettle Cafe", false, Some(now + 3 * 86_400))],
            "2030-01-01T00:00:00+00:00",
        );
        assert_eq!(desk.notice_account_alerts().unwrap(), 1, "logged, not an error");
        assert_eq!(desk.notice_account_alerts().unwrap(), 0);
    }

    #[test]
    fn time_left_in_words() {
        assert_eq!(time_left(6 * 86_400 - 5), "6 days");
        assert_eq!(time_left(2 * 86_400), "2 days");
        assert_eq!(time_left(47 * 3_600 + 10), "48 hours");
        assert_eq!(time_left(30), "1 hour");
    }
}
