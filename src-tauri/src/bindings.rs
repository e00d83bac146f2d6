//! The command list and the TypeScript bindings generated from it (`ui/src/bindings.ts`).
//! Regenerate with `UPDATE_BINDINGS=1 cargo test -p merchant-desk bindings`; the test fails when
//! the committed file is stale.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events};

use crate::commands::{
    accounts, audit, cardconnect, connection, disputes, fees, overview, payments_take, payouts, profiles, refunds,
    session, sync, transfers, unfinished,
};
use crate::events;

pub fn builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .events(collect_events![events::SyncChanged, events::SessionLocked])
        .commands(collect_commands![
            session::session_get,
            session::session_unlock,
            session::session_lock,
            session::session_touch,
            session::app_painted,
            session::setup_first_profile,
            session::settings_set_idle_lock,
            profiles::profiles_list,
            profiles::profiles_create,
            profiles::profiles_update,
            profiles::profiles_delete,
            audit::audit_list,
            audit::audit_export,
            connection::connection_connect,
            connection::connection_forget,
            cardconnect::cardconnect_settings,
            cardconnect::cardconnect_connect,
            cardconnect::cardconnect_forget,
            overview::overview_get,
            overview::overview_refresh,
            sync::sync_run,
            sync::sync_status,
            sync::sync_cancel,
            payouts::balances_get,
            payouts::balance_history,
            payouts::payouts_list,
            payouts::payouts_chart,
            payouts::payouts_export,
            payouts::payout_detail,
            payouts::payout_export_reconciliation,
            payouts::payout_schedule_get,
            payouts::payout_schedule_check,
            payouts::payout_schedule_update,
            payouts::payout_alerts_list,
            payouts::payout_alert_dismiss,
            unfinished::unfinished_calls_list,
            unfinished::unfinished_calls_check,
            unfinished::unfinished_calls_resolve,
            disputes::disputes_list,
            disputes::dispute_get,
            disputes::dispute_refresh,
            disputes::dispute_plan,
            disputes::dispute_draft_save,
            disputes::dispute_send,
            disputes::dispute_accept,
            disputes::dispute_attach,
            disputes::dispute_cover_letter_preview,
            disputes::dispute_cover_letter_attach,
            refunds::payments_search,
            refunds::payments_look_up,
            refunds::payments_restaurants,
            refunds::payment_detail,
            refunds::payment_refresh,
            refunds::refund_preview,
            refunds::refund_confirm,
            refunds::refunds_mine,
            refunds::refund_approvers,
            refunds::refund_limits_get,
            refunds::refund_limits_set,
            accounts::accounts_list,
            accounts::account_choices,
            accounts::account_detail,
            accounts::account_create,
            accounts::account_onboarding_link,
            accounts::account_update_link,
            accounts::account_login_link,
            accounts::account_link_open,
            accounts::account_profile_update,
            accounts::account_mccs,
            accounts::account_countries,
            accounts::account_link_urls_get,
            accounts::account_link_urls_set,
            transfers::transfers_list,
            transfers::transfer_detail,
            transfers::transfer_create,
            transfers::transfer_reverse,
            transfers::transfers_bulk_preview,
            transfers::transfers_bulk_send,
            fees::fees_get,
            fees::fees_set,
            fees::fee_preview,
            fees::fees_collected,
            fees::fees_collected_export,
            fees::fee_refund,
            payments_take::payment_take,
            payments_take::payments_authorized,
            payments_take::payment_taken,
            payments_take::payment_capture,
            payments_take::payment_cancel,
            payments_take::payment_confirm,
        ])
}

/// 64-bit integers refuse to export; the few that cross (minor-unit amounts, Unix times, row IDs)
/// are marked `specta_typescript::Number` at their definition: exact below 2^53, far above any
/// amount or time we handle.
pub fn exporter() -> Typescript {
    Typescript::default().header("// Generated from the Rust command signatures by tauri-specta. Do not edit.\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn bindings_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts")
    }

    #[test]
    fn bindings_are_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        builder().export(exporter(), &fresh).expect("export bindings");
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(bindings_path(), &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(bindings_path()).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p merchant-desk bindings` and commit it"
        );
    }

    /// The command list in build.rs (permissions), the capability file and the registered commands
    /// must name the same commands.
    #[test]
    fn every_command_has_exactly_one_permission() {
        let build_rs = include_str!("../build.rs");
        let capability: serde_json::Value = serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let mut allowed: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().trim_start_matches("allow-").replace('-', "_"))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.ts");
        builder().export(exporter(), &path).unwrap();
        let ts = std::fs::read_to_string(path).unwrap();
        let mut registered: Vec<String> = ts
            .match_indices("TAURI_INVOKE(\"")
            .map(|(i, _)| ts[i + 14..].split('"').next().unwrap().to_string())
            .collect();
        registered.sort();
        allowed.sort();
        let allowed: Vec<String> = allowed.into_iter().filter(|p| !p.contains(':')).collect();
        assert_eq!(registered, allowed, "capabilities/default.json");
        for name in &registered {
            assert!(build_rs.contains(&format!("\"{name}\"")), "build.rs COMMANDS lacks {name}");
        }
        let mut core: Vec<String> = md_core::permissions::COMMANDS.iter().map(|c| c.name.to_string()).collect();
        core.sort();
        assert_eq!(registered, core, "md_core::permissions::COMMANDS must list every registered command");
    }
}
