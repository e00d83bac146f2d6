//! Every state change appends an event, as Stripe does; `/v1/events` lists them per scope.

use serde_json::{json, Value};

use crate::state::{Scope, State};

/// Appends an event of `kind` carrying a snapshot of `object`.
pub fn emit(state: &mut State, scope: &Scope, kind: &str, object: &Value, previous: Option<Value>) -> String {
    let id = state.new_id("evt");
    let mut data = json!({ "object": object });
    if let Some(previous) = previous {
        data["previous_attributes"] = previous;
    }
    let mut event = json!({
        "id": id,
        "object": "event",
        "api_version": "2023-08-16",
        "created": state.now(),
        "data": data,
        "livemode": false,
        "pending_webhooks": 0,
        "request": { "id": Value::Null, "idempotency_key": Value::Null },
        "type": kind,
    });
    if let Some(account) = scope {
        event["account"] = json!(account);
    }
    state.insert(scope.clone(), "event", event);
    id
}
