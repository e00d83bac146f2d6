//! Money is an integer amount in the currency's minor unit. Stripe's zero-decimal currencies have
//! no minor unit (¥500 is `500`), and a few three-decimal ones exist; the UI formats with the
//! exponent we send so that Rust stays the only place that knows the rule.

use serde::Serialize;
use specta::Type;

/// Currencies Stripe treats as zero-decimal (amount is in whole units).
/// Source: Stripe's "zero-decimal currencies" list.
const ZERO_DECIMAL: &[&str] =
    &["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"];

/// Currencies with three decimals, where Stripe expects amounts in thousandths.
const THREE_DECIMAL: &[&str] = &["bhd", "jod", "kwd", "omr", "tnd"];

/// How many decimal places the minor unit has: `amount / 10^exponent` is the major-unit value.
pub fn exponent(currency: &str) -> u8 {
    let c = currency.to_ascii_lowercase();
    if ZERO_DECIMAL.contains(&c.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&c.as_str()) {
        3
    } else {
        2
    }
}

/// An amount as it crosses to the UI: minor units, currency and the exponent to format with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Money {
    /// In the currency's minor unit. Amounts stay far below 2^53, so a JS number is exact.
    #[specta(type = specta_typescript::Number)]
    pub amount: i64,
    /// Lower-case ISO 4217 code, as Stripe sends it.
    pub currency: String,
    pub exponent: u8,
}

impl Money {
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        let currency = currency.into().to_ascii_lowercase();
        Self { amount, exponent: exponent(&currency), currency }
    }

    /// Major units as a decimal string with a dot, e.g. `12.50` or `500` (for CSV exports).
    pub fn to_major_string(&self) -> String {
        let digits = self.exponent as u32;
        if digits == 0 {
            return self.amount.to_string();
        }
        let scale = 10i64.pow(digits);
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        format!("{sign}{}.{:0width$}", abs / scale as u64, abs % scale as u64, width = digits as usize)
    }
}

/// `amount` for a person in the neutral transaction model (`$12.50`, `¥500`, `12.50 CHF`). The
/// screens format with the user's locale instead; this is the platforms' `display_price`.
pub fn display(amount: i64, currency: &str) -> String {
    let major = Money::new(amount, currency).to_major_string();
    let (sign, digits) = major.strip_prefix('-').map_or(("", major.as_str()), |d| ("-", d));
    match currency.to_ascii_lowercase().as_str() {
        "usd" | "cad" | "aud" | "nzd" => format!("{sign}${digits}"),
        "eur" => format!("{sign}€{digits}"),
        "gbp" => format!("{sign}£{digits}"),
        "jpy" => format!("{sign}¥{digits}"),
        other => format!("{sign}{digits} {}", other.to_ascii_uppercase()),
    }
}

/// Why a typed amount was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("type an amount")]
    Empty,
    #[error("an amount is positive, not {0}")]
    Negative(String),
    #[error("{0:?} is not an amount: use digits and a dot for decimals, like 12.50")]
    NotANumber(String),
    /// More decimals than the currency has (three in USD, any in JPY).
    #[error("{currency} {}, and {text} has {given}", decimals(*allowed))]
    TooManyDecimals { text: String, currency: String, allowed: u8, given: usize },
    #[error("{0} is more than this app can refund at once")]
    TooLarge(String),
}

fn decimals(n: u8) -> String {
    match n {
        0 => "has no decimals".into(),
        n => format!("has at most {n} decimals"),
    }
}

/// Reads an amount a person typed in major units (`"12.50"`, `"500"`) for `currency`, as minor
/// units: screens and the command line type major units, the gateways take minor ones, and only
/// here are the currency's decimals known. No signs, separators or symbols are guessed at: a
/// comma could be a thousands or a decimal separator depending on the locale.
pub fn parse_major(text: &str, currency: &str) -> Result<i64, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if let Some(rest) = text.strip_prefix('-') {
        if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(AmountError::Negative(text.to_string()));
        }
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || (text.contains('.') && fraction.is_empty()) {
        return Err(AmountError::NotANumber(text.to_string()));
    }
    let allowed = exponent(currency);
    if fraction.len() > allowed as usize {
        let currency = currency.to_ascii_uppercase();
        return Err(AmountError::TooManyDecimals { text: text.to_string(), currency, allowed, given: fraction.len() });
    }
    let too_large = || AmountError::TooLarge(text.to_string());
    let scale = 10i64.pow(allowed as u32);
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i64>().map_err(|_| too_large())? * 10i64.pow(allowed as u32 - fraction.len() as u32)
    };
    // Far above any card payment; keeps the amount exact as a JS number too.
    const MAX: i64 = 1 << 50;
    whole.checked_mul(scale).and_then(|w| w.checked_add(fraction)).filter(|a| *a <= MAX).ok_or_else(too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_zero_and_three_decimal_currencies() {
        assert_eq!(exponent("JPY"), 0);
        assert_eq!(exponent("krw"), 0);
        assert_eq!(exponent("usd"), 2);
        assert_eq!(exponent("kwd"), 3);
    }

    #[test]
    fn renders_major_units() {
        assert_eq!(Money::new(1250, "usd").to_major_string(), "12.50");
        assert_eq!(Money::new(-5, "eur").to_major_string(), "-0.05");
        assert_eq!(Money::new(500, "jpy").to_major_string(), "500");
        assert_eq!(Money::new(1234, "kwd").to_major_string(), "1.234");
    }

    #[test]
    fn displays_like_a_price_tag() {
        assert_eq!(display(1250, "usd"), "$12.50");
        assert_eq!(display(-5, "eur"), "-€0.05");
        assert_eq!(display(500, "jpy"), "¥500");
        assert_eq!(display(1250, "chf"), "12.50 CHF");
    }
    #[test]
    fn reads_typed_major_units_with_the_currency_decimals() {
        assert_eq!(parse_major("12.50", "usd"), Ok(1250));
        assert_eq!(parse_major(" 12.5 ", "usd"), Ok(1250));
        assert_eq!(parse_major("12", "usd"), Ok(1200));
        assert_eq!(parse_major("0.05", "eur"), Ok(5));
        assert_eq!(parse_major("0", "usd"), Ok(0));
        assert_eq!(parse_major("500", "jpy"), Ok(500));
        assert_eq!(parse_major("1.234", "kwd"), Ok(1234));
    }

    #[test]
    fn refuses_what_is_not_an_amount_in_that_currency() {
        assert!(matches!(parse_major("12.505", "usd"), Err(AmountError::TooManyDecimals { allowed: 2, given: 3, .. })));
        let jpy = parse_major("500.5", "jpy").unwrap_err();
        assert_eq!(jpy.to_string(), "JPY has no decimals, and 500.5 has 1");
        assert!(parse_major("500.0", "JPY").is_err(), "no decimals at all in yen");
        assert_eq!(parse_major("-5", "usd"), Err(AmountError::Negative("-5".into())));
        assert_eq!(parse_major("-0.50", "usd"), Err(AmountError::Negative("-0.50".into())));
        assert_eq!(parse_major("", "usd"), Err(AmountError::Empty));
        for bad in ["abc", "12a", "$12.50", "1,250.00", "12,50", "1e3", ".50", "12.", "+5", "1.2.3", "- 5"] {
            assert!(matches!(parse_major(bad, "usd"), Err(AmountError::NotANumber(_))), "{bad}");
        }
        assert!(matches!(parse_major("99999999999999999999", "usd"), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_major("92233720368547758", "usd"), Err(AmountError::TooLarge(_))));
    }
}
