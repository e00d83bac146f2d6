//! The one error type commands return. It reaches the UI as `{code, message}`: the UI branches on
//! `code`; `message` is the core's sentence for the person at the desk (the command line says the same).

use md_core::views::ErrorCode;
use md_core::DeskError;
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    /// The form field the error is about (`site`, `password`, `merchants`, `amount`, …), when one.
    pub field: Option<String>,
}

impl From<DeskError> for CommandError {
    fn from(err: DeskError) -> Self {
        let code = err.code();
        tracing::warn!(?code, error = %err, "command failed");
        Self { code, message: err.user_message(), field: err.field().map(str::to_string) }
    }
}
