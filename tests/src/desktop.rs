//! What lies outside the web view: the native save dialog (driven through X with xdotool) and
//! desktop notifications (seen on the session bus with dbus-monitor).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::{App, WAIT};

/// Title of the GTK save dialog when the UI's `save()` passes no `title` (rfd's default).
pub const SAVE_DIALOG_TITLE: &str = "Save File";

/// Title of the GTK open dialog when the UI's `open()` passes no `title` (rfd's default).
const OPEN_DIALOG_TITLE: &str = "Open File";

/// Focus and the keyboard belong to the whole display: one native dialog at a time per test binary.
static KEYBOARD: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl App {
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
    /// whole absolute path; Ctrl+A replaces the suggested name. Should the dialog still be open a
    /// while after Return with nothing written (keys sent before GTK was ready for them), the whole
    /// entry is typed again.
    pub async fn save_through_dialog(&self, path: &Path) {
        let _keyboard = KEYBOARD.lock().await;
        assert!(path.is_absolute(), "save_through_dialog needs an absolute path, not {}", path.display());
        let text = path.to_str().expect("a UTF-8 path");
        let ours = process_tree(self.driver.id());
        let start = Instant::now();
        let dialog = || visible_window_of(SAVE_DIALOG_TITLE, &ours);
        let mut typed_at: Option<Instant> = None;
        while !path.exists() {
            assert!(
                start.elapsed() < WAIT,
                "{} was not written within {WAIT:?}: {}",
                path.display(),
                if typed_at.is_some() { "typed into the save dialog" } else { "the app opened no save dialog" }
            );
            let retype = typed_at.is_none_or(|at| at.elapsed() > Duration::from_secs(5));
            if let Some(window) = dialog().filter(|_| retype) {
                for args in [
                    &["windowfocus", "--sync", &window][..],
                    &["key", "--clearmodifiers", "ctrl+a"],
                    &["type", "--delay", "5", text],
                    &["key", "Return"],
                ] {
                    xdotool(args).unwrap_or_else(|e| panic!("xdotool {args:?}: {e}"));
                }
                typed_at = Some(Instant::now());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl App {
    /// Drives the native open dialog (tauri-plugin-dialog's `open()`, a GTK3 file chooser in the
    /// app's own process) that the UI has just opened, or is about to open: picks the file at
    /// `path` and returns once the dialog has closed. The UI then reads the file: wait for what it
    /// shows of it.
    ///
    /// Like [`App::save_through_dialog`], through X with xdotool (see there why `windowfocus` and
    /// XTEST keys). In open mode the file list has the focus; Ctrl+L opens the location bar (typing
    /// a `/` would too), Ctrl+A replaces whatever it holds (the folder shown), and Return on a
    /// file's full path picks it. The location bar completes names as they are typed, so pick
    /// files whose names are not the start of another's in the same folder. Should the dialog
    /// still be open a while after Return (keys sent before GTK was ready for them, or Return taken
    /// by the completion list), the whole entry is typed again.
    pub async fn open_through_dialog(&self, path: &Path) {
        let _keyboard = KEYBOARD.lock().await;
        assert!(path.is_absolute(), "open_through_dialog needs an absolute path, not {}", path.display());
        assert!(path.is_file(), "{} is not a file to pick", path.display());
        let text = path.to_str().expect("a UTF-8 path");
        let ours = process_tree(self.driver.id());
        let start = Instant::now();
        let mut typed_at: Option<Instant> = None;
        loop {
            let window = visible_window_of(OPEN_DIALOG_TITLE, &ours);
            match (window, typed_at) {
                // Typed, and the dialog is gone: the file was picked.
                (None, Some(_)) => return,
                (None, None) => {
                    assert!(start.elapsed() < WAIT, "the app opened no open dialog within {WAIT:?}");
                }
                (Some(window), _) => {
                    assert!(start.elapsed() < WAIT, "the open dialog did not take {} within {WAIT:?}", path.display());
                    if typed_at.is_none_or(|at| at.elapsed() > Duration::from_secs(5)) {
                        for args in [
                            &["windowfocus", "--sync", &window][..],
                            &["key", "--clearmodifiers", "ctrl+l"],
                            &["key", "--clearmodifiers", "ctrl+a"],
                            &["type", "--delay", "5", text],
                            &["key", "Return"],
                        ] {
                            xdotool(args).unwrap_or_else(|e| panic!("xdotool {args:?}: {e}"));
                        }
                        typed_at = Some(Instant::now());
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The visible window titled exactly `title` that belongs to one of the processes `ours`.
fn visible_window_of(title: &str, ours: &[u32]) -> Option<String> {
    let found = xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]);
    let pid_of = |w: &str| xdotool(&["getwindowpid", w]).ok().and_then(|p| p.trim().parse::<u32>().ok());
    found.unwrap_or_default().lines().find(|w| pid_of(w).is_some_and(|p| ours.contains(&p))).map(String::from)
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
        // That alone does not prove the match rule is in place, so a probe call of our own must
        // come through too before any test relies on the watch.
        let start = Instant::now();
        while !watch.text().contains("member=NameLost") {
            assert!(start.elapsed() < WAIT, "dbus-monitor did not become a monitor within {WAIT:?}: {}", watch.text());
            std::thread::sleep(Duration::from_millis(20));
        }
        static PROBES: AtomicU32 = AtomicU32::new(0);
        let probe =
            format!("merchant-desk-watch-probe-{}-{}", std::process::id(), PROBES.fetch_add(1, Ordering::Relaxed));
        let mut sent = Instant::now() - Duration::from_secs(1);
        while !watch.text().contains(&probe) {
            assert!(start.elapsed() < WAIT, "dbus-monitor saw no probe call within {WAIT:?}: {}", watch.text());
            if sent.elapsed() >= Duration::from_millis(500) {
                // A Notify nobody answers (no reply is asked for); only monitors see it.
                let _ = Command::new("dbus-send")
                    .args(["--session", "--type=method_call", "--dest=org.freedesktop.Notifications"])
                    .args(["/org/freedesktop/Notifications", "org.freedesktop.Notifications.Notify"])
                    .arg(format!("string:{probe}"))
                    .status();
                sent = Instant::now();
            }
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
