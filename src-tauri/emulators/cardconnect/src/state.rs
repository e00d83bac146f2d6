//! Everything the emulated Gateway knows. HTTP handlers lock it for one request; tests reach in
//! through `Emulator::state` to set up or to check that nothing changed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use emulator_kit::{FaultPlan, Rng, SimClock};

use crate::model::{Batch, Brand, Deposit, Merchant, Profile, Txn};
use crate::Fault;

pub const DAY: i64 = 86_400;

/// A card the vault knows by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultedCard {
    /// Kept so a token of a UAT test card answers as the card does.
    pub pan: String,
    pub lastfour: String,
    pub brand: Option<Brand>,
}

#[derive(Debug)]
pub struct State {
    pub api_user: String,
    api_password: String,
    /// The site name the merchants are boarded on (`https://{site}.cardconnect.com`).
    pub site: String,
    pub merchants: BTreeMap<String, Merchant>,
    txns: HashMap<String, Txn>,
    /// Retrefs in the order the transactions were made.
    order: Vec<String>,
    pub batches: Vec<Batch>,
    pub deposits: Vec<Deposit>,
    pub profiles: HashMap<String, Profile>,
    pub vault: HashMap<String, VaultedCard>,
    pub faults: FaultPlan<Fault>,
    /// Requests answered so far (for tests that check a sync asks only what it needs).
    pub requests: u64,
    clock: SimClock,
    rng: Rng,
    /// The last day (Unix days) whose midnight has been run.
    pub last_midnight: i64,
}

/// What a test compares before and after a refused call: every record the Gateway keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub merchants: Vec<Merchant>,
    pub txns: Vec<Txn>,
    pub batches: Vec<Batch>,
    pub deposits: Vec<Deposit>,
    pub profiles: Vec<Profile>,
}

/// Lets the kit's [`emulator_kit::Running`] plan faults and set latency on this state.
impl emulator_kit::WithFaults for State {
    type Fault = Fault;
    fn fault_plan(&mut self) -> &mut FaultPlan<Fault> {
        &mut self.faults
    }
}

impl State {
    pub fn new(api_user: impl Into<String>, api_password: impl Into<String>, site: impl Into<String>) -> Self {
        let clock = SimClock::default();
        Self {
            api_user: api_user.into(),
            api_password: api_password.into(),
            site: site.into(),
            merchants: BTreeMap::new(),
            txns: HashMap::new(),
            order: Vec::new(),
            batches: Vec::new(),
            deposits: Vec::new(),
            profiles: HashMap::new(),
            vault: HashMap::new(),
            faults: FaultPlan::default(),
            requests: 0,
            last_midnight: clock.now().div_euclid(DAY),
            clock,
            rng: Rng::new(0xCA2D),
        }
    }

    pub fn accepts(&self, user: &str, password: &str) -> bool {
        user == self.api_user && password == self.api_password
    }

    /// Unix seconds on the simulated clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Today on the simulated clock (the Gateway's day is UTC here).
    pub fn today(&self) -> NaiveDate {
        date_of(self.now())
    }

    /// Moves the clock without running what time does; see [`crate::ops::settle`] for that.
    pub(crate) fn move_clock(&mut self, seconds: i64) {
        self.clock.advance(seconds);
    }

    pub fn reseed(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// A new 12-digit retrieval reference.
    pub fn new_retref(&mut self) -> String {
        loop {
            let retref = self.rng.digits(12);
            if !self.txns.contains_key(&retref) {
                return retref;
            }
        }
    }

    pub fn new_batchid(&mut self) -> String {
        self.rng.digits(10)
    }

    /// `PPS` and three digits, as UAT authorization codes look.
    pub fn new_authcode(&mut self) -> String {
        format!("PPS{:03}", self.rng.range(0, 999))
    }

    /// A CardSecure-style token for a card: 16 digits starting with 9 and ending with the card's
    /// last four, so receipts and people can still match it to the card.
    pub fn tokenize(&mut self, pan: &str, brand: Option<Brand>) -> String {
        let lastfour = last_four(pan);
        let token = format!("9{}{lastfour}", self.rng.digits(11));
        self.vault.insert(token.clone(), VaultedCard { pan: pan.to_string(), lastfour, brand });
        token
    }

    pub fn merchant(&self, merchid: &str) -> Option<&Merchant> {
        self.merchants.get(merchid)
    }

    pub fn txn(&self, retref: &str) -> Option<&Txn> {
        self.txns.get(retref)
    }

    pub fn txn_mut(&mut self, retref: &str) -> Option<&mut Txn> {
        self.txns.get_mut(retref)
    }

    /// A merchant's transaction by retref; another merchant's does not exist for the caller.
    pub fn txn_of(&self, merchid: &str, retref: &str) -> Option<&Txn> {
        self.txns.get(retref).filter(|t| t.merchid == merchid)
    }

    pub fn insert_txn(&mut self, txn: Txn) {
        self.order.push(txn.retref.clone());
        self.txns.insert(txn.retref.clone(), txn);
    }

    /// Every transaction, oldest first.
    pub fn txns(&self) -> impl Iterator<Item = &Txn> {
        self.order.iter().filter_map(|r| self.txns.get(r))
    }

    /// Transactions with this order ID, oldest first; of one merchant, or of every merchant on
    /// the site when `merchid` is `None`.
    pub fn by_orderid<'a>(&'a self, orderid: &'a str, merchid: Option<&'a str>) -> impl Iterator<Item = &'a Txn> + 'a {
        self.txns().filter(move |t| t.orderid.as_deref() == Some(orderid) && merchid.is_none_or(|m| t.merchid == m))
    }

    pub fn batch_mut(&mut self, batchid: &str) -> Option<&mut Batch> {
        self.batches.iter_mut().find(|b| b.batchid == batchid)
    }

    /// The merchant's open batch, made if it does not exist yet.
    pub fn open_batch(&mut self, merchid: &str) -> Option<String> {
        let batchid = self.merchants.get(merchid)?.open_batch.clone();
        if !self.batches.iter().any(|b| b.batchid == batchid) {
            self.batches.push(Batch {
                batchid: batchid.clone(),
                merchid: merchid.to_string(),
                hostbatch: None,
                retrefs: Vec::new(),
                settled_on: None,
                funded_by: None,
            });
        }
        Some(batchid)
    }

    /// Boards a merchant ID in `currency` (upper-case ISO 4217) with an empty open batch.
    pub fn board(&mut self, merchid: &str, name: &str, currency: &str) {
        let open_batch = self.new_batchid();
        self.merchants.insert(
            merchid.to_string(),
            Merchant {
                merchid: merchid.to_string(),
                name: name.to_string(),
                currency: currency.to_ascii_uppercase(),
                enabled: true,
                refund_unsettled: false,
                open_batch,
            },
        );
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut profiles: Vec<Profile> = self.profiles.values().cloned().collect();
        profiles.sort_by(|a, b| (&a.profileid, &a.acctid).cmp(&(&b.profileid, &b.acctid)));
        Snapshot {
            merchants: self.merchants.values().cloned().collect(),
            txns: self.txns().cloned().collect(),
            batches: self.batches.clone(),
            deposits: self.deposits.clone(),
            profiles,
        }
    }
}

/// The UTC calendar day of a Unix time.
pub fn date_of(unix: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp(unix, 0).map_or(NaiveDate::MIN, |t| t.date_naive())
}

pub fn last_four(digits: &str) -> String {
    digits.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect()
}
