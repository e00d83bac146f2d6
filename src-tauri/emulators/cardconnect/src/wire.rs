//! CardPointe's answers as JSON: field names, spellings (`orderId` in inquiries, `orderid` in
//! captures and refunds), decimal-string amounts and date formats as the API reference shows them.
//! Only fields the reference documents are written.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::amount;
use crate::codes::Code;
use crate::model::{Batch, Deposit, Merchant, Setl, Txn, TxnKind};
use crate::state::State;

/// The Gateway refusing a request (respstat C, or B for a retry), with no transaction made.
pub fn refusal(code: Code, retref: Option<&str>) -> Value {
    json!({
        "respproc": code.respproc,
        "respstat": code.respstat.as_str(),
        "respcode": code.respcode,
        "resptext": code.resptext,
        "retref": retref.unwrap_or(""),
    })
}

/// The response codes a transaction was answered with.
fn respond(out: &mut Map<String, Value>, txn: &Txn) {
    let code = Code { respproc: txn.respproc, respcode: txn.respcode, respstat: txn.respstat, resptext: txn.resptext };
    respond_with(out, code);
}

fn respond_with(out: &mut Map<String, Value>, code: Code) {
    out.insert("respproc".into(), json!(code.respproc));
    out.insert("respstat".into(), json!(code.respstat.as_str()));
    out.insert("respcode".into(), json!(code.respcode));
    out.insert("resptext".into(), json!(code.resptext));
}

/// The authorization code and batch, which approvals, captures and inquiries carry once the
/// transaction has them (CardPointe leaves them out before).
fn authcode_and_batch(out: &mut Map<String, Value>, txn: &Txn) {
    if let Some(authcode) = &txn.authcode {
        out.insert("authcode".into(), json!(authcode));
    }
    if let Some(batchid) = &txn.batchid {
        out.insert("batchid".into(), json!(batchid));
    }
}

/// The stored profile that paid, as its two IDs.
fn profile(out: &mut Map<String, Value>, txn: &Txn) {
    if let Some((profileid, acctid)) = txn.profile.as_deref().and_then(|p| p.split_once('/')) {
        out.insert("profileid".into(), json!(profileid));
        out.insert("acctid".into(), json!(acctid));
    }
}

fn money(txn: &Txn, amount: i64) -> Value {
    json!(amount::format(amount, &txn.currency))
}

/// An authorization the processor declined, or one that timed out (respstat B). Declines answer
/// `"amount":"0.00"`; no profile is stored or named.
pub fn declined(txn: &Txn) -> Value {
    let mut out = Map::new();
    respond(&mut out, txn);
    let amount = if txn.respstat == crate::codes::RespStat::B { txn.amount } else { 0 };
    out.insert("amount".into(), money(txn, amount));
    out.insert("retref".into(), json!(txn.retref));
    out.insert("merchid".into(), json!(txn.merchid));
    out.insert("account".into(), json!(txn.token));
    out.insert("token".into(), json!(txn.token));
    if txn.respproc == "PPS" {
        out.insert("setlstat".into(), json!(txn.setl.as_str()));
    } else {
        out.insert("cardproc".into(), json!(txn.respproc));
    }
    Value::Object(out)
}

/// An approved authorization. `account` is the token unless the request asked for the masked
/// card number; `orderId` is answered only when the request asked for receipt data.
pub fn approved(txn: &Txn, masked_account: Option<String>, receipt: bool) -> Value {
    let mut out = Map::new();
    respond(&mut out, txn);
    out.insert("retref".into(), json!(txn.retref));
    out.insert("amount".into(), money(txn, txn.amount));
    out.insert("merchid".into(), json!(txn.merchid));
    out.insert("account".into(), json!(masked_account.unwrap_or_else(|| txn.token.clone())));
    out.insert("token".into(), json!(txn.token));
    if let Some(expiry) = &txn.expiry {
        out.insert("expiry".into(), json!(expiry));
    }
    authcode_and_batch(&mut out, txn);
    profile(&mut out, txn);
    if receipt {
        out.insert("orderId".into(), json!(txn.orderid.clone().unwrap_or_default()));
    }
    out.insert("avsresp".into(), json!(""));
    out.insert("cvvresp".into(), json!(""));
    out.insert("entrymode".into(), json!("ECommerce"));
    Value::Object(out)
}

/// A capture (also answered again for one already queued). `code` overrides the approval, as
/// for a transaction whose batch already settled ("Txn Settled", still respstat A).
pub fn captured(txn: &Txn, code: Option<Code>) -> Value {
    let mut out = Map::new();
    match code {
        Some(code) => respond_with(&mut out, code),
        None => respond(&mut out, txn),
    }
    out.insert("merchid".into(), json!(txn.merchid));
    out.insert("account".into(), json!(txn.token));
    out.insert("token".into(), json!(txn.token));
    out.insert("amount".into(), money(txn, txn.amount));
    out.insert("retref".into(), json!(txn.retref));
    out.insert("setlstat".into(), json!(txn.setl.as_str()));
    out.insert("commcard".into(), json!("N"));
    authcode_and_batch(&mut out, txn);
    if let Some(orderid) = &txn.orderid {
        out.insert("orderid".into(), json!(orderid));
    }
    Value::Object(out)
}

/// A void: `amount` is what stays authorized (`"0.00"` once voided whole), `authcode` REVERS.
pub fn voided(txn: &Txn) -> Value {
    let left = if txn.setl == Setl::Voided { 0 } else { txn.amount };
    let mut out = Map::new();
    out.insert("respproc".into(), json!(if txn.kind == TxnKind::Refund { "PPS" } else { "FNOR" }));
    out.insert("respstat".into(), json!("A"));
    out.insert("respcode".into(), json!("00"));
    out.insert("resptext".into(), json!("Approval"));
    out.insert("authcode".into(), json!("REVERS"));
    out.insert("amount".into(), money(txn, left));
    out.insert("currency".into(), json!(txn.currency));
    out.insert("retref".into(), json!(txn.retref));
    out.insert("merchid".into(), json!(txn.merchid));
    if let Some(orderid) = &txn.orderid {
        out.insert("orderId".into(), json!(orderid));
    }
    Value::Object(out)
}

/// A refund: its own retref, the amount refunded, `authcode` REFUND (auto-approved refund).
pub fn refunded(refund: &Txn) -> Value {
    let mut out = Map::new();
    respond(&mut out, refund);
    out.insert("merchid".into(), json!(refund.merchid));
    out.insert("retref".into(), json!(refund.retref));
    out.insert("amount".into(), money(refund, refund.amount));
    out.insert("authcode".into(), json!("REFUND"));
    if let Some(orderid) = &refund.orderid {
        out.insert("orderid".into(), json!(orderid));
    }
    Value::Object(out)
}

/// An inquiry's answer: the original response codes, `setlstat`, and whether the transaction can
/// be voided or refunded now. A refund's amount is negative, as CardPointe reports credits.
pub fn inquired(state: &State, txn: &Txn) -> Value {
    let refund_unsettled = state.merchant(&txn.merchid).is_some_and(|m| m.refund_unsettled);
    let voidable = matches!(txn.setl, Setl::Authorized | Setl::QueuedForCapture) && txn.refunded == 0;
    let refundable = txn.kind == TxnKind::Auth
        && txn.refunded < txn.amount
        && (txn.setl == Setl::Accepted || (refund_unsettled && txn.setl == Setl::QueuedForCapture));
    let signed = if txn.kind == TxnKind::Refund { -txn.amount } else { txn.amount };
    let mut out = Map::new();
    respond(&mut out, txn);
    out.insert("merchid".into(), json!(txn.merchid));
    out.insert("retref".into(), json!(txn.retref));
    out.insert("amount".into(), money(txn, signed));
    out.insert("currency".into(), json!(txn.currency));
    out.insert("account".into(), json!(txn.token));
    out.insert("token".into(), json!(txn.token));
    out.insert("lastfour".into(), json!(txn.lastfour));
    out.insert("setlstat".into(), json!(txn.setl.as_str()));
    out.insert("authdate".into(), json!(stamp(txn.authdate, "%Y%m%d")));
    out.insert("entrymode".into(), json!("ECommerce"));
    out.insert("voidable".into(), json!(yes_no(voidable)));
    out.insert("refundable".into(), json!(yes_no(refundable)));
    if let Some(expiry) = &txn.expiry {
        out.insert("expiry".into(), json!(expiry));
    }
    authcode_and_batch(&mut out, txn);
    if let Some(at) = txn.capturedate {
        out.insert("capturedate".into(), json!(stamp(at, "%Y%m%d%H%M%S")));
    }
    if let Some(at) = txn.settledate {
        out.insert("settledate".into(), json!(stamp(at, "%Y%m%d%H%M%S")));
    }
    if let Some(orderid) = &txn.orderid {
        out.insert("orderId".into(), json!(orderid));
    }
    profile(&mut out, txn);
    Value::Object(out)
}

/// `inquireMerchant`: how the merchant ID is configured on the site.
pub fn merchant(merchant: &Merchant, site: &str) -> Value {
    json!({
        "merchid": merchant.merchid,
        "site": site,
        "enabled": merchant.enabled,
        "cardproc": "FNOR",
        "echeck": "N",
        "avs": "N",
        "cvv": "N",
        "acctupdater": "N",
        "fee_type": "N",
        "fee_format": "",
        "fee_value": "",
        "fee_merchid": "",
    })
}

/// `settlestat`: one object per batch, its transactions with `setlstat` Y (accepted) or N
/// (rejected) and `salesdoc` carrying the order ID.
pub fn settlements(state: &State, batches: &[&Batch]) -> Value {
    let list: Vec<Value> = batches
        .iter()
        .map(|batch| {
            let txns: Vec<Value> = batch
                .retrefs
                .iter()
                .filter_map(|r| state.txn(r))
                .map(|t| {
                    let signed = if t.kind == TxnKind::Refund { -t.amount } else { t.amount };
                    json!({
                        "retref": t.retref,
                        "setlamount": money(t, signed),
                        "setlstat": if t.setl == Setl::Rejected { "N" } else { "Y" },
                        "salesdoc": t.orderid.clone().unwrap_or_default(),
                        "authcode": t.authcode.clone().unwrap_or_default(),
                        "cardtype": t.brand.map_or("", |b| b.card_type()),
                    })
                })
                .collect();
            json!({
                "merchid": batch.merchid,
                "batchid": batch.batchid,
                "hostbatch": batch.hostbatch.clone().unwrap_or_default(),
                "hoststat": "GB",
                "respproc": "FNOR",
                "txns": txns,
            })
        })
        .collect();
    Value::Array(list)
}

/// `funding`: the day's deposits (`fundings`) and the transactions they pay (`txns`, linked by
/// `fundingid`; refunds negative with their `parentretref`). Fees are not emulated: they are zero.
pub fn funding(state: &State, merchid: &str, deposits: &[&Deposit]) -> Value {
    let mut fundings = Vec::new();
    let mut txns = Vec::new();
    for deposit in deposits {
        let total = amount::format(deposit.net, &deposit.currency);
        let zero = amount::format(0, &deposit.currency);
        fundings.push(json!({
            "fundingmasterid": deposit.fundingmasterid,
            "fundingid": deposit.fundingid,
            "merchid": deposit.merchid,
            "fundingdate": deposit.date.format("%Y%m%d").to_string(),
            "currency": deposit.currency,
            "netsales": total,
            "thirdparty": zero,
            "adjustment": zero,
            "interchangefee": zero,
            "servicecharge": zero,
            "fee": zero,
            "reversal": zero,
            "otheradjustment": zero,
            "totalfunding": total,
            "datechanged": deposit.date.format("%Y-%m-%d").to_string(),
            "dateadded": deposit.date.format("%Y-%m-%d").to_string(),
        }));
        for t in deposit.retrefs.iter().filter_map(|r| state.txn(r)) {
            let refund = t.kind == TxnKind::Refund;
            txns.push(json!({
                "fundingtxnid": deposit.fundingmasterid,
                "fundingid": deposit.fundingid,
                "retref": t.retref,
                "parentretref": t.parent.clone().unwrap_or_default(),
                "authcode": t.authcode.clone().unwrap_or_default(),
                "authdate": stamp(t.authdate, "%Y%m%d"),
                "date": stamp(t.authdate, "%Y%m%d"),
                "respcode": t.respcode,
                "batchid": t.batchid.clone().unwrap_or_default(),
                "cardproc": "FNOR",
                "cardnumber": format!("{}{}", "X".repeat(12), t.lastfour),
                "cardtype": t.brand.map_or("", |b| b.card_type()),
                "cardbrand": t.brand.map_or("", |b| b.card_type()),
                "amount": money(t, if refund { -t.amount } else { t.amount }),
                "currency": t.currency,
                "type": if refund { "REFUND" } else { "SALE" },
                "status": "Settled",
                "invoicenumber": t.orderid.clone().unwrap_or_default(),
                "interchangeunitfee": "0",
                "interchangepercentfee": "0",
            }));
        }
    }
    let first = deposits.first();
    json!({
        "merchid": merchid,
        "fundingdate": first.map(|d| d.date.format("%Y%m%d").to_string()).unwrap_or_default(),
        "fundingmasterid": first.map(|d| d.fundingmasterid.clone()).unwrap_or_default(),
        "datechanged": first.map(|d| d.date.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        "fundings": fundings,
        "txns": txns,
    })
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "Y"
    } else {
        "N"
    }
}

fn stamp(unix: i64, format: &str) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0).map(|t| t.format(format).to_string()).unwrap_or_default()
}
