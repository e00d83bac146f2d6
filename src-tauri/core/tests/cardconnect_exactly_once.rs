//! CardConnect refunds happen exactly once through the one door, whatever is lost on the way: 500
//! refunds of settled purchases on the CardPointe emulator, with answers dropped after the Gateway
//! approved, 500s before it acted, inquiries that fail, and the process killed between journalling
//! a call and recording its answer — before the request left, and after the Gateway approved it.
//! After each kill the journal is opened again from its file and settled; what never happened is
//! asked again as a new call with an order ID of its own, as a person would.
//!
//! CardPointe has no idempotency keys, so an unknown outcome may only be settled by
//! `inquireByOrderid`: the test counts every refund sent per order ID, and asks for refunds of at
//! most half a payment, so that a refund sent twice would be approved and seen, never declined
//! and hidden.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cardconnect_emulator::model::{Setl, TxnKind};
use cardconnect_emulator::{Config, Emulator, Fault};
use chrono::{DateTime, Utc};
use md_core::gateways::cardconnect::{ApiPassword, AuthRequest, CardConnectClient, Credentials, PaymentAccount};
use md_core::gateways::stripe::retry::Policy;
use md_core::gateways::{Gateway, GatewayKind, Outcome, Settle};
use md_core::money_calls::{self, CallError, Intent, MoneyCall};
use md_core::store::journal::{self, Asker, Entry, Status};
use md_core::store::{audit, Store};
use tokio::sync::Notify;

const USER: &str = "harbor_api";
const PASSWORD: &str = "emulator-only-password";
const REFUNDS: usize = 500;
const DAY: Duration = Duration::from_secs(86_400);
/// Three tries per read with short waits: an inquiry given three 500s fails, and the call stays
/// unknown until the next settling.
const FAST: Policy = Policy { max_attempts: 3, base: Duration::from_millis(2), max_delay: Duration::from_millis(10) };
const REFUND_PATH: &str = "/cardconnect/rest/refund";
const AUDIT_ACTION: &str = "refunds.create";
/// Asks between two settlings by the app's timer.
const SETTLE_EVERY: usize = 25;
/// The desk's clock moves this far before each settling (the app's timer; a restart): calls are
/// never settled the moment they were made.
const BETWEEN_SETTLINGS: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// What happens to one ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Fate {
    Plain,
    /// The Gateway approved it, then the connection dropped before the answer arrived.
    Dropped,
    /// Dropped, and the first inquiry about it fails as well (three 500s).
    DroppedInquiryFails,
    /// A 500 before the Gateway did anything.
    ServerError,
    /// The process died after journalling the call, before the request left.
    KilledBeforeSending,
    /// The process died after the Gateway approved, before the answer was recorded.
    KilledAfterApproval,
}

impl Fate {
    fn kills(self) -> bool {
        matches!(self, Fate::KilledBeforeSending | Fate::KilledAfterApproval)
    }

    /// The audit trail the call must leave: "unknown" is never followed by "failed" for a refund
    /// the Gateway made.
    fn audited(self) -> &'static [&'static str] {
        match self {
            Fate::Plain | Fate::KilledAfterApproval => &["requested", "succeeded"],
            Fate::Dropped | Fate::DroppedInquiryFails => &["requested", "unknown", "succeeded"],
            Fate::ServerError => &["requested", "unknown", "failed"],
            Fate::KilledBeforeSending => &["requested", "failed"],
        }
    }
}

/// The first ask of each of the 500 refunds: exact shares, shuffled by the seed.
fn first_fates(rng: &mut fastrand::Rng) -> Vec<Fate> {
    let shares = [
        (Fate::Dropped, 230),
        (Fate::DroppedInquiryFails, 20),
        (Fate::KilledBeforeSending, 60),
        (Fate::KilledAfterApproval, 60),
        (Fate::ServerError, 30),
    ];
    let mut fates: Vec<Fate> = shares.iter().flat_map(|&(fate, n)| std::iter::repeat_n(fate, n)).collect();
    fates.resize(REFUNDS, Fate::Plain);
    rng.shuffle(&mut fates);
    fates
}

/// A person's second (or later) ask meets faults too, less often.
fn later_fate(rng: &mut fastrand::Rng) -> Fate {
    match rng.u32(0..100) {
        0..=29 => Fate::Dropped,
        30..=39 => Fate::KilledBeforeSending,
        40..=49 => Fate::KilledAfterApproval,
        50..=54 => Fate::ServerError,
        _ => Fate::Plain,
    }
}

/// A settled purchase and the refund asked of it.
struct Payment {
    merchid: String,
    retref: String,
    order: String,
    amount: i64,
    refund: i64,
}

/// The CardConnect client as the door sees it in one process, which dies at the planned point
/// of a call: its future never ends, and the test drops it (nothing after that point runs).
struct Process<'a> {
    client: &'a CardConnectClient,
    kill: Option<Fate>,
    killed: Notify,
    /// Refunds sent per order ID, over every process.
    sent: &'a Mutex<HashMap<String, usize>>,
}

impl Process<'_> {
    async fn die(&self) -> Outcome {
        self.killed.notify_one();
        std::future::pending().await
    }
}

impl Gateway for Process<'_> {
    fn kind(&self) -> GatewayKind {
        self.client.kind()
    }

    fn connection(&self) -> String {
        self.client.connection()
    }

    async fn send(&self, entry: &Entry) -> Outcome {
        if self.kill == Some(Fate::KilledBeforeSending) {
            return self.die().await;
        }
        *self.sent.lock().unwrap().entry(orderid_of(entry)).or_default() += 1;
        let outcome = self.client.send(entry).await;
        if self.kill == Some(Fate::KilledAfterApproval) {
            assert!(matches!(outcome, Outcome::Succeeded(_)), "{outcome:?}");
            return self.die().await;
        }
        outcome
    }

    async fn settle(&self, entry: &Entry, how: &Settle, age: chrono::TimeDelta) -> (Option<Outcome>, &'static str) {
        self.client.settle(entry, how, age).await
    }
}

fn orderid_of(entry: &Entry) -> String {
    entry.params.iter().find(|(k, _)| k == "orderid").map(|(_, v)| v.clone()).unwrap()
}

struct Run {
    emulator: Emulator,
    client: CardConnectClient,
    path: PathBuf,
    _dir: tempfile::TempDir,
    /// `None` only while the dead process's store is gone and the next one not yet open.
    store: Option<Mutex<Store>>,
    sent: Mutex<HashMap<String, usize>>,
    fates: HashMap<String, Fate>,
    stats: BTreeMap<&'static str, usize>,
    /// The desk's clock.
    now: DateTime<Utc>,
}

impl Run {
    fn store(&self) -> &Mutex<Store> {
        self.store.as_ref().unwrap()
    }

    fn count(&mut self, what: &'static str) {
        *self.stats.entry(what).or_default() += 1;
    }

    fn status(&self, key: &str) -> Status {
        journal::get(self.store().lock().unwrap().conn(), key).unwrap().unwrap().status
    }

    /// Asks for the refund of `payment` under a new key and order ID, meeting `fate`; the key.
    async fn ask(&mut self, payment: &Payment, fate: Fate) -> String {
        let key = money_calls::new_key();
        let orderid = money_calls::orderid_for(&payment.order, &key);
        let call = MoneyCall::cardconnect(
            "refund",
            "refund",
            &payment.merchid,
            &orderid,
            &[("retref", payment.retref.clone()), ("amount", payment.refund.to_string()), ("currency", "usd".into())],
        );
        let inquiry = format!("/cardconnect/rest/inquireByOrderid/{orderid}/");
        match fate {
            Fate::Dropped => self.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some(REFUND_PATH)),
            Fate::DroppedInquiryFails => {
                self.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some(REFUND_PATH));
                for _ in 0..FAST.max_attempts {
                    self.emulator.inject(Fault::ServerError, Some("GET"), Some(&inquiry));
                }
            }
            Fate::ServerError => self.emulator.inject(Fault::ServerError, Some("POST"), Some(REFUND_PATH)),
            _ => {}
        }
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(payment.retref.clone()),
            amount: Some(payment.refund),
            currency: Some("usd".into()),
            summary: format!("Refund of {} cents on {} (CardConnect)", payment.refund, payment.retref),
        };
        let asker = Asker { profile_id: Some(1), profile_name: "Maria".into(), role: "owner".into() };
        let answer = {
            let process = Process {
                client: &self.client,
                kill: fate.kills().then_some(fate),
                killed: Notify::new(),
                sent: &self.sent,
            };
            tokio::select! {
                done = money_calls::submit(self.store(), &process, &call, &key, &asker, &intent, self.now) => Some(done),
                () = process.killed.notified() => None,
            }
        };
        self.fates.insert(key.clone(), fate);
        self.count(match fate {
            Fate::Plain => "plain",
            Fate::Dropped => "answers dropped after approval",
            Fate::DroppedInquiryFails => "answers dropped after approval, first inquiry failed",
            Fate::ServerError => "500s before processing",
            Fate::KilledBeforeSending => "killed after journalling, before sending",
            Fate::KilledAfterApproval => "killed after approval, before recording",
        });
        match (fate, answer) {
            (Fate::Plain, Some(Ok(done))) => assert_eq!(done.value["amount"], payment.refund, "{done:?}"),
            (Fate::Dropped | Fate::DroppedInquiryFails | Fate::ServerError, Some(Err(CallError::Unknown { .. }))) => {
                assert_eq!(self.status(&key), Status::Unknown, "{fate:?}");
            }
            (Fate::KilledBeforeSending | Fate::KilledAfterApproval, None) => self.restart(&key).await,
            (fate, other) => panic!("{fate:?}: {other:?}"),
        }
        key
    }

    /// The next process: the journal opened again from its file, then what is unfinished settled,
    /// as the app does at start.
    async fn restart(&mut self, killed: &str) {
        self.count("restarts");
        self.store = None;
        self.store = Some(Mutex::new(Store::open(&self.path).unwrap()));
        assert_eq!(self.status(killed), Status::Pending, "the killed call is in the journal, unfinished");
        self.settle().await;
    }

    async fn settle(&mut self) {
        self.count("settlings");
        self.now += BETWEEN_SETTLINGS;
        let settled = money_calls::settle(self.store(), &self.client, self.now).await.unwrap();
        for s in settled {
            match s.settled_by {
                Some(by) => {
                    assert_eq!(by, "inquiry", "{} was settled by {by}", s.key);
                    self.count("settled by inquiry");
                }
                None => {
                    assert_eq!(self.fates[&s.key], Fate::DroppedInquiryFails, "{} could not be settled", s.key);
                    assert_eq!(s.status, Status::Unknown);
                    self.count("inquiries that failed (left unknown for the next settling)");
                }
            }
        }
    }
}

async fn purchases(emulator: &Emulator, client: &CardConnectClient) -> Vec<Payment> {
    let merchants: Vec<String> = ["Lakeside Kitchen", "Vine Street Taqueria", "Harbor Oyster Bar", "Dockside Deli"]
        .into_iter()
        .map(|name| emulator.add_merchant(name, "USD"))
        .collect();
    let mut payments = Vec::with_capacity(REFUNDS);
    for p in 0..REFUNDS {
        let merchid = merchants[p % merchants.len()].clone();
        // $20.00 to $519.99: below the UAT's amount-driven declines ($1000–$1999).
        let amount = 2_000 + (p as i64 * 7_919) % 50_000;
        let order = format!("HV-{p}");
        let req = AuthRequest {
            merchid: merchid.clone(),
            account: PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() },
            amount,
            currency: "usd".into(),
            orderid: order.clone(),
            capture: true,
        };
        let tx = client.auth(&req).await.unwrap();
        assert_eq!(tx.amount, amount);
        payments.push(Payment { merchid, retref: tx.reference, order, amount, refund: amount / 2 - (p as i64 % 7) });
    }
    // The nightly batch settles them: only a settled payment is refunded.
    emulator.advance_clock(DAY);
    let state = emulator.state();
    let s = state.lock().unwrap();
    assert!(payments.iter().all(|p| s.txn(&p.retref).unwrap().setl == Setl::Accepted));
    payments
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_cardconnect_refunds_through_lost_answers_and_kills_happen_exactly_once() {
    let seed: u64 =
        std::env::var("MERCHANT_DESK_CARDCONNECT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261201);
    let started = Instant::now();
    let emulator = Emulator::start(Config::with_credentials(USER, PASSWORD)).await.unwrap();
    let credentials = Credentials::new(USER, ApiPassword::new(PASSWORD)).unwrap();
    let client = CardConnectClient::new(&emulator.base_url(), credentials).unwrap().with_policy(FAST);
    let payments = purchases(&emulator, &client).await;
    let set_up = started.elapsed();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite3");
    let store = Some(Mutex::new(Store::open(&path).unwrap()));
    let mut run = Run {
        emulator,
        client,
        path,
        _dir: dir,
        store,
        sent: Mutex::default(),
        fates: HashMap::new(),
        stats: BTreeMap::new(),
        now: Utc::now(),
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut queue: VecDeque<(usize, Fate)> = first_fates(&mut rng).into_iter().enumerate().collect();
    // Asked, outcome not known yet: (payment, key).
    let mut waiting: Vec<(usize, String)> = Vec::new();
    let mut refunded: Vec<Option<String>> = vec![None; REFUNDS];
    let mut asks = 0;
    while !(queue.is_empty() && waiting.is_empty()) {
        assert!(asks < 2 * REFUNDS, "the refunds do not settle: {} waiting", waiting.len());
        if let Some((p, fate)) = queue.pop_front() {
            let key = run.ask(&payments[p], fate).await;
            waiting.push((p, key));
            asks += 1;
        }
        if queue.is_empty() || asks % SETTLE_EVERY == 0 {
            run.settle().await;
        }
        // As a person would: ask again only once the app says it never happened.
        for (p, key) in std::mem::take(&mut waiting) {
            match run.status(&key) {
                Status::Succeeded => refunded[p] = Some(key),
                Status::Failed => {
                    run.count("asked again as a new call");
                    queue.push_back((p, later_fate(&mut rng)));
                }
                Status::Pending | Status::Unknown => waiting.push((p, key)),
                Status::Superseded => panic!("a refund is not a setting"),
            }
        }
    }
    let run_time = started.elapsed();

    // Exactly one refund per payment at the Gateway, of the amount asked, under the order ID of
    // the call the journal says succeeded.
    let state = run.emulator.state();
    let s = state.lock().unwrap();
    assert!(s.faults.planned.is_empty(), "every planned fault met its request: {:?}", s.faults.planned);
    let refunds: Vec<_> = s.txns().filter(|t| t.kind == TxnKind::Refund).collect();
    assert_eq!(refunds.len(), REFUNDS, "refunds at the Gateway");
    let by_parent: HashMap<&str, &cardconnect_emulator::model::Txn> =
        refunds.iter().map(|t| (t.parent.as_deref().unwrap(), *t)).collect();
    assert_eq!(by_parent.len(), REFUNDS, "one refund per payment");
    let store = Store::open(&run.path).unwrap();
    for (p, payment) in payments.iter().enumerate() {
        let refund = by_parent[payment.retref.as_str()];
        let key = refunded[p].as_deref().unwrap();
        let entry = journal::get(store.conn(), key).unwrap().unwrap();
        assert_eq!((refund.amount, refund.merchid.as_str()), (payment.refund, payment.merchid.as_str()));
        assert_eq!(refund.orderid.as_deref(), Some(orderid_of(&entry).as_str()), "{key}");
        let sale = s.txn(&payment.retref).unwrap();
        assert_eq!((sale.refunded, sale.amount), (payment.refund, payment.amount));
    }

    // The journal: every call finished; exactly 500 refunds succeeded; what never happened is
    // failed, and every outcome the answer did not give was learnt by inquiry.
    let (mut succeeded, mut failed) = (0, 0);
    let sent = run.sent.lock().unwrap();
    for (key, fate) in &run.fates {
        let entry = journal::get(store.conn(), key).unwrap().unwrap();
        let orderid = orderid_of(&entry);
        let times_sent = sent.get(&orderid).copied().unwrap_or(0);
        let at_gateway = s.by_orderid(&orderid, None).count();
        match entry.status {
            Status::Succeeded => succeeded += 1,
            Status::Failed => failed += 1,
            other => panic!("{key} ({fate:?}) ended {other:?}"),
        }
        let expected = match fate {
            Fate::Plain => (Status::Succeeded, "answer", 1, 1),
            Fate::Dropped | Fate::DroppedInquiryFails | Fate::KilledAfterApproval => {
                (Status::Succeeded, "inquiry", 1, 1)
            }
            Fate::ServerError => (Status::Failed, "inquiry", 1, 0),
            Fate::KilledBeforeSending => (Status::Failed, "inquiry", 0, 0),
        };
        assert_eq!(
            (entry.status, entry.settled_by.as_deref().unwrap_or("-"), times_sent, at_gateway),
            expected,
            "{key} ({fate:?}): status, settled by, times sent, refunds at the Gateway"
        );
    }
    assert_eq!(succeeded, REFUNDS, "succeeded refund calls in the journal");
    let journalled: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM idempotency_journal WHERE action = 'refund'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journalled as usize, run.fates.len(), "every call asked is journalled, and nothing else");
    assert_eq!(sent.values().sum::<usize>(), run.fates.len() - run.stats["killed after journalling, before sending"]);
    assert!(sent.values().all(|&n| n == 1), "no order ID was sent twice");

    // The audit log: each call requested once and ended once; a dropped answer is "unknown"
    // until the inquiry finds the refund, never "failed".
    let mut trails: HashMap<String, Vec<String>> = HashMap::new();
    for row in audit::all(store.conn()).unwrap().into_iter().filter(|r| r.action == AUDIT_ACTION) {
        trails.entry(row.idempotency_key.unwrap()).or_default().push(row.outcome);
    }
    assert_eq!(trails.len(), run.fates.len());
    for (key, fate) in &run.fates {
        assert_eq!(trails[key], fate.audited(), "{key} ({fate:?})");
    }

    let mut fates: BTreeMap<Fate, usize> = BTreeMap::new();
    for fate in run.fates.values() {
        *fates.entry(*fate).or_default() += 1;
    }
    eprintln!(
        "CardConnect exactly once (seed {seed}): {REFUNDS} refunds asked, {} at the Gateway, {} calls journalled \
         ({succeeded} succeeded, {failed} never happened); set-up {:.1} s, refunds {:.1} s",
        refunds.len(),
        run.fates.len(),
        set_up.as_secs_f64(),
        (run_time - set_up).as_secs_f64()
    );
    for (what, n) in &run.stats {
        eprintln!("  {what}: {n}");
    }
}
