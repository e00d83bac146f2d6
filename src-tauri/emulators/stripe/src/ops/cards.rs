//! Stripe's test payment methods: which card a `pm_card_…` stands for and how it behaves.

/// What happens when a test card is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeds,
    /// Declined with this decline code.
    Declines(&'static str),
    /// Succeeds, then the cardholder disputes it.
    Disputed,
    /// Succeeds; a refund of it starts `pending` and succeeds later (Stripe's asynchronous refund
    /// success card, 4000 0000 0000 7726).
    RefundsPending,
}

#[derive(Debug, Clone, Copy)]
pub struct TestCard {
    pub brand: &'static str,
    pub last4: &'static str,
    pub country: &'static str,
    pub funding: &'static str,
    pub outcome: Outcome,
    /// The issuer asks for 3-D Secure on every payment: confirming leaves the PaymentIntent
    /// `requires_action` until the customer authenticates (see `three_d_secure`); `outcome` is
    /// what happens once they have.
    pub authentication: bool,
}

/// The card behind a payment method ID, as in Stripe's testing docs.
pub fn lookup(payment_method: &str) -> Option<TestCard> {
    let card = |brand, last4, outcome| TestCard {
        brand,
        last4,
        country: "US",
        funding: "credit",
        outcome,
        authentication: false,
    };
    let authenticated = |last4, outcome| TestCard { authentication: true, ..card("visa", last4, outcome) };
    Some(match payment_method {
        "pm_card_visa" => card("visa", "4242", Outcome::Succeeds),
        "pm_card_visa_debit" => TestCard { funding: "debit", ..card("visa", "5556", Outcome::Succeeds) },
        "pm_card_mastercard" => card("mastercard", "4444", Outcome::Succeeds),
        "pm_card_amex" => card("amex", "8431", Outcome::Succeeds),
        "pm_card_jp" => TestCard { country: "JP", ..card("visa", "0003", Outcome::Succeeds) },
        "pm_card_chargeDeclined" => card("visa", "0002", Outcome::Declines("generic_decline")),
        "pm_card_chargeDeclinedInsufficientFunds" => card("visa", "9995", Outcome::Declines("insufficient_funds")),
        "pm_card_chargeDeclinedExpiredCard" => card("visa", "0069", Outcome::Declines("expired_card")),
        "pm_card_createDispute" => card("visa", "0259", Outcome::Disputed),
        "pm_card_pendingRefund" => card("visa", "7726", Outcome::RefundsPending),
        // 3-D Secure: authentication required on every payment (4000 0000 0000 3220 and
        // 4000 0027 6000 3184), or required and then declined (4000 0084 0000 1629).
        "pm_card_threeDSecure2Required" => authenticated("3220", Outcome::Succeeds),
        "pm_card_authenticationRequired" => authenticated("3184", Outcome::Succeeds),
        "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds" => {
            authenticated("1629", Outcome::Declines("insufficient_funds"))
        }
        _ => return None,
    })
}

pub fn decline_message(code: &str) -> &'static str {
    match code {
        "insufficient_funds" => "Your card has insufficient funds.",
        "expired_card" => "Your card has expired.",
        _ => "Your card was declined.",
    }
}
