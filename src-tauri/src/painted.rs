//! The first screen the window painted, written to `MERCHANT_DESK_READY_FILE` when that is set.
//!
//! A packaging check or benchmark outside the app learns that the installed binary really shows
//! its set-up (or sign-in) screen, not merely that a process started. Written once per run; the
//! front-end says which screen, after the browser has painted it.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;

/// The screens the window can open on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FirstScreen {
    /// First run on this PC: create the first profile.
    Setup,
    /// Profiles exist: the sign-in screen.
    Lock,
    /// Already signed in (the frame with its sections).
    Frame,
}

impl FirstScreen {
    fn name(self) -> &'static str {
        match self {
            FirstScreen::Setup => "setup",
            FirstScreen::Lock => "lock",
            FirstScreen::Frame => "frame",
        }
    }
}

static WRITTEN: AtomicBool = AtomicBool::new(false);

/// Notes `screen` as the first one painted: once per run, and only when the variable is set.
pub fn note(screen: FirstScreen) {
    let Some(path) = std::env::var_os("MERCHANT_DESK_READY_FILE").filter(|p| !p.is_empty()) else {
        return;
    };
    if WRITTEN.swap(true, Ordering::SeqCst) {
        return;
    }
    tracing::info!(screen = screen.name(), "first screen painted");
    if let Err(err) = std::fs::write(&path, format!("{}\n", screen.name())) {
        tracing::warn!(error = %err, "the ready file could not be written");
    }
}
