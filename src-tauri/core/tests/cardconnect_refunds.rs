//! Refunding a CardConnect payment through the desk (the one door) against the demo emulators:
//! a settled payment is refunded, in part and then the rest; an unsettled one voided, whole; the
//! choice comes from CardPointe's settlement status; bad input and wrong choices are refused with
//! a sentence and change nothing at CardPointe; a lost answer is settled by inquiry, once.

mod common;

use common::{demo_group, DemoGroup as World};
use md_core::desk::RefundRequest;
use md_core::gateways::cardconnect::{AuthRequest, PaymentAccount};
use md_core::gateways::GatewayKind;
use md_core::store::{audit, journal, transactions};
use md_core::views::ErrorCode;
use md_core::DeskError;

const LAKESIDE: &str = cardconnect_emulator::DEMO_MERCHID_LAKESIDE;
const TAQUERIA: &str = cardconnect_emulator::DEMO_MERCHID_TAQUERIA;

async fn world() -> World {
    demo_group().await
}

impl World {
    /// A settled, unrefunded payment of at least $20 at `merchid`, from the cache.
    fn settled_payment(&self, merchid: &str) -> (String, i64) {
        self.store()
            .conn()
            .query_row(
                "SELECT reference, amount FROM transactions WHERE gateway = 'cardconnect' AND restaurant = ?1
                   AND kind = 'purchase' AND status = 'complete' AND settled = 1 AND refunded = 0 AND amount >= 2000
                 ORDER BY created DESC LIMIT 1",
                [merchid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    /// Refunds the emulator holds for `retref`.
    fn refunds_of(&self, retref: &str) -> Vec<i64> {
        self.cardconnect
            .snapshot()
            .txns
            .iter()
            .filter(|t| t.parent.as_deref() == Some(retref))
            .map(|t| t.amount)
            .collect()
    }
}

fn request(merchid: &str, payment: &str, amount: Option<i64>) -> RefundRequest {
    RefundRequest {
        account: Some(merchid.to_string()),
        payment: payment.to_string(),
        amount,
        reason: Some("requested_by_customer".into()),
        approval: None,
        note: None,
    }
}

fn refused(err: &DeskError) -> (ErrorCode, String) {
    (err.code(), err.user_message())
}

#[tokio::test]
async fn a_settled_payment_is_refunded_in_part_then_the_rest_and_never_beyond() {
    let w = world().await;
    let (retref, amount) = w.settled_payment(LAKESIDE);

    let part = w.desk.refund(&request(LAKESIDE, &retref, Some(1_000)), None).await.unwrap();
    assert_eq!(w.refunds_of(&retref), [1_000]);
    let cached = transactions::get(w.store().conn(), GatewayKind::CardConnect, &retref).unwrap().unwrap();
    assert_eq!(cached.refunded, 1_000, "the cache knows at once");
    assert!(part.value["reference"].is_string());

    let before = w.cardconnect.snapshot();
    let over = w.desk.refund(&request(LAKESIDE, &retref, Some(amount)), None).await.unwrap_err();
    let (code, message) = refused(&over);
    assert_eq!(code, ErrorCode::InvalidInput);
    assert!(message.contains("left to refund"), "{message}");
    assert_eq!(w.cardconnect.snapshot(), before, "nothing sent");

    w.desk.refund(&request(LAKESIDE, &retref, None), None).await.unwrap();
    assert_eq!(w.refunds_of(&retref), [1_000, amount - 1_000]);
    let again = w.desk.refund(&request(LAKESIDE, &retref, None), None).await.unwrap_err();
    assert!(refused(&again).1.contains("refunded already"), "{}", refused(&again).1);

    // Who asked, what, and how it ended, in the audit log.
    let rows = audit::all(w.store().conn()).unwrap();
    let refunds: Vec<_> = rows.iter().filter(|r| r.action == "refunds.create").collect();
    assert!(refunds.iter().any(|r| r.outcome == "succeeded" && r.amount == Some(1_000)));
    assert!(refunds.iter().any(|r| r.outcome == "refused"));
}

#[tokio::test]
async fn an_unsettled_payment_is_voided_whole_and_wrong_merchants_are_refused() {
    let w = world().await;
    let sale = w
        .cardconnect_client()
        .auth(&AuthRequest {
            merchid: TAQUERIA.into(),
            account: PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() },
            amount: 4_250,
            currency: "usd".into(),
            orderid: "HV-14-TEST-1".into(),
            capture: true,
        })
        .await
        .unwrap();
    let before = w.cardconnect.snapshot();
    let part = w.desk.refund(&request(TAQUERIA, &sale.reference, Some(1_000)), None).await.unwrap_err();
    assert!(refused(&part).1.contains("only cancel it whole"), "{}", refused(&part).1);
    // The merchant ID must be the payment's own: CardPointe refuses any other.
    let elsewhere = w.desk.refund(&request(LAKESIDE, &sale.reference, None), None).await.unwrap_err();
    assert!(refused(&elsewhere).1.contains("has no payment"), "{}", refused(&elsewhere).1);
    let malformed = w.desk.refund(&request(TAQUERIA, "ch_123", None), None).await.unwrap_err();
    assert_eq!(refused(&malformed).0, ErrorCode::InvalidInput);
    let unknown = w.desk.refund(&request("999999999999", &sale.reference, None), None).await.unwrap_err();
    assert_eq!(refused(&unknown).0, ErrorCode::NotFound);
    assert_eq!(w.cardconnect.snapshot(), before, "nothing reached CardPointe");

    w.desk.refund(&request(TAQUERIA, &sale.reference, None), None).await.unwrap();
    let now = w.cardconnect_client().inquire(TAQUERIA, &sale.reference).await.unwrap().unwrap();
    assert_eq!(now.kind, md_core::gateways::TxType::Void, "{now:?}");
    assert!(w.refunds_of(&sale.reference).is_empty(), "voided, not refunded");
}

#[tokio::test]
async fn a_lost_answer_is_settled_by_inquiry_and_refunds_once() {
    let w = world().await;
    let (retref, _) = w.settled_payment(TAQUERIA);
    w.cardconnect.inject(cardconnect_emulator::Fault::DropAfterProcessing, None, Some("/cardconnect/rest/refund"));
    let lost = w.desk.refund(&request(TAQUERIA, &retref, Some(700)), None).await.unwrap_err();
    assert_eq!(lost.code(), ErrorCode::OutcomeUnknown, "{lost}");
    assert_eq!(w.refunds_of(&retref), [700], "CardPointe did it");
    // Nothing else for this restaurant until it is settled.
    let blocked = w.desk.refund(&request(TAQUERIA, &retref, Some(100)), None).await.unwrap_err();
    assert_eq!(blocked.code(), ErrorCode::UnfinishedCall);

    let settled = w.desk.settle_unfinished().await.unwrap();
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0].status, journal::Status::Succeeded);
    assert_eq!(settled[0].settled_by, Some("inquiry"));
    assert_eq!(w.refunds_of(&retref), [700], "found, not sent again");
    let cached = transactions::get(w.store().conn(), GatewayKind::CardConnect, &retref).unwrap().unwrap();
    assert_eq!(cached.refunded, 700, "the refund found by inquiry is in the cache too");
    let rows = audit::all(w.store().conn()).unwrap();
    let outcomes: Vec<&str> =
        rows.iter().filter(|r| r.target.as_deref() == Some(retref.as_str())).map(|r| r.outcome.as_str()).collect();
    assert!(outcomes.contains(&"unknown") && outcomes.contains(&"succeeded"), "{outcomes:?}");
    assert!(!outcomes.contains(&"failed"), "an unknown is never audited as failed: {outcomes:?}");
}
