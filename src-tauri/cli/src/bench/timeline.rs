//! Where a full sync's time went: when its requests went out, per endpoint, in buckets of a few
//! seconds. A bucket below 100/s overall is time the floor does not count; on a busy machine the
//! requests' own span (first to last) tells the scheduler's share from the start-up and writes.

use std::collections::BTreeMap;
use std::time::Duration;

/// Seconds per row of the table.
const BUCKET: f64 = 5.0;

/// Prints the span of the requests and a table of requests per endpoint per bucket.
pub fn print(timeline: &BTreeMap<String, Vec<Duration>>, floor: f64, elapsed: Duration) {
    let all: Vec<f64> = timeline.values().flatten().map(Duration::as_secs_f64).collect();
    let (Some(first), Some(last)) = (all.iter().copied().reduce(f64::min), all.iter().copied().reduce(f64::max)) else {
        return;
    };
    let span = |at: &[Duration]| {
        at.iter().fold((f64::MAX, 0f64), |(lo, hi), t| (lo.min(t.as_secs_f64()), hi.max(t.as_secs_f64())))
    };
    println!();
    println!("### Full sync timeline");
    println!();
    println!("| measure | figure |");
    println!("|---|---|");
    println!(
        "| requests' own span (first {first:.1} s to last {last:.1} s of {:.1} s) | {:.1} s: **ratio {:.3}** |",
        elapsed.as_secs_f64(),
        last - first,
        (last - first) / floor.max(0.001)
    );
    let mut by_size: Vec<(&String, &Vec<Duration>)> = timeline.iter().collect();
    by_size.sort_by_key(|(_, at)| std::cmp::Reverse(at.len()));
    for (endpoint, at) in by_size.iter().take(3) {
        let (lo, hi) = span(at);
        println!(
            "| {endpoint}: {} requests from {lo:.1} s to {hi:.1} s | {:.1}/s over its span (limit 25/s) |",
            at.len(),
            at.len() as f64 / (hi - lo).max(0.001)
        );
    }
    println!();
    let names: Vec<String> = by_size.iter().map(|(e, _)| short(e)).collect();
    println!("| seconds | all /s | {} |", names.join(" | "));
    println!("|---|---|{}", "---|".repeat(names.len()));
    let buckets = (last / BUCKET).floor() as usize + 1;
    for b in 0..buckets {
        let inside = |t: &Duration| ((t.as_secs_f64() / BUCKET).floor() as usize) == b;
        let counts: Vec<usize> = by_size.iter().map(|(_, at)| at.iter().filter(|t| inside(t)).count()).collect();
        let total: usize = counts.iter().sum();
        let cells: Vec<String> = counts.iter().map(|n| format!("{:.1}", *n as f64 / BUCKET)).collect();
        println!(
            "| {:.0}–{:.0} | {:.1} | {} |",
            b as f64 * BUCKET,
            (b + 1) as f64 * BUCKET,
            total as f64 / BUCKET,
            cells.join(" | ")
        );
    }
}

/// `GET /v1/balance_transactions` → `balance_transactions`, `GET /v1/events/{id}` → `events/{id}`.
fn short(endpoint: &str) -> String {
    endpoint.split_once("/v1/").map_or(endpoint, |(_, rest)| rest).to_string()
}

/// `endpoint,seconds` for every request, for a closer look than the table gives.
pub fn write_csv(path: &std::path::Path, timeline: &BTreeMap<String, Vec<Duration>>) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "endpoint,seconds")?;
    for (endpoint, at) in timeline {
        for t in at {
            writeln!(out, "{endpoint},{:.4}", t.as_secs_f64())?;
        }
    }
    out.flush()
}
