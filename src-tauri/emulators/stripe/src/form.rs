//! Stripe's form encoding: `a[b][c]=v` nests, `a[]=v` or `a[0]=v` appends to a list.
//! Decoded into JSON so handlers read parameters the way the spec describes them.

use serde_json::{Map, Value};

use crate::ApiError;

/// Decodes a query string or `application/x-www-form-urlencoded` body.
pub fn decode(input: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(input) {
        let path =
            split_key(&key).ok_or_else(|| ApiError::invalid_request(format!("Invalid parameter name: '{key}'")))?;
        insert(&mut root, &path, value.into_owned())
            .map_err(|_| ApiError::invalid_request(format!("Conflicting parameter: '{key}'")))?;
    }
    Ok(root)
}

/// `a[b][]` → `["a", "b", ""]`. Returns `None` for unbalanced brackets.
fn split_key(key: &str) -> Option<Vec<String>> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => return if key.is_empty() { None } else { Some(vec![key.to_string()]) },
    };
    if head.is_empty() {
        return None;
    }
    let mut parts = vec![head.to_string()];
    while !rest.is_empty() {
        let close = rest.find(']')?;
        if !rest.starts_with('[') {
            return None;
        }
        parts.push(rest[1..close].to_string());
        rest = &rest[close + 1..];
    }
    Some(parts)
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: String) -> Result<(), ()> {
    let (first, rest) = path.split_first().ok_or(())?;
    if rest.is_empty() {
        map.insert(first.clone(), Value::String(value));
        return Ok(());
    }
    let is_list = rest[0].is_empty() || rest[0].chars().all(|c| c.is_ascii_digit());
    let slot =
        map.entry(first.clone())
            .or_insert_with(|| if is_list { Value::Array(vec![]) } else { Value::Object(Map::new()) });
    insert_value(slot, rest, value)
}

fn insert_value(slot: &mut Value, path: &[String], value: String) -> Result<(), ()> {
    match slot {
        Value::Object(map) => insert(map, path, value),
        Value::Array(items) => {
            let (index, rest) = path.split_first().ok_or(())?;
            let position = if index.is_empty() { items.len() } else { index.parse::<usize>().map_err(|_| ())? };
            if rest.is_empty() {
                if position == items.len() {
                    items.push(Value::String(value));
                } else if position < items.len() {
                    items[position] = Value::String(value);
                } else {
                    return Err(());
                }
                return Ok(());
            }
            if position == items.len() {
                items.push(Value::Object(Map::new()));
            }
            let item = items.get_mut(position).ok_or(())?;
            insert_value(item, rest, value)
        }
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nests_objects_and_lists() {
        let got = decode(b"amount=100&metadata[order]=A-17&expand[]=data.source&expand[]=x&items[0][price]=p1&items[1][price]=p2&settings[payouts][schedule][interval]=weekly").unwrap();
        assert_eq!(
            Value::Object(got),
            json!({
                "amount": "100",
                "metadata": {"order": "A-17"},
                "expand": ["data.source", "x"],
                "items": [{"price": "p1"}, {"price": "p2"}],
                "settings": {"payouts": {"schedule": {"interval": "weekly"}}}
            })
        );
    }

    #[test]
    fn refuses_malformed_keys() {
        assert!(decode(b"a[b=1").is_err());
        assert!(decode(b"[a]=1").is_err());
        assert!(decode(b"a=1&a[b]=2").is_err());
        assert!(decode(b"a[5]=1").is_err());
    }
}
