//! Which evidence wins which dispute, for which kind of restaurant order: the matrix of Stripe's
//! dispute reasons × order types, each cell the few fields to fill first, most important first,
//! with a line on what to put there. The evidence form shows these first and folds the rest.
//!
//! Grounded in Stripe's dispute category guidance (prove the cardholder took part for fraud, prove
//! the hand-over for "not received", show the agreed order and the policy for "unacceptable" and
//! refunds, tell two payments apart for duplicates), turned into what a restaurant actually has:
//! card slips, kitchen tickets, the driver app, the signed catering order.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::evidence::{self, EvidenceField};
use table::{Row, TABLE};

// The matrix is data only, in a sibling file (disputes/ stays flat) so the rules here stay short.
#[path = "recommend_table.rs"]
mod table;

/// How the disputed order was served: the evidence a restaurant holds depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    DineIn,
    /// Takeaway or pickup at the counter.
    Takeaway,
    Delivery,
    /// Catering or an event booking.
    Catering,
}

impl OrderType {
    pub const ALL: [OrderType; 4] = [OrderType::DineIn, OrderType::Takeaway, OrderType::Delivery, OrderType::Catering];

    /// The picker's words.
    pub fn label(self) -> &'static str {
        match self {
            OrderType::DineIn => "Dine-in",
            OrderType::Takeaway => "Takeaway or pickup",
            OrderType::Delivery => "Delivery",
            OrderType::Catering => "Catering or event",
        }
    }

    /// The serde name (`dine_in`), e.g. to keep with a draft.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::DineIn => "dine_in",
            OrderType::Takeaway => "takeaway",
            OrderType::Delivery => "delivery",
            OrderType::Catering => "catering",
        }
    }

    pub fn parse(text: &str) -> Option<OrderType> {
        OrderType::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One choice of the order-type picker.
#[derive(Debug, Clone, Serialize, Type)]
pub struct OrderTypeChoice {
    pub value: OrderType,
    pub label: &'static str,
}

/// The picker's choices, in the order shown.
pub fn order_type_choices() -> Vec<OrderTypeChoice> {
    OrderType::ALL.into_iter().map(|value| OrderTypeChoice { value, label: value.label() }).collect()
}

/// A dispute reason for a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct ReasonWords {
    /// A few words for the inbox ("Fraud claim").
    pub title: &'static str,
    /// What the reason means, in a sentence.
    pub meaning: &'static str,
}

/// A field to fill first, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Recommendation {
    /// The catalogue entry, so the form can render it as is.
    pub field: EvidenceField,
    /// Why it wins this kind of dispute and what to put or attach, in a restaurant's words.
    pub hint: &'static str,
}

/// What the evidence form shows for a dispute once the order type is picked.
#[derive(Debug, Clone, Serialize, Type)]
pub struct EvidencePlan {
    pub order_type: OrderType,
    pub reason: ReasonWords,
    /// Shown first, most important first.
    pub recommended: Vec<Recommendation>,
    /// Folded below, in catalogue order.
    pub others: Vec<EvidenceField>,
}

/// The fields that win a dispute with `reason` (Stripe's `dispute.reason`) for this kind of order,
/// most important first. A reason this table does not know gets `general`'s.
pub fn recommended(reason: &str, order: OrderType) -> Vec<Recommendation> {
    row(reason)
        .cell(order)
        .iter()
        .map(|&(name, hint)| Recommendation {
            field: *evidence::field(name).unwrap_or_else(|| panic!("{name} is in the evidence catalogue")),
            hint,
        })
        .collect()
}

/// The title and meaning of `reason`; an unknown reason reads as `general`.
pub fn reason_words(reason: &str) -> ReasonWords {
    let r = row(reason);
    ReasonWords { title: r.title, meaning: r.meaning }
}

/// The catalogue's fields that are not recommended for this reason and order, in catalogue order:
/// what the form folds below.
pub fn other_fields(reason: &str, order: OrderType) -> Vec<EvidenceField> {
    let cell = row(reason).cell(order);
    evidence::CATALOGUE.iter().filter(|f| !cell.iter().any(|&(name, _)| name == f.name)).copied().collect()
}

/// Everything the form needs from this module at once.
pub fn plan(reason: &str, order: OrderType) -> EvidencePlan {
    EvidencePlan {
        order_type: order,
        reason: reason_words(reason),
        recommended: recommended(reason, order),
        others: other_fields(reason, order),
    }
}

/// Every reason the table knows: all of Stripe's `dispute.reason` values in API 2023-08-16.
pub fn known_reasons() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|r| r.reason)
}

fn row(reason: &str) -> &'static Row {
    let find = |reason: &str| TABLE.iter().find(|r| r.reason == reason);
    find(reason).or_else(|| find("general")).expect("the table has `general`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Stripe's `dispute.reason` values, read from the spec's description: "Possible values are
    /// `bank_cannot_process`, …".
    fn spec_reasons() -> BTreeSet<String> {
        let spec = evidence::stripe_spec();
        let description = spec["components"]["schemas"]["dispute"]["properties"]["reason"]["description"]
            .as_str()
            .expect("dispute.reason has a description");
        let values = description.split_once("Possible values are").expect("it lists the values").1;
        let values = values.split_once(". ").map_or(values, |(list, _)| list);
        let reasons: BTreeSet<String> = values
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|v| v.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .map(str::to_owned)
            .collect();
        assert!(reasons.len() >= 10, "{reasons:?} from {description}");
        reasons
    }

    fn names(recommendations: &[Recommendation]) -> Vec<&'static str> {
        recommendations.iter().map(|r| r.field.name).collect()
    }

    #[test]
    fn the_table_knows_exactly_stripes_reasons() {
        let ours: BTreeSet<String> = known_reasons().map(str::to_owned).collect();
        assert_eq!(ours.len(), TABLE.len(), "no reason twice");
        assert_eq!(ours, spec_reasons());
    }

    #[test]
    fn every_reason_and_order_type_has_real_distinct_recommendations() {
        for reason in spec_reasons() {
            for order in OrderType::ALL {
                let cell = row(&reason).cell(order);
                for (name, hint) in cell {
                    assert!(evidence::field(name).is_some(), "{reason} × {order:?}: {name} is not a Stripe field");
                    assert!(hint.ends_with('.') && hint.len() < 120, "{reason} × {order:?}: {hint}");
                }
                let recommended = names(&recommended(&reason, order));
                assert!(recommended.len() >= 2, "{reason} × {order:?}: {recommended:?}");
                let distinct: BTreeSet<&str> = recommended.iter().copied().collect();
                assert_eq!(distinct.len(), recommended.len(), "{reason} × {order:?}: {recommended:?}");

                // The rest is folded below: together they are the whole catalogue, each once, in order.
                let others = other_fields(&reason, order);
                assert_eq!(others.len() + recommended.len(), evidence::CATALOGUE.len());
                assert!(others.iter().all(|f| !distinct.contains(f.name)));
                let positions: Vec<usize> =
                    others.iter().map(|f| evidence::CATALOGUE.iter().position(|c| c == f).unwrap()).collect();
                assert!(positions.windows(2).all(|w| w[0] < w[1]), "{reason} × {order:?}");
            }
            let words = reason_words(&reason);
            assert!(!words.title.is_empty() && words.meaning.ends_with('.'), "{reason}");
        }
    }

    #[test]
    fn delivery_not_received_starts_with_proof_of_delivery() {
        let got = names(&recommended("product_not_received", OrderType::Delivery));
        assert_eq!(got[0], "shipping_documentation");
        let order: Vec<&str> = got
            .iter()
            .copied()
            .filter(|n| ["shipping_address", "shipping_date", "customer_communication"].contains(n))
            .collect();
        assert_eq!(order, ["shipping_address", "shipping_date", "customer_communication"]);
    }

    #[test]
    fn dine_in_fraud_starts_with_the_card_slip_and_earlier_visits() {
        let got = names(&recommended("fraudulent", OrderType::DineIn));
        assert_eq!(got[0], "receipt");
        for name in ["customer_signature", "uncategorized_text", "service_date"] {
            assert!(got.contains(&name), "{name} in {got:?}");
        }
        let words = reason_words("fraudulent");
        assert_eq!(
            (words.title, words.meaning),
            ("Fraud claim", "The cardholder says they did not make or allow this payment.")
        );
    }

    #[test]
    fn catering_unacceptable_starts_with_the_signed_order() {
        let got = names(&recommended("product_unacceptable", OrderType::Catering));
        assert_eq!(&got[..3], ["service_documentation", "customer_communication", "refund_policy"]);
    }

    #[test]
    fn duplicates_name_the_other_payment_and_both_receipts() {
        for order in OrderType::ALL {
            let got = names(&recommended("duplicate", order));
            assert_eq!(
                &got[..4],
                ["duplicate_charge_id", "duplicate_charge_explanation", "receipt", "duplicate_charge_documentation"],
                "{order:?}"
            );
        }
    }

    #[test]
    fn an_unknown_reason_reads_as_general() {
        for order in OrderType::ALL {
            assert_eq!(recommended("noncompliant", order), recommended("general", order));
        }
        assert_eq!(reason_words("noncompliant"), reason_words("general"));
        let plan = plan("noncompliant", OrderType::Delivery);
        assert_eq!(plan.recommended.len() + plan.others.len(), evidence::CATALOGUE.len());
    }

    #[test]
    fn order_types_cross_to_the_screen_in_snake_case() {
        for order in OrderType::ALL {
            assert_eq!(serde_json::to_value(order).unwrap(), order.as_str());
            assert_eq!(serde_json::from_value::<OrderType>(order.as_str().into()).unwrap(), order);
            assert_eq!(OrderType::parse(order.as_str()), Some(order));
        }
        assert_eq!(OrderType::parse("drive_through"), None);
        let labels: Vec<&str> = order_type_choices().iter().map(|c| c.label).collect();
        assert_eq!(labels, ["Dine-in", "Takeaway or pickup", "Delivery", "Catering or event"]);
    }
}
