//! Who is signed in: first-run set-up, unlocking with a PIN, locking on demand or when idle.

use chrono::{DateTime, Duration, Utc};

use super::{Desk, DeskError};
use crate::permissions::{self, Action, Role};
use crate::profiles::{self, PinKey, Profile, ProfileInput};
use crate::settings::IDLE_LOCK_MINUTES;
use crate::store::audit::{self, AuditRecord};
use crate::views::{ProfileChoice, ProfileView, SessionView};

/// The signed-in profile and when it last did something.
#[derive(Debug, Clone)]
pub struct Session {
    profile: Option<Profile>,
    last_activity: DateTime<Utc>,
}

impl Session {
    pub fn locked(now: DateTime<Utc>) -> Self {
        Self { profile: None, last_activity: now }
    }

    /// The signed-in profile, unless the session has been idle too long (then it locks).
    pub fn active(&mut self, now: DateTime<Utc>, idle: Duration) -> Option<Profile> {
        if self.profile.is_some() && now - self.last_activity > idle {
            tracing::info!("locked after being idle");
            self.profile = None;
        }
        self.profile.clone()
    }

    pub fn signed_in_as(profile: Profile, now: DateTime<Utc>) -> Self {
        Self { profile: Some(profile), last_activity: now }
    }

    pub fn signed_in(&self) -> Option<Profile> {
        self.profile.clone()
    }

    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.last_activity = now;
    }
}

pub(crate) fn profile_view(p: &Profile) -> ProfileView {
    ProfileView {
        id: p.id,
        name: p.name.clone(),
        role: p.role,
        role_label: p.role.label().to_string(),
        scope: p.scope.clone(),
    }
}

impl Desk {
    /// What the frame needs, locked or not. Reading it does not count as activity.
    pub fn session(&self) -> Result<SessionView, DeskError> {
        let now = self.clock.now();
        let idle_minutes = self.idle_lock_minutes();
        let profile = {
            let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
            session.active(now, Duration::minutes(idle_minutes as i64))
        };
        let all = profiles::list(self.store().conn())?;
        let choices = all
            .iter()
            .map(|p| ProfileChoice {
                id: p.id,
                name: p.name.clone(),
                role_label: p.role.label().to_string(),
                locked_for_seconds: p.locked_until.filter(|t| *t > now).map(|t| (t - now).num_seconds().max(1)),
            })
            .collect();
        Ok(SessionView {
            allowed: profile
                .as_ref()
                .map(|p| Action::ALL.into_iter().filter(|a| permissions::allows(p.role, *a)).collect())
                .unwrap_or_default(),
            profile: profile.as_ref().map(profile_view),
            needs_setup: all.is_empty(),
            profiles: choices,
            connection: self.connection_view()?,
            idle_lock_minutes: idle_minutes,
        })
    }

    /// Creates the first owner or platform admin of an empty PC and signs them in. Needs the
    /// keyring, where the PIN pepper is made.
    pub fn setup_first_profile(&self, name: &str, role: Role, pin: &str) -> Result<SessionView, DeskError> {
        let now = self.clock.now();
        let input =
            ProfileInput { name: Some(name.to_string()), role: Some(role), pin: Some(pin.to_string()), scope: None };
        let pepper = self.pepper_for_new_pins()?;
        let key = PinKey { cost: self.pin_cost, pepper: &pepper };
        let id = {
            let mut store = self.store();
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(crate::store::StoreError::from)?;
            let id = profiles::create(&tx, &input, now, None, Some(key))??;
            audit::append(
                &tx,
                &AuditRecord {
                    profile_id: Some(id),
                    profile_name: name.trim().to_string(),
                    role: role.as_str().into(),
                    action: "profiles.setup".into(),
                    target: Some(name.trim().to_string()),
                    outcome: "succeeded".into(),
                    detail: Some(format!("first profile, {}", role.label())),
                    ..Default::default()
                },
            )?;
            tx.commit().map_err(crate::store::StoreError::from)?;
            id
        };
        let profile = profiles::get(self.store().conn(), id)?.ok_or(DeskError::Locked)?;
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Session::signed_in_as(profile, now);
        self.session()
    }

    /// Signs a profile in with its PIN (with back-off after wrong PINs). A PIN hashed before the
    /// pepper, or at a lower cost, is hashed again now that it is known to be right.
    pub fn unlock(&self, profile_id: i64, pin: &str) -> Result<SessionView, DeskError> {
        let profile = self.check_pin_of(profile_id, pin)?;
        let now = self.clock.now();
        tracing::info!(profile = profile.id, "unlocked");
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Session::signed_in_as(profile, now);
        self.session()
    }

    /// Locks at once (the lock button, or leaving the PC).
    pub fn lock(&self) -> Result<SessionView, DeskError> {
        let now = self.clock.now();
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Session::locked(now);
        self.session()
    }

    /// The person is still here (mouse, keyboard): postpones the idle lock. Returns whether the
    /// desk is still unlocked.
    pub fn touch(&self) -> bool {
        let now = self.clock.now();
        let idle = Duration::minutes(self.idle_lock_minutes() as i64);
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let active = session.active(now, idle).is_some();
        if active {
            session.touch(now);
        }
        active
    }

    /// How long until the signed-in profile is locked for being idle, if nobody touches the desk;
    /// `None` while locked. The shell sleeps that long instead of asking every few seconds.
    pub fn idle_lock_in(&self) -> Option<std::time::Duration> {
        let now = self.clock.now();
        let idle = Duration::minutes(self.idle_lock_minutes() as i64);
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        session.profile.as_ref()?;
        Some((session.last_activity + idle - now).to_std().unwrap_or_default())
    }

    /// Locks the desk if it has been idle too long; returns whether it is locked now.
    pub fn lock_if_idle(&self) -> bool {
        let now = self.clock.now();
        let idle = Duration::minutes(self.idle_lock_minutes() as i64);
        self.session.lock().unwrap_or_else(|p| p.into_inner()).active(now, idle).is_none()
    }

    /// Sets the idle lock (1–120 minutes).
    pub fn set_idle_lock(&self, minutes: u32) -> Result<SessionView, DeskError> {
        let profile = self.authorize_audited(Action::ManageSettings, "settings.idle_lock")?;
        if !(1..=120).contains(&minutes) {
            return Err(DeskError::InvalidInput { field: "idle lock", reason: "between 1 and 120 minutes".into() });
        }
        {
            let mut store = self.store();
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(crate::store::StoreError::from)?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (IDLE_LOCK_MINUTES.name, minutes.to_string()),
            )
            .map_err(crate::store::StoreError::from)?;
            audit::append(
                &tx,
                &AuditRecord {
                    profile_id: Some(profile.id),
                    profile_name: profile.name.clone(),
                    role: profile.role.as_str().into(),
                    action: "settings.idle_lock".into(),
                    target: Some(format!("{minutes} minutes")),
                    outcome: "succeeded".into(),
                    ..Default::default()
                },
            )?;
            tx.commit().map_err(crate::store::StoreError::from)?;
        }
        self.session()
    }
}
