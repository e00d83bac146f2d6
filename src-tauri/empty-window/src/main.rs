//! The baseline `bench window` measures Merchant Desk against: what Tauri 2 costs by itself.
//! One window, one heading, no commands, no state, the same crates and release profile.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("empty window: {err}");
        std::process::exit(1);
    }
}
