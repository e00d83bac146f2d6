//! Validation of JSON values (response bodies, objects) against the spec's schemas.
//!
//! Strict by design: an emulator response that carries a field Stripe's schema does not list, lacks
//! a required one, or has the wrong type is a bug in the emulator. Recursion follows the value, not
//! the schema, so Stripe's recursive schemas (an `account` inside a `charge` inside an `account`…)
//! terminate.

use serde_json::{Map, Value};

use super::{Spec, Violation};

pub(super) fn validate(spec: &Spec, schema: &Value, value: &Value) -> Result<(), Vec<Violation>> {
    let mut out = Vec::new();
    check(spec, schema, value, "", &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

fn check(spec: &Spec, schema: &Value, value: &Value, path: &str, out: &mut Vec<Violation>) {
    let schema = match spec.resolve(schema) {
        Ok((schema, _)) => schema,
        Err(err) => return out.push(Violation::new(path, err)),
    };
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            check(spec, part, value, path, out);
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(keyword) {
            check_alternatives(spec, alternatives, value, path, out);
        }
    }
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        if !has_type(value, expected) {
            let message = if value.is_null() {
                format!("null is not allowed here (expected {expected}, not nullable)")
            } else {
                format!("expected {expected}, got {}", describe_value(value))
            };
            return out.push(Violation::new(path, message));
        }
    } else if value.is_null() && !["anyOf", "oneOf", "allOf"].iter().any(|k| schema.get(k).is_some()) {
        // OpenAPI 3.0: without `nullable: true`, null is refused even by a schema with no `type`.
        // (Combinators report null themselves, above.)
        return out.push(Violation::new(path, "null is not allowed here (not nullable)"));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            out.push(Violation::new(path, format!("{} is not one of {}", describe_value(value), list_enum(allowed))));
        }
    }
    if let (Some(Value::String(pattern)), Value::String(s)) = (schema.get("pattern"), value) {
        // Stripe only uses `^literal` patterns (list `url`s); anything else would need a regex engine.
        if let Some(prefix) = pattern.strip_prefix('^').filter(|p| !p.contains(|c: char| "\\.^$|?*+()[]{}".contains(c)))
        {
            if !s.starts_with(prefix) {
                out.push(Violation::new(path, format!("\"{s}\" does not match pattern {pattern}")));
            }
        }
    }
    match value {
        Value::Object(map) => check_object(spec, schema, map, path, out),
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(spec, item_schema, item, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn check_object(spec: &Spec, schema: &Value, map: &Map<String, Value>, path: &str, out: &mut Vec<Violation>) {
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(name) {
                out.push(Violation::new(&child(path, name), format!("required property `{name}` is missing")));
            }
        }
    }
    for (key, item) in map {
        let item_path = child(path, key);
        if let Some(prop_schema) = properties.and_then(|p| p.get(key)) {
            check(spec, prop_schema, item, &item_path, out);
            continue;
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => {}
            Some(extra @ Value::Object(_)) => check(spec, extra, item, &item_path, out),
            // `false`, or a schema that lists its properties and says nothing about others: Stripe's
            // response schemas list every property, so an extra one is an invented field.
            Some(_) => out.push(Violation::new(&item_path, format!("property `{key}` is not defined by the schema"))),
            None if properties.is_some() => {
                out.push(Violation::new(&item_path, format!("property `{key}` is not defined by the schema")))
            }
            // `type: object` with neither `properties` nor `additionalProperties`: free-form.
            None => {}
        }
    }
}

/// `anyOf`/`oneOf`: valid if at least one alternative validates (Stripe's spec never relies on
/// `oneOf` exclusivity). Otherwise reports the closest alternative's violations.
fn check_alternatives(spec: &Spec, alternatives: &[Value], value: &Value, path: &str, out: &mut Vec<Violation>) {
    let resolved: Vec<(&Value, Option<&str>)> =
        alternatives.iter().map(|alt| spec.resolve(alt).unwrap_or((alt, None))).collect();
    // Alternatives that can hold this kind of JSON value at all.
    let mut candidates: Vec<usize> =
        (0..resolved.len()).filter(|&i| accepts_kind(spec, resolved[i].0, value, 0)).collect();
    if candidates.is_empty() {
        let expected: Vec<String> = resolved.iter().map(|(s, name)| describe_schema(s, *name)).collect();
        let got = if value.is_null() { "null (not nullable)".to_string() } else { describe_value(value) };
        return out.push(Violation::new(path, format!("expected {}, got {got}", expected.join(" or "))));
    }
    // Stripe objects name their type in `object`; among polymorphic alternatives, only the ones whose
    // `object` enum holds that name are worth checking (and reporting).
    if let Some(kind) = value.get("object").and_then(Value::as_str) {
        let named: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| {
                resolved[i]
                    .0
                    .pointer("/properties/object/enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.iter().any(|v| v == kind))
            })
            .collect();
        if !named.is_empty() {
            candidates = named;
        } else if candidates.iter().any(|&i| resolved[i].0.pointer("/properties/object/enum").is_some()) {
            let expected: Vec<String> =
                candidates.iter().map(|&i| describe_schema(resolved[i].0, resolved[i].1)).collect();
            return out.push(Violation::new(
                &child(path, "object"),
                format!("\"{kind}\" matches none of the alternatives ({})", expected.join(", ")),
            ));
        }
    }
    let mut best: Option<(usize, Vec<Violation>)> = None;
    for &i in &candidates {
        let mut found = Vec::new();
        check(spec, &alternatives[i], value, path, &mut found);
        if found.is_empty() {
            return;
        }
        if best.as_ref().is_none_or(|(_, b)| found.len() < b.len()) {
            best = Some((i, found));
        }
    }
    let Some((i, mut found)) = best else { return };
    if candidates.len() > 1 {
        let label = describe_schema(resolved[i].0, resolved[i].1);
        for v in &mut found {
            v.message = format!("{} (closest anyOf alternative: {label})", v.message);
        }
    }
    out.extend(found);
}

/// Can `schema` hold a value of this JSON kind (ignoring everything but `type`/`nullable`)?
fn accepts_kind(spec: &Spec, schema: &Value, value: &Value, depth: usize) -> bool {
    let Ok((schema, _)) = spec.resolve(schema) else { return true };
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        return has_type(value, expected);
    }
    match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
        Some(Value::Array(alts)) if depth < 8 => alts.iter().any(|a| accepts_kind(spec, a, value, depth + 1)),
        _ => !value.is_null(),
    }
}

fn has_type(value: &Value, expected: &str) -> bool {
    match expected {
        "string" => value.is_string(),
        "integer" => is_integer(value),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => false,
    }
}

/// A JSON number with no fractional part (`1` or `1.0`, not `1.5`).
fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.is_finite() && f.fract() == 0.0),
        _ => false,
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) if is_integer(value) => format!("integer {n}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 60 => format!("string \"{}…\"", s.chars().take(60).collect::<String>()),
        Value::String(s) => format!("string \"{s}\""),
        Value::Array(_) => "array".into(),
        Value::Object(map) => match map.get("object").and_then(Value::as_str) {
            Some(kind) => format!("object `{kind}`"),
            None => "object".into(),
        },
    }
}

fn describe_schema(schema: &Value, name: Option<&str>) -> String {
    if let Some(name) = name {
        return format!("`{name}`");
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        return list_enum(allowed);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => "schema".into(),
    }
}

fn list_enum(allowed: &[Value]) -> String {
    const SHOWN: usize = 12;
    let mut names: Vec<String> = allowed.iter().take(SHOWN).map(Value::to_string).collect();
    if allowed.len() > SHOWN {
        names.push(format!("… {} more", allowed.len() - SHOWN));
    }
    format!("[{}]", names.join(", "))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::spec::{spec, Spec, Violation};

    fn balance() -> Value {
        json!({
            "object": "balance",
            "livemode": false,
            "available": [{"amount": 1, "currency": "usd", "source_types": {"card": 1}}],
            "pending": []
        })
    }

    fn violations(name: &str, value: &Value) -> Vec<Violation> {
        spec().validate_schema(name, value).expect_err("expected violations")
    }

    fn assert_single(found: &[Violation], path: &str, needle: &str) {
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, path, "{found:#?}");
        assert!(found[0].message.contains(needle), "{found:#?}");
    }

    #[test]
    fn minimal_balance_is_valid() {
        assert_eq!(spec().validate_schema("balance", &balance()), Ok(()));
    }

    #[test]
    fn missing_required_field_is_reported() {
        let mut value = balance();
        value.as_object_mut().expect("object").remove("livemode");
        assert_single(&violations("balance", &value), "livemode", "livemode");
    }

    #[test]
    fn string_for_integer_is_reported_with_its_path() {
        let mut value = balance();
        value["available"][0]["amount"] = json!("1");
        assert_single(&violations("balance", &value), "available[0].amount", "expected integer");
    }

    #[test]
    fn invented_fields_are_reported() {
        let mut value = balance();
        value["available"][0]["source_types"]["bogus_source"] = json!(3);
        value["invented"] = json!(true);
        let found = violations("balance", &value);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().any(|v| v.path == "invented" && v.message.contains("not defined")), "{found:#?}");
        assert!(found.iter().any(|v| v.path == "available[0].source_types.bogus_source"), "{found:#?}");
    }

    #[test]
    fn null_where_not_nullable_is_reported() {
        let mut value = balance();
        value["livemode"] = Value::Null;
        assert_single(&violations("balance", &value), "livemode", "null is not allowed");
        let mut value = balance();
        value["pending"] = Value::Null;
        assert_single(&violations("balance", &value), "pending", "null is not allowed");
    }

    #[test]
    fn enums_and_numbers_are_checked() {
        let mut value = balance();
        value["object"] = json!("balances");
        assert_single(&violations("balance", &value), "object", "not one of");
        let mut value = balance();
        value["available"][0]["amount"] = json!(1.5);
        assert_single(&violations("balance", &value), "available[0].amount", "expected integer");
        let mut value = balance();
        value["available"][0]["amount"] = json!(2.0);
        assert_eq!(spec().validate_schema("balance", &value), Ok(()), "2.0 has no fractional part");
        let mut value = balance();
        value["available"] = json!({});
        assert_single(&violations("balance", &value), "available", "expected array");
    }

    #[test]
    fn unknown_schema_name_is_an_error() {
        assert_single(&violations("no_such_schema", &json!({})), "", "no schema named");
    }

    fn transfer() -> Value {
        json!({
            "id": "tr_1", "object": "transfer", "amount": 1000, "amount_reversed": 0,
            "balance_transaction": "txn_1", "created": 1_700_000_000, "currency": "usd",
            "description": null, "destination": "acct_1", "livemode": false,
            "metadata": {"order": "A-17"},
            "reversals": {"object": "list", "data": [], "has_more": false, "url": "/v1/transfers/tr_1/reversals"},
            "reversed": false, "source_type": "card", "transfer_group": null
        })
    }

    #[test]
    fn expandable_fields_take_an_id_or_the_object() {
        assert_eq!(spec().validate_schema("transfer", &transfer()), Ok(()));
        let mut value = transfer();
        value["destination"] = Value::Null;
        assert_eq!(spec().validate_schema("transfer", &value), Ok(()), "destination is nullable");
        value["balance_transaction"] = Value::Null;
        assert_eq!(spec().validate_schema("transfer", &value), Ok(()), "balance_transaction is nullable");

        // Expanded: the object must itself be a valid balance_transaction.
        let mut value = transfer();
        value["balance_transaction"] = json!({
            "id": "txn_1", "object": "balance_transaction", "amount": -1000, "available_on": 1_700_000_000,
            "created": 1_700_000_000, "currency": "usd", "description": null, "exchange_rate": null,
            "fee": 0, "fee_details": [], "net": -1000, "reporting_category": "transfer",
            "source": "tr_1", "status": "available", "type": "transfer"
        });
        assert_eq!(spec().validate_schema("transfer", &value), Ok(()));
        value["balance_transaction"]["fee"] = json!("0");
        let found = violations("transfer", &value);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "balance_transaction.fee");

        // The wrong kind of object in an expandable slot.
        let mut value = transfer();
        value["balance_transaction"] = json!({"id": "ch_1", "object": "charge"});
        let found = violations("transfer", &value);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "balance_transaction.object", "{found:#?}");

        // Neither an ID nor an object.
        let mut value = transfer();
        value["destination"] = json!(42);
        let found = violations("transfer", &value);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].path, "destination");
        assert!(found[0].message.contains("`account`") && found[0].message.contains("string"), "{found:#?}");
    }

    #[test]
    fn metadata_accepts_any_string_key_but_only_strings() {
        let mut value = transfer();
        value["metadata"] = json!({"anything": "x", "other": "y"});
        assert_eq!(spec().validate_schema("transfer", &value), Ok(()));
        value["metadata"]["n"] = json!(1);
        assert_single(&violations("transfer", &value), "metadata.n", "expected string");
    }

    #[test]
    fn list_objects_are_checked_like_any_schema() {
        let list = spec().operation("GET", "/v1/transfers").expect("list transfers");
        let body = json!({"object": "list", "data": [transfer()], "has_more": false, "url": "/v1/transfers"});
        assert_eq!(list.validate_response(200, &body), Ok(()));

        let mut bad = body.clone();
        bad["data"][0]["reversals"]["data"] = json!([{"id": "trr_1", "object": "transfer_reversal"}]);
        let found = list.validate_response(200, &bad).expect_err("incomplete reversal");
        assert!(found.iter().all(|v| v.path.starts_with("data[0].reversals.data[0].")), "{found:#?}");
        assert!(found.iter().any(|v| v.path == "data[0].reversals.data[0].amount"), "{found:#?}");

        let mut bad = body.clone();
        bad["url"] = json!("/v1/charges");
        assert_single(&list.validate_response(200, &bad).expect_err("pattern"), "url", "pattern");

        let mut bad = body;
        bad["object"] = json!("search_result");
        assert_single(&list.validate_response(200, &bad).expect_err("enum"), "object", "not one of");
    }

    #[test]
    fn error_responses_use_the_default_schema() {
        let op = spec().operation("GET", "/v1/balance").expect("balance");
        let body = json!({"error": {"type": "invalid_request_error", "message": "x"}});
        assert_eq!(op.validate_response(401, &body), Ok(()));
        assert_eq!(
            op.validate_response(200, &body).map_err(|v| v.len()),
            Err(5),
            "200 is the balance schema: 4 missing, 1 unknown"
        );
        let emulator_error = crate::ApiError::missing("account", "acct_1", "account").body();
        assert_eq!(op.validate_response(404, &emulator_error), Ok(()));

        let found = op
            .validate_response(400, &json!({"error": {"type": "oops", "message": "x", "code": null}}))
            .expect_err("bad");
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().any(|v| v.path == "error.type"), "{found:#?}");
        assert!(found.iter().any(|v| v.path == "error.code" && v.message.contains("null")), "{found:#?}");
    }

    #[test]
    fn recursive_and_broken_refs_terminate() {
        let doc = json!({
            "paths": {},
            "components": {"schemas": {
                "node": {"type": "object", "properties": {"child": {"anyOf": [{"$ref": "#/components/schemas/node"}], "nullable": true}, "v": {"type": "integer"}}},
                "loop_a": {"$ref": "#/components/schemas/loop_b"},
                "loop_b": {"$ref": "#/components/schemas/loop_a"},
                "dangling": {"$ref": "#/components/schemas/missing"}
            }}
        });
        let spec = Spec::from_value(doc).expect("valid");
        let deep = json!({"v": 1, "child": {"v": 2, "child": {"v": 3, "child": null}}});
        assert_eq!(spec.validate_schema("node", &deep), Ok(()));
        let found = spec.validate_schema("node", &json!({"child": {"child": {"v": "x"}}})).expect_err("bad leaf");
        assert_eq!(found[0].path, "child.child.v");
        assert!(spec.validate_schema("loop_a", &json!({})).expect_err("cycle")[0].message.contains("cycle"));
        assert!(spec.validate_schema("dangling", &json!({})).expect_err("dangling")[0]
            .message
            .contains("unresolvable"));
    }
}
