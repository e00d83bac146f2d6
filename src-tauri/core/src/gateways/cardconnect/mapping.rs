//! CardPointe's answers in the neutral [`Transaction`] shape. CardPointe answers each call with a
//! flat JSON object whose fields vary by endpoint (and whose order, in UAT, is random), so answers
//! are read by field name rather than into fixed structs.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::{amount, AuthRequest, CardConnectError, RefundRequest};
use crate::gateways::{GatewayKind, Transaction, TxStatus, TxType};

/// A field as text (CardPointe sends strings; a few clients have seen numbers).
pub(crate) fn text(answer: &Value, key: &str) -> Option<String> {
    match answer.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn required(answer: &Value, key: &str) -> Result<String, CardConnectError> {
    text(answer, key).ok_or_else(|| CardConnectError::Decode { detail: format!("the answer has no {key}") })
}

/// The order ID, which CardPointe spells `orderId` in inquiries and voids, `orderid` elsewhere.
fn order_ref(answer: &Value) -> Option<String> {
    text(answer, "orderId").or_else(|| text(answer, "orderid"))
}

/// A neutral transaction with the fields every mapping shares.
fn base(kind: TxType, reference: String, restaurant: String, amount: i64, currency: &str) -> Transaction {
    Transaction {
        gateway: GatewayKind::CardConnect,
        reference,
        kind,
        status: TxStatus::Complete,
        amount,
        refunded: 0,
        currency: currency.to_ascii_lowercase(),
        order_ref: None,
        restaurant,
        created: chrono::Utc::now().timestamp(),
        parent: None,
        card_brand: None,
        card_last4: None,
        settled: Some(false),
    }
}

/// An approved `auth`. The amount is the one CardPointe approved (a prepaid card may be
/// partially approved for less).
pub(crate) fn authorized(answer: &Value, req: &AuthRequest) -> Result<Transaction, CardConnectError> {
    let amount = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), &req.currency)?;
    let kind = if req.capture { TxType::Purchase } else { TxType::Authorize };
    let mut tx = base(kind, required(answer, "retref")?, req.merchid.clone(), amount, &req.currency);
    tx.order_ref = Some(req.orderid.clone());
    tx.card_last4 = text(answer, "account").as_deref().and_then(last4).or_else(|| req.account.last4());
    tx.card_brand = match &req.account {
        super::PaymentAccount::Card { number, .. } => brand(number),
        _ => text(answer, "account").as_deref().and_then(brand),
    };
    Ok(tx)
}

/// An approved `capture` of `retref`.
pub(crate) fn captured(
    answer: &Value,
    merchid: &str,
    retref: &str,
    currency: &str,
) -> Result<Transaction, CardConnectError> {
    let amount = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), currency)?;
    let mut tx = base(TxType::Capture, retref.to_string(), merchid.to_string(), amount, currency);
    tx.parent = Some(retref.to_string());
    tx.order_ref = order_ref(answer);
    tx.settled = Some(
        text(answer, "setlstat").as_deref() == Some("Accepted") || text(answer, "respcode").as_deref() == Some("26"),
    );
    tx.card_last4 = text(answer, "account").as_deref().and_then(last4);
    Ok(tx)
}

/// An approved void. CardPointe answers the amount that stays authorized (`0.00` for a whole
/// void), so that is the amount here; the reference is the voided transaction's own.
pub(crate) fn voided(answer: &Value, merchid: &str, currency: &str) -> Result<Transaction, CardConnectError> {
    let currency = text(answer, "currency").unwrap_or_else(|| currency.to_string());
    let amount = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), &currency)?;
    let retref = required(answer, "retref")?;
    let mut tx = base(TxType::Void, retref.clone(), merchid.to_string(), amount, &currency);
    tx.parent = Some(retref);
    tx.order_ref = order_ref(answer);
    Ok(tx)
}

/// An approved refund: its own retref, the payment it gives back from as parent.
pub(crate) fn refunded(answer: &Value, req: &RefundRequest) -> Result<Transaction, CardConnectError> {
    let amount = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), &req.currency)?;
    let mut tx = base(TxType::Refund, required(answer, "retref")?, req.merchid.clone(), amount.abs(), &req.currency);
    tx.parent = Some(req.retref.clone());
    tx.order_ref = order_ref(answer).or_else(|| Some(req.orderid.clone()));
    Ok(tx)
}

/// Whether an inquiry answered a transaction record (which has a `setlstat`, even a declined
/// one) rather than a refusal such as "Txn not found".
pub(crate) fn is_record(answer: &Value) -> bool {
    text(answer, "setlstat").is_some() && text(answer, "retref").is_some()
}

/// A transaction as `inquire`/`inquireByOrderid` describe it. The inquiry carries no refunded
/// total and no link from a refund to its payment, so `refunded` is 0 and a refund's `parent` is
/// unknown here; a refund shows as a negative amount.
pub(crate) fn inquired(answer: &Value) -> Result<Transaction, CardConnectError> {
    // CardPointe merchants are boarded in one currency; an answer without one is read as dollars.
    let currency = text(answer, "currency").unwrap_or_else(|| "usd".into());
    let signed = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), &currency)?;
    let setlstat = text(answer, "setlstat").unwrap_or_default();
    let approved = text(answer, "respstat").as_deref() == Some("A");
    let kind = if signed < 0 {
        TxType::Refund
    } else {
        match setlstat.as_str() {
            "Authorized" | "Zero Amount" | "Declined" => TxType::Authorize,
            "Voided" => TxType::Void,
            _ => TxType::Purchase,
        }
    };
    let retref = required(answer, "retref")?;
    let mut tx = base(kind, retref.clone(), required(answer, "merchid")?, signed.abs(), &currency);
    tx.status = match (approved, setlstat.as_str()) {
        (true, "Rejected") | (false, _) => TxStatus::Failed,
        (true, _) => TxStatus::Complete,
    };
    tx.settled = match setlstat.as_str() {
        "Accepted" => Some(true),
        "" => None,
        _ => Some(false),
    };
    if kind == TxType::Void {
        tx.parent = Some(retref);
    }
    tx.order_ref = order_ref(answer);
    tx.created = text(answer, "authdate")
        .as_deref()
        .and_then(unix_time)
        .or_else(|| text(answer, "capturedate").as_deref().and_then(unix_time))
        .unwrap_or(0);
    tx.card_last4 = text(answer, "lastfour").or_else(|| text(answer, "account").as_deref().and_then(last4));
    tx.card_brand = text(answer, "account").as_deref().and_then(brand);
    Ok(tx)
}

/// A transaction as a deposit (`funding`'s `txns`) lists it: settled and paid out; a `REFUND`
/// (negative) names its payment in `parentretref`.
pub(crate) fn funded(answer: &Value, merchid: &str, currency: &str) -> Result<Transaction, CardConnectError> {
    let currency = text(answer, "currency").map(|c| c.to_ascii_lowercase()).unwrap_or_else(|| currency.to_string());
    let signed = amount::from_answer(answer.get("amount").unwrap_or(&Value::Null), &currency)?;
    let refund = signed < 0 || text(answer, "type").is_some_and(|t| t.eq_ignore_ascii_case("refund"));
    let kind = if refund { TxType::Refund } else { TxType::Purchase };
    let restaurant = text(answer, "merchid").unwrap_or_else(|| merchid.to_string());
    let mut tx = base(kind, required(answer, "retref")?, restaurant, signed.abs(), &currency);
    tx.status = TxStatus::Complete;
    tx.settled = Some(true);
    tx.parent = if refund { text(answer, "parentretref") } else { None };
    // A refund's own order ID (`HV-13-6001-R1`) only finds the refund; the restaurant's order is
    // its payment's, which the cache gives a refund that names its parent.
    tx.order_ref = if tx.parent.is_some() { None } else { text(answer, "invoicenumber") };
    tx.created = text(answer, "authdate").or_else(|| text(answer, "date")).as_deref().and_then(unix_time).unwrap_or(0);
    tx.card_last4 = text(answer, "cardnumber").as_deref().and_then(last4);
    tx.card_brand = text(answer, "cardbrand")
        .filter(|b| !b.is_empty())
        .or_else(|| text(answer, "cardnumber").as_deref().and_then(brand));
    Ok(tx)
}

/// `YYYYMMDD` or `YYYYMMDDHHMMSS` (CardPointe's dates, Eastern time; read as UTC) as Unix seconds.
fn unix_time(raw: &str) -> Option<i64> {
    match raw.len() {
        8 => NaiveDate::parse_from_str(raw, "%Y%m%d").ok()?.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()),
        14 => NaiveDateTime::parse_from_str(raw, "%Y%m%d%H%M%S").ok().map(|t| t.and_utc().timestamp()),
        _ => None,
    }
}

/// The last four characters of an account (card number, masked number or token), if digits.
fn last4(account: &str) -> Option<String> {
    let tail = account.get(account.len().checked_sub(4)?..)?;
    tail.bytes().all(|b| b.is_ascii_digit()).then(|| tail.to_string())
}

/// The brand of a card number or a masked one (`41XXXXXXXXXX1111`). Tokens (16 digits starting
/// with 9) say nothing about the brand.
pub(crate) fn brand(account: &str) -> Option<String> {
    let is_token = account.len() == 16 && account.starts_with('9') && account.bytes().all(|b| b.is_ascii_digit());
    if is_token {
        return None;
    }
    let two: u32 = account.get(..2)?.parse().ok()?;
    let name = match two {
        40..=49 => "visa",
        51..=55 | 22..=27 => "mastercard",
        34 | 37 => "amex",
        60 | 62 | 64 | 65 => "discover",
        36 | 30 | 38 => "diners",
        35 => "jcb",
        _ => return None,
    };
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inquiries_map_by_setlstat_and_sign() {
        let settled = json!({ "merchid": "496400000113", "retref": "123456789012", "amount": "42.10", "currency": "USD",
                              "respstat": "A", "setlstat": "Accepted", "orderId": "HV-13-6001", "lastfour": "1111",
                              "authdate": "20240105", "account": "9412345678901111" });
        let tx = inquired(&settled).unwrap();
        assert_eq!(
            (tx.kind, tx.status, tx.amount, tx.settled),
            (TxType::Purchase, TxStatus::Complete, 4210, Some(true))
        );
        assert_eq!(
            (tx.order_ref.as_deref(), tx.card_last4.as_deref(), tx.card_brand.as_deref()),
            (Some("HV-13-6001"), Some("1111"), None)
        );
        assert_eq!(tx.created, 1_704_412_800);
        assert_eq!(tx.currency, "usd");
        let refund = json!({ "merchid": "1", "retref": "2", "amount": "-12.00", "respstat": "A", "setlstat": "Queued for Capture" });
        let tx = inquired(&refund).unwrap();
        assert_eq!((tx.kind, tx.amount, tx.settled), (TxType::Refund, 1200, Some(false)));
        let declined =
            json!({ "merchid": "1", "retref": "3", "amount": "20.00", "respstat": "C", "setlstat": "Declined" });
        assert_eq!(inquired(&declined).unwrap().status, TxStatus::Failed);
        let voided = json!({ "merchid": "1", "retref": "4", "amount": "20.00", "respstat": "A", "setlstat": "Voided" });
        let tx = inquired(&voided).unwrap();
        assert_eq!((tx.kind, tx.parent.as_deref()), (TxType::Void, Some("4")));
        assert!(!is_record(&json!({ "respstat": "C", "respcode": "29", "retref": "5" })));
    }

    #[test]
    fn brands_from_card_numbers_but_not_tokens() {
        assert_eq!(brand("4111111111111111").as_deref(), Some("visa"));
        assert_eq!(brand("54XXXXXXXXXX5454").as_deref(), Some("mastercard"));
        assert_eq!(brand("9418594164541111"), None);
        assert_eq!(last4("41XXXXXXXXXX1111").as_deref(), Some("1111"));
    }
}
