//! The CardConnect client against the real CardPointe Gateway emulator: every operation, and for
//! every bad input and refusal a clear error and nothing changed at the Gateway.

use std::time::Duration;

use cardconnect_emulator::{Config, Emulator, Fault};
use chrono::{Days, NaiveDate};
use md_core::gateways::cardconnect::{
    ApiPassword, AuthRequest, CardConnectClient, CardConnectError, Credentials, PaymentAccount, RefundRequest,
};
use md_core::gateways::stripe::retry::Policy;
use md_core::gateways::{GatewayKind, TxStatus, TxType};

const USER: &str = "harbor_api";
const PASSWORD: &str = "emulator-only-password";
const DAY: Duration = Duration::from_secs(86_400);

/// Short waits, so retry tests stay quick.
const FAST: Policy = Policy { max_attempts: 3, base: Duration::from_millis(5), max_delay: Duration::from_millis(20) };

struct World {
    emulator: Emulator,
    client: CardConnectClient,
    merchid: String,
}

async fn world() -> World {
    let emulator = Emulator::start(Config::with_credentials(USER, PASSWORD)).await.unwrap();
    let merchid = emulator.add_merchant("Harbor & Vine Lakeside Kitchen", "USD");
    let client = client_for(&emulator, PASSWORD);
    World { emulator, client, merchid }
}

fn client_for(emulator: &Emulator, password: &str) -> CardConnectClient {
    let credentials = Credentials::new(USER, ApiPassword::new(password)).unwrap();
    CardConnectClient::new(&emulator.base_url(), credentials).unwrap().with_policy(FAST)
}

fn card() -> PaymentAccount {
    PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() }
}

impl World {
    fn purchase(&self, amount: i64, orderid: &str) -> AuthRequest {
        AuthRequest {
            merchid: self.merchid.clone(),
            account: card(),
            amount,
            currency: "usd".into(),
            orderid: orderid.into(),
            capture: true,
        }
    }

    fn refund(&self, retref: &str, amount: Option<i64>, orderid: &str) -> RefundRequest {
        RefundRequest {
            merchid: self.merchid.clone(),
            retref: retref.into(),
            amount,
            currency: "usd".into(),
            orderid: orderid.into(),
        }
    }

    /// The business day a settled transaction settled on, from the emulator's records.
    fn settled_on(&self, retref: &str) -> NaiveDate {
        let state = self.emulator.state();
        let s = state.lock().unwrap();
        let batchid = s.txn(retref).and_then(|t| t.batchid.clone()).unwrap();
        s.batches.iter().find(|b| b.batchid == batchid).and_then(|b| b.settled_on).unwrap()
    }
}

fn declined(err: &CardConnectError, proc_: &str, code: &str, text: &str) {
    match err {
        CardConnectError::Declined { respproc, respcode, resptext } => {
            assert_eq!((respproc.as_str(), respcode.as_str(), resptext.as_str()), (proc_, code, text), "{err}");
        }
        other => panic!("expected a decline {code}, got {other:?}"),
    }
}

#[tokio::test]
async fn a_purchase_settles_overnight_and_is_deposited_the_next_day() {
    let w = world().await;
    let tx = w.client.auth(&w.purchase(4_210, "HV-13-9001")).await.unwrap();
    assert_eq!(
        (tx.gateway, tx.kind, tx.status, tx.amount),
        (GatewayKind::CardConnect, TxType::Purchase, TxStatus::Complete, 4_210)
    );
    assert_eq!(
        (tx.restaurant.as_str(), tx.order_ref.as_deref(), tx.currency.as_str()),
        (w.merchid.as_str(), Some("HV-13-9001"), "usd")
    );
    assert_eq!(
        (tx.card_brand.as_deref(), tx.card_last4.as_deref(), tx.settled),
        (Some("visa"), Some("1111"), Some(false))
    );
    assert_eq!(tx.display_price(), "$42.10");

    let queued = w.client.inquire(&w.merchid, &tx.reference).await.unwrap().unwrap();
    assert_eq!((queued.kind, queued.amount, queued.settled), (TxType::Purchase, 4_210, Some(false)));
    w.emulator.advance_clock(DAY);
    let settled = w.client.inquire(&w.merchid, &tx.reference).await.unwrap().unwrap();
    assert_eq!(
        (settled.settled, settled.status, settled.order_ref.as_deref()),
        (Some(true), TxStatus::Complete, Some("HV-13-9001"))
    );

    let day = w.settled_on(&tx.reference);
    let batches = w.client.settlestat(&w.merchid, day, "usd").await.unwrap();
    assert_eq!(batches.len(), 1);
    let txn = &batches[0].txns[0];
    assert_eq!(
        (txn.retref.as_str(), txn.amount, txn.accepted, txn.order_ref.as_deref()),
        (tx.reference.as_str(), 4_210, true, Some("HV-13-9001"))
    );

    let deposit_day = day.checked_add_days(Days::new(1)).unwrap();
    let deposits = w.client.funding(&w.merchid, deposit_day).await.unwrap();
    assert_eq!(deposits.len(), 1);
    let d = &deposits[0];
    assert_eq!(
        (d.merchid.as_str(), d.date, d.amount, d.currency.as_str()),
        (w.merchid.as_str(), deposit_day, 4_210, "usd")
    );
    assert_eq!(d.retrefs, vec![tx.reference.clone()]);
    assert!(w.client.funding(&w.merchid, day).await.unwrap().is_empty(), "nothing is deposited the day it settles");
    assert!(w.client.settlestat(&w.merchid, deposit_day, "usd").await.unwrap().is_empty(), "Null batches");
}

#[tokio::test]
async fn an_authorization_is_captured_for_less_and_part_of_another_is_voided() {
    let w = world().await;
    let tab = w.client.auth(&AuthRequest { capture: false, ..w.purchase(8_000, "TAB-1") }).await.unwrap();
    assert_eq!((tab.kind, tab.amount), (TxType::Authorize, 8_000));
    let captured = w.client.capture(&w.merchid, &tab.reference, Some(7_200), "usd").await.unwrap();
    assert_eq!(
        (captured.kind, captured.amount, captured.parent.as_deref()),
        (TxType::Capture, 7_200, Some(tab.reference.as_str()))
    );
    assert_eq!(captured.order_ref.as_deref(), Some("TAB-1"));

    let hold = w.client.auth(&AuthRequest { capture: false, ..w.purchase(5_000, "HOLD-1") }).await.unwrap();
    let reduced = w.client.void(&w.merchid, &hold.reference, Some(1_500), "usd").await.unwrap();
    assert_eq!((reduced.kind, reduced.amount), (TxType::Void, 3_500), "what stays authorized");
    let again = w.client.inquire(&w.merchid, &hold.reference).await.unwrap().unwrap();
    assert_eq!((again.kind, again.amount), (TxType::Authorize, 3_500));
}

#[tokio::test]
async fn a_stored_profile_pays_as_profileid_slash_acctid() {
    let w = world().await;
    let stored = w.emulator.add_profile(&w.merchid, "5454545454545454", "1229").unwrap();
    let req = AuthRequest { account: PaymentAccount::profile(&stored).unwrap(), ..w.purchase(3_300, "REG-1") };
    let tx = w.client.auth(&req).await.unwrap();
    assert_eq!((tx.kind, tx.amount, tx.card_last4.as_deref()), (TxType::Purchase, 3_300, Some("5454")));

    let before = w.emulator.snapshot();
    let unknown = AuthRequest {
        account: PaymentAccount::profile("12345678901234567890/1").unwrap(),
        ..w.purchase(3_300, "REG-2")
    };
    let err = w.client.auth(&unknown).await.unwrap_err();
    declined(&err, "PPS", "96", "Profile not found");
    assert!(err.to_string().contains("not on file for this merchant ID"), "{err}");
    assert_eq!(w.emulator.snapshot(), before);
}

#[tokio::test]
async fn wrong_credentials_are_their_own_error_and_change_nothing() {
    let w = world().await;
    let wrong = client_for(&w.emulator, "not-the-password");
    let before = w.emulator.snapshot();
    let err = wrong.inquire_merchant(&w.merchid).await.unwrap_err();
    assert_eq!(err, CardConnectError::WrongCredentials);
    assert!(err.to_string().contains("API user name and password"), "{err}");
    assert_eq!(wrong.auth(&w.purchase(1_000, "X-1")).await.unwrap_err(), CardConnectError::WrongCredentials);
    assert!(!err.outcome_unknown());
    assert_eq!(w.emulator.snapshot(), before);
    let info = w.client.inquire_merchant(&w.merchid).await.unwrap();
    assert_eq!(
        (info.merchid.as_str(), info.enabled, info.site.as_deref()),
        (w.merchid.as_str(), true, Some("harborvine"))
    );
}

#[tokio::test]
async fn an_unknown_merchant_is_declined_as_invalid_and_changes_nothing() {
    let w = world().await;
    let before = w.emulator.snapshot();
    let err =
        w.client.auth(&AuthRequest { merchid: "999999999999".into(), ..w.purchase(1_000, "U-1") }).await.unwrap_err();
    declined(&err, "PPS", "21", "Invalid merchant");
    assert!(err.to_string().contains("does not know this merchant ID"), "{err}");
    declined(&w.client.inquire_merchant("999999999999").await.unwrap_err(), "PPS", "21", "Invalid merchant");
    declined(
        &w.client.funding("999999999999", NaiveDate::from_ymd_opt(2024, 1, 5).unwrap()).await.unwrap_err(),
        "PPS",
        "21",
        "Invalid merchant",
    );
    assert_eq!(w.emulator.snapshot(), before);
}

#[tokio::test]
async fn a_refund_above_what_is_left_is_declined_and_changes_nothing() {
    let w = world().await;
    let tx = w.client.auth(&w.purchase(6_000, "R-1")).await.unwrap();
    w.emulator.advance_clock(DAY);
    let part = w.client.refund(&w.refund(&tx.reference, Some(2_500), "R-1-R1")).await.unwrap();
    assert_eq!((part.kind, part.amount, part.parent.as_deref()), (TxType::Refund, 2_500, Some(tx.reference.as_str())));
    assert_eq!(part.order_ref.as_deref(), Some("R-1-R1"));
    assert_ne!(part.reference, tx.reference);

    let before = w.emulator.snapshot();
    let err = w.client.refund(&w.refund(&tx.reference, Some(3_501), "R-1-R2")).await.unwrap_err();
    declined(&err, "PPS", "43", "Invalid amount");
    assert!(err.to_string().contains("more than is left to refund"), "{err}");
    assert_eq!(w.emulator.snapshot(), before);

    let rest = w.client.refund(&w.refund(&tx.reference, None, "R-1-R2")).await.unwrap();
    assert_eq!(rest.amount, 3_500, "no amount refunds what is left");
}

#[tokio::test]
async fn a_refund_must_name_the_original_merchant_id() {
    let w = world().await;
    let sister = w.emulator.add_merchant("Vine Street Taqueria", "USD");
    let tx = w.client.auth(&w.purchase(4_800, "M-1")).await.unwrap();
    w.emulator.advance_clock(DAY);
    let before = w.emulator.snapshot();

    let other = w
        .client
        .refund(&RefundRequest { merchid: sister.clone(), ..w.refund(&tx.reference, Some(1_000), "M-1-R1") })
        .await;
    let err = other.unwrap_err();
    declined(&err, "PPS", "29", "Txn not found");
    assert!(err.is_txn_not_found());
    assert!(err.to_string().contains("merchant ID the payment was made with"), "{err}");

    let none = w
        .client
        .refund(&RefundRequest { merchid: String::new(), ..w.refund(&tx.reference, Some(1_000), "M-1-R1") })
        .await;
    let err = none.unwrap_err();
    assert!(matches!(err, CardConnectError::BadInput(_)), "{err:?}");
    assert!(err.to_string().contains("Nothing was sent"), "{err}");
    assert_eq!(w.emulator.snapshot(), before);
}

#[tokio::test]
async fn an_unsettled_payment_is_voided_and_a_settled_one_cannot_be() {
    let w = world().await;
    let mistake = w.client.auth(&w.purchase(2_000, "V-1")).await.unwrap();
    let voided = w.client.void(&w.merchid, &mistake.reference, None, "usd").await.unwrap();
    assert_eq!((voided.kind, voided.amount, voided.reference.as_str()), (TxType::Void, 0, mistake.reference.as_str()));
    let seen = w.client.inquire(&w.merchid, &mistake.reference).await.unwrap().unwrap();
    assert_eq!((seen.kind, seen.settled), (TxType::Void, Some(false)));

    let kept = w.client.auth(&w.purchase(3_000, "V-2")).await.unwrap();
    let err = w.client.refund(&w.refund(&kept.reference, None, "V-2-R1")).await.unwrap_err();
    declined(&err, "PPS", "28", "Txn not settled");
    assert!(err.to_string().contains("void it today"), "{err}");

    w.emulator.advance_clock(DAY);
    let before = w.emulator.snapshot();
    let err = w.client.void(&w.merchid, &kept.reference, None, "usd").await.unwrap_err();
    declined(&err, "PPS", "27", "Txn Batched");
    assert!(err.to_string().contains("refund it instead"), "{err}");
    assert_eq!(w.emulator.snapshot(), before);
}

#[tokio::test]
async fn declines_and_retries_are_errors_and_never_reach_a_batch() {
    let w = world().await;
    let decline = AuthRequest {
        account: PaymentAccount::Card { number: "4387751111111038".into(), expiry: "1229".into() },
        ..w.purchase(2_000, "D-1")
    };
    let err = w.client.auth(&decline).await.unwrap_err();
    declined(&err, "FNOR", "05", "Do not honor");
    assert!(err.to_string().contains("another card"), "{err}");
    let amount_driven = w.client.auth(&w.purchase(105_100, "D-2")).await.unwrap_err();
    declined(&amount_driven, "FNOR", "51", "Declined");
    let timeout = AuthRequest {
        account: PaymentAccount::Card { number: "4999006200620062".into(), expiry: "1229".into() },
        ..w.purchase(500, "D-3")
    };
    match w.client.auth(&timeout).await.unwrap_err() {
        CardConnectError::Retry { respcode, retref, .. } => {
            assert_eq!((respcode.as_str(), retref.is_some()), ("62", true))
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    // The Gateway keeps the declined attempt on record, as failed; no money moved.
    let attempts = w.client.inquire_by_orderid(&w.merchid, "D-1").await.unwrap();
    assert_eq!((attempts.len(), attempts[0].status), (1, TxStatus::Failed));
    let state = w.emulator.state();
    assert!(state.lock().unwrap().batches.iter().all(|b| b.retrefs.is_empty()));
}

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_found_by_its_order_id_and_never_resent() {
    let w = world().await;
    let tx = w.client.auth(&w.purchase(4_800, "HV-13-7001")).await.unwrap();
    w.emulator.advance_clock(DAY);
    w.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some("/cardconnect/rest/refund"));
    let err = w.client.refund(&w.refund(&tx.reference, Some(1_200), "HV-13-7001-R1")).await.unwrap_err();
    assert!(matches!(err, CardConnectError::Network { may_have_reached: true, .. }), "{err:?}");
    assert!(err.outcome_unknown());
    assert!(err.to_string().contains("look it up by its order ID"), "{err}");
    let found = w.client.inquire_by_orderid(&w.merchid, "HV-13-7001-R1").await.unwrap();
    assert_eq!(found.len(), 1, "sent once, not again");
    assert_eq!(
        (found[0].kind, found[0].amount, found[0].order_ref.as_deref()),
        (TxType::Refund, 1_200, Some("HV-13-7001-R1"))
    );
}

#[tokio::test]
async fn a_money_call_that_failed_on_the_server_is_not_resent() {
    let w = world().await;
    w.emulator.inject(Fault::ServerError, Some("POST"), Some("/cardconnect/rest/auth"));
    let before = w.emulator.snapshot();
    let err = w.client.auth(&w.purchase(1_500, "S-1")).await.unwrap_err();
    assert!(matches!(err, CardConnectError::Http { status: 500, .. }), "{err:?}");
    assert!(err.outcome_unknown());
    assert!(err.to_string().contains("may or may not have been carried out"), "{err}");
    // Had the client tried again, the second attempt would have been approved and recorded.
    assert_eq!(w.emulator.snapshot(), before);
    assert!(w.client.inquire_by_orderid(&w.merchid, "S-1").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_purchase_whose_answer_was_lost_is_found_and_voided_by_order_id() {
    let w = world().await;
    w.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some("/cardconnect/rest/auth"));
    assert!(w.client.auth(&w.purchase(2_750, "L-1")).await.unwrap_err().outcome_unknown());
    let found = w.client.inquire_by_orderid(&w.merchid, "L-1").await.unwrap();
    assert_eq!((found.len(), found[0].kind, found[0].amount), (1, TxType::Purchase, 2_750));
    let voided = w.client.void_by_order_id(&w.merchid, "L-1", "usd").await.unwrap();
    assert_eq!((voided.kind, voided.reference.as_str()), (TxType::Void, found[0].reference.as_str()));
    let again = w.client.void_by_order_id(&w.merchid, "L-1", "usd").await.unwrap();
    assert_eq!(again.kind, TxType::Void, "a repeat is answered the same");
}

#[tokio::test]
async fn reads_are_retried_within_bounds() {
    let w = world().await;
    let tx = w.client.auth(&w.purchase(1_000, "RR-1")).await.unwrap();
    let inquire = format!("/cardconnect/rest/inquire/{}", tx.reference);
    for _ in 0..2 {
        w.emulator.inject(Fault::ServerError, Some("GET"), Some(&inquire));
    }
    assert_eq!(w.client.inquire(&w.merchid, &tx.reference).await.unwrap().unwrap().reference, tx.reference);
    for _ in 0..5 {
        w.emulator.inject(Fault::ServerError, Some("GET"), Some(&inquire));
    }
    let err = w.client.inquire(&w.merchid, &tx.reference).await.unwrap_err();
    assert!(matches!(err, CardConnectError::Http { status: 500, .. }), "{err:?}");
    let state = w.emulator.state();
    assert_eq!(state.lock().unwrap().faults.planned.len(), 2, "three attempts, then it gives up");
    state.lock().unwrap().faults.planned.clear();
    w.emulator.inject(Fault::DropAfterProcessing, Some("GET"), Some(&inquire));
    assert!(w.client.inquire(&w.merchid, &tx.reference).await.unwrap().is_some(), "a dropped read is read again");
}

#[tokio::test]
async fn what_the_gateway_does_not_know_is_empty_not_an_error() {
    let w = world().await;
    assert_eq!(w.client.inquire(&w.merchid, "000000000001").await.unwrap(), None);
    assert!(w.client.inquire_by_orderid(&w.merchid, "NEVER-SENT").await.unwrap().is_empty());
    let today = w.emulator.state().lock().unwrap().today();
    assert!(w.client.funding(&w.merchid, today).await.unwrap().is_empty());
    assert!(w.client.settlestat(&w.merchid, today, "usd").await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let w = world().await;
    let before = w.emulator.snapshot();
    for (req, why) in [
        (w.purchase(0, "B-1"), "zero amount"),
        (w.purchase(-100, "B-2"), "negative amount"),
        (w.purchase(100, "4111111111111111"), "an order ID that looks like a card number"),
        (w.purchase(100, ""), "no order ID"),
        (AuthRequest { merchid: "49/64".into(), ..w.purchase(100, "B-3") }, "a merchant ID with a slash"),
    ] {
        let err = w.client.auth(&req).await.unwrap_err();
        assert!(matches!(err, CardConnectError::BadInput(_)), "{why}: {err:?}");
    }
    assert!(matches!(w.client.inquire(&w.merchid, "../../x").await, Err(CardConnectError::BadInput(_))));
    assert_eq!(w.emulator.snapshot(), before);
    let credentials = Credentials::new(USER, ApiPassword::new(PASSWORD)).unwrap();
    let closed = CardConnectClient::new("http://127.0.0.1:9", credentials).unwrap().with_policy(FAST);
    let err = closed.auth(&w.purchase(100, "B-4")).await.unwrap_err();
    assert!(matches!(err, CardConnectError::Network { may_have_reached: false, .. }), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn the_demo_restaurants_are_deposited_daily() {
    let emulator = Emulator::start(Config::demo()).await.unwrap();
    let credentials = Credentials::new(
        cardconnect_emulator::DEMO_API_USER,
        ApiPassword::new(cardconnect_emulator::DEMO_API_PASSWORD),
    )
    .unwrap();
    let client = CardConnectClient::new(&emulator.base_url(), credentials).unwrap().with_policy(FAST);
    let today = emulator.state().lock().unwrap().today();
    for merchid in [cardconnect_emulator::DEMO_MERCHID_LAKESIDE, cardconnect_emulator::DEMO_MERCHID_TAQUERIA] {
        let deposits = client.funding(merchid, today).await.unwrap();
        assert_eq!(deposits.len(), 1, "{merchid}");
        let mut total = 0;
        for retref in &deposits[0].retrefs {
            let tx = client.inquire(merchid, retref).await.unwrap().unwrap();
            assert_eq!(tx.settled, Some(true));
            total += if tx.kind == TxType::Refund { -tx.amount } else { tx.amount };
        }
        assert_eq!(total, deposits[0].amount, "{merchid}: the deposit is what it paid out");
    }
}
