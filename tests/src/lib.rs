//! Harness for end-to-end tests: starts `tauri-driver` (which starts `WebKitWebDriver`, which
//! starts the real app binary) with a private data folder and keyring entry, and drives the window
//! through W3C WebDriver with fantoccini.
//!
//! Needs a display, a D-Bus session and an unlocked keyring: run under `scripts/headless.sh`, as
//! the README's test command does. The app binary must be built first (`cargo build -p merchant-desk`).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub use fantoccini;

/// The keyring entry name the app stores the Stripe key under (see md-core `secrets::STRIPE_KEY`).
pub const KEYRING_ENTRY: &str = "stripe-secret-key";

const WAIT: Duration = Duration::from_secs(20);

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for_port(port: u16, child: &mut Child) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("tauri-driver exited early with {status}");
        }
        assert!(start.elapsed() < WAIT, "nothing listens on port {port} after {WAIT:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
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
}

impl App {
    pub async fn launch(launch: Launch) -> App {
        let binary = app_binary();
        assert!(binary.exists(), "{} is missing: build it with `cargo build -p merchant-desk`", binary.display());
        let data_dir = tempfile::tempdir().expect("temp dir");
        let keyring_service = format!("merchant-desk-e2e-{}-{}", std::process::id(), free_port());
        let (port, native_port) = (free_port(), free_port());
        let mut command = Command::new(which("tauri-driver"));
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("MERCHANT_DESK_DATA_DIR", data_dir.path())
            .env("MERCHANT_DESK_KEYRING_SERVICE", &keyring_service)
            .env("LANG", "en_US.UTF-8")
            .env("TZ", "UTC")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in &launch.env {
            command.env(k, v);
        }
        let mut driver = command.spawn().expect("start tauri-driver (cargo install tauri-driver --locked)");
        wait_for_port(port, &mut driver);
        wait_for_port(native_port, &mut driver);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": binary }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        App { client, driver, data_dir, keyring_service }
    }

    /// Waits for an element matching a CSS selector.
    pub async fn css(&self, selector: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
    }

    /// Waits for an element by its accessible name: `aria-label`, or the text of its `<label for>`.
    pub async fn labelled(&self, label: &str) -> Element {
        let xpath = format!("//*[@aria-label=\"{label}\"] | //*[@id=//label[normalize-space(.)=\"{label}\"]/@for]");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("nothing labelled {label:?}: {e}"))
    }

    /// Waits for a button whose text contains `text`.
    pub async fn button(&self, text: &str) -> Element {
        let xpath = format!("//button[contains(normalize-space(.), \"{text}\")]");
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {text:?}: {e}"))
    }

    /// Waits until the element matched by `selector` has text containing `needle`; returns the text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        self.wait_for_text_within(selector, needle, WAIT).await
    }

    /// First run on a new PC: creates the owner profile through the set-up screen and waits for the
    /// app frame.
    pub async fn set_up_owner(&self, name: &str, pin: &str) {
        self.labelled("Your name").await.send_keys(name).await.expect("type name");
        self.labelled("PIN (4 to 8 digits)").await.send_keys(pin).await.expect("type PIN");
        self.labelled("PIN again").await.send_keys(pin).await.expect("type PIN again");
        self.button("Create profile and start").await.click().await.expect("create");
        self.css("nav[aria-label='Sections']").await;
    }

    /// Pastes a secret key in Settings → Stripe connection (the API base comes from the launch
    /// environment), waits until it is accepted, and returns to the Overview, where the first sync
    /// of the new connection starts; waits until it has finished.
    pub async fn connect_and_sync(&self, key: &str) {
        self.open_section("Settings").await;
        self.labelled("Stripe secret key").await.send_keys(key).await.expect("type key");
        self.button("Check and save key").await.click().await.expect("save key");
        self.wait_for_text("form [role='status']", "Connected with").await;
        self.open_section("Overview").await;
        self.wait_for_text_within("[aria-label='Sync progress']", "All Stripe data synced", Duration::from_secs(90))
            .await;
    }

    /// [`App::wait_for_text`] with a longer wait, for syncs.
    pub async fn wait_for_text_within(&self, selector: &str, needle: &str, wait: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(selector)).await {
                if let Ok(text) = el.text().await {
                    if text.contains(needle) {
                        return text;
                    }
                    if start.elapsed() > wait {
                        panic!("{selector} shows {text:?}, never {needle:?}");
                    }
                }
            } else if start.elapsed() > wait {
                panic!("no element {selector} (waiting for {needle:?})");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Picks `value` in the `<select>` with accessible name `label`.
    pub async fn select(&self, label: &str, value: &str) {
        self.labelled(label).await.select_by_value(value).await.unwrap_or_else(|e| panic!("{label} = {value}: {e}"));
    }

    /// Replaces the text of the field with accessible name `label`.
    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.labelled(label).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear {label}: {e}"));
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {label}: {e}"));
    }

    /// The texts of every element matching `selector` (none is fine).
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let mut out = Vec::new();
        for el in self.client.find_all(Locator::Css(selector)).await.unwrap_or_default() {
            out.push(el.text().await.unwrap_or_default());
        }
        out
    }

    /// Runs `invoke(command, args)` in the web view, as a script typed into its console would,
    /// and returns the rejection (`{code, message}`) or `{"ok": value}`.
    pub async fn invoke_from_console(&self, command: &str, args: serde_json::Value) -> serde_json::Value {
        let script = "const [cmd, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ ok: v }), (e) => done(e));";
        self.client.execute_async(script, vec![json!(command), args]).await.expect("script ran")
    }

    /// The labels of the left navigation, in order.
    pub async fn nav_labels(&self) -> Vec<String> {
        let items =
            self.client.find_all(Locator::Css("nav[aria-label='Sections'] button.nav-item")).await.expect("nav items");
        let mut labels = Vec::new();
        for item in items {
            labels.push(
                item.text()
                    .await
                    .expect("nav text")
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .trim()
                    .to_string(),
            );
        }
        labels
    }

    /// Opens a section from the left navigation.
    pub async fn open_section(&self, name: &str) {
        let xpath =
            format!("//nav[@aria-label='Sections']//button[normalize-space(.)=\"{name}\" or contains(., \"{name}\")]");
        let el = self.client.wait().at_most(WAIT).for_element(Locator::XPath(&xpath)).await.expect("nav item");
        el.click().await.expect("click nav item");
        self.css(&format!("main[aria-label=\"{name}\"]")).await;
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
        let dir = app_binary().parent().and_then(Path::parent).map(|t| t.join("e2e-screenshots")).expect("target dir");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Drives the native save dialog (tauri-plugin-dialog's `save()`, a GTK3 file chooser in the
    /// app's own process) that the UI has just opened: types `path` into it, confirms with Enter,
    /// and waits until the file exists. The app may still be writing it then: wait for the UI's
    /// confirmation before reading it.
    ///
    /// WebDriver cannot reach native windows, so this goes through X with xdotool. The dialog is
    /// the visible window titled [`SAVE_DIALOG_TITLE`] (rfd's default, used while the UI passes no
    /// `title`) whose `_NET_WM_PID` is this app's. Xvfb runs no window manager: focus stays
    /// "PointerRoot" and the new dialog does not get it, so keys typed without `windowfocus` are
    /// lost, and `windowactivate` fails (no `_NET_ACTIVE_WINDOW`). `windowfocus --sync` sets the
    /// focus; the keys then go through XTEST like a real keyboard (`type --window` would send
    /// synthetic events, which GTK ignores). In save mode the name field has focus and accepts a
    /// whole absolute path; Ctrl+A replaces the suggested name.
    pub async fn save_through_dialog(&self, path: &Path) {
        // Focus and the keyboard belong to the whole display: one dialog at a time per test binary.
        static KEYBOARD: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _keyboard = KEYBOARD.lock().await;
        assert!(path.is_absolute(), "save_through_dialog needs an absolute path, not {}", path.display());
        let text = path.to_str().expect("a UTF-8 path");
        let ours = process_tree(self.driver.id());
        let start = Instant::now();
        let window = loop {
            let found = xdotool(&["search", "--onlyvisible", "--name", &format!("^{SAVE_DIALOG_TITLE}$")]);
            let pid_of = |w: &str| xdotool(&["getwindowpid", w]).ok().and_then(|p| p.trim().parse::<u32>().ok());
            if let Some(w) = found.unwrap_or_default().lines().find(|w| pid_of(w).is_some_and(|p| ours.contains(&p))) {
                break w.to_string();
            }
            assert!(start.elapsed() < WAIT, "the app opened no {SAVE_DIALOG_TITLE:?} dialog within {WAIT:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        for args in [
            &["windowfocus", "--sync", &window][..],
            &["key", "--clearmodifiers", "ctrl+a"],
            &["type", "--delay", "5", text],
            &["key", "Return"],
        ] {
            xdotool(args).unwrap_or_else(|e| panic!("xdotool {args:?}: {e}"));
        }
        while !path.exists() {
            assert!(
                start.elapsed() < WAIT,
                "{} was not written within {WAIT:?} after typing it into the save dialog",
                path.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

/// A test that fails before [`App::close`] must not leave the app and its drivers running.
impl Drop for App {
    fn drop(&mut self) {
        self.stop_driver();
    }
}

/// Records the desktop notifications sent on the session bus: `dbus-monitor` watching
/// `org.freedesktop.Notifications.Notify` calls, which is what tauri-plugin-notification sends
/// through notify-rust on Linux. Start it before the app; the monitor stops when this is dropped.
///
/// No notification server is needed, so none runs: the bus shows monitors every message it
/// receives, including a `Notify` addressed to a name nobody owns, then answers the sender with
/// `org.freedesktop.DBus.Error.ServiceUnknown` at once. (notify-rust 4.19's `show()` then returns
/// that error within milliseconds; it does not block.) Every test of a run shares one session
/// bus, so look for text only your test sends.
pub struct NotificationWatch {
    monitor: Child,
    captured: Arc<Mutex<String>>,
}

impl NotificationWatch {
    /// Starts the monitor and waits until the bus has made it one, so no later call is missed.
    pub fn start() -> NotificationWatch {
        let mut monitor = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run dbus-monitor (package dbus-bin): {e}"));
        let stdout = monitor.stdout.take().expect("dbus-monitor's piped stdout");
        let captured = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&captured);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap_or_else(PoisonError::into_inner);
                text.push_str(&line);
                text.push('\n');
            }
        });
        let watch = NotificationWatch { monitor, captured };
        // Becoming a monitor takes the connection's unique name away: the bus says so with NameLost.
        let start = Instant::now();
        while !watch.text().contains("member=NameLost") {
            assert!(start.elapsed() < WAIT, "dbus-monitor did not become a monitor within {WAIT:?}: {}", watch.text());
            std::thread::sleep(Duration::from_millis(20));
        }
        watch
    }

    /// Waits for a `Notify` call with `needle` in it (its summary or body, say) and returns that
    /// call as dbus-monitor printed it; panics with everything captured if none comes in time.
    /// Blocks the calling thread while it polls (the app runs in its own process meanwhile).
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            // dbus-monitor starts each message on an unindented line and indents its arguments.
            let mut messages: Vec<String> = Vec::new();
            for line in text.lines() {
                match messages.last_mut() {
                    Some(message) if line.starts_with(' ') => {
                        message.push('\n');
                        message.push_str(line);
                    }
                    _ => messages.push(line.to_string()),
                }
            }
            let is_notify = |m: &String| m.starts_with("method call") && m.contains("member=Notify");
            if let Some(call) = messages.into_iter().find(|m| is_notify(m) && m.contains(needle)) {
                return call;
            }
            assert!(
                start.elapsed() < timeout,
                "no notification containing {needle:?} within {timeout:?}; dbus-monitor saw:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn text(&self) -> String {
        self.captured.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for NotificationWatch {
    fn drop(&mut self) {
        let _ = self.monitor.kill();
        let _ = self.monitor.wait();
    }
}

/// Title of the GTK save dialog when the UI's `save()` passes no `title` (rfd's default).
pub const SAVE_DIALOG_TITLE: &str = "Save File";

/// Runs xdotool on the test display: its output, or why it failed (`search` finding nothing fails).
fn xdotool(args: &[&str]) -> Result<String, String> {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run xdotool (install it: scripts/setup.sh --tests): {e}"));
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// `pid` and every process below it (tauri-driver → WebKitWebDriver → the app), from the parent
/// ids in `/proc/*/stat`.
fn process_tree(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // After the command name in parentheses (which may hold anything): state, then ppid.
            let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![pid];
    let mut next = 0;
    while let Some(&parent) = tree.get(next) {
        tree.extend(parents.iter().filter(|(_, p)| *p == parent).map(|(child, _)| *child));
        next += 1;
    }
    tree
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
