//! Stripe's charges, refunds and PaymentIntents in the neutral transaction shape, and the step
//! of the sync that keeps the `transactions` table in step with the object cache.
//!
//! One Stripe payment is one row: its charge, which starts as an authorization and becomes a
//! capture (manual capture) or is a purchase from the start (automatic capture). A PaymentIntent
//! has a row of its own only while it has no charge (waiting for 3-D Secure or capture); once
//! charged, the charge's row stands for it. Each refund is a row under its charge.

use std::collections::{BTreeMap, HashSet};

use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::Value;

use super::models::{Charge, PaymentIntent, PaymentIntentStatus, Refund};
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use crate::store::{transactions, StoreError};

/// A charge as a transaction. `capture_method` is its PaymentIntent's (`manual` makes a captured
/// charge a capture rather than a purchase); `None` when unknown, as for charges without one.
///
/// A captured charge's amount is what was captured, and `refunded` leaves out the uncaptured
/// remainder that Stripe counts in `amount_refunded` after a partial capture, so that what is
/// left to refund is `amount - refunded`, as Stripe's refunds endpoint computes it.
pub fn charge(c: &Charge, account: &str, capture_method: Option<&str>) -> Transaction {
    let (kind, amount, refunded) = if c.captured {
        let kind = if capture_method == Some("manual") { TxType::Capture } else { TxType::Purchase };
        let released = c.amount - c.amount_captured;
        (kind, c.amount_captured, (c.amount_refunded - released).max(0))
    } else {
        // An authorization; released or expired ones show their whole amount refunded.
        (TxType::Authorize, c.amount, c.amount_refunded)
    };
    let status = match c.status.as_str() {
        "succeeded" => TxStatus::Complete,
        "failed" => TxStatus::Failed,
        _ => TxStatus::Pending,
    };
    let card = c.payment_method_details.as_ref().and_then(|d| d.card.as_ref());
    Transaction {
        gateway: GatewayKind::Stripe,
        reference: c.id.clone(),
        kind,
        status,
        amount,
        refunded,
        currency: c.currency.clone(),
        order_ref: order_number(Some(&c.metadata)),
        restaurant: account.to_string(),
        created: c.created,
        parent: None,
        card_brand: card.and_then(|c| c.brand.clone()),
        card_last4: card.and_then(|c| c.last4.clone()),
        settled: Some(c.captured),
    }
}

/// A refund as a transaction under its charge. Its order number, unless its own metadata has
/// one, is the charge's (filled in by the store).
pub fn refund(r: &Refund, account: &str) -> Transaction {
    // Card refunds are pending, succeeded or failed; other methods add requires_action and canceled.
    let status = match r.status.as_deref() {
        Some("succeeded") => TxStatus::Complete,
        Some("failed" | "canceled") => TxStatus::Failed,
        _ => TxStatus::Pending,
    };
    Transaction {
        gateway: GatewayKind::Stripe,
        reference: r.id.clone(),
        kind: TxType::Refund,
        status,
        amount: r.amount,
        refunded: 0,
        currency: r.currency.clone(),
        order_ref: order_number(r.metadata.as_ref()),
        restaurant: account.to_string(),
        created: r.created,
        parent: r.charge.as_ref().map(|c| c.id().to_string()),
        card_brand: None,
        card_last4: None,
        settled: None,
    }
}

/// A PaymentIntent's own row, only while no charge stands for it: waiting for the customer's bank
/// (3-D Secure: a confirm step), for capture, or processing. `None` otherwise: not yet a payment
/// (no card, not confirmed), cancelled before any charge, or charged.
pub fn payment_intent(pi: &PaymentIntent, account: &str) -> Option<Transaction> {
    if pi.latest_charge.is_some() {
        return None;
    }
    let manual = pi.capture_method == "manual";
    let (kind, amount) = match pi.status {
        PaymentIntentStatus::RequiresAction => (TxType::Confirm, pi.amount),
        PaymentIntentStatus::RequiresCapture if pi.amount_capturable > 0 => (TxType::Authorize, pi.amount_capturable),
        PaymentIntentStatus::RequiresCapture => (TxType::Authorize, pi.amount),
        PaymentIntentStatus::Processing if manual => (TxType::Authorize, pi.amount),
        PaymentIntentStatus::Processing => (TxType::Purchase, pi.amount),
        _ => return None,
    };
    Some(Transaction {
        gateway: GatewayKind::Stripe,
        reference: pi.id.clone(),
        kind,
        status: TxStatus::Pending,
        amount,
        refunded: 0,
        currency: pi.currency.clone(),
        order_ref: order_number(Some(&pi.metadata)),
        restaurant: account.to_string(),
        created: pi.created,
        parent: None,
        card_brand: None,
        card_last4: None,
        settled: None,
    })
}

/// Any Stripe object's neutral row, by its `object` field: `Ok(None)` for objects that are not
/// transactions (and PaymentIntents without a row of their own).
pub fn from_json(
    raw: &Value,
    account: &str,
    capture_method: Option<&str>,
) -> Result<Option<Transaction>, serde_json::Error> {
    Ok(match raw["object"].as_str() {
        Some("charge") => Some(charge(&Charge::deserialize(raw)?, account, capture_method)),
        Some("refund") => Some(refund(&Refund::deserialize(raw)?, account)),
        Some("payment_intent") => payment_intent(&PaymentIntent::deserialize(raw)?, account),
        _ => None,
    })
}

/// The customer's email Stripe holds on a charge or PaymentIntent (staff search by it): the card's
/// billing email, else where the receipt went. Stored beside the neutral row, not in it.
pub fn customer_email(raw: &Value) -> Option<&str> {
    [&raw["billing_details"]["email"], &raw["receipt_email"]]
        .into_iter()
        .filter_map(Value::as_str)
        .map(str::trim)
        .find(|e| !e.is_empty())
}

fn order_number(metadata: Option<&BTreeMap<String, String>>) -> Option<String> {
    metadata?.get("order_number").map(|n| n.trim()).filter(|n| !n.is_empty()).map(str::to_string)
}

/// An expandable field's ID: `"ch_…"` or `{"id": "ch_…", …}`.
fn id_of(field: &Value) -> Option<&str> {
    field.as_str().or_else(|| field["id"].as_str())
}

/// Brings the neutral rows up to date after `objects` of `account` were written to the object
/// cache, in the caller's transaction (so `transactions` never disagrees with `objects`).
///
/// Besides the objects' own rows, it derives again from the cache every charge they touch: a
/// refund changes its charge's `refunded`, a PaymentIntent tells whether its charge was a manual
/// capture. Each row is thus a function of the cached objects alone, and a full re-sync ends
/// consistent in whatever order its pages arrive. Returns how many rows were written.
///
/// An object that does not decode (it would be Stripe breaking the pinned API version) is logged
/// and skipped rather than failing the sync: it stays in the object cache.
pub fn record(conn: &Connection, account: &str, objects: &[Value], synced_at: &str) -> Result<usize, StoreError> {
    // Rows of their own: refunds, and PaymentIntents waiting for a charge.
    let mut own = Vec::new();
    // PaymentIntents without a row of their own now (charged, cancelled): any old one goes.
    let mut charged = Vec::new();
    // Charges to derive again, with their JSON when this write has it.
    let mut charges: BTreeMap<String, Option<&Value>> = BTreeMap::new();
    // Customer emails of the rows written, by reference.
    let mut emails: Vec<(String, Option<String>)> = Vec::new();
    // Latest copy first: events carry an object several times, and the cache keeps the last.
    let mut seen = HashSet::new();
    for object in objects.iter().rev() {
        let (Some(id), Some(kind)) = (object["id"].as_str(), object["object"].as_str()) else { continue };
        if !matches!(kind, "charge" | "refund" | "payment_intent") || !seen.insert(id) {
            continue;
        }
        match kind {
            "charge" => {
                charges.insert(id.to_string(), Some(object));
            }
            "refund" => match Refund::deserialize(object) {
                Ok(r) => {
                    if let Some(c) = &r.charge {
                        charges.entry(c.id().to_string()).or_insert(None);
                    }
                    own.push(refund(&r, account));
                }
                Err(e) => tracing::warn!(id, error = %e, "a refund does not decode; left out of transactions"),
            },
            _ => match PaymentIntent::deserialize(object) {
                Ok(pi) => {
                    if let Some(c) = &pi.latest_charge {
                        charges.entry(c.id().to_string()).or_insert(None);
                    }
                    match payment_intent(&pi, account) {
                        Some(row) => {
                            emails.push((row.reference.clone(), customer_email(object).map(str::to_string)));
                            own.push(row)
                        }
                        None => charged.push(id),
                    }
                }
                Err(e) => tracing::warn!(id, error = %e, "a PaymentIntent does not decode; left out of transactions"),
            },
        }
    }
    if own.is_empty() && charged.is_empty() && charges.is_empty() {
        return Ok(0);
    }
    // Refunds before charges: a charge's `refunded` counts the refunds the store holds.
    let mut written = transactions::upsert(conn, &own, synced_at)?;
    transactions::remove(conn, GatewayKind::Stripe, &charged)?;
    let mut rows = Vec::with_capacity(charges.len());
    for (id, in_hand) in charges {
        if let Some((row, email)) = derive_charge(conn, account, &id, in_hand)? {
            emails.push((row.reference.clone(), email));
            rows.push(row);
        }
    }
    written += transactions::upsert(conn, &rows, synced_at)?;
    let emails: Vec<(&str, Option<&str>)> = emails.iter().map(|(r, e)| (r.as_str(), e.as_deref())).collect();
    transactions::set_customer_emails(conn, GatewayKind::Stripe, &emails)?;
    Ok(written)
}

/// A charge's row from its JSON (given, or read from the cache) and its cached PaymentIntent's
/// capture method, with the customer's email. `None` when the charge is not cached yet: its own
/// page will bring it.
fn derive_charge(
    conn: &Connection,
    account: &str,
    id: &str,
    in_hand: Option<&Value>,
) -> Result<Option<(Transaction, Option<String>)>, StoreError> {
    let capture_method = |pi: Option<&str>| -> Result<Option<String>, StoreError> {
        let Some(pi) = pi else { return Ok(None) };
        Ok(conn
            .prepare_cached(
                "SELECT json_extract(raw, '$.capture_method') FROM objects WHERE id = ?1 AND kind = 'payment_intent'",
            )?
            .query_row([pi], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    };
    let (raw, account) = match in_hand {
        Some(raw) => (std::borrow::Cow::Borrowed(raw), account.to_string()),
        None => {
            let cached: Option<(String, String)> = conn
                .prepare_cached("SELECT raw, account FROM objects WHERE id = ?1 AND kind = 'charge'")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((raw, account)) = cached else { return Ok(None) };
            (std::borrow::Cow::Owned(crate::store::objects::parse(&raw)?), account)
        }
    };
    let method = capture_method(id_of(&raw["payment_intent"]))?;
    match Charge::deserialize(raw.as_ref()) {
        Ok(c) => Ok(Some((charge(&c, &account, method.as_deref()), customer_email(&raw).map(str::to_string)))),
        Err(e) => {
            tracing::warn!(id, error = %e, "a charge does not decode; left out of transactions");
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::{objects, Store};

    // Stripe's own fixtures for API 2023-08-16 (stripe/openapi `fixtures3.json`), verbatim.
    const CHARGE: &str = r#"{"amount": 100, "amount_captured": 0, "amount_refunded": 0, "application": null, "application_fee": null, "application_fee_amount": null, "balance_transaction": "txn_1NnmMBGPxmnHQRkJNo4jmMSX", "billing_details": {"address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null}, "email": null, "name": "Jenny Rosen", "phone": null}, "calculated_statement_descriptor": null, "captured": false, "created": 1234567890, "currency": "usd", "customer": null, "description": "My First Test Charge (created for API docs)", "disputed": false, "failure_balance_transaction": null, "failure_code": null, "failure_message": null, "fraud_details": {}, "id": "ch_1NnlpSGPxmnHQRkJcYsK19E8", "invoice": null, "livemode": false, "metadata": {}, "object": "charge", "on_behalf_of": null, "outcome": null, "paid": true, "payment_intent": null, "payment_method": "card_1NnlpRGPxmnHQRkJ2ri4g13j", "payment_method_details": {"card": {"brand": "visa", "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"}, "country": "US", "exp_month": 8, "exp_year": 2024, "fingerprint": "gK0qksXq136kiXut", "funding": "credit", "installments": null, "last4": "4242", "mandate": null, "network": "visa", "network_token": {"used": false}, "three_d_secure": null, "wallet": null}, "type": "card"}, "receipt_email": null, "receipt_number": null, "receipt_url": "https://pakrym-manage-mydev.dev.stripe.me/receipts/payment/CAcaFwoVYWNjdF8xTm5scDlHUHhtbkhRUmtKKKyg6KcGMgYHgDKZ-F46LCJo-hY_kAH4kAPu-ASZpFt4UqfBFOEiq_z27TmUEm_Ed8lMIpiGPv_6jlCX", "refunded": false, "refunds": {"data": [], "has_more": false, "object": "list", "url": "/v1/charges/ch_1NnlpSGPxmnHQRkJcYsK19E8/refunds"}, "review": null, "shipping": null, "source_transfer": null, "statement_descriptor": null, "statement_descriptor_suffix": null, "status": "succeeded", "transfer_data": null, "transfer_group": null}"#;
    const REFUND: &str = r#"{"amount": 100, "balance_transaction": null, "charge": "ch_1NnlpSGPxmnHQRkJcYsK19E8", "created": 1234567890, "currency": "usd", "id": "re_1NnmX5GPxmnHQRkJzG1txqB9", "metadata": {}, "object": "refund", "payment_intent": null, "reason": null, "receipt_number": null, "source_transfer_reversal": null, "status": "succeeded", "transfer_reversal": null}"#;
    const INTENT: &str = r#"{"amount": 1099, "amount_capturable": 0, "amount_details": {"tip": {}}, "amount_received": 0, "application": null, "application_fee_amount": null, "automatic_payment_methods": null, "canceled_at": 1234567890, "cancellation_reason": null, "capture_method": "automatic", "client_secret": "pi_1NnlpVGPxmnHQRkJNuz3w9tH_secret_h5EkobjXWLvrU8iWiSmSgifBy", "confirmation_method": "automatic", "created": 1234567890, "currency": "usd", "customer": null, "description": null, "id": "pi_1NnlpVGPxmnHQRkJNuz3w9tH", "invoice": null, "last_payment_error": null, "latest_charge": null, "livemode": false, "metadata": {}, "next_action": null, "object": "payment_intent", "on_behalf_of": null, "payment_method": null, "payment_method_options": {}, "payment_method_types": ["card"], "processing": null, "receipt_email": null, "review": null, "setup_future_usage": null, "shipping": null, "statement_descriptor": null, "statement_descriptor_suffix": null, "status": "requires_payment_method", "transfer_data": null, "transfer_group": null}"#;

    const CH: &str = "ch_1NnlpSGPxmnHQRkJcYsK19E8";
    const PI: &str = "pi_1NnlpVGPxmnHQRkJNuz3w9tH";

    /// A fixture with some fields changed.
    fn with(fixture: &str, changes: Value) -> Value {
        let mut v: Value = serde_json::from_str(fixture).unwrap();
        for (k, c) in changes.as_object().unwrap() {
            v[k] = c.clone();
        }
        v
    }

    fn map(raw: &Value, capture_method: Option<&str>) -> Transaction {
        from_json(raw, "acct_1", capture_method).unwrap().unwrap()
    }

    /// A restaurant's card payment as the demo seed makes it: captured at once, or authorized at
    /// the table and captured when the bill is settled (sometimes for less).
    fn paid(amount: i64, captured: i64, refunded: i64) -> Value {
        with(
            CHARGE,
            json!({"amount": amount, "amount_captured": captured, "amount_refunded": refunded, "captured": true,
                   "refunded": refunded == amount, "payment_intent": PI,
                   "metadata": {"order_number": "HV-01-1042", "location": "Harbour Vine"}}),
        )
    }

    #[test]
    fn stripes_fixture_charge_is_an_authorization() {
        let t = map(&serde_json::from_str(CHARGE).unwrap(), None);
        assert_eq!((t.gateway, t.kind, t.status), (GatewayKind::Stripe, TxType::Authorize, TxStatus::Complete));
        assert_eq!((t.reference.as_str(), t.amount, t.refunded, t.currency.as_str()), (CH, 100, 0, "usd"));
        assert_eq!((t.card_brand.as_deref(), t.card_last4.as_deref()), (Some("visa"), Some("4242")));
        assert_eq!(t.refundable(), 0, "an authorization is released, not refunded");
        assert_eq!(t.restaurant, "acct_1");
        assert_eq!((t.settled, t.order_ref, t.parent, t.created), (Some(false), None, None, 1_234_567_890));
    }

    #[test]
    fn a_captured_charge_is_a_purchase_or_a_capture_by_its_intents_capture_method() {
        let purchase = map(&paid(2_500, 2_500, 1_250), Some("automatic"));
        assert_eq!(
            (purchase.kind, purchase.status, purchase.settled),
            (TxType::Purchase, TxStatus::Complete, Some(true))
        );
        assert_eq!((purchase.amount, purchase.refunded, purchase.refundable()), (2_500, 1_250, 1_250));
        assert_eq!(purchase.order_ref.as_deref(), Some("HV-01-1042"));
        assert_eq!(map(&paid(2_500, 2_500, 0), Some("automatic_async")).kind, TxType::Purchase);
        assert_eq!(map(&paid(2_500, 2_500, 0), None).kind, TxType::Purchase, "no PaymentIntent known");

        // Captured for 4,500 of 5,000: Stripe shows the released 500 as refunded; a 1,000 refund
        // since makes 1,500. The capture took 4,500, of which 1,000 went back.
        let capture = map(&paid(5_000, 4_500, 1_500), Some("manual"));
        assert_eq!(
            (capture.kind, capture.amount, capture.refunded, capture.refundable()),
            (TxType::Capture, 4_500, 1_000, 3_500)
        );
    }

    #[test]
    fn a_declined_charge_and_a_released_authorization() {
        let declined = with(
            CHARGE,
            json!({"status": "failed", "paid": false, "failure_code": "card_declined", "balance_transaction": null,
                   "failure_message": "Your card was declined.", "payment_intent": PI}),
        );
        let t = map(&declined, Some("automatic"));
        assert_eq!((t.kind, t.status, t.refundable()), (TxType::Authorize, TxStatus::Failed, 0));
        let released = with(CHARGE, json!({"amount_refunded": 100, "refunded": true}));
        let t = map(&released, Some("manual"));
        assert_eq!((t.kind, t.status, t.amount, t.refunded), (TxType::Authorize, TxStatus::Complete, 100, 100));
        assert_eq!(map(&with(CHARGE, json!({"status": "pending"})), None).status, TxStatus::Pending);
    }

    #[test]
    fn a_refunds_status_follows_stripes() {
        for (status, expected) in [
            ("succeeded", TxStatus::Complete),
            ("pending", TxStatus::Pending),
            ("requires_action", TxStatus::Pending),
            ("failed", TxStatus::Failed),
            ("canceled", TxStatus::Failed),
        ] {
            let t = map(&with(REFUND, json!({"status": status})), None);
            assert_eq!(t.status, expected, "{status}");
            assert_eq!((t.kind, t.amount, t.refunded, t.parent.as_deref()), (TxType::Refund, 100, 0, Some(CH)));
        }
        // With its charge expanded, and an order number of its own.
        let expanded: Value = serde_json::from_str(CHARGE).unwrap();
        let t = map(&with(REFUND, json!({"charge": expanded, "metadata": {"order_number": "R-7"}})), None);
        assert_eq!((t.parent.as_deref(), t.order_ref.as_deref()), (Some(CH), Some("R-7")));
    }

    #[test]
    fn a_payment_intent_has_a_row_only_while_no_charge_stands_for_it() {
        let fixture: Value = serde_json::from_str(INTENT).unwrap();
        assert_eq!(from_json(&fixture, "acct_1", None).unwrap(), None, "no card yet");
        let action = with(
            INTENT,
            json!({"status": "requires_action", "canceled_at": null, "payment_method": "pm_1",
                   "next_action": {"type": "use_stripe_sdk", "use_stripe_sdk": {}}, "metadata": {"order_number": "EP-3"}}),
        );
        let t = map(&action, None);
        assert_eq!((t.kind, t.status, t.amount, t.reference.as_str()), (TxType::Confirm, TxStatus::Pending, 1_099, PI));
        assert_eq!(t.order_ref.as_deref(), Some("EP-3"));
        let held =
            with(INTENT, json!({"status": "requires_capture", "capture_method": "manual", "amount_capturable": 1_000}));
        assert_eq!((map(&held, None).kind, map(&held, None).amount), (TxType::Authorize, 1_000));
        let processing = with(INTENT, json!({"status": "processing"}));
        assert_eq!(map(&processing, None).kind, TxType::Purchase);
        let charged = with(INTENT, json!({"status": "requires_capture", "latest_charge": CH}));
        assert_eq!(from_json(&charged, "acct_1", None).unwrap(), None, "its charge has the row");
        let canceled = with(INTENT, json!({"status": "canceled"}));
        assert_eq!(from_json(&canceled, "acct_1", None).unwrap(), None);
    }

    #[test]
    fn other_objects_are_not_transactions_and_a_broken_one_is_an_error() {
        assert_eq!(from_json(&json!({"object": "payout", "id": "po_1"}), "", None).unwrap(), None);
        assert!(from_json(&json!({"object": "charge", "id": "ch_1"}), "", None).is_err());
    }

    fn rows(store: &Store) -> Vec<Transaction> {
        let mut stmt = store.conn().prepare("SELECT reference FROM transactions ORDER BY reference").unwrap();
        let refs: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        refs.iter().map(|r| transactions::get(store.conn(), GatewayKind::Stripe, r).unwrap().unwrap()).collect()
    }

    /// The cache's pages of one manual-capture payment, its two refunds (one failed) and a
    /// payment waiting for 3-D Secure, as a full sync finds them today.
    fn pages() -> Vec<Vec<Value>> {
        let intent = with(
            INTENT,
            json!({"status": "succeeded", "capture_method": "manual", "latest_charge": CH, "amount": 5_000,
                   "amount_received": 4_500, "canceled_at": null, "metadata": {"order_number": "HV-01-1042"}}),
        );
        let refund = with(REFUND, json!({"amount": 1_000}));
        let failed = with(REFUND, json!({"id": "re_failed", "amount": 2_000, "status": "failed"}));
        let waiting = with(
            INTENT,
            json!({"id": "pi_waiting", "status": "requires_action", "canceled_at": null, "metadata": {"order_number": "HV-01-1050"}}),
        );
        // The charges page was read before the refund: it shows only the released 500.
        vec![vec![paid(5_000, 4_500, 500)], vec![refund, failed], vec![intent, waiting]]
    }

    #[test]
    fn the_customers_email_is_the_billing_email_else_the_receipts() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let billing = json!({"address": null, "email": " Jenny.Rosen@Example.com", "name": null, "phone": null});
        let charge = with(CHARGE, json!({"billing_details": billing, "receipt_email": "other@example.com"}));
        objects::upsert(conn, "acct_1", &[charge], "t").unwrap();
        let email = transactions::customer_email(conn, GatewayKind::Stripe, CH).unwrap();
        assert_eq!(email.as_deref(), Some("jenny.rosen@example.com"));
        // The receipt's address when the card has none; a waiting PaymentIntent has its own.
        objects::upsert(conn, "acct_1", &[with(CHARGE, json!({"receipt_email": "R@x.io"}))], "t").unwrap();
        assert_eq!(transactions::customer_email(conn, GatewayKind::Stripe, CH).unwrap().as_deref(), Some("r@x.io"));
        let waiting = with(INTENT, json!({"status": "requires_capture", "receipt_email": "pi@x.io"}));
        objects::upsert(conn, "acct_1", &[waiting], "t").unwrap();
        assert_eq!(transactions::customer_email(conn, GatewayKind::Stripe, PI).unwrap().as_deref(), Some("pi@x.io"));
        // Gone at Stripe: gone here.
        objects::upsert(conn, "acct_1", &[serde_json::from_str(CHARGE).unwrap()], "t").unwrap();
        assert_eq!(transactions::customer_email(conn, GatewayKind::Stripe, CH).unwrap(), None);
    }

    #[test]
    fn the_sync_leaves_the_same_rows_whatever_order_pages_arrive_in() {
        let mut results = Vec::new();
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [1, 0, 2]] {
            let store = Store::open_in_memory().unwrap();
            let pages = pages();
            for i in order {
                objects::upsert(store.conn(), "acct_1", &pages[i], "t").unwrap();
            }
            results.push(rows(&store));
        }
        let first = &results[0];
        assert!(results.iter().all(|r| r == first), "{results:#?}");
        let refs: Vec<&str> = first.iter().map(|t| t.reference.as_str()).collect();
        assert_eq!(refs, [CH, "pi_waiting", "re_1NnmX5GPxmnHQRkJzG1txqB9", "re_failed"]);
        let charge = &first[0];
        assert_eq!((charge.kind, charge.amount, charge.refunded), (TxType::Capture, 4_500, 1_000));
        assert!(first
            .iter()
            .filter(|t| t.kind == TxType::Refund)
            .all(|t| t.order_ref.as_deref() == Some("HV-01-1042")));
        assert_eq!(first[1].kind, TxType::Confirm);
    }

    #[test]
    fn events_leave_the_newest_state_and_a_charged_intent_gives_way_to_its_charge() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let waiting = with(INTENT, json!({"status": "requires_action", "canceled_at": null}));
        objects::upsert(conn, "acct_1", &[waiting.clone()], "t").unwrap();
        assert_eq!(transactions::get(conn, GatewayKind::Stripe, PI).unwrap().unwrap().kind, TxType::Confirm);

        // One events page, oldest first: the customer authenticated, the card was charged, a
        // refund followed, the charge was updated.
        let succeeded = with(INTENT, json!({"status": "succeeded", "latest_charge": CH, "canceled_at": null}));
        let page =
            [waiting, paid(1_099, 1_099, 0), succeeded, with(REFUND, json!({"amount": 99})), paid(1_099, 1_099, 99)];
        objects::upsert(conn, "acct_1", &page, "t").unwrap();
        assert_eq!(transactions::get(conn, GatewayKind::Stripe, PI).unwrap(), None, "the charge stands for it now");
        let charge = transactions::get(conn, GatewayKind::Stripe, CH).unwrap().unwrap();
        assert_eq!((charge.kind, charge.amount, charge.refunded), (TxType::Purchase, 1_099, 99));

        // The refund fails later: its event lowers nothing by itself, the charge's own does.
        objects::upsert(conn, "acct_1", &[with(REFUND, json!({"amount": 99, "status": "failed"}))], "t").unwrap();
        objects::upsert(conn, "acct_1", &[paid(1_099, 1_099, 0)], "t").unwrap();
        assert_eq!(transactions::get(conn, GatewayKind::Stripe, CH).unwrap().unwrap().refunded, 0);
        assert_eq!(transactions::total(conn, None).unwrap(), 2);
    }
}
