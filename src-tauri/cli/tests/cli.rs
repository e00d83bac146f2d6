//! The command-line tool as a script would use it: environment for the key, the API, the data
//! folder and the profile it signs in as; results on stdout, progress on stderr, exit codes 0 / 1 / 2.
//! It is held to the same role matrix and goes through the same door as the app.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::Keyring;
use md_core::views::ProfileForm;
use md_core::{Desk, DeskConfig};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

const KEY: &str = "sk_test_51CommandLineCommandLine000";

/// Where the CLI runs: its data folder, its Stripe, and a keyring service of its own.
#[derive(Clone)]
struct Env {
    data: PathBuf,
    base: String,
    service: String,
}

/// Runs the CLI signed in as `profile` (name and PIN from the environment, as a script would).
fn cli(env: &Env, profile: (&str, &str), args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"))
        .args(args)
        .env("MERCHANT_DESK_STRIPE_KEY", KEY)
        .env("MERCHANT_DESK_STRIPE_API_BASE", &env.base)
        .env("MERCHANT_DESK_DATA_DIR", &env.data)
        .env("MERCHANT_DESK_KEYRING_SERVICE", &env.service)
        .env("MERCHANT_DESK_PROFILE", profile.0)
        .env("MERCHANT_DESK_PIN", profile.1)
        .output()
        .expect("run the CLI")
}

const ADA: (&str, &str) = ("Ada", "2468");
const SAM: (&str, &str) = ("Sam", "1357");

/// This PC's profiles, made the way the app makes them: Ada the platform admin, Sam on staff.
fn profiles(data: &Path, service: &str) {
    let secrets = Arc::new(Keyring::new(service.to_string()));
    let mut config = DeskConfig::new(data.to_path_buf(), secrets, "http://127.0.0.1:9".into(), DEMO_API_KEY.into());
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile(ADA.0, Role::PlatformAdmin, ADA.1).unwrap();
    let sam = ProfileForm { name: SAM.0.into(), role: Role::Staff, pin: Some(SAM.1.into()), scope: None };
    desk.create_profile(&sam).unwrap();
}

/// Starts an emulated platform with the demo group, and a data folder with this PC's profiles.
async fn set_up() -> (Emulator, Env, tempfile::TempDir) {
    let mut config = Config::demo();
    config.api_keys.push(KEY.into());
    let emulator = Emulator::start(config).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let port = emulator.base_url().rsplit(':').next().unwrap_or_default().to_string();
    let service = format!("merchant-desk-cli-test-{}-{port}", std::process::id());
    let env = Env { data: data.path().to_path_buf(), base: emulator.base_url(), service };
    profiles(&env.data, &env.service);
    (emulator, env, data)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_export_and_refund_from_the_command_line() {
    let (_emulator, env, data) = set_up().await;
    let run = |args: &'static [&'static str]| {
        let env = env.clone();
        tokio::task::spawn_blocking(move || cli(&env, ADA, args))
    };

    let sync = run(&["sync"]).await.unwrap();
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    assert!(text(&sync.stdout).contains("requests"), "{}", text(&sync.stdout));
    assert!(text(&sync.stderr).contains("full sync"));
    let again = run(&["sync"]).await.unwrap();
    assert!(text(&again.stderr).contains("incremental"), "the second sync reads events only");

    let csv = data.path().join("payouts.csv");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let from = (chrono::Utc::now() - chrono::Duration::days(120)).format("%Y-%m-%d").to_string();
    let export = {
        let (e, c) = (env.clone(), csv.clone());
        tokio::task::spawn_blocking(move || {
            cli(&e, ADA, &["export", "payouts", "--from", &from, "--to", &today, "--csv", c.to_str().unwrap()])
        })
        .await
        .unwrap()
    };
    assert!(export.status.success(), "{}", text(&export.stderr));
    let content = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = content.lines().collect();
    assert_eq!(
        lines[0],
        "payout,account,created,arrival_date,amount,currency,status,method,automatic,failure_code,failure_message"
    );
    assert!(lines.len() > 50, "{} payouts", lines.len() - 1);
    assert!(
        lines.iter().any(|l| l.contains(",failed,") && l.contains("account_closed")),
        "a failed payout with its reason"
    );

    // Refund a payment of the demo group, then try to refund more than is left.
    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let (account, intent): (String, String) = store
        .conn()
        .query_row(
            "SELECT account, id FROM objects WHERE kind = 'charge' AND status = 'succeeded' AND account != ''
             AND raw LIKE '%\"currency\":\"usd\"%' AND raw LIKE '%\"disputed\":false%' AND raw LIKE '%\"amount_refunded\":0%'
             ORDER BY created DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(store);
    let refund = {
        let (e, a, i) = (env.clone(), account.clone(), intent.clone());
        tokio::task::spawn_blocking(move || {
            cli(
                &e,
                ADA,
                &["refund", "--payment", &i, "--account", &a, "--amount", "250", "--reason", "requested_by_customer"],
            )
        })
        .await
        .unwrap()
    };
    assert!(refund.status.success(), "{}", text(&refund.stderr));
    assert!(text(&refund.stdout).starts_with("re_"), "{}", text(&refund.stdout));
    let too_much = {
        let (e, a, i) = (env.clone(), account.clone(), intent.clone());
        tokio::task::spawn_blocking(move || {
            cli(&e, ADA, &["refund", "--payment", &i, "--account", &a, "--amount", "99999999"])
        })
        .await
        .unwrap()
    };
    assert_eq!(too_much.status.code(), Some(1));
    // Refused before anything is sent, from what the cache knows is left.
    assert!(text(&too_much.stderr).contains("left to refund"), "{}", text(&too_much.stderr));
    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let outcomes: Vec<String> = md_core::store::audit::all(store.conn())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "refunds.create")
        .map(|r| format!("{} {} {}", r.profile_name, r.action, r.outcome))
        .collect();
    let ada = "Ada refunds.create";
    assert_eq!(outcomes, [format!("{ada} requested"), format!("{ada} succeeded"), format!("{ada} refused")]);

    for bad in [&["refund"][..], &["frobnicate"][..], &["export", "payouts", "--from", "yesterday"][..]] {
        let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let e = env.clone();
        let out = tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            cli(&e, ADA, &refs)
        })
        .await
        .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_profile_may_not_change_a_payout_schedule_from_the_command_line() {
    let (_emulator, env, data) = set_up().await;
    let e = env.clone();
    let sync = tokio::task::spawn_blocking(move || cli(&e, ADA, &["sync"])).await.unwrap();
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let account: String = store
        .conn()
        .query_row("SELECT id FROM objects WHERE kind = 'account' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    drop(store);
    let change = ["payout-schedule", "--account", &account, "--interval", "weekly", "--weekly-anchor", "friday"]
        .map(str::to_string);
    let (e, args) = (env.clone(), change.clone());
    let refused =
        tokio::task::spawn_blocking(move || cli(&e, SAM, &args.each_ref().map(String::as_str))).await.unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("may not change payout schedules"), "{}", text(&refused.stderr));
    let (e, args) = (env.clone(), change.clone());
    let wrong_pin = tokio::task::spawn_blocking(move || cli(&e, ("Ada", "0000"), &args.each_ref().map(String::as_str)))
        .await
        .unwrap();
    assert_eq!(wrong_pin.status.code(), Some(1));
    let (e, args) = (env.clone(), change);
    let done = tokio::task::spawn_blocking(move || cli(&e, ADA, &args.each_ref().map(String::as_str))).await.unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("Weekly on Friday"), "{}", text(&done.stdout));

    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let rows: Vec<String> = md_core::store::audit::all(store.conn())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "payouts.schedule_update")
        .map(|r| format!("{} {}", r.profile_name, r.outcome))
        .collect();
    assert_eq!(rows, ["Sam forbidden", "Ada requested", "Ada succeeded"]);
}

#[test]
fn a_live_key_pointed_anywhere_but_stripe_is_refused_and_nothing_is_sent() {
    // A listener that records: nothing may even connect to it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"))
        .args(["sync"])
        .env("MERCHANT_DESK_STRIPE_KEY", "sk_live_51LiveLiveLiveLiveLiveLiveLive0000")
        .env("MERCHANT_DESK_STRIPE_API_BASE", format!("http://{}", listener.local_addr().unwrap()))
        .env("MERCHANT_DESK_DATA_DIR", data.path())
        .env("MERCHANT_DESK_KEYRING_SERVICE", format!("merchant-desk-cli-live-{}", std::process::id()))
        .env("MERCHANT_DESK_PROFILE", "Ada")
        .env("MERCHANT_DESK_PIN", "2468")
        .output()
        .expect("run the CLI");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("a live key is only ever sent to https://api.stripe.com"),
        "{}",
        text(&out.stderr)
    );
    assert!(matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock), "something connected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_transfers_and_reverses_from_the_command_line_and_staff_may_not() {
    let (emulator, env, data) = set_up().await;
    let run = |profile: (&'static str, &'static str), args: Vec<String>| {
        let e = env.clone();
        tokio::task::spawn_blocking(move || cli(&e, profile, &args.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    let sync = run(ADA, vec!["sync".into()]).await.unwrap();
    assert!(sync.status.success(), "{}", text(&sync.stderr));
    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let account: String = store
        .conn()
        .query_row(
            "SELECT id FROM objects WHERE kind = 'account' AND json_extract(raw, '$.payouts_enabled') = 1
             AND json_extract(raw, '$.default_currency') = 'usd' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(store);
    let send = |amount: &str| {
        ["transfer", "--account", &account, "--amount", amount, "--description", "Weekly tips"]
            .map(str::to_string)
            .to_vec()
    };
    let transfers = || emulator.lock().objects_of_kind("transfer").count();
    let before = transfers();

    let refused = run(SAM, send("10")).await.unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let bad = run(ADA, send("ten")).await.unwrap();
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("not an amount"), "{}", text(&bad.stderr));
    assert_eq!(transfers(), before, "nothing sent");

    let sent = run(ADA, send("50.00")).await.unwrap();
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let out = text(&sent.stdout);
    let id = out.split_whitespace().next().unwrap_or_default().to_string();
    assert!(id.starts_with("tr_") && out.contains("5000 usd"), "{out}");
    assert_eq!(transfers(), before + 1);

    let reverse =
        |amount: &str| ["transfer-reverse", "--transfer", &id, "--amount", amount].map(str::to_string).to_vec();
    let part = run(ADA, reverse("20")).await.unwrap();
    assert!(part.status.success(), "{}", text(&part.stderr));
    assert!(text(&part.stdout).contains("reversed 2000 left 3000"), "{}", text(&part.stdout));
    let over = run(ADA, reverse("30.01")).await.unwrap();
    assert_eq!(over.status.code(), Some(1));
    assert!(text(&over.stderr).contains("Only $30.00"), "{}", text(&over.stderr));
}
