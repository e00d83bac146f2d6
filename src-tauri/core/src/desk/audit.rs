//! Settings → Audit log: filtered reading and CSV export for owners and admins.
//!
//! A profile that sees only some restaurants reads only its own records and those about its
//! restaurants (`store::audit::Readable`), on screen and in the export alike.

use std::path::Path;

use super::files::{create_csv, export_error};
use super::scope::accounts_of;
use super::{Desk, DeskError};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::{self, Readable};
use crate::store::filters::Accounts;
use crate::views::{AuditEntry, AuditFilter};

/// Most records one screen shows; the export has no limit.
const SCREEN_LIMIT: usize = 500;

/// What `profile` may read of the log.
fn readable(profile: &Profile) -> Readable {
    match accounts_of(profile) {
        Accounts::All => Readable::All,
        Accounts::Only(accounts) => Readable::Restaurants { profile_id: profile.id, accounts },
    }
}

impl Desk {
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, DeskError> {
        let profile = self.authorize(Action::ViewAudit)?;
        Ok(audit::query(self.store().conn(), &readable(&profile), filter, SCREEN_LIMIT)?)
    }

    /// Writes the filtered log as CSV to `path` (chosen by the person in a save dialog). Returns
    /// how many records were written.
    pub fn export_audit_log(&self, filter: &AuditFilter, path: &Path) -> Result<usize, DeskError> {
        let profile = self.authorize(Action::ViewAudit)?;
        let file = create_csv(path)?;
        let entries = audit::query(self.store().conn(), &readable(&profile), filter, usize::MAX >> 1)?;
        audit::write_csv(&entries, file).map_err(|e| export_error(path, e.to_string()))?;
        Ok(entries.len())
    }
}
