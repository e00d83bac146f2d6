//! Local profiles: who uses this PC, in which role, seeing which restaurants, unlocking with a PIN.
//!
//! PINs (4–8 digits) are hashed with Argon2id; five wrong PINs lock the profile for a delay that
//! doubles with every further failure. The last owner or platform admin can be neither deleted nor
//! demoted, so nobody can lock the group out of its own settings.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension};

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
    #[error("a name is 1 to 60 characters")]
    BadName,
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
}

pub fn check_pin(pin: &str) -> Result<(), ProfileError> {
    if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ProfileError::BadPin)
    }
}

fn check_name(name: &str) -> Result<String, ProfileError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ProfileError::BadName);
    }
    Ok(name.to_string())
}

pub fn hash_pin(pin: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("cannot hash PIN: {e}")))
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
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

/// What a new or changed profile looks like.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub name: String,
    pub role: Option<Role>,
    pub pin: Option<String>,
    pub scope: Option<Option<Vec<String>>>,
}

/// Creates a profile; returns its ID. `first` is the set-up of an empty PC.
pub fn create(
    conn: &Connection,
    input: &ProfileInput,
    now: DateTime<Utc>,
    first: bool,
) -> Result<Result<i64, ProfileError>, StoreError> {
    let count: i64 = conn.query_row("SELECT count(*) FROM profiles", [], |r| r.get(0))?;
    if first && count > 0 {
        return Ok(Err(ProfileError::AlreadySetUp));
    }
    let role = input.role.unwrap_or(Role::Staff);
    if first && !matches!(role, Role::Owner | Role::PlatformAdmin) {
        return Ok(Err(ProfileError::FirstMustBeAdmin));
    }
    let name = match check_name(&input.name) {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    let Some(pin) = input.pin.as_deref() else { return Ok(Err(ProfileError::BadPin)) };
    if let Err(e) = check_pin(pin) {
        return Ok(Err(e));
    }
    if name_taken(conn, &name, None)? {
        return Ok(Err(ProfileError::DuplicateName(name)));
    }
    let scope = scope_json(input.scope.clone().flatten());
    conn.execute(
        "INSERT INTO profiles (name, role, pin_hash, scope_accounts, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), hash_pin(pin)?, scope, now.to_rfc3339()],
    )?;
    Ok(Ok(conn.last_insert_rowid()))
}

fn scope_json(scope: Option<Vec<String>>) -> Option<String> {
    scope.map(|s| serde_json::Value::from(s).to_string())
}

fn name_taken(conn: &Connection, name: &str, except: Option<i64>) -> Result<bool, StoreError> {
    let found: Option<i64> =
        conn.query_row("SELECT id FROM profiles WHERE name = ?1 COLLATE NOCASE", [name], |r| r.get(0)).optional()?;
    Ok(found.is_some_and(|id| Some(id) != except))
}

/// Changes name, role, PIN or scope. Demoting the last owner/admin is refused.
pub fn update(conn: &Connection, id: i64, input: &ProfileInput) -> Result<Result<(), ProfileError>, StoreError> {
    let Some(current) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    let name = if input.name.trim().is_empty() {
        current.name.clone()
    } else {
        match check_name(&input.name) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        }
    };
    if name_taken(conn, &name, Some(id))? {
        return Ok(Err(ProfileError::DuplicateName(name)));
    }
    let role = input.role.unwrap_or(current.role);
    let was_admin = matches!(current.role, Role::Owner | Role::PlatformAdmin);
    let stays_admin = matches!(role, Role::Owner | Role::PlatformAdmin);
    if was_admin && !stays_admin && admins(conn)? <= 1 {
        return Ok(Err(ProfileError::LastAdmin));
    }
    if let Some(pin) = input.pin.as_deref() {
        if let Err(e) = check_pin(pin) {
            return Ok(Err(e));
        }
        conn.execute(
            "UPDATE profiles SET pin_hash = ?2, failed_attempts = 0, locked_until = NULL WHERE id = ?1",
            params![id, hash_pin(pin)?],
        )?;
    }
    let scope = match &input.scope {
        Some(s) => scope_json(s.clone()),
        None => scope_json(current.scope.clone()),
    };
    conn.execute(
        "UPDATE profiles SET name = ?2, role = ?3, scope_accounts = ?4 WHERE id = ?1",
        params![id, name, role.as_str(), scope],
    )?;
    Ok(Ok(()))
}

/// Deletes a profile unless it is the last owner or platform admin.
pub fn delete(conn: &Connection, id: i64) -> Result<Result<(), ProfileError>, StoreError> {
    let Some(current) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    if matches!(current.role, Role::Owner | Role::PlatformAdmin) && admins(conn)? <= 1 {
        return Ok(Err(ProfileError::LastAdmin));
    }
    conn.execute("DELETE FROM profiles WHERE id = ?1", [id])?;
    Ok(Ok(()))
}

/// Checks a PIN with back-off. A locked profile is refused without even looking at the PIN.
pub fn verify(
    conn: &Connection,
    id: i64,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<Result<Profile, ProfileError>, StoreError> {
    let Some(profile) = get(conn, id)? else { return Ok(Err(ProfileError::NotFound(id))) };
    if let Some(until) = profile.locked_until.filter(|t| *t > now) {
        return Ok(Err(ProfileError::LockedOut { seconds: (until - now).num_seconds().max(1) }));
    }
    let hash: String = conn.query_row("SELECT pin_hash FROM profiles WHERE id = ?1", [id], |r| r.get(0))?;
    if pin_matches(pin, &hash) {
        conn.execute("UPDATE profiles SET failed_attempts = 0, locked_until = NULL WHERE id = ?1", [id])?;
        return Ok(Ok(Profile { failed_attempts: 0, locked_until: None, ..profile }));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn input(name: &str, role: Role, pin: &str) -> ProfileInput {
        ProfileInput { name: name.into(), role: Some(role), pin: Some(pin.into()), scope: None }
    }

    #[test]
    fn pins_are_hashed_and_checked() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let id = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, true).unwrap().unwrap();
        let hash: String = store.conn().query_row("SELECT pin_hash FROM profiles", [], |r| r.get(0)).unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains("4821"));
        assert!(verify(store.conn(), id, "4821", now).unwrap().is_ok());
        assert_eq!(verify(store.conn(), id, "0000", now).unwrap(), Err(ProfileError::WrongPin { attempts_left: 4 }));
        for bad in ["123", "123456789", "12a4", ""] {
            assert_eq!(check_pin(bad), Err(ProfileError::BadPin), "{bad}");
        }
    }

    #[test]
    fn five_wrong_pins_lock_for_a_growing_delay() {
        let store = Store::open_in_memory().unwrap();
        let mut now = Utc::now();
        let id = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, true).unwrap().unwrap();
        for left in (1..FREE_ATTEMPTS).rev() {
            assert_eq!(
                verify(store.conn(), id, "1111", now).unwrap(),
                Err(ProfileError::WrongPin { attempts_left: left })
            );
        }
        assert_eq!(verify(store.conn(), id, "1111", now).unwrap(), Err(ProfileError::LockedOut { seconds: 30 }));
        // Even the right PIN is refused while locked.
        assert_eq!(verify(store.conn(), id, "4821", now).unwrap(), Err(ProfileError::LockedOut { seconds: 30 }));
        now += Duration::seconds(31);
        assert_eq!(verify(store.conn(), id, "1111", now).unwrap(), Err(ProfileError::LockedOut { seconds: 60 }));
        now += Duration::seconds(61);
        assert_eq!(verify(store.conn(), id, "1111", now).unwrap(), Err(ProfileError::LockedOut { seconds: 120 }));
        now += Duration::seconds(121);
        assert!(verify(store.conn(), id, "4821", now).unwrap().is_ok());
        assert_eq!(get(store.conn(), id).unwrap().unwrap().failed_attempts, 0);
    }

    #[test]
    fn the_last_owner_or_admin_stays() {
        let store = Store::open_in_memory().unwrap();
        let now = Utc::now();
        let owner = create(store.conn(), &input("Maria", Role::Owner, "4821"), now, true).unwrap().unwrap();
        assert_eq!(
            create(store.conn(), &input("Sam", Role::Owner, "1234"), now, true).unwrap(),
            Err(ProfileError::AlreadySetUp)
        );
        let staff = create(store.conn(), &input("Sam", Role::Staff, "1234"), now, false).unwrap().unwrap();
        assert_eq!(delete(store.conn(), owner).unwrap(), Err(ProfileError::LastAdmin));
        let demote = ProfileInput { role: Some(Role::Manager), ..Default::default() };
        assert_eq!(update(store.conn(), owner, &demote).unwrap(), Err(ProfileError::LastAdmin));
        let admin = create(store.conn(), &input("Priya", Role::PlatformAdmin, "9876"), now, false).unwrap().unwrap();
        assert_eq!(update(store.conn(), owner, &demote).unwrap(), Ok(()));
        assert_eq!(delete(store.conn(), admin).unwrap(), Err(ProfileError::LastAdmin));
        assert_eq!(delete(store.conn(), staff).unwrap(), Ok(()));
        assert_eq!(
            create(store.conn(), &input("maria", Role::Staff, "1234"), now, false).unwrap(),
            Err(ProfileError::DuplicateName("maria".into()))
        );
    }

    #[test]
    fn the_first_profile_is_an_owner_or_admin() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            create(store.conn(), &input("Sam", Role::Staff, "1234"), Utc::now(), true).unwrap(),
            Err(ProfileError::FirstMustBeAdmin)
        );
    }
}
