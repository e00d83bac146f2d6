//! Reads `tauri.conf.json` from the repository root and declares our commands, so that each needs
//! an explicit `allow-…` permission in `capabilities/` (nothing is allowed by default).

/// Every command the shell registers. `bindings::tests` checks this list against the registered
/// commands and the capability file, so the three cannot drift apart.
const COMMANDS: &[&str] =
    &["session_get", "connection_connect", "connection_forget", "overview_get", "overview_refresh"];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {err:#}");
    }
}
