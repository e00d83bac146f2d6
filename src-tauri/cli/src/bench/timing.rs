//! How every query benchmark times a call and prints its figures: p50 and p99 of many runs, each
//! run asking something a little different (another restaurant, another order), so no answer is
//! simply the last one again.

use std::time::{Duration, Instant};

use crate::commands::CliError;

/// The bar every list screen's query is held to (issue #17): p99 at most this.
pub(super) const BAR: Duration = Duration::from_millis(5);

/// A call slower than this runs fewer times: a second-long call 500 times would take minutes.
const SLOW: Duration = Duration::from_millis(10);
/// At least this many runs, whatever the call costs.
const FEWEST: usize = 20;
/// Roughly how long a slow call is timed for.
const BUDGET: Duration = Duration::from_secs(5);

/// One timed query.
#[derive(Debug, Clone)]
pub(super) struct Case {
    pub(super) name: String,
    pub(super) runs: usize,
    /// Seconds.
    pub(super) p50: f64,
    pub(super) p99: f64,
}

/// p50 and p99 of `runs` runs of `f` (given the run's number), after one run to warm up
/// (statements prepared, pages read once). A call slower than 10 ms runs fewer times.
pub(super) fn time(
    name: impl Into<String>,
    runs: usize,
    mut f: impl FnMut(usize) -> Result<(), CliError>,
) -> Result<Case, CliError> {
    let warm = Instant::now();
    f(0)?;
    let once = warm.elapsed();
    let runs = if once > SLOW {
        (BUDGET.as_secs_f64() / once.as_secs_f64()).clamp(FEWEST as f64, runs.max(FEWEST) as f64) as usize
    } else {
        runs.max(1)
    };
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i)?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(Case { name: name.into(), runs, p50: times[times.len() / 2], p99: times[times.len() * 99 / 100] })
}

/// Milliseconds, with a third decimal below a tenth (an order found by its number).
pub(super) fn ms(seconds: f64) -> String {
    if seconds < 1e-4 {
        format!("{:.3} ms", seconds * 1e3)
    } else {
        format!("{:.2} ms", seconds * 1e3)
    }
}

/// A Markdown table of `cases` under the header `title`; a case over the bar is marked, and one
/// timed fewer times than asked says how many.
pub(super) fn print(title: &str, runs: usize, cases: &[Case]) {
    println!("| {title} | p50 | p99 |");
    println!("|---|---|---|");
    for case in cases {
        let over = if case.p99 > BAR.as_secs_f64() { " **over 5 ms**" } else { "" };
        let fewer = if case.runs < runs { format!(" ({} runs)", case.runs) } else { String::new() };
        println!("| {}{fewer} | {} | {}{over} |", case.name, ms(case.p50), ms(case.p99));
    }
    println!();
}
