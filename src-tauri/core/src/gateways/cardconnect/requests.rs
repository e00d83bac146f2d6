//! What the money calls take, checked before anything is sent: merchant IDs, retrieval references
//! and order IDs go into URLs and bodies, so a malformed one is refused here with a clear reason
//! rather than by the Gateway with "Invalid field".

use std::fmt;

use super::CardConnectError;

/// How the customer pays.
#[derive(Clone, PartialEq, Eq)]
pub enum PaymentAccount {
    /// A card number (only for PCI-validated set-ups; CardPointe tokenizes it) and its expiry,
    /// MMYY.
    Card { number: String, expiry: String },
    /// A CardSecure token and the card's expiry, MMYY.
    Token { token: String, expiry: String },
    /// A card stored in a CardPointe profile, sent as `profileid/acctid`.
    Profile { profileid: String, acctid: String },
}

impl PaymentAccount {
    /// A stored profile as CardPointe writes it: `profileid/acctid`.
    pub fn profile(stored: &str) -> Result<Self, CardConnectError> {
        let (profileid, acctid) = stored.trim().split_once('/').ok_or_else(|| {
            CardConnectError::BadInput(
                "A stored card is written profileid/acctid, for example 12345678901234567890/1.".into(),
            )
        })?;
        digits_only(profileid, 1, 20, "The profile ID")?;
        digits_only(acctid, 1, 3, "The profile's account ID")?;
        Ok(PaymentAccount::Profile { profileid: profileid.into(), acctid: acctid.into() })
    }

    /// A stored card as Elastic Path passes CardConnect tokens: `acctid|profileid`.
    pub fn from_elastic_path(token: &str) -> Result<Self, CardConnectError> {
        let (acctid, profileid) = token.trim().split_once('|').ok_or_else(|| {
            CardConnectError::BadInput("An Elastic Path CardConnect token is written acctid|profileid.".into())
        })?;
        Self::profile(&format!("{profileid}/{acctid}"))
    }

    /// The last four digits of a card or token, when it has them.
    pub fn last4(&self) -> Option<String> {
        let digits = match self {
            PaymentAccount::Card { number, .. } => number,
            PaymentAccount::Token { token, .. } => token,
            PaymentAccount::Profile { .. } => return None,
        };
        (digits.len() >= 4).then(|| digits[digits.len() - 4..].to_string())
    }
}

impl fmt::Debug for PaymentAccount {
    /// Never the card number: only its last four digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaymentAccount::Card { .. } => write!(f, "Card(…{})", self.last4().unwrap_or_default()),
            PaymentAccount::Token { .. } => write!(f, "Token(…{})", self.last4().unwrap_or_default()),
            PaymentAccount::Profile { profileid, acctid } => write!(f, "Profile({profileid}/{acctid})"),
        }
    }
}

/// An authorization, captured at once for a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    pub merchid: String,
    pub account: PaymentAccount,
    /// Minor units of `currency`, above zero.
    pub amount: i64,
    /// The merchant's currency, lower-case ISO 4217.
    pub currency: String,
    /// Required: CardPointe has no idempotency keys, so the order ID recorded before sending is how
    /// a lost answer is found again (`inquireByOrderid`). Unique per attempt.
    pub orderid: String,
    /// Capture now (a purchase) rather than only authorize.
    pub capture: bool,
}

/// A refund of a settled payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// The merchant ID the payment was made with: CardPointe refuses a refund from any other.
    pub merchid: String,
    /// The payment's retrieval reference.
    pub retref: String,
    /// Minor units; `None` refunds all that is left.
    pub amount: Option<i64>,
    /// The payment's currency.
    pub currency: String,
    /// The refund's own order ID (e.g. the order number and `-R1`), recorded before sending, so a
    /// refund whose answer was lost is found with `inquireByOrderid`.
    pub orderid: String,
}

pub(crate) fn merchid(raw: &str) -> Result<&str, CardConnectError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 16 || !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CardConnectError::BadInput(format!(
            "\"{}\" is not a CardPointe merchant ID (up to 16 letters and digits).",
            printable(raw)
        )));
    }
    Ok(raw)
}

pub(crate) fn retref(raw: &str) -> Result<&str, CardConnectError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 14 || !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(CardConnectError::BadInput(format!(
            "\"{}\" is not a CardPointe retrieval reference (up to 14 letters and digits).",
            printable(raw)
        )));
    }
    Ok(raw)
}

pub(crate) fn orderid(raw: &str) -> Result<&str, CardConnectError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 50 || raw.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(CardConnectError::BadInput(
            "An order ID must be 1 to 50 plain characters (letters, digits and punctuation).".into(),
        ));
    }
    // CardPointe masks an order ID that passes the Luhn check (it could be a card number), and
    // then cannot find the transaction by it.
    if raw.len() >= 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardConnectError::BadInput(
            "An order ID of 12 or more digits could be taken for a card number; add a letter or a dash.".into(),
        ));
    }
    Ok(raw)
}

pub(crate) fn positive(amount: i64) -> Result<i64, CardConnectError> {
    if amount <= 0 {
        return Err(CardConnectError::BadInput("The amount must be more than zero.".into()));
    }
    Ok(amount)
}

fn digits_only(raw: &str, min: usize, max: usize, what: &str) -> Result<(), CardConnectError> {
    if raw.len() < min || raw.len() > max || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardConnectError::BadInput(format!("{what} must be {min} to {max} digits.")));
    }
    Ok(())
}

/// What was typed, shortened and without control characters, to quote in a message.
fn printable(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_cards_both_ways_round() {
        let ours = PaymentAccount::profile("12345678901234567890/1").unwrap();
        assert_eq!(PaymentAccount::from_elastic_path("1|12345678901234567890").unwrap(), ours);
        assert!(PaymentAccount::profile("123").is_err());
        assert!(PaymentAccount::profile("abc/1").is_err());
    }

    #[test]
    fn a_card_number_never_prints() {
        let card = PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() };
        assert_eq!(format!("{card:?}"), "Card(…1111)");
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(merchid("496400000113").is_ok());
        assert!(merchid("49/64").is_err());
        assert!(retref("123456789012").is_ok());
        assert!(retref("").is_err());
        assert!(orderid("HV-13-6001-R1").is_ok());
        assert!(orderid("4111111111111111").is_err());
        assert!(orderid(&"x".repeat(51)).is_err());
        assert!(positive(0).is_err());
    }
}
