//! What a profile may be, and what one profile may do to another.
//!
//! A profile never grants more than it has: not a role above its own, not a restaurant it cannot
//! see itself. It may change or remove only profiles it could have created (same rule), so a
//! platform admin is managed by platform admins only, and nobody widens their own access by
//! editing themselves. Scopes list restaurants the desk knows, so a typo cannot give a profile
//! "nothing" while looking like something.

use rusqlite::Connection;

use super::{Profile, ProfileError};
use crate::permissions::Role;
use crate::store::StoreError;

/// Longest name, in characters: fits the lock screen and the audit log's columns.
pub const MAX_NAME_CHARS: usize = 60;

pub fn check_pin(pin: &str) -> Result<(), ProfileError> {
    if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ProfileError::BadPin)
    }
}

/// Characters that print nothing yet change how a name reads: text-direction overrides, isolates
/// and marks (which can make "Maria" display as someone else's name in the lock screen or the
/// audit log), line and paragraph separators, and invisible spaces that make two names look the
/// same. The zero-width joiner and non-joiner stay allowed: Persian names and emoji need them.
fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        | '\u{2028}' | '\u{2029}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// A name as stored: trimmed, 1 to [`MAX_NAME_CHARS`] characters, printable.
pub fn check_name(name: &str) -> Result<String, ProfileError> {
    let name = name.trim();
    if name.chars().any(|c| c.is_control() || is_hidden(c)) {
        return Err(ProfileError::NameNotPrintable);
    }
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(ProfileError::BadName);
    }
    Ok(name.to_string())
}

/// Text fit for the audit log's target column, whatever was typed: hidden characters become
/// `�` and long text is cut, so a refused name is still recorded without harming the log.
pub fn printable(text: &str) -> String {
    let mut out: String = text
        .trim()
        .chars()
        .take(MAX_NAME_CHARS + 20)
        .map(|c| if c.is_control() || is_hidden(c) { '�' } else { c })
        .collect();
    if text.trim().chars().count() > MAX_NAME_CHARS + 20 {
        out.push('…');
    }
    out
}

/// Whether `inner` sees no restaurant that `outer` does not (`None` = all restaurants).
pub fn scope_within(inner: &Option<Vec<String>>, outer: &Option<Vec<String>>) -> bool {
    match (inner, outer) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(inner), Some(outer)) => inner.iter().all(|id| outer.contains(id)),
    }
}

/// `actor` may give `role` and `scope` (to a new profile, another one, or itself).
pub fn may_give(actor: &Profile, role: Role, scope: &Option<Vec<String>>) -> Result<(), ProfileError> {
    if role.rank() > actor.role.rank() {
        return Err(ProfileError::RoleAboveYours(role));
    }
    if !scope_within(scope, &actor.scope) {
        return Err(ProfileError::ScopeWiderThanYours);
    }
    Ok(())
}

/// `actor` may change, reset the PIN of, or remove `target`: it could have created it.
pub fn may_manage(actor: &Profile, target: &Profile) -> Result<(), ProfileError> {
    if target.role == Role::PlatformAdmin && actor.role != Role::PlatformAdmin {
        return Err(ProfileError::AdminsOnly);
    }
    if target.role.rank() > actor.role.rank() || !scope_within(&target.scope, &actor.scope) {
        return Err(ProfileError::Outranked);
    }
    Ok(())
}

/// A scope as stored: `None` (all restaurants) or a list of restaurants (Stripe connected accounts
/// or CardConnect merchant IDs) known to the cache, without repeats (an empty list is the editor's "No restaurants"). IDs in `kept` (the profile's current scope) pass even when the
/// cache no longer has them — after a change of connection, say — so editing a name does not
/// fail on them; only IDs being added must be known.
pub fn check_scope(
    conn: &Connection,
    scope: &Option<Vec<String>>,
    kept: &[String],
) -> Result<Result<Option<Vec<String>>, ProfileError>, StoreError> {
    let Some(ids) = scope else { return Ok(Ok(None)) };
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        let well_formed = crate::accounts::gateway_of(id).is_some();
        let known = well_formed && (kept.contains(id) || crate::store::cache::has_account(conn, id)?);
        if !known {
            return Ok(Err(ProfileError::UnknownAccount(printable(id))));
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(Ok(Some(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(role: Role, scope: Option<&[&str]>) -> Profile {
        Profile {
            id: 1,
            name: "P".into(),
            role,
            scope: scope.map(|s| s.iter().map(|id| id.to_string()).collect()),
            failed_attempts: 0,
            locked_until: None,
        }
    }

    #[test]
    fn names_are_printable_and_short() {
        assert_eq!(check_name("  Maria  ").unwrap(), "Maria");
        assert_eq!(check_name(&"é".repeat(60)).unwrap().chars().count(), 60);
        assert_eq!(check_name("Mahsa\u{200C}Ahmadi").unwrap(), "Mahsa\u{200C}Ahmadi", "ZWNJ is Persian spelling");
        assert_eq!(check_name(&"é".repeat(61)), Err(ProfileError::BadName));
        assert_eq!(check_name("   "), Err(ProfileError::BadName));
        for bad in [
            "Ma\u{0}ria",
            "Ma\nria",
            "Ma\tria",
            "\u{202E}airaM",
            "Maria\u{2066}",
            "Ma\u{200F}ria",
            "M\u{061C}aria",
            "Ma\u{85}ria",
            "Ma\u{200B}ria",
        ] {
            assert_eq!(check_name(bad), Err(ProfileError::NameNotPrintable), "{bad:?}");
        }
        assert_eq!(printable("a\u{202E}b\n"), "a�b");
    }

    #[test]
    fn nobody_grants_or_manages_more_than_they_have() {
        let owner = profile(Role::Owner, None);
        let scoped = profile(Role::Owner, Some(&["acct_1", "acct_2"]));
        let admin = profile(Role::PlatformAdmin, None);
        let some = Some(vec!["acct_1".to_string()]);
        assert_eq!(
            may_give(&owner, Role::PlatformAdmin, &None),
            Err(ProfileError::RoleAboveYours(Role::PlatformAdmin))
        );
        assert_eq!(may_give(&owner, Role::Owner, &None), Ok(()));
        assert_eq!(may_give(&scoped, Role::Staff, &None), Err(ProfileError::ScopeWiderThanYours));
        assert_eq!(
            may_give(&scoped, Role::Staff, &Some(vec!["acct_3".into()])),
            Err(ProfileError::ScopeWiderThanYours)
        );
        assert_eq!(may_give(&scoped, Role::Staff, &some), Ok(()));
        assert_eq!(may_manage(&owner, &admin), Err(ProfileError::AdminsOnly));
        assert_eq!(may_manage(&admin, &owner), Ok(()));
        assert_eq!(may_manage(&scoped, &owner), Err(ProfileError::Outranked));
        assert_eq!(may_manage(&scoped, &profile(Role::Manager, Some(&["acct_2"]))), Ok(()));
        assert_eq!(may_manage(&profile(Role::Manager, None), &owner), Err(ProfileError::Outranked));
    }

    #[test]
    fn scopes_list_known_restaurants_and_keep_what_they_had() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        let some = |ids: &[&str]| Some(ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(check_scope(conn, &None, &[]).unwrap(), Ok(None));
        assert_eq!(check_scope(conn, &some(&[]), &[]).unwrap(), Ok(some(&[])));
        let gone = "acct_1Gone".to_string();
        assert_eq!(
            check_scope(conn, &some(&["acct_1Gone"]), &[]).unwrap(),
            Err(ProfileError::UnknownAccount(gone.clone()))
        );
        // Already in the profile's scope: kept, though the cache lost it (another connection).
        assert_eq!(
            check_scope(conn, &some(&["acct_1Gone", "acct_1Gone"]), &[gone]).unwrap(),
            Ok(some(&["acct_1Gone"]))
        );
        let blank = check_scope(conn, &some(&[""]), &[String::new()]).unwrap();
        assert_eq!(blank, Err(ProfileError::UnknownAccount(String::new())));
        assert!(blank.unwrap_err().to_string().contains("empty"));
    }
}
