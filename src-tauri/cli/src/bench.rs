//! `merchant-desk-cli bench`: how close the sync comes to what Stripe's rate limits allow, and how
//! fast the cache answers the payouts screen. Everything runs here, against a generated platform
//! on the local emulator with Stripe's live limits and a fixed latency per request.
//! `bench queries` times only the payouts screen's queries, `bench transactions` the payments
//! screens' queries over neutral transactions of both gateways ([`transactions`]), `bench payments`
//! the Payments & Refunds search box over the same rows ([`payments`]), `bench window` the release
//! app's first paint, memory and idle CPU beside an empty Tauri window ([`window`]).

mod payments;
mod timeline;
mod transactions;
mod window;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::money_calls::{self, MoneyCall};
use md_core::store::objects;
use md_core::store::Store;
use md_core::sync::{full_sync, incremental_sync, Limits, SyncControl};
use serde_json::json;
use stripe_emulator::seed::bulk::Scale;
use stripe_emulator::{Config, Emulator, RateLimit};

use crate::commands::{spawn_progress, CliError, Options};

const KEY: &str = "sk_test_51BenchmarkBenchmarkBenchmark00";

pub async fn run(args: &[String]) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("queries") => return queries_only(&args[1..]),
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
    let queries = payouts_queries(&dir, payout_rows)?;

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
    for (name, p50, p99) in queries {
        println!("| payouts query: {name} | p50 {:.3} ms, p99 {:.3} ms |", p50 * 1e3, p99 * 1e3);
    }
    timeline::print(&full.timeline, floor, full.elapsed);
    if let Some(path) = opts.value("--timeline")? {
        timeline::write_csv(std::path::Path::new(path), &full.timeline).map_err(|e| CliError::Io(e.to_string()))?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `bench queries [--payouts N]`: only the payouts screen's queries (seconds, not minutes).
fn queries_only(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--payouts"])?;
    let rows = opts.number("--payouts", 100_000)? as usize;
    let dir = std::env::temp_dir().join(format!("merchant-desk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
    eprintln!("{rows} payouts in a cache, timing the payouts screen's queries…");
    let queries = payouts_queries(&dir, rows);
    let _ = std::fs::remove_dir_all(&dir);
    println!("| payouts screen query ({rows} payouts; a page of 100 rows plus the total) | p50 | p99 |");
    println!("|---|---|---|");
    for (name, p50, p99) in queries? {
        println!("| {name} | {:.2} ms | {:.2} ms |", p50 * 1e3, p99 * 1e3);
    }
    Ok(())
}

/// Fills a cache with `rows` payouts over 1,000 accounts and times what the payouts screen runs:
/// a page of rows plus the total count, at the top and deep in the list, sorted and filtered, and
/// the chart.
fn payouts_queries(dir: &std::path::Path, rows: usize) -> Result<Vec<(&'static str, f64, f64)>, CliError> {
    use md_core::payouts::queries::{self as screen, PayoutQuery};
    use md_core::store::filters::Accounts;
    use md_core::views::{ChartBucket, PayoutSort};

    let store = Store::open(&dir.join("payouts.sqlite3"))?;
    let statuses = ["paid", "paid", "paid", "paid", "in_transit", "pending", "failed", "canceled"];
    let now = chrono::Utc::now().timestamp();
    {
        let tx = store.conn().unchecked_transaction().map_err(md_core::store::StoreError::from)?;
        let mut batch = Vec::with_capacity(1_000);
        for i in 0..rows {
            let account = format!("acct_{:016}", i % 1_000);
            let created = now - (i as i64 * 137) % (365 * 86_400);
            batch.push(json!({
                "id": format!("po_{i:024}"), "object": "payout", "amount": 1_000 + (i as i64 * 7919) % 500_000,
                "currency": "usd", "status": statuses[i % statuses.len()], "created": created,
                "arrival_date": created - created % 86_400 + 2 * 86_400, "automatic": true, "method": "standard",
                "destination": "ba_1", "failure_code": if i % 8 == 6 { json!("account_closed") } else { json!(null) },
                "metadata": {}
            }));
            if batch.len() == 1_000 || i + 1 == rows {
                objects::upsert(&tx, &account, &batch, "bench")?;
                batch.clear();
            }
        }
        tx.commit().map_err(md_core::store::StoreError::from)?;
    }
    let query = |sort: PayoutSort, status: Option<&str>, account: Option<&str>, from: Option<i64>| PayoutQuery {
        accounts: account.map_or(Accounts::All, |a| Accounts::Only(vec![a.to_string()])),
        status: status.map(str::to_string),
        from,
        until: None,
        sort,
        descending: true,
        search: None,
    };
    let deep = rows.saturating_sub(100) as u32;
    let cases: Vec<(&'static str, PayoutQuery, u32)> = vec![
        ("first page, newest arrival", query(PayoutSort::ArrivalDate, None, None, None), 0),
        ("last page (offset ~100k)", query(PayoutSort::ArrivalDate, None, None, None), deep),
        ("by amount, middle page", query(PayoutSort::Amount, None, None, None), deep / 2),
        ("by account name", query(PayoutSort::Account, None, None, None), 0),
        ("failed only", query(PayoutSort::ArrivalDate, Some("failed"), None, None), 0),
        (
            "one account, last 90 days",
            query(PayoutSort::ArrivalDate, None, Some("acct_0000000000000042"), Some(now - 90 * 86_400)),
            0,
        ),
    ];
    let time = |f: &mut dyn FnMut() -> Result<(), CliError>| -> Result<(f64, f64), CliError> {
        let mut times = Vec::with_capacity(100);
        for _ in 0..100 {
            let t = Instant::now();
            f()?;
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(|a, b| a.total_cmp(b));
        Ok((times[times.len() / 2], times[times.len() * 99 / 100]))
    };
    let mut out = Vec::new();
    for (name, q, offset) in cases {
        let (p50, p99) = time(&mut || {
            let total = screen::count(store.conn(), &q)?;
            let page = screen::page(store.conn(), &q, offset, 100)?;
            std::hint::black_box((total, page.len()));
            Ok(())
        })?;
        out.push((name, p50, p99));
    }
    let all = query(PayoutSort::ArrivalDate, None, None, None);
    let (p50, p99) = time(&mut || {
        std::hint::black_box(screen::chart(store.conn(), &all, ChartBucket::Week)?.len());
        Ok(())
    })?;
    out.push(("weekly chart, all payouts", p50, p99));
    Ok(out)
}
