//! Platform admins moving money to restaurants through the desk, against the demo group: a
//! transfer keyed and audited, reversed in part and never above what is left (checked against
//! Stripe, not the cache), bad forms and a disconnected restaurant refused with nothing sent, and
//! other roles refused.

#[allow(dead_code)]
mod common;

use common::{demo_group_of_admin, DemoGroup as World};
use md_core::money_calls::new_key;
use md_core::permissions::Role;
use md_core::transfers::views::{ReversalForm, TransferFilter, TransferForm};
use md_core::views::{ErrorCode, ProfileForm};

fn transfers_at_stripe(w: &World) -> usize {
    w._stripe.lock().objects_of_kind("transfer").count()
}

fn seaport(w: &World) -> String {
    let state = w._stripe.lock();
    let found = state
        .objects_of_kind("account")
        .find(|(_, a)| a["business_profile"]["name"] == "Harbor & Vine Seaport Grill")
        .and_then(|(_, a)| a["id"].as_str().map(str::to_string));
    found.expect("Seaport Grill in the demo group")
}

fn tips(restaurant: &str, amount: &str) -> TransferForm {
    TransferForm {
        restaurant: restaurant.into(),
        amount: amount.into(),
        currency: "usd".into(),
        description: "Weekly tips, 1–7 Dec".into(),
    }
}

#[tokio::test]
async fn an_admin_transfers_tips_and_claws_part_back_never_more_than_is_left() {
    let w = demo_group_of_admin().await;
    let restaurant = seaport(&w);
    let before = transfers_at_stripe(&w);

    // Bad forms: a clear sentence beside the field, nothing sent.
    for (form, field) in [
        (tips(&restaurant, "0"), "amount"),
        (tips(&restaurant, "-5"), "amount"),
        (tips(&restaurant, "12.345"), "amount"),
        (TransferForm { currency: "dollars".into(), ..tips(&restaurant, "5") }, "currency"),
        (TransferForm { description: " ".into(), ..tips(&restaurant, "5") }, "description"),
        (tips("acct_nope!", "5"), "restaurant"),
    ] {
        let err = w.desk.create_transfer(&form, Some(&new_key())).await.unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some(field)), "{err}");
    }
    let unknown = w.desk.create_transfer(&tips("acct_1UnknownRestaurant", "5"), Some(&new_key())).await.unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);
    assert_eq!(transfers_at_stripe(&w), before, "nothing sent");

    // Sent once, even when the confirmation is submitted twice.
    let key = new_key();
    let sent = w.desk.create_transfer(&tips(&restaurant, "120.00"), Some(&key)).await.unwrap();
    let again = w.desk.create_transfer(&tips(&restaurant, "120.00"), Some(&key)).await.unwrap();
    assert_eq!((sent.row.id.as_str(), sent.row.amount.amount), (again.row.id.as_str(), 12_000));
    assert_eq!(transfers_at_stripe(&w), before + 1);
    assert_eq!(sent.row.status_label, "Sent");
    let listed = w.desk.transfers(&TransferFilter { restaurant: Some(restaurant.clone()) }, 0, 100).unwrap();
    assert_eq!(listed.total as usize, listed.rows.len());
    assert_eq!(listed.rows[0].id, sent.row.id, "newest first, at once");

    // Part reversed; more than is left refused with nothing sent; the rest reversed.
    let id = sent.row.id.clone();
    let part =
        ReversalForm { transfer: id.clone(), amount: Some("20".into()), reason: Some("Double-counted shift".into()) };
    let after = w.desk.reverse_transfer(&part, Some(&new_key())).await.unwrap();
    assert_eq!((after.row.reversed.amount, after.row.left.amount), (2_000, 10_000));
    assert_eq!(after.row.status_label, "Partly reversed");
    assert_eq!(after.reversals[0].reason.as_deref(), Some("Double-counted shift"));
    let too_much = ReversalForm { transfer: id.clone(), amount: Some("100.01".into()), reason: None };
    let err = w.desk.reverse_transfer(&too_much, Some(&new_key())).await.unwrap_err();
    assert_eq!(err.field(), Some("amount"), "{err}");
    assert!(err.user_message().contains("100.00"), "{}", err.user_message());
    let reversals = || w._stripe.lock().objects_of_kind("transfer_reversal").count();
    let counted = reversals();
    let rest = w
        .desk
        .reverse_transfer(&ReversalForm { transfer: id.clone(), amount: None, reason: None }, Some(&new_key()))
        .await
        .unwrap();
    assert_eq!((rest.row.left.amount, rest.row.status_label.as_str()), (0, "Reversed"));
    assert_eq!(reversals(), counted + 1);
    assert!(rest.row.cannot_reverse.is_some());
    let audited: i64 = w
        .store()
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'transfers.%' AND outcome = 'succeeded'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 3, "one transfer and two reversals, each audited once");
}

#[tokio::test]
async fn a_disconnected_restaurant_gets_no_transfer_and_other_roles_none_at_all() {
    let w = demo_group_of_admin().await;
    let restaurant = seaport(&w);
    w._stripe.deauthorize(&restaurant).unwrap();
    assert_eq!(w.desk.sync_run(false).await.unwrap().last_error, None);
    let before = transfers_at_stripe(&w);
    let err = w.desk.create_transfer(&tips(&restaurant, "5"), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Disconnected, "{err}");
    assert_eq!(transfers_at_stripe(&w), before);

    w.desk
        .create_profile(&ProfileForm { name: "Maria".into(), role: Role::Owner, pin: Some("4821".into()), scope: None })
        .unwrap();
    let id = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Maria").unwrap().id;
    w.desk.unlock(id, "4821").unwrap();
    let err = w.desk.create_transfer(&tips(&restaurant, "5"), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.transfers(&TransferFilter::default(), 0, 100).unwrap_err().code(), ErrorCode::RoleForbidden);
}
