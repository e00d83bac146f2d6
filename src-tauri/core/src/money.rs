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
}
