//! Today's business, added after the whole history so that no earlier ID, amount or random draw
//! shifts: a few card payments at each restaurant that takes them, made at the moment the demo
//! starts (the history's last day may end before this PC's midnight, so it cannot promise any
//! payment today), after catering orders the platform took for two restaurants as destination
//! charges. Amounts and order numbers are fixed, so tests and the staff refunds screen can name
//! them: `HV-{restaurant}-900{n}` and `HV-CAT-10{n}`.

use super::history::{guest_email, meta, takes_payments};
use super::AccountSpec;
use crate::ops::payments::{self, NewIntent};
use crate::state::State;

/// One of today's payments at every restaurant: minor units in a two-decimal currency (whole yen
/// at the JPY restaurant, the same digits), how it was paid, and whether it is captured later.
struct Visit {
    amount: i64,
    payment_method: &'static str,
    /// Authorized at the table and not captured yet.
    authorized_only: bool,
    dish: &'static str,
}

/// In the order they happen: an authorization still open, payments below and above the staff
/// refund limit (50.00 of a two-decimal currency), one decline. The open authorization comes
/// first, so a restaurant's newest captured payments are refundable ones.
const VISITS: [Visit; 5] = [
    Visit { amount: 6_200, payment_method: "pm_card_visa", authorized_only: true, dish: "Bar tab" },
    Visit { amount: 3_240, payment_method: "pm_card_visa", authorized_only: false, dish: "Lunch" },
    Visit { amount: 8_675, payment_method: "pm_card_mastercard", authorized_only: false, dish: "Dinner for two" },
    Visit { amount: 14_820, payment_method: "pm_card_amex", authorized_only: false, dish: "Tasting menu" },
    Visit { amount: 2_150, payment_method: "pm_card_chargeDeclined", authorized_only: false, dish: "Takeout order" },
];

/// Catering orders paid to the platform for a restaurant (by its position in the group): amount
/// and the platform's fee in cents of USD.
const CATERING: [(usize, i64, i64); 3] = [(1, 128_000, 12_800), (2, 64_550, 6_455), (1, 39_200, 3_920)];

/// Adds today's catering orders, then the restaurants' payments (so a restaurant's own payment is
/// the group's newest), a second apart (so that their order by time is their order here) and
/// ending now.
pub fn run(state: &mut State, accounts: &[(String, AccountSpec<'static>)]) {
    let restaurants = accounts.iter().filter(|(_, spec)| takes_payments(spec)).count();
    let count = (restaurants * VISITS.len() + CATERING.len()) as i64;
    // Never back past midnight (UTC): they are today's.
    state.advance_clock(-count.min(state.now().rem_euclid(86_400)));
    for (n, (index, amount, fee)) in CATERING.iter().enumerate() {
        state.advance_clock(1);
        let Some((destination, spec)) = accounts.get(*index) else { continue };
        let order = 101 + n as i64;
        let req = NewIntent {
            amount: *amount,
            currency: "usd".into(),
            payment_method: Some("pm_card_visa".into()),
            confirm: true,
            application_fee_amount: Some(*fee),
            destination: Some(destination.clone()),
            metadata: meta(&[("order_number", &format!("HV-CAT-{order}")), ("location", spec.name)]),
            description: Some("Catering order".into()),
            receipt_email: Some(guest_email(order).into()),
            ..Default::default()
        };
        let _ = payments::create_intent(state, &None, req);
    }
    for (index, (id, spec)) in accounts.iter().enumerate() {
        if !takes_payments(spec) {
            continue;
        }
        let scope = Some(id.clone());
        for (n, visit) in VISITS.iter().enumerate() {
            state.advance_clock(1);
            let order = 9_001 + n as i64;
            let req = NewIntent {
                amount: visit.amount,
                currency: spec.currency.to_string(),
                capture_manual: visit.authorized_only,
                payment_method: Some(visit.payment_method.into()),
                confirm: true,
                application_fee_amount: Some(visit.amount * 2 / 100),
                metadata: meta(&[("order_number", &format!("HV-{:02}-{order}", index + 1)), ("location", spec.name)]),
                description: Some(visit.dish.into()),
                receipt_email: Some(guest_email(order).into()),
                ..Default::default()
            };
            // A decline is an answer, not a failure: its charge is recorded as failed.
            let _ = payments::create_intent(state, &scope, req);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{restaurant_group_with, DEMO_SEED};
    use serde_json::Value;

    fn charge_of_order<'a>(s: &'a State, order: &str) -> (&'a crate::state::Scope, &'a Value) {
        s.objects_of_kind("charge").find(|(_, c)| c["metadata"]["order_number"] == order).expect(order)
    }

    #[test]
    fn every_restaurant_that_takes_payments_has_todays_fixed_orders_and_every_payment_a_guest() {
        let mut s = State::new(vec![]);
        restaurant_group_with(&mut s, DEMO_SEED, 2);
        let (scope, captured) = charge_of_order(&s, "HV-01-9003");
        assert!(scope.is_some());
        assert_eq!((captured["amount"].as_i64(), captured["captured"].as_bool()), (Some(8_675), Some(true)));
        assert!(s.now() - captured["created"].as_i64().unwrap() < 120, "made just now");
        let authorized = charge_of_order(&s, "HV-06-9001").1;
        assert_eq!((authorized["currency"].as_str(), authorized["captured"].as_bool()), (Some("jpy"), Some(false)));
        assert_eq!(charge_of_order(&s, "HV-09-9005").1["status"], "failed");
        let times: Vec<i64> = (9_001..=9_005)
            .map(|n| charge_of_order(&s, &format!("HV-02-{n}")).1["created"].as_i64().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "one after the other: {times:?}");
        for (_, charge) in s.objects_of_kind("charge") {
            let order = charge["metadata"]["order_number"].as_str().unwrap();
            let email = charge["receipt_email"].as_str().unwrap_or_else(|| panic!("{order} has no email"));
            assert!(crate::seed::history::GUESTS.contains(&email));
        }
        let pending = s.objects_of_kind("charge").filter(|(_, c)| c["metadata"]["order_number"] == "HV-05-9001");
        assert_eq!(pending.count(), 0, "a restaurant still onboarding takes no payments");
    }

    #[test]
    fn catering_orders_are_destination_charges_on_the_platform() {
        let mut s = State::new(vec![]);
        restaurant_group_with(&mut s, DEMO_SEED, 1);
        let (scope, charge) = charge_of_order(&s, "HV-CAT-102");
        assert_eq!(scope, &None);
        assert_eq!((charge["amount"].as_i64(), charge["application_fee_amount"].as_i64()), (Some(64_550), Some(6_455)));
        let destination = charge["transfer_data"]["destination"].as_str().unwrap().to_string();
        assert_eq!(s.account(&destination).unwrap()["business_profile"]["name"], "Vine Street Pizzeria");
        let transfer = s.get(&None, charge["transfer"].as_str().unwrap()).unwrap();
        assert_eq!(
            (transfer["amount"].as_i64(), transfer["destination"].as_str()),
            (Some(58_095), Some(destination.as_str()))
        );
    }
}
