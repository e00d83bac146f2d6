//! Account alerts for platform admins, against the demo restaurant group: the first check after a
//! sync announces Stripe deadlines within a week but only records the restaurants already
//! restricted; nothing is shown twice; a deadline coming within a week without a sync is shown on
//! the next check; a restaurant restricted later is announced once, and to a profile that may not
//! see restaurants without its name.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Counting;
use md_core::clock::{Clock, ManualClock};
use md_core::gateways::stripe::retry::Policy;
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::views::ProfileForm;
use md_core::{Desk, DeskConfig};
use serde_json::{json, Value};

struct World {
    _dir: tempfile::TempDir,
    stripe: stripe_emulator::Emulator,
    desk: Desk,
    notes: Arc<Counting>,
    clock: Arc<ManualClock>,
}

/// The demo Stripe group, changed by `prepare` before the first sync, synced by a desk set up by
/// Ada (platform admin, signed in) whose notifications are kept and whose clock moves by hand.
async fn world(prepare: impl FnOnce(&mut stripe_emulator::State)) -> World {
    let dir = tempfile::tempdir().unwrap();
    let stripe = stripe_emulator::Emulator::start(stripe_emulator::Config::demo()).await.unwrap();
    prepare(&mut stripe.lock());
    let notes = Arc::new(Counting::default());
    let clock = Arc::new(ManualClock::default());
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        stripe.base_url(),
        stripe_emulator::DEMO_API_KEY.to_string(),
    );
    config.retry = Policy { max_attempts: 6, base: Duration::from_millis(2), max_delay: Duration::from_millis(20) };
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    config.notifier = notes.clone();
    config.clock = clock.clone();
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile("Ada", Role::PlatformAdmin, "1593").unwrap();
    desk.refresh_overview().await.unwrap();
    let status = desk.sync_run(true).await.unwrap();
    assert_eq!(status.last_error, None);
    World { _dir: dir, stripe, desk, notes, clock }
}

impl World {
    /// The account notifications shown so far.
    fn shown(&self) -> Vec<(String, String)> {
        let notes = self.notes.0.lock().unwrap();
        notes.iter().filter(|(t, _)| t.starts_with("Restaurant") || t.starts_with("Stripe deadline")).cloned().collect()
    }

    fn account(&self, name: &str) -> Value {
        let state = self.stripe.lock();
        let found = state.objects_of_kind("account").find(|(_, a)| a["business_profile"]["name"] == name);
        found.map(|(_, a)| a.clone()).unwrap()
    }

    /// `raw` in the desk's cache, newer than any copy there, as a sync or an event would bring it.
    fn cache(&self, raw: Value, minutes_later: i64) {
        let at = (self.clock.now() + chrono::Duration::days(1) + chrono::Duration::minutes(minutes_later)).to_rfc3339();
        let store = md_core::store::Store::open(&self._dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        md_core::store::objects::upsert(store.conn(), "", &[raw], &at).unwrap();
    }
}

/// Stripe asks `name` for its tax ID by `deadline` (unix seconds).
fn ask(state: &mut stripe_emulator::State, name: &str, deadline: i64) {
    let id = state
        .objects_of_kind("account")
        .find(|(_, a)| a["business_profile"]["name"] == name)
        .map(|(_, a)| a["id"].as_str().unwrap().to_string())
        .unwrap();
    let account = state.get_mut(&None, &id).unwrap();
    let requirements = &mut account["requirements"];
    for list in ["currently_due", "eventually_due"] {
        let paths = requirements[list].as_array_mut().unwrap();
        if !paths.contains(&json!("company.tax_id")) {
            paths.push(json!("company.tax_id"));
        }
    }
    requirements["current_deadline"] = json!(deadline);
}

/// `account` restricted: payouts paused for a past-due ID document.
fn restricted(mut account: Value) -> Value {
    account["payouts_enabled"] = json!(false);
    account["requirements"]["past_due"] = json!(["representative.verification.document"]);
    account["requirements"]["currently_due"] = json!(["representative.verification.document"]);
    account["requirements"]["disabled_reason"] = json!("requirements.past_due");
    account
}

#[tokio::test]
async fn deadlines_and_new_restrictions_are_shown_once_and_the_seeded_restrictions_never() {
    let now = chrono::Utc::now().timestamp();
    let w = world(|state| {
        // Restricted already, with a new deadline: the deadline is news, the restriction is not.
        ask(state, "Trattoria Nonna Lucia", now + 6 * 86_400);
        ask(state, "Thames Fish Bar", now + 3 * 86_400);
        ask(state, "Maple & Rye Diner", now + 10 * 86_400);
    })
    .await;

    // The sync ran the first check.
    // Every restaurant with a deadline within the week, the seeded ones included; none for being
    // restricted already (Saltwater Oyster Bar, Trattoria Nonna Lucia).
    let within: Vec<String> = {
        let state = w.stripe.lock();
        let accounts = state.objects_of_kind("account").map(|(_, a)| a);
        accounts
            .filter(|a| {
                a["requirements"]["current_deadline"].as_i64().is_some_and(|d| d > now && d <= now + 7 * 86_400)
            })
            .map(|a| a["business_profile"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(within.iter().any(|n| n == "Thames Fish Bar") && !within.iter().any(|n| n == "Maple & Rye Diner"));
    let shown = w.shown();
    assert_eq!(shown.len(), within.len(), "{shown:?}");
    assert!(shown.iter().all(|(title, _)| title.starts_with("Stripe deadline in ")), "{shown:?}");
    assert!(within.iter().all(|n| shown.iter().any(|(_, b)| b.starts_with(&format!("{n}: ")))), "{shown:?}");
    let nonna = shown.iter().find(|(_, body)| body.starts_with("Trattoria Nonna Lucia: ")).unwrap();
    assert_eq!(nonna.0, "Stripe deadline in 6 days");
    assert!(nonna.1.contains("Stripe needs the business's tax ID by "), "{nonna:?}");
    assert!(nonna.1.ends_with("Open Accounts to send the owner an update link."), "{nonna:?}");
    assert!(shown.iter().any(|(t, b)| t == "Stripe deadline in 3 days" && b.starts_with("Thames Fish Bar: ")));

    // Nothing new: not on the timer, not after another sync.
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 0);
    w.desk.sync_run(false).await.unwrap();
    assert_eq!(w.shown().len(), within.len());

    // Days pass without a sync: the third deadline comes within a week. The desk locked itself
    // meanwhile, so the notification names no restaurant.
    w.clock.advance(chrono::Duration::days(4));
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 1);
    let last = w.shown().pop().unwrap();
    assert_eq!(last.0, "Stripe deadline in 6 days");
    assert_eq!(last.1, "A restaurant needs attention: open Merchant Desk and sign in to see which.");
    let ada = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Ada").unwrap().id;
    w.desk.unlock(ada, "1593").unwrap();

    // A restaurant restricted later: shown once.
    w.cache(restricted(w.account("Vine Street Pizzeria")), 1);
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 1);
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 0);
    let last = w.shown().pop().unwrap();
    assert_eq!(last.0, "Restaurant restricted");
    assert!(
        last.1.starts_with("Vine Street Pizzeria is restricted: Stripe needs the representative's ID document"),
        "{last:?}"
    );
    assert_eq!(w.shown().iter().filter(|(t, _)| t == "Restaurant restricted").count(), 1, "{:?}", w.shown());

    // Lifted, then restricted again: a new episode, shown again.
    w.cache(w.account("Vine Street Pizzeria"), 2);
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 0);
    w.cache(restricted(w.account("Vine Street Pizzeria")), 3);
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 1);

    // Staff signed in: the notification does not name the restaurant.
    let staff = ProfileForm { name: "Sam".into(), role: Role::Staff, pin: Some("1357".into()), scope: None };
    w.desk.create_profile(&staff).unwrap();
    let sam = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Sam").unwrap().id;
    w.desk.unlock(sam, "1357").unwrap();
    w.cache(restricted(w.account("Harbor & Vine Midtown Bistro")), 4);
    assert_eq!(w.desk.notice_account_alerts().unwrap(), 1);
    let last = w.shown().pop().unwrap();
    assert_eq!(last.0, "Restaurant restricted");
    assert_eq!(last.1, "A restaurant needs attention: open Merchant Desk and sign in to see which.");
}
