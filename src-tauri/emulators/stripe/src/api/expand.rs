//! `expand[]`: replaces object IDs at the named paths with the objects themselves (`data.` reaches
//! into list items, dots go deeper), looking in the caller's scope, then the platform's.

use serde_json::Value;

use crate::state::{Scope, State};

pub fn apply(state: &State, scope: &Scope, value: &mut Value, paths: &[String]) {
    for path in paths {
        let parts: Vec<&str> = path.split('.').collect();
        walk(state, scope, value, &parts);
    }
}

fn walk(state: &State, scope: &Scope, value: &mut Value, parts: &[&str]) {
    let Some((first, rest)) = parts.split_first() else { return };
    if let Value::Array(items) = value {
        for item in items {
            walk(state, scope, item, parts);
        }
        return;
    }
    let Some(slot) = value.get_mut(*first) else { return };
    if rest.is_empty() {
        if let Some(id) = slot.as_str() {
            if let Some(object) = state.get(scope, id).or_else(|| state.get(&None, id)) {
                *slot = object.clone();
            }
        }
        return;
    }
    if let Some(id) = slot.as_str().map(str::to_string) {
        if let Some(object) = state.get(scope, &id).or_else(|| state.get(&None, &id)) {
            *slot = object.clone();
        }
    }
    walk(state, scope, slot, rest);
}
