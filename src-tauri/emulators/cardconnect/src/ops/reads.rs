//! The Gateway's read endpoints: `inquire`, `inquireByOrderid`, `inquireMerchant`, `settlestat` and
//! `funding`. They change nothing but let the clock's due work run first, as every request does.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::merchant_for;
use crate::codes::gateway;
use crate::state::State;
use crate::wire;

/// One transaction by retref, within the merchant named.
pub fn inquire(state: &mut State, retref: &str, merchid: &str) -> Value {
    super::settle::tick(state);
    if let Err(answer) = merchant_for(state, Some(merchid)) {
        return answer;
    }
    match state.txn_of(merchid, retref) {
        Some(txn) => wire::inquired(state, txn),
        None => wire::refusal(gateway::TXN_NOT_FOUND, Some(retref)),
    }
}

/// Every transaction made with an order ID: of the merchant named when `only_this_merchant` (the
/// `set` path segment is 1), else of every merchant on the site. One transaction is answered as an
/// object, several as an array, oldest first.
pub fn inquire_by_orderid(state: &mut State, orderid: &str, merchid: &str, only_this_merchant: bool) -> Value {
    super::settle::tick(state);
    if let Err(answer) = merchant_for(state, Some(merchid)) {
        return answer;
    }
    let scope = only_this_merchant.then_some(merchid);
    let mut found: Vec<Value> = state.by_orderid(orderid, scope).map(|t| wire::inquired(state, t)).collect();
    match found.len() {
        0 => wire::refusal(gateway::TXN_NOT_FOUND, None),
        1 => found.remove(0),
        _ => Value::Array(found),
    }
}

/// The merchant's configuration; a cheap check that credentials and merchant ID go together.
pub fn inquire_merchant(state: &mut State, merchid: &str) -> Value {
    super::settle::tick(state);
    match state.merchant(merchid) {
        Some(merchant) => wire::merchant(merchant, &state.site),
        None => wire::refusal(gateway::INVALID_MERCHANT, None),
    }
}

/// What `settlestat` and `funding` answer.
pub enum Listing {
    Json(Value),
    /// CardPointe's plain-text answer when there is nothing to list.
    Text(&'static str),
}

/// The merchant's batches settled on a day (`date` as MMDD of the current year) or one batch by
/// ID, with their transactions; "Null batches" when there are none.
pub fn settlestat(state: &mut State, merchid: Option<&str>, date: Option<&str>, batchid: Option<&str>) -> Listing {
    super::settle::tick(state);
    let merchant = match merchant_for(state, merchid) {
        Ok(m) => m,
        Err(answer) => return Listing::Json(answer),
    };
    let day = date.and_then(|d| parse_day(d, state.today().year(), false));
    let batches: Vec<_> = state
        .batches
        .iter()
        .filter(|b| b.merchid == merchant.merchid && b.settled_on.is_some())
        .filter(|b| match (day, batchid) {
            (Some(day), _) => b.settled_on == Some(day),
            (None, Some(id)) => b.batchid == id,
            (None, None) => false,
        })
        .collect();
    if batches.is_empty() {
        return Listing::Text("Null batches");
    }
    Listing::Json(wire::settlements(state, &batches))
}

/// The merchant's deposits dated `date` (MMDD this year, or YYYYMMDD), with the transactions they
/// fund; CardPointe's "No deposits match your request" when there are none.
pub fn funding(state: &mut State, merchid: Option<&str>, date: Option<&str>) -> Value {
    super::settle::tick(state);
    let merchant = match merchant_for(state, merchid) {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let day = date.and_then(|d| parse_day(d, state.today().year(), true));
    let deposits: Vec<_> =
        state.deposits.iter().filter(|d| d.merchid == merchant.merchid && Some(d.date) == day).collect();
    if deposits.is_empty() {
        return serde_json::json!({ "errormsg": "No deposits match your request" });
    }
    wire::funding(state, &merchant.merchid, &deposits)
}

/// `MMDD` in `year`, or (where CardPointe accepts it) `YYYYMMDD`.
fn parse_day(raw: &str, year: i32, full_dates: bool) -> Option<NaiveDate> {
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    match raw.len() {
        4 => NaiveDate::from_ymd_opt(year, num(&raw[..2])?, num(&raw[2..])?),
        8 if full_dates => NaiveDate::from_ymd_opt(raw[..4].parse().ok()?, num(&raw[4..6])?, num(&raw[6..])?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_as_cardpointe_writes_them() {
        assert_eq!(parse_day("0315", 2024, false), NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(parse_day("20231231", 2024, true), NaiveDate::from_ymd_opt(2023, 12, 31));
        assert_eq!(parse_day("20231231", 2024, false), None);
        assert_eq!(parse_day("1332", 2024, false), None);
        assert_eq!(parse_day("03-1", 2024, false), None);
    }
}
