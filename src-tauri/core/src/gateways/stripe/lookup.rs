//! Finding what became of a call without sending it again: per kind of call, where its effect
//! shows at Stripe. Creating calls carry their journal key in `metadata[merchant_desk_key]`, so the
//! created object is found by listing where it would be (the refunds of that payment, the
//! transfers to that destination, …); a state change is read off its object; a settings change is
//! compared with what the account says now.

use serde_json::Value;

use super::{StripeClient, StripeError};
use crate::gateways::{Found, Settle};
use crate::store::journal::Entry;

/// The metadata field that carries a creating call's idempotency key.
pub const KEY_METADATA: &str = "merchant_desk_key";

fn form_value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// How a POST to `path` with `form` is found at Stripe without sending it again.
pub fn settle_for(path: &str, form: &[(String, String)]) -> Settle {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let find = |list: &str, names: &[&str]| Settle::Find {
        list: list.to_string(),
        query: names.iter().filter_map(|n| form_value(form, n).map(|v| ((*n).to_string(), v.to_string()))).collect(),
    };
    match segments.as_slice() {
        ["v1", "refunds"] => find(path, &["payment_intent", "charge"]),
        ["v1", "transfers"] => find(path, &["destination"]),
        ["v1", "payouts" | "payment_intents" | "accounts"] => find(path, &[]),
        ["v1", "transfers" | "application_fees", _, "reversals" | "refunds"] => find(path, &[]),
        ["v1", "payment_intents", id, "capture"] => Settle::Retrieve {
            path: format!("/v1/payment_intents/{id}"),
            field: "status".into(),
            done: "succeeded".into(),
            before: vec!["requires_capture".into()],
        },
        // Confirmed after 3-D Secure: it no longer waits for confirmation (charged, held for
        // capture, or declined — each an answer of its own).
        ["v1", "payment_intents", id, "confirm"] => Settle::Retrieve {
            path: format!("/v1/payment_intents/{id}"),
            field: "status".into(),
            done: "succeeded".into(),
            before: vec!["requires_confirmation".into()],
        },
        ["v1", "payment_intents", id, "cancel"] => Settle::Retrieve {
            path: format!("/v1/payment_intents/{id}"),
            field: "status".into(),
            done: "canceled".into(),
            before: ["requires_capture", "requires_payment_method", "requires_confirmation", "requires_action"]
                .map(String::from)
                .to_vec(),
        },
        ["v1", "accounts", _] => Settle::Read { path: path.to_string() },
        // Evidence staged or submitted: the dispute holds what was sent (file fields as IDs).
        ["v1", "disputes", _] => Settle::Read { path: path.to_string() },
        ["v1", "disputes", id, "close"] => Settle::Retrieve {
            path: format!("/v1/disputes/{id}"),
            field: "status".into(),
            done: "lost".into(),
            before: vec!["needs_response".into()],
        },
        _ => Settle::Manual,
    }
}

/// How many list pages a lookup reads at most (100 objects each).
const MAX_PAGES: usize = 100;

/// Looks up what became of `entry` at Stripe.
pub async fn look_up(client: &StripeClient, entry: &Entry, settle: &Settle) -> Result<Found, StripeError> {
    let account = entry.account.as_deref();
    match settle {
        Settle::Find { list, query } => {
            let mut after: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let mut q: Vec<(&str, String)> = query.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                q.push(("limit", "100".into()));
                if let Some(after) = &after {
                    q.push(("starting_after", after.clone()));
                }
                let page = client.get::<Value>(list, &q, account).await?.value;
                let data = page["data"].as_array().cloned().unwrap_or_default();
                if let Some(made) = data.iter().find(|o| o["metadata"][KEY_METADATA] == entry.key.as_str()) {
                    return Ok(Found::Made(made.clone()));
                }
                match (page["has_more"].as_bool(), data.last().and_then(|o| o["id"].as_str())) {
                    (Some(true), Some(last)) => after = Some(last.to_string()),
                    _ => return Ok(Found::NotMade(format!("no object at {list} carries this call's key"))),
                }
            }
            Ok(Found::CannotTell(format!("more than {MAX_PAGES} pages at {list}")))
        }
        Settle::Read { path } => {
            let now = client.get::<Value>(path, &[], account).await?.value;
            let differs = entry
                .params
                .iter()
                // `submit` is an instruction, not a field the object shows.
                .filter(|(k, _)| !k.starts_with("metadata[") && k != "submit")
                .find(|(k, v)| !same(value_at(&now, k), v) && !same(&value_at(&now, k)["id"], v));
            Ok(match differs {
                None => Found::Made(now),
                Some(_) => Found::Superseded(now),
            })
        }
        Settle::Retrieve { path, field, done, before } => {
            let now = client.get::<Value>(path, &[], account).await?.value;
            let state = now[field.as_str()].as_str().unwrap_or_default().to_string();
            Ok(if state == *done {
                Found::Made(now)
            } else if before.contains(&state) {
                Found::NotMade(format!("{path} is still {state}"))
            } else {
                Found::CannotTell(format!("{path} is {state}"))
            })
        }
        Settle::Manual => {
            Ok(Found::CannotTell("this kind of call cannot be looked up; check the Stripe Dashboard".into()))
        }
        Settle::Inquire { .. } => Ok(Found::CannotTell("a CardConnect inquiry cannot be made at Stripe".into())),
    }
}

/// The value a form field `a[b][c]` names in an object.
fn value_at<'a>(object: &'a Value, field: &str) -> &'a Value {
    field.split(['[', ']']).filter(|s| !s.is_empty()).fold(object, |v, part| &v[part])
}

/// Does a JSON value say what a form value says?
fn same(value: &Value, form: &str) -> bool {
    match value {
        Value::String(s) => s == form,
        Value::Number(n) => n.to_string() == form,
        Value::Bool(b) => b.to_string() == form,
        Value::Null => form.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn each_kind_of_call_knows_where_it_shows() {
        let refund = settle_for("/v1/refunds", &form(&[("payment_intent", "pi_1"), ("amount", "100")]));
        assert_eq!(refund, Settle::Find { list: "/v1/refunds".into(), query: form(&[("payment_intent", "pi_1")]) });
        let transfer = settle_for("/v1/transfers", &form(&[("destination", "acct_1"), ("amount", "5")]));
        assert_eq!(transfer, Settle::Find { list: "/v1/transfers".into(), query: form(&[("destination", "acct_1")]) });
        assert!(matches!(settle_for("/v1/transfers/tr_1/reversals", &[]), Settle::Find { .. }));
        assert!(matches!(settle_for("/v1/payment_intents/pi_1/capture", &[]), Settle::Retrieve { .. }));
        assert_eq!(settle_for("/v1/accounts/acct_1", &[]), Settle::Read { path: "/v1/accounts/acct_1".into() });
        // Evidence is read back from the dispute; accepting shows in its status.
        assert_eq!(settle_for("/v1/disputes/dp_1", &[]), Settle::Read { path: "/v1/disputes/dp_1".into() });
        assert!(matches!(settle_for("/v1/disputes/dp_1/close", &[]), Settle::Retrieve { .. }));
        assert_eq!(settle_for("/v1/application_fees/fee_1", &[]), Settle::Manual);
    }

    #[test]
    fn settings_are_compared_field_by_field() {
        let account =
            serde_json::json!({"settings": {"payouts": {"schedule": {"interval": "weekly", "delay_days": 3}}}});
        assert!(same(value_at(&account, "settings[payouts][schedule][interval]"), "weekly"));
        assert!(same(value_at(&account, "settings[payouts][schedule][delay_days]"), "3"));
        assert!(!same(value_at(&account, "settings[payouts][schedule][delay_days]"), "2"));
        assert!(same(value_at(&account, "settings[payouts][schedule][monthly_anchor]"), ""));
    }
}
