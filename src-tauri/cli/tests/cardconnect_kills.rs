//! CardConnect refunds survive the command line being killed between journalling a call and
//! recording its answer. Refunds asked with `merchant-desk-cli refund` (credentials from the
//! keyring, through the desk) go through a loopback proxy in front of the CardPointe emulator that
//! stops a refund at a planned point, and the process is SIGKILLed there: after the call was
//! journalled but before the request reached CardPointe, or after CardPointe approved it but
//! before the answer arrived; some answers are dropped instead. The next run (and the app, started
//! ten minutes later) settles the killed call by inquiring by its order ID — CardPointe has no
//! idempotency keys: nothing is sent again — and a refund that never happened is asked again as a
//! new call, with an order ID of its own. Afterwards CardPointe holds exactly one refund per
//! payment, and each call is audited once as requested and once with its outcome ("unknown" on
//! the way for a dropped answer, never "failed" for a refund that exists).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use cardconnect_emulator::model::TxnKind;
use md_core::clock::ManualClock;
use md_core::gateways::cardconnect::{ApiPassword, AuthRequest, CardConnectClient, Credentials, PaymentAccount};
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::Keyring;
use md_core::store::journal::{self, Entry, Status};
use md_core::store::{audit, Store};
use md_core::views::{CardConnectForm, MerchantEntry};
use md_core::{Desk, DeskConfig};

const STRIPE_KEY: &str = "sk_test_51KilledCardConnectKilled000";
const USER: &str = "harbor_api";
const PASSWORD: &str = "emulator-only-password";
const PAYMENTS: usize = 12;
/// Each refund is a fiftieth of its payment: a refund sent twice would be approved and counted.
const PAYMENT: i64 = 5_000;
const REFUND: i64 = 100;
const DAY: Duration = Duration::from_secs(86_400);

/// What happens to one run of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Plan {
    Answered,
    /// CardPointe made the refund and dropped the connection: the run ends with "unknown".
    Dropped,
    /// Killed once the refund was journalled and its request held before CardPointe.
    KilledBeforeGateway,
    /// Killed once CardPointe approved the refund and its answer was held on the way back.
    KilledAfterApproval,
}

impl Plan {
    fn audited(self) -> &'static [&'static str] {
        match self {
            Plan::Answered | Plan::KilledAfterApproval => &["requested", "succeeded"],
            Plan::Dropped => &["requested", "unknown", "succeeded"],
            Plan::KilledBeforeGateway => &["requested", "failed"],
        }
    }
}

/// Where the proxy stops the next refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    Nothing,
    Request,
    Answer,
}

/// A loopback TCP proxy in front of CardPointe that can hold a refund's request, or its answer,
/// and says when it did. Plain threads: it must not depend on the test's runtime.
struct Proxy {
    url: String,
    hold: Arc<Mutex<Hold>>,
    held: mpsc::Receiver<Hold>,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hold = Arc::new(Mutex::new(Hold::Nothing));
        let (tell, held) = mpsc::channel();
        let mode = hold.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if let Ok(server) = TcpStream::connect(upstream) {
                    relay(client, server, mode.clone(), tell.clone());
                }
            }
        });
        Proxy { url, hold, held }
    }

    fn set(&self, hold: Hold) {
        *self.hold.lock().unwrap() = hold;
    }
}

const REFUND_LINE: &[u8] = b"POST /cardconnect/rest/refund ";

/// Copies both ways. HTTP/1.1 answers requests on a connection in order, so once a refund's
/// request went up a connection, the next bytes down it are that refund's answer.
fn relay(client: TcpStream, server: TcpStream, mode: Arc<Mutex<Hold>>, tell: mpsc::Sender<Hold>) {
    let refund_sent = Arc::new(AtomicBool::new(false));
    let (mut from, mut to) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let (sent, tell_up) = (refund_sent.clone(), tell.clone());
    std::thread::spawn(move || {
        let (mut buf, mut tail, mut holding) = (vec![0u8; 16 * 1024], Vec::new(), false);
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if !holding {
                tail.extend_from_slice(&buf[..n]);
                if tail.windows(REFUND_LINE.len()).any(|w| w == REFUND_LINE) {
                    tail.clear();
                    match *mode.lock().unwrap() {
                        Hold::Request => {
                            holding = true;
                            let _ = tell_up.send(Hold::Request);
                        }
                        Hold::Answer => sent.store(true, Ordering::SeqCst),
                        Hold::Nothing => {}
                    }
                }
                let keep = tail.len().saturating_sub(REFUND_LINE.len());
                tail.drain(..keep);
            }
            if !holding && to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
    let (mut from, mut to) = (server, client);
    std::thread::spawn(move || {
        let (mut buf, mut holding) = (vec![0u8; 16 * 1024], false);
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if !holding && refund_sent.load(Ordering::SeqCst) {
                holding = true;
                let _ = tell.send(Hold::Answer);
            }
            if !holding && to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

struct Payment {
    merchid: String,
    retref: String,
}

struct World {
    _stripe: stripe_emulator::Emulator,
    cardconnect: cardconnect_emulator::Emulator,
    proxy: Proxy,
    stripe_base: String,
    service: String,
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
}

impl World {
    fn cli(&self, payment: &Payment) -> Child {
        Command::new(env!("CARGO_BIN_EXE_merchant-desk-cli"))
            .args(["refund", "--account", &payment.merchid, "--payment", &payment.retref])
            .args(["--amount", &REFUND.to_string()])
            // No MERCHANT_DESK_STRIPE_KEY: both gateways' credentials come from the keyring.
            .env_remove("MERCHANT_DESK_STRIPE_KEY")
            .env("MERCHANT_DESK_STRIPE_API_BASE", &self.stripe_base)
            .env("MERCHANT_DESK_CARDCONNECT_API_BASE", &self.proxy.url)
            .env("MERCHANT_DESK_DATA_DIR", &self.data)
            .env("MERCHANT_DESK_KEYRING_SERVICE", &self.service)
            .env("MERCHANT_DESK_PROFILE", "Ada")
            .env("MERCHANT_DESK_PIN", "2468")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn entries(&self) -> HashMap<String, Entry> {
        let store = Store::open(&self.data.join(md_core::desk::DATABASE_FILE)).unwrap();
        let keys: Vec<String> = {
            let mut stmt = store.conn().prepare("SELECT key FROM idempotency_journal").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
        };
        keys.into_iter().map(|k| (k.clone(), journal::get(store.conn(), &k).unwrap().unwrap())).collect()
    }

    /// The desk opened ten minutes later (the app, or the next run) settles what is unfinished.
    async fn settle_later(&self) {
        let clock = Arc::new(ManualClock::default());
        clock.advance(chrono::Duration::minutes(10));
        let secrets = Arc::new(Keyring::new(self.service.clone()));
        let mut config = DeskConfig::new(
            self.data.clone(),
            secrets,
            "http://127.0.0.1:9".into(),
            stripe_emulator::DEMO_API_KEY.into(),
        );
        config.clock = clock;
        config.api_base_override = Some(self.stripe_base.clone());
        config.cardconnect_base_override = Some(self.proxy.url.clone());
        Desk::open(config).unwrap().settle_unfinished().await.unwrap();
    }

    /// CardPointe's records of `orderid`.
    fn at_gateway(&self, orderid: &str) -> usize {
        self.cardconnect.state().lock().unwrap().by_orderid(orderid, None).count()
    }

    /// Runs the command line for `payment` as `plan` says; the key of the call it journalled.
    fn run(&self, payment: &Payment, plan: Plan, known: &HashSet<String>) -> String {
        let hold = match plan {
            Plan::KilledBeforeGateway => Hold::Request,
            Plan::KilledAfterApproval => Hold::Answer,
            Plan::Answered | Plan::Dropped => Hold::Nothing,
        };
        self.proxy.set(hold);
        if plan == Plan::Dropped {
            self.cardconnect.inject(
                cardconnect_emulator::Fault::DropAfterProcessing,
                Some("POST"),
                Some("/cardconnect/rest/refund"),
            );
        }
        let mut child = self.cli(payment);
        if hold == Hold::Nothing {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            match plan {
                Plan::Answered => assert!(out.status.success(), "{stderr}"),
                _ => {
                    assert_eq!(out.status.code(), Some(1), "{stderr}");
                    assert!(stderr.contains("No definite answer"), "{stderr}");
                }
            }
        } else {
            let start = Instant::now();
            loop {
                match self.proxy.held.recv_timeout(Duration::from_millis(20)) {
                    Ok(held) => {
                        assert_eq!(held, hold);
                        break;
                    }
                    Err(_) => {
                        if let Some(status) = child.try_wait().unwrap() {
                            let mut stderr = String::new();
                            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
                            panic!("{plan:?}: the command line ended ({status}) before the refund was held: {stderr}");
                        }
                        assert!(start.elapsed() < Duration::from_secs(60), "{plan:?}: nothing held in 60 s");
                    }
                }
            }
            child.kill().unwrap();
            child.wait().unwrap();
        }
        self.proxy.set(Hold::Nothing);
        let mut new: Vec<(String, Entry)> = self.entries().into_iter().filter(|(k, _)| !known.contains(k)).collect();
        assert_eq!(new.len(), 1, "{plan:?}: one call journalled per run");
        let (key, entry) = new.remove(0);
        assert_eq!(entry.target.as_deref(), Some(payment.retref.as_str()));
        let orderid = orderid_of(&entry);
        match plan {
            Plan::Answered => assert_eq!(entry.status, Status::Succeeded),
            Plan::Dropped => assert_eq!(entry.status, Status::Unknown),
            // Killed between journal and answer: journalled, nothing recorded.
            Plan::KilledBeforeGateway => assert_eq!((entry.status, self.at_gateway(&orderid)), (Status::Pending, 0)),
            Plan::KilledAfterApproval => assert_eq!((entry.status, self.at_gateway(&orderid)), (Status::Pending, 1)),
        }
        key
    }
}

fn orderid_of(entry: &Entry) -> String {
    entry.params.iter().find(|(k, _)| k == "orderid").map(|(_, v)| v.clone()).unwrap()
}

/// The profile, the Stripe key and the CardConnect site, set up as the app does it (keyring).
async fn set_up(data: &Path, service: &str, stripe_base: &str, cardconnect_base: &str, merchids: &[String]) {
    let secrets = Arc::new(Keyring::new(service.to_string()));
    let mut config =
        DeskConfig::new(data.to_path_buf(), secrets, "http://127.0.0.1:9".into(), stripe_emulator::DEMO_API_KEY.into());
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    config.api_base_override = Some(stripe_base.to_string());
    config.cardconnect_base_override = Some(cardconnect_base.to_string());
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile("Ada", Role::PlatformAdmin, "2468").unwrap();
    desk.connect(STRIPE_KEY, None).await.unwrap();
    let merchants = merchids
        .iter()
        .enumerate()
        .map(|(i, m)| MerchantEntry { merchid: m.clone(), name: format!("Harbor & Vine {}", i + 1), currency: None })
        .collect();
    let form = CardConnectForm {
        site: cardconnect_emulator::DEMO_SITE.into(),
        api_user: USER.into(),
        password: PASSWORD.into(),
        merchants,
    };
    desk.connect_cardconnect(&form).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cardconnect_refunds_from_a_command_line_killed_between_journal_and_answer_happen_once() {
    let started = Instant::now();
    let stripe = stripe_emulator::Emulator::start(stripe_emulator::Config::with_key(STRIPE_KEY)).await.unwrap();
    let cardconnect =
        cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::with_credentials(USER, PASSWORD))
            .await
            .unwrap();
    // A restaurant per payment: a call left unfinished blocks only its own restaurant's refunds.
    let merchids: Vec<String> =
        (0..PAYMENTS).map(|p| cardconnect.add_merchant(&format!("Harbor & Vine {}", p + 1), "USD")).collect();
    let direct =
        CardConnectClient::new(&cardconnect.base_url(), Credentials::new(USER, ApiPassword::new(PASSWORD)).unwrap())
            .unwrap();
    let mut payments = Vec::new();
    for (p, merchid) in merchids.iter().enumerate() {
        let req = AuthRequest {
            merchid: merchid.clone(),
            account: PaymentAccount::Card { number: "4111111111111111".into(), expiry: "1229".into() },
            amount: PAYMENT,
            currency: "usd".into(),
            orderid: format!("HV-K{p}"),
            capture: true,
        };
        payments.push(Payment { merchid: merchid.clone(), retref: direct.auth(&req).await.unwrap().reference });
    }
    // Tonight's batch settles them: a settled payment is refunded, not voided.
    cardconnect.advance_clock(DAY);

    let proxy = Proxy::start(cardconnect.addr());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let port = cardconnect.addr().port();
    let service = format!("merchant-desk-cli-cardconnect-kills-{}-{port}", std::process::id());
    set_up(&data, &service, &stripe.base_url(), &proxy.url, &merchids).await;
    let world = World { stripe_base: stripe.base_url(), _stripe: stripe, cardconnect, proxy, service, _dir: dir, data };

    // Every refund asked once, as planned: both kills and dropped answers. Each run first settles
    // what the runs before it left, as the app does at start.
    let plans = [
        Plan::KilledAfterApproval,
        Plan::KilledBeforeGateway,
        Plan::Answered,
        Plan::Dropped,
        Plan::KilledBeforeGateway,
        Plan::KilledAfterApproval,
        Plan::Dropped,
        Plan::KilledAfterApproval,
        Plan::Answered,
        Plan::KilledBeforeGateway,
        Plan::KilledAfterApproval,
        Plan::Answered,
    ];
    assert_eq!(plans.len(), PAYMENTS);
    let mut calls: HashMap<String, Plan> = HashMap::new();
    tokio::task::block_in_place(|| {
        for (payment, plan) in payments.iter().zip(plans) {
            let known: HashSet<String> = calls.keys().cloned().collect();
            calls.insert(world.run(payment, plan, &known), plan);
        }
    });
    // The app, started ten minutes later, settles what the last runs left.
    world.settle_later().await;
    // As a person would: ask again for each refund the app says never happened.
    let asked_again = tokio::task::block_in_place(|| {
        let entries = world.entries();
        let mut asked_again = 0;
        for payment in &payments {
            let mine: Vec<&Entry> =
                entries.values().filter(|e| e.target.as_deref() == Some(payment.retref.as_str())).collect();
            assert!(mine.iter().all(|e| !e.status.is_unfinished()), "left unsettled: {mine:?}");
            if !mine.iter().any(|e| e.status == Status::Succeeded) {
                let known: HashSet<String> = calls.keys().cloned().collect();
                calls.insert(world.run(payment, Plan::Answered, &known), Plan::Answered);
                asked_again += 1;
            }
        }
        asked_again
    });

    // Exactly one refund per payment at CardPointe, under the order ID of the call that succeeded.
    let entries = world.entries();
    {
        let state = world.cardconnect.state();
        let s = state.lock().unwrap();
        let refunds: Vec<_> = s.txns().filter(|t| t.kind == TxnKind::Refund).collect();
        assert_eq!(refunds.len(), PAYMENTS, "refunds at CardPointe");
        for (p, payment) in payments.iter().enumerate() {
            let mine: Vec<_> =
                refunds.iter().filter(|t| t.parent.as_deref() == Some(payment.retref.as_str())).collect();
            assert_eq!(mine.len(), 1, "payment {p}");
            let succeeded: Vec<&Entry> = entries
                .values()
                .filter(|e| e.target.as_deref() == Some(payment.retref.as_str()) && e.status == Status::Succeeded)
                .collect();
            assert_eq!(succeeded.len(), 1, "payment {p}: one call succeeded");
            assert_eq!((mine[0].amount, mine[0].orderid.clone()), (REFUND, Some(orderid_of(succeeded[0]))));
            assert_eq!(s.txn(&payment.retref).unwrap().refunded, REFUND);
        }
    }
    // Every call finished: what the answer did not say was learnt by inquiry, never by resending.
    for (key, plan) in &calls {
        let e = &entries[key];
        let at_gateway = world.at_gateway(&orderid_of(e));
        let expected = match plan {
            Plan::Answered => (Status::Succeeded, "answer", 1),
            Plan::Dropped | Plan::KilledAfterApproval => (Status::Succeeded, "inquiry", 1),
            Plan::KilledBeforeGateway => (Status::Failed, "inquiry", 0),
        };
        assert_eq!((e.status, e.settled_by.as_deref().unwrap_or("-"), at_gateway), expected, "{key} ({plan:?})");
        assert_eq!(e.asker.profile_name, "Ada");
    }
    assert_eq!(entries.len(), calls.len(), "one journalled call per run");
    let store = Store::open(&world.data.join(md_core::desk::DATABASE_FILE)).unwrap();
    let mut trails: HashMap<String, Vec<String>> = HashMap::new();
    for row in audit::all(store.conn()).unwrap().into_iter().filter(|r| r.action == "refunds.create") {
        trails.entry(row.idempotency_key.unwrap()).or_default().push(row.outcome);
    }
    for (key, plan) in &calls {
        assert_eq!(trails[key], plan.audited(), "{key} ({plan:?})");
    }
    let count = |wanted: Plan| calls.values().filter(|p| **p == wanted).count();
    eprintln!(
        "killed CardConnect command line: {PAYMENTS} refunds, {} runs ({} killed before CardPointe, {} killed after \
         approval, {} dropped answers, {} answered, of which {asked_again} asked again), {:.1} s",
        calls.len(),
        count(Plan::KilledBeforeGateway),
        count(Plan::KilledAfterApproval),
        count(Plan::Dropped),
        count(Plan::Answered),
        started.elapsed().as_secs_f64()
    );
}
