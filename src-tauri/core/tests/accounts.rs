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
    let listed =
        w.desk.accounts_list(&AccountsFilter { search: Some("dockside".into()), ..Default::default() }).unwrap();
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
    assert!(link.url.starts_with("https://") && link.qr.starts_with("data:image/svg+xml;base64,"));
    assert!(link.expires_at > chrono::Utc::now().timestamp());
    let modules = md_core::accounts::qr::matrix(&link.url).unwrap();
    assert!(modules.len() >= 21);

    // The Express dashboard link, once onboarding is done; a Standard account has none.
    let early = w.desk.login_link(&created.row.id).await.unwrap_err();
    assert!(early.user_message().contains("not finished onboarding"), "{}", early.user_message());
    let express = w
        .desk
        .accounts_list(&AccountsFilter {
            kind: Some("express".into()),
            status: Some("active".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let dashboard = w.desk.login_link(&express.id).await.unwrap();
    assert!(dashboard.starts_with("https://"), "{dashboard}");
    let standard = w
        .desk
        .accounts_list(&AccountsFilter { kind: Some("standard".into()), ..Default::default() })
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let err = w.desk.login_link(&standard.id).await.unwrap_err();
    assert!(err.user_message().contains("Standard account"), "{}", err.user_message());
}

#[tokio::test]
async fn the_list_puts_restricted_first_and_staff_or_managers_cannot_create() {
    let w = demo_group_of_admin().await;
    let rows = w.desk.accounts_list(&AccountsFilter::default()).unwrap();
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
