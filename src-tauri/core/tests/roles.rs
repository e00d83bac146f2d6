//! Profiles, roles, the idle lock and PIN back-off through the desk, with a manual clock; and
//! the rules of who may grant what, who sees what, and how PINs are kept.

use std::sync::Arc;

use chrono::Duration;
use md_core::clock::ManualClock;
use md_core::permissions::{Action, Role};
use md_core::profiles::{PinCost, ProfileInput};
use md_core::secrets::{MemorySecrets, SecretStore, PIN_PEPPER};
use md_core::store::{audit, Store};
use md_core::views::{AuditFilter, ErrorCode, HistoryFilter, ProfileForm, ProfileView};
use md_core::{Desk, DeskConfig};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

struct World {
    dir: tempfile::TempDir,
    _demo: Emulator,
    clock: Arc<ManualClock>,
    secrets: Arc<MemorySecrets>,
    desk: Desk,
}

async fn world() -> World {
    world_with(Config::with_key(DEMO_API_KEY)).await
}

/// A desk over `emulator`, hashing PINs at the test cost (the app's default is checked below).
async fn world_with(emulator: Config) -> World {
    let dir = tempfile::tempdir().unwrap();
    let demo = Emulator::start(emulator).await.unwrap();
    let clock = Arc::new(ManualClock::default());
    let secrets = Arc::new(MemorySecrets::default());
    let desk = open(&dir, &demo, &clock, &secrets);
    World { dir, _demo: demo, clock, secrets, desk }
}

fn open(dir: &tempfile::TempDir, demo: &Emulator, clock: &Arc<ManualClock>, secrets: &Arc<MemorySecrets>) -> Desk {
    let mut config = DeskConfig::new(dir.path().to_path_buf(), secrets.clone(), demo.base_url(), DEMO_API_KEY.into());
    config.clock = clock.clone();
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    Desk::open(config).unwrap()
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

/// What the shell's lock watcher sleeps on: the time left before the idle lock, and the lock itself.
#[tokio::test]
async fn the_time_left_before_the_idle_lock_is_known_without_asking_again() {
    let w = world().await;
    assert_eq!(w.desk.idle_lock_in(), None, "nobody signed in");
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    assert_eq!(w.desk.idle_lock_in(), Some(std::time::Duration::from_secs(300)));
    w.clock.advance(Duration::minutes(2));
    assert_eq!(w.desk.idle_lock_in(), Some(std::time::Duration::from_secs(180)));
    assert!(w.desk.touch());
    assert_eq!(w.desk.idle_lock_in(), Some(std::time::Duration::from_secs(300)), "activity postpones it");
    w.clock.advance(Duration::minutes(4));
    assert!(!w.desk.lock_if_idle(), "4 minutes idle is not 5");
    assert_eq!(w.desk.idle_lock_in(), Some(std::time::Duration::from_secs(60)), "checking is not activity");
    w.clock.advance(Duration::seconds(61));
    assert_eq!(w.desk.idle_lock_in(), Some(std::time::Duration::ZERO), "overdue, not yet locked");
    assert!(w.desk.lock_if_idle());
    assert_eq!(w.desk.idle_lock_in(), None);
    assert!(w.desk.session().unwrap().profile.is_none());
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
    assert_eq!(
        session.allowed,
        [Action::ViewPayments, Action::RefundPayment],
        "staff only look up and refund payments"
    );
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
    let list = w.desk.create_profile(&form("Priya", Role::Owner, Some("2468"))).unwrap();
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
    let w = world_with(Config::demo()).await;
    let desk = &w.desk;
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

fn id_of(desk: &Desk, name: &str) -> i64 {
    desk.session().unwrap().profiles.iter().find(|p| p.name == name).map(|p| p.id).unwrap()
}

fn scoped(name: &str, role: Role, pin: Option<&str>, scope: &[&String]) -> ProfileForm {
    ProfileForm { scope: Some(scope.iter().map(|s| s.to_string()).collect()), ..form(name, role, pin) }
}

/// Every profile as stored, PIN hash included: what "nothing changed" compares.
fn stored_profiles(w: &World) -> Vec<(String, String, String, Option<String>)> {
    let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let mut stmt =
        store.conn().prepare("SELECT name, role, pin_hash, scope_accounts FROM profiles ORDER BY id").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// `(action, target)` of the records refused so far.
fn refusals(w: &World) -> Vec<(String, String)> {
    records(w)
        .into_iter()
        .filter(|r| r.outcome == "refused")
        .map(|r| (r.action, r.target.unwrap_or_default()))
        .collect()
}

/// Checks that `attempt` is refused with `code`, changes no profile, and is audited as refused.
fn refused(w: &World, code: ErrorCode, attempt: impl FnOnce() -> Result<Vec<ProfileView>, md_core::DeskError>) {
    let (before, audited) = (stored_profiles(w), refusals(w).len());
    let err = attempt().unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(stored_profiles(w), before, "a refused change changed profiles: {err}");
    assert_eq!(refusals(w).len(), audited + 1, "not audited as refused: {err}");
}

/// The demo group, refreshed, with Maria (owner of everything) signed in; and its account IDs.
async fn demo_group() -> (World, Vec<String>) {
    let w = world_with(Config::demo()).await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    let accounts = w.desk.refresh_overview().await.unwrap().accounts.into_iter().map(|a| a.id).collect();
    (w, accounts)
}

#[tokio::test]
async fn a_profile_grants_no_more_than_it_has() {
    let (w, acct) = demo_group().await;
    let (a, b, c) = (&acct[0], &acct[1], &acct[2]);
    w.desk.create_profile(&scoped("Olga", Role::Owner, Some("1357"), &[a, b])).unwrap();
    w.desk.create_profile(&scoped("Sam", Role::Staff, Some("2468"), &[b])).unwrap();
    w.desk.unlock(id_of(&w.desk, "Olga"), "1357").unwrap();
    // Olga owns two restaurants: no role above owner, no restaurant she cannot see herself.
    refused(&w, ErrorCode::RoleForbidden, || w.desk.create_profile(&form("Ada", Role::PlatformAdmin, Some("1111"))));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.create_profile(&form("Ben", Role::Staff, Some("1111"))));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.create_profile(&scoped("Ben", Role::Staff, Some("1111"), &[a, c])));
    let sam = id_of(&w.desk, "Sam");
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(sam, &form("Sam", Role::Staff, None)));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(sam, &scoped("Sam", Role::Staff, None, &[c])));
    // Nor may she touch a profile that sees more than she does.
    let maria = id_of(&w.desk, "Maria");
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(maria, &scoped("Maria", Role::Owner, None, &[a])));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.delete_profile(maria));
    // Within her own scope she may.
    w.desk.create_profile(&scoped("Ben", Role::Manager, Some("1111"), &[a])).unwrap();
    let list = w.desk.update_profile(sam, &scoped("Sam", Role::Staff, None, &[a, b])).unwrap();
    // Her list shows herself and the profiles she manages, not Maria (whose scope is all).
    let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ben", "Olga", "Sam"]);
    assert_eq!(refusals(&w).len(), 7);
}

#[tokio::test]
async fn nobody_widens_their_own_scope_or_raises_their_own_role() {
    let (w, acct) = demo_group().await;
    let (a, b, c) = (&acct[0], &acct[1], &acct[2]);
    w.desk.create_profile(&scoped("Olga", Role::Owner, Some("1357"), &[a, b])).unwrap();
    let olga = id_of(&w.desk, "Olga");
    w.desk.unlock(olga, "1357").unwrap();
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(olga, &form("Olga", Role::Owner, None)));
    refused(&w, ErrorCode::RoleForbidden, || {
        w.desk.update_profile(olga, &scoped("Olga", Role::Owner, None, &[a, b, c]))
    });
    refused(&w, ErrorCode::RoleForbidden, || {
        w.desk.update_profile(olga, &scoped("Olga", Role::PlatformAdmin, None, &[a, b]))
    });
    // Narrowing is fine, and then the narrower scope is hers: she cannot take it back.
    w.desk.update_profile(olga, &scoped("Olga", Role::Owner, None, &[a])).unwrap();
    assert_eq!(w.desk.session().unwrap().profile.unwrap().scope, Some(vec![a.clone()]));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(olga, &scoped("Olga", Role::Owner, None, &[a, b])));
    // An owner of everything cannot make herself a platform admin either.
    w.desk.unlock(id_of(&w.desk, "Maria"), "4821").unwrap();
    let maria = id_of(&w.desk, "Maria");
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(maria, &form("Maria", Role::PlatformAdmin, None)));
}

#[tokio::test]
async fn only_a_platform_admin_manages_a_platform_admin() {
    let w = world().await;
    w.desk.setup_first_profile("Priya", Role::PlatformAdmin, "9876").unwrap();
    w.desk.create_profile(&form("Ava", Role::PlatformAdmin, Some("5555"))).unwrap();
    w.desk.create_profile(&form("Maria", Role::Owner, Some("4821"))).unwrap();
    let ava = id_of(&w.desk, "Ava");
    w.desk.unlock(id_of(&w.desk, "Maria"), "4821").unwrap();
    refused(&w, ErrorCode::RoleForbidden, || w.desk.create_profile(&form("Eve", Role::PlatformAdmin, Some("1111"))));
    // An owner cannot set an admin's PIN and then sign in as the admin…
    refused(&w, ErrorCode::RoleForbidden, || {
        w.desk.update_profile(ava, &form("Ava", Role::PlatformAdmin, Some("1111")))
    });
    assert_eq!(w.desk.unlock(ava, "1111").unwrap_err().code(), ErrorCode::WrongPin);
    w.desk.unlock(id_of(&w.desk, "Maria"), "4821").unwrap();
    // …nor demote, rename or remove one.
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(ava, &form("Ava", Role::Staff, None)));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.update_profile(ava, &form("Eve", Role::PlatformAdmin, None)));
    refused(&w, ErrorCode::RoleForbidden, || w.desk.delete_profile(ava));
    // The sentence says who may.
    let err = w.desk.delete_profile(ava).unwrap_err();
    assert!(err.to_string().contains("only a platform admin"), "{err}");
    // A platform admin may.
    w.desk.unlock(id_of(&w.desk, "Priya"), "9876").unwrap();
    w.desk.update_profile(ava, &form("Ava", Role::PlatformAdmin, Some("2222"))).unwrap();
    assert!(w.desk.unlock(ava, "2222").is_ok());
}

#[tokio::test]
async fn scoped_profiles_see_only_their_restaurants_balances_and_records() {
    let (w, acct) = demo_group().await;
    let (a, b, c) = (&acct[0], &acct[1], &acct[2]);
    // Maria sees the platform's own money; the audit log gets rows about several places.
    assert!(!w.desk.overview().unwrap().platform_balance.is_empty());
    assert!(w.desk.balances().unwrap().iter().any(|s| s.account.is_empty()));
    w.desk.set_idle_lock(15).unwrap();
    w.desk.create_profile(&scoped("Olga", Role::Owner, Some("1357"), &[a, b])).unwrap();
    {
        let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        for target in [a, c] {
            let record = audit::AuditRecord {
                profile_id: Some(id_of(&w.desk, "Maria")),
                profile_name: "Maria".into(),
                role: "owner".into(),
                action: "payouts.schedule".into(),
                target: Some(target.clone()),
                outcome: "succeeded".into(),
                ..Default::default()
            };
            audit::append(store.conn(), &record).unwrap();
        }
    }
    w.desk.unlock(id_of(&w.desk, "Olga"), "1357").unwrap();
    let _ = w.desk.create_profile(&form("Ben", Role::Staff, Some("1111")));

    let overview = w.desk.overview().unwrap();
    assert!(overview.platform_balance.is_empty(), "the platform's balance is not a restaurant's");
    assert_eq!(overview.accounts.iter().map(|x| &x.id).collect::<Vec<_>>(), [a, b]);
    let balances: Vec<String> = w.desk.balances().unwrap().into_iter().map(|s| s.account).collect();
    assert!(!balances.is_empty() && balances.iter().all(|id| id == a || id == b), "{balances:?}");
    let platform = HistoryFilter { account: String::new(), ..Default::default() };
    assert_eq!(w.desk.balance_history(&platform, 0, 10).unwrap_err().code(), ErrorCode::RoleForbidden);
    let history = HistoryFilter { account: c.clone(), ..Default::default() };
    assert_eq!(w.desk.balance_history(&history, 0, 10).unwrap_err().code(), ErrorCode::RoleForbidden);

    // The log: her own refused attempt, and the row about her restaurant; nothing platform-wide.
    let seen: Vec<(String, String)> = w
        .desk
        .audit_log(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.target.unwrap_or_default()))
        .collect();
    assert_eq!(seen, [("profiles.create".to_string(), "Ben".to_string()), ("payouts.schedule".into(), a.clone())]);
    let path = w.dir.path().join("audit.csv");
    assert_eq!(w.desk.export_audit_log(&AuditFilter::default(), &path).unwrap(), 2);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(!csv.contains(c.as_str()) && !csv.contains("settings.idle_lock") && !csv.contains("profiles.setup"));
}

#[tokio::test]
async fn a_scope_lists_known_restaurants_only() {
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    // Nothing synced yet: no restaurant is known, so none can be given.
    let id = "acct_1WellFormedButUnknown".to_string();
    refused(&w, ErrorCode::InvalidInput, || w.desk.create_profile(&scoped("Sam", Role::Staff, Some("1357"), &[&id])));

    let (w, acct) = demo_group().await;
    let a = &acct[0];
    let unknown = "acct_1NotARestaurantOfOurs".to_string();
    let blank = String::new();
    for scope in [vec![a, &unknown], vec![&blank], vec![&"acct_1; DROP TABLE".to_string()]] {
        let err = w.desk.create_profile(&scoped("Sam", Role::Staff, Some("1357"), &scope)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{scope:?}: {err}");
        assert!(err.to_string().contains("restaurant"), "{err}");
    }
    assert!(w.desk.create_profile(&scoped("Sam", Role::Staff, Some("1357"), &[a])).is_ok());
    let sam = id_of(&w.desk, "Sam");
    refused(&w, ErrorCode::InvalidInput, || {
        w.desk.update_profile(sam, &scoped("Sam", Role::Staff, None, &[a, &unknown]))
    });
    refused(&w, ErrorCode::InvalidInput, || w.desk.update_profile(sam, &scoped("Sam", Role::Staff, None, &[&blank])));
    // A repeated restaurant is kept once.
    let list = w.desk.update_profile(sam, &scoped("Sam", Role::Staff, None, &[a, a])).unwrap();
    assert_eq!(list.iter().find(|p| p.id == sam).unwrap().scope, Some(vec![a.clone()]));
    assert_eq!(refusals(&w).len(), 5);
}

#[tokio::test]
async fn a_name_is_printable_text_of_sensible_length() {
    let w = world().await;
    assert_eq!(
        w.desk.setup_first_profile("Ma\u{202E}ria", Role::Owner, "4821").unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    w.desk.setup_first_profile("  Maria  ", Role::Owner, "4821").unwrap();
    assert_eq!(w.desk.session().unwrap().profile.unwrap().name, "Maria");
    let long = "é".repeat(61);
    for bad in [
        "",
        "   ",
        &long,
        "Sam\u{0}",
        "Sa\nm",
        "Sam\u{1b}[31m",
        "\u{202E}maS",
        "S\u{2066}am",
        "Sa\u{200F}m",
        "S\u{061C}am",
    ] {
        let err = w.desk.create_profile(&form(bad, Role::Staff, Some("1357"))).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{bad:?}");
    }
    let maria = id_of(&w.desk, "Maria");
    refused(&w, ErrorCode::InvalidInput, || w.desk.update_profile(maria, &form("Ma\u{202E}ria", Role::Owner, None)));
    refused(&w, ErrorCode::InvalidInput, || w.desk.update_profile(maria, &form("", Role::Owner, None)));
    let list = w.desk.create_profile(&form(&"é".repeat(60), Role::Staff, Some("1357"))).unwrap();
    assert_eq!(list.len(), 2);
    // Refused names are recorded, but their hidden characters are not written to the log.
    let targets: String = records(&w).into_iter().filter_map(|r| r.target).collect();
    assert!(!targets.chars().any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)), "{targets:?}");
}

#[tokio::test]
async fn no_debug_prints_a_pin() {
    let editor = ProfileForm { name: "Sam".into(), role: Role::Staff, pin: Some("48213579".into()), scope: None };
    let input = ProfileInput { name: Some("Sam".into()), pin: Some("48213579".into()), ..Default::default() };
    for shown in [format!("{editor:?}"), format!("{input:?}"), format!("{editor:#?}")] {
        assert!(!shown.contains("48213579") && shown.contains("redacted"), "{shown}");
    }
    // Nor does anything the desk writes: database, WAL, audit log.
    let w = world().await;
    w.desk.setup_first_profile("Maria", Role::Owner, "48213579").unwrap();
    let _ = w.desk.create_profile(&form("Sa\nm", Role::Staff, Some("97531864")));
    let pepper = w.secrets.get(PIN_PEPPER).unwrap().unwrap();
    let pepper_key = pepper.rsplit('.').next().unwrap();
    assert_eq!(pepper_key.len(), 64, "32 bytes, in hex");
    for entry in std::fs::read_dir(w.dir.path()).unwrap() {
        let bytes = String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).to_string();
        for secret in ["48213579", "97531864", pepper_key] {
            assert!(!bytes.contains(secret), "{secret} written to disk");
        }
    }
}

#[tokio::test]
async fn pins_are_peppered_from_the_keyring_and_old_hashes_are_upgraded() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    // The app hashes at the strong cost; only tests lower it.
    let demo = Emulator::start(Config::with_key(DEMO_API_KEY)).await.unwrap();
    let config = DeskConfig::new(
        "/nonexistent".into(),
        Arc::new(MemorySecrets::default()),
        demo.base_url(),
        DEMO_API_KEY.into(),
    );
    assert_eq!(config.pin_cost, PinCost::STRONG);
    assert!(config.pin_cost.m_kib >= 64 * 1024 && config.pin_cost.t >= 3, "{:?}", config.pin_cost);

    // Without a keyring there is no pepper, so no PIN is set (and nothing is created).
    let w = world().await;
    w.secrets.set_broken(true);
    assert_eq!(
        w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap_err().code(),
        ErrorCode::KeyringUnavailable
    );
    assert!(stored_profiles(&w).is_empty());
    w.secrets.set_broken(false);
    w.desk.setup_first_profile("Maria", Role::Owner, "4821").unwrap();
    let pepper = w.secrets.get(PIN_PEPPER).unwrap().expect("the pepper is in the keyring");
    let hash = stored_profiles(&w)[0].2.clone();
    assert!(hash.starts_with("$argon2id$v=19$m=256,t=1,p=1,keyid="), "{hash}");

    // A hash from before the pepper still opens, and is replaced by a peppered one.
    let legacy =
        argon2::Argon2::default().hash_password(b"4821", &SaltString::generate(&mut OsRng)).unwrap().to_string();
    let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    store.conn().execute("UPDATE profiles SET pin_hash = ?1", [&legacy]).unwrap();
    let maria = id_of(&w.desk, "Maria");
    w.desk.lock().unwrap();
    assert_eq!(w.desk.unlock(maria, "1111").unwrap_err().code(), ErrorCode::WrongPin);
    assert!(w.desk.unlock(maria, "4821").is_ok());
    let upgraded = stored_profiles(&w)[0].2.clone();
    assert!(upgraded != legacy && upgraded.contains("keyid="), "{upgraded}");

    // The keyring locked: a peppered PIN cannot be checked, and that is not a wrong PIN.
    w.desk.lock().unwrap();
    let reopened = open(&w.dir, &w._demo, &w.clock, &w.secrets);
    w.secrets.set_broken(true);
    for _ in 0..6 {
        assert_eq!(reopened.unlock(maria, "4821").unwrap_err().code(), ErrorCode::KeyringUnavailable);
    }
    w.secrets.set_broken(false);
    assert!(reopened.unlock(maria, "4821").is_ok(), "no back-off was counted");

    // The pepper lost (another keyring): said so, rather than "wrong PIN".
    let other = Arc::new(MemorySecrets::default());
    let elsewhere = open(&w.dir, &w._demo, &w.clock, &other);
    let err = elsewhere.unlock(maria, "4821").unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyringUnavailable);
    assert!(err.to_string().contains("PIN key"), "{err}");
    assert_eq!(w.secrets.get(PIN_PEPPER).unwrap(), Some(pepper), "the pepper is made once and kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_limited_to_some_restaurants_may_not_touch_the_platforms_stripe_connection() {
    let (w, acct) = demo_group().await;
    w.desk.create_profile(&scoped("Olga", Role::Owner, Some("1357"), &[&acct[0]])).unwrap();
    w.desk.unlock(id_of(&w.desk, "Olga"), "1357").unwrap();
    let before = w.desk.session().unwrap().connection;
    assert_eq!(w.desk.forget_key().unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(
        w.desk.connect("sk_test_51AnotherPlatformKey0000000", None).await.unwrap_err().code(),
        ErrorCode::RoleForbidden
    );
    let after = w.desk.session().unwrap().connection;
    assert_eq!((after.mode, after.masked_key), (before.mode, before.masked_key));
    let refused =
        records(&w).into_iter().filter(|r| r.action.starts_with("connection.") && r.outcome == "refused").count();
    assert_eq!(refused, 2);
}
