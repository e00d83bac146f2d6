//! Runs the CardPointe Gateway emulator on its own, for manual runs.
//!
//! `cardconnect-emulator [--port N] [--seed N | --empty] [--user U --password P] [--latency-ms N]
//! [--fault-rate PERCENT]`

use std::process::ExitCode;

use cardconnect_emulator::{Config, Emulator, DEMO_MERCHID_LAKESIDE, DEMO_MERCHID_TAQUERIA};
use emulator_kit::cli;

fn usage() -> &'static str {
    "usage: cardconnect-emulator [--port N] [--seed N | --empty] [--user U --password P]\n\
     \x20                           [--latency-ms N] [--fault-rate PERCENT]\n\
     Serves the CardPointe Gateway API at http://127.0.0.1:PORT/cardconnect/rest/ with the demo\n\
     restaurants (unless --empty). Without --user/--password it accepts the demo credentials."
}

fn parse(args: &[String]) -> Result<Config, String> {
    cli::parse(args, Config { port: 12_112, ..Config::demo() }, common, own)
}

fn common(c: &mut Config) -> cli::Common<'_> {
    cli::Common::new(&mut c.port, &mut c.seed, &mut c.latency, &mut c.error_percent)
}

/// CardPointe's own flags: the credentials the site accepts.
fn own(config: &mut Config, arg: &str, rest: &mut cli::Args<'_>) -> Result<bool, String> {
    match arg {
        "--user" => config.api_user = rest.value(arg)?,
        "--password" => config.api_password = rest.value(arg)?,
        _ => return Ok(false),
    }
    Ok(true)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = parse(&args);
    let seeded = parsed.as_ref().is_ok_and(|c| c.seed.is_some());
    let announce = |emulator: &Emulator| {
        println!("{}/cardconnect/rest/", emulator.base_url());
        if seeded {
            eprintln!(
                "merchants: {DEMO_MERCHID_LAKESIDE} (Lakeside Kitchen), {DEMO_MERCHID_TAQUERIA} (Vine Street Taqueria)"
            );
        }
    };
    cli::run("cardconnect-emulator", usage(), parsed, Emulator::start, announce, Emulator::stop).await
}
