//! A live key goes to https://api.stripe.com and nowhere else: checked wherever a client is made,
//! so a stored live key with `MERCHANT_DESK_STRIPE_API_BASE` (or a stored base URL) pointing
//! elsewhere is refused at start-up with a clear message, and a listener there sees nothing.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use md_core::gateways::stripe::{BadUrl, StripeClient, StripeError};
use md_core::keys::ApiKey;
use md_core::secrets::{MemorySecrets, SecretStore, STRIPE_KEY};
use md_core::views::ConnectionMode;
use md_core::{Desk, DeskConfig};

const LIVE: &str = "sk_live_51LiveLiveLiveLiveLiveLiveLive0000";

/// A TCP listener on this machine that counts the connections it is offered.
pub struct Recorder {
    pub base_url: String,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    pub fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let (connections, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (count, halt) = (connections.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !halt.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok(_) => {
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                    Err(_) => break,
                }
            }
        });
        Recorder { base_url, connections, stop, thread: Some(thread) }
    }

    /// Stops listening and says how many connections came.
    pub fn finish(mut self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
        self.connections.load(Ordering::SeqCst)
    }
}

#[test]
fn a_client_for_a_live_key_is_made_only_for_stripe() {
    let live = ApiKey::parse(LIVE).unwrap();
    for elsewhere in [
        "http://127.0.0.1:12111",
        "https://api.stripe.com.example.net",
        "https://example.net",
        "https://api.stripe.com:8443",
    ] {
        let Err(err) = StripeClient::new(elsewhere, live.clone()) else {
            panic!("a client for a live key at {elsewhere}")
        };
        assert!(matches!(err, StripeError::BadBaseUrl(BadUrl::LiveKeyOffStripe)), "{elsewhere}: {err}");
        assert!(err.to_string().contains("only ever sent to https://api.stripe.com"), "{err}");
    }
    assert!(StripeClient::new("https://api.stripe.com", live).is_ok());
    // Test keys may go to an emulator on this machine.
    assert!(StripeClient::new("http://127.0.0.1:12111", ApiKey::parse("sk_test_51TestTestTestTest00").unwrap()).is_ok());
}

#[tokio::test]
async fn a_stored_live_key_pointed_elsewhere_is_refused_at_start_and_nothing_is_sent() {
    let recorder = Recorder::start();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    secrets.set(STRIPE_KEY, LIVE).unwrap();
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        secrets,
        recorder.base_url.clone(),
        stripe_emulator::DEMO_API_KEY.into(),
    );
    config.api_base_override = Some(recorder.base_url.clone());
    let desk = Desk::open(config).unwrap();
    let connection = desk.session().unwrap().connection;
    assert_eq!(connection.mode, ConnectionMode::Demo, "the live key is not used");
    let problem = connection.keyring_problem.unwrap_or_default();
    assert!(problem.contains("live key is only ever sent to https://api.stripe.com"), "{problem}");
    // Settling unfinished calls at start talks to nobody: demo mode has its own journal connection.
    let _ = desk.settle_unfinished().await;
    drop(desk);
    assert_eq!(recorder.finish(), 0, "nothing reached the other address");
}

/// A redirect is never followed: it could carry the key's request to another address.
#[tokio::test]
async fn a_redirect_is_not_followed() {
    let elsewhere = Recorder::start();
    let redirector = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", redirector.local_addr().unwrap());
    let target = format!("{}/v1/balance", elsewhere.base_url);
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        // Answers every attempt of the client's retries, then stops when the test drops it.
        redirector.set_nonblocking(false).unwrap();
        for stream in redirector.incoming().take(1) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let answer =
                format!("HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    let key = ApiKey::parse("sk_test_51TestTestTestTest00").unwrap();
    let client = StripeClient::new(&base, key)
        .unwrap()
        .with_policy(md_core::gateways::stripe::retry::Policy { max_attempts: 1, ..Default::default() });
    let answer = client.get::<serde_json::Value>("/v1/balance", &[], None).await;
    assert!(answer.is_err(), "a 302 is not Stripe's answer");
    server.join().unwrap();
    assert_eq!(elsewhere.finish(), 0, "the redirect was not followed");
}
