//! Request parameters: the query string (GET, DELETE) or the form body (POST), decoded with Stripe's
//! nesting rules, with typed getters that fail the way Stripe does.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::Method;
use serde_json::{Map, Value};

use crate::{form, ApiError};

/// Stripe's largest amount: eight digits in the smallest unit (99,999,999).
pub const MAX_AMOUNT: i64 = 99_999_999;

/// Decoded parameters of one request.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let query = request.uri().query().unwrap_or_default().to_string();
        let method = request.method().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::invalid_request("The request body could not be read."))?;
        let mut params = form::decode(query.as_bytes())?;
        if method == Method::POST && !body.is_empty() {
            for (k, v) in form::decode(&body)? {
                params.insert(k, v);
            }
        }
        Ok(Params(params))
    }
}

impl Params {
    pub fn map(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn str(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => {
                Err(ApiError::invalid_param(name, "parameter_invalid_string", format!("Invalid string: {name}")))
            }
        }
    }

    pub fn require_str(&self, name: &str) -> Result<String, ApiError> {
        self.str(name)?.filter(|s| !s.is_empty()).ok_or_else(|| missing(name))
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.str(name)? {
            None => Ok(None),
            Some(raw) => raw.trim().parse::<i64>().map(Some).map_err(|_| {
                ApiError::invalid_param(name, "parameter_invalid_integer", format!("Invalid integer: {raw}"))
            }),
        }
    }

    pub fn require_int(&self, name: &str) -> Result<i64, ApiError> {
        self.int(name)?.ok_or_else(|| missing(name))
    }

    /// A positive amount in minor units, as Stripe requires for charges, refunds, transfers, payouts.
    pub fn amount(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.int(name)? {
            Some(n) if n < 1 => Err(ApiError::invalid_param(
                name,
                "parameter_invalid_integer",
                format!("This value must be greater than or equal to 1 ({name})."),
            )),
            Some(n) if n > MAX_AMOUNT => Err(ApiError::invalid_param(
                name,
                "amount_too_large",
                format!("Amount must be no more than {MAX_AMOUNT} (eight digits in the currency's smallest unit)."),
            )),
            other => Ok(other),
        }
    }

    /// A fee: zero or more, and no larger than an amount may be.
    pub fn fee(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.int(name)? {
            Some(n) if !(0..=MAX_AMOUNT).contains(&n) => Err(ApiError::invalid_param(
                name,
                "parameter_invalid_integer",
                format!("{name} must be between 0 and {MAX_AMOUNT}."),
            )),
            other => Ok(other),
        }
    }

    pub fn require_amount(&self, name: &str) -> Result<i64, ApiError> {
        self.amount(name)?.ok_or_else(|| missing(name))
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.str(name)?.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => {
                Err(ApiError::invalid_param(name, "parameter_invalid_boolean", format!("Invalid boolean: {other}")))
            }
        }
    }

    /// A lower-case three-letter currency code.
    pub fn currency(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.str(name)? {
            None => Ok(None),
            Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => Ok(Some(c.to_ascii_lowercase())),
            Some(c) => Err(ApiError::invalid_param(name, "parameter_invalid_string", format!("Invalid currency: {c}"))),
        }
    }

    pub fn require_currency(&self, name: &str) -> Result<String, ApiError> {
        self.currency(name)?.ok_or_else(|| missing(name))
    }

    /// One of the given words.
    pub fn choice(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.str(name)? {
            None => Ok(None),
            Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
            Some(v) => Err(ApiError::invalid_param(
                name,
                "parameter_invalid_string",
                format!("Invalid {name}: must be one of {} (got '{v}')", allowed.join(", ")),
            )),
        }
    }

    /// `metadata[key]=value` pairs; an empty value removes the key (Stripe's rule).
    pub fn metadata(&self) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.0.get("metadata") {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(Some(Map::new())),
            Some(Value::Object(map)) => {
                if map.len() > 50 {
                    return Err(ApiError::invalid_param(
                        "metadata",
                        "parameter_invalid_string",
                        "You can specify up to 50 keys.",
                    ));
                }
                for (k, v) in map {
                    if k.len() > 40 || v.as_str().is_some_and(|s| s.len() > 500) {
                        return Err(ApiError::invalid_param(
                            "metadata",
                            "parameter_invalid_string",
                            "Metadata keys can be up to 40 characters and values up to 500 characters.",
                        ));
                    }
                }
                Ok(Some(map.clone()))
            }
            Some(_) => Err(ApiError::invalid_param("metadata", "parameter_invalid_string", "Invalid hash: metadata")),
        }
    }

    /// The `expand[]` list.
    pub fn expand(&self) -> Vec<String> {
        match self.0.get("expand") {
            Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// A nested object parameter, e.g. `transfer_data`.
    pub fn object(&self, name: &str) -> Option<&Map<String, Value>> {
        self.0.get(name).and_then(Value::as_object)
    }
}

pub fn missing(name: &str) -> ApiError {
    ApiError::invalid_param(name, "parameter_missing", format!("Missing required param: {name}."))
}

/// Applies Stripe's metadata update rule: keys with empty values are removed, others set.
pub fn merge_metadata(target: &mut Value, update: Map<String, Value>) {
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Some(existing) = target.as_object_mut() {
        if update.is_empty() {
            existing.clear();
        }
        for (k, v) in update {
            if v.as_str().is_some_and(str::is_empty) {
                existing.remove(&k);
            } else {
                existing.insert(k, v);
            }
        }
    }
}
