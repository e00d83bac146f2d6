//! Today's sales at both restaurants, added after the whole history so that nothing before them
//! shifts: the history's last guests may have paid before this PC's midnight, and a sale made
//! today is what staff void (it is in tonight's batch, not settled yet). Fixed amounts and order
//! IDs (`HV-13-900{n}`, `HV-14-900{n}`), made a second apart and ending now.

use serde_json::json;

use super::{EXPIRY, GROUP};
use crate::ops::authorize::{self, AuthReq};
use crate::state::{State, DAY};

/// In the order they happen: cents, card, and whether it is captured at once (a purchase) or only
/// authorized (a tab still open). Below and above the staff refund limit of $50.00.
const SALES: [(i64, &str, bool); 3] =
    [(3_240, "4111111111111111", true), (8_675, "5454545454545454", true), (6_200, "371449635398431", false)];

/// Adds today's sales to the demo restaurants.
pub fn run(state: &mut State) {
    // Never back past midnight: the sales belong to today's batch.
    let count = (GROUP.len() * SALES.len()) as i64;
    state.move_clock(-count.min(state.now().rem_euclid(DAY)));
    for r in &GROUP {
        for (n, (amount, card, capture)) in SALES.iter().enumerate() {
            state.move_clock(1);
            authorize::auth(
                state,
                AuthReq {
                    merchid: Some(r.merchid.into()),
                    account: Some((*card).into()),
                    expiry: Some(EXPIRY.into()),
                    amount: Some(json!(amount.to_string())),
                    currency: Some("USD".into()),
                    orderid: Some(format!("HV-{:02}-{}", r.number, 9_001 + n)),
                    capture: *capture,
                    ..Default::default()
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Setl;
    use crate::seed::{restaurant_group_with, DEMO_SEED};
    use crate::state::State;

    #[test]
    fn each_restaurant_has_todays_sales_in_tonights_batch_and_an_open_tab() {
        let mut s = State::new("u", "p", "site");
        restaurant_group_with(&mut s, DEMO_SEED, 2);
        for number in [13, 14] {
            let sale = |n: u32| {
                let order = format!("HV-{number}-{n}");
                s.txns().find(|t| t.orderid.as_deref() == Some(order.as_str())).cloned().expect("a sale")
            };
            let (small, large, tab) = (sale(9_001), sale(9_002), sale(9_003));
            assert_eq!((small.amount, small.setl), (3_240, Setl::QueuedForCapture));
            assert_eq!((large.amount, large.setl), (8_675, Setl::QueuedForCapture));
            assert_eq!((tab.amount, tab.setl), (6_200, Setl::Authorized));
            assert!(small.authdate < large.authdate && large.authdate < tab.authdate);
            assert!(tab.authdate <= s.now() && s.now().div_euclid(86_400) == small.authdate.div_euclid(86_400));
        }
    }
}
