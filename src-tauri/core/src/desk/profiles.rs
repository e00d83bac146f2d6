//! Settings → Profiles: owners and admins add, change and remove who can use this PC.
//!
//! What one profile may do to another is decided in `profiles::rules`, against the actor as it
//! is stored at that moment (not as it was when it signed in), inside the change's transaction.

use std::sync::Arc;

use super::session::profile_view;
use super::{Desk, DeskError};
use crate::permissions::Action;
use crate::profiles::{self, rules, Pepper, PinKey, Profile, ProfileError, ProfileInput};
use crate::store::audit::{self, AuditRecord};
use crate::store::StoreError;
use crate::views::{ProfileForm, ProfileView};

impl Desk {
    /// The profiles the signed-in profile may see: all of them for a profile that sees every
    /// restaurant; for a scoped one only itself and those it may manage, so the list does not
    /// reveal other restaurants' account IDs through other profiles' scopes.
    pub fn profiles(&self) -> Result<Vec<ProfileView>, DeskError> {
        let actor = self.authorize(Action::ManageProfiles)?;
        let all = profiles::list(self.store().conn())?;
        Ok(all
            .iter()
            .filter(|p| actor.scope.is_none() || p.id == actor.id || rules::may_manage(&actor, p).is_ok())
            .map(profile_view)
            .collect())
    }

    /// Runs a profile change and its audit record in one transaction; a refused change is audited
    /// on its own and changes nothing. `new_pin` says whether the change hashes a PIN, which
    /// needs the keyring's pepper (a keyring failure is audited as `failed`).
    fn change_profiles(
        &self,
        audit_action: &str,
        target: &str,
        new_pin: bool,
        change: impl FnOnce(
            &rusqlite::Connection,
            &Profile,
            Option<PinKey<'_>>,
        ) -> Result<Result<(), ProfileError>, StoreError>,
    ) -> Result<Vec<ProfileView>, DeskError> {
        let actor = self.authorize_audited(Action::ManageProfiles, audit_action)?;
        let record = |outcome: &str, detail: Option<String>| AuditRecord {
            profile_id: Some(actor.id),
            profile_name: actor.name.clone(),
            role: actor.role.as_str().into(),
            action: audit_action.into(),
            target: Some(target.to_string()),
            outcome: outcome.into(),
            detail,
            ..Default::default()
        };
        let pepper: Option<Arc<Pepper>> = match new_pin.then(|| self.pepper_for_new_pins()).transpose() {
            Ok(pepper) => pepper,
            Err(err) => {
                audit::append(self.store().conn(), &record("failed", Some(err.to_string())))?;
                return Err(err);
            }
        };
        let key = pepper.as_deref().map(|pepper| PinKey { cost: self.pin_cost, pepper });
        let refused = {
            let mut store = self.store();
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let outcome = match profiles::get(&tx, actor.id)? {
                Some(fresh) => change(&tx, &fresh, key)?,
                None => Err(ProfileError::NotFound(actor.id)),
            };
            match outcome {
                Ok(()) => {
                    audit::append(&tx, &record("succeeded", None))?;
                    tx.commit().map_err(StoreError::from)?;
                    None
                }
                Err(refusal) => {
                    drop(tx);
                    audit::append(store.conn(), &record("refused", Some(refusal.to_string())))?;
                    Some(refusal)
                }
            }
        };
        if let Some(refusal) = refused {
            return Err(refusal.into());
        }
        self.profiles()
    }

    pub fn create_profile(&self, form: &ProfileForm) -> Result<Vec<ProfileView>, DeskError> {
        let input = input_of(form);
        let now = self.clock.now();
        self.change_profiles(
            "profiles.create",
            &rules::printable(&form.name),
            form.pin.is_some(),
            |conn, actor, key| Ok(profiles::create(conn, &input, now, Some(actor), key)?.map(|_| ())),
        )
    }

    pub fn update_profile(&self, id: i64, form: &ProfileForm) -> Result<Vec<ProfileView>, DeskError> {
        let input = input_of(form);
        let target = match rules::printable(&form.name) {
            t if t.is_empty() => format!("#{id}"),
            t => t,
        };
        let result = self.change_profiles("profiles.update", &target, form.pin.is_some(), |conn, actor, key| {
            profiles::update(conn, id, &input, actor, key)
        })?;
        self.refresh_signed_in(id)?;
        Ok(result)
    }

    pub fn delete_profile(&self, id: i64) -> Result<Vec<ProfileView>, DeskError> {
        let name = profiles::get(self.store().conn(), id)?
            .map(|p| rules::printable(&p.name))
            .unwrap_or_else(|| format!("#{id}"));
        let result =
            self.change_profiles("profiles.delete", &name, false, |conn, actor, _| profiles::delete(conn, id, actor))?;
        self.refresh_signed_in(id)?;
        Ok(result)
    }

    /// Keeps the signed-in profile's role and scope current after it was edited or deleted.
    fn refresh_signed_in(&self, id: i64) -> Result<(), DeskError> {
        let fresh = profiles::get(self.store().conn(), id)?;
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        if session.signed_in().is_some_and(|p| p.id == id) {
            let now = self.clock.now();
            *session = match fresh {
                Some(profile) => super::Session::signed_in_as(profile, now),
                None => super::Session::locked(now),
            };
        }
        Ok(())
    }
}

/// The editor's form as a change: every field is given (the name is checked, not kept, when
/// empty), except a PIN left empty, which keeps the current one.
fn input_of(form: &ProfileForm) -> ProfileInput {
    ProfileInput {
        name: Some(form.name.clone()),
        role: Some(form.role),
        pin: form.pin.clone(),
        scope: Some(form.scope.clone()),
    }
}
