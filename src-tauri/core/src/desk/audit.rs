//! Settings → Audit log: filtered reading and CSV export for owners and admins.

use std::path::Path;

use super::files::{create_csv, export_error};
use super::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::audit;
use crate::views::{AuditEntry, AuditFilter};

/// Most records one screen shows; the export has no limit.
const SCREEN_LIMIT: usize = 500;

impl Desk {
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, DeskError> {
        self.authorize(Action::ViewAudit)?;
        Ok(audit::query(self.store().conn(), filter, SCREEN_LIMIT)?)
    }

    /// Writes the filtered log as CSV to `path` (chosen by the person in a save dialog). Returns
    /// how many records were written.
    pub fn export_audit_log(&self, filter: &AuditFilter, path: &Path) -> Result<usize, DeskError> {
        self.authorize(Action::ViewAudit)?;
        let file = create_csv(path)?;
        let entries = audit::query(self.store().conn(), filter, usize::MAX >> 1)?;
        audit::write_csv(&entries, file).map_err(|e| export_error(path, e.to_string()))?;
        Ok(entries.len())
    }
}
