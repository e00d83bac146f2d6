//! Runs the CardPointe Gateway emulator on its own, for manual runs.
//!
//! `cardconnect-emulator [--port N] [--seed N | --empty] [--user U --password P] [--latency-ms N]
//! [--fault-rate PERCENT]`

use std::process::ExitCode;

use cardconnect_emulator::{Config, Emulator, DEMO_MERCHID_LAKESIDE, DEMO_MERCHID_TAQUERIA};

fn usage() -> &'static str {
    "usage: cardconnect-emulator [--port N] [--seed N | --empty] [--user U --password P]\n\
     \x20                           [--latency-ms N] [--fault-rate PERCENT]\n\
     Serves the CardPointe Gateway API at http://127.0.0.1:PORT/cardconnect/rest/ with the demo\n\
     restaurants (unless --empty). Without --user/--password it accepts the demo credentials."
}

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config { port: 12_112, ..Config::demo() };
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
            "--user" => config.api_user = value("--user")?,
            "--password" => config.api_password = value("--password")?,
            "--latency-ms" => {
                let ms: u64 =
                    value("--latency-ms")?.parse().map_err(|_| "--latency-ms takes a whole number".to_string())?;
                config.latency = std::time::Duration::from_millis(ms);
            }
            "--fault-rate" => {
                config.error_percent = value("--fault-rate")?
                    .parse()
                    .ok()
                    .filter(|p: &u8| *p <= 100)
                    .ok_or("--fault-rate takes a percentage from 0 to 100")?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
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
                eprintln!("cardconnect-emulator: {msg}");
            }
            eprintln!("{}", usage());
            return if msg.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let seeded = config.seed.is_some();
    let emulator = match Emulator::start(config).await {
        Ok(e) => e,
        Err(err) => {
            eprintln!("cardconnect-emulator: cannot listen: {err}");
            return ExitCode::from(1);
        }
    };
    println!("{}/cardconnect/rest/", emulator.base_url());
    if seeded {
        eprintln!(
            "merchants: {DEMO_MERCHID_LAKESIDE} (Lakeside Kitchen), {DEMO_MERCHID_TAQUERIA} (Vine Street Taqueria)"
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
