//! `merchant-desk-cli bench`: how close the sync comes to what Stripe's rate limits allow, and how
//! fast the cache answers the payouts screen. Everything runs here, against a generated platform
//! on the local emulator with Stripe's live limits and a fixed latency per request.
//! `bench queries` times every list screen's queries over 100,000 rows each ([`queries`]);
//! `bench transactions` only the payments screens' queries over neutral transactions of both
//! gateways ([`transactions`]), `bench payments` only the Payments & Refunds search box over the
//! same rows ([`payments`]), `bench window` the release app's first paint, memory and idle CPU
//! beside an empty Tauri window ([`window`]).

mod accounts;
mod audit;
mod balances;
mod desk;
mod disputes;
mod payments;
mod payouts;
mod platform;
mod queries;
mod timeline;
mod timing;
mod transactions;
mod transfers;
mod window;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::money_calls::{self, MoneyCall};
use md_core::store::Store;
use md_core::sync::{full_sync, incremental_sync, Limits, SyncControl};
use stripe_emulator::seed::bulk::Scale;
use stripe_emulator::{Config, Emulator, RateLimit};

use crate::commands::{spawn_progress, CliError, Options};

const KEY: &str = "sk_test_51BenchmarkBenchmarkBenchmark00";

pub async fn run(args: &[String]) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("queries") => return queries::run(&args[1..]),
        Some("transactions") => return transactions::run(&args[1..]),
        Some("payments") => return payments::run(&args[1..]),
        Some("window") => return window::run(&args[1..]),
        _ => {}
    }
    let opts =
        Options::new(args, &["--accounts", "--payments", "--latency-ms", "--changes", "--payouts", "--timeline"])?;
    let accounts = opts.number("--accounts", 1_000)? as usize;
    let payments = opts.number("--payments", 34)? as usize;
    let latency = Duration::from_millis(opts.number("--latency-ms", 30)?);
    let changes = opts.number("--changes", 200)? as usize;
    let payout_rows = opts.number("--payouts", 100_000)? as usize;

    eprintln!("generating {accounts} accounts × {payments} payments on the emulator…");
    let generated = Instant::now();
    let config = Config {
        port: 0,
        api_keys: vec![KEY.into()],
        seed: Some(7),
        rate_limit: Some(RateLimit::LIVE),
        latency,
        error_percent: 0,
        scale: Some(Scale { accounts, payments_per_account: payments }),
        seed_on_first_request: false,
    };
    let emulator = Emulator::start(config).await.map_err(|e| CliError::Setup(e.to_string()))?;
    eprintln!("  generated in {:.1} s", generated.elapsed().as_secs_f64());
    let client = StripeClient::new(&emulator.base_url(), ApiKey::parse(KEY)?)?;
    let dir = std::env::temp_dir().join(format!("merchant-desk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
    let store = Mutex::new(Store::open(&dir.join("bench.sqlite3"))?);

    // Full sync.
    eprintln!("full sync at live limits (100/s overall, 25/s per endpoint), {} ms latency…", latency.as_millis());
    let control = Arc::new(SyncControl::default());
    let progress = spawn_progress(control.clone());
    let full = full_sync(&client, &store, Limits::LIVE, &control, false).await;
    progress.abort();
    let full = full?;
    let busiest = full.by_endpoint.iter().max_by_key(|(_, n)| **n).map(|(k, n)| (k.clone(), *n)).unwrap_or_default();
    let floor = (full.requests as f64 / 100.0).max(busiest.1 as f64 / 25.0);
    let objects_synced: i64 = store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .conn()
        .query_row("SELECT count(*) FROM objects", [], |r| r.get(0))
        .map_err(md_core::store::StoreError::from)?;
    let limited_full = emulator.rate_limited_count();

    // Incremental sync after `changes` refunds on different charges.
    let charges: Vec<(String, String)> = {
        let s = store.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt = s
            .conn()
            .prepare(
                "SELECT account, id FROM objects WHERE kind = 'charge' AND account != '' GROUP BY account LIMIT ?1",
            )
            .map_err(md_core::store::StoreError::from)?;
        let rows = stmt
            .query_map([changes as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(md_core::store::StoreError::from)?;
        rows.collect::<Result<_, _>>().map_err(md_core::store::StoreError::from)?
    };
    eprintln!("{} refunds on {} accounts, then an incremental sync…", charges.len(), charges.len());
    emulator.set_rate_limit(None);
    for (account, charge) in &charges {
        let call = MoneyCall::new(
            "refund",
            "/v1/refunds",
            Some(account),
            &[("charge", charge.clone()), ("amount", "100".into())],
        );
        money_calls::execute(&store, &client, &call).await?;
    }
    emulator.set_rate_limit(Some(RateLimit::LIVE));
    let before_incremental = emulator.rate_limited_count();
    let incremental = incremental_sync(&client, &store, Limits::LIVE, &SyncControl::default()).await?;
    let scopes = accounts as u64 + 1;
    let changed_objects = incremental.objects;

    // Cache queries for the payouts screen.
    eprintln!("{payout_rows} payouts in a cache, timing the payouts screen's queries…");
    let queries = payouts::measure(payout_rows, 100)?;

    println!(
        "## Benchmark ({} accounts, {} objects synced, {} ms latency, live limits)",
        accounts,
        objects_synced,
        latency.as_millis()
    );
    println!();
    println!("| measure | figure |");
    println!("|---|---|");
    println!("| full sync wall time | {:.1} s |", full.elapsed.as_secs_f64());
    println!("| requests | {} (busiest endpoint: {} with {}) |", full.requests, busiest.0, busiest.1);
    println!("| floor = max(requests ÷ 100/s, busiest ÷ 25/s) | {floor:.1} s |");
    println!("| **ratio to floor** | **{:.3}** |", full.elapsed.as_secs_f64() / floor.max(0.001));
    println!("| failed requests (429 or error) | {limited_full} |");
    println!(
        "| incremental sync after {} changes | {} requests for {} changed objects over {} scopes: {:.3} requests per changed object beyond one events page per scope, {} × 429 |",
        charges.len(),
        incremental.requests,
        changed_objects,
        scopes,
        (incremental.requests.saturating_sub(scopes)) as f64 / changed_objects.max(1) as f64,
        emulator.rate_limited_count() - before_incremental
    );
    for case in queries {
        println!("| payouts query: {} | p50 {:.3} ms, p99 {:.3} ms |", case.name, case.p50 * 1e3, case.p99 * 1e3);
    }
    timeline::print(&full.timeline, floor, full.elapsed);
    if let Some(path) = opts.value("--timeline")? {
        timeline::write_csv(std::path::Path::new(path), &full.timeline).map_err(|e| CliError::Io(e.to_string()))?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
