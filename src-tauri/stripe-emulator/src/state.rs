//! The emulator's objects, scoped to the platform or to a connected account, in creation order.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use crate::ids::Rng;
use crate::ApiError;

/// `None` is the platform; `Some(acct_…)` a connected account (the `Stripe-Account` header).
pub type Scope = Option<String>;

/// Amounts of one currency in one balance, in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funds {
    pub available: i64,
    pub pending: i64,
    pub connect_reserved: i64,
    pub instant_available: i64,
}

#[derive(Debug)]
struct Stored {
    scope: Scope,
    value: Value,
    /// Position in its list, so cursors resolve without a scan.
    position: usize,
}

/// Everything the emulator knows. Handlers lock it for the duration of one request.
#[derive(Debug)]
pub struct State {
    api_keys: Vec<String>,
    /// Simulated clock: real time when started plus whatever tests advance it by.
    clock_offset: i64,
    rng: Rng,
    objects: HashMap<String, Stored>,
    lists: HashMap<(Scope, &'static str), Vec<String>>,
    balances: HashMap<Scope, BTreeMap<String, Funds>>,
}

/// Cursor parameters of every list endpoint.
#[derive(Debug, Default)]
pub struct Page {
    pub limit: usize,
    pub starting_after: Option<String>,
    pub ending_before: Option<String>,
}

impl Page {
    /// Reads `limit`, `starting_after`, `ending_before` the way Stripe validates them.
    pub fn from_params(params: &Map<String, Value>) -> Result<Self, ApiError> {
        let limit = match params.get("limit") {
            None => 10,
            Some(Value::String(raw)) => match raw.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => n as usize,
                Ok(_) => {
                    return Err(ApiError::invalid_param(
                        "limit",
                        "parameter_invalid_integer",
                        "Invalid limit: must be between 1 and 100",
                    ))
                }
                Err(_) => {
                    return Err(ApiError::invalid_param(
                        "limit",
                        "parameter_invalid_integer",
                        "Invalid integer: limit",
                    ))
                }
            },
            Some(_) => return Err(ApiError::invalid_param("limit", "parameter_invalid_integer", "Invalid integer: limit")),
        };
        let cursor = |name: &str| match params.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_param(name, "parameter_invalid_string", format!("Invalid string: {name}"))),
        };
        let page = Self { limit, starting_after: cursor("starting_after")?, ending_before: cursor("ending_before")? };
        if page.starting_after.is_some() && page.ending_before.is_some() {
            return Err(ApiError::invalid_request(
                "You may only specify one of these parameters: ending_before, starting_after.",
            ));
        }
        Ok(page)
    }
}

impl State {
    pub fn new(api_keys: Vec<String>) -> Self {
        Self {
            api_keys,
            clock_offset: 0,
            rng: Rng::new(0x5EED),
            objects: HashMap::new(),
            lists: HashMap::new(),
            balances: HashMap::new(),
        }
    }

    pub fn accepts_key(&self, key: &str) -> bool {
        self.api_keys.iter().any(|k| k == key)
    }

    /// Lets a running emulator accept one more key (tests hand the app a key of their own).
    pub fn add_api_key(&mut self, key: impl Into<String>) {
        self.api_keys.push(key.into());
    }

    /// Unix seconds on the simulated clock.
    pub fn now(&self) -> i64 {
        chrono::Utc::now().timestamp() + self.clock_offset
    }

    /// Moves the simulated clock forward.
    pub fn advance_clock(&mut self, seconds: i64) {
        self.clock_offset += seconds;
    }

    pub fn reseed_ids(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub fn new_id(&mut self, prefix: &str) -> String {
        let len = if prefix == "acct" { 16 } else { 24 };
        self.rng.id(prefix, len)
    }

    /// Stores a new object at the end of its list. The object must carry `id`.
    pub fn insert(&mut self, scope: Scope, kind: &'static str, value: Value) -> String {
        let id = value["id"].as_str().unwrap_or_default().to_string();
        let list = self.lists.entry((scope.clone(), kind)).or_default();
        let position = list.len();
        list.push(id.clone());
        self.objects.insert(id.clone(), Stored { scope, value, position });
        id
    }

    /// An object visible in `scope`; objects of other scopes do not exist for the caller.
    pub fn get(&self, scope: &Scope, id: &str) -> Option<&Value> {
        self.objects.get(id).filter(|s| &s.scope == scope).map(|s| &s.value)
    }

    pub fn get_mut(&mut self, scope: &Scope, id: &str) -> Option<&mut Value> {
        self.objects.get_mut(id).filter(|s| &s.scope == scope).map(|s| &mut s.value)
    }

    /// A connected account of this platform.
    pub fn account(&self, id: &str) -> Option<&Value> {
        self.get(&None, id).filter(|v| v["object"] == "account")
    }

    pub fn count(&self, scope: &Scope, kind: &'static str) -> usize {
        self.lists.get(&(scope.clone(), kind)).map_or(0, Vec::len)
    }

    /// A Stripe list object, newest first, with cursor pagination.
    pub fn list(&self, scope: &Scope, kind: &'static str, url: &str, page: &Page) -> Result<Value, ApiError> {
        let empty = Vec::new();
        let ids = self.lists.get(&(scope.clone(), kind)).unwrap_or(&empty);
        // Newest first: index i in the reversed order is ids[len-1-i].
        let len = ids.len();
        let cursor_rank = |cursor: &str, param: &str| -> Result<usize, ApiError> {
            match self.objects.get(cursor) {
                Some(s) if &s.scope == scope && ids.get(s.position).map(String::as_str) == Some(cursor) => {
                    Ok(len - 1 - s.position)
                }
                _ => Err(ApiError::missing(kind, cursor, param)),
            }
        };
        let (start, end, has_more) = if let Some(after) = &page.starting_after {
            let start = cursor_rank(after, "starting_after")? + 1;
            let end = (start + page.limit).min(len);
            (start, end, end < len)
        } else if let Some(before) = &page.ending_before {
            let end = cursor_rank(before, "ending_before")?;
            let start = end.saturating_sub(page.limit);
            (start, end, start > 0)
        } else {
            let end = page.limit.min(len);
            (0, end, end < len)
        };
        let data: Vec<Value> = (start..end)
            .filter_map(|rank| self.objects.get(&ids[len - 1 - rank]).map(|s| s.value.clone()))
            .collect();
        Ok(json!({ "object": "list", "data": data, "has_more": has_more, "url": url }))
    }

    pub fn funds_mut(&mut self, scope: &Scope, currency: &str) -> &mut Funds {
        self.balances.entry(scope.clone()).or_default().entry(currency.to_string()).or_default()
    }

    /// The `balance` object of a scope, currencies in a stable order.
    pub fn balance(&self, scope: &Scope) -> Value {
        let empty = BTreeMap::new();
        let funds = self.balances.get(scope).unwrap_or(&empty);
        let amounts = |pick: fn(&Funds) -> i64| -> Vec<Value> {
            funds
                .iter()
                .map(|(currency, f)| json!({ "amount": pick(f), "currency": currency, "source_types": { "card": pick(f) } }))
                .collect()
        };
        let mut balance = json!({
            "object": "balance",
            "livemode": false,
            "available": amounts(|f| f.available),
            "pending": amounts(|f| f.pending),
            "instant_available": amounts(|f| f.instant_available),
        });
        // Stripe reports connect_reserved only on the platform's own balance.
        if scope.is_none() {
            balance["connect_reserved"] = json!(funds
                .iter()
                .map(|(currency, f)| json!({ "amount": f.connect_reserved, "currency": currency }))
                .collect::<Vec<_>>());
        }
        balance
    }
}
