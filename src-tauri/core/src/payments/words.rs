//! A payment's state and card in the words staff use at the counter, from the neutral row alone:
//! whichever gateway took the card, "Partly refunded" means the same.

use super::views::PaymentState;
use crate::gateways::{Transaction, TxStatus, TxType};

/// Where a payment stands. `voided`: a void stands for it (CardPointe voids before settlement).
pub fn state(t: &Transaction, voided: bool) -> PaymentState {
    if t.status == TxStatus::Failed {
        return if t.kind == TxType::Authorize { PaymentState::Declined } else { PaymentState::Failed };
    }
    if voided || t.kind == TxType::Void {
        return PaymentState::Voided;
    }
    match t.kind {
        TxType::Confirm => PaymentState::WaitingForBank,
        // Stripe shows a released or expired authorization as refunded in full.
        TxType::Authorize if t.amount > 0 && t.refunded >= t.amount => PaymentState::Released,
        TxType::Authorize => PaymentState::Authorized,
        _ if t.status == TxStatus::Pending => PaymentState::Processing,
        _ if t.refunded <= 0 => PaymentState::Paid,
        _ if t.refunded >= t.amount => PaymentState::Refunded,
        _ => PaymentState::PartlyRefunded,
    }
}

impl PaymentState {
    /// The state in words.
    pub fn label(self) -> &'static str {
        match self {
            PaymentState::Paid => "Paid",
            PaymentState::PartlyRefunded => "Partly refunded",
            PaymentState::Refunded => "Refunded",
            PaymentState::Authorized => "Authorized, not captured yet",
            PaymentState::Released => "Authorization released",
            PaymentState::Processing => "Processing",
            PaymentState::WaitingForBank => "Waiting for the customer's bank",
            PaymentState::Declined => "Declined",
            PaymentState::Failed => "Failed",
            PaymentState::Voided => "Voided",
        }
    }
}

/// A card brand as people write it; gateways send `visa`, `amex`, `MC`, `VISA`.
pub fn brand(brand: &str) -> String {
    match brand.trim().to_ascii_lowercase().as_str() {
        "visa" => "Visa".into(),
        "mastercard" | "mc" => "Mastercard".into(),
        "amex" | "american express" | "american_express" => "American Express".into(),
        "discover" | "disc" => "Discover".into(),
        "diners" | "diners club" => "Diners Club".into(),
        "jcb" => "JCB".into(),
        "unionpay" => "UnionPay".into(),
        "" | "unknown" => "Card".into(),
        other => crate::views::capitalise(&other.replace('_', " ")),
    }
}

/// "Visa ••••4242", like a bank account on the payouts screen; `None` when the gateway said nothing.
pub fn card(brand_name: Option<&str>, last4: Option<&str>) -> Option<String> {
    match (brand_name, last4) {
        (None, None) => None,
        (b, Some(l)) => Some(format!("{} ••••{l}", brand(b.unwrap_or("")))),
        (Some(b), None) => Some(brand(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateways::GatewayKind;

    fn pay(kind: TxType, status: TxStatus, amount: i64, refunded: i64) -> Transaction {
        Transaction {
            gateway: GatewayKind::Stripe,
            reference: "ch_1".into(),
            kind,
            status,
            amount,
            refunded,
            currency: "usd".into(),
            order_ref: None,
            restaurant: "acct_1".into(),
            created: 0,
            parent: None,
            card_brand: None,
            card_last4: None,
            settled: None,
        }
    }

    #[test]
    fn states_in_words() {
        use PaymentState as S;
        use TxStatus::*;
        use TxType::*;
        let cases = [
            (pay(Purchase, Complete, 1_000, 0), false, S::Paid),
            (pay(Capture, Complete, 1_000, 400), false, S::PartlyRefunded),
            (pay(Purchase, Complete, 1_000, 1_000), false, S::Refunded),
            (pay(Purchase, Pending, 1_000, 0), false, S::Processing),
            (pay(Authorize, Pending, 1_000, 0), false, S::Authorized),
            (pay(Authorize, Complete, 1_000, 1_000), false, S::Released),
            (pay(Authorize, Failed, 1_000, 0), false, S::Declined),
            (pay(Purchase, Failed, 1_000, 0), false, S::Failed),
            (pay(Confirm, Pending, 1_000, 0), false, S::WaitingForBank),
            (pay(Purchase, Complete, 1_000, 0), true, S::Voided),
            (pay(Void, Complete, 0, 0), false, S::Voided),
        ];
        for (t, voided, expected) in cases {
            assert_eq!(state(&t, voided), expected, "{t:?}");
        }
        assert_eq!(S::PartlyRefunded.label(), "Partly refunded");
    }

    #[test]
    fn cards_in_words() {
        assert_eq!(card(Some("visa"), Some("4242")).as_deref(), Some("Visa ••••4242"));
        assert_eq!(card(Some("MC"), Some("5454")).as_deref(), Some("Mastercard ••••5454"));
        assert_eq!(card(None, Some("1111")).as_deref(), Some("Card ••••1111"));
        assert_eq!(card(Some("amex"), None).as_deref(), Some("American Express"));
        assert_eq!(card(None, None), None);
        assert_eq!(brand("cartes_bancaires"), "Cartes bancaires");
    }
}
