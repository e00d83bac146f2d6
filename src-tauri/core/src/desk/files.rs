//! Files the person chose in a save dialog.

use std::path::Path;

use super::DeskError;

pub(crate) fn export_error(path: &Path, reason: String) -> DeskError {
    DeskError::Export { path: path.display().to_string(), reason }
}

/// Creates the export file, refusing names that do not end in `.csv`.
pub(crate) fn create_csv(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, DeskError> {
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("csv") {
        return Err(export_error(path, "the file name must end in .csv".into()));
    }
    let file = std::fs::File::create(path).map_err(|e| export_error(path, e.to_string()))?;
    Ok(std::io::BufWriter::new(file))
}
