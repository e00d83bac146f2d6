//! Harness for end-to-end tests: starts `tauri-driver` (which starts `WebKitWebDriver`, which
//! starts the real app binary) with a private data folder and keyring entry, and drives the window
//! through W3C WebDriver with fantoccini.
//!
//! Every helper waits, up to its timeout, for the state it acts on (see `actions`): a test never
//! sleeps for a fixed time and never acts on a screen that is still filling. A test that fails
//! says what it waited for and what the screen showed, and leaves a screenshot of the window in
//! `target/e2e-screenshots/failed-<test>.png`.
//!
//! Needs a display, a D-Bus session and an unlocked keyring: run under `scripts/headless.sh`, as
//! the README's test command does. The app binary must be built first (`cargo build -p merchant-desk`).

mod actions;
pub mod cardconnect;
mod desktop;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

pub use desktop::{NotificationWatch, SAVE_DIALOG_TITLE};
pub use fantoccini;

/// The keyring entry name the app stores the Stripe key under (see md-core `secrets::STRIPE_KEY`).
pub const KEYRING_ENTRY: &str = "stripe-secret-key";

/// How long a helper waits for the state it needs. Generous, since waits end as soon as the state
/// is there: only a test that is going to fail ever waits this long.
pub const WAIT: Duration = Duration::from_secs(30);

/// Path of the debug app binary of this workspace.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("MERCHANT_DESK_APP") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/merchant-desk")
}

/// Where screenshots go: `target/e2e-screenshots/`.
fn screenshot_dir() -> PathBuf {
    app_binary().parent().and_then(Path::parent).map(|t| t.join("e2e-screenshots")).expect("target dir")
}

/// A port the OS just handed out. tauri-driver binds it a moment later, so another process may
/// take it first: [`App::launch`] then starts over with new ports.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits until something listens on `port`; `Err` when tauri-driver exits or nothing comes.
fn wait_for_port(port: u16, child: &mut Child) -> Result<(), String> {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("tauri-driver exited with {status} before port {port} opened"));
        }
        if start.elapsed() > WAIT {
            return Err(format!("nothing listens on port {port} after {WAIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// What the app is started with.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    pub env: Vec<(String, String)>,
}

/// A running app under WebDriver. Call [`App::close`] at the end of a test.
pub struct App {
    pub client: Client,
    driver: Child,
    pub data_dir: tempfile::TempDir,
    pub keyring_service: String,
    /// The test that launched the app, to name the screenshot of a failure.
    test_name: String,
}

impl App {
    /// Starts tauri-driver and opens a WebDriver session (which starts the app). Ports picked by
    /// the OS can be taken by another process before tauri-driver binds them; a launch that fails
    /// that way is tried again with new ports, three times at most.
    pub async fn launch(launch: Launch) -> App {
        let binary = app_binary();
        assert!(binary.exists(), "{} is missing: build it with `cargo build -p merchant-desk`", binary.display());
        let test_name = std::thread::current().name().unwrap_or("e2e").replace("::", "-");
        let data_dir = tempfile::tempdir().expect("temp dir");
        let keyring_service = format!("merchant-desk-e2e-{}-{}", std::process::id(), free_port());
        let mut failures = Vec::new();
        for _attempt in 0..3 {
            match start_session(&launch, &binary, data_dir.path(), &keyring_service).await {
                Ok((client, driver)) => return App { client, driver, data_dir, keyring_service, test_name },
                Err(why) => failures.push(why),
            }
        }
        panic!("could not start the app under tauri-driver: {failures:#?}");
    }

    /// Saves a screenshot of the window to `target/e2e-screenshots/NAME.png` after two frames.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        let png = self.client.screenshot().await.expect("screenshot");
        save_screenshot(name, &png)
    }

    /// The Stripe key the app stored in the OS keyring, read independently of the app.
    pub fn stored_key(&self) -> Option<String> {
        let entry = keyring::Entry::new(&self.keyring_service, KEYRING_ENTRY).expect("keyring entry");
        match entry.get_password() {
            Ok(key) => Some(key),
            Err(keyring::Error::NoEntry) => None,
            Err(err) => panic!("keyring unavailable: {err}"),
        }
    }

    /// Ends the WebDriver session (closing the app) and stops tauri-driver.
    pub async fn close(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        self.stop_driver();
        let _ = keyring::Entry::new(&self.keyring_service, KEYRING_ENTRY).map(|e| e.delete_credential());
        std::mem::replace(&mut self.data_dir, tempfile::tempdir().expect("temp dir"))
    }

    /// A screenshot taken from a synchronous context (a `Drop` during a panic): the WebDriver
    /// session lives on the test's runtime, so the request goes from a thread of its own and is
    /// given up after a few seconds rather than hang a failing test.
    fn screenshot_of_failure(&self) {
        let client = self.client.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let png = tokio::runtime::Builder::new_current_thread().enable_all().build().ok().and_then(|rt| {
                rt.block_on(async {
                    tokio::time::timeout(Duration::from_secs(10), client.screenshot()).await.ok()?.ok()
                })
            });
            let _ = tx.send(png);
        });
        match rx.recv_timeout(Duration::from_secs(12)) {
            Ok(Some(png)) => {
                let path = save_screenshot(&format!("failed-{}", self.test_name), &png);
                eprintln!("the window when the test failed: {}", path.display());
            }
            _ => eprintln!("no screenshot of the failure: the window did not answer"),
        }
    }

    /// Stops tauri-driver (and with it WebKitWebDriver and the app): TERM, then KILL after 5 s.
    fn stop_driver(&mut self) {
        if self.driver.try_wait().ok().flatten().is_some() {
            return;
        }
        let _ = Command::new("kill").args(["-TERM", &self.driver.id().to_string()]).status();
        let start = Instant::now();
        while self.driver.try_wait().ok().flatten().is_none() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A test that fails before [`App::close`] leaves a screenshot of the window and does not leave
/// the app and its drivers running.
impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() && self.driver.try_wait().ok().flatten().is_none() {
            self.screenshot_of_failure();
        }
        self.stop_driver();
    }
}

/// One try at tauri-driver plus a WebDriver session on fresh ports.
async fn start_session(
    launch: &Launch,
    binary: &Path,
    data_dir: &Path,
    keyring_service: &str,
) -> Result<(Client, Child), String> {
    let (port, native_port) = (free_port(), free_port());
    let mut command = Command::new(which("tauri-driver"));
    command
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("MERCHANT_DESK_DATA_DIR", data_dir)
        .env("MERCHANT_DESK_KEYRING_SERVICE", keyring_service)
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "UTC")
        // The app prefers WebKit's shared-memory renderer (its first screen paints seconds sooner
        // without a GPU: `bench window`), but WebKitWebDriver's screenshots never return under
        // it (seen here), so the window these tests drive renders through DMA-BUF; the install
        // check (scripts/check-deb.sh) and the benchmark run the app as it ships.
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in &launch.env {
        command.env(k, v);
    }
    let mut driver =
        command.spawn().map_err(|e| format!("start tauri-driver (cargo install tauri-driver --locked): {e}"))?;
    let stop = |driver: &mut Child| {
        let _ = Command::new("kill").args(["-TERM", &driver.id().to_string()]).status();
        let _ = driver.wait();
    };
    if let Err(why) = wait_for_port(port, &mut driver).and_then(|()| wait_for_port(native_port, &mut driver)) {
        stop(&mut driver);
        return Err(why);
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert("tauri:options".into(), json!({ "application": binary }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    match ClientBuilder::new(connector).capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await {
        Ok(client) => Ok((client, driver)),
        Err(e) => {
            stop(&mut driver);
            Err(format!("WebDriver session on port {port}: {e}"))
        }
    }
}

fn save_screenshot(name: &str, png: &[u8]) -> PathBuf {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    path
}

fn which(name: &str) -> PathBuf {
    let cargo_bin = std::env::var_os("CARGO_HOME").map(PathBuf::from).map(|h| h.join("bin").join(name));
    if let Some(path) = cargo_bin.filter(|p| p.exists()) {
        return path;
    }
    PathBuf::from(name)
}

/// Every file below `dir`, for scanning what the app wrote.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Every row of an exported CSV file (header first), read as a spreadsheet would.
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).expect("exported file");
    reader.records().map(|r| r.expect("a CSV row").iter().map(str::to_string).collect()).collect()
}

/// Formats minor units the way an en-US locale shows them (`$18,423.17`, `¥1,284,000`), for
/// comparing the screen with what the API returned.
pub fn en_us_money(amount: i64, currency: &str) -> String {
    let symbol = match currency {
        "usd" => "$",
        "eur" => "€",
        "gbp" => "£",
        "jpy" => "¥",
        "cad" => "CA$",
        other => return format!("{} {amount}", other.to_uppercase()),
    };
    let exponent = md_core::money::exponent(currency) as u32;
    let scale = 10i64.pow(exponent);
    let whole = (amount.abs() / scale).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    if exponent == 0 {
        format!("{sign}{symbol}{grouped}")
    } else {
        format!("{sign}{symbol}{grouped}.{:0width$}", amount.abs() % scale, width = exponent as usize)
    }
}
