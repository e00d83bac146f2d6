//! The permission matrix, enforced for every registered command and every role, and the audit
//! record of every money-moving or settings command. `call` runs the same core function each
//! command runs (commands are one-line calls into the desk).

use std::sync::Arc;

use md_core::accounts::create_rules::{AccountForm, AccountType, BusinessType, CapabilityRequest};
use md_core::accounts::links::{AccountLinkUrls, LinkKind};
use md_core::accounts::profile_edit::BusinessProfileForm;
use md_core::accounts::views::AccountsFilter;
use md_core::clock::ManualClock;
use md_core::disputes::recommend::OrderType;
use md_core::disputes::views::{DisputeFilter, EvidenceDraft};
use md_core::fees::rules::{FeeRate, FeeSchedule};
use md_core::fees::views::FeePreviewForm;
use md_core::payments::take_views::{CancelReason, CaptureForm, ChargeType, TakePaymentForm};
use md_core::permissions::{allows, Guard, Role, COMMANDS};
use md_core::refunds::{RefundDraft, RefundLimits, RefundOrder};
use md_core::secrets::MemorySecrets;
use md_core::store::{audit, Store};
use md_core::transfers::views::{ReversalForm, TransferFilter, TransferForm};
use md_core::views::{
    AuditFilter, CardConnectForm, ChartBucket, ErrorCode, HistoryFilter, MerchantEntry, PaymentSearch, PayoutFilter,
    PayoutInterval, PayoutSchedule, ProfileForm,
};
use md_core::{Desk, DeskConfig, DeskError};
use stripe_emulator::{Config, Emulator, DEMO_API_KEY};

const PIN: &str = "2580";

struct World {
    dir: tempfile::TempDir,
    _emulator: Emulator,
    clock: Arc<ManualClock>,
    desk: Desk,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(Config::with_key(DEMO_API_KEY)).await.unwrap();
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        emulator.base_url(),
        DEMO_API_KEY.into(),
    );
    // Hundreds of sign-ins: the test cost, not the app's (checked in md-core's roles tests).
    config.pin_cost = md_core::profiles::PinCost::FAST_FOR_TESTS;
    let clock = Arc::new(ManualClock::default());
    config.clock = clock.clone();
    let desk = Desk::open(config).unwrap();
    World { dir, _emulator: emulator, clock, desk }
}

fn form(name: &str, role: Role) -> ProfileForm {
    ProfileForm { name: name.into(), role, pin: Some(PIN.into()), scope: None }
}

fn id_of(desk: &Desk, name: &str) -> i64 {
    desk.session()
        .unwrap()
        .profiles
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A CardConnect set-up as an owner would type it. The world is in demo mode, where the core
/// refuses it with a sentence (after the role check), so nothing is sent anywhere.
fn cardconnect_form() -> CardConnectForm {
    CardConnectForm {
        site: "harborvine".into(),
        api_user: "harborvine_api".into(),
        password: "matrix-test-password".into(),
        merchants: vec![MerchantEntry { merchid: "496400000113".into(), name: "Lakeside".into(), currency: None }],
    }
}

fn account_form() -> AccountForm {
    AccountForm {
        account_type: AccountType::Express,
        business_type: BusinessType::Company,
        country: "US".into(),
        email: "owner@dockside.example".into(),
        business_name: "Dockside Cantina".into(),
        mcc: "5812".into(),
        url: None,
        capabilities: CapabilityRequest { card_payments: true, transfers: true },
    }
}

fn refund_order() -> RefundOrder {
    RefundOrder {
        restaurant: "acct_1Missing".into(),
        payment: "ch_1Missing".into(),
        amount: 500,
        reason: None,
        note: None,
        approver_profile_id: None,
        approver_pin: None,
    }
}

fn weekly() -> PayoutSchedule {
    PayoutSchedule {
        interval: PayoutInterval::Weekly,
        delay_days: 3,
        weekly_anchor: Some("friday".into()),
        monthly_anchor: None,
    }
}

/// Who may run each command, written by hand from DESIGN.md's personas — not derived from
/// `md_core::permissions`, which it checks: O owner, M manager, S staff, A platform admin; `*` open
/// without a profile (the lock screen and first-run set-up). Changing who may do what means
/// changing this table on purpose.
const EXPECTED: &[(&str, &str)] = &[
    ("session_get", "*"),
    ("session_unlock", "*"),
    ("session_lock", "*"),
    ("session_touch", "*"),
    ("app_painted", "*"),
    ("setup_first_profile", "*"),
    ("profiles_list", "OA"),
    ("profiles_create", "OA"),
    ("profiles_update", "OA"),
    ("profiles_delete", "OA"),
    ("settings_set_idle_lock", "OA"),
    ("audit_list", "OA"),
    ("audit_export", "OA"),
    ("connection_connect", "OA"),
    ("connection_forget", "OA"),
    ("cardconnect_settings", "OA"),
    ("cardconnect_connect", "OA"),
    ("cardconnect_forget", "OA"),
    ("overview_get", "OMA"),
    ("overview_refresh", "OMA"),
    ("sync_run", "OMSA"),
    ("sync_status", "OMSA"),
    ("sync_cancel", "OMSA"),
    ("balances_get", "OA"),
    ("balance_history", "OA"),
    ("payouts_list", "OA"),
    ("payouts_chart", "OA"),
    ("payouts_export", "OA"),
    ("payout_detail", "OA"),
    ("payout_export_reconciliation", "OA"),
    ("payout_schedule_get", "OA"),
    ("payout_schedule_check", "OA"),
    ("payout_schedule_update", "OA"),
    ("payout_alerts_list", "OA"),
    ("payout_alert_dismiss", "OA"),
    ("unfinished_calls_list", "OA"),
    ("unfinished_calls_check", "OA"),
    ("unfinished_calls_resolve", "OA"),
    ("disputes_list", "OMA"),
    ("dispute_get", "OMA"),
    ("dispute_refresh", "OMA"),
    ("dispute_plan", "OMA"),
    ("dispute_draft_save", "OMA"),
    ("dispute_send", "OMA"),
    ("dispute_accept", "OMA"),
    ("dispute_attach", "OMA"),
    ("dispute_cover_letter_preview", "OMA"),
    ("dispute_cover_letter_attach", "OMA"),
    ("payments_search", "OMSA"),
    ("payments_look_up", "OMSA"),
    ("payments_restaurants", "OMSA"),
    ("payment_detail", "OMSA"),
    ("payment_refresh", "OMSA"),
    ("refund_preview", "OMSA"),
    ("refund_confirm", "OMSA"),
    ("refunds_mine", "OMSA"),
    ("refund_approvers", "OMSA"),
    ("refund_limits_get", "OMSA"),
    ("refund_limits_set", "OA"),
    ("accounts_list", "OA"),
    ("account_choices", "OA"),
    ("account_detail", "OMA"),
    ("account_create", "A"),
    ("account_onboarding_link", "A"),
    ("account_update_link", "OA"),
    ("account_login_link", "A"),
    ("account_link_open", "OA"),
    ("account_profile_update", "A"),
    ("account_mccs", "A"),
    ("account_countries", "A"),
    ("account_link_urls_get", "OA"),
    ("account_link_urls_set", "OA"),
    ("transfers_list", "A"),
    ("transfer_detail", "A"),
    ("transfer_create", "A"),
    ("transfer_reverse", "A"),
    ("transfers_bulk_preview", "A"),
    ("transfers_bulk_send", "A"),
    ("fees_get", "A"),
    ("fees_set", "A"),
    ("fee_preview", "A"),
    ("fees_collected", "A"),
    ("fees_collected_export", "A"),
    ("fee_refund", "A"),
    ("payment_take", "A"),
    ("payments_authorized", "OA"),
    ("payment_taken", "OMSA"),
    ("payment_capture", "OA"),
    ("payment_cancel", "OA"),
    ("payment_confirm", "A"),
];

fn letter(role: Role) -> char {
    match role {
        Role::Owner => 'O',
        Role::Manager => 'M',
        Role::Staff => 'S',
        Role::PlatformAdmin => 'A',
    }
}

/// Whether the hand-written table lets `role` run `command`.
fn expected(command: &str, role: Role) -> bool {
    let who = EXPECTED.iter().find(|(c, _)| *c == command).map(|(_, who)| *who);
    let who = who.unwrap_or_else(|| panic!("{command} is not in the hand-written table"));
    who == "*" || who.contains(letter(role))
}

#[test]
fn the_hand_written_table_and_the_code_agree_on_every_command_and_role() {
    let mut registered: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    let mut written: Vec<&str> = EXPECTED.iter().map(|(c, _)| *c).collect();
    registered.sort();
    written.sort();
    assert_eq!(registered, written, "every command is in the table, and only those");
    for command in COMMANDS {
        for role in Role::ALL {
            let code = match command.guard {
                Guard::Action(action) => allows(role, action),
                Guard::Public => true,
            };
            assert_eq!(code, expected(command.name, role), "{role:?} running {}", command.name);
        }
    }
}

#[tokio::test]
async fn every_guarded_command_refuses_while_signed_out_and_once_idle_locked() {
    let w = world().await;
    w.desk.setup_first_profile("Admin", Role::PlatformAdmin, PIN).unwrap();
    w.desk.create_profile(&form("Target", Role::Staff)).unwrap();
    w.desk.create_profile(&form("Spare x", Role::Staff)).unwrap();
    w.desk.set_idle_lock(1).unwrap();
    let guarded: Vec<&str> = COMMANDS.iter().filter(|c| matches!(c.guard, Guard::Action(_))).map(|c| c.name).collect();
    // Signed out: the admin locked the PC.
    w.desk.lock().unwrap();
    for name in &guarded {
        let result = call(&w, name, "Admin", "x").await;
        assert!(matches!(&result, Err(e) if e.code() == ErrorCode::Locked), "signed out, {name}: {result:?}");
    }
    // Idle: signed in, then longer than the idle lock without a touch.
    for name in &guarded {
        w.desk.unlock(id_of(&w.desk, "Admin"), PIN).unwrap();
        w.clock.advance(chrono::Duration::minutes(2));
        let result = call(&w, name, "Admin", "x").await;
        assert!(matches!(&result, Err(e) if e.code() == ErrorCode::Locked), "idle, {name}: {result:?}");
    }
}

/// Runs what command `name` runs, with plausible arguments.
async fn call(w: &World, name: &str, me: &str, tag: &str) -> Result<(), DeskError> {
    let desk = &w.desk;
    match name {
        "session_get" => desk.session().map(drop),
        "session_unlock" => desk.unlock(id_of(desk, me), PIN).map(drop),
        "session_lock" => desk.lock().map(drop),
        // Shell-only: notes the first painted screen for packaging checks; reaches no core data.
        "app_painted" => Ok(()),
        "session_touch" => {
            desk.touch();
            Ok(())
        }
        "setup_first_profile" => desk.setup_first_profile("Another", Role::Owner, PIN).map(drop),
        "settings_set_idle_lock" => desk.set_idle_lock(10).map(drop),
        "profiles_list" => desk.profiles().map(drop),
        "profiles_create" => desk.create_profile(&form(&format!("New {tag}"), Role::Staff)).map(drop),
        "profiles_update" => desk.update_profile(id_of(desk, "Target"), &form("Target", Role::Staff)).map(drop),
        "profiles_delete" => desk.delete_profile(id_of(desk, &format!("Spare {tag}"))).map(drop),
        "audit_list" => desk.audit_log(&AuditFilter::default()).map(drop),
        "audit_export" => {
            desk.export_audit_log(&AuditFilter::default(), &w.dir.path().join(format!("{tag}.csv"))).map(drop)
        }
        "connection_connect" => desk.connect("sk_test_tooShort", None).await.map(drop),
        "connection_forget" => desk.forget_key().map(drop),
        "cardconnect_settings" => desk.cardconnect_settings().map(drop),
        "cardconnect_connect" => desk.connect_cardconnect(&cardconnect_form()).await.map(drop),
        "cardconnect_forget" => desk.forget_cardconnect().map(drop),
        "overview_get" => desk.overview().map(drop),
        "overview_refresh" => desk.refresh_overview().await.map(drop),
        "sync_run" => desk.sync_run(false).await.map(drop),
        "sync_status" => desk.sync_status().map(drop),
        "sync_cancel" => desk.sync_cancel().map(drop),
        "balances_get" => desk.balances().map(drop),
        "balance_history" => desk.balance_history(&HistoryFilter::default(), 0, 50).map(drop),
        "payouts_list" => desk.payouts(&PayoutFilter::default(), 0, 50).map(drop),
        "payouts_chart" => desk.payouts_chart(&PayoutFilter::default(), ChartBucket::Week).map(drop),
        "payouts_export" => {
            desk.export_payouts(&PayoutFilter::default(), &w.dir.path().join(format!("p-{tag}.csv"))).map(drop)
        }
        "payout_detail" => desk.payout_detail("po_1Missing").await.map(drop),
        "payout_export_reconciliation" => {
            desk.export_reconciliation("po_1Missing", &w.dir.path().join(format!("r-{tag}.csv"))).await.map(drop)
        }
        "payout_schedule_get" => desk.payout_schedule("acct_1Missing").map(drop),
        "payout_schedule_check" => desk.check_payout_schedule("acct_1Missing", &weekly()).map(drop),
        "payout_schedule_update" => desk.update_payout_schedule("acct_1Missing", &weekly(), None).await.map(drop),
        "payout_alerts_list" => desk.payout_alerts().map(drop),
        "payout_alert_dismiss" => desk.dismiss_payout_alert("po_1Missing").map(drop),
        "unfinished_calls_list" => desk.unfinished_calls().map(drop),
        "unfinished_calls_check" => desk.check_unfinished_calls().await.map(drop),
        "unfinished_calls_resolve" => {
            desk.settle_unfinished_by_hand("md_00000000000000000000000000000000", true).map(drop)
        }
        "payments_search" => desk.payments_search(&PaymentSearch::default()).map(drop),
        "payments_look_up" => desk.payments_look_up_at_gateways("HV-01-1001").await.map(drop),
        "payments_restaurants" => desk.payment_restaurants().map(drop),
        "payment_detail" => desk.payment_detail("acct_1Missing", "ch_1Missing").map(drop),
        "payment_refresh" => desk.payment_refresh("acct_1Missing", "ch_1Missing").await.map(drop),
        "refund_preview" => desk
            .refund_preview(&RefundDraft {
                restaurant: "acct_1Missing".into(),
                payment: "ch_1Missing".into(),
                amount: None,
            })
            .await
            .map(drop),
        "refund_confirm" => desk.refund_confirm(&refund_order(), None).await.map(drop),
        "refunds_mine" => desk.my_refunds().map(drop),
        "refund_approvers" => desk.refund_approvers("acct_1Missing").map(drop),
        "refund_limits_get" => desk.refund_limits().map(drop),
        "refund_limits_set" => desk.set_refund_limits(&RefundLimits::default()).map(drop),
        "disputes_list" => desk.disputes(&DisputeFilter::default(), 0, 100).map(drop),
        "dispute_get" => desk.dispute_detail("dp_1Missing").map(drop),
        "dispute_refresh" => desk.dispute_refresh("dp_1Missing").await.map(drop),
        "dispute_plan" => desk.dispute_plan("dp_1Missing", OrderType::Delivery).map(drop),
        "dispute_draft_save" => desk.save_dispute_draft("dp_1Missing", &EvidenceDraft::default()).map(drop),
        "dispute_send" => desk.dispute_send("dp_1Missing", &EvidenceDraft::default(), false, None).await.map(drop),
        "dispute_accept" => desk.dispute_accept("dp_1Missing", None).await.map(drop),
        "dispute_attach" => desk
            .dispute_attach("dp_1Missing", "receipt", &w.dir.path().join("receipt.png"), &EvidenceDraft::default())
            .await
            .map(drop),
        "dispute_cover_letter_preview" => {
            desk.dispute_cover_letter_preview("dp_1Missing", &EvidenceDraft::default()).map(drop)
        }
        "dispute_cover_letter_attach" => {
            desk.dispute_attach_cover_letter("dp_1Missing", &EvidenceDraft::default()).await.map(drop)
        }
        "accounts_list" => desk.accounts_list(&AccountsFilter::default(), 0, 100).map(drop),
        "account_choices" => desk.account_choices(None).map(drop),
        "account_detail" => desk.account_detail("acct_1Missing").map(drop),
        "account_create" => desk.create_account(&account_form(), None).await.map(drop),
        "account_onboarding_link" => desk.account_link("acct_1Missing", LinkKind::Onboarding).await.map(drop),
        "account_update_link" => desk.account_link("acct_1Missing", LinkKind::Update).await.map(drop),
        "account_login_link" => desk.login_link("acct_1Missing").await.map(drop),
        "account_link_open" => desk.open_link("0123456789abcdef", |_| Ok(())),
        "account_profile_update" => desk
            .update_business_profile(
                "acct_1Missing",
                &BusinessProfileForm { name: "Grill".into(), mcc: "5812".into(), ..Default::default() },
                None,
            )
            .await
            .map(drop),
        "account_mccs" => desk.account_mccs("58").map(drop),
        "account_countries" => desk.account_countries().map(drop),
        "account_link_urls_get" => desk.account_link_urls().map(drop),
        "account_link_urls_set" => desk
            .set_account_link_urls(&AccountLinkUrls {
                return_url: "https://desk.example/done".into(),
                refresh_url: "https://desk.example/again".into(),
            })
            .map(drop),
        "transfers_list" => desk.transfers(&TransferFilter::default(), 0, 100).map(drop),
        "transfer_detail" => desk.transfer_detail("tr_1Missing").map(drop),
        "transfer_create" => desk
            .create_transfer(
                &TransferForm {
                    restaurant: "acct_1Missing".into(),
                    amount: "5".into(),
                    currency: "usd".into(),
                    description: "Tips".into(),
                },
                None,
            )
            .await
            .map(drop),
        "transfer_reverse" => desk
            .reverse_transfer(&ReversalForm { transfer: "tr_1Missing".into(), amount: None, reason: None }, None)
            .await
            .map(drop),
        "transfers_bulk_preview" => desk.bulk_transfer_preview("restaurant,amount,description\n").map(drop),
        "transfers_bulk_send" => desk
            .bulk_transfer_send(&md_core::transfers::bulk::BulkSend {
                csv: "restaurant,amount,description\n".into(),
                batch: String::new(),
            })
            .await
            .map(drop),
        "fees_get" => desk.fee_schedule().map(drop),
        "fees_collected" => desk.collected_fees(&Default::default()).map(drop),
        "fees_collected_export" => {
            desk.export_collected_fees(&Default::default(), &std::env::temp_dir().join("md-matrix-fees.csv")).map(drop)
        }
        "fee_refund" => desk.refund_collected_fee("fee_1Missing", None, None).await.map(drop),
        "fees_set" => desk
            .set_fee_schedule(&FeeSchedule {
                default: FeeRate { percent_bp: 290, fixed: 30 },
                tiers: Vec::new(),
                overrides: Vec::new(),
            })
            .await
            .map(drop),
        "fee_preview" => desk
            .fee_preview(&FeePreviewForm {
                restaurant: "acct_1Missing".into(),
                amount: "10".into(),
                currency: "usd".into(),
            })
            .map(drop),
        "payment_take" => desk
            .take_payment(
                &TakePaymentForm {
                    restaurant: "acct_1Missing".into(),
                    amount: "10".into(),
                    currency: "usd".into(),
                    order_number: "HV-1".into(),
                    charge_type: ChargeType::Destination,
                    capture_later: true,
                    payment_method: "pm_card_visa".into(),
                },
                None,
            )
            .await
            .map(drop),
        "payments_authorized" => desk.authorizations().map(drop),
        "payment_taken" => desk.taken_payment("acct_1Missing", "pi_1Missing").await.map(drop),
        "payment_capture" => desk
            .capture_payment(
                &CaptureForm { restaurant: "acct_1Missing".into(), payment: "pi_1Missing".into(), amount: None },
                None,
            )
            .await
            .map(drop),
        "payment_cancel" => {
            desk.cancel_payment("acct_1Missing", "pi_1Missing", CancelReason::Abandoned, None).await.map(drop)
        }
        "payment_confirm" => desk.confirm_payment("acct_1Missing", "pi_1Missing", None).await.map(drop),
        other => panic!("command {other} has no entry in the matrix test: add one"),
    }
}

#[tokio::test]
async fn every_command_enforces_the_matrix_for_every_role() {
    let w = world().await;
    // Only a platform admin may create another, so the admin sets the PC up.
    w.desk.setup_first_profile("Admin", Role::PlatformAdmin, PIN).unwrap();
    for (name, role) in
        [("Owner", Role::Owner), ("Manager", Role::Manager), ("Staff", Role::Staff), ("Target", Role::Staff)]
    {
        w.desk.create_profile(&form(name, role)).unwrap();
    }
    for (me, role) in
        [("Owner", Role::Owner), ("Manager", Role::Manager), ("Staff", Role::Staff), ("Admin", Role::PlatformAdmin)]
    {
        // As the owner, a profile this role may try to delete.
        w.desk.unlock(id_of(&w.desk, "Owner"), PIN).unwrap();
        w.desk.create_profile(&form(&format!("Spare {me}"), Role::Staff)).unwrap();
        w.desk.unlock(id_of(&w.desk, me), PIN).unwrap();
        for command in COMMANDS.iter().filter(|c| c.name != "session_lock") {
            let result = call(&w, command.name, me, me).await;
            let forbidden = matches!(&result, Err(e) if e.code() == ErrorCode::RoleForbidden);
            let expected = !expected(command.name, role);
            assert_eq!(forbidden, expected, "{:?} calling {}: {result:?}", role, command.name);
            // A refused call changes nothing, and a permitted one leaves this role signed in.
            w.desk.unlock(id_of(&w.desk, me), PIN).unwrap();
        }
        call(&w, "session_lock", me, me).await.unwrap();
        assert_eq!(w.desk.overview().unwrap_err().code(), ErrorCode::Locked);
    }
}

#[tokio::test]
async fn every_money_or_settings_command_writes_an_audit_record() {
    let audited: Vec<&str> = COMMANDS.iter().filter(|c| c.audited).map(|c| c.name).collect();
    assert!(audited.contains(&"connection_connect") && audited.contains(&"profiles_delete"), "{audited:?}");
    for name in audited {
        let w = world().await;
        let count = |w: &World| {
            let store = Store::open(&w.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
            audit::all(store.conn()).unwrap().len()
        };
        if name != "setup_first_profile" {
            w.desk.setup_first_profile("Owner", Role::Owner, PIN).unwrap();
            w.desk.create_profile(&form("Target", Role::Staff)).unwrap();
            w.desk.create_profile(&form("Spare x", Role::Staff)).unwrap();
        }
        let before = count(&w);
        let _ = call(&w, name, "Owner", "x").await;
        assert!(count(&w) > before, "{name} wrote no audit record");
    }
}
