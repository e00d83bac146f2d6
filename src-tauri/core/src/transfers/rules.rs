//! What a transfer or a reversal may be, checked before anything is journalled: a positive amount
//! in a known currency, to a connected restaurant; a reversal never above what is left of the
//! transfer (Stripe would refuse it; saying so first keeps the journal clean).

use serde_json::Value;

use crate::desk::DeskError;
use crate::money;

/// Longest description Stripe shows the restaurant in full.
pub const MAX_DESCRIPTION: usize = 350;

fn invalid(field: &'static str, reason: impl Into<String>) -> DeskError {
    DeskError::InvalidInput { field, reason: reason.into() }
}

/// The currency as Stripe takes it (lowercase ISO code), or why not.
pub fn currency(text: &str) -> Result<String, DeskError> {
    crate::desk::inputs::currency(text)
}

/// The amount typed in major units of `currency`, as minor units (positive).
pub fn amount(text: &str, currency: &str) -> Result<i64, DeskError> {
    crate::desk::inputs::positive_amount(text, currency)
}

/// The description, tidied, or why not.
pub fn description(text: &str) -> Result<String, DeskError> {
    let tidy = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() {
        return Err(invalid(
            "description",
            "Say what the transfer is for (the restaurant sees it), like “Weekly tips, 1–7 Dec”",
        ));
    }
    if tidy.chars().count() > MAX_DESCRIPTION {
        return Err(invalid("description", format!("Keep the description to {MAX_DESCRIPTION} characters")));
    }
    Ok(tidy)
}

/// What is left to reverse of a transfer as Stripe has it.
pub fn left(transfer: &Value) -> i64 {
    let amount = transfer["amount"].as_i64().unwrap_or(0);
    (amount - transfer["amount_reversed"].as_i64().unwrap_or(0)).max(0)
}

/// How much to reverse of `transfer` (all that is left when `typed` is `None`), or why not.
pub fn reversal(transfer: &Value, typed: Option<&str>) -> Result<i64, DeskError> {
    let currency = transfer["currency"].as_str().unwrap_or("usd");
    let left = left(transfer);
    if left == 0 {
        return Err(invalid("amount", "This transfer is fully reversed: nothing is left to claw back"));
    }
    let wanted = match typed.map(str::trim).filter(|t| !t.is_empty()) {
        None => left,
        Some(text) => amount(text, currency)?,
    };
    if wanted > left {
        return Err(invalid(
            "amount",
            format!(
                "Only {} of this transfer is left to reverse; {} is more",
                money::display(left, currency),
                money::display(wanted, currency)
            ),
        ));
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_are_positive_minor_units_of_the_currency() {
        assert_eq!(amount("12.50", "usd").unwrap(), 1_250);
        assert_eq!(amount("500", "jpy").unwrap(), 500);
        for bad in ["0", "-5", "abc", "1.234", ""] {
            assert_eq!(amount(bad, "usd").unwrap_err().field(), Some("amount"), "{bad}");
        }
        assert_eq!(currency(" USD ").unwrap(), "usd");
        assert!(currency("dollars").is_err() && currency("us").is_err());
        assert_eq!(description("  Weekly   tips ").unwrap(), "Weekly tips");
        assert!(description(" ").is_err() && description(&"x".repeat(351)).is_err());
    }

    #[test]
    fn a_reversal_never_goes_above_what_is_left() {
        let transfer = json!({ "amount": 10_000, "amount_reversed": 2_500, "currency": "usd" });
        assert_eq!(reversal(&transfer, None).unwrap(), 7_500);
        assert_eq!(reversal(&transfer, Some("25")).unwrap(), 2_500);
        let err = reversal(&transfer, Some("75.01")).unwrap_err();
        assert!(err.to_string().contains("$75.00") || err.to_string().contains("75.00"), "{err}");
        let done = json!({ "amount": 10_000, "amount_reversed": 10_000, "currency": "usd" });
        assert!(reversal(&done, None).unwrap_err().to_string().contains("fully reversed"));
    }
}
