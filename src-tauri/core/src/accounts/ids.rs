//! A restaurant's ID says which gateway it is on: a Stripe connected account (`acct_…`) or a
//! CardConnect merchant ID (digits). Profiles are scoped to either kind.

use crate::gateways::GatewayKind;

/// The gateway of a well-formed restaurant ID; `None` for anything else.
pub fn gateway_of(id: &str) -> Option<GatewayKind> {
    if let Some(rest) = id.strip_prefix("acct_") {
        let ok = !rest.is_empty() && rest.len() <= 64 && rest.chars().all(|c| c.is_ascii_alphanumeric());
        return ok.then_some(GatewayKind::Stripe);
    }
    let merchid = (6..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    merchid.then_some(GatewayKind::CardConnect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restaurant_ids_name_their_gateway() {
        assert_eq!(gateway_of("acct_1Abc"), Some(GatewayKind::Stripe));
        assert_eq!(gateway_of("496400000113"), Some(GatewayKind::CardConnect));
        for bad in ["", "acct_", "acct_a-b", "12345", "4964000001131234567", "po_1", "49640000011x"] {
            assert_eq!(gateway_of(bad), None, "{bad:?}");
        }
    }
}
