//! Platform admins onboarding a restaurant through the desk, against the demo group: a new
//! Express account created through the door and listed at once; its onboarding link with a QR code
//! that reads back to it; the Express dashboard link (and why a Standard account has none); bad
//! forms and other roles refused with nothing sent.

#[allow(dead_code)]
mod common;

use common::{demo_group_of_admin, DemoGroup as World};
use md_core::accounts::create_rules::{AccountForm, AccountType, BusinessType, CapabilityRequest};
use md_core::accounts::links::{AccountLinkUrls, LinkKind};
use md_core::accounts::views::AccountsFilter;
use md_core::money_calls::new_key;
use md_core::permissions::Role;
use md_core::views::{ErrorCode, ProfileForm};

fn form(email: &str, country: &str, mcc: &str) -> AccountForm {
    AccountForm {
        account_type: AccountType::Express,
        business_type: BusinessType::Company,
        country: country.into(),
        email: email.into(),
        business_name: "Harbor & Vine Dockside Cantina".into(),
        mcc: mcc.into(),
        url: Some("https://dockside.example".into()),
        capabilities: CapabilityRequest { card_payments: true, transfers: true },
    }
}

/// The first listed restaurant of type `kind` (and `status`).
fn first_account(w: &World, kind: &str, status: Option<&str>) -> md_core::accounts::views::AccountListRow {
    let filter = AccountsFilter { kind: Some(kind.into()), status: status.map(str::to_string), ..Default::default() };
    w.desk.accounts_list(&filter, 0, 500).unwrap().rows.remove(0)
}

fn accounts_at_stripe(w: &World) -> usize {
    w._stripe.lock().objects_of_kind("account").count()
}

fn sign_in(w: &World, name: &str, pin: &str) {
    let id = w.desk.session().unwrap().profiles.iter().find(|p| p.name == name).unwrap().id;
    w.desk.unlock(id, pin).unwrap();
}

#[tokio::test]
async fn an_admin_creates_a_restaurant_and_hands_over_its_onboarding_link() {
    let w = demo_group_of_admin().await;
    // Owners may not create accounts; an admin may.
    w.desk
        .create_profile(&ProfileForm { name: "Maria".into(), role: Role::Owner, pin: Some("4821".into()), scope: None })
        .unwrap();
    sign_in(&w, "Maria", "4821");
    let err = w.desk.create_account(&form("owner@dockside.example", "US", "5812"), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
    sign_in(&w, "Ada", "1593");

    // Bad forms: a clear sentence, nothing sent.
    let before = accounts_at_stripe(&w);
    for (bad, field) in [
        (form("not-an-email", "US", "5812"), "email"),
        (form("owner@dockside.example", "KP", "5812"), "country"),
        (form("owner@dockside.example", "US", "abc"), "mcc"),
    ] {
        let err = w.desk.create_account(&bad, None).await.unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some(field)), "{err}");
    }
    assert_eq!(accounts_at_stripe(&w), before, "nothing sent");

    // Created through the door, listed at once as pending with what Stripe needs.
    let created = w.desk.create_account(&form("owner@dockside.example", "US", "5812"), Some(&new_key())).await.unwrap();
    assert_eq!(accounts_at_stripe(&w), before + 1);
    assert_eq!((created.row.kind.as_str(), created.mcc.as_deref()), ("express", Some("5812")));
    let listed = w
        .desk
        .accounts_list(&AccountsFilter { search: Some("dockside".into()), ..Default::default() }, 0, 500)
        .unwrap()
        .rows;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.row.id);
    assert!(!created.requirements.summary.is_empty());

    // The onboarding link needs the return addresses first, then comes with its QR code.
    let none = w.desk.account_link(&created.row.id, LinkKind::Onboarding).await.unwrap_err();
    assert!(none.user_message().contains("Settings"), "{}", none.user_message());
    let urls = AccountLinkUrls {
        return_url: "https://desk.example/onboarding/done".into(),
        refresh_url: "https://desk.example/onboarding/again".into(),
    };
    w.desk.set_account_link_urls(&urls).unwrap();
    let link = w.desk.account_link(&created.row.id, LinkKind::Onboarding).await.unwrap();
    // The emulator hosts Stripe's onboarding pages itself, at its own address.
    assert!(link.url.starts_with("http://127.0.0.1:") && link.url.contains("/setup/s/"), "{}", link.url);
    assert!(link.qr.starts_with("data:image/svg+xml;base64,"));
    assert!(link.expires_at > chrono::Utc::now().timestamp());
    let modules = md_core::accounts::qr::matrix(&link.url).unwrap();
    assert!(modules.len() >= 21);

    // The Express dashboard link, once onboarding is done; a Standard account has none.
    let early = w.desk.login_link(&created.row.id).await.unwrap_err();
    assert!(early.user_message().contains("not finished onboarding"), "{}", early.user_message());
    let express = first_account(&w, "express", Some("active"));
    let dashboard = w.desk.login_link(&express.id).await.unwrap();
    assert!(dashboard.url.contains("/express/"), "{}", dashboard.url);
    let standard = first_account(&w, "standard", None);
    let err = w.desk.login_link(&standard.id).await.unwrap_err();
    assert!(err.user_message().contains("Standard account"), "{}", err.user_message());
}

#[tokio::test]
async fn the_list_puts_restricted_first_and_staff_or_managers_cannot_create() {
    let w = demo_group_of_admin().await;
    let rows = w.desk.accounts_list(&AccountsFilter::default(), 0, 500).unwrap().rows;
    let first_active =
        rows.iter().position(|r| r.status == md_core::accounts::AccountStatus::Active && r.due_count == 0);
    let last_restricted = rows.iter().rposition(|r| r.status == md_core::accounts::AccountStatus::Restricted);
    if let (Some(a), Some(r)) = (first_active, last_restricted) {
        assert!(r < a, "restricted before quiet active ones");
    }
    assert!(rows.iter().any(|r| r.kind == "cardconnect"), "CardConnect restaurants are listed");
    let restricted = rows.iter().find(|r| r.status == md_core::accounts::AccountStatus::Restricted).unwrap();
    let detail = w.desk.account_detail(&restricted.id).unwrap();
    assert!(
        detail.requirements.items.iter().all(|i| !i.sentence.is_empty() && !i.what.contains('.')),
        "{:?}",
        detail.requirements.items
    );

    for (name, role, pin) in [("Priya", Role::Manager, "9753"), ("Sam", Role::Staff, "1357")] {
        w.desk.create_profile(&ProfileForm { name: name.into(), role, pin: Some(pin.into()), scope: None }).unwrap();
    }
    for (name, pin) in [("Priya", "9753"), ("Sam", "1357")] {
        sign_in(&w, name, pin);
        let err = w.desk.create_account(&form("x@y.example", "US", "5812"), None).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::RoleForbidden, "{name}");
        sign_in(&w, "Ada", "1593");
    }
}

fn urls() -> AccountLinkUrls {
    AccountLinkUrls {
        return_url: "https://desk.example/onboarding/done".into(),
        refresh_url: "https://desk.example/onboarding/again".into(),
    }
}

/// What a browser with redirects off sees at `url` (status, Location).
async fn visit(url: &str, post: bool) -> (u16, Option<String>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = if post { client.post(url).send().await } else { client.get(url).send().await }.unwrap();
    let location = answer.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    (answer.status().as_u16(), location)
}

#[tokio::test]
async fn the_owner_completes_onboarding_and_the_account_turns_active_after_sync() {
    let w = demo_group_of_admin().await;
    w.desk.set_account_link_urls(&urls()).unwrap();
    let created = w.desk.create_account(&form("owner@dockside.example", "US", "5812"), Some(&new_key())).await.unwrap();
    let id = created.row.id.clone();
    assert_eq!(created.row.status, md_core::accounts::AccountStatus::Pending);
    let link = w.desk.account_link(&id, LinkKind::Onboarding).await.unwrap();

    // A browser that fails to open leaves the link usable; opened once, a second time is refused,
    // as Stripe would send the owner away.
    let failed = w.desk.open_link(&link.handle, |_| Err("no browser".into())).unwrap_err();
    assert!(failed.user_message().contains("still usable"), "{}", failed.user_message());
    let mut opened = Vec::new();
    w.desk
        .open_link(&link.handle, |url| {
            opened.push(url.to_string());
            Ok(())
        })
        .unwrap();
    assert_eq!(opened, vec![link.url.clone()]);
    let again = w.desk.open_link(&link.handle, |_| Ok(())).unwrap_err();
    assert!(again.user_message().contains("used once"), "{}", again.user_message());

    // The owner goes through Stripe's pages (the emulator hosts them), and comes back.
    assert_eq!(visit(&link.url, false).await.0, 200);
    assert_eq!(visit(&link.url, true).await, (303, Some(urls().return_url)));
    assert_eq!(visit(&link.url, false).await, (303, Some(urls().refresh_url)), "a used link leads to refresh");

    // The cache still says pending until a sync reads the account's events.
    assert_eq!(w.desk.account_detail(&id).unwrap().row.status, md_core::accounts::AccountStatus::Pending);
    let status = w.desk.sync_run(false).await.unwrap();
    assert_eq!(status.last_error, None);
    let detail = w.desk.account_detail(&id).unwrap();
    assert_eq!(detail.row.status, md_core::accounts::AccountStatus::Active, "{:?}", detail.row);
    assert!(detail.requirements.items.is_empty() && detail.details_submitted && detail.charges_enabled);
    let listed = w
        .desk
        .accounts_list(&AccountsFilter { search: Some("Dockside".into()), ..Default::default() }, 0, 500)
        .unwrap()
        .rows;
    assert_eq!(listed[0].status, md_core::accounts::AccountStatus::Active, "the list shows the newest copy");

    // Now the Express dashboard link exists; it opens once.
    let dashboard = w.desk.login_link(&id).await.unwrap();
    assert_eq!(dashboard.seconds_left, md_core::accounts::handed::DASHBOARD_LINK_SECONDS);
    w.desk.open_link(&dashboard.handle, |url| if url == dashboard.url { Ok(()) } else { Err(url.into()) }).unwrap();
    assert!(w.desk.open_link(&dashboard.handle, |_| Ok(())).is_err());

    // Later changes: an Express owner goes through an onboarding link again (Stripe makes
    // `account_update` links only for Custom accounts).
    let update = w.desk.account_link(&id, LinkKind::Update).await.unwrap();
    assert!(update.url.contains("/setup/s/") && update.seconds_left == 300, "{update:?}");
}

#[tokio::test]
async fn an_expired_link_is_never_opened() {
    let w = demo_group_of_admin().await;
    w.desk.set_account_link_urls(&urls()).unwrap();
    w._stripe.set_account_link_lifetime(std::time::Duration::from_secs(1));
    let pending = first_account(&w, "custom", Some("pending"));
    let link = w.desk.account_link(&pending.id, LinkKind::Onboarding).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let err = w.desk.open_link(&link.handle, |_| Ok(())).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("link")));
    assert!(err.user_message().contains("expired"), "{}", err.user_message());
    assert!(w.desk.open_link("not-a-handle", |_| Ok(())).unwrap_err().user_message().contains("make a new one"));
    let refused = w
        .store()
        .conn()
        .query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'accounts.link' AND outcome = 'refused'", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    assert_eq!(refused, 2, "each refusal is audited");
}

#[tokio::test]
async fn the_business_profile_is_edited_through_the_door() {
    use md_core::accounts::profile_edit::BusinessProfileForm;
    let w = demo_group_of_admin().await;
    let express = first_account(&w, "express", Some("active"));
    let edit = BusinessProfileForm {
        name: "Harbor & Vine Seaport Grill & Bar".into(),
        mcc: "5813".into(),
        url: Some("https://seaport.example".into()),
        support_email: Some("help@seaport.example".into()),
        support_phone: Some("+1 617 555 0100".into()),
    };
    let bad = BusinessProfileForm { mcc: "bar".into(), ..edit.clone() };
    let err = w.desk.update_business_profile(&express.id, &bad, Some(&new_key())).await.unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("mcc")));
    let detail = w.desk.update_business_profile(&express.id, &edit, Some(&new_key())).await.unwrap();
    assert_eq!(detail.business_name.as_deref(), Some("Harbor & Vine Seaport Grill & Bar"));
    assert_eq!((detail.mcc.as_deref(), detail.url.as_deref()), (Some("5813"), Some("https://seaport.example")));
    let at_stripe = w._stripe.lock().account(&express.id).unwrap()["business_profile"].clone();
    assert_eq!(at_stripe["support_phone"], "+1 617 555 0100");
    let standard = first_account(&w, "standard", None);
    let err = w.desk.update_business_profile(&standard.id, &edit, Some(&new_key())).await.unwrap_err();
    assert!(err.user_message().contains("Standard account"), "{}", err.user_message());
}

#[tokio::test]
async fn a_disconnected_restaurant_is_shown_so_and_no_money_moves_for_it() {
    use md_core::refunds::{RefundDraft, RefundOrder};
    let w = demo_group_of_admin().await;
    w.desk.set_account_link_urls(&urls()).unwrap();
    // A restaurant with a paid, unrefunded card payment.
    let (account, charge): (String, String) = w
        .store()
        .conn()
        .query_row(
            "SELECT restaurant, reference FROM transactions WHERE gateway = 'stripe' AND restaurant LIKE 'acct_%'
               AND kind IN ('purchase', 'capture') AND status = 'complete' AND refunded = 0 AND currency = 'usd'
             ORDER BY created DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(w.desk.payment_detail(&account, &charge).unwrap().not_refundable.is_none());

    w._stripe.deauthorize(&account).unwrap();
    let status = w.desk.sync_run(false).await.unwrap();
    assert_eq!(status.last_error, None, "a disconnection does not fail the sync");

    let row = w
        .desk
        .accounts_list(&AccountsFilter::default(), 0, 500)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.id == account)
        .unwrap();
    assert!(row.disconnected && row.status_words.as_deref() == Some("Disconnected from the platform"));
    let detail = w.desk.account_detail(&account).unwrap();
    assert!(detail.disconnected.as_deref().is_some_and(|d| d.contains("revoked")), "{:?}", detail.disconnected);
    assert!(!detail.may_manage && !detail.may_send_update, "no links for it");
    let why = w.desk.payment_detail(&account, &charge).unwrap().not_refundable.unwrap();
    assert!(why.contains("disconnected"), "{why}");
    assert!(!w.desk.payout_schedule(&account).unwrap().can_edit);

    // Every money action is refused before anything is journalled or sent.
    let refunds_before = w._stripe.lock().objects_of_kind("refund").count();
    let draft = RefundDraft { restaurant: account.clone(), payment: charge.clone(), amount: None };
    assert_eq!(w.desk.refund_preview(&draft).await.unwrap_err().code(), ErrorCode::Disconnected);
    let order = RefundOrder {
        restaurant: account.clone(),
        payment: charge.clone(),
        amount: 100,
        reason: Some("requested_by_customer".into()),
        note: None,
        approver_profile_id: None,
        approver_pin: None,
    };
    let err = w.desk.refund_confirm(&order, Some(&new_key())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Disconnected, "{err}");
    assert_eq!(w.desk.account_link(&account, LinkKind::Update).await.unwrap_err().code(), ErrorCode::Disconnected);
    assert_eq!(w._stripe.lock().objects_of_kind("refund").count(), refunds_before, "nothing sent");
    let journalled =
        w.store().conn().query_row("SELECT COUNT(*) FROM idempotency_journal", [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(journalled, 0, "nothing waits to be sent");

    // A second sync neither fails nor forgets it.
    assert_eq!(w.desk.sync_run(false).await.unwrap().last_error, None);
    assert!(w.desk.account_detail(&account).unwrap().row.disconnected);
}

#[tokio::test]
async fn a_restaurant_stripe_refuses_as_revoked_is_disconnected_without_its_event() {
    let w = demo_group_of_admin().await;
    let active = first_account(&w, "express", Some("active"));
    // The strictest Stripe: not even the deauthorization event can be read.
    w._stripe.set_revoked_events_readable(false);
    w._stripe.deauthorize(&active.id).unwrap();
    let status = w.desk.sync_run(false).await.unwrap();
    assert_eq!(status.last_error, None, "a revoked restaurant is not a sync failure");
    let detail = w.desk.account_detail(&active.id).unwrap();
    assert!(detail.row.disconnected && detail.disconnected.is_some(), "{:?}", detail.row);
    assert_eq!(w.desk.sync_run(false).await.unwrap().last_error, None);
}

#[tokio::test]
async fn the_list_pages_in_one_order_with_its_total_and_an_owner_pages_their_own() {
    let w = demo_group_of_admin().await;
    let every = AccountsFilter::default();
    let whole = w.desk.accounts_list(&every, 0, 500).unwrap();
    assert!(whole.total as usize == whole.rows.len() && whole.rows.len() > 5, "{}", whole.total);
    // Pages of 5 from every offset add up to the whole list, in its order, each with the total.
    let mut paged = Vec::new();
    for offset in (0..whole.total + 5).step_by(5) {
        let page = w.desk.accounts_list(&every, offset, 5).unwrap();
        assert_eq!((page.total, page.offset), (whole.total, offset));
        assert!(page.rows.len() <= 5);
        paged.extend(page.rows.into_iter().map(|r| r.id));
    }
    assert_eq!(paged, whole.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
    // A filter's total counts what it lists, not the page.
    let restricted = AccountsFilter { status: Some("restricted".into()), ..Default::default() };
    let page = w.desk.accounts_list(&restricted, 0, 1).unwrap();
    let expected = whole.rows.iter().filter(|r| r.status == md_core::accounts::AccountStatus::Restricted).count();
    assert_eq!((page.total as usize, page.rows.len()), (expected, expected.min(1)));
    // The pickers offer every connected account, by name; the active ones when asked.
    let choices = w.desk.account_choices(None).unwrap();
    assert_eq!(choices.len(), whole.rows.iter().filter(|r| r.kind != "cardconnect").count());
    assert!(w.desk.account_choices(Some("active")).unwrap().iter().all(|c| c.status.as_str() == "active"));

    // An owner of two restaurants sees those two, in the same order, and counts two.
    let mine: Vec<String> =
        whole.rows.iter().filter(|r| r.kind != "cardconnect").take(2).map(|r| r.id.clone()).collect();
    w.desk
        .create_profile(&ProfileForm {
            name: "Maria".into(),
            role: Role::Owner,
            pin: Some("4821".into()),
            scope: Some(mine.clone()),
        })
        .unwrap();
    sign_in(&w, "Maria", "4821");
    let own = w.desk.accounts_list(&every, 0, 1).unwrap();
    assert_eq!((own.total, own.rows.len()), (2, 1));
    let second = w.desk.accounts_list(&every, 1, 1).unwrap();
    assert_eq!(vec![own.rows[0].id.clone(), second.rows[0].id.clone()], mine);
    let picked: Vec<String> = w.desk.account_choices(None).unwrap().into_iter().map(|c| c.id).collect();
    assert!(picked.len() == 2 && mine.iter().all(|id| picked.contains(id)), "{picked:?}");
}
