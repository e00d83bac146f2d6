//! List filters shared by several endpoints: time ranges (`created[gte]=…` or `created=…`) and
//! equality on a field.

use serde_json::Value;

use super::Params;
use crate::ApiError;

/// A `range_query_specs` parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Range {
    gt: Option<i64>,
    gte: Option<i64>,
    lt: Option<i64>,
    lte: Option<i64>,
}

impl Range {
    pub fn from_params(params: &Params, name: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::invalid_param(name, "parameter_invalid_integer", format!("Invalid integer: {name}"));
        match params.map().get(name) {
            None => Ok(Self::default()),
            Some(Value::String(s)) => {
                let t = s.parse::<i64>().map_err(|_| bad())?;
                Ok(Self { gte: Some(t), lte: Some(t), ..Self::default() })
            }
            Some(Value::Object(map)) => {
                let mut range = Self::default();
                for (key, v) in map {
                    let t = v.as_str().and_then(|s| s.parse::<i64>().ok()).ok_or_else(bad)?;
                    match key.as_str() {
                        "gt" => range.gt = Some(t),
                        "gte" => range.gte = Some(t),
                        "lt" => range.lt = Some(t),
                        "lte" => range.lte = Some(t),
                        other => {
                            return Err(ApiError::invalid_param(
                                &format!("{name}[{other}]"),
                                "parameter_unknown",
                                format!("Received unknown parameter: {name}[{other}]"),
                            ))
                        }
                    }
                }
                Ok(range)
            }
            Some(_) => Err(bad()),
        }
    }

    pub fn contains(&self, t: i64) -> bool {
        self.gt.is_none_or(|x| t > x)
            && self.gte.is_none_or(|x| t >= x)
            && self.lt.is_none_or(|x| t < x)
            && self.lte.is_none_or(|x| t <= x)
    }

    pub fn matches(&self, value: &Value, field: &str) -> bool {
        value[field].as_i64().is_some_and(|t| self.contains(t))
    }
}

/// `field == wanted` when a filter was given.
pub fn equals(value: &Value, field: &str, wanted: &Option<String>) -> bool {
    match wanted {
        None => true,
        Some(w) => value[field].as_str() == Some(w.as_str()) || value[field]["id"].as_str() == Some(w.as_str()),
    }
}
