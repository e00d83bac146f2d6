//! Who pays a Stripe refund back, decided by how the payment was charged: the flags Stripe needs
//! for it (`refund_application_fee`, `reverse_transfer`) and the sentence that tells the person
//! confirming. Read from the cached charge alone, so a confirmation sent again builds the same
//! request body (the door compares them).

use serde::Serialize;
use serde_json::Value;
use specta::Type;

/// How a Stripe payment was charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// On the restaurant's own account (`Stripe-Account`): its balance pays the refund.
    Direct,
    /// On the platform, with the money transferred to the restaurant (`transfer_data`).
    Destination,
    /// The platform's own payment.
    Platform,
}

impl ChargeKind {
    /// From the account the charge lives on (`""`: the platform) and the charge itself.
    pub fn of(account: &str, charge: &Value) -> ChargeKind {
        if !account.is_empty() {
            ChargeKind::Direct
        } else if charge["transfer_data"]["destination"].is_string()
            || charge["transfer_data"]["destination"]["id"].is_string()
            || charge["transfer"].is_string()
            || charge["transfer"]["id"].is_string()
        {
            ChargeKind::Destination
        } else {
            ChargeKind::Platform
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChargeKind::Direct => "Direct charge",
            ChargeKind::Destination => "Destination charge",
            ChargeKind::Platform => "Platform payment",
        }
    }

    /// The refund's flags: a direct charge gives the platform's fee back to the restaurant; a
    /// destination charge also takes the restaurant's share back from its transfer, so the
    /// platform is not left paying for the restaurant's sale.
    pub fn flags(self, charge: &Value) -> Vec<(&'static str, String)> {
        let mut flags = Vec::new();
        if matches!(self, ChargeKind::Direct | ChargeKind::Destination) && has_fee(charge) {
            flags.push(("refund_application_fee", "true".to_string()));
        }
        if self == ChargeKind::Destination {
            flags.push(("reverse_transfer", "true".to_string()));
        }
        flags
    }

    /// What the refund does, for the confirmation: `amount` and `card` as shown, `restaurant` by
    /// name, `destination` the name of the restaurant a destination charge paid.
    pub fn effect(self, amount: &str, card: &str, restaurant: &str, destination: &str, has_fee: bool) -> String {
        let fee = if has_fee { "; the platform's fee on it is returned to them in proportion" } else { "" };
        match self {
            ChargeKind::Direct => format!(
                "{amount} goes back to the customer's {card} from {restaurant}'s Stripe balance{fee}. Customers usually see it within 5–10 business days."
            ),
            ChargeKind::Destination => format!(
                "The platform refunds {amount} to the customer's {card} and takes {destination}'s share back from the transfer it received (reverse transfer){}. Customers usually see it within 5–10 business days.",
                if has_fee { "; the platform's fee is returned in proportion" } else { "" }
            ),
            ChargeKind::Platform => format!(
                "{amount} goes back to the customer's {card} from the platform's Stripe balance. Customers usually see it within 5–10 business days."
            ),
        }
    }
}

/// Whether the platform took a fee on the charge.
pub fn has_fee(charge: &Value) -> bool {
    !charge["application_fee"].is_null() || charge["application_fee_amount"].as_i64().unwrap_or(0) > 0
}

/// The restaurant a destination charge paid (`transfer_data.destination`), if any.
pub fn destination(charge: &Value) -> Option<String> {
    let d = &charge["transfer_data"]["destination"];
    d.as_str().or_else(|| d["id"].as_str()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_follow_the_charge_type() {
        let direct = json!({"application_fee": "fee_1", "application_fee_amount": 120});
        assert_eq!(ChargeKind::of("acct_1", &direct), ChargeKind::Direct);
        assert_eq!(ChargeKind::Direct.flags(&direct), vec![("refund_application_fee", "true".to_string())]);
        let destination =
            json!({"transfer_data": {"destination": "acct_2"}, "transfer": "tr_1", "application_fee_amount": 50});
        assert_eq!(ChargeKind::of("", &destination), ChargeKind::Destination);
        let flags: Vec<_> = ChargeKind::Destination.flags(&destination).into_iter().map(|(k, _)| k).collect();
        assert_eq!(flags, ["refund_application_fee", "reverse_transfer"]);
        assert_eq!(super::destination(&destination), Some("acct_2".into()));
        let own = json!({"application_fee": null});
        assert_eq!(ChargeKind::of("", &own), ChargeKind::Platform);
        assert!(ChargeKind::Platform.flags(&own).is_empty());
        assert!(ChargeKind::Direct.flags(&own).is_empty(), "no fee, nothing to return");
    }

    #[test]
    fn the_effect_says_who_pays() {
        let direct = ChargeKind::Direct.effect("$12.50", "Visa ••••4242", "Lakeside", "", true);
        assert!(direct.contains("from Lakeside's Stripe balance") && direct.contains("fee"), "{direct}");
        let dest = ChargeKind::Destination.effect("$12.50", "card", "Platform", "Lakeside", false);
        assert!(dest.contains("takes Lakeside's share back"), "{dest}");
    }
}
