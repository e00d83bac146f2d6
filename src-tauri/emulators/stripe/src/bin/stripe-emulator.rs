//! Runs the Stripe emulator on its own, for manual runs and benchmarks.
//!
//! `stripe-emulator [--port N] [--seed N | --empty] [--api-key KEY]... [--rate-limit live|test|off]
//! [--latency-ms N] [--fault-rate PERCENT] [--accounts N] [--payments N]`

use std::process::ExitCode;

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
    let mut config = Config { port: 12_111, api_keys: vec![], ..Config::demo() };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                config.port =
                    value("--port")?.parse().map_err(|_| "--port takes a number from 0 to 65535".to_string())?
            }
            "--seed" => {
                config.seed = Some(value("--seed")?.parse().map_err(|_| "--seed takes a whole number".to_string())?)
            }
            "--empty" => config.seed = None,
            "--rate-limit" => {
                config.rate_limit = match value("--rate-limit")?.as_str() {
                    "live" => Some(RateLimit::LIVE),
                    "test" => Some(RateLimit::TEST),
                    "off" => None,
                    other => return Err(format!("--rate-limit takes live, test or off, not {other}")),
                }
            }
            "--latency-ms" => {
                let ms: u64 =
                    value("--latency-ms")?.parse().map_err(|_| "--latency-ms takes a whole number".to_string())?;
                config.latency = std::time::Duration::from_millis(ms);
            }
            "--accounts" | "--payments" => {
                let n: usize = value(arg)?.parse().map_err(|_| format!("{arg} takes a whole number"))?;
                let scale = config.scale.get_or_insert(Scale { accounts: 1_000, payments_per_account: 100 });
                if arg == "--accounts" {
                    scale.accounts = n.max(1);
                } else {
                    scale.payments_per_account = n;
                }
            }
            "--fault-rate" => {
                config.error_percent = value("--fault-rate")?
                    .parse()
                    .ok()
                    .filter(|p: &u8| *p <= 100)
                    .ok_or("--fault-rate takes a percentage from 0 to 100")?;
            }
            "--api-key" => config.api_keys.push(value("--api-key")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if config.api_keys.is_empty() {
        config.api_keys.push(DEMO_API_KEY.to_string());
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("stripe-emulator: {msg}");
            }
            eprintln!("{}", usage());
            return if msg.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(err) => {
            eprintln!("stripe-emulator: cannot listen: {err}");
            return ExitCode::from(1);
        }
    };
    println!("{}", emulator.base_url());
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
