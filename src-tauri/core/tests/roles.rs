//! Profiles, roles, the idle lock and PIN back-off through the desk, with a manual clock.

use std::sync::Arc;

use chrono::Duration;
use md_core::clock::ManualClock;
use md_core::permissions::Role;
use md_core::secrets::MemorySecrets;
use md_core::store::{audit, Store};
use md_core::views::{AuditFilter, ErrorCode, ProfileForm};
use md_core::{Desk, DeskConfig};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

struct World {
    dir: tempfile::TempDir,
    _demo: Emulator,
    clock: Arc<ManualClock>,
    desk: Desk,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let demo = Emulator::start(Config::with_key(DEMO_API_KEY)).await.unwrap();
    let clock = Arc::new(ManualClock::default());
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        demo.base_url(),
        DEMO_API_KEY.into(),
    );
    config.clock = clock.clone();
    let desk = Desk::open(config).unwrap();
    World { dir, _demo: demo, clock, desk }
}

fn form(name: &str, role: Role, pin: Option<&str>) -> ProfileForm {
    ProfileForm { name: name.into(), role, pin: pin.map(str::to_string), scope: None }
}

fn records(w: &World) -> Vec<audit::AuditRecord> {
    let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    audit::all(store.conn()).unwrap()
}

#[tokio::test]
async fn a_new_pc_starts_locked_and_asks_for_the_first_owner_or_admin() {
    let w = world().await;
    let session = w.desk.session().unwrap();
    assert!(session.needs_setup && session.profile.is_none() && session.allowed.is_empty());
    assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::Locked);
    assert_eq!(w.desk.setup_first_profile("Sam", Role::Staff, "1234").unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(w.desk.setup_first_profile("Maria", Role::Owner, "12").unwrap_err().code(), ErrorCode::InvalidInput);
    let session = w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    assert_eq!(session.profile.unwrap().name, "Maria");
    assert!(!session.needs_setup);
    assert_eq!(w.desk.setup_first_profile("Eve", Role::Owner, "1111").unwrap_err().code(), ErrorCode::AlreadySetUp);
    assert!(w.desk.overview().is_ok());
}

#[tokio::test]
async fn the_desk_locks_after_being_idle() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    w.clock.advance(Duration::minutes(4));
    assert!(w.desk.overview().is_ok(), "4 minutes idle is fine, and counts as activity");
    w.clock.advance(Duration::minutes(4));
    assert!(w.desk.touch(), "still within 5 minutes of the last action");
    w.clock.advance(Duration::minutes(5) + Duration::seconds(1));
    assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::Locked);
    assert!(w.desk.session().unwrap().profile.is_none());
    let id = w.desk.session().unwrap().profiles[0].id;
    w.desk.unlock(id, "4821").unwrap();
    assert_eq!(w.desk.set_idle_lock(0).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(w.desk.set_idle_lock(1).unwrap().idle_lock_minutes, 1);
    w.clock.advance(Duration::seconds(61));
    assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::Locked);
    w.desk.unlock(id, "4821").unwrap();
    w.desk.lock().unwrap();
    assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::Locked, "locked on demand");
}

#[tokio::test]
async fn wrong_pins_back_off() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    w.desk.lock().unwrap();
    let id = w.desk.session().unwrap().profiles[0].id;
    for _ in 0..4 {
        assert_eq!(w.desk.unlock(id, "0000").unwrap_err().code(), ErrorCode::WrongPin);
    }
    let err = w.desk.unlock(id, "0000").unwrap_err();
    assert_eq!(err.code(), ErrorCode::PinLockedOut);
    assert!(err.to_string().contains("30 seconds"), "{err}");
    assert_eq!(w.desk.unlock(id, "4821").unwrap_err().code(), ErrorCode::PinLockedOut, "even the right PIN waits");
    assert_eq!(w.desk.session().unwrap().profiles[0].locked_for_seconds, Some(30));
    w.clock.advance(Duration::seconds(31));
    assert!(w.desk.unlock(id, "4821").is_ok());
}

#[tokio::test]
async fn staff_cannot_touch_money_or_settings_and_refusals_are_audited() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    w.desk.create_profile(&form("Sam", Role::Staff, Some("1357"))).unwrap();
    w.desk.lock().unwrap();
    let sam = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Sam").unwrap().id;
    let session = w.desk.unlock(sam, "1357").unwrap();
    assert_eq!(session.allowed.len(), 1, "staff may only look up payments: {:?}", session.allowed);
    assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.forget_key().unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.profiles().unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.set_idle_lock(30).unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.audit_log(&AuditFilter::default()).unwrap_err().code(), ErrorCode::RoleForbidden);
    let refused: Vec<(String, String)> =
        records(&w).into_iter().filter(|r| r.outcome == "forbidden").map(|r| (r.profile_name, r.action)).collect();
    assert_eq!(
        refused,
        [("Sam".to_string(), "connection.forget".to_string()), ("Sam".into(), "settings.idle_lock".into())]
    );
}

#[tokio::test]
async fn the_last_owner_stays_and_profile_changes_are_audited() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    let maria = w.desk.session().unwrap().profile.unwrap().id;
    assert_eq!(w.desk.delete_profile(maria).unwrap_err().code(), ErrorCode::LastAdmin);
    assert_eq!(
        w.desk.update_profile(maria, &form("Maria", Role::Manager, None)).unwrap_err().code(),
        ErrorCode::LastAdmin
    );
    let list = w.desk.create_profile(&form("Priya", Role::PlatformAdmin, Some("2468"))).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        w.desk.create_profile(&form("priya", Role::Staff, Some("2468"))).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    // Demoting yourself takes effect at once.
    w.desk.update_profile(maria, &form("Maria", Role::Manager, None)).unwrap();
    assert_eq!(w.desk.profiles().unwrap_err().code(), ErrorCode::RoleForbidden);
    let actions: Vec<(String, String)> = records(&w).into_iter().map(|r| (r.action, r.outcome)).collect();
    let expect = [
        ("profiles.setup", "succeeded"),
        ("profiles.delete", "refused"),
        ("profiles.update", "refused"),
        ("profiles.create", "succeeded"),
        ("profiles.create", "refused"),
        ("profiles.update", "succeeded"),
    ];
    assert_eq!(actions, expect.map(|(a, o)| (a.to_string(), o.to_string())));
}

#[tokio::test]
async fn the_audit_log_exports_as_csv() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    w.desk.set_idle_lock(15).unwrap();
    let entries =
        w.desk.audit_log(&AuditFilter { action: Some("settings.idle_lock".into()), ..Default::default() }).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].target.as_deref(), Some("15 minutes"));
    let path = w.dir.path().join("audit.csv");
    assert_eq!(w.desk.export_audit_log(&AuditFilter::default(), &path).unwrap(), 2);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("time,profile,role,action"));
    assert!(csv.contains(",Maria,owner,settings.idle_lock,15 minutes,"));
    let bad = w.desk.export_audit_log(&AuditFilter::default(), &w.dir.path().join("audit.exe")).unwrap_err();
    assert_eq!(bad.code(), ErrorCode::ExportFailed);
}

#[tokio::test]
async fn a_scoped_profile_sees_only_its_restaurants() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Emulator::start(Config::demo()).await.unwrap();
    let config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        demo.base_url(),
        DEMO_API_KEY.into(),
    );
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    let all = desk.refresh_overview().await.unwrap();
    assert_eq!(all.accounts.len(), 12);
    let two: Vec<String> = all.accounts.iter().take(2).map(|a| a.id.clone()).collect();
    desk.create_profile(&ProfileForm {
        name: "Lena".into(),
        role: Role::Manager,
        pin: Some("9090".into()),
        scope: Some(two.clone()),
    })
    .unwrap();
    let lena = desk.session().unwrap().profiles.iter().find(|p| p.name == "Lena").unwrap().id;
    let session = desk.unlock(lena, "9090").unwrap();
    assert_eq!(session.profile.unwrap().scope, Some(two.clone()));
    let seen: Vec<String> = desk.overview().unwrap().accounts.into_iter().map(|a| a.id).collect();
    assert_eq!(seen, two);
    let refreshed: Vec<String> = desk.refresh_overview().await.unwrap().accounts.into_iter().map(|a| a.id).collect();
    assert_eq!(refreshed, two);
}

#[tokio::test]
async fn what_the_screens_poll_does_not_keep_the_desk_unlocked() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    // Sync status, failed-payout alerts and the Overview's timed refresh run every few seconds
    // whether anyone is there or not.
    for _ in 0..5 {
        w.clock.advance(Duration::minutes(1));
        w.desk.sync_status().unwrap();
        w.desk.payout_alerts().unwrap();
        w.desk.refresh_overview().await.unwrap();
    }
    w.clock.advance(Duration::seconds(1));
    assert_eq!(w.desk.payout_alerts().unwrap_err().code(), ErrorCode::Locked);
    assert_eq!(w.desk.sync_status().unwrap_err().code(), ErrorCode::Locked);
}
