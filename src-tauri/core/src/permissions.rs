//! Who may do what: the role × action matrix, as data, in one place, and the action behind every
//! command. The desk checks the active profile against it before any work; the UI only hides what
//! the matrix refuses anyway.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Staff,
    PlatformAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Manager, Role::Staff, Role::PlatformAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Seniority: staff < manager < owner < platform admin. A profile may give or manage only
    /// roles up to its own, so nobody can create someone stronger than themselves.
    pub fn rank(self) -> u8 {
        match self {
            Role::Staff => 0,
            Role::Manager => 1,
            Role::Owner => 2,
            Role::PlatformAdmin => 3,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Manager => "Manager",
            Role::Staff => "Staff",
            Role::PlatformAdmin => "Platform admin",
        }
    }
}

/// Everything a signed-in profile can do. Each guarded command maps to exactly one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Platform and account balances, and the connected accounts list.
    ViewOverview,
    /// Balances and their history, payouts, their reconciliation and schedule.
    ViewPayouts,
    /// Change a connected account's payout schedule.
    ManagePayoutSchedule,
    /// Find payments and see their refunds.
    ViewPayments,
    /// Give money back: kept apart from looking payments up, so a role may one day look without
    /// refunding (refund limits and approval come on top, per role and currency).
    RefundPayment,
    /// Disputes and their evidence.
    ViewDisputes,
    /// Stage or submit evidence, accept a dispute: managers answer them, never staff.
    ManageDisputes,
    /// Onboard and manage connected accounts.
    ViewAccounts,
    /// Create connected accounts, make onboarding and Express dashboard links (platform admins).
    ManageAccounts,
    /// Send a restaurant's owner a link to update what Stripe needs (owners, for their restaurants).
    SendAccountLinks,
    /// Move the platform's money to restaurants and claw it back (platform admins).
    ManageTransfers,
    /// Set the platform's fee schedule and preview fees (platform admins).
    ManageFees,
    /// Take a payment for an order, and confirm one after 3-D Secure (platform admins).
    TakePayments,
    /// Capture or cancel an authorization (owners for their restaurants, platform admins).
    CapturePayments,
    /// Paste or forget the Stripe key, point the app at another API base URL.
    ManageConnection,
    /// Create, change and delete profiles.
    ManageProfiles,
    /// App settings such as the idle lock.
    ManageSettings,
    /// Read and export the audit log.
    ViewAudit,
}

impl Action {
    pub const ALL: [Action; 18] = [
        Action::ViewOverview,
        Action::ViewPayouts,
        Action::ManagePayoutSchedule,
        Action::ViewPayments,
        Action::RefundPayment,
        Action::ViewDisputes,
        Action::ManageDisputes,
        Action::ViewAccounts,
        Action::ManageAccounts,
        Action::SendAccountLinks,
        Action::ManageTransfers,
        Action::ManageFees,
        Action::TakePayments,
        Action::CapturePayments,
        Action::ManageConnection,
        Action::ManageProfiles,
        Action::ManageSettings,
        Action::ViewAudit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::ViewOverview => "see balances and accounts",
            Action::ViewPayouts => "see payouts",
            Action::ManagePayoutSchedule => "change payout schedules",
            Action::ViewPayments => "look up payments",
            Action::RefundPayment => "refund payments",
            Action::ViewDisputes => "see disputes",
            Action::ManageDisputes => "answer disputes",
            Action::ViewAccounts => "see connected accounts",
            Action::ManageAccounts => "create connected accounts and their links",
            Action::SendAccountLinks => "send owners a link to update their Stripe details",
            Action::ManageTransfers => "transfer money to restaurants and reverse transfers",
            Action::ManageFees => "set the platform's fees",
            Action::TakePayments => "take payments for orders",
            Action::CapturePayments => "capture or cancel authorized payments",
            Action::ManageConnection => "change the Stripe connection",
            Action::ManageProfiles => "manage profiles",
            Action::ManageSettings => "change settings",
            Action::ViewAudit => "see the audit log",
        }
    }
}

use Action::*;
use Role::*;

/// The matrix. A pair not listed is refused.
const ALLOWED: &[(Role, &[Action])] = &[
    (
        Owner,
        &[
            ViewOverview,
            ViewPayouts,
            ManagePayoutSchedule,
            ViewPayments,
            RefundPayment,
            ViewDisputes,
            ManageDisputes,
            // Their restaurants' accounts (a profile's scope narrows the list): what Stripe needs,
            // and update links to send; creating accounts and onboarding stay with platform admins.
            ViewAccounts,
            SendAccountLinks,
            CapturePayments,
            ManageConnection,
            ManageProfiles,
            ManageSettings,
            ViewAudit,
        ],
    ),
    (
        PlatformAdmin,
        &[
            ViewOverview,
            ViewPayouts,
            ManagePayoutSchedule,
            ViewPayments,
            RefundPayment,
            ViewDisputes,
            ManageDisputes,
            ViewAccounts,
            ManageAccounts,
            SendAccountLinks,
            ManageTransfers,
            ManageFees,
            TakePayments,
            CapturePayments,
            ManageConnection,
            ManageProfiles,
            ManageSettings,
            ViewAudit,
        ],
    ),
    (Manager, &[ViewOverview, ViewPayments, RefundPayment, ViewDisputes, ManageDisputes]),
    (Staff, &[ViewPayments, RefundPayment]),
];

pub fn allows(role: Role, action: Action) -> bool {
    ALLOWED.iter().any(|(r, actions)| *r == role && actions.contains(&action))
}

/// How a command is guarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Needs a signed-in profile whose role allows this action.
    Action(Action),
    /// Open without a profile: the lock screen and first-run set-up use these.
    Public,
}

/// One registered command: its guard, and whether it changes money or settings (then it must
/// write an audit record).
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub guard: Guard,
    pub audited: bool,
}

const fn cmd(name: &'static str, guard: Guard, audited: bool) -> CommandSpec {
    CommandSpec { name, guard, audited }
}

/// Every command the shell registers. Tests check this list against the registered commands,
/// the capability file and the matrix.
pub const COMMANDS: &[CommandSpec] = &[
    cmd("session_get", Guard::Public, false),
    cmd("session_unlock", Guard::Public, false),
    cmd("session_lock", Guard::Public, false),
    cmd("session_touch", Guard::Public, false),
    cmd("app_painted", Guard::Public, false),
    cmd("setup_first_profile", Guard::Public, true),
    cmd("profiles_list", Guard::Action(ManageProfiles), false),
    cmd("profiles_create", Guard::Action(ManageProfiles), true),
    cmd("profiles_update", Guard::Action(ManageProfiles), true),
    cmd("profiles_delete", Guard::Action(ManageProfiles), true),
    cmd("settings_set_idle_lock", Guard::Action(ManageSettings), true),
    cmd("audit_list", Guard::Action(ViewAudit), false),
    cmd("audit_export", Guard::Action(ViewAudit), false),
    cmd("connection_connect", Guard::Action(ManageConnection), true),
    cmd("connection_forget", Guard::Action(ManageConnection), true),
    cmd("cardconnect_settings", Guard::Action(ManageConnection), false),
    cmd("cardconnect_connect", Guard::Action(ManageConnection), true),
    cmd("cardconnect_forget", Guard::Action(ManageConnection), true),
    cmd("overview_get", Guard::Action(ViewOverview), false),
    cmd("overview_refresh", Guard::Action(ViewOverview), false),
    cmd("sync_run", Guard::Action(ViewPayments), false),
    cmd("sync_status", Guard::Action(ViewPayments), false),
    cmd("sync_cancel", Guard::Action(ViewPayments), false),
    cmd("balances_get", Guard::Action(ViewPayouts), false),
    cmd("balance_history", Guard::Action(ViewPayouts), false),
    cmd("payouts_list", Guard::Action(ViewPayouts), false),
    cmd("payouts_chart", Guard::Action(ViewPayouts), false),
    cmd("payouts_export", Guard::Action(ViewPayouts), false),
    cmd("payout_detail", Guard::Action(ViewPayouts), false),
    cmd("payout_export_reconciliation", Guard::Action(ViewPayouts), false),
    cmd("payout_schedule_get", Guard::Action(ViewPayouts), false),
    cmd("payout_schedule_check", Guard::Action(ManagePayoutSchedule), false),
    cmd("payout_schedule_update", Guard::Action(ManagePayoutSchedule), true),
    cmd("payout_alerts_list", Guard::Action(ViewPayouts), false),
    cmd("payout_alert_dismiss", Guard::Action(ViewPayouts), false),
    cmd("unfinished_calls_list", Guard::Action(ManageSettings), false),
    cmd("unfinished_calls_check", Guard::Action(ManageSettings), false),
    cmd("unfinished_calls_resolve", Guard::Action(ManageSettings), true),
    cmd("disputes_list", Guard::Action(ViewDisputes), false),
    cmd("dispute_get", Guard::Action(ViewDisputes), false),
    cmd("dispute_refresh", Guard::Action(ViewDisputes), false),
    cmd("dispute_plan", Guard::Action(ViewDisputes), false),
    cmd("dispute_draft_save", Guard::Action(ManageDisputes), false),
    cmd("dispute_send", Guard::Action(ManageDisputes), true),
    cmd("dispute_accept", Guard::Action(ManageDisputes), true),
    cmd("dispute_attach", Guard::Action(ManageDisputes), true),
    cmd("dispute_cover_letter_preview", Guard::Action(ManageDisputes), false),
    cmd("dispute_cover_letter_attach", Guard::Action(ManageDisputes), true),
    cmd("payments_search", Guard::Action(ViewPayments), false),
    cmd("payments_look_up", Guard::Action(ViewPayments), false),
    cmd("payments_restaurants", Guard::Action(ViewPayments), false),
    cmd("payment_detail", Guard::Action(ViewPayments), false),
    cmd("payment_refresh", Guard::Action(ViewPayments), false),
    cmd("refund_preview", Guard::Action(RefundPayment), false),
    cmd("refund_confirm", Guard::Action(RefundPayment), true),
    cmd("refunds_mine", Guard::Action(RefundPayment), false),
    cmd("refund_approvers", Guard::Action(RefundPayment), false),
    cmd("refund_limits_get", Guard::Action(RefundPayment), false),
    cmd("refund_limits_set", Guard::Action(ManageSettings), true),
    cmd("accounts_list", Guard::Action(ViewAccounts), false),
    cmd("account_choices", Guard::Action(ViewAccounts), false),
    cmd("account_detail", Guard::Action(ViewOverview), false),
    cmd("account_create", Guard::Action(ManageAccounts), true),
    cmd("account_onboarding_link", Guard::Action(ManageAccounts), true),
    cmd("account_update_link", Guard::Action(SendAccountLinks), true),
    cmd("account_login_link", Guard::Action(ManageAccounts), true),
    cmd("account_link_open", Guard::Action(SendAccountLinks), true),
    cmd("account_profile_update", Guard::Action(ManageAccounts), true),
    cmd("account_mccs", Guard::Action(ManageAccounts), false),
    cmd("account_countries", Guard::Action(ManageAccounts), false),
    cmd("account_link_urls_get", Guard::Action(ManageSettings), false),
    cmd("account_link_urls_set", Guard::Action(ManageSettings), true),
    cmd("transfers_list", Guard::Action(ManageTransfers), false),
    cmd("transfer_detail", Guard::Action(ManageTransfers), false),
    cmd("transfer_create", Guard::Action(ManageTransfers), true),
    cmd("transfer_reverse", Guard::Action(ManageTransfers), true),
    cmd("transfers_bulk_preview", Guard::Action(ManageTransfers), false),
    cmd("transfers_bulk_send", Guard::Action(ManageTransfers), true),
    cmd("fees_get", Guard::Action(ManageFees), false),
    cmd("fees_set", Guard::Action(ManageFees), true),
    cmd("fee_preview", Guard::Action(ManageFees), false),
    cmd("fees_collected", Guard::Action(ManageFees), false),
    cmd("fees_collected_export", Guard::Action(ManageFees), false),
    cmd("fee_refund", Guard::Action(ManageFees), true),
    cmd("payment_take", Guard::Action(TakePayments), true),
    cmd("payments_authorized", Guard::Action(CapturePayments), false),
    cmd("payment_taken", Guard::Action(ViewPayments), false),
    cmd("payment_capture", Guard::Action(CapturePayments), true),
    cmd("payment_cancel", Guard::Action(CapturePayments), true),
    cmd("payment_confirm", Guard::Action(TakePayments), true),
];

pub fn command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_row_and_staff_sees_no_money_or_settings() {
        for role in Role::ALL {
            assert!(ALLOWED.iter().any(|(r, _)| *r == role), "{role:?} has no row");
        }
        for action in [
            ViewOverview,
            ViewPayouts,
            ManagePayoutSchedule,
            ViewDisputes,
            ManageDisputes,
            ManageAccounts,
            SendAccountLinks,
            ManageConnection,
            ManageProfiles,
            ManageSettings,
            ViewAudit,
        ] {
            assert!(!allows(Staff, action), "staff may {action:?}");
        }
        assert!(!allows(Owner, ManageAccounts) && allows(PlatformAdmin, ManageAccounts), "only admins onboard");
        for action in [
            ViewPayouts,
            ManagePayoutSchedule,
            ViewAccounts,
            ManageAccounts,
            SendAccountLinks,
            ManageConnection,
            ManageProfiles,
            ManageSettings,
        ] {
            assert!(!allows(Manager, action), "manager may {action:?}");
        }
        for action in Action::ALL {
            assert!(allows(PlatformAdmin, action), "admin may not {action:?}");
        }
    }

    #[test]
    fn every_role_that_serves_customers_may_refund() {
        for role in Role::ALL {
            assert!(allows(role, RefundPayment), "{role:?} may not refund");
            assert!(allows(role, ViewPayments), "{role:?} may not look payments up");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn command_names_are_unique() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
    }
}
