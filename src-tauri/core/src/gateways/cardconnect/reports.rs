//! The Gateway's reports: a merchant's configuration (`inquireMerchant`), settled batches
//! (`settlestat`) and deposits (`funding`), as plain structs.

use chrono::NaiveDate;
use serde_json::Value;

use super::mapping::{self, text};
use super::{amount, CardConnectError};
use crate::gateways::Transaction;

/// What `inquireMerchant` says of a merchant ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantInfo {
    pub merchid: String,
    /// The site the merchant ID is boarded on.
    pub site: Option<String>,
    pub enabled: bool,
    /// The card processor, e.g. `FNOR` (First Data North).
    pub processor: Option<String>,
}

/// One batch the processor settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub merchid: String,
    pub batchid: String,
    /// The processor's own batch number.
    pub hostbatch: Option<String>,
    /// `GB` when the processor accepted the batch (see CardPointe's batch statuses).
    pub hoststat: Option<String>,
    pub txns: Vec<SettledTxn>,
}

/// One transaction of a settled batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledTxn {
    pub retref: String,
    /// Minor units; negative for a refund.
    pub amount: i64,
    /// Accepted for funding (`setlstat` Y); otherwise rejected or held (N, F, P, T, W).
    pub accepted: bool,
    pub setlstat: String,
    /// The order ID (`salesdoc`), when there was one.
    pub order_ref: Option<String>,
}

/// One deposit to a merchant's bank account, with the transactions it paid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    pub merchid: String,
    /// The funding date: the day the money reaches the bank account.
    pub date: NaiveDate,
    /// What reached the bank, after refunds, fees and adjustments (`totalfunding`), minor units.
    pub amount: i64,
    /// Lower-case ISO 4217.
    pub currency: String,
    pub funding_id: String,
    /// The retrieval references of the transactions this deposit paid out.
    pub retrefs: Vec<String>,
    /// Those transactions in the neutral shape, as far as `funding` describes them: sales as
    /// settled purchases, refunds with their payment (`parentretref`) as parent.
    pub transactions: Vec<Transaction>,
}

pub(crate) fn merchant(answer: &Value) -> Result<MerchantInfo, CardConnectError> {
    let merchid = text(answer, "merchid")
        .ok_or_else(|| CardConnectError::Decode { detail: "the merchant answer has no merchid".into() })?;
    let enabled = match answer.get("enabled") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("y"),
        _ => true,
    };
    Ok(MerchantInfo { merchid, site: text(answer, "site"), enabled, processor: text(answer, "cardproc") })
}

/// `settlestat`'s array of batches (a single object is accepted too).
pub(crate) fn settlements(answer: &Value, currency: &str) -> Result<Vec<Settlement>, CardConnectError> {
    let batches: Vec<&Value> = match answer {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![answer],
        _ => return Err(CardConnectError::Decode { detail: "settlement status is not a list of batches".into() }),
    };
    batches
        .into_iter()
        .map(|batch| {
            let txns = list(batch, "txns")
                .map(|t| {
                    let setlstat = text(t, "setlstat").unwrap_or_default();
                    Ok(SettledTxn {
                        retref: text(t, "retref").unwrap_or_default(),
                        amount: amount::from_answer(t.get("setlamount").unwrap_or(&Value::Null), currency)?,
                        accepted: setlstat == "Y" || setlstat.eq_ignore_ascii_case("accepted"),
                        setlstat,
                        order_ref: text(t, "salesdoc"),
                    })
                })
                .collect::<Result<Vec<_>, CardConnectError>>()?;
            Ok(Settlement {
                merchid: text(batch, "merchid").unwrap_or_default(),
                batchid: text(batch, "batchid").unwrap_or_default(),
                hostbatch: text(batch, "hostbatch"),
                hoststat: text(batch, "hoststat"),
                txns,
            })
        })
        .collect()
}

/// `funding`: each entry of `fundings` with the `txns` of the same `fundingid` (all of them when
/// there is one deposit and the transactions do not say).
pub(crate) fn deposits(answer: &Value, merchid: &str) -> Result<Vec<Deposit>, CardConnectError> {
    let fundings: Vec<&Value> = list(answer, "fundings").collect();
    let txns: Vec<&Value> = list(answer, "txns").collect();
    let only_one = fundings.len() == 1;
    fundings
        .iter()
        .map(|f| {
            let currency = text(f, "currency").unwrap_or_else(|| "usd".into()).to_ascii_lowercase();
            let funding_id = text(f, "fundingid").unwrap_or_default();
            let date = text(f, "fundingdate")
                .or_else(|| text(answer, "fundingdate"))
                .as_deref()
                .and_then(parse_date)
                .ok_or_else(|| CardConnectError::Decode {
                detail: "a deposit has no readable fundingdate".into(),
            })?;
            let own: Vec<&Value> = txns
                .iter()
                .copied()
                .filter(|t| match text(t, "fundingid") {
                    Some(id) => id == funding_id,
                    None => only_one,
                })
                .collect();
            let retrefs = own.iter().filter_map(|t| text(t, "retref")).collect();
            let fallback = text(f, "merchid").unwrap_or_else(|| merchid.to_string());
            // A line that cannot be read leaves the deposit's breakdown short, which its detail
            // shows as a difference: the deposit itself is still what reached the bank.
            let transactions = own
                .iter()
                .filter_map(|t| {
                    mapping::funded(t, &fallback, &currency)
                        .map_err(|e| tracing::warn!(error = %e, "a deposit line could not be read"))
                        .ok()
                })
                .collect();
            Ok(Deposit {
                merchid: text(f, "merchid").unwrap_or_else(|| merchid.to_string()),
                date,
                amount: amount::from_answer(f.get("totalfunding").unwrap_or(&Value::Null), &currency)?,
                currency,
                funding_id,
                retrefs,
                transactions,
            })
        })
        .collect()
}

fn list<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// `20190815` or `2019-08-15`: the reference shows both.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y%m%d").or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateways::TxType;
    use serde_json::json;

    #[test]
    fn deposits_keep_their_transactions() {
        let answer = json!({
            "fundings": [
                { "fundingid": "1", "fundingdate": "20240105", "totalfunding": "-21.07", "currency": "USD", "merchid": "9" },
                { "fundingid": "2", "fundingdate": "2024-01-05", "totalfunding": "10.00", "currency": "USD", "merchid": "9" }
            ],
            "txns": [
                { "fundingid": "1", "retref": "a", "amount": "-25.00", "type": "REFUND", "parentretref": "p", "invoicenumber": "HV-1-R1" },
                { "fundingid": "2", "retref": "b", "amount": "10.00", "type": "SALE", "invoicenumber": "HV-2", "cardnumber": "XXXXXXXXXXXX1111", "cardbrand": "Visa", "authdate": "20240104" },
                { "fundingid": "1", "retref": "c", "amount": "3.93", "type": "SALE" }
            ]
        });
        let d = deposits(&answer, "9").unwrap();
        assert_eq!((d[0].amount, d[0].retrefs.clone()), (-2107, vec!["a".to_string(), "c".to_string()]));
        let refund = &d[0].transactions[0];
        assert_eq!((refund.kind, refund.amount, refund.parent.as_deref()), (TxType::Refund, 2_500, Some("p")));
        assert_eq!(refund.order_ref, None, "a refund's order is its payment's");
        let sale = &d[1].transactions[0];
        assert_eq!((sale.kind, sale.amount, sale.order_ref.as_deref()), (TxType::Purchase, 1_000, Some("HV-2")));
        assert_eq!(
            (sale.card_brand.as_deref(), sale.card_last4.as_deref(), sale.settled),
            (Some("Visa"), Some("1111"), Some(true))
        );
        assert_eq!((d[1].date, d[1].currency.as_str()), (NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(), "usd"));
    }

    #[test]
    fn settlements_read_letters_and_signs() {
        let answer = json!([{ "batchid": "7", "hoststat": "GB", "merchid": "9", "txns": [
            { "retref": "a", "setlamount": "53.43", "setlstat": "Y", "salesdoc": "HV-1" },
            { "retref": "b", "setlamount": "-5.00", "setlstat": "N", "salesdoc": "" } ] }]);
        let s = settlements(&answer, "usd").unwrap();
        assert_eq!(
            s[0].txns[0],
            SettledTxn {
                retref: "a".into(),
                amount: 5343,
                accepted: true,
                setlstat: "Y".into(),
                order_ref: Some("HV-1".into())
            }
        );
        assert_eq!((s[0].txns[1].amount, s[0].txns[1].accepted, s[0].txns[1].order_ref.clone()), (-500, false, None));
    }
}
