//! `merchant-desk-cli bench queries [--rows N] [--runs N] [--only screen,…]`: every list screen's
//! query, each over 100,000 rows of what it lists, in one run — payouts, balance history,
//! payments (the neutral transactions and the search box, as `bench transactions` and `bench
//! payments` time them), disputes, accounts, transfers and the audit log. A table per screen, then
//! what is over the bar (p99 above 5 ms).

use std::time::Instant;

use super::timing::{self, Case, BAR};
use super::{accounts, audit, balances, disputes, payments, payouts, transactions, transfers};
use crate::commands::{CliError, Options};

/// The screens, in the order they run; `--only` picks some by these names.
const SCREENS: [&str; 8] =
    ["payouts", "balances", "transactions", "payments", "disputes", "accounts", "transfers", "audit"];

pub fn run(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--rows", "--runs", "--payouts", "--only"])?;
    let rows = opts.number("--rows", 100_000)? as usize;
    // `--payouts` is what `bench queries` took when it timed only the payouts screen.
    let payout_rows = opts.number("--payouts", rows as u64)? as usize;
    let runs = opts.number("--runs", 500)?.max(1) as usize;
    let only: Vec<&str> = opts.value("--only")?.map(|s| s.split(',').map(str::trim).collect()).unwrap_or_default();
    if let Some(unknown) = only.iter().find(|s| !SCREENS.contains(s)) {
        return Err(CliError::Usage(format!("--only {unknown}: the screens are {}", SCREENS.join(", "))));
    }
    let wanted = |screen: &str| only.is_empty() || only.contains(&screen);
    println!("## List screens' queries ({rows} rows each, {runs} runs per query, release build)");
    println!();
    let mut over: Vec<(String, Case)> = Vec::new();
    let mut report = |title: String, cases: Vec<Case>| {
        timing::print(&title, runs, &cases);
        over.extend(cases.into_iter().filter(|c| c.p99 > BAR.as_secs_f64()).map(|c| (title.clone(), c)));
    };
    let started = Instant::now();
    if wanted("payouts") {
        eprintln!("payouts: {payout_rows} payouts of 1,000 restaurants…");
        let title = format!("payouts screen: a page of 100 + the total, or the chart ({payout_rows} payouts)");
        report(title, payouts::measure(payout_rows, runs)?);
    }
    if wanted("balances") {
        eprintln!("balances: {rows} balance transactions of one restaurant…");
        let title = format!("balance history: a page of 50 + the total + the types ({rows} balance transactions)");
        report(title, balances::measure(rows, runs)?);
    }
    if wanted("transactions") || wanted("payments") {
        let dir = std::env::temp_dir().join(format!("merchant-desk-bench-queries-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
        let result = (|| {
            if wanted("transactions") {
                eprintln!("transactions: {rows} neutral transactions…");
                let (made, cases) = transactions::measure(&dir, rows, runs)?;
                report(transactions::title(&made, runs), cases);
            }
            if wanted("payments") {
                eprintln!("payments: {rows} neutral transactions and what a synced cache adds…");
                let (made, payments, cases) = payments::measure(&dir, rows, runs)?;
                report(payments::title(&made, payments, runs), cases);
            }
            Ok::<_, CliError>(())
        })();
        let _ = std::fs::remove_dir_all(&dir);
        result?;
    }
    if wanted("disputes") {
        eprintln!("disputes: {rows} disputes…");
        report(
            format!("disputes inbox: a page of 100 with the counts ({rows} disputes)"),
            disputes::measure(rows, runs)?,
        );
    }
    if wanted("accounts") {
        eprintln!("accounts: {rows} connected accounts…");
        report(format!("accounts list: every matching restaurant ({rows} accounts)"), accounts::measure(rows, runs)?);
    }
    if wanted("transfers") {
        eprintln!("transfers: {rows} transfers…");
        report(
            format!("transfers list: a page of 100 with the total ({rows} transfers)"),
            transfers::measure(rows, runs)?,
        );
    }
    if wanted("audit") {
        eprintln!("audit: {rows} audit records…");
        report(format!("audit log: the newest 500 matching ({rows} records)"), audit::measure(rows, runs)?);
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
    if over.is_empty() {
        println!("Every query's p99 is within {} ms.", BAR.as_millis());
    } else {
        println!("Over the bar (p99 > {} ms):", BAR.as_millis());
        for (screen, case) in &over {
            println!("- {screen}: {} (p99 {})", case.name, timing::ms(case.p99));
        }
    }
    Ok(())
}
