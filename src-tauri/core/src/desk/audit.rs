//! Settings → Audit log: filtered reading and CSV export for owners and admins.

use std::path::Path;

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
        let export = |reason: String| DeskError::Export { path: path.display().to_string(), reason };
        if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("csv") {
            return Err(export("the file name must end in .csv".into()));
        }
        let entries = audit::query(self.store().conn(), filter, usize::MAX >> 1)?;
        let file = std::fs::File::create(path).map_err(|e| export(e.to_string()))?;
        audit::write_csv(&entries, std::io::BufWriter::new(file)).map_err(|e| export(e.to_string()))?;
        Ok(entries.len())
    }
}
