//! The harness reaches outside the web view: a CSV export saved through the native GTK save dialog,
//! and desktop notifications seen on the session bus.

use std::process::Command;
use std::time::Duration;

use md_e2e::{App, Launch, NotificationWatch};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_exports_csv_through_the_save_dialog() {
    let app = App::launch(Launch::default()).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Settings").await;
    app.click_button("Audit log").await;
    app.wait_for_text("table[aria-label='Audit records']", "profiles.setup").await;

    let out = tempfile::tempdir().expect("temp dir");
    let path = out.path().join("audit export.csv");
    app.click_button("Export CSV").await;
    app.save_through_dialog(&path).await;
    app.wait_for_text(".notice.success[role='status']", "records saved to").await;

    let csv = std::fs::read_to_string(&path).expect("read the exported CSV");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("time,profile,role,action,target,amount,currency,idempotency_key,request_id,outcome,detail")
    );
    assert!(lines.any(|l| l.contains("Maria") && l.contains("profiles.setup")), "no set-up record in:\n{csv}");
    app.close().await;
}

#[test]
fn notifications_are_seen_on_the_session_bus() {
    let watch = NotificationWatch::start();
    // What notify-rust sends: app name, replaces id, icon, summary, body, actions, hints, timeout.
    // Nobody owns org.freedesktop.Notifications in the test session, so the bus answers
    // ServiceUnknown (gdbus fails), as it would the app; the call is seen all the same.
    let _ = Command::new("gdbus")
        .args(["call", "--session", "--dest", "org.freedesktop.Notifications"])
        .args(["--object-path", "/org/freedesktop/Notifications", "--method"])
        .args(["org.freedesktop.Notifications.Notify", "merchant-desk", "0", "", "Payout failed"])
        .args(["Sakura Kitchen: bank account closed", "@as []", "@a{sv} {}", "5000"])
        .output()
        .expect("run gdbus (package libglib2.0-bin)");

    let call = watch.wait_for("Payout failed", Duration::from_secs(5));
    assert!(call.contains("string \"Sakura Kitchen: bank account closed\""), "{call}");
}
