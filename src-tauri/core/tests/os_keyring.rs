//! The real OS keyring (Secret Service). Runs inside the test command's D-Bus session with an
//! unlocked gnome-keyring; without one it fails, which is what a user without a keyring would hit.

use md_core::secrets::{Keyring, SecretStore};

#[test]
fn secret_service_round_trip() {
    let keyring = Keyring::new(format!("merchant-desk-test-{}", std::process::id()));
    let name = "stripe-secret-key";
    keyring.delete(name).expect("a reachable, unlocked keyring");
    assert_eq!(keyring.get(name).unwrap(), None);
    keyring.set(name, "sk_test_51RoundTripRoundTripRoundTrip").unwrap();
    // A second handle sees the same entry: it is stored by the OS, not in this process.
    let other = Keyring::new(keyring.service());
    assert_eq!(other.get(name).unwrap().as_deref(), Some("sk_test_51RoundTripRoundTripRoundTrip"));
    other.delete(name).unwrap();
    assert_eq!(keyring.get(name).unwrap(), None);
}
