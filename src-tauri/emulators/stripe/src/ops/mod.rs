//! What the emulator does, apart from HTTP: each operation checks Stripe's rules, changes state,
//! moves money through the ledger and appends events. Handlers and the seed both call these, so
//! demo data obeys the same rules as API calls.

pub mod cards;
pub mod clock;
pub mod disputes;
pub mod onboarding;
pub mod payments;
pub mod payouts;
pub mod refund_status;
pub mod refunds;
pub mod three_d_secure;
pub mod transfers;

use serde_json::Value;

use crate::state::{Scope, State};
use crate::ApiError;

/// An object of `kind` in `scope`, or Stripe's 404 naming the parameter that pointed at it.
pub fn find(state: &State, scope: &Scope, kind: &str, id: &str, param: &str) -> Result<Value, ApiError> {
    state
        .get(scope, id)
        .filter(|v| v["object"] == kind)
        .cloned()
        .ok_or_else(|| ApiError::missing(&kind.replace('_', " "), id, param))
}

/// Replaces a stored object with its new version.
pub fn save(state: &mut State, scope: &Scope, value: &Value) {
    if let Some(id) = value["id"].as_str() {
        if let Some(slot) = state.get_mut(scope, id) {
            *slot = value.clone();
        }
    }
}
