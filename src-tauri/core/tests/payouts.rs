//! Balances and payouts against the demo restaurant group, over real HTTP: every automatic payout
//! reconciles to its amount, lists filter/sort/page from the cache, exports are what an accountant
//! reads, schedule changes reach Stripe (and bad ones change nothing), failed payouts alert once.

use std::sync::{Arc, Mutex};

use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::permissions::Role;
use md_core::secrets::MemorySecrets;
use md_core::store::{audit, Store};
use md_core::views::{
    ChartBucket, ErrorCode, HistoryFilter, PayoutFilter, PayoutInterval, PayoutSchedule, PayoutSort, ProfileForm,
};
use md_core::{Desk, DeskConfig};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

const PIN: &str = "4821";

/// Records desktop notifications instead of showing them.
#[derive(Default)]
struct Notes(Mutex<Vec<(String, String)>>);

impl Notes {
    /// The payout notifications among all shown (a sync also reminds of dispute deadlines).
    fn payouts(&self) -> Vec<(String, String)> {
        self.0.lock().unwrap().iter().filter(|(title, _)| title.starts_with("Payout")).cloned().collect()
    }
}

impl md_core::desk::Notifier for Notes {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        self.0.lock().unwrap().push((title.to_string(), body.to_string()));
        Ok(())
    }
}

struct World {
    dir: tempfile::TempDir,
    demo: Emulator,
    desk: Desk,
    notes: Arc<Notes>,
}

/// The demo group, fully synced, with the owner signed in.
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let demo = Emulator::start(Config::demo()).await.unwrap();
    let notes = Arc::new(Notes::default());
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        demo.base_url(),
        DEMO_API_KEY.to_string(),
    );
    config.notifier = notes.clone();
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile("Maria", Role::Owner, PIN).unwrap();
    desk.refresh_overview().await.unwrap();
    let status = desk.sync_run(true).await.unwrap();
    assert_eq!(status.last_error, None);
    World { dir, demo, desk, notes }
}

impl World {
    fn stripe(&self) -> StripeClient {
        StripeClient::new(&self.demo.base_url(), ApiKey::parse(DEMO_API_KEY).unwrap()).unwrap()
    }

    async fn account(&self, id: &str) -> Value {
        self.stripe().get::<Value>(&format!("/v1/accounts/{id}"), &[], None).await.unwrap().value
    }

    /// A connected account in `country` with the schedule `interval`.
    async fn account_in(&self, country: &str, interval: &str) -> String {
        let accounts: Vec<(Value, Value)> = self.stripe().list_all("/v1/accounts", None).await.unwrap();
        accounts
            .iter()
            .map(|(a, _)| a)
            .find(|a| {
                a["country"] == country
                    && a["settings"]["payouts"]["schedule"]["interval"] == interval
                    && a["payouts_enabled"] == true
            })
            .and_then(|a| a["id"].as_str())
            .unwrap_or_else(|| panic!("no {interval} account in {country}"))
            .to_string()
    }

    fn audit_actions(&self) -> Vec<(String, String, Option<String>)> {
        let store = Store::open(&self.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        audit::all(store.conn()).unwrap().into_iter().map(|r| (r.action, r.outcome, r.idempotency_key)).collect()
    }
}

fn all() -> PayoutFilter {
    PayoutFilter { descending: true, ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_automatic_payout_reconciles_to_its_amount_with_order_numbers() {
    let w = world().await;
    let page = w.desk.payouts(&all(), 0, 500).unwrap();
    assert!(page.total > 100, "{}", page.total);
    let (mut automatic, mut orders) = (0, 0);
    for payout in page.rows.iter().filter(|p| p.status != "canceled") {
        let detail = w.desk.payout_detail(&payout.id).await.unwrap();
        if !payout.automatic {
            assert!(!detail.reconcilable && detail.reason.as_deref().unwrap().contains("made by hand"));
            continue;
        }
        automatic += 1;
        assert!(detail.reconcilable);
        assert_eq!(detail.difference, None, "{} does not add up", payout.id);
        assert_eq!(detail.total.as_ref().unwrap().amount, payout.amount.amount, "{}", payout.id);
        let summed: i64 = detail.summary.iter().map(|l| l.amount.amount).sum();
        assert_eq!(summed, payout.amount.amount, "summary lines of {} add up", payout.id);
        let charges = detail.groups.iter().find(|g| g.key == "charges");
        orders += charges
            .map(|g| g.items.iter().filter(|i| i.order_number.as_deref().is_some_and(|o| o.starts_with("HV-"))).count())
            .unwrap_or(0);
    }
    assert!(automatic > 50, "{automatic}");
    assert!(orders > 100, "charges link to their order numbers: {orders}");

    // A second look is served from the cache: same fetch time, no request needed.
    let first = page.rows.iter().find(|p| p.automatic).unwrap();
    let before = w.desk.payout_detail(&first.id).await.unwrap().fetched_at;
    w.demo.stop().await;
    let cached = w.desk.payout_detail(&first.id).await.unwrap();
    assert_eq!(cached.fetched_at, before);

    for (id, code) in [
        ("po_1DoesNotExist", ErrorCode::NotFound),
        ("ch_123", ErrorCode::InvalidInput),
        ("po_x'--", ErrorCode::InvalidInput),
    ] {
        assert_eq!(w.desk.payout_detail(id).await.unwrap_err().code(), code, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payouts_filter_sort_and_page_from_the_cache() {
    let w = world().await;
    let everything = w.desk.payouts(&all(), 0, 500).unwrap();
    // Every payout of every scope is listed.
    let mut expected = 0;
    let accounts: Vec<(Value, Value)> = w.stripe().list_all("/v1/accounts", None).await.unwrap();
    for scope in std::iter::once(None).chain(accounts.iter().map(|(a, _)| a["id"].as_str())) {
        let list: Vec<(Value, Value)> = w.stripe().list_all("/v1/payouts", scope).await.unwrap();
        expected += list.len() as u32;
    }
    assert_eq!(everything.total, expected);
    // Newest arrival first; pages are disjoint and in the same order.
    assert!(everything.rows.windows(2).all(|p| p[0].arrival_date >= p[1].arrival_date));
    let second = w.desk.payouts(&all(), 20, 20).unwrap();
    let ids: Vec<&str> = second.rows.iter().map(|p| p.id.as_str()).collect();
    let expected_ids: Vec<&str> = everything.rows[20..40].iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected_ids);

    let failed = w.desk.payouts(&PayoutFilter { status: Some("failed".into()), ..all() }, 0, 100).unwrap();
    assert!(failed.total >= 2, "the demo has failed payouts");
    for p in &failed.rows {
        assert_eq!((p.status.as_str(), p.status_label.as_str()), ("failed", "Failed"));
        let why = p.failure_message.as_deref().unwrap();
        assert!(why.len() > 20 && !why.contains('_'), "in words: {why}");
        assert!(p.bank.as_deref().is_some_and(|b| b.contains("••••")), "{:?}", p.bank);
    }

    let by_amount =
        w.desk.payouts(&PayoutFilter { sort: PayoutSort::Amount, descending: false, ..all() }, 0, 500).unwrap();
    let key = |p: &md_core::views::PayoutRow| (p.amount.currency.clone(), p.amount.amount);
    assert!(by_amount.rows.windows(2).all(|p| key(&p[0]) <= key(&p[1])), "by currency, then amount");
    let by_account =
        w.desk.payouts(&PayoutFilter { sort: PayoutSort::Account, descending: false, ..all() }, 0, 500).unwrap();
    assert!(by_account.rows.windows(2).all(|p| p[0].account_name <= p[1].account_name));

    let one = everything.rows.iter().find(|p| !p.account.is_empty()).unwrap();
    let mine = w.desk.payouts(&PayoutFilter { account: Some(one.account.clone()), ..all() }, 0, 500).unwrap();
    assert!(mine.total > 0 && mine.rows.iter().all(|p| p.account == one.account));

    let day = chrono::DateTime::from_timestamp(one.arrival_date, 0).unwrap().format("%Y-%m-%d").to_string();
    let that_day = PayoutFilter { from: Some(day.clone()), to: Some(day), ..all() };
    let on_day = w.desk.payouts(&that_day, 0, 500).unwrap();
    assert!(on_day.rows.iter().any(|p| p.id == one.id));
    assert!(on_day.rows.iter().all(|p| p.arrival_date / 86_400 == one.arrival_date / 86_400));

    // Search: by the start of an ID, by an amount as people type it, by part of a name.
    let by_id = w.desk.payouts(&PayoutFilter { search: Some(one.id[..10].to_string()), ..all() }, 0, 500).unwrap();
    assert!(by_id.rows.iter().any(|p| p.id == one.id) && by_id.rows.iter().all(|p| p.id.starts_with(&one.id[..10])));
    let typed = format!("{}", one.amount.amount as f64 / 10f64.powi(one.amount.exponent as i32));
    let by_amount = w.desk.payouts(&PayoutFilter { search: Some(typed.clone()), ..all() }, 0, 500).unwrap();
    assert!(by_amount.rows.iter().any(|p| p.id == one.id), "{typed}");
    let word = one.account_name.split_whitespace().next().unwrap().to_lowercase();
    let by_name = w.desk.payouts(&PayoutFilter { search: Some(word.clone()), ..all() }, 0, 500).unwrap();
    assert!(by_name.total > 0 && by_name.rows.iter().all(|p| p.account_name.to_lowercase().contains(&word)), "{word}");
    let nothing = w.desk.payouts(&PayoutFilter { search: Some("zz%_nothing".into()), ..all() }, 0, 500).unwrap();
    assert_eq!(nothing.total, 0);

    for (filter, code) in [
        (PayoutFilter { status: Some("lost".into()), ..all() }, ErrorCode::InvalidInput),
        (PayoutFilter { account: Some("acct_1Unknown".into()), ..all() }, ErrorCode::NotFound),
        (PayoutFilter { account: Some("cus_123".into()), ..all() }, ErrorCode::InvalidInput),
        (PayoutFilter { from: Some("2026-13-01".into()), ..all() }, ErrorCode::InvalidInput),
        (
            PayoutFilter { from: Some("2026-03-01".into()), to: Some("2026-02-01".into()), ..all() },
            ErrorCode::InvalidInput,
        ),
    ] {
        assert_eq!(w.desk.payouts(&filter, 0, 10).unwrap_err().code(), code, "{filter:?}");
    }

    // The chart adds up to the paid and in-transit payouts of each currency.
    for series in w.desk.payouts_chart(&all(), ChartBucket::Week).unwrap() {
        let charted: i64 = series.points.iter().map(|p| p.paid).sum();
        let listed: i64 = everything
            .rows
            .iter()
            .filter(|p| p.amount.currency == series.currency && matches!(p.status.as_str(), "paid" | "in_transit"))
            .map(|p| p.amount.amount)
            .sum();
        assert_eq!(charted, listed, "{}", series.currency);
        assert!(series.points.windows(2).all(|p| p[1].start - p[0].start == 7 * 86_400), "weeks are contiguous");
    }
    let months = w.desk.payouts_chart(&all(), ChartBucket::Month).unwrap();
    assert!(months.iter().all(|s| s.points.len() <= 4), "75 days span at most 4 months");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balances_and_their_history() {
    let w = world().await;
    let balances = w.desk.balances().unwrap();
    assert_eq!(balances[0].account, "", "the platform first");
    assert_eq!(balances.len(), 13);
    let sakura = balances.iter().find(|b| b.name == "Sakura Kitchen Shibuya").unwrap();
    assert_eq!((sakura.lines[0].currency.as_str(), sakura.lines[0].available.exponent), ("jpy", 0));

    let filter = HistoryFilter { account: sakura.account.clone(), ..Default::default() };
    let history = w.desk.balance_history(&filter, 0, 50).unwrap();
    let listed: Vec<(Value, Value)> =
        w.stripe().list_all("/v1/balance_transactions", Some(&sakura.account)).await.unwrap();
    assert_eq!(history.total as usize, listed.len());
    assert!(history.rows.windows(2).all(|r| r[0].created >= r[1].created));
    let values: Vec<&str> = history.kinds.iter().map(|k| k.value.as_str()).collect();
    assert!(values.contains(&"charge") && values.contains(&"payout"), "{values:?}");
    for row in &history.rows {
        assert_eq!(row.gross.amount - row.fee.amount, row.net.amount, "{}", row.id);
    }
    let refunds =
        w.desk.balance_history(&HistoryFilter { kind: Some("refund".into()), ..filter.clone() }, 0, 500).unwrap();
    assert!(refunds.total > 0 && refunds.rows.iter().all(|r| r.kind == "refund" && r.kind_label == "Refund"));
    let bad = HistoryFilter { kind: Some("charge' OR 1=1".into()), ..filter };
    assert_eq!(w.desk.balance_history(&bad, 0, 10).unwrap_err().code(), ErrorCode::InvalidInput);
}

fn weekly(delay: u32) -> PayoutSchedule {
    PayoutSchedule {
        interval: PayoutInterval::Weekly,
        delay_days: delay,
        weekly_anchor: Some("friday".into()),
        monthly_anchor: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedule_changes_reach_stripe_and_bad_ones_change_nothing() {
    let w = world().await;
    let us = w.account_in("US", "daily").await;
    let view = w.desk.payout_schedule(&us).unwrap();
    assert_eq!(view.words, "Daily, 2-day delay");
    assert_eq!(view.minimum_delay_days, Some(2));
    assert!(view.can_edit);
    // The estimate: available now plus what becomes available by the next (daily) payout day.
    let estimate = &view.estimates[0];
    let day = estimate.date.expect("a daily schedule has a next payout day");
    let now = chrono::Utc::now().timestamp();
    assert_eq!(day, now - now.rem_euclid(86_400) + 86_400, "tomorrow");
    let balance = w.stripe().get::<Value>("/v1/balance", &[], Some(&us)).await.unwrap().value;
    let available = balance["available"][0]["amount"].as_i64().unwrap();
    let txns: Vec<(Value, Value)> = w.stripe().list_all("/v1/balance_transactions", Some(&us)).await.unwrap();
    // Pending as Stripe says now, due by the payout day: the emulator moves funds to available
    // at most once a minute, so funds due since the sync may still be pending there (and the
    // balance not yet hold them), which a cut at this test's clock would miss.
    let becoming: i64 = txns
        .iter()
        .map(|(t, _)| t)
        .filter(|t| t["status"] == "pending" && t["available_on"].as_i64().is_some_and(|a| a <= day))
        .map(|t| t["net"].as_i64().unwrap())
        .sum();
    assert_eq!(estimate.amount.amount, available + becoming, "{estimate:?}");
    let before = w.account(&us).await["settings"]["payouts"]["schedule"].clone();

    // Refused here, before anything is sent.
    let monthly_32 = PayoutSchedule {
        interval: PayoutInterval::Monthly,
        delay_days: 2,
        weekly_anchor: None,
        monthly_anchor: Some(32),
    };
    for (bad, field) in [(weekly(1), "delay_days"), (monthly_32, "monthly_anchor")] {
        let err = w.desk.update_payout_schedule(&us, &bad, None).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(matches!(&err, md_core::DeskError::InvalidInput { field: f, .. } if *f == field), "{err}");
    }
    let err = w.desk.check_payout_schedule(&us, &weekly(1)).unwrap_err();
    assert!(err.to_string().contains("at least 2 days"), "{err}");
    assert_eq!(w.account(&us).await["settings"]["payouts"]["schedule"], before, "nothing reached Stripe");

    // A good change reaches Stripe, is cached and audited with its idempotency key.
    assert_eq!(w.desk.check_payout_schedule(&us, &weekly(3)).unwrap(), "Weekly on Friday, 3-day delay");
    let changed = w.desk.update_payout_schedule(&us, &weekly(3), None).await.unwrap();
    assert_eq!(changed.words, "Weekly on Friday, 3-day delay");
    let stored = w.account(&us).await["settings"]["payouts"]["schedule"].clone();
    assert_eq!(stored, serde_json::json!({"interval": "weekly", "weekly_anchor": "friday", "delay_days": 3}));
    assert_eq!(w.desk.payout_schedule(&us).unwrap().schedule, weekly(3), "the cache knows at once");

    // Stripe's own minimum elsewhere: refused by Stripe, nothing changes, the failure is audited.
    let gb = w.account_in("GB", "daily").await;
    let before_gb = w.account(&gb).await["settings"]["payouts"]["schedule"].clone();
    let err = w.desk.update_payout_schedule(&gb, &weekly(3), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::StripeError);
    assert!(err.to_string().contains("at least 7"), "{err}");
    assert_eq!(w.account(&gb).await["settings"]["payouts"]["schedule"], before_gb);

    // Not the platform, not without permission.
    assert_eq!(w.desk.payout_schedule("").unwrap_err().code(), ErrorCode::InvalidInput);
    w.desk
        .create_profile(&ProfileForm { name: "Leo".into(), role: Role::Manager, pin: Some(PIN.into()), scope: None })
        .unwrap();
    let leo = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Leo").unwrap().id;
    w.desk.unlock(leo, PIN).unwrap();
    let err = w.desk.update_payout_schedule(&us, &weekly(5), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
    assert_eq!(w.account(&us).await["settings"]["payouts"]["schedule"], stored);

    let outcomes: Vec<(String, String, bool)> = w
        .audit_actions()
        .into_iter()
        .filter(|(a, ..)| a == "payouts.schedule_update")
        .map(|(_, outcome, key)| (outcome, String::new(), key.is_some()))
        .collect();
    let outcomes: Vec<(&str, bool)> = outcomes.iter().map(|(o, _, k)| (o.as_str(), *k)).collect();
    // Through the door: each sent change is audited as requested, then with its outcome.
    assert_eq!(
        outcomes,
        [
            ("refused", false),
            ("refused", false),
            ("requested", true),
            ("succeeded", true),
            ("requested", true),
            ("failed", true),
            ("forbidden", false)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_payout_notifies_once_and_shows_until_dismissed() {
    let w = world().await;
    let seeded = w.desk.payout_alerts().unwrap();
    assert!(!seeded.is_empty(), "the demo's recent failed payouts raise alerts on the first sync");
    assert_eq!(w.notes.payouts().len(), 1, "one notification for what the first sync found");

    let daily = w.account_in("US", "daily").await;
    w.demo.fail_next_payout(Some(&daily));
    w.demo.advance_clock(std::time::Duration::from_secs(3 * 86_400));
    w.desk.sync_run(false).await.unwrap();
    let alerts = w.desk.payout_alerts().unwrap();
    let new: Vec<_> = alerts.iter().filter(|a| !seeded.iter().any(|s| s.payout.id == a.payout.id)).collect();
    assert_eq!(new.len(), 1, "{alerts:?}");
    let failed = &new[0].payout;
    assert_eq!((failed.account.as_str(), failed.status.as_str()), (daily.as_str(), "failed"));
    let notes = w.notes.payouts();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1].0, "Payout failed");
    assert!(
        notes[1].1.contains(&failed.account_name) && notes[1].1.contains(failed.failure_message.as_deref().unwrap())
    );

    // Dismissed here, it stays dismissed; a later sync does not notify again.
    let left = w.desk.dismiss_payout_alert(&failed.id).unwrap();
    assert!(!left.iter().any(|a| a.payout.id == failed.id));
    w.desk.sync_run(false).await.unwrap();
    assert_eq!(w.notes.payouts().len(), 2);
    assert!(!w.desk.payout_alerts().unwrap().iter().any(|a| a.payout.id == failed.id));
    assert_eq!(w.desk.dismiss_payout_alert(&failed.id).unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_are_what_an_accountant_reads() {
    let w = world().await;
    let path = w.dir.path().join("payouts.csv");
    let filter = PayoutFilter { status: Some("paid".into()), ..all() };
    let written = w.desk.export_payouts(&filter, &path).unwrap();
    let listed = w.desk.payouts(&filter, 0, 500).unwrap();
    assert_eq!(written as u32, listed.total);
    let mut csv = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header[..8],
        ["payout_id", "gateway", "account_id", "account_name", "arrival_date", "created", "amount", "currency"]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), written);
    for (row, payout) in rows.iter().zip(&listed.rows) {
        assert_eq!(&row[0], payout.id);
        assert_eq!(&row[1], payout.gateway.as_str());
        assert_eq!(row[4].len(), 10, "ISO date: {}", &row[4]);
        assert_eq!(&row[7], payout.amount.currency.to_uppercase());
        let major: f64 = row[6].parse().unwrap();
        let minor = major * 10f64.powi(payout.amount.exponent as i32);
        assert_eq!(minor.round() as i64, payout.amount.amount, "{}", &row[6]);
        if payout.amount.currency == "jpy" {
            assert!(!row[6].contains('.'), "yen without decimals: {}", &row[6]);
        }
    }

    let automatic = listed.rows.iter().find(|p| p.automatic).unwrap();
    let detail = w.desk.payout_detail(&automatic.id).await.unwrap();
    let path = w.dir.path().join("one payout.csv");
    let rows = w.desk.export_reconciliation(&automatic.id, &path).await.unwrap();
    assert_eq!(rows, detail.groups.iter().map(|g| g.items.len()).sum::<usize>());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("payout_id,group,balance_transaction,type,created,source,order_number"), "{text}");
    assert_eq!(text.lines().count(), rows + 1);
    let net: f64 =
        csv::Reader::from_path(&path).unwrap().records().map(|r| r.unwrap()[10].parse::<f64>().unwrap()).sum();
    let scale = 10f64.powi(automatic.amount.exponent as i32);
    assert_eq!((net * scale).round() as i64, automatic.amount.amount, "the rows add up to the payout");

    let err = w.desk.export_payouts(&filter, &w.dir.path().join("payouts.txt")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ExportFailed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scoped_owner_sees_only_their_restaurants() {
    let w = world().await;
    let everything = w.desk.payouts(&all(), 0, 500).unwrap();
    let mine = everything.rows.iter().find(|p| !p.account.is_empty()).unwrap().account.clone();
    let theirs = everything.rows.iter().find(|p| !p.account.is_empty() && p.account != mine).unwrap().clone();
    w.desk
        .create_profile(&ProfileForm {
            name: "Ana".into(),
            role: Role::Owner,
            pin: Some(PIN.into()),
            scope: Some(vec![mine.clone()]),
        })
        .unwrap();
    let ana = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Ana").unwrap().id;
    w.desk.unlock(ana, PIN).unwrap();
    let seen = w.desk.payouts(&all(), 0, 500).unwrap();
    assert!(seen.total > 0 && seen.rows.iter().all(|p| p.account == mine));
    assert!(w.desk.balances().unwrap().iter().all(|b| b.account == mine));
    assert_eq!(w.desk.payout_detail(&theirs.id).await.unwrap_err().code(), ErrorCode::RoleForbidden);
    let platform = PayoutFilter { account: Some(String::new()), ..all() };
    assert_eq!(w.desk.payouts(&platform, 0, 10).unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.payout_schedule(&theirs.account).unwrap_err().code(), ErrorCode::RoleForbidden);
    let charted: i64 =
        w.desk.payouts_chart(&all(), ChartBucket::Month).unwrap().iter().flat_map(|s| &s.points).map(|p| p.paid).sum();
    let mine_paid: i64 =
        seen.rows.iter().filter(|p| matches!(p.status.as_str(), "paid" | "in_transit")).map(|p| p.amount.amount).sum();
    assert_eq!(charted, mine_paid, "the chart shows only this restaurant's payouts");
    let theirs_history = HistoryFilter { account: theirs.account.clone(), ..Default::default() };
    assert_eq!(w.desk.balance_history(&theirs_history, 0, 10).unwrap_err().code(), ErrorCode::RoleForbidden);
    let path = w.dir.path().join("mine.csv");
    assert_eq!(w.desk.export_payouts(&all(), &path).unwrap() as u32, seen.total);
    assert!(w.desk.payout_alerts().unwrap().iter().all(|a| a.payout.account == mine));

    // A scope can no longer name the platform (""), and one stored before that rule still never
    // reaches the platform's payouts.
    w.desk.unlock(w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Maria").unwrap().id, PIN).unwrap();
    let platform_payout = everything.rows.iter().find(|p| p.account.is_empty()).map(|p| p.id.clone());
    let odd = ProfileForm {
        name: "Odd".into(),
        role: Role::Owner,
        pin: Some(PIN.into()),
        scope: Some(vec![String::new(), mine.clone()]),
    };
    assert_eq!(w.desk.create_profile(&odd).unwrap_err().code(), ErrorCode::InvalidInput);
    w.desk.create_profile(&ProfileForm { scope: Some(vec![mine.clone()]), ..odd }).unwrap();
    let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let odd_scope = serde_json::json!(["", mine]).to_string();
    store.conn().execute("UPDATE profiles SET scope_accounts = ?1 WHERE name = 'Odd'", [odd_scope]).unwrap();
    let odd = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Odd").unwrap().id;
    w.desk.unlock(odd, PIN).unwrap();
    assert!(w.desk.payouts(&all(), 0, 500).unwrap().rows.iter().all(|p| p.account == mine));
    if let Some(id) = platform_payout {
        assert_eq!(w.desk.payout_detail(&id).await.unwrap_err().code(), ErrorCode::RoleForbidden);
        assert_eq!(w.desk.dismiss_payout_alert(&id).unwrap_err().code(), ErrorCode::NotFound);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payout_stripe_is_still_reconciling_is_not_kept_and_syncs_can_overlap() {
    let w = world().await;
    let page = w.desk.payouts(&PayoutFilter { status: Some("paid".into()), ..all() }, 0, 500).unwrap();
    let payout = page.rows.iter().find(|p| p.automatic).unwrap();
    // As Stripe would say of a payout it has not finished reconciling.
    let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    store
        .conn()
        .execute(
            "UPDATE objects SET raw = json_set(raw, '$.reconciliation_status', 'in_progress') WHERE id = ?1",
            [&payout.id],
        )
        .unwrap();
    let first = w.desk.payout_detail(&payout.id).await.unwrap();
    assert!(first.note.as_deref().unwrap().contains("still reconciling"), "{:?}", first.note);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = w.desk.payout_detail(&payout.id).await.unwrap();
    assert_ne!(again.fetched_at, first.fetched_at, "fetched again, not kept");

    // A second sync asked for while one runs answers at once with the running one's progress.
    let both = tokio::time::timeout(std::time::Duration::from_secs(120), async {
        tokio::join!(w.desk.sync_run(false), w.desk.sync_run(false))
    })
    .await
    .expect("no deadlock");
    assert!(both.0.is_ok() && both.1.is_ok());
}
