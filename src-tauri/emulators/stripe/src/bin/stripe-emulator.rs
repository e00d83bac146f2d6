//! Runs the Stripe emulator on its own, for manual runs and benchmarks.
//!
//! `stripe-emulator [--port N] [--seed N | --empty] [--api-key KEY]... [--rate-limit live|test|off]
//! [--latency-ms N] [--fault-rate PERCENT] [--accounts N] [--payments N]`

use std::process::ExitCode;

use emulator_kit::cli;
use stripe_emulator::seed::bulk::Scale;
use stripe_emulator::{Config, Emulator, RateLimit, DEMO_API_KEY};

fn usage() -> &'static str {
    "usage: stripe-emulator [--port N] [--seed N | --empty] [--api-key KEY]... [--rate-limit live|test|off]\n\
     \x20                      [--latency-ms N] [--fault-rate PERCENT] [--accounts N] [--payments N]\n\
     --accounts/--payments generate a platform of that many accounts, each with that many payments\n\
     (defaults 1000 and 100 once either is given) instead of the demo restaurant group.\n\
     Serves the Stripe API subset on 127.0.0.1. Without --api-key it accepts the demo key."
}

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = cli::parse(args, Config { port: 12_111, api_keys: vec![], ..Config::demo() }, common, own)?;
    if config.api_keys.is_empty() {
        config.api_keys.push(DEMO_API_KEY.to_string());
    }
    Ok(config)
}

fn common(c: &mut Config) -> cli::Common<'_> {
    cli::Common::new(&mut c.port, &mut c.seed, &mut c.latency, &mut c.error_percent)
}

/// Stripe's own flags: keys, rate limits, a generated platform's size.
fn own(config: &mut Config, arg: &str, rest: &mut cli::Args<'_>) -> Result<bool, String> {
    match arg {
        "--rate-limit" => {
            config.rate_limit = match rest.value(arg)?.as_str() {
                "live" => Some(RateLimit::LIVE),
                "test" => Some(RateLimit::TEST),
                "off" => None,
                other => return Err(format!("--rate-limit takes live, test or off, not {other}")),
            }
        }
        "--accounts" | "--payments" => {
            let n: usize = rest.value(arg)?.parse().map_err(|_| format!("{arg} takes a whole number"))?;
            let scale = config.scale.get_or_insert(Scale { accounts: 1_000, payments_per_account: 100 });
            if arg == "--accounts" {
                scale.accounts = n.max(1);
            } else {
                scale.payments_per_account = n;
            }
        }
        "--api-key" => config.api_keys.push(rest.value(arg)?),
        _ => return Ok(false),
    }
    Ok(true)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let announce = |emulator: &Emulator| println!("{}", emulator.base_url());
    cli::run("stripe-emulator", usage(), parse(&args), Emulator::start, announce, Emulator::stop).await
}
