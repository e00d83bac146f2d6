//! Amounts as CardPointe writes them. Requests may carry an amount "with decimal or without decimal
//! in currency minor units" (`"12.50"` and `"1250"` are both $12.50); answers carry decimal strings
//! (`"12.50"`). Inside the emulator every amount is an integer in minor units, so nothing is ever
//! rounded.

use serde_json::Value;

/// Decimal places of a currency's minor unit (the ones our merchants are boarded in, and the
/// zero-decimal yen for completeness).
pub fn exponent(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "JPY" | "KRW" => 0,
        _ => 2,
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

/// Reads a request amount: a JSON string or number, `"12.50"` (decimal) or `"1250"` (minor units).
/// More decimals than the currency has, signs other than a leading minus, or anything else is
/// refused.
pub fn parse_request(raw: &Value, currency: &str) -> Result<i64, BadAmount> {
    let text = match raw {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err(BadAmount),
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let exp = exponent(currency);
    let minor = match digits.split_once('.') {
        None => parse_digits(digits)?,
        Some((whole, frac)) => {
            if frac.len() > exp as usize || (whole.is_empty() && frac.is_empty()) {
                return Err(BadAmount);
            }
            let whole = if whole.is_empty() { 0 } else { parse_digits(whole)? };
            let frac_value = if frac.is_empty() { 0 } else { parse_digits(frac)? };
            let scale = 10i64.pow(exp);
            let frac_scaled = frac_value * 10i64.pow(exp - frac.len() as u32);
            whole.checked_mul(scale).and_then(|w| w.checked_add(frac_scaled)).ok_or(BadAmount)?
        }
    };
    Ok(if negative { -minor } else { minor })
}

fn parse_digits(s: &str) -> Result<i64, BadAmount> {
    if s.is_empty() || s.len() > 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadAmount);
    }
    s.parse().map_err(|_| BadAmount)
}

/// An amount as CardPointe answers it: `"12.50"`, `"-3.00"`, `"0.00"` (`"500"` for yen).
pub fn format(minor: i64, currency: &str) -> String {
    let exp = exponent(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(exp);
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = exp as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decimal_and_minor_unit_requests() {
        assert_eq!(parse_request(&json!("12.50"), "USD"), Ok(1250));
        assert_eq!(parse_request(&json!("1250"), "USD"), Ok(1250));
        assert_eq!(parse_request(&json!("12.5"), "USD"), Ok(1250));
        assert_eq!(parse_request(&json!(".99"), "USD"), Ok(99));
        assert_eq!(parse_request(&json!("0"), "USD"), Ok(0));
        assert_eq!(parse_request(&json!("-5.00"), "USD"), Ok(-500));
        assert_eq!(parse_request(&json!(1250), "USD"), Ok(1250));
        assert_eq!(parse_request(&json!(12.5), "USD"), Ok(1250));
        assert_eq!(parse_request(&json!("500"), "JPY"), Ok(500));
        for bad in [json!("12.505"), json!("12,50"), json!(""), json!("1e3"), json!(null), json!("+5"), json!(".")] {
            assert_eq!(parse_request(&bad, "USD"), Err(BadAmount), "{bad}");
        }
    }

    #[test]
    fn answers_are_decimal_strings() {
        assert_eq!(format(1250, "USD"), "12.50");
        assert_eq!(format(5, "USD"), "0.05");
        assert_eq!(format(-300, "USD"), "-3.00");
        assert_eq!(format(0, "USD"), "0.00");
        assert_eq!(format(500, "JPY"), "500");
    }
}
