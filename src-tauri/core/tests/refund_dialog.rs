//! The refund dialog's path through the desk against the demo group: amounts typed in major units
//! read per currency and refused before anything is sent; the review says what confirming does
//! (remainder, method, who pays, approval); a confirmation sent twice refunds once and keeps who
//! issued it and the note; offline, nothing is sent or queued; a refund that fails days later is
//! shown in words and notified once.

#[allow(dead_code)]
mod common;

use std::sync::Arc;

use common::{demo_group, demo_group_notifying, Counting, DemoGroup as World};
use md_core::gateways::cardconnect::{AuthRequest, PaymentAccount};
use md_core::permissions::Role;
use md_core::refunds::{RefundDraft, RefundLimits, RefundMethod, RefundOrder, RefundStatus};
use md_core::views::{ErrorCode, PaymentSearch, ProfileForm};
use serde_json::Value;

fn profiles(w: &World) {
    for (name, role, pin) in [("Sam", Role::Staff, "1357"), ("Priya", Role::Manager, "9753")] {
        let form = ProfileForm { name: name.into(), role, pin: Some(pin.into()), scope: None };
        w.desk.create_profile(&form).unwrap();
    }
}

fn sign_in(w: &World, name: &str, pin: &str) {
    let id = w.desk.session().unwrap().profiles.iter().find(|p| p.name == name).map(|p| p.id).unwrap();
    w.desk.unlock(id, pin).unwrap();
}

/// A paid, unrefunded, undisputed Stripe payment in `currency` within `[min, max]` minor units.
fn payment(w: &World, currency: &str, min: i64, max: i64) -> (String, String, i64) {
    w.store()
        .conn()
        .query_row(
            "SELECT t.restaurant, t.reference, t.amount FROM transactions t
             WHERE t.gateway = 'stripe' AND t.kind IN ('purchase', 'capture') AND t.status = 'complete'
               AND t.refunded = 0 AND t.currency = ?1 AND t.amount BETWEEN ?2 AND ?3 AND t.restaurant != ''
               AND NOT EXISTS (SELECT 1 FROM objects d WHERE d.kind = 'dispute' AND d.parent = t.reference)
             ORDER BY t.created DESC LIMIT 1",
            rusqlite::params![currency, min, max],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn refunds_at_stripe(w: &World) -> Vec<Value> {
    w._stripe.lock().objects_of_kind("refund").map(|(_, v)| v.clone()).collect()
}

fn draft(account: &str, charge: &str, amount: Option<&str>) -> RefundDraft {
    RefundDraft { restaurant: account.into(), payment: charge.into(), amount: amount.map(str::to_string) }
}

fn order(account: &str, charge: &str, amount: i64, note: Option<&str>) -> RefundOrder {
    RefundOrder {
        restaurant: account.into(),
        payment: charge.into(),
        amount,
        reason: Some("requested_by_customer".into()),
        note: note.map(str::to_string),
        approver_profile_id: None,
        approver_pin: None,
    }
}

#[tokio::test]
async fn typed_amounts_are_read_per_currency_and_bad_ones_send_nothing() {
    let w = demo_group().await;
    profiles(&w);
    let (account, charge, amount) = payment(&w, "usd", 1_000, 4_900);
    let (yen_account, yen_charge, _) = payment(&w, "jpy", 500, 100_000);
    sign_in(&w, "Sam", "1357");
    let sent = refunds_at_stripe(&w).len();
    for (account, charge, typed, says) in [
        (&account, &charge, "0", "above zero"),
        (&account, &charge, "-5", "positive"),
        (&account, &charge, "12.505", "USD has at most 2 decimals"),
        (&account, &charge, "12,50", "not an amount"),
        (&yen_account, &yen_charge, "500.5", "JPY has no decimals"),
        (&account, &charge, &format!("{}.01", amount / 100 + 1), "At most"),
    ] {
        let err = w.desk.refund_preview(&draft(account, charge, Some(typed))).await.unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("amount")), "{typed}: {err}");
        assert!(err.user_message().contains(says), "{typed}: {}", err.user_message());
    }
    assert_eq!(refunds_at_stripe(&w).len(), sent, "a review sends nothing");

    // The whole remainder by default; a part leaves the rest; the effect says who pays.
    let all = w.desk.refund_preview(&draft(&account, &charge, None)).await.unwrap();
    assert_eq!((all.amount.amount, all.left_after.amount, all.method), (amount, 0, RefundMethod::Refund));
    let part = w.desk.refund_preview(&draft(&account, &charge, Some("5"))).await.unwrap();
    assert_eq!((part.amount.amount, part.left_after.amount), (500, amount - 500));
    assert!(part.effect.contains("Stripe balance") && part.effect.contains("fee"), "{}", part.effect);
    assert_eq!((part.needs_approval, part.limit.as_ref().map(|l| l.amount)), (false, Some(5_000)));
    let (big_account, big_charge, _) = payment(&w, "usd", 6_000, 20_000);
    let big = w.desk.refund_preview(&draft(&big_account, &big_charge, None)).await.unwrap();
    assert!(big.needs_approval, "above the staff limit");

    // Staff do not change the limits.
    let err = w.desk.set_refund_limits(&RefundLimits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RoleForbidden);
}

#[tokio::test]
async fn a_confirmation_sent_twice_refunds_once_and_keeps_who_and_why() {
    let w = demo_group().await;
    profiles(&w);
    let (account, charge, amount) = payment(&w, "usd", 1_000, 4_900);
    sign_in(&w, "Sam", "1357");
    let sent = refunds_at_stripe(&w).len();
    let key = md_core::money_calls::new_key();
    let asked = order(&account, &charge, 700, Some("Cold soup, table 4"));
    // A double click: both at once, then once more after.
    let (first, second) =
        tokio::join!(w.desk.refund_confirm(&asked, Some(&key)), w.desk.refund_confirm(&asked, Some(&key)));
    let third = w.desk.refund_confirm(&asked, Some(&key)).await.unwrap();
    let done = [first, second].into_iter().filter_map(Result::ok).collect::<Vec<_>>();
    assert!(!done.is_empty());
    assert_eq!(refunds_at_stripe(&w).len(), sent + 1, "one refund at Stripe");
    assert_eq!(third.refund.id, done[0].refund.id, "the same refund, answered again");
    assert_eq!(third.message, "Refunded 7.00 USD.");
    let made = refunds_at_stripe(&w).into_iter().find(|r| r["id"] == third.refund.id.as_str()).unwrap();
    assert_eq!(made["metadata"]["issued_by"], "Sam");
    assert_eq!(made["amount"], 700);

    // The direct charge's fee went back with it.
    let journal: String = w
        .store()
        .conn()
        .query_row("SELECT params FROM idempotency_journal WHERE key = ?1", [&key], |r| r.get(0))
        .unwrap();
    assert!(journal.contains("refund_application_fee"), "{journal}");

    // The payment's timeline, the refunds and My refunds say who, how much and why.
    let detail = w.desk.payment_detail(&account, &charge).unwrap();
    assert_eq!(detail.payment.refunded.amount, 700);
    assert_eq!(detail.payment.refundable.amount, amount - 700);
    let refund = &detail.refunds[0];
    assert_eq!((refund.status, refund.issued_by.as_deref()), (RefundStatus::Succeeded, Some("Sam")));
    assert_eq!(refund.note.as_deref(), Some("Cold soup, table 4"));
    let line = detail.timeline.iter().find(|e| e.kind == "refund").unwrap();
    assert!(line.detail.as_deref().unwrap_or("").contains("Issued by Sam"), "{line:?}");
    let mine = w.desk.my_refunds().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].refund.id, refund.id);
    let refreshed = w.desk.payment_refresh(&account, &charge).await.unwrap();
    assert_eq!(refreshed.refunds.len(), 1);
}

#[tokio::test]
async fn offline_a_refund_is_refused_and_nothing_is_queued() {
    let w = demo_group().await;
    profiles(&w);
    let (account, charge, _) = payment(&w, "usd", 1_000, 4_900);
    sign_in(&w, "Sam", "1357");
    let sent = refunds_at_stripe(&w).len();
    w._stripe.set_offline(true);
    let err = w.desk.refund_preview(&draft(&account, &charge, Some("2.00"))).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Offline, "{err}");
    let err = w.desk.refund_confirm(&order(&account, &charge, 200, None), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Offline, "{err}");
    assert!(err.user_message().contains("nothing is waiting to be sent"), "{}", err.user_message());
    w._stripe.set_offline(false);
    assert_eq!(refunds_at_stripe(&w).len(), sent);
    let journalled: i64 =
        w.store().conn().query_row("SELECT count(*) FROM idempotency_journal", [], |r| r.get(0)).unwrap();
    assert_eq!(journalled, 0, "nothing journalled to be sent later");
    assert!(w.desk.my_refunds().unwrap().is_empty());
    // Back online, the same refund goes through.
    w.desk.refund_confirm(&order(&account, &charge, 200, None), None).await.unwrap();
    assert_eq!(refunds_at_stripe(&w).len(), sent + 1);
}

#[tokio::test]
async fn a_refund_that_fails_later_shows_why_and_is_notified_once() {
    let notes = Arc::new(Counting::default());
    let w = demo_group_notifying(notes.clone()).await;
    let (account, charge, _) = payment(&w, "usd", 1_000, 4_900);
    let done = w.desk.refund_confirm(&order(&account, &charge, 300, None), None).await.unwrap();
    notes.0.lock().unwrap().clear();
    w._stripe.fail_refund(&done.refund.id, "expired_or_canceled_card").unwrap();
    w.desk.sync_run(false).await.unwrap();
    let detail = w.desk.payment_detail(&account, &charge).unwrap();
    let refund = detail.refunds.iter().find(|r| r.id == done.refund.id).unwrap();
    assert_eq!(refund.status, RefundStatus::Failed);
    assert_eq!(refund.failure.as_deref(), Some("the card has expired or was cancelled"));
    assert_eq!(detail.payment.refunded.amount, 0, "the failed refund no longer counts");
    let mine = w.desk.my_refunds().unwrap();
    assert_eq!(mine[0].refund.status, RefundStatus::Failed);
    let shown = notes.0.lock().unwrap().clone();
    let failed: Vec<_> = shown.iter().filter(|(t, _)| t == "Refund failed").collect();
    assert_eq!(failed.len(), 1, "{shown:?}");
    assert!(failed[0].1.contains("expired"), "{}", failed[0].1);
    w.desk.sync_run(false).await.unwrap();
    let again = notes.0.lock().unwrap().iter().filter(|(t, _)| t == "Refund failed").count();
    assert_eq!(again, 1, "notified once");
}

#[tokio::test]
async fn a_cardconnect_payment_is_voided_before_settlement() {
    let w = demo_group().await;
    let merchid = cardconnect_emulator::DEMO_MERCHID_LAKESIDE;
    // Paid at the counter a moment ago: in tonight's batch, not settled yet.
    let sale = w
        .cardconnect_client()
        .auth(&AuthRequest {
            merchid: merchid.into(),
            account: PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() },
            amount: 3_150,
            currency: "usd".into(),
            orderid: "HV-13-DIALOG-1".into(),
            capture: true,
        })
        .await
        .unwrap();
    let retref = sale.reference;
    // CardPointe lists no transactions: the search finds today's sale once asked by its order ID.
    let search = |text: &str| PaymentSearch { text: Some(text.into()), ..Default::default() };
    assert_eq!(w.desk.payments_search(&search("HV-13-DIALOG-1")).unwrap().total, 0);
    assert_eq!(w.desk.payments_look_up_at_gateways("HV-13-DIALOG-1").await.unwrap(), 1);
    assert_eq!(w.desk.payments_look_up_at_gateways("sam@example.com").await.unwrap(), 0);
    let found = w.desk.payments_search(&search("hv-13-dialog-1")).unwrap();
    assert_eq!(found.rows[0].reference, retref);
    let preview = w.desk.refund_preview(&draft(merchid, &retref, None)).await.unwrap();
    assert_eq!(preview.method, RefundMethod::Void);
    assert!(preview.effect.contains("never charged"), "{}", preview.effect);
    let part = w.desk.refund_preview(&draft(merchid, &retref, Some("1.00"))).await.unwrap_err();
    assert!(part.user_message().contains("only cancel it whole"), "{}", part.user_message());
    let done = w.desk.refund_confirm(&order(merchid, &retref, preview.amount.amount, Some("wrong card")), None).await;
    let done = done.unwrap();
    assert_eq!(done.refund.method, RefundMethod::Void);
    assert!(done.message.starts_with("Voided"), "{}", done.message);
    let detail = w.desk.payment_detail(merchid, &retref).unwrap();
    assert_eq!(detail.payment.status_label, "Voided");
    assert_eq!(detail.payment.amount.amount, 3_150, "a full void answers 0.00; the payment keeps its amount");
    assert!(detail.not_refundable.is_some());
    let mine = w.desk.my_refunds().unwrap();
    assert_eq!((mine[0].refund.note.as_deref(), mine[0].refund.amount.amount), (Some("wrong card"), 3_150));
}
