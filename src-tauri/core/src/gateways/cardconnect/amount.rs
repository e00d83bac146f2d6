//! Amounts between Merchant Desk (integers in minor units) and CardPointe (decimal strings).
//! Requests are always sent with a decimal point: CardPointe reads `"1250"` as minor units but
//! `"12.50"` unambiguously, and answers are decimal strings. Nothing goes through a float.

use serde_json::Value;

use super::CardConnectError;
use crate::money::{exponent, Money};

/// `1250` USD → `"12.50"`; `500` JPY → `"500"`.
pub fn to_decimal(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).to_major_string()
}

/// An amount CardPointe answered (`"12.50"`, `"-3.00"`, `"0.00"`, or a JSON number) in minor
/// units of `currency`. A whole number without a point is read as major units, as answers are.
pub fn from_answer(raw: &Value, currency: &str) -> Result<i64, CardConnectError> {
    let text = match raw {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => return Err(bad(other)),
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let exp = exponent(currency) as usize;
    // Extra decimals are accepted only when they are zeros ("10.000"), so nothing is rounded.
    let (kept, extra) = frac.split_at(frac.len().min(exp));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && kept.is_empty())
        || !all_digits(whole)
        || !all_digits(kept)
        || extra.bytes().any(|b| b != b'0')
        || whole.len() > 15
    {
        return Err(bad(raw));
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad(raw))? };
    let frac_value: i64 = format!("{kept:0<exp$}").parse().unwrap_or(0);
    let minor =
        whole.checked_mul(10i64.pow(exp as u32)).and_then(|w| w.checked_add(frac_value)).ok_or_else(|| bad(raw))?;
    Ok(if negative { -minor } else { minor })
}

fn bad(raw: &Value) -> CardConnectError {
    CardConnectError::Decode { detail: format!("the amount {raw} is not a decimal amount") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_exactly_both_ways() {
        assert_eq!(to_decimal(1250, "usd"), "12.50");
        assert_eq!(to_decimal(5, "usd"), "0.05");
        assert_eq!(to_decimal(500, "jpy"), "500");
        assert_eq!(from_answer(&json!("12.50"), "usd").unwrap(), 1250);
        assert_eq!(from_answer(&json!("-3.00"), "usd").unwrap(), -300);
        assert_eq!(from_answer(&json!("0.00"), "usd").unwrap(), 0);
        assert_eq!(from_answer(&json!("7"), "usd").unwrap(), 700);
        assert_eq!(from_answer(&json!("7.5"), "usd").unwrap(), 750);
        assert_eq!(from_answer(&json!(10.25), "usd").unwrap(), 1025);
        assert_eq!(from_answer(&json!("10.000"), "usd").unwrap(), 1000);
        assert_eq!(from_answer(&json!("0.1"), "usd").unwrap(), 10);
        // Values where a float would round: exact here.
        assert_eq!(from_answer(&json!("1000000.29"), "usd").unwrap(), 100_000_029);
        for bad in [json!("12.505"), json!("abc"), json!(""), json!(null), json!("1e3"), json!("--1")] {
            assert!(from_answer(&bad, "usd").is_err(), "{bad}");
        }
    }
}
