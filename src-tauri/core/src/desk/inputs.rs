//! Money as people type it on every form that moves it (transfers, payments taken, fee
//! previews): a currency's three letters and an amount in its major units, read the same way
//! everywhere and refused with the same sentences.

use super::DeskError;
use crate::money;

/// The currency as Stripe takes it (lowercase ISO code), or why not.
pub(crate) fn currency(text: &str) -> Result<String, DeskError> {
    let code = text.trim().to_ascii_lowercase();
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(DeskError::InvalidInput {
            field: "currency",
            reason: format!("“{}” is not a currency: use its three letters, like USD", text.trim()),
        });
    }
    Ok(code)
}

/// An amount typed in major units of `currency`, as positive minor units, or why not.
pub(crate) fn positive_amount(text: &str, currency: &str) -> Result<i64, DeskError> {
    let invalid = |reason: String| DeskError::InvalidInput { field: "amount", reason };
    let minor = money::parse_major(text, currency).map_err(|e| invalid(crate::views::capitalise(&e.to_string())))?;
    if minor <= 0 {
        return Err(invalid("Type more than zero".into()));
    }
    Ok(minor)
}
