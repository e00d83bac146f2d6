//! The refund rules of the staff refunds issue, through the desk against the demo group: bad
//! input refused with a sentence and nothing sent; staff refund alone up to their limit (50.00 in
//! each currency's major unit unless an owner sets otherwise, ¥50 in yen); above it a manager's or
//! owner's PIN approves without signing the staff member out, and both names reach the audit log
//! and the refund's metadata at Stripe; only owners change the limits.

#[allow(dead_code)]
mod common;

use common::{demo_group, DemoGroup as World};
use md_core::desk::RefundRequest;
use md_core::money::parse_major;
use md_core::permissions::Role;
use md_core::refunds::{Approval, RefundLimit, RefundLimits};
use md_core::store::audit;
use md_core::views::{ErrorCode, ProfileForm};
use md_core::DeskError;
use serde_json::Value;

/// A Stripe payment in the cache: restaurant, charge, amount.
struct Payment {
    account: String,
    charge: String,
    amount: i64,
}

impl World {
    /// Paid, unrefunded, undisputed Stripe payments of a restaurant in `currency`, of at least
    /// `min` minor units, newest first.
    fn payments(&self, currency: &str, min: i64) -> Vec<Payment> {
        let store = self.store();
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT t.restaurant, t.reference, t.amount FROM transactions t
                 WHERE t.gateway = 'stripe' AND t.kind IN ('purchase', 'capture') AND t.status = 'complete'
                   AND t.refunded = 0 AND t.currency = ?1 AND t.amount >= ?2 AND t.restaurant != ''
                   AND NOT EXISTS (SELECT 1 FROM objects d WHERE d.kind = 'dispute' AND d.parent = t.reference)
                   AND NOT EXISTS (SELECT 1 FROM objects c WHERE c.id = t.reference AND json_extract(c.raw, '$.disputed'))
                 ORDER BY t.created DESC LIMIT 20",
            )
            .unwrap();
        let rows = stmt
            .query_map(rusqlite::params![currency, min], |r| {
                Ok(Payment { account: r.get(0)?, charge: r.get(1)?, amount: r.get(2)? })
            })
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// A charge of `sql`'s kind: restaurant and charge ID.
    fn charge_where(&self, sql: &str) -> (String, String) {
        self.store().conn().query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap()
    }

    /// Every refund the Stripe emulator holds.
    fn stripe_refunds(&self) -> Vec<Value> {
        let state = self._stripe.state();
        let s = state.lock().unwrap();
        s.objects_of_kind("refund").map(|(_, v)| v.clone()).collect()
    }

    fn refund_at_stripe(&self, id: &str) -> Value {
        self.stripe_refunds().into_iter().find(|r| r["id"] == id).unwrap()
    }

    fn audit(&self) -> Vec<audit::AuditRecord> {
        audit::all(self.store().conn()).unwrap()
    }

    fn id_of(&self, name: &str) -> i64 {
        self.desk.session().unwrap().profiles.iter().find(|p| p.name == name).map(|p| p.id).unwrap()
    }

    /// Sam (staff), Ola (staff), Priya (manager) and Lena (staff of `lena_sees` only), made by Maria.
    fn staff_and_manager(&self, lena_sees: &str) {
        for (name, role, pin) in
            [("Sam", Role::Staff, "1357"), ("Ola", Role::Staff, "2468"), ("Priya", Role::Manager, "9753")]
        {
            let form = ProfileForm { name: name.into(), role, pin: Some(pin.into()), scope: None };
            self.desk.create_profile(&form).unwrap();
        }
        let lena = ProfileForm {
            name: "Lena".into(),
            role: Role::Staff,
            pin: Some("8642".into()),
            scope: Some(vec![lena_sees.to_string()]),
        };
        self.desk.create_profile(&lena).unwrap();
    }

    fn sign_in(&self, name: &str, pin: &str) {
        self.desk.unlock(self.id_of(name), pin).unwrap();
    }

    fn signed_in(&self) -> String {
        self.desk.session().unwrap().profile.map(|p| p.name).unwrap_or_default()
    }

    fn approval(&self, name: &str, pin: &str) -> Option<Approval> {
        Some(Approval { approver_profile_id: self.id_of(name), pin: pin.into() })
    }

    /// `attempt` is refused with `code` and a message containing `says`; nothing reaches Stripe or
    /// CardPointe, and the refusal is audited.
    async fn refused<F: std::future::Future<Output = Result<md_core::money_calls::Done, DeskError>>>(
        &self,
        code: ErrorCode,
        says: &str,
        attempt: F,
    ) {
        let (stripe, cardconnect, audited) =
            (self.stripe_refunds().len(), self.cardconnect.snapshot(), self.audit().len());
        let err = attempt.await.unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.user_message().contains(says), "{}", err.user_message());
        assert_eq!(self.stripe_refunds().len(), stripe, "sent to Stripe: {err}");
        assert!(self.cardconnect.snapshot() == cardconnect, "sent to CardPointe: {err}");
        let after = self.audit();
        assert_eq!(after.len(), audited + 1, "not audited: {err}");
        assert!(matches!(after[audited].outcome.as_str(), "refused" | "forbidden"), "{:?}", after[audited]);
    }
}

fn request(p: &Payment, amount: Option<i64>) -> RefundRequest {
    RefundRequest {
        account: Some(p.account.clone()),
        payment: p.charge.clone(),
        amount,
        reason: Some("requested_by_customer".into()),
        approval: None,
        note: None,
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_a_sentence_and_nothing_sent() {
    let w = demo_group().await;
    let payments = w.payments("usd", 2_000);
    let p = &payments[0];
    let elsewhere = payments.iter().find(|o| o.account != p.account).unwrap();
    w.staff_and_manager(&p.account);
    w.sign_in("Sam", "1357");

    w.refused(ErrorCode::InvalidInput, "above zero", w.desk.refund(&request(p, Some(0)), None)).await;
    w.refused(ErrorCode::InvalidInput, "positive", w.desk.refund(&request(p, Some(-500)), None)).await;
    let over = Some(p.amount + 1);
    w.refused(ErrorCode::InvalidInput, "left to refund", w.desk.refund(&request(p, over), None)).await;

    // Amounts typed in major units are read with the currency's decimals before any request.
    assert!(parse_major("12.505", "usd").unwrap_err().to_string().contains("USD has at most 2 decimals"));
    assert!(parse_major("500.5", "jpy").unwrap_err().to_string().contains("JPY has no decimals"));
    assert!(parse_major("-12.50", "usd").is_err() && parse_major("12,50", "usd").is_err());

    // Fully refunded and disputed charges have nothing to refund.
    let (account, charge) = w.charge_where(
        "SELECT restaurant, reference FROM transactions WHERE gateway = 'stripe' AND kind IN ('purchase', 'capture')
           AND status = 'complete' AND refunded >= amount AND restaurant != '' LIMIT 1",
    );
    let full = Payment { account, charge, amount: 0 };
    w.refused(ErrorCode::InvalidInput, "refunded already", w.desk.refund(&request(&full, Some(100)), None)).await;
    let (account, charge) = w.charge_where(
        "SELECT d.account, d.parent FROM objects d JOIN transactions t ON t.reference = d.parent
          WHERE d.kind = 'dispute' AND t.refunded < t.amount AND d.account != '' LIMIT 1",
    );
    let disputed = Payment { account, charge, amount: 0 };
    w.refused(ErrorCode::InvalidInput, "disputed", w.desk.refund(&request(&disputed, Some(100)), None)).await;

    // A restaurant outside the profile's scope.
    w.sign_in("Lena", "8642");
    w.refused(ErrorCode::RoleForbidden, "may not see", w.desk.refund(&request(elsewhere, Some(100)), None)).await;

    // CardConnect: the same amount checks, before CardPointe is asked anything.
    let merchid = cardconnect_emulator::DEMO_MERCHID_LAKESIDE;
    let retref: String = w
        .store()
        .conn()
        .query_row(
            "SELECT reference FROM transactions WHERE gateway = 'cardconnect' AND restaurant = ?1 AND kind = 'purchase'
               AND status = 'complete' AND settled = 1 AND refunded = 0 LIMIT 1",
            [merchid],
            |r| r.get(0),
        )
        .unwrap();
    w.sign_in("Sam", "1357");
    let cc = Payment { account: merchid.into(), charge: retref, amount: 0 };
    w.refused(ErrorCode::InvalidInput, "above zero", w.desk.refund(&request(&cc, Some(0)), None)).await;
    w.refused(ErrorCode::InvalidInput, "positive", w.desk.refund(&request(&cc, Some(-1)), None)).await;
}

#[tokio::test]
async fn above_the_staff_limit_a_managers_pin_approves_without_signing_out() {
    let w = demo_group().await;
    let p = w.payments("usd", 12_000).into_iter().next().unwrap();
    w.staff_and_manager(&p.account);
    w.sign_in("Sam", "1357");

    // Under the limit, alone; the refund says who issued it.
    let alone = w.desk.refund(&request(&p, Some(2_000)), None).await.unwrap();
    let at_stripe = w.refund_at_stripe(alone.value["id"].as_str().unwrap());
    assert_eq!(at_stripe["metadata"]["issued_by"], "Sam");
    assert!(at_stripe["metadata"].get("approved_by").is_none());

    // Above it: no approval, a wrong PIN, a staff approver — each refused, nothing sent.
    let above = Some(6_000);
    w.refused(ErrorCode::InvalidInput, "up to 50.00 USD alone", w.desk.refund(&request(&p, above), None)).await;
    let wrong = RefundRequest { approval: w.approval("Priya", "0000"), ..request(&p, above) };
    w.refused(ErrorCode::WrongPin, "", w.desk.refund(&wrong, None)).await;
    let staff = RefundRequest { approval: w.approval("Ola", "2468"), ..request(&p, above) };
    w.refused(ErrorCode::InvalidInput, "only a manager or an owner", w.desk.refund(&staff, None)).await;
    let myself = RefundRequest { approval: w.approval("Sam", "1357"), ..request(&p, above) };
    w.refused(ErrorCode::InvalidInput, "another profile", w.desk.refund(&myself, None)).await;
    assert_eq!(w.signed_in(), "Sam", "checking an approver's PIN signs nobody in or out");
    // The wrong PIN counts toward Priya's back-off as a sign-in would.
    let attempts: i64 = w
        .store()
        .conn()
        .query_row("SELECT failed_attempts FROM profiles WHERE name = 'Priya'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(attempts, 1);

    // Priya's PIN approves: both names in the audit log and in the refund's metadata.
    let approved = RefundRequest { approval: w.approval("Priya", "9753"), ..request(&p, above) };
    let done = w.desk.refund(&approved, None).await.unwrap();
    assert_eq!(w.signed_in(), "Sam");
    let at_stripe = w.refund_at_stripe(done.value["id"].as_str().unwrap());
    assert_eq!(at_stripe["amount"], 6_000);
    assert_eq!(at_stripe["metadata"]["issued_by"], "Sam");
    assert_eq!(at_stripe["metadata"]["approved_by"], "Priya");
    let succeeded = w
        .audit()
        .into_iter()
        .find(|r| r.idempotency_key.as_deref() == Some(done.key.as_str()) && r.outcome == "succeeded")
        .unwrap();
    let detail = succeeded.detail.unwrap();
    assert_eq!(succeeded.profile_name, "Sam");
    assert!(detail.contains("issued by Sam (staff), approved by Priya (manager)"), "{detail}");

    // What is left is known at once: the rest, and not a cent more.
    let left = p.amount - 8_000;
    let more = RefundRequest { approval: w.approval("Priya", "9753"), ..request(&p, Some(left + 1)) };
    w.refused(ErrorCode::InvalidInput, "left to refund", w.desk.refund(&more, None)).await;

    // Staff may not change the limits: refused and audited.
    let raise = RefundLimits { set: vec![RefundLimit { role: Role::Staff, currency: "usd".into(), amount: None }] };
    let (before, audited) = (w.desk.refund_limits().unwrap(), w.audit().len());
    assert_eq!(w.desk.set_refund_limits(&raise).unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.refund_limits().unwrap(), before);
    let record = &w.audit()[audited];
    assert_eq!(
        (record.action.as_str(), record.outcome.as_str(), record.profile_name.as_str()),
        ("settings.refund_limits", "forbidden", "Sam")
    );
}

#[tokio::test]
async fn limits_are_per_currency_in_its_own_units_and_set_by_owners() {
    let w = demo_group().await;
    let yen = w.payments("jpy", 2_000).into_iter().next().unwrap();
    let usd = w.payments("usd", 8_000).into_iter().next().unwrap();
    w.staff_and_manager(&yen.account);
    w.sign_in("Sam", "1357");

    // ¥50 alone, not ¥51.
    let done = w.desk.refund(&request(&yen, Some(50)), None).await.unwrap();
    assert_eq!(w.refund_at_stripe(done.value["id"].as_str().unwrap())["amount"], 50);
    w.refused(ErrorCode::InvalidInput, "up to 50 JPY alone", w.desk.refund(&request(&yen, Some(51)), None)).await;

    // The owner sets staff to ¥1,000 and managers to $60.00; the change is audited.
    w.sign_in("Maria", "4821");
    let limits = RefundLimits {
        set: vec![
            RefundLimit { role: Role::Staff, currency: "JPY".into(), amount: Some(1_000) },
            RefundLimit { role: Role::Manager, currency: "usd".into(), amount: Some(6_000) },
        ],
    };
    let kept = w.desk.set_refund_limits(&limits).unwrap();
    assert_eq!(kept.set[0].currency, "jpy");
    let record = w.audit().pop().unwrap();
    assert_eq!((record.action.as_str(), record.outcome.as_str()), ("settings.refund_limits", "succeeded"));
    assert!(record.detail.unwrap().contains("Staff 1000 JPY"));
    let bad =
        RefundLimits { set: vec![RefundLimit { role: Role::Staff, currency: "dollars".into(), amount: Some(1) }] };
    assert_eq!(w.desk.set_refund_limits(&bad).unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(w.audit().pop().unwrap().outcome, "refused");

    w.sign_in("Sam", "1357");
    assert_eq!(w.desk.refund_limits().unwrap(), kept);
    w.desk.refund(&request(&yen, Some(1_000)), None).await.unwrap();
    // Dollars keep the default: above $50.00 a manager approves, within the manager's own $60.00.
    let big = Some(8_000);
    let priya = RefundRequest { approval: w.approval("Priya", "9753"), ..request(&usd, big) };
    w.refused(ErrorCode::InvalidInput, "Priya may approve refunds up to 60.00 USD", w.desk.refund(&priya, None)).await;
    let maria = RefundRequest { approval: w.approval("Maria", "4821"), ..request(&usd, big) };
    let done = w.desk.refund(&maria, None).await.unwrap();
    assert_eq!(w.refund_at_stripe(done.value["id"].as_str().unwrap())["metadata"]["approved_by"], "Maria");
    assert_eq!(w.signed_in(), "Sam");
}

#[tokio::test]
async fn a_cardconnect_refund_above_the_limit_is_approved_and_audited_with_both_names() {
    let w = demo_group().await;
    let merchid = cardconnect_emulator::DEMO_MERCHID_LAKESIDE;
    let (retref, amount): (String, i64) = w
        .store()
        .conn()
        .query_row(
            "SELECT reference, amount FROM transactions WHERE gateway = 'cardconnect' AND restaurant = ?1
               AND kind = 'purchase' AND status = 'complete' AND settled = 1 AND refunded = 0 AND amount >= 2000
             ORDER BY created DESC LIMIT 1",
            [merchid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    w.staff_and_manager(merchid);
    // Staff may refund $10.00 alone here, so the payment is above it whatever its size.
    let ten =
        RefundLimits { set: vec![RefundLimit { role: Role::Staff, currency: "usd".into(), amount: Some(1_000) }] };
    w.desk.set_refund_limits(&ten).unwrap();
    w.sign_in("Sam", "1357");
    let p = Payment { account: merchid.into(), charge: retref, amount };
    w.refused(ErrorCode::InvalidInput, "up to 10.00 USD alone", w.desk.refund(&request(&p, Some(1_500)), None)).await;
    let approved = RefundRequest { approval: w.approval("Priya", "9753"), ..request(&p, Some(1_500)) };
    let done = w.desk.refund(&approved, None).await.unwrap();
    let detail = w
        .audit()
        .into_iter()
        .find(|r| r.idempotency_key.as_deref() == Some(done.key.as_str()) && r.outcome == "succeeded")
        .and_then(|r| r.detail)
        .unwrap();
    assert!(detail.contains("issued by Sam (staff), approved by Priya (manager)"), "{detail}");
    assert_eq!(w.signed_in(), "Sam");
}
