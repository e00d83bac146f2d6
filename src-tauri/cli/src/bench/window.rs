//! `bench window`: the release app beside an empty Tauri 2 window built from the same crates
//! (`src-tauri/empty-window`), in one run, on the display the command runs under (Xvfb through
//! `scripts/headless.sh`).
//!
//! Each run starts, in turn: the empty window; Merchant Desk on a fresh data folder (first run,
//! demo mode); Merchant Desk on a folder whose cache holds 100,000 payouts and a profile (it opens
//! on the sign-in screen). For each it measures, from `exec`:
//! - first painted content: the first screen capture whose window shows more than a blank
//!   surface (three or more colours), read from the X server as a user would see it, the same way
//!   for both programs;
//! - memory once settled: the proportional set size (PSS) of the process and every process it
//!   started (WebKit's web and network processes), so shared libraries are counted once;
//! - CPU while idle: what the whole tree used over the next seconds, with nobody at the window.
//!
//! Medians over the runs are printed with their ratios to the empty window as Tauri starts it, and
//! to the same window with the renderer setting the app makes for itself (shared-memory rather
//! than DMA-BUF rendering), so that setting's share of the figures is visible.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

use md_core::permissions::Role;
use md_core::secrets::Keyring;
use md_core::store::{objects, Store};
use md_core::{Desk, DeskConfig};
use serde_json::json;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, MapState, Window};
use x11rb::rust_connection::RustConnection;

use crate::commands::{CliError, Options};

/// Linux reports process CPU times in these ticks (`CLK_TCK`, 100 on every Linux we ship for).
const TICKS_PER_SECOND: f64 = 100.0;
/// The PIN of the benchmark's signed-up profile.
const PIN: &str = "482913";

/// `bench window [--app PATH] [--empty PATH] [--runs N] [--settle-s N] [--idle-s N] [--payouts N]`
pub fn run(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--app", "--empty", "--runs", "--settle-s", "--idle-s", "--payouts"])?;
    let here = std::env::current_exe().map_err(|e| CliError::Io(e.to_string()))?;
    let beside = |name: &str| here.parent().map(|d| d.join(name)).unwrap_or_else(|| PathBuf::from(name));
    let app = opts.value("--app")?.map(PathBuf::from).unwrap_or_else(|| beside("merchant-desk"));
    let empty = opts.value("--empty")?.map(PathBuf::from).unwrap_or_else(|| beside("empty-window"));
    let runs = opts.number("--runs", 3)?.max(1) as usize;
    let settle = Duration::from_secs(opts.number("--settle-s", 15)?);
    let idle = Duration::from_secs(opts.number("--idle-s", 10)?);
    let payouts = opts.number("--payouts", 100_000)? as usize;
    for binary in [&app, &empty] {
        if !binary.is_file() {
            return Err(CliError::Setup(format!(
                "{} is missing: cargo build --release -p merchant-desk -p empty-window",
                binary.display()
            )));
        }
    }
    let screen = Screen::connect()?;
    let work = tempdir("window")?;
    eprintln!("a desk with {payouts} cached payouts and a profile…");
    let cached = work.join("cached");
    prepare_cached(&cached, &format!("merchant-desk-bench-{}", std::process::id()), payouts)?;

    let mut samples: HashMap<Variant, Vec<Sample>> = HashMap::new();
    for run in 0..runs {
        for variant in [Variant::Empty, Variant::EmptyShm, Variant::FirstRun, Variant::Cached] {
            let home = work.join(format!("home-{run}-{variant:?}"));
            let mut command = match variant {
                Variant::Empty => Command::new(&empty),
                Variant::EmptyShm => {
                    let mut c = Command::new(&empty);
                    c.env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
                    c
                }
                Variant::FirstRun => {
                    let mut c = Command::new(&app);
                    c.env("MERCHANT_DESK_DATA_DIR", home.join("desk")).env(
                        "MERCHANT_DESK_KEYRING_SERVICE",
                        format!("merchant-desk-bench-{}-{run}", std::process::id()),
                    );
                    c
                }
                Variant::Cached => {
                    let mut c = Command::new(&app);
                    c.env("MERCHANT_DESK_DATA_DIR", cached.join("desk"))
                        .env("MERCHANT_DESK_KEYRING_SERVICE", format!("merchant-desk-bench-{}", std::process::id()));
                    c
                }
            };
            // A fresh web-view profile (caches, local storage) for every start of either program.
            for (var, sub) in [
                ("HOME", "home"),
                ("XDG_DATA_HOME", "data"),
                ("XDG_CACHE_HOME", "cache"),
                ("XDG_CONFIG_HOME", "config"),
            ] {
                let dir = home.join(sub);
                std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
                command.env(var, dir);
            }
            command.env("MERCHANT_DESK_READY_FILE", home.join("ready")).env("RUST_LOG", "warn");
            command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
            let sample = measure(&screen, command, &home.join("ready"), settle, idle)?;
            eprintln!(
                "run {}: {:<9} first paint {:.2} s, {} MB all processes ({} MB itself), idle CPU {:.2}%",
                run + 1,
                variant.label(),
                sample.first_paint.as_secs_f64(),
                sample.pss_kib / 1024,
                sample.own_pss_kib / 1024,
                sample.idle_cpu_percent
            );
            samples.entry(variant).or_default().push(sample);
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    print_table(&samples, runs, settle, idle, &app, &empty);
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Variant {
    Empty,
    /// The empty window with the renderer setting Merchant Desk makes for itself (see the shell's
    /// `prefer_shared_memory_rendering`), so the setting's own share can be told apart.
    EmptyShm,
    FirstRun,
    Cached,
}

impl Variant {
    fn label(self) -> &'static str {
        match self {
            Variant::Empty => "empty",
            Variant::EmptyShm => "empty shm",
            Variant::FirstRun => "first run",
            Variant::Cached => "cached",
        }
    }
}

struct Sample {
    first_paint: Duration,
    /// When the app said its first screen was on screen (`MERCHANT_DESK_READY_FILE`).
    ready: Option<Duration>,
    pss_kib: u64,
    own_pss_kib: u64,
    idle_cpu_percent: f64,
}

/// Starts `command`, watches the screen until its window shows content, lets it settle, reads its
/// memory and idle CPU, then stops the whole tree.
fn measure(
    screen: &Screen,
    mut command: Command,
    ready: &Path,
    settle: Duration,
    idle: Duration,
) -> Result<Sample, CliError> {
    let start = Instant::now();
    let child = command.spawn().map_err(|e| CliError::Io(format!("cannot start the window: {e}")))?;
    let guard = Tree(child);
    let pid = guard.0.id();
    let mut first_paint = None;
    let mut ready_at = None;
    while start.elapsed() < Duration::from_secs(60) && (first_paint.is_none() || ready_at.is_none()) {
        if first_paint.is_none() && screen.window_has_content()? {
            first_paint = Some(start.elapsed());
        }
        if ready_at.is_none() && ready.exists() {
            ready_at = Some(start.elapsed());
        }
        // The empty window never writes the ready file.
        if first_paint.is_some()
            && ready_at.is_none()
            && start.elapsed() > first_paint.unwrap_or_default() * 3 + Duration::from_secs(2)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let first_paint = first_paint.ok_or_else(|| CliError::Setup("no window painted within 60 s".into()))?;
    if let Some(rest) = settle.checked_sub(start.elapsed()) {
        std::thread::sleep(rest);
    }
    let tree = descendants(pid);
    let all_kib: u64 = tree.iter().map(|p| pss_kib(*p)).sum();
    let own_pss_kib = pss_kib(pid);
    let before: u64 = tree.iter().map(|p| cpu_ticks(*p)).sum();
    std::thread::sleep(idle);
    let after: u64 = descendants(pid).iter().map(|p| cpu_ticks(*p)).sum();
    let idle_cpu_percent = after.saturating_sub(before) as f64 / TICKS_PER_SECOND / idle.as_secs_f64() * 100.0;
    drop(guard);
    Ok(Sample { first_paint, ready: ready_at, pss_kib: all_kib, own_pss_kib, idle_cpu_percent })
}

/// Kills the process and everything it started when dropped, so a failed run leaves nothing behind.
struct Tree(Child);

impl Drop for Tree {
    fn drop(&mut self) {
        let all = descendants(self.0.id());
        for pid in all.iter().rev() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
        let _ = self.0.wait();
    }
}

/// `pid` and every process below it.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
            if let Some(ppid) = stat_field(p, 4).and_then(|s| s.parse().ok()) {
                parents.push((p, ppid));
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    tree
}

/// Field `n` (1-based, as `man proc` numbers them) of `/proc/PID/stat`; the name in brackets may
/// hold spaces, so fields are counted after its closing bracket.
fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(n - 3).map(str::to_string)
}

fn cpu_ticks(pid: u32) -> u64 {
    let field = |n| stat_field(pid, n).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    field(14) + field(15)
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The X display the windows open on, read the way a person sees it.
struct Screen {
    conn: RustConnection,
    root: Window,
}

impl Screen {
    fn connect() -> Result<Self, CliError> {
        let (conn, n) = x11rb::connect(None)
            .map_err(|e| CliError::Setup(format!("no X display ({e}); run under scripts/headless.sh")))?;
        let root = conn.setup().roots[n].root;
        Ok(Self { conn, root })
    }

    /// Whether the largest window on screen shows content: three or more colours in its area. A
    /// window the toolkit has mapped but the web view has not painted is one flat colour.
    fn window_has_content(&self) -> Result<bool, CliError> {
        let Some((x, y, w, h)) = self.largest_window()? else { return Ok(false) };
        let image = self
            .conn
            .get_image(ImageFormat::Z_PIXMAP, self.root, x, y, w, h, !0)
            .map_err(x_error)?
            .reply()
            .map_err(x_error)?;
        let mut seen: Vec<&[u8]> = Vec::with_capacity(3);
        for pixel in image.data.chunks_exact(4) {
            let rgb = &pixel[..3];
            if !seen.contains(&rgb) {
                seen.push(rgb);
                if seen.len() >= 3 {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The viewable top-level window with the largest area (toolkits also map tiny helper windows).
    fn largest_window(&self) -> Result<Option<(i16, i16, u16, u16)>, CliError> {
        let tree = self.conn.query_tree(self.root).map_err(x_error)?.reply().map_err(x_error)?;
        let mut best = None;
        for window in tree.children {
            let Ok(attributes) = self.conn.get_window_attributes(window).map_err(x_error)?.reply() else { continue };
            if attributes.map_state != MapState::VIEWABLE {
                continue;
            }
            let Ok(g) = self.conn.get_geometry(window).map_err(x_error)?.reply() else { continue };
            let area = u32::from(g.width) * u32::from(g.height);
            if g.width >= 100 && g.height >= 100 && best.is_none_or(|(_, a)| area > a) {
                best = Some(((g.x, g.y, g.width, g.height), area));
            }
        }
        Ok(best.map(|(rect, _)| rect))
    }
}

fn x_error(e: impl std::fmt::Display) -> CliError {
    CliError::Io(format!("X server: {e}"))
}

/// A desk that has been used: a platform admin signed up and `payouts` payouts in its cache.
fn prepare_cached(dir: &Path, keyring_service: &str, payouts: usize) -> Result<(), CliError> {
    let data = dir.join("desk");
    std::fs::create_dir_all(&data).map_err(|e| CliError::Io(e.to_string()))?;
    {
        let keyring = Arc::new(Keyring::new(keyring_service.to_string()));
        let config =
            DeskConfig::new(data.clone(), keyring, "http://127.0.0.1:9".into(), stripe_emulator::DEMO_API_KEY.into());
        let desk = Desk::open(config)?;
        desk.setup_first_profile("Bench admin", Role::PlatformAdmin, PIN)?;
    }
    let store = Store::open(&data.join(md_core::desk::DATABASE_FILE))?;
    let statuses = ["paid", "paid", "paid", "paid", "in_transit", "pending", "failed", "canceled"];
    let now = chrono::Utc::now().timestamp();
    let tx = store.conn().unchecked_transaction().map_err(md_core::store::StoreError::from)?;
    let mut batch = Vec::with_capacity(1_000);
    for i in 0..payouts {
        let created = now - (i as i64 * 137) % (365 * 86_400);
        batch.push(json!({
            "id": format!("po_{i:024}"), "object": "payout", "amount": 1_000 + (i as i64 * 7919) % 500_000,
            "currency": "usd", "status": statuses[i % statuses.len()], "created": created,
            "arrival_date": created - created % 86_400 + 2 * 86_400, "automatic": true, "method": "standard",
            "destination": "ba_1", "failure_code": if i % 8 == 6 { json!("account_closed") } else { json!(null) },
            "metadata": {}
        }));
        if batch.len() == 1_000 || i + 1 == payouts {
            objects::upsert(&tx, &format!("acct_{:016}", i % 1_000), &batch, "bench")?;
            batch.clear();
        }
    }
    tx.commit().map_err(md_core::store::StoreError::from)?;
    Ok(())
}

fn tempdir(name: &str) -> Result<PathBuf, CliError> {
    let dir = std::env::temp_dir().join(format!("merchant-desk-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
    Ok(dir)
}

fn median<T: Copy + PartialOrd>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn print_table(
    samples: &HashMap<Variant, Vec<Sample>>,
    runs: usize,
    settle: Duration,
    idle: Duration,
    app: &Path,
    empty: &Path,
) {
    let of = |v: Variant| samples.get(&v).map(Vec::as_slice).unwrap_or(&[]);
    let paint = |v| median(of(v).iter().map(|s| s.first_paint.as_secs_f64()).collect());
    let ready = |v: Variant| {
        let r: Vec<f64> = of(v).iter().filter_map(|s| s.ready.map(|d| d.as_secs_f64())).collect();
        if r.is_empty() {
            "–".to_string()
        } else {
            format!("{:.2} s", median(r))
        }
    };
    let mem = |v| median(of(v).iter().map(|s| s.pss_kib as f64 / 1024.0).collect());
    let own = |v| median(of(v).iter().map(|s| s.own_pss_kib as f64 / 1024.0).collect());
    let cpu = |v| median(of(v).iter().map(|s| s.idle_cpu_percent).collect());
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    let (e, s, f, c) = (Variant::Empty, Variant::EmptyShm, Variant::FirstRun, Variant::Cached);
    println!(
        "| measure (median of {runs} runs) | empty Tauri window | Merchant Desk, first run (demo) | ratio | Merchant Desk, 100,000 payouts cached | ratio |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| first painted content after exec | {:.2} s | {:.2} s | **{:.2}×** | {:.2} s | **{:.2}×** |",
        paint(e),
        paint(f),
        paint(f) / paint(e),
        paint(c),
        paint(c) / paint(e)
    );
    println!("| the app's own \"first screen on screen\" | – | {} | | {} | |", ready(f), ready(c));
    println!(
        "| memory after {} s, all processes (PSS) | {:.0} MB | {:.0} MB | **{:.2}×** | {:.0} MB | **{:.2}×** |",
        settle.as_secs(),
        mem(e),
        mem(f),
        mem(f) / mem(e),
        mem(c),
        mem(c) / mem(e)
    );
    println!(
        "| the program's own process (PSS) | {:.0} MB | {:.0} MB | {:.2}× | {:.0} MB | {:.2}× |",
        own(e),
        own(f),
        own(f) / own(e),
        own(c),
        own(c) / own(e)
    );
    println!(
        "| CPU while idle for {} s, all processes | {:.2}% | {:.2}% | | {:.2}% | |",
        idle.as_secs(),
        cpu(e),
        cpu(f),
        cpu(c)
    );
    println!(
        "| the empty window with the app's renderer setting: first paint, memory | {:.2} s, {:.0} MB | ratios to it | {:.2}×, {:.2}× | | {:.2}×, {:.2}× |",
        paint(s),
        mem(s),
        paint(f) / paint(s),
        mem(f) / mem(s),
        paint(c) / paint(s),
        mem(c) / mem(s)
    );
    println!("| release binary | {:.1} MB | {:.1} MB | {:.2}× | | |", size(empty), size(app), size(app) / size(empty));
}
