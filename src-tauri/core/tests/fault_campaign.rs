//! A fault campaign through the one door: 1,000 refunds (`MERCHANT_DESK_CAMPAIGN_REFUNDS` for
//! another count, `MERCHANT_DESK_CAMPAIGN_SEED` for another draw) against the emulator, with 500s,
//! 429s, answers dropped after the refund was made, attempts that never get an answer, and the
//! desk killed at random points — dropped mid-call and started again on the same data folder,
//! some restarts more than 24 emulator hours later. Afterwards Stripe holds exactly one refund per
//! refund asked for, nothing recorded as failed exists, and each call is audited once as requested
//! and once with its outcome.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use md_core::clock::ManualClock;
use md_core::desk::RefundRequest;
use md_core::gateways::stripe::retry::Policy;
use md_core::gateways::stripe::{Response, StripeClient};
use md_core::keys::ApiKey;
use md_core::money_calls::{new_key, KEY_METADATA};
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::store::journal::{self, Status};
use md_core::store::{audit, Store};
use md_core::views::ErrorCode;
use md_core::{Desk, DeskConfig};
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault};

const KEY: &str = "sk_test_51FaultCampaignFaultCampaign00";
const PIN: &str = "2468";
/// Refunds of 1.00 per payment of 50.00.
const REFUNDS_PER_PAYMENT: usize = 5;
const FAST: Policy = Policy { max_attempts: 6, base: Duration::from_millis(2), max_delay: Duration::from_millis(20) };

struct Campaign {
    stripe: Emulator,
    dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    secrets: Arc<MemorySecrets>,
    rng: fastrand::Rng,
    stats: HashMap<&'static str, usize>,
}

/// One refund a person asked for, and the key of its latest confirmation.
struct Ask {
    account: String,
    payment: String,
    key: String,
}

impl Campaign {
    /// Starts the desk on the data folder; a restart settles what the last run left unfinished.
    async fn start(&self) -> Desk {
        let mut config = DeskConfig::new(
            self.dir.path().to_path_buf(),
            self.secrets.clone(),
            "http://127.0.0.1:9".into(),
            KEY.into(),
        );
        config.clock = self.clock.clone();
        config.pin_cost = PinCost::FAST_FOR_TESTS;
        config.retry = FAST;
        config.api_base_override = Some(self.stripe.base_url());
        let desk = Desk::open(config).unwrap();
        if desk.session().unwrap().needs_setup {
            desk.setup_first_profile("Maria", Role::Owner, PIN).unwrap();
            desk.connect(KEY, None).await.unwrap();
            desk.sync_run(true).await.unwrap();
        } else {
            let maria = desk.session().unwrap().profiles.into_iter().find(|p| p.name == "Maria").unwrap();
            desk.unlock(maria.id, PIN).unwrap();
        }
        desk.settle_unfinished().await.unwrap();
        desk
    }

    fn count(&mut self, what: &'static str) {
        *self.stats.entry(what).or_default() += 1;
    }

    /// Plans faults for the next refund requests.
    fn plan_faults(&mut self) {
        let (fault, times, what) = match self.rng.u32(0..100) {
            0..=9 => (Fault::ServerError, self.rng.usize(1..=3), "500s"),
            10..=17 => (Fault::RateLimited, self.rng.usize(1..=3), "429s"),
            18..=27 => (Fault::DropAfterProcessing, self.rng.usize(1..=3), "answers dropped after the refund"),
            // More than the client tries: no answer settles it, the outcome is unknown.
            28..=31 => (Fault::DropAfterProcessing, FAST.max_attempts as usize + 1, "calls left with no answer"),
            _ => return,
        };
        for _ in 0..times {
            self.stripe.inject(fault, Some("POST"), Some("/v1/refunds"));
        }
        *self.stats.entry(what).or_default() += times;
    }

    fn entry(&self, key: &str) -> Option<journal::Entry> {
        let store = Store::open(&self.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
        journal::get(store.conn(), key).unwrap()
    }

    /// A weekend passes: Stripe forgets the idempotency keys of the calls before it.
    async fn a_day_and_more(&self) {
        // A request of a desk just killed may still be handled: a day never passes under it.
        self.stripe.wait_idle().await;
        self.stripe.advance_clock(Duration::from_secs(25 * 3600));
        self.clock.advance(chrono::Duration::hours(25));
    }

    /// Asks for `ask`, maybe killing the desk part-way; `true` once the call is in the journal (its
    /// outcome may still be unknown), `false` when it must be asked again.
    async fn ask(&mut self, desk: &mut Desk, ask: &Ask, kill: bool) -> bool {
        let request = RefundRequest {
            account: Some(ask.account.clone()),
            payment: ask.payment.clone(),
            amount: Some(100),
            reason: Some("requested_by_customer".into()),
            approval: None,
            note: None,
        };
        let answer = if kill {
            let wait = Duration::from_micros(self.rng.u64(0..15_000));
            tokio::time::timeout(wait, desk.refund(&request, Some(&ask.key))).await
        } else {
            Ok(desk.refund(&request, Some(&ask.key)).await)
        };
        match answer {
            Err(_killed) => {
                self.count("kills at a random point");
                *desk = self.restart().await;
                self.entry(&ask.key).is_some()
            }
            Ok(Ok(_)) => true,
            Ok(Err(err)) if err.code() == ErrorCode::OutcomeUnknown => {
                self.count("unknown outcomes");
                true
            }
            Ok(Err(err)) if err.code() == ErrorCode::UnfinishedCall => {
                self.count("refused while the account had an unfinished call");
                desk.settle_unfinished().await.unwrap();
                false
            }
            Ok(Err(err)) => panic!("refund of {}: {err}", ask.payment),
        }
    }

    async fn restart(&mut self) -> Desk {
        self.count("restarts");
        if self.rng.u32(0..100) < 25 {
            self.count("restarts more than 24 hours later");
            self.a_day_and_more().await;
        }
        self.start().await
    }
}

fn refunds_at_stripe(stripe: &Emulator) -> Vec<Value> {
    let state = stripe.state();
    let s = state.lock().unwrap();
    s.objects_of_kind("refund").map(|(_, v)| v.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_refunds_through_faults_and_crashes_happen_exactly_once() {
    let wanted: usize =
        std::env::var("MERCHANT_DESK_CAMPAIGN_REFUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let seed: u64 = std::env::var("MERCHANT_DESK_CAMPAIGN_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(20261130);
    let started = Instant::now();
    let stripe = Emulator::start(Config::with_key(KEY)).await.unwrap();
    let accounts: Vec<String> =
        ["Bistro", "Trattoria", "Izakaya", "Brasserie"].into_iter().map(|name| stripe.add_restaurant(name)).collect();
    let platform = StripeClient::new(&stripe.base_url(), ApiKey::parse(KEY).unwrap()).unwrap().with_policy(FAST);
    let mut asks = Vec::with_capacity(wanted);
    for p in 0..wanted.div_ceil(REFUNDS_PER_PAYMENT) {
        let account = accounts[p % accounts.len()].clone();
        let form = [("amount", "5000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let paid: Response<Value> =
            platform.post("/v1/payment_intents", &form, Some(&account), &new_key()).await.unwrap();
        let payment = paid.value["id"].as_str().unwrap().to_string();
        for _ in 0..REFUNDS_PER_PAYMENT {
            if asks.len() < wanted {
                asks.push(Ask { account: account.clone(), payment: payment.clone(), key: new_key() });
            }
        }
    }
    let mut campaign = Campaign {
        stripe,
        dir: tempfile::tempdir().unwrap(),
        clock: Arc::new(ManualClock::default()),
        secrets: Arc::new(MemorySecrets::default()),
        rng: fastrand::Rng::with_seed(seed),
        stats: HashMap::new(),
    };
    let mut desk = campaign.start().await;

    // Every refund is asked for, through faults and kills.
    let mut i = 0;
    while i < asks.len() {
        campaign.plan_faults();
        let kill = campaign.rng.u32(0..100) < 5;
        if campaign.ask(&mut desk, &asks[i], kill).await {
            i += 1;
        }
    }

    // Then the desk settles what is unfinished (looking up what Stripe forgot), and what never
    // happened is asked for again with a new confirmation, until every refund has happened.
    for round in 0.. {
        assert!(round < 20, "the campaign does not settle");
        desk.settle_unfinished().await.unwrap();
        let mut open = 0;
        for ask in asks.iter_mut() {
            let entry = campaign.entry(&ask.key).expect("every ask is journalled");
            match entry.status {
                Status::Succeeded => {}
                Status::Failed => {
                    campaign.count("asked again after a lookup found it never happened");
                    ask.key = new_key();
                    open += 1;
                }
                Status::Pending | Status::Unknown => open += 1,
                Status::Superseded => panic!("a refund is not a setting"),
            }
        }
        if open == 0 {
            break;
        }
        for ask in asks.iter() {
            if campaign.entry(&ask.key).is_none() {
                while !campaign.ask(&mut desk, ask, false).await {}
            }
        }
        if round > 1 {
            campaign.a_day_and_more().await;
        }
    }

    // Exactly one refund per ask at Stripe, each carrying a key the journal says succeeded.
    let store = Store::open(&campaign.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    let refunds = refunds_at_stripe(&campaign.stripe);
    assert_eq!(refunds.len(), wanted, "refunds at Stripe");
    let made: HashSet<String> =
        refunds.iter().filter_map(|r| r["metadata"][KEY_METADATA].as_str().map(str::to_string)).collect();
    assert_eq!(made.len(), wanted, "one key per refund");
    for key in &made {
        assert_eq!(journal::get(store.conn(), key).unwrap().unwrap().status, Status::Succeeded, "{key}");
    }
    // Nothing recorded as failed exists; every call is audited once as requested and once with
    // its outcome (an unknown on the way is its own row).
    let rows = audit::all(store.conn()).unwrap();
    let mut per_key: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows.into_iter().filter(|r| r.action == "refunds.create") {
        if let Some(key) = row.idempotency_key {
            per_key.entry(key).or_default().push(row.outcome);
        }
    }
    let mut failed = 0;
    for (key, outcomes) in &per_key {
        let status = journal::get(store.conn(), key).unwrap().unwrap().status;
        if status == Status::Failed {
            failed += 1;
            assert!(!made.contains(key), "{key} is recorded as failed but exists");
        }
        let requested = outcomes.iter().filter(|o| *o == "requested").count();
        let ended = outcomes.iter().filter(|o| *o == "succeeded" || *o == "failed").count();
        assert_eq!((requested, ended), (1, 1), "{key}: {outcomes:?}");
    }
    let mut stats: Vec<_> = campaign.stats.iter().collect();
    stats.sort();
    eprintln!(
        "fault campaign (seed {seed}): {wanted} refunds asked, {} at Stripe, {} calls journalled, {failed} \
         recorded as failed (none exists), in {:.1} s",
        refunds.len(),
        per_key.len(),
        started.elapsed().as_secs_f64()
    );
    for (what, n) in stats {
        eprintln!("  {what}: {n}");
    }
}
