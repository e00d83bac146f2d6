//! Reads `tauri.conf.json` from the repository root and declares our commands, so that each needs
//! an explicit `allow-…` permission in `capabilities/` (nothing is allowed by default).

/// Every command the shell registers. `bindings::tests` checks this list against the registered
/// commands, the capability file and `md_core::permissions::COMMANDS`, so they cannot drift apart.
const COMMANDS: &[&str] = &[
    "session_get",
    "session_unlock",
    "session_lock",
    "session_touch",
    "setup_first_profile",
    "profiles_list",
    "profiles_create",
    "profiles_update",
    "profiles_delete",
    "settings_set_idle_lock",
    "audit_list",
    "audit_export",
    "connection_connect",
    "connection_forget",
    "cardconnect_settings",
    "cardconnect_connect",
    "cardconnect_forget",
    "overview_get",
    "overview_refresh",
    "sync_run",
    "sync_status",
    "sync_cancel",
    "balances_get",
    "balance_history",
    "payouts_list",
    "payouts_chart",
    "payouts_export",
    "payout_detail",
    "payout_export_reconciliation",
    "payout_schedule_get",
    "payout_schedule_check",
    "payout_schedule_update",
    "payout_alerts_list",
    "payout_alert_dismiss",
    "unfinished_calls_list",
    "unfinished_calls_check",
    "unfinished_calls_resolve",
    "disputes_list",
    "dispute_get",
    "dispute_refresh",
    "dispute_plan",
    "dispute_draft_save",
    "dispute_send",
    "dispute_accept",
    "dispute_attach",
    "dispute_cover_letter_preview",
    "dispute_cover_letter_attach",
    "payments_search",
    "payments_look_up",
    "payments_restaurants",
    "payment_detail",
    "payment_refresh",
    "refund_preview",
    "refund_confirm",
    "refunds_mine",
    "refund_approvers",
    "refund_limits_get",
    "refund_limits_set",
    "accounts_list",
    "account_detail",
    "account_create",
    "account_onboarding_link",
    "account_update_link",
    "account_login_link",
    "account_mccs",
    "account_countries",
    "account_link_urls_get",
    "account_link_urls_set",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {err:#}");
    }
}
