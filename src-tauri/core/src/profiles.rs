//! Local profiles: who uses this PC, in which role, seeing which restaurants, unlocking with a PIN.
//!
//! PINs (4–8 digits) are hashed with Argon2id and a pepper from the OS keyring ([`pin`]); five
//! wrong PINs lock the profile for a delay that doubles with every further failure. The last owner
//! or platform admin can be neither deleted nor demoted, so nobody can lock the group out of its
//! own settings; and nobody grants more than they have ([`rules`]).

pub mod pin;
pub mod rules;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension};

pub use pin::{Pepper, PinCost};
pub use rules::check_pin;

use crate::permissions::Role;
use crate::store::StoreError;

/// Wrong PINs allowed before the profile is locked.
pub const FREE_ATTEMPTS: i64 = 5;
/// First lock-out; it doubles with each further wrong PIN, up to [`MAX_LOCKOUT`].
pub const FIRST_LOCKOUT: Duration = Duration::seconds(30);
pub const MAX_LOCKOUT: Duration = Duration::minutes(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// Connected accounts this profile may see; `None` means all.
    pub scope: Option<Vec<String>>,
    pub failed_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Why a profile change or a PIN was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("a PIN is 4 to 8 digits")]
    BadPin,
    #[error("a name is 1 to 60 characters, not counting spaces at either end")]
    BadName,
    #[error(
        "a name may contain only printable characters: no control characters, line breaks or text-direction marks"
    )]
    NameNotPrintable,
    #[error("another profile is already called “{0}”")]
    DuplicateName(String),
    #[error("no profile with ID {0}")]
    NotFound(i64),
    #[error("this is the last owner or platform admin; add another one first")]
    LastAdmin,
    #[error("wrong PIN; {attempts_left} attempts left before the profile is locked")]
    WrongPin { attempts_left: i64 },
    #[error("too many wrong PINs; try again in {seconds} seconds")]
    LockedOut { seconds: i64 },
    #[error("Merchant Desk is already set up; sign in with a profile")]
    AlreadySetUp,
    #[error("the first profile must be an owner or a platform admin")]
    FirstMustBeAdmin,
    #[error("you may not give the role “{}”: it is above your own", .0.label())]
    RoleAboveYours(Role),
    #[error("you may only give access to restaurants you can see yourself")]
    ScopeWiderThanYours,
    #[error("only a platform admin may change, remove or reset the PIN of a platform admin")]
    AdminsOnly,
    #[error("this profile has a higher role or sees more restaurants than yours, so you may not change or remove it")]
    Outranked,
    #[error("{}", unknown_account(.0))]
    UnknownAccount(String),
    #[error("the PIN key in the system keyring is missing or was replaced, so this PIN cannot be checked; restore the keyring (or its backup) this PIN was set with")]
    PinKeyMissing,
}

fn unknown_account(id: &str) -> String {
    if id.is_empty() {
        "a restaurant in the list is empty; choose restaurants from the list".into()
    } else {
        format!("“{id}” is not a connected account known here; sync, then choose restaurants from the list")
    }
}

fn row_to_profile(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(i64, String, String, Option<String>, i64, Option<String>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn build(raw: (i64, String, String, Option<String>, i64, Option<String>)) -> Result<Profile, StoreError> {
    let (id, name, role, scope, failed_attempts, locked_until) = raw;
    let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("profile {id} has role {role}")))?;
    let scope = scope
        .map(|s| serde_json::from_str::<Vec<String>>(&s))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("profile {id} scope: {e}")))?;
    let locked_until = locked_until.and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc));
    Ok(Profile { id, name, role, scope, failed_attempts, locked_until })
}

const COLUMNS: &str = "id, name, role, scope_accounts, failed_attempts, locked_until";

pub fn list(conn: &Connection) -> Result<Vec<Profile>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM profiles ORDER BY name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], row_to_profile)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(build).collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Profile>, StoreError> {
    let raw =
        conn.query_row(&format!("SELECT {COLUMNS} FROM profiles WHERE id = ?1"), [id], row_to_profile).optional()?;
    raw.map(build).transpose()
}

fn admins(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM profiles WHERE role IN ('owner', 'platform_admin')", [], |r| r.get(0))?)
}

/// What a new or changed profile looks like; `None` keeps what an edited profile has.
#[derive(Clone, Default)]
pub struct ProfileInput {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub pin: Option<String>,
    pub scope: Option<Option<Vec<String>>>,
}

/// Never prints the PIN, so a logged or panicking input cannot leak it.
impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("scope", &self.scope)
            .finish()
    }
}

/// How new PIN hashes are made: the cost, and the pepper from the keyring.
#[derive(Debug, Clone, Copy)]
pub struct PinKey<'a> {
    pub cost: PinCost,
    pub pepper: &'a Pepper,
}

/// Creates a profile; returns its ID. `actor` is who creates it; `None` is the set-up of an
/// empty PC (the first owner or admin).
pub fn create(
    conn: &Connection,
    input: &ProfileInput,
    now: DateTime<Utc>,
    actor: Option<&Profile>,
    key: Option<PinKey<'_>>,
) -> Result<Result<i64, ProfileError>, StoreError> {
    let count: i64 = conn.query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
    let role = input.role.unwrap_or(Role::Staff);
    if actor.is_none() {
        if count > 0 {
            return Ok(Err(ProfileError::AlreadySetUp));
        }
        if !matches!(role, Role::Owner | Role::PlatformAdmin) {
            return Ok(Err(ProfileError::FirstMustBeAdmin));
        }
    }
    let name = match rules::check_name(input.name.as_deref().unwrap_or_default()) {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    let Some(pin) = input.pin.as_deref() else { return Ok(Err(ProfileError::BadPin)) };
    if let Err(e) = check_pin(pin) {
        return Ok(Err(e));
    }
    let scope = input.scope.clone().flatten();
    if let Some(actor) = actor {
        if let Err(e) = rules::may_give(actor, role, &scope) {
            return Ok(Err(e));
        }
    }
    let scope = match rules::check_scope(conn, &scope, &[])? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    if name_taken(conn, &name, None)? {
        return Ok(Err(ProfileError::DuplicateName(name)));
    }
    let key = key.ok_or_else(no_key)?;
    conn.execute(
        "INSERT INTO profiles (name, role, pin_hash, scope_accounts, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), pin::hash(pin, key.cost, key.pepper)?, scope_json(scope), now.to_rfc3339()],
    )?;
    Ok(Ok(conn.last_insert_rowid()))
}

/// A caller bug: a PIN to hash but no key given.
fn no_key() -> StoreError {
    StoreError::Corrupt("a new PIN arrived without the PIN key".into())
}

fn scope_json(scope: Option<Vec<String>>) -> Option<String> {
    scope.map(|s| serde_json::Value::from(s).to_string())
}

fn name_taken(conn: &Connection, name: &str, except: Option<i64>) -> Result<bool, StoreError> {
    let found: Option<i64> =
        conn.query_row("SELECT id FROM profiles WHERE name = ?1 COLLATE NOCASE", [name], |r| r.get(0)).optional()?;
    Ok(found.is_some_and(|id| Some(id) != except))
}

/// Changes name, role, PIN or scope, as `actor`. Everything is checked before anything is
/// written: the actor may manage this profile and give what it asks for, and the last owner or
/// admin is not demoted. `key` is needed only when the input has a PIN.
pub fn update(
    conn: &Connection,
    id: i64,
    input: &ProfileInput,
    actor: &Profile,
    key: Option<PinKey<'_>>,
) -> Result<Result<(), ProfileError>, StoreError> {
    let Some(current) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    if let Err(e) = rules::may_manage(actor, &current) {
        return Ok(Err(e));
    }
    let name = match input.name.as_deref().map(rules::check_name).transpose() {
        Ok(n) => n.unwrap_or_else(|| current.name.clone()),
        Err(e) => return Ok(Err(e)),
    };
    let role = input.role.unwrap_or(current.role);
    let scope = input.scope.clone().unwrap_or_else(|| current.scope.clone());
    if let Err(e) = rules::may_give(actor, role, &scope) {
        return Ok(Err(e));
    }
    let scope = match rules::check_scope(conn, &scope, current.scope.as_deref().unwrap_or_default())? {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    if name_taken(conn, &name, Some(id))? {
        return Ok(Err(ProfileError::DuplicateName(name)));
    }
    let was_admin = matches!(current.role, Role::Owner | Role::PlatformAdmin);
    let stays_admin = matches!(role, Role::Owner | Role::PlatformAdmin);
    if was_admin && !stays_admin && admins(conn)? <= 1 {
        return Ok(Err(ProfileError::LastAdmin));
    }
    let new_hash = match input.pin.as_deref() {
        None => None,
        Some(pin) => {
            if let Err(e) = check_pin(pin) {
                return Ok(Err(e));
            }
            let key = key.ok_or_else(no_key)?;
            Some(pin::hash(pin, key.cost, key.pepper)?)
        }
    };
    if let Some(hash) = new_hash {
        conn.execute(
            "UPDATE profiles SET pin_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
            params![id, hash],
        )?;
    }
    conn.execute(
        "UPDATE profiles SET name = ?2, role = ?3, scope_accounts = ?4 WHERE id = ?1",
        params![id, name, role.as_str(), scope_json(scope)],
    )?;
    Ok(Ok(()))
}

/// Deletes a profile, as `actor`, unless it is the last owner or platform admin.
pub fn delete(conn: &Connection, id: i64, actor: &Profile) -> Result<Result<(), ProfileError>, StoreError> {
    let Some(current) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    if let Err(e) = rules::may_manage(actor, &current) {
        return Ok(Err(e));
    }
    if matches!(current.role, Role::Owner | Role::PlatformAdmin) && admins(conn)? <= 1 {
        return Ok(Err(ProfileError::LastAdmin));
    }
    conn.execute("DELETE FROM profiles WHERE id = ?1", [id])?;
    Ok(Ok(()))
}

/// A profile whose PIN was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlocked {
    pub profile: Profile,
    /// The stored hash, when it should be made again with the pepper or today's cost.
    pub stale_hash: Option<String>,
}

/// Checks a PIN with back-off. A locked profile is refused without even looking at the PIN.
/// `pepper` is the keyring's, if it could be read; a hash that needs it and cannot have it is
/// refused as [`ProfileError::PinKeyMissing`] without counting as a wrong PIN.
pub fn verify(
    conn: &Connection,
    id: i64,
    pin: &str,
    now: DateTime<Utc>,
    cost: PinCost,
    pepper: Option<&Pepper>,
) -> Result<Result<Unlocked, ProfileError>, StoreError> {
    let Some(profile) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    if let Some(until) = profile.locked_until.filter(|t| *t > now) {
        return Ok(Err(ProfileError::LockedOut { seconds: (until - now).num_seconds().max(1) }));
    }
    let hash: String = conn.query_row("SELECT pin_hash FROM profiles WHERE id = ?1", [id], |r| r.get(0))?;
    // A malformed PIN is wrong without spending a hash on it.
    let verdict = if check_pin(pin).is_ok() { pin::verify(pin, &hash, cost, pepper) } else { pin::Verdict::Mismatch };
    match verdict {
        pin::Verdict::PepperMissing => return Ok(Err(ProfileError::PinKeyMissing)),
        pin::Verdict::Match { rehash } => {
            conn.execute("UPDATE profiles SET failed_attempts = 0, locked_until = NULL WHERE id = ?1", [id])?;
            let profile = Profile { failed_attempts: 0, locked_until: None, ..profile };
            return Ok(Ok(Unlocked { profile, stale_hash: rehash.then_some(hash) }));
        }
        pin::Verdict::Mismatch => {}
    }
    let failed = profile.failed_attempts + 1;
    if failed < FREE_ATTEMPTS {
        conn.execute("UPDATE profiles SET failed_attempts = ?2 WHERE id = ?1", params![id, failed])?;
        return Ok(Err(ProfileError::WrongPin { attempts_left: FREE_ATTEMPTS - failed }));
    }
    let doublings = (failed - FREE_ATTEMPTS).min(10) as u32;
    let delay = (FIRST_LOCKOUT * 2i32.pow(doublings)).min(MAX_LOCKOUT);
    conn.execute(
        "UPDATE profiles SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        params![id, failed, (now + delay).to_rfc3339()],
    )?;
    Ok(Err(ProfileError::LockedOut { seconds: delay.num_seconds() }))
}

/// Replaces a verified `stale` hash by `fresh` (made with [`pin::hash`] outside any lock),
/// unless the PIN changed meanwhile. Returns whether it was replaced.
pub fn rehash(conn: &Connection, id: i64, stale: &str, fresh: &str) -> Result<bool, StoreError> {
    let changed =
        conn.execute("UPDATE profiles SET pin_hash = ?3 WHERE id = ?1 AND pin_hash = ?2", params![id, stale, fresh])?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::store::Store;

    static PEPPER: LazyLock<Pepper> = LazyLock::new(Pepper::generate);
    const COST: PinCost = PinCost::FAST_FOR_TESTS;

    fn key() -> PinKey<'static> {
        PinKey { cost: COST, pepper: &PEPPER }
    }

    fn input(name: &str, role: Role, pin: &str) -> ProfileInput {
        ProfileInput { name: Some(name.into()), role: Some(role), pin: Some(pin.into()), scope: None }
    }

    fn check(conn: &Connection, id: i64, pin: &str, now: DateTime<Utc>) -> Result<Profile, ProfileError> {
        verify(conn, id, pin, now, COST, Some(&PEPPER)).unwrap().map(|u| u.profile)
    }

    #[test]
    fn pins_are_hashed_and_checked() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let id = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, None, Some(key())).unwrap().unwrap();
        let hash: String = store.conn().query_row("SELECT pin_hash FROM profiles", [], |r| r.get(0)).unwrap();
        assert!(hash.starts_with("$argon2id$") && hash.contains("keyid=") && !hash.contains("4821"));
        assert!(check(store.conn(), id, "4821", now).is_ok());
        assert_eq!(check(store.conn(), id, "0000", now), Err(ProfileError::WrongPin { attempts_left: 4 }));
        for bad in ["123", "123456789", "12a4", ""] {
            assert_eq!(check_pin(bad), Err(ProfileError::BadPin), "{bad}");
        }
        // Without the pepper the PIN cannot be checked, and that is not a wrong PIN.
        assert_eq!(verify(store.conn(), id, "4821", now, COST, None).unwrap(), Err(ProfileError::PinKeyMissing));
        assert_eq!(get(store.conn(), id).unwrap().unwrap().failed_attempts, 1);
    }

    #[test]
    fn a_hash_from_before_the_pepper_verifies_and_is_replaced() {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let id = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, None, Some(key())).unwrap().unwrap();
        let legacy =
            argon2::Argon2::default().hash_password(b"4821", &SaltString::generate(&mut OsRng)).unwrap().to_string();
        store.conn().execute("UPDATE profiles SET pin_hash = ?1", [&legacy]).unwrap();
        let unlocked = verify(store.conn(), id, "4821", now, COST, None).unwrap().unwrap();
        assert_eq!(unlocked.stale_hash.as_deref(), Some(legacy.as_str()));
        let fresh = pin::hash("4821", COST, &PEPPER).unwrap();
        assert!(rehash(store.conn(), id, &legacy, &fresh).unwrap());
        assert!(!rehash(store.conn(), id, &legacy, &fresh).unwrap(), "only the hash that was checked");
        let unlocked = verify(store.conn(), id, "4821", now, COST, Some(&PEPPER)).unwrap().unwrap();
        assert_eq!(unlocked.stale_hash, None);
        assert_eq!(verify(store.conn(), id, "4821", now, COST, None).unwrap(), Err(ProfileError::PinKeyMissing));
    }

    #[test]
    fn inputs_never_print_their_pin() {
        let shown = format!("{:?}", input("Maria", Role::Owner, "48213579"));
        assert!(!shown.contains("48213579") && shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn five_wrong_pins_lock_for_a_growing_delay() {
        let store = Store::open_in_memory().unwrap();
        let mut now = Utc::now();
        let id = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, None, Some(key())).unwrap().unwrap();
        for left in (1..FREE_ATTEMPTS).rev() {
            assert_eq!(check(store.conn(), id, "1111", now), Err(ProfileError::WrongPin { attempts_left: left }));
        }
        assert_eq!(check(store.conn(), id, "1111", now), Err(ProfileError::LockedOut { seconds: 30 }));
        // Even the right PIN is refused while locked.
        assert_eq!(check(store.conn(), id, "4821", now), Err(ProfileError::LockedOut { seconds: 30 }));
        now += Duration::seconds(31);
        assert_eq!(check(store.conn(), id, "1111", now), Err(ProfileError::LockedOut { seconds: 60 }));
        now += Duration::seconds(61);
        assert_eq!(check(store.conn(), id, "1111", now), Err(ProfileError::LockedOut { seconds: 120 }));
        now += Duration::seconds(121);
        assert!(check(store.conn(), id, "4821", now).is_ok());
        assert_eq!(get(store.conn(), id).unwrap().unwrap().failed_attempts, 0);
    }

    #[test]
    fn the_last_owner_or_admin_stays() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let now = Utc::now();
        let owner = create(conn, &input("Maria", Role::Owner, "4821"), now, None, Some(key())).unwrap().unwrap();
        assert_eq!(
            create(conn, &input("Sam", Role::Owner, "1234"), now, None, Some(key())).unwrap(),
            Err(ProfileError::AlreadySetUp)
        );
        let maria = get(conn, owner).unwrap().unwrap();
        let staff = create(conn, &input("Sam", Role::Staff, "1234"), now, Some(&maria), Some(key())).unwrap().unwrap();
        assert_eq!(delete(conn, owner, &maria).unwrap(), Err(ProfileError::LastAdmin));
        let demote = ProfileInput { role: Some(Role::Manager), ..Default::default() };
        assert_eq!(update(conn, owner, &demote, &maria, None).unwrap(), Err(ProfileError::LastAdmin));
        let other =
            create(conn, &input("Priya", Role::Owner, "9876"), now, Some(&maria), Some(key())).unwrap().unwrap();
        assert_eq!(update(conn, owner, &demote, &maria, None).unwrap(), Ok(()));
        let priya = get(conn, other).unwrap().unwrap();
        assert_eq!(delete(conn, other, &priya).unwrap(), Err(ProfileError::LastAdmin));
        assert_eq!(delete(conn, staff, &priya).unwrap(), Ok(()));
        assert_eq!(
            create(conn, &input("maria", Role::Staff, "1234"), now, Some(&priya), Some(key())).unwrap(),
            Err(ProfileError::DuplicateName("maria".into()))
        );
    }

    #[test]
    fn the_first_profile_is_an_owner_or_admin() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            create(store.conn(), &input("Sam", Role::Staff, "1234"), Utc::now(), None, Some(key())).unwrap(),
            Err(ProfileError::FirstMustBeAdmin)
        );
    }
}
