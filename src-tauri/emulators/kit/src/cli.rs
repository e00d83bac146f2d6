//! What the emulator binaries share: the flags every emulator takes (`--port`, `--seed`,
//! `--empty`, `--latency-ms`, `--fault-rate`, `--help`) and the life of the process (usage on a
//! mistake, serve until Ctrl-C, stop). A gateway adds its own flags and its banner.

use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

/// The settings every emulator has flags for, borrowed from the gateway's own config.
pub struct Common<'a> {
    pub port: &'a mut u16,
    pub seed: &'a mut Option<u64>,
    pub latency: &'a mut Duration,
    pub error_percent: &'a mut u8,
}

impl<'a> Common<'a> {
    /// The four are of different types, so they cannot be passed in the wrong order.
    pub fn new(
        port: &'a mut u16,
        seed: &'a mut Option<u64>,
        latency: &'a mut Duration,
        error_percent: &'a mut u8,
    ) -> Self {
        Self { port, seed, latency, error_percent }
    }
}

/// The arguments not read yet; a flag takes its value from here.
pub struct Args<'a>(std::slice::Iter<'a, String>);

impl Args<'_> {
    /// The value after `flag`, or why there is none.
    pub fn value(&mut self, flag: &str) -> Result<String, String> {
        self.0.next().cloned().ok_or_else(|| format!("{flag} needs a value"))
    }
}

/// Reads `args` into `config`: the shared flags through `common`, the rest through `own`, which
/// answers `Ok(false)` for a flag that is not the gateway's. `Err("")` asks for the usage
/// (`--help`); any other `Err` is the mistake to report.
pub fn parse<C>(
    args: &[String],
    mut config: C,
    common: impl Fn(&mut C) -> Common<'_>,
    mut own: impl FnMut(&mut C, &str, &mut Args<'_>) -> Result<bool, String>,
) -> Result<C, String> {
    let mut rest = Args(args.iter());
    while let Some(arg) = rest.0.next() {
        if own(&mut config, arg, &mut rest)? {
            continue;
        }
        let c = common(&mut config);
        match arg.as_str() {
            "--port" => {
                *c.port = rest.value(arg)?.parse().map_err(|_| "--port takes a number from 0 to 65535".to_string())?
            }
            "--seed" => {
                *c.seed = Some(rest.value(arg)?.parse().map_err(|_| "--seed takes a whole number".to_string())?)
            }
            "--empty" => *c.seed = None,
            "--latency-ms" => {
                let ms: u64 = rest.value(arg)?.parse().map_err(|_| "--latency-ms takes a whole number".to_string())?;
                *c.latency = Duration::from_millis(ms);
            }
            "--fault-rate" => {
                *c.error_percent = rest
                    .value(arg)?
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

/// The whole run of an emulator binary named `name`: the usage (exit 2 after a mistake, 0 for
/// `--help`), or start (exit 1 if it cannot listen), `announce` where it serves, serve until
/// Ctrl-C, `stop`.
pub async fn run<C, E, Started, Stopped>(
    name: &str,
    usage: &str,
    parsed: Result<C, String>,
    start: impl FnOnce(C) -> Started,
    announce: impl FnOnce(&E),
    stop: impl FnOnce(E) -> Stopped,
) -> ExitCode
where
    Started: Future<Output = std::io::Result<E>>,
    Stopped: Future<Output = ()>,
{
    let config = match parsed {
        Ok(config) => config,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("{name}: {msg}");
            }
            eprintln!("{usage}");
            return if msg.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    let emulator = match start(config).await {
        Ok(e) => e,
        Err(err) => {
            eprintln!("{name}: cannot listen: {err}");
            return ExitCode::from(1);
        }
    };
    announce(&emulator);
    let _ = tokio::signal::ctrl_c().await;
    stop(emulator).await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Config {
        port: u16,
        seed: Option<u64>,
        latency: Duration,
        error_percent: u8,
        user: String,
    }

    fn common(c: &mut Config) -> Common<'_> {
        Common::new(&mut c.port, &mut c.seed, &mut c.latency, &mut c.error_percent)
    }

    fn read(args: &[&str]) -> Result<Config, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let config = Config { seed: Some(7), ..Config::default() };
        parse(&args, config, common, |c, arg, rest| match arg {
            "--user" => {
                c.user = rest.value(arg)?;
                Ok(true)
            }
            _ => Ok(false),
        })
    }

    #[test]
    fn reads_shared_and_own_flags() {
        let c = read(&["--port", "9", "--empty", "--latency-ms", "5", "--fault-rate", "30", "--user", "u"]).unwrap();
        assert_eq!(
            c,
            Config { port: 9, seed: None, latency: Duration::from_millis(5), error_percent: 30, user: "u".into() }
        );
        assert_eq!(read(&["--seed", "3"]).unwrap().seed, Some(3));
    }

    #[test]
    fn mistakes_and_help() {
        assert_eq!(read(&["--help"]), Err(String::new()));
        assert_eq!(read(&["--port"]), Err("--port needs a value".into()));
        assert_eq!(read(&["--user"]), Err("--user needs a value".into()));
        assert_eq!(read(&["--fault-rate", "101"]), Err("--fault-rate takes a percentage from 0 to 100".into()));
        assert_eq!(read(&["--bogus"]), Err("unknown argument: --bogus".into()));
    }
}
