//! Platform admins taking payments for orders through the desk, against the demo group: a
//! destination charge authorized with the platform's fee from the fee rules, captured in part
//! (the fee on what was captured, the rest released), never above what was authorized or after
//! the 7-day window; an authorization canceled; a direct charge; bad input and other roles refused
//! with nothing sent; owners may capture and cancel but not take.

#[allow(dead_code)]
mod common;

use common::{demo_group_of_admin, DemoGroup as World};
use md_core::money_calls::new_key;
use md_core::payments::take_views::{CancelReason, CaptureForm, ChargeType, TakePaymentForm};
use md_core::permissions::Role;
use md_core::views::{ErrorCode, ProfileForm};

fn seaport(w: &World) -> String {
    let state = w._stripe.lock();
    let found = state
        .objects_of_kind("account")
        .find(|(_, a)| a["business_profile"]["name"] == "Harbor & Vine Seaport Grill")
        .and_then(|(_, a)| a["id"].as_str().map(str::to_string));
    found.expect("Seaport Grill")
}

fn order(restaurant: &str, amount: &str, order: &str, later: bool) -> TakePaymentForm {
    TakePaymentForm {
        restaurant: restaurant.into(),
        amount: amount.into(),
        currency: "usd".into(),
        order_number: order.into(),
        charge_type: ChargeType::Destination,
        capture_later: later,
        payment_method: "pm_card_visa".into(),
    }
}

fn intents_at_stripe(w: &World) -> usize {
    w._stripe.lock().objects_of_kind("payment_intent").count()
}

#[tokio::test]
async fn an_authorization_is_captured_in_part_with_its_fee_and_the_rest_released() {
    let w = demo_group_of_admin().await;
    let restaurant = seaport(&w);
    let before = intents_at_stripe(&w);

    // Bad input: a clear sentence on its field, nothing sent.
    for (form, field) in [
        (order(&restaurant, "0", "CAT-900", true), "amount"),
        (order(&restaurant, "64.20", " ", true), "order_number"),
        (
            TakePaymentForm {
                payment_method: "4242424242424242".into(),
                ..order(&restaurant, "64.20", "CAT-900", true)
            },
            "payment_method",
        ),
        (order("acct_bad!", "64.20", "CAT-900", true), "restaurant"),
        (order(&restaurant, "0.25", "CAT-900", true), "amount"),
    ] {
        let err = w.desk.take_payment(&form, Some(&new_key())).await.unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some(field)), "{err}");
    }
    assert_eq!(intents_at_stripe(&w), before, "nothing sent");

    // Authorized at the table: the built-in 2.9% + 30¢ on $64.20 is $2.16.
    let key = new_key();
    let held = w.desk.take_payment(&order(&restaurant, "64.20", "CAT-900", true), Some(&key)).await.unwrap();
    assert_eq!(
        (held.status.as_str(), held.capturable.amount, held.fee.as_ref().map(|f| f.amount)),
        ("requires_capture", 6_420, Some(216))
    );
    assert!(held.capture_before.is_some() && held.order_number.as_deref() == Some("CAT-900"));
    let again = w.desk.take_payment(&order(&restaurant, "64.20", "CAT-900", true), Some(&key)).await.unwrap();
    assert_eq!(again.id, held.id, "a confirmation sent twice takes one payment");
    assert_eq!(intents_at_stripe(&w), before + 1);

    // More than was authorized: refused, nothing captured. Then $50 with the tip rounded off.
    let capture = |amount: Option<&str>| CaptureForm {
        restaurant: restaurant.clone(),
        payment: held.id.clone(),
        amount: amount.map(str::to_string),
    };
    let err = w.desk.capture_payment(&capture(Some("64.21")), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.field(), Some("amount"));
    assert!(err.user_message().contains("Only $64.20 was authorized"), "{}", err.user_message());
    let paid = w.desk.capture_payment(&capture(Some("50.00")), Some(&new_key())).await.unwrap();
    assert_eq!((paid.status.as_str(), paid.captured.amount, paid.capturable.amount), ("succeeded", 5_000, 0));
    assert_eq!(paid.fee.map(|f| f.amount), Some(175), "the fee on what was captured");
    let err = w.desk.capture_payment(&capture(None), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.field(), Some("payment"), "nothing left to capture: {err}");

    // Another authorization let go.
    let second = w.desk.take_payment(&order(&restaurant, "30.00", "CAT-901", true), Some(&new_key())).await.unwrap();
    let canceled = w
        .desk
        .cancel_payment(&restaurant, &second.id, CancelReason::RequestedByCustomer, Some(&new_key()))
        .await
        .unwrap();
    assert_eq!(canceled.status, "canceled");

    // A direct charge, paid at once on the restaurant's own account.
    let direct = TakePaymentForm { charge_type: ChargeType::Direct, ..order(&restaurant, "20.00", "CAT-902", false) };
    let direct = w.desk.take_payment(&direct, Some(&new_key())).await.unwrap();
    assert_eq!((direct.status.as_str(), direct.captured.amount), ("succeeded", 2_000));
    let on_restaurant = w._stripe.lock().scope_of(&direct.id).cloned();
    assert_eq!(on_restaurant, Some(Some(restaurant.clone())));

    // The client secret (which would let anyone confirm the payment) is never on disk.
    let secrets: i64 = w
        .store()
        .conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM objects WHERE raw LIKE '%client_secret%')
                  + (SELECT COUNT(*) FROM idempotency_journal WHERE response LIKE '%client_secret%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(secrets, 0);

    // Past the 7-day window an authorization can no longer be captured.
    let late = w.desk.take_payment(&order(&restaurant, "12.00", "CAT-903", true), Some(&new_key())).await.unwrap();
    w._stripe.advance_clock(std::time::Duration::from_secs(8 * 86_400));
    let err = w
        .desk
        .capture_payment(&CaptureForm { payment: late.id.clone(), ..capture(None) }, Some(&new_key()))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("payment"), "{err}");
}

#[tokio::test]
async fn owners_capture_and_cancel_but_only_admins_take_payments() {
    let w = demo_group_of_admin().await;
    let restaurant = seaport(&w);
    let held = w.desk.take_payment(&order(&restaurant, "40.00", "CAT-910", true), Some(&new_key())).await.unwrap();
    // An owner of another restaurant cannot reach this one's payment by naming their own.
    let other = w
        .desk
        .accounts_list(&Default::default(), 0, 500)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.id != restaurant && r.kind != "cardconnect")
        .unwrap()
        .id;
    w.desk
        .create_profile(&ProfileForm {
            name: "Olga".into(),
            role: Role::Owner,
            pin: Some("8642".into()),
            scope: Some(vec![other.clone()]),
        })
        .unwrap();
    for (name, role, pin) in [("Maria", Role::Owner, "4821"), ("Sam", Role::Staff, "1357")] {
        w.desk.create_profile(&ProfileForm { name: name.into(), role, pin: Some(pin.into()), scope: None }).unwrap();
    }
    let sign_in = |name: &str, pin: &str| {
        let id = w.desk.session().unwrap().profiles.iter().find(|p| p.name == name).unwrap().id;
        w.desk.unlock(id, pin).unwrap();
    };
    sign_in("Sam", "1357");
    let err =
        w.desk.cancel_payment(&restaurant, &held.id, CancelReason::Abandoned, Some(&new_key())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
    sign_in("Olga", "8642");
    let as_own = CaptureForm { restaurant: other.clone(), payment: held.id.clone(), amount: None };
    assert_eq!(w.desk.capture_payment(&as_own, Some(&new_key())).await.unwrap_err().code(), ErrorCode::NotFound);
    let as_theirs = CaptureForm { restaurant: restaurant.clone(), ..as_own };
    assert_eq!(
        w.desk.capture_payment(&as_theirs, Some(&new_key())).await.unwrap_err().code(),
        ErrorCode::RoleForbidden
    );
    sign_in("Maria", "4821");
    let err = w.desk.take_payment(&order(&restaurant, "5.00", "CAT-911", false), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
    let done = w
        .desk
        .capture_payment(
            &CaptureForm { restaurant: restaurant.clone(), payment: held.id.clone(), amount: None },
            Some(&new_key()),
        )
        .await
        .unwrap();
    assert_eq!((done.status.as_str(), done.captured.amount), ("succeeded", 4_000));
}

#[tokio::test]
async fn a_payment_needing_3d_secure_waits_for_the_customer_then_is_confirmed_here() {
    let w = demo_group_of_admin().await;
    let restaurant = seaport(&w);
    let form = TakePaymentForm {
        payment_method: "pm_card_threeDSecure2Required".into(),
        ..order(&restaurant, "45.00", "CAT-920", false)
    };
    let waiting = w.desk.take_payment(&form, Some(&new_key())).await.unwrap();
    assert_eq!(waiting.status, "requires_action");
    assert!(waiting.action_url.as_deref().is_some_and(|u| u.contains("/authenticate/")), "{waiting:?}");
    let early = w.desk.confirm_payment(&restaurant, &waiting.id, Some(&new_key())).await.unwrap_err();
    assert!(early.user_message().contains("not authenticated yet"), "{}", early.user_message());
    w._stripe.authenticate(&waiting.id, true).unwrap();
    let ready = w.desk.taken_payment(&restaurant, &waiting.id).await.unwrap();
    assert_eq!(ready.status, "requires_confirmation");
    let paid = w.desk.confirm_payment(&restaurant, &waiting.id, Some(&new_key())).await.unwrap();
    assert_eq!((paid.status.as_str(), paid.captured.amount), ("succeeded", 4_500));
}

#[tokio::test]
async fn a_cardconnect_tab_is_listed_captured_in_part_or_voided() {
    use md_core::gateways::cardconnect::{AuthRequest, PaymentAccount};
    let w = demo_group_of_admin().await;
    let merchid = cardconnect_emulator::DEMO_MERCHID_LAKESIDE;
    let client = w.cardconnect_client();
    let open_tab = |order: &str, amount: i64| AuthRequest {
        merchid: merchid.into(),
        account: PaymentAccount::Card { number: "4444333322221111".into(), expiry: "1230".into() },
        amount,
        currency: "usd".into(),
        orderid: order.into(),
        capture: false,
    };
    let tab = client.auth(&open_tab("HV-13-TAB1", 8_000)).await.unwrap();
    let other = client.auth(&open_tab("HV-13-TAB2", 3_000)).await.unwrap();
    // The desk learns of them as staff would look them up.
    for retref in [&tab.reference, &other.reference] {
        w.desk.taken_payment(merchid, retref).await.unwrap();
    }
    let listed = w.desk.authorizations().unwrap();
    let row = listed.iter().find(|r| r.id == tab.reference).expect("the tab is listed");
    assert_eq!((row.capturable.amount, row.order_number.as_deref()), (8_000, Some("HV-13-TAB1")));

    let capture = |amount: &str| CaptureForm {
        restaurant: merchid.into(),
        payment: tab.reference.clone(),
        amount: Some(amount.into()),
    };
    let err = w.desk.capture_payment(&capture("80.01"), Some(&new_key())).await.unwrap_err();
    assert_eq!(err.field(), Some("amount"), "{err}");
    let done = w.desk.capture_payment(&capture("72.50"), Some(&new_key())).await.unwrap();
    assert_eq!((done.status.as_str(), done.captured.amount), ("succeeded", 7_250));
    let voided =
        w.desk.cancel_payment(merchid, &other.reference, CancelReason::Abandoned, Some(&new_key())).await.unwrap();
    assert_eq!(voided.status, "canceled");
    let left: Vec<String> = w.desk.authorizations().unwrap().into_iter().map(|r| r.id).collect();
    assert!(!left.contains(&tab.reference) && !left.contains(&other.reference), "{left:?}");
}
