//! Which request parameters an operation's spec does not define (Stripe's `parameter_unknown`).
//!
//! Works on names only: values are not type-checked here. A parameter path is reported at the level
//! where it stops being defined, the way Stripe names it in "Received unknown parameter: …":
//! `settings[payouts][schedule][bogus]`, `nonsense` (for `nonsense[a][b]=1`), `tax_id_data[0][bogus]`.

use serde_json::{Map, Value};

use super::Spec;

pub(super) fn unknown(spec: &Spec, op: &Value, params: &Map<String, Value>) -> Vec<String> {
    let query: Vec<&Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter(|p| p.get("in").and_then(Value::as_str) == Some("query")).collect())
        .unwrap_or_default();
    let body = op
        .pointer("/requestBody/content/application~1x-www-form-urlencoded/schema")
        .or_else(|| op.pointer("/requestBody/content/multipart~1form-data/schema"))
        .map(|schema| spec.resolve(schema).map_or(schema, |(resolved, _)| resolved));
    let mut out = Vec::new();
    for (name, value) in params {
        if let Some(param) = query.iter().find(|p| p.get("name").and_then(Value::as_str) == Some(name)) {
            // A parameter without a schema: its name is all the spec says.
            if let Some(schema) = param.get("schema") {
                walk(spec, schema, value, name, &mut out);
            }
        } else if let Some(body) = body {
            walk_member(spec, body, name, value, name, &mut out);
        } else {
            out.push(name.clone());
        }
    }
    out
}

/// Reports the parameter paths under `path` (whose value is `value`) that `schema` does not define.
fn walk(spec: &Spec, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    // A spec we cannot follow is no reason to refuse a request.
    let Ok((schema, _)) = spec.resolve(schema) else { return };
    let alternatives: Vec<&Value> =
        ["anyOf", "oneOf", "allOf"].iter().filter_map(|k| schema.get(k).and_then(Value::as_array)).flatten().collect();
    if !alternatives.is_empty() {
        return walk_alternatives(spec, &alternatives, value, path, out);
    }
    match value {
        Value::Object(map) => {
            if is_array_schema(schema) {
                // Stripe accepts `list[0][x]` as well as a hash keyed by indices.
                let items = schema.get("items");
                for (key, item) in map {
                    let item_path = format!("{path}[{key}]");
                    match items {
                        Some(items) if is_index(key) => walk(spec, items, item, &item_path, out),
                        Some(_) => out.push(item_path),
                        None => {}
                    }
                }
            } else if is_object_schema(schema) {
                for (key, item) in map {
                    walk_member(spec, schema, key, item, &format!("{path}[{key}]"), out);
                }
            } else if !bypasses_validation(schema) {
                out.extend(map.keys().map(|key| format!("{path}[{key}]")));
            }
        }
        Value::Array(list) => {
            if is_array_schema(schema) {
                if let Some(items) = schema.get("items") {
                    for (i, item) in list.iter().enumerate() {
                        walk(spec, items, item, &format!("{path}[{i}]"), out);
                    }
                }
            } else if is_object_schema(schema) {
                // `metadata[0]=x` decodes as a list; as a hash it has the key "0".
                for (i, item) in list.iter().enumerate() {
                    walk_member(spec, schema, &i.to_string(), item, &format!("{path}[{i}]"), out);
                }
            } else if !bypasses_validation(schema) {
                out.extend((0..list.len()).map(|i| format!("{path}[{i}]")));
            }
        }
        // A scalar defines no sub-parameters, whatever the schema (values are not checked here).
        _ => {}
    }
}

/// The member `key` of an object whose schema is `schema` (already resolved).
fn walk_member(spec: &Spec, schema: &Value, key: &str, value: &Value, path: &str, out: &mut Vec<String>) {
    let properties = schema.get("properties").and_then(Value::as_object);
    if let Some(property) = properties.and_then(|p| p.get(key)) {
        return walk(spec, property, value, path, out);
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(true)) => {}
        Some(extra @ Value::Object(_)) => walk(spec, extra, value, path, out),
        Some(_) => out.push(path.to_string()),
        None if properties.is_some() => out.push(path.to_string()),
        None => {} // free-form object
    }
}

/// A parameter is known if any alternative defines it: a path is reported only when every
/// alternative reports it or one of its ancestors.
fn walk_alternatives(spec: &Spec, alternatives: &[&Value], value: &Value, path: &str, out: &mut Vec<String>) {
    let mut per_alternative = Vec::with_capacity(alternatives.len());
    for alternative in alternatives {
        let mut found = Vec::new();
        walk(spec, alternative, value, path, &mut found);
        if found.is_empty() {
            return;
        }
        per_alternative.push(found);
    }
    for candidate in per_alternative.iter().flatten() {
        let everywhere = per_alternative.iter().all(|found| found.iter().any(|p| is_ancestor_or_self(p, candidate)));
        if everywhere && !out.contains(candidate) {
            out.push(candidate.clone());
        }
    }
}

/// `a[b]` is an ancestor of `a[b][c]`; `a[b]` is not one of `a[bc]`.
fn is_ancestor_or_self(ancestor: &str, path: &str) -> bool {
    path.strip_prefix(ancestor).is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
}

fn is_index(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

fn is_array_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("array") || schema.get("items").is_some()
}

fn is_object_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
}

/// `x-stripeBypassValidation` on a scalar parameter marks one Stripe's server accepts in more shapes
/// than the spec states: `external_account` and `source` are typed `string` (a token) yet real
/// Stripe also takes a hash of bank-account or card details. Nested keys under it are accepted.
fn bypasses_validation(schema: &Value) -> bool {
    schema.get("x-stripeBypassValidation") == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use crate::spec::{spec, Spec};

    fn params(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("params must be an object, got {other}"),
        }
    }

    fn unknown(method: &str, path: &str, value: Value) -> Vec<String> {
        let op = spec().operation(method, path).unwrap_or_else(|| panic!("no operation {method} {path}"));
        op.unknown_params(&params(value))
    }

    fn decoded(query: &str) -> Value {
        Value::Object(crate::form::decode(query.as_bytes()).expect("well-formed"))
    }

    #[test]
    fn update_account_nested_settings_and_metadata() {
        let path = "/v1/accounts/acct_1";
        let known = json!({
            "settings": {"payouts": {"schedule": {"interval": "weekly", "weekly_anchor": "monday"}}},
            "metadata": {"anything": "x", "more": "y"}
        });
        assert_eq!(unknown("POST", path, known), Vec::<String>::new());

        let got = unknown(
            "POST",
            path,
            json!({
                "settings": {"payouts": {"schedule": {"interval": "weekly", "bogus": "1"}}},
                "nonsense": "1",
                "metadata": {"anything": "x"}
            }),
        );
        assert_eq!(got, ["nonsense", "settings[payouts][schedule][bogus]"]);
    }

    #[test]
    fn reported_where_the_path_stops_being_defined() {
        let got = unknown("POST", "/v1/accounts/acct_1", decoded("nonsense[a][b]=1&settings[bogus][x]=1&email[x]=1"));
        assert_eq!(got, ["email[x]", "nonsense", "settings[bogus]"]);
    }

    #[test]
    fn empty_string_unsets_anyof_params() {
        let got = unknown(
            "POST",
            "/v1/accounts/acct_1",
            decoded("metadata=&settings[card_payments][statement_descriptor_prefix_kana]="),
        );
        assert_eq!(got, Vec::<String>::new());
        // `metadata` is [object with additionalProperties string, ""]: any key, but a string value.
        let got = unknown("POST", "/v1/accounts/acct_1", decoded("metadata[a]=1&metadata[0]=2&metadata[b][c]=3"));
        assert_eq!(got, ["metadata[b][c]"]);
    }

    #[test]
    fn list_balance_transactions_query() {
        let path = "/v1/balance_transactions";
        let got = unknown(
            "GET",
            path,
            decoded("payout=po_1&limit=3&starting_after=txn_1&expand[]=data.source&expand[]=data.source.customer"),
        );
        assert_eq!(got, Vec::<String>::new());
        assert_eq!(unknown("GET", path, decoded("limit=3&foo=1")), ["foo"]);
        // `created` is anyOf [range object, integer].
        assert_eq!(unknown("GET", path, decoded("created=1700000000")), Vec::<String>::new());
        assert_eq!(unknown("GET", path, decoded("created[gte]=1&created[lt]=2")), Vec::<String>::new());
        assert_eq!(unknown("GET", path, decoded("created[gte]=1&created[after]=2")), ["created[after]"]);
        assert_eq!(unknown("GET", path, decoded("limit[x]=3")), ["limit[x]"]);
        assert_eq!(unknown("GET", path, decoded("expand[0][x]=1")), ["expand[0][x]"]);
    }

    #[test]
    fn arrays_of_objects_are_checked_per_item() {
        let path = "/v1/customers";
        let got = unknown("POST", path, decoded("tax_id_data[0][type]=eu_vat&tax_id_data[0][value]=DE123&tax_id_data[1][type]=eu_vat&tax_id_data[1][bogus]=x"));
        assert_eq!(got, ["tax_id_data[1][bogus]"]);
        // A hash under a list parameter: only index keys name items.
        assert_eq!(unknown("POST", path, decoded("tax_id_data[first][type]=eu_vat")), ["tax_id_data[first]"]);
        // anyOf [array of objects, ""]
        let got = unknown(
            "POST",
            path,
            decoded("invoice_settings[custom_fields][0][name]=a&invoice_settings[custom_fields][0][value]=b"),
        );
        assert_eq!(got, Vec::<String>::new());
        assert_eq!(unknown("POST", path, decoded("invoice_settings[custom_fields]=")), Vec::<String>::new());
        assert_eq!(
            unknown("POST", path, decoded("invoice_settings[custom_fields][0][x]=b")),
            ["invoice_settings[custom_fields][0][x]"]
        );
    }

    #[test]
    fn a_param_is_known_if_any_alternative_defines_it() {
        // mandate_data is anyOf [secret_key_param, "", client_key_param].
        let path = "/v1/payment_intents/pi_1/confirm";
        let ok = decoded("mandate_data[customer_acceptance][type]=online&mandate_data[customer_acceptance][online][ip_address]=1.2.3.4&mandate_data[customer_acceptance][accepted_at]=1");
        assert_eq!(unknown("POST", path, ok), Vec::<String>::new());
        let bad = decoded("mandate_data[customer_acceptance][type]=online&mandate_data[customer_acceptance][bogus]=1&mandate_data[other]=2");
        assert_eq!(unknown("POST", path, bad), ["mandate_data[customer_acceptance][bogus]", "mandate_data[other]"]);
    }

    #[test]
    fn bypass_validation_params_accept_hashes() {
        let path = "/v1/accounts/acct_1/external_accounts";
        let got = unknown("POST", path, decoded("external_account[object]=bank_account&external_account[country]=US&external_account[account_number]=000123456789&default_for_currency=true"));
        assert_eq!(got, Vec::<String>::new());
        assert_eq!(unknown("POST", path, decoded("external_account=btok_1&bogus=1")), ["bogus"]);
    }

    #[test]
    fn operations_without_params_refuse_every_name() {
        assert_eq!(unknown("DELETE", "/v1/accounts/acct_1", decoded("account=acct_1")), ["account"]);
        assert_eq!(unknown("GET", "/v1/balance", decoded("expand[]=instant_available")), Vec::<String>::new());
        assert_eq!(unknown("GET", "/v1/balance", decoded("limit=3")), ["limit"]);
        // POST /v1/files has only a multipart/form-data body.
        assert_eq!(unknown("POST", "/v1/files", decoded("purpose=dispute_evidence&file=x&purpos=1")), ["purpos"]);
    }

    #[test]
    fn unresolvable_specs_do_not_refuse_requests() {
        let doc = json!({
            "paths": {"/v1/x": {"post": {"operationId": "PostX", "responses": {},
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "additionalProperties": false,
                    "properties": {"a": {"$ref": "#/components/schemas/missing"}, "b": {"$ref": "#/components/schemas/b"}}
                }}}}}}},
            "components": {"schemas": {"b": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/b"}}}}}
        });
        let spec = Spec::from_value(doc).expect("valid");
        let op = spec.operation("POST", "/v1/x").expect("op");
        let got = op.unknown_params(&params(decoded("a[whatever]=1&b[b][b][b][c]=1&z=1")));
        assert_eq!(got, ["b[b][b][b][c]", "z"]);
    }
}
