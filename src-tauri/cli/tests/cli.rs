//! The command-line tool as a script would use it: environment for the key, the API and the data
//! folder; results on stdout, progress on stderr, exit codes 0 / 1 / 2.

use std::process::{Command, Output};

use stripe_emulator::{Config, Emulator};

const KEY: &str = "sk_test_51CommandLineCommandLine000";

fn cli(data: &std::path::Path, base: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"))
        .args(args)
        .env("MERCHANT_DESK_STRIPE_KEY", KEY)
        .env("MERCHANT_DESK_STRIPE_API_BASE", base)
        .env("MERCHANT_DESK_DATA_DIR", data)
        .output()
        .expect("run the CLI")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_export_and_refund_from_the_command_line() {
    let mut config = Config::demo();
    config.api_keys.push(KEY.into());
    let emulator = Emulator::start(config).await.unwrap();
    let base = emulator.base_url();
    let data = tempfile::tempdir().unwrap();
    let run = |args: &'static [&'static str]| {
        let (data, base) = (data.path().to_path_buf(), base.clone());
        tokio::task::spawn_blocking(move || cli(&data, &base, args))
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
        let (d, b, c) = (data.path().to_path_buf(), base.clone(), csv.clone());
        tokio::task::spawn_blocking(move || {
            cli(&d, &b, &["export", "payouts", "--from", &from, "--to", &today, "--csv", c.to_str().unwrap()])
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
            "SELECT account, id FROM stripe_objects WHERE kind = 'charge' AND status = 'succeeded' AND account != ''
             AND raw LIKE '%\"currency\":\"usd\"%' AND raw LIKE '%\"disputed\":false%' AND raw LIKE '%\"amount_refunded\":0%'
             ORDER BY created DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(store);
    let refund = {
        let (d, b, a, i) = (data.path().to_path_buf(), base.clone(), account.clone(), intent.clone());
        tokio::task::spawn_blocking(move || {
            cli(
                &d,
                &b,
                &["refund", "--payment", &i, "--account", &a, "--amount", "250", "--reason", "requested_by_customer"],
            )
        })
        .await
        .unwrap()
    };
    assert!(refund.status.success(), "{}", text(&refund.stderr));
    assert!(text(&refund.stdout).starts_with("re_"), "{}", text(&refund.stdout));
    let too_much = {
        let (d, b, a, i) = (data.path().to_path_buf(), base.clone(), account.clone(), intent.clone());
        tokio::task::spawn_blocking(move || {
            cli(&d, &b, &["refund", "--payment", &i, "--account", &a, "--amount", "99999999"])
        })
        .await
        .unwrap()
    };
    assert_eq!(too_much.status.code(), Some(1));
    assert!(text(&too_much.stderr).contains("greater than unrefunded"), "{}", text(&too_much.stderr));
    let store = md_core::store::Store::open(&data.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let outcomes: Vec<String> = md_core::store::audit::all(store.conn())
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {}", r.action, r.outcome))
        .collect();
    assert_eq!(outcomes, ["refund succeeded", "refund failed"]);

    for bad in [&["refund"][..], &["frobnicate"][..], &["export", "payouts", "--from", "yesterday"][..]] {
        let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let (d, b) = (data.path().to_path_buf(), base.clone());
        let out = tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            cli(&d, &b, &refs)
        })
        .await
        .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
    }
}
