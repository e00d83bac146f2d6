//! Settings → Profiles: owners and admins add, change and remove who can use this PC.

use super::session::profile_view;
use super::{Desk, DeskError};
use crate::permissions::Action;
use crate::profiles::{self, ProfileInput};
use crate::store::audit::{self, AuditRecord};
use crate::store::StoreError;
use crate::views::{ProfileForm, ProfileView};

impl Desk {
    pub fn profiles(&self) -> Result<Vec<ProfileView>, DeskError> {
        self.authorize(Action::ManageProfiles)?;
        Ok(profiles::list(self.store().conn())?.iter().map(profile_view).collect())
    }

    /// Runs a profile change and its audit record in one transaction; a refused change is audited
    /// on its own.
    fn change_profiles(
        &self,
        audit_action: &str,
        target: &str,
        change: impl FnOnce(&rusqlite::Connection) -> Result<Result<(), profiles::ProfileError>, StoreError>,
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
        let refused = {
            let mut store = self.store();
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            match change(&tx)? {
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
        let input = ProfileInput {
            name: form.name.clone(),
            role: Some(form.role),
            pin: form.pin.clone(),
            scope: Some(form.scope.clone()),
        };
        let now = self.clock.now();
        self.change_profiles("profiles.create", form.name.trim(), |conn| {
            Ok(profiles::create(conn, &input, now, false)?.map(|_| ()))
        })
    }

    pub fn update_profile(&self, id: i64, form: &ProfileForm) -> Result<Vec<ProfileView>, DeskError> {
        let input = ProfileInput {
            name: form.name.clone(),
            role: Some(form.role),
            pin: form.pin.clone(),
            scope: Some(form.scope.clone()),
        };
        let result =
            self.change_profiles("profiles.update", form.name.trim(), |conn| profiles::update(conn, id, &input))?;
        self.refresh_signed_in(id)?;
        Ok(result)
    }

    pub fn delete_profile(&self, id: i64) -> Result<Vec<ProfileView>, DeskError> {
        let name = profiles::get(self.store().conn(), id)?.map(|p| p.name).unwrap_or_else(|| format!("#{id}"));
        let result = self.change_profiles("profiles.delete", &name, |conn| profiles::delete(conn, id))?;
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
