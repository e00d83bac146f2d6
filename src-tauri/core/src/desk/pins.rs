//! The desk's side of PIN hashing: the pepper kept in the OS keyring (see `profiles::pin` for
//! why), read once and then held in memory, and made on first use.
//!
//! Without a keyring no new PIN can be set and a peppered PIN cannot be checked: there is
//! deliberately no fallback to hashing without the pepper, which would quietly make a copied
//! database enough to guess PINs. Hashes from before the pepper still verify without it.

use std::sync::Arc;

use super::{Desk, DeskError};
use crate::profiles::{self, Pepper, Profile, ProfileError};
use crate::secrets::{SecretsError, PIN_PEPPER};

impl Desk {
    /// The keyring's pepper; `None` when no PIN was ever hashed with one.
    pub(crate) fn pepper(&self) -> Result<Option<Arc<Pepper>>, DeskError> {
        let mut cached = self.pepper.lock().unwrap_or_else(|p| p.into_inner());
        self.load_pepper(&mut cached)
    }

    fn load_pepper(&self, cached: &mut Option<Arc<Pepper>>) -> Result<Option<Arc<Pepper>>, DeskError> {
        if let Some(pepper) = cached.as_ref() {
            return Ok(Some(pepper.clone()));
        }
        let Some(text) = self.secrets.get(PIN_PEPPER)? else { return Ok(None) };
        // A malformed entry is reported, never replaced: PINs may have been hashed with it.
        let pepper = Arc::new(Pepper::from_secret(&text).ok_or(ProfileError::PinKeyMissing)?);
        *cached = Some(pepper.clone());
        Ok(Some(pepper))
    }

    /// The pepper for a new PIN hash, created and stored in the keyring the first time. It is
    /// read back before use, so a keyring that drops it silently cannot leave a PIN hashed with
    /// a pepper nobody has. The lock makes two first uses agree on one pepper.
    pub(crate) fn pepper_for_new_pins(&self) -> Result<Arc<Pepper>, DeskError> {
        let mut cached = self.pepper.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pepper) = self.load_pepper(&mut cached)? {
            return Ok(pepper);
        }
        let fresh = Pepper::generate();
        self.secrets.set(PIN_PEPPER, &fresh.to_secret())?;
        match self.load_pepper(&mut cached)? {
            Some(kept) if *kept == fresh => {
                tracing::info!("created the PIN pepper in the keyring");
                Ok(kept)
            }
            _ => Err(SecretsError::Unavailable("the keyring did not keep the PIN key".into()).into()),
        }
    }

    /// Checks `profile_id`'s PIN without touching the session: signing in uses it, and so does a
    /// manager approving a refund at the counter while the staff member stays signed in. A wrong
    /// PIN counts toward that profile's back-off either way, so approvals are no side door for
    /// guessing.
    pub(crate) fn check_pin_of(&self, profile_id: i64, pin: &str) -> Result<Profile, DeskError> {
        let now = self.clock.now();
        let pepper = self.pepper();
        let outcome = {
            // The store stays locked while the PIN is checked, so wrong PINs are counted one by one.
            let store = self.store();
            let pepper = pepper.as_ref().ok().and_then(|p| p.as_deref());
            profiles::verify(store.conn(), profile_id, pin, now, self.pin_cost, pepper)?
        };
        let unlocked = match (outcome, pepper) {
            // The keyring's own reason (locked, unreachable) says more than "the key is missing".
            (Err(ProfileError::PinKeyMissing), Err(keyring)) => return Err(keyring),
            (outcome, _) => outcome?,
        };
        if let Some(stale) = &unlocked.stale_hash {
            self.rehash_pin(profile_id, pin, stale);
        }
        Ok(unlocked.profile)
    }

    /// Makes a verified PIN's hash again with the pepper and today's cost. A failure only means
    /// the old hash stays until the next sign-in, so it is logged, not shown.
    pub(crate) fn rehash_pin(&self, profile_id: i64, pin: &str, stale: &str) {
        let result = self.pepper_for_new_pins().and_then(|pepper| {
            let fresh = profiles::pin::hash(pin, self.pin_cost, &pepper)?;
            Ok(profiles::rehash(self.store().conn(), profile_id, stale, &fresh)?)
        });
        match result {
            Ok(true) => tracing::info!(profile = profile_id, "PIN re-hashed with the pepper and current cost"),
            Ok(false) => {}
            Err(err) => tracing::warn!(profile = profile_id, %err, "could not re-hash the PIN; trying again next time"),
        }
    }
}
