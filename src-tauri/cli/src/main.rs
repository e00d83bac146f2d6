//! `merchant-desk-cli`: the desk's core without a window, for platform admins' scripts and headless
//! runs. Progress goes to stderr, results to stdout; exit codes: 0 done, 1 failed, 2 bad usage.
//!
//! The Stripe key comes from the same keyring entry as the app's, or from `MERCHANT_DESK_STRIPE_KEY`
//! for automation; `MERCHANT_DESK_STRIPE_API_BASE` and `MERCHANT_DESK_DATA_DIR` work as in the app.
//! CardConnect credentials come from the app's keyring entry only; `MERCHANT_DESK_CARDCONNECT_API_BASE`
//! points them at another CardPointe address (a local emulator).
//! Commands act as a profile of this PC (`--profile`, PIN from `MERCHANT_DESK_PIN` or the
//! terminal): the same role matrix and the same door for money calls as the app.

mod bench;
mod commands;
mod context;

use std::process::ExitCode;

const USAGE: &str = "usage: merchant-desk-cli <command> [options]

commands:
  sync [--full] [--resume]                 full sync (first time, or --full) or incremental from events
  export payouts --from DATE --to DATE --csv FILE
                                           payouts created in [from, to] (YYYY-MM-DD, UTC) as CSV
  refund --payment pi_…|ch_…|RETREF [--account acct_…|MERCHID] [--amount MINOR_UNITS] [--reason duplicate|fraudulent|requested_by_customer] [--note TEXT]
                                           a CardConnect payment (RETREF at merchant ID MERCHID) is
                                           voided before its batch settles, refunded after
  payout-schedule --account acct_… --interval daily|weekly|monthly|manual [--delay-days N]
                  [--weekly-anchor monday…sunday] [--monthly-anchor 1-31]
  transfer --account acct_… --amount MAJOR [--currency usd] --description TEXT
                                           money from the platform to a restaurant
  transfer-reverse --transfer tr_… [--amount MAJOR] [--reason TEXT]
                                           claws back all that is left, or --amount of it
  transfer-bulk --csv FILE                 a tips file (restaurant,amount,description[,currency]):
                                           every row checked first, each sent exactly once
  bench [--accounts N] [--payments N] [--latency-ms N] [--changes N] [--payouts N] [--timeline FILE]
                                           full and incremental sync against a generated platform on
                                           the local emulator with Stripe's live limits, and cache
                                           query timings (--timeline: every request's endpoint and
                                           send time as CSV)
  bench queries [--rows N] [--runs N] [--only payouts,balances,transactions,payments,disputes,
                accounts,transfers,audit]
                                           every list screen's queries, each over N rows (100,000)
  bench transactions [--rows N] [--runs N] only the payments screens' queries over both gateways'
                                           transactions
  bench payments [--rows N] [--runs N]   only the Payments & Refunds search box, per kind of search
  bench window [--runs N] [--payouts N]  the release app's first paint, memory and idle CPU beside an
                                           empty Tauri window (on an X display: scripts/headless.sh)

Every command but bench acts as a profile of this PC, held to its role like the app: --profile NAME
(or MERCHANT_DESK_PROFILE), PIN from MERCHANT_DESK_PIN or asked for on the terminal.";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("sync") => commands::sync(&args[1..]).await,
        Some("export") => commands::export(&args[1..]),
        Some("refund") => commands::refund(&args[1..]).await,
        Some("payout-schedule") => commands::payout_schedule(&args[1..]).await,
        Some("transfer") => commands::transfer(&args[1..]).await,
        Some("transfer-reverse") => commands::transfer_reverse(&args[1..]).await,
        Some("transfer-bulk") => commands::transfer_bulk(&args[1..]).await,
        Some("bench") => bench::run(&args[1..]).await,
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(commands::CliError::Usage("give a command".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(commands::CliError::Usage(why)) => {
            eprintln!("merchant-desk-cli: {why}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("merchant-desk-cli: {}", err.for_people());
            ExitCode::from(1)
        }
    }
}
