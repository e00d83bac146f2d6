//! The simulated clock. Moving it forward runs, day by day, what time does at Stripe: funds become
//! available, authorizations expire, pending refunds succeed, payouts go out and arrive, disputes
//! pass their due dates, requirements not met by their deadline become past due.

use super::{disputes, onboarding, payments, payouts, refund_status};
use crate::ledger;
use crate::state::State;

/// Advances the clock by `seconds`, stepping at most a day at a time.
pub fn advance(state: &mut State, seconds: i64) {
    let mut left = seconds.max(0);
    loop {
        let step = left.min(86_400);
        state.advance_clock(step);
        left -= step;
        run(state);
        if left == 0 {
            break;
        }
    }
}

/// Runs what is due, at most once a minute of simulated time (handlers call this on every
/// money-moving request, so it must be cheap when nothing is due).
pub fn tick(state: &mut State) {
    if state.now() >= state.ledger.next_tick_at {
        run(state);
    }
}

/// Runs everything that is due at the current time.
pub fn run(state: &mut State) {
    state.ledger.next_tick_at = state.now() + 60;
    ledger::settle(state);
    payments::expire_authorizations(state);
    refund_status::settle_pending(state);
    payouts::advance(state);
    payouts::run_schedules(state);
    disputes::advance(state);
    onboarding::enforce_deadlines(state);
}
