//! Large generated platforms for benchmarks: thousands of connected accounts, each with a history
//! of card payments made through the same operations as the API (so every list, balance and event
//! stays consistent), spread over the last 30 days.

use serde_json::{json, Map};

use super::{add_account, AccountSpec, Standing};
use crate::ops::clock;
use crate::ops::payments::{self, NewIntent};
use crate::state::State;

/// How big a generated platform is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub accounts: usize,
    /// Card payments per account; each makes a PaymentIntent, a charge, balance transactions, an
    /// application fee and events.
    pub payments_per_account: usize,
}

const DAYS: i64 = 30;
const KINDS: [&str; 3] = ["standard", "express", "custom"];
const PLACES: [(&str, &str); 5] = [("US", "usd"), ("GB", "gbp"), ("FR", "eur"), ("JP", "jpy"), ("CA", "cad")];

/// Fills `state` with a generated platform.
pub fn platform(state: &mut State, seed: u64, scale: Scale) {
    state.reseed_ids(seed);
    state.advance_clock(-DAYS * 86_400);
    let start = state.now();
    let mut accounts = Vec::with_capacity(scale.accounts);
    for i in 0..scale.accounts {
        let (country, currency) = PLACES[i % PLACES.len()];
        let name = format!("Restaurant {:05}", i + 1);
        let email = format!("owner{:05}@example.com", i + 1);
        let spec = AccountSpec {
            name: &name,
            kind: KINDS[i % 3],
            country,
            currency,
            email: &email,
            standing: Standing::Active,
        };
        let id = add_account(state, &spec, start - 86_400 * 90);
        state.funds_mut(&Some(id.clone()), currency);
        accounts.push((id, currency));
    }
    // Payments are spread evenly over the days, each day's share across every account.
    let total = scale.accounts * scale.payments_per_account;
    let mut made = 0usize;
    for day in 0..DAYS {
        let due = total * (day as usize + 1) / DAYS as usize;
        while made < due {
            let (id, currency) = &accounts[made % accounts.len()];
            let amount = if crate::zero_decimal(currency) {
                state.rng_range(1_500, 18_000)
            } else {
                state.rng_range(1_800, 16_500)
            };
            let mut metadata = Map::new();
            metadata.insert("order_number".into(), json!(format!("B-{made:07}")));
            let req = NewIntent {
                amount,
                currency: (*currency).to_string(),
                payment_method: Some("pm_card_visa".into()),
                confirm: true,
                application_fee_amount: Some(amount * 2 / 100),
                metadata,
                ..Default::default()
            };
            let _ = payments::create_intent(state, &Some(id.clone()), req);
            made += 1;
        }
        clock::advance(state, 86_400);
    }
}
