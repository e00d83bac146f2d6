//! What staff typed into the Payments & Refunds search box, read as every kind of look-up it could
//! be. Text is often ambiguous (`4242` is a card's last four, an amount or an order number), so a
//! search is the union of its readings, each answered by an index of its own.
//!
//! Not [`crate::store::filters::Search`]: that one reads one ID prefix, amounts or words for the
//! payouts list; payments need order numbers, last4, emails and both gateways' IDs, and each
//! amount tied to the currency exponent it was read for.

use serde::Serialize;
use specta::Type;

use crate::gateways::GatewayKind;

/// The longest search text taken (an email is at most 254 characters).
pub const MAX_TEXT: usize = 256;

/// Stripe's prefixes of the objects a payment is found by: charges (`py_` on connected accounts),
/// PaymentIntents and refunds.
const STRIPE_PREFIXES: [&str; 5] = ["ch_", "py_", "pi_", "re_", "pyr_"];

/// CardPointe retrefs are 12 digits; shorter digit strings are amounts or order numbers first.
const MIN_RETREF_DIGITS: usize = 6;

/// Amounts up to this many whole digits (99,999,999.99): longer digit strings are IDs.
const MAX_AMOUNT_DIGITS: usize = 8;

/// How a payment was found, for the screen to say why a row is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    GatewayId,
    OrderNumber,
    CustomerEmail,
    CardLast4,
    Amount,
}

/// One reading of the search text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A gateway's own ID or its start: a Stripe `ch_`/`py_`/`pi_`/`re_`/`pyr_` ID, a CardPointe
    /// retref. A refund's ID finds the payment it refunds.
    Id { gateway: GatewayKind, prefix: String },
    /// An order number or its start, whatever its case.
    Order(String),
    /// An amount in major units, as minor units for each currency exponent it can be written in
    /// (`12.50`: 1,250 at two decimals, 12,500 at three; not a yen amount).
    Amount(Vec<(u8, i64)>),
    /// The last four digits of the card.
    Last4(String),
    /// A customer's email or its start, lower-case.
    Email(String),
}

impl Lookup {
    pub fn kind(&self) -> SearchKind {
        match self {
            Lookup::Id { .. } => SearchKind::GatewayId,
            Lookup::Order(_) => SearchKind::OrderNumber,
            Lookup::Amount(_) => SearchKind::Amount,
            Lookup::Last4(_) => SearchKind::CardLast4,
            Lookup::Email(_) => SearchKind::CustomerEmail,
        }
    }
}

/// Every reading of `text`, most specific first; empty for blank text (no search: the list).
pub fn parse(text: &str) -> Vec<Lookup> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();

    if let Some(prefix) = STRIPE_PREFIXES.iter().find(|p| compact.starts_with(*p)) {
        if compact[prefix.len()..].chars().all(|c| c.is_ascii_alphanumeric()) {
            return vec![Lookup::Id { gateway: GatewayKind::Stripe, prefix: compact }];
        }
    }
    if compact.contains('@') {
        return vec![Lookup::Email(compact.to_ascii_lowercase())];
    }
    // A masked card number: `•4242`, `**** 4242`, `xxxx4242`.
    let unmasked = compact.trim_start_matches(['•', '*', 'x', 'X', '.']);
    if unmasked.len() == 4 && unmasked.len() < compact.len() && unmasked.bytes().all(|b| b.is_ascii_digit()) {
        return vec![Lookup::Last4(unmasked.to_string())];
    }

    let mut lookups = Vec::new();
    let digits_only = compact.bytes().all(|b| b.is_ascii_digit());
    if digits_only && compact.len() >= MIN_RETREF_DIGITS {
        lookups.push(Lookup::Id { gateway: GatewayKind::CardConnect, prefix: compact.clone() });
    }
    // Order numbers are free text: always a reading.
    lookups.push(Lookup::Order(text.to_string()));
    if digits_only && compact.len() == 4 {
        lookups.push(Lookup::Last4(compact.clone()));
    }
    if let Some(amounts) = amount(&compact) {
        lookups.push(Lookup::Amount(amounts));
    }
    // The start of an email (`jenny.ro`): letters and the characters addresses are made of.
    let email_like = compact.chars().any(|c| c.is_ascii_alphabetic())
        && compact.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
    if email_like {
        lookups.push(Lookup::Email(compact.to_ascii_lowercase()));
    }
    lookups
}

/// An amount as typed (`12.50`, `$12.50`, `1,250.00`, `12,50 €`, `¥500`) in minor units per
/// exponent (0, 2, 3) that can hold its decimals; trailing zeros do not count (`500.00` yen).
fn amount(compact: &str) -> Option<Vec<(u8, i64)>> {
    let number = compact.trim_start_matches(['$', '€', '£', '¥']).trim_end_matches(['$', '€', '£', '¥']);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    // `1,250.00`: commas group thousands. `12,50`: a decimal comma. `1,250`: thousands.
    let normal = match (number.contains('.'), number.rsplit_once(',')) {
        (false, Some((_, last))) if last.len() != 3 && !number[..number.len() - last.len() - 1].contains(',') => {
            number.replacen(',', ".", 1)
        }
        _ => number.replace(',', ""),
    };
    let (whole, frac) = normal.split_once('.').unwrap_or((&normal, ""));
    if whole.is_empty() && frac.is_empty() || frac.contains('.') || whole.len() > MAX_AMOUNT_DIGITS {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    let mut amounts = Vec::new();
    for exponent in [2u8, 0, 3] {
        if frac.len() > exponent as usize {
            continue;
        }
        let digits = format!("{whole}{frac:0<width$}", width = exponent as usize);
        if let Ok(minor) = digits.parse::<i64>() {
            amounts.push((exponent, minor));
        }
    }
    (!amounts.is_empty()).then_some(amounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SearchKind> {
        parse(text).iter().map(Lookup::kind).collect()
    }

    #[test]
    fn gateway_ids_are_read_as_ids_only() {
        assert_eq!(parse(" pi_3Nx9AbC "), [Lookup::Id { gateway: GatewayKind::Stripe, prefix: "pi_3Nx9AbC".into() }]);
        assert_eq!(kinds("ch_1NnlpS"), [SearchKind::GatewayId]);
        assert_eq!(kinds("re_1Nn"), [SearchKind::GatewayId]);
        assert_eq!(kinds("py_1Nn"), [SearchKind::GatewayId]);
        // A CardPointe retref: 12 digits, also possibly an order number.
        let retref = parse("363652261392");
        assert_eq!(retref[0], Lookup::Id { gateway: GatewayKind::CardConnect, prefix: "363652261392".into() });
        assert_eq!(retref[1], Lookup::Order("363652261392".into()));
        assert_eq!(retref.len(), 2, "too long for an amount");
        // Not an ID: characters an ID never has.
        assert_eq!(kinds("ch_1; DROP"), [SearchKind::OrderNumber]);
    }

    #[test]
    fn amounts_are_read_per_currency_exponent() {
        let Lookup::Amount(a) = &parse("12.50")[1] else { panic!("{:?}", parse("12.50")) };
        assert_eq!(a, &[(2, 1_250), (3, 12_500)], "not yen: yen have no decimals");
        assert!(parse("$12.50").contains(&Lookup::Amount(vec![(2, 1_250), (3, 12_500)])));
        assert!(parse("¥500").contains(&Lookup::Amount(vec![(2, 50_000), (0, 500), (3, 500_000)])));
        assert!(parse("500.00").contains(&Lookup::Amount(vec![(2, 50_000), (0, 500), (3, 500_000)])));
        assert!(parse("1,250.00").contains(&Lookup::Amount(vec![(2, 125_000), (0, 1_250), (3, 1_250_000)])));
        assert!(parse("1,250").contains(&Lookup::Amount(vec![(2, 125_000), (0, 1_250), (3, 1_250_000)])));
        assert!(parse("12,50 €").contains(&Lookup::Amount(vec![(2, 1_250), (3, 12_500)])));
        assert!(parse("0.125").contains(&Lookup::Amount(vec![(3, 125)])));
        assert!(parse(".5").contains(&Lookup::Amount(vec![(2, 50), (3, 500)])));
        for not_amounts in ["1.2.3", "12.5x", ".", "$", "123456789"] {
            assert!(!kinds(not_amounts).contains(&SearchKind::Amount), "{not_amounts}");
        }
    }

    #[test]
    fn four_digits_are_last4_an_amount_or_an_order_and_a_mask_says_which() {
        assert_eq!(kinds("4242"), [SearchKind::OrderNumber, SearchKind::CardLast4, SearchKind::Amount]);
        for masked in ["•4242", "**** 4242", "xxxx4242", "•••• 4242"] {
            assert_eq!(parse(masked), [Lookup::Last4("4242".into())], "{masked}");
        }
    }

    #[test]
    fn emails_and_order_numbers() {
        assert_eq!(parse(" Jenny.Rosen@Example.com "), [Lookup::Email("jenny.rosen@example.com".into())]);
        // An order number as typed (any case is matched later), or the start of an email.
        assert_eq!(parse("HV-01-1042"), [Lookup::Order("HV-01-1042".into()), Lookup::Email("hv-01-1042".into())]);
        assert_eq!(kinds("jenny.ro"), [SearchKind::OrderNumber, SearchKind::CustomerEmail]);
        assert_eq!(kinds("Table 12 / Maria"), [SearchKind::OrderNumber]);
        assert!(parse("   ").is_empty());
    }
}
