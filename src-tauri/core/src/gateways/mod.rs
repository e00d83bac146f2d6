//! The payment gateways Merchant Desk talks to, each in its own folder, and what they share: one
//! neutral transaction shape ([`transaction`]), one way a money call ends ([`outcome`]), one way an
//! unknown outcome is settled ([`settle`]), one way a request is tried again ([`retry`]), and the
//! [`Gateway`] trait the door sends through.

pub mod cardconnect;
pub mod outcome;
pub mod retry;
pub mod settle;
pub mod stripe;
pub mod transaction;

use std::future::Future;
use std::time::Duration;

pub use outcome::{Approved, GatewayError, Outcome, Refusal};
pub use settle::{Found, Settle};
pub use transaction::{GatewayKind, Transaction, TxStatus, TxType};

use crate::store::journal::Entry;

/// What the one door needs of a gateway: where calls go, how one is sent, and how a call with no
/// definite answer is settled without acting twice. Stripe resends with the idempotency key
/// within 23 hours and looks the object up after; CardConnect, which has no keys, inquires by the
/// call's order ID before anything is sent again.
pub trait Gateway: Sync {
    fn kind(&self) -> GatewayKind;

    /// Which endpoint and identity calls go to, as the journal names it (never a secret): an
    /// unfinished call is settled only through the connection that made it.
    fn connection(&self) -> String;

    /// Sends a journalled call (the client's own safe retries aside) and sorts the answer.
    fn send(&self, entry: &Entry) -> impl Future<Output = Outcome> + Send;

    /// Settles an unfinished call journalled `age` ago: what is now known (`None`: nothing new),
    /// and how it was learnt (`retry`, `lookup`, `inquiry`).
    fn settle(
        &self,
        entry: &Entry,
        how: &Settle,
        age: chrono::TimeDelta,
    ) -> impl Future<Output = (Option<Outcome>, &'static str)> + Send;
}

/// The HTTP client both gateway clients send through. Redirects are not followed (they could
/// carry credentials elsewhere); TLS 1.2 or newer; an answer may take a minute, since CardPointe
/// itself waits 32 seconds for a processor before answering "Timed out".
pub(crate) fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .min_tls_version(reqwest::tls::Version::TLS_1_2)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("MerchantDesk/", env!("CARGO_PKG_VERSION")))
        .build()
}
