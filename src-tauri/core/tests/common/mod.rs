//! What several integration tests share: the demo restaurant group on both emulators, fully
//! synced, with an owner signed in. Each test binary uses a part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use md_core::desk::CardConnectDemo;
use md_core::gateways::cardconnect::{ApiPassword, CardConnectClient, Credentials};
use md_core::gateways::stripe::retry::Policy;
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::store::Store;
use md_core::{Desk, DeskConfig};

pub struct DemoGroup {
    pub dir: tempfile::TempDir,
    /// Kept running for as long as the desk talks to it.
    pub _stripe: stripe_emulator::Emulator,
    pub cardconnect: cardconnect_emulator::Emulator,
    pub desk: Desk,
}

/// Both demo emulators and a desk in demo mode that has synced them, Maria (owner) signed in.
pub async fn demo_group() -> DemoGroup {
    demo_group_notifying(Arc::new(md_core::desk::LogNotifier)).await
}

/// [`demo_group`] whose desktop notifications go to `notifier`.
pub async fn demo_group_notifying(notifier: Arc<dyn md_core::desk::Notifier>) -> DemoGroup {
    demo_group_set_up(notifier, "Maria", Role::Owner, "4821").await
}

/// [`demo_group`] set up first by a platform admin, Ada (PIN 1593), who may then add an owner.
pub async fn demo_group_of_admin() -> DemoGroup {
    demo_group_set_up(Arc::new(md_core::desk::LogNotifier), "Ada", Role::PlatformAdmin, "1593").await
}

async fn demo_group_set_up(notifier: Arc<dyn md_core::desk::Notifier>, name: &str, role: Role, pin: &str) -> DemoGroup {
    let dir = tempfile::tempdir().unwrap();
    let stripe = stripe_emulator::Emulator::start(stripe_emulator::Config::demo()).await.unwrap();
    let cardconnect = cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::demo()).await.unwrap();
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        stripe.base_url(),
        stripe_emulator::DEMO_API_KEY.to_string(),
    );
    config.retry = Policy { max_attempts: 6, base: Duration::from_millis(2), max_delay: Duration::from_millis(20) };
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    config.cardconnect_demo = Some(CardConnectDemo::new(
        cardconnect.base_url(),
        cardconnect_emulator::DEMO_SITE,
        cardconnect_emulator::DEMO_API_USER,
        cardconnect_emulator::DEMO_API_PASSWORD,
        &cardconnect_emulator::seed::demo_restaurants(),
    ));
    config.notifier = notifier;
    let desk = Desk::open(config).unwrap();
    desk.setup_first_profile(name, role, pin).unwrap();
    desk.refresh_overview().await.unwrap();
    let status = desk.sync_run(true).await.unwrap();
    assert_eq!(status.last_error, None);
    DemoGroup { dir, _stripe: stripe, cardconnect, desk }
}

impl DemoGroup {
    /// A client of the demo CardConnect site, to check what CardPointe holds.
    pub fn cardconnect_client(&self) -> CardConnectClient {
        let password = ApiPassword::new(cardconnect_emulator::DEMO_API_PASSWORD);
        let credentials = Credentials::new(cardconnect_emulator::DEMO_API_USER, password).unwrap();
        CardConnectClient::new(&self.cardconnect.base_url(), credentials).unwrap()
    }

    /// The desk's database, opened beside it.
    pub fn store(&self) -> Store {
        Store::open(&self.dir.path().join(md_core::desk::DATABASE_FILE)).unwrap()
    }
}

/// A notifier that keeps what it was asked to show, for tests of desktop notifications.
#[derive(Default)]
pub struct Counting(pub std::sync::Mutex<Vec<(String, String)>>);

impl md_core::desk::Notifier for Counting {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        self.0.lock().unwrap().push((title.into(), body.into()));
        Ok(())
    }
}
