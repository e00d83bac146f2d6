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

/// Book-keeping of the ledger that Stripe's objects do not show.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Balance transactions still pending, oldest first.
    pub pending: Vec<(Scope, String)>,
    /// Available balance transactions not yet paid out, per scope.
    pub unpaid: HashMap<Scope, Vec<String>>,
    /// Balance transactions settled by each automatic payout (`balance_transactions?payout=`).
    pub payout_contents: HashMap<String, Vec<String>>,
    /// When each dispute's evidence was submitted, to decide it after review.
    pub disputes_submitted_at: HashMap<String, i64>,
    /// Scopes whose next payout the bank rejects.
    pub failing_banks: std::collections::HashSet<Scope>,
    /// Day number (Unix days) of each scope's last automatic payout.
    pub last_auto_payout_day: HashMap<Scope, i64>,
    /// Clock work is skipped until then (it only needs doing once a minute of simulated time).
    pub next_tick_at: i64,
    /// Refunds still `pending`, oldest first, for the clock to settle.
    pub pending_refunds: Vec<(Scope, String)>,
}

/// Everything the emulator knows. Handlers lock it for the duration of one request.
#[derive(Debug)]
pub struct State {
    pub ledger: Ledger,
    pub faults: crate::faults::Faults,
    pub idempotency: crate::api::IdempotencyStore,
    /// Links issued, access revoked, deadlines ahead: see [`crate::ops::onboarding`].
    pub(crate) onboarding: crate::ops::onboarding::Book,
    /// 3-D Secure challenges the customer was sent to: see [`crate::ops::three_d_secure`].
    pub(crate) three_d_secure: crate::ops::three_d_secure::Book,
    api_keys: Vec<String>,
    /// Simulated clock: real time when started plus whatever tests advance it by.
    clock: emulator_kit::SimClock,
    rng: Rng,
    /// Request IDs come from their own generator, so reading never shifts seeded object IDs.
    request_rng: Rng,
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
                    return Err(ApiError::invalid_param("limit", "parameter_invalid_integer", "Invalid integer: limit"))
                }
            },
            Some(_) => {
                return Err(ApiError::invalid_param("limit", "parameter_invalid_integer", "Invalid integer: limit"))
            }
        };
        let cursor = |name: &str| match params.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => {
                Err(ApiError::invalid_param(name, "parameter_invalid_string", format!("Invalid string: {name}")))
            }
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

/// Lets the kit's [`emulator_kit::Running`] plan faults and set latency on this state.
impl emulator_kit::WithFaults for State {
    type Fault = crate::Fault;
    fn fault_plan(&mut self) -> &mut emulator_kit::FaultPlan<crate::Fault> {
        &mut self.faults.plan
    }
}

impl State {
    pub fn new(api_keys: Vec<String>) -> Self {
        Self {
            ledger: Ledger::default(),
            faults: Default::default(),
            idempotency: Default::default(),
            onboarding: Default::default(),
            three_d_secure: Default::default(),
            api_keys,
            clock: Default::default(),
            rng: Rng::new(0x5EED),
            request_rng: Rng::new(chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64),
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
        self.clock.now()
    }

    /// Moves the simulated clock forward.
    pub fn advance_clock(&mut self, seconds: i64) {
        self.clock.advance(seconds);
    }

    pub fn reseed_ids(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Uniform in `lo..=hi` from the state's generator.
    pub fn rng_range(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.range(lo, hi)
    }

    pub fn request_id(&mut self) -> String {
        self.request_rng.id("req", 14)
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

    /// The scope an object of any scope lives in (for test hooks that name only an ID).
    pub fn scope_of(&self, id: &str) -> Option<&Scope> {
        self.objects.get(id).map(|s| &s.scope)
    }

    /// A connected account of this platform.
    pub fn account(&self, id: &str) -> Option<&Value> {
        self.get(&None, id).filter(|v| v["object"] == "account")
    }

    /// A connected account the platform still reaches: not one that disconnected from it.
    pub fn connected(&self, id: &str) -> Option<&Value> {
        self.account(id).filter(|_| !self.is_revoked(id))
    }

    /// Whether `id` disconnected from the platform (`account.application.deauthorized`).
    pub fn is_revoked(&self, id: &str) -> bool {
        self.onboarding.revoked.contains(id)
    }

    /// Every object of a kind in every scope: scopes in order, objects oldest first (so clock runs
    /// are deterministic).
    pub fn objects_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (&'a Scope, &'a Value)> + 'a {
        let mut lists: Vec<(&Scope, &Vec<String>)> =
            self.lists.iter().filter(|((_, k), _)| *k == kind).map(|((scope, _), ids)| (scope, ids)).collect();
        lists.sort_by(|a, b| a.0.cmp(b.0));
        lists.into_iter().flat_map(move |(scope, ids)| {
            ids.iter().filter_map(move |id| self.objects.get(id).map(|s| (scope, &s.value)))
        })
    }

    /// The IDs of a list, oldest first.
    pub fn ids(&self, scope: &Scope, kind: &'static str) -> &[String] {
        self.lists.get(&(scope.clone(), kind)).map_or(&[], Vec::as_slice)
    }

    pub fn count(&self, scope: &Scope, kind: &'static str) -> usize {
        self.lists.get(&(scope.clone(), kind)).map_or(0, Vec::len)
    }

    /// A Stripe list object, newest first, with cursor pagination.
    pub fn list(&self, scope: &Scope, kind: &'static str, url: &str, page: &Page) -> Result<Value, ApiError> {
        self.list_where(scope, kind, url, page, |_| true)
    }

    /// A list of the objects that pass `keep`. Scans from the cursor and stops once a page (plus
    /// one, for `has_more`) is found, so paging through a long list costs what it returns.
    pub fn list_where(
        &self,
        scope: &Scope,
        kind: &'static str,
        url: &str,
        page: &Page,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Value, ApiError> {
        let ids = self.ids(scope, kind);
        let len = ids.len();
        let cursor_position = |cursor: &str, param: &str| -> Result<usize, ApiError> {
            match self.objects.get(cursor) {
                Some(s) if &s.scope == scope && ids.get(s.position).map(String::as_str) == Some(cursor) => {
                    Ok(s.position)
                }
                _ => Err(ApiError::missing(&kind.replace('_', " "), cursor, param)),
            }
        };
        let value_at = |position: usize| self.objects.get(&ids[position]).map(|s| &s.value);
        let mut data: Vec<Value> = Vec::with_capacity(page.limit);
        let mut has_more = false;
        if let Some(before) = &page.ending_before {
            // Newer objects than the cursor, closest to it first; then shown newest first.
            let start = cursor_position(before, "ending_before")? + 1;
            for position in start..len {
                if let Some(v) = value_at(position).filter(|v| keep(v)) {
                    if data.len() == page.limit {
                        has_more = true;
                        break;
                    }
                    data.push(v.clone());
                }
            }
            data.reverse();
        } else {
            // Older objects than the cursor (or from the newest), newest first.
            let end = match &page.starting_after {
                Some(after) => cursor_position(after, "starting_after")?,
                None => len,
            };
            for position in (0..end).rev() {
                if let Some(v) = value_at(position).filter(|v| keep(v)) {
                    if data.len() == page.limit {
                        has_more = true;
                        break;
                    }
                    data.push(v.clone());
                }
            }
        }
        Ok(json!({ "object": "list", "data": data, "has_more": has_more, "url": url }))
    }

    /// A list over given objects (already newest first), with the same cursor rules.
    pub fn list_of(values: Vec<Value>, kind: &str, url: &str, page: &Page) -> Result<Value, ApiError> {
        let position = |cursor: &str, param: &str| {
            values
                .iter()
                .position(|v| v["id"] == cursor)
                .ok_or_else(|| ApiError::missing(&kind.replace('_', " "), cursor, param))
        };
        let (start, end) = if let Some(after) = &page.starting_after {
            let start = position(after, "starting_after")? + 1;
            (start, (start + page.limit).min(values.len()))
        } else if let Some(before) = &page.ending_before {
            let end = position(before, "ending_before")?;
            (end.saturating_sub(page.limit), end)
        } else {
            (0, page.limit.min(values.len()))
        };
        let has_more = if page.ending_before.is_some() { start > 0 } else { end < values.len() };
        Ok(json!({ "object": "list", "data": values[start..end].to_vec(), "has_more": has_more, "url": url }))
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
