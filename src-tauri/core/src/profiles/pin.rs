//! PIN hashes: Argon2id with a pepper from the OS keyring.
//!
//! A PIN has only 10^4 to 10^8 possible values, so a salted hash alone cannot stop someone who
//! copied the database from trying them all. Two things make that slow or impossible:
//! - the cost of one guess ([`PinCost::STRONG`]: 64 MiB of memory, three passes), and
//! - a random 32-byte pepper kept in the OS keyring, never in SQLite, mixed in as Argon2's secret
//!   key. Without the keyring, the database alone does not allow a single useful guess.
//!
//! A hash made with the pepper carries the pepper's 8-byte ID as the PHC `keyid` parameter, so a
//! hash from before the pepper (no `keyid`) still verifies, and is re-hashed at the next sign-in;
//! and a pepper that was lost or replaced is reported as such rather than as a wrong PIN.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, KeyId, Params, ParamsBuilder, Version};

use crate::store::StoreError;

/// The Argon2id cost of one PIN guess. Stored hashes carry their own cost, so changing it only
/// affects new hashes (and weaker ones are re-hashed at the next sign-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinCost {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over the memory.
    pub t: u32,
    /// Lanes. The argon2 crate computes them one after the other, so more lanes only add time.
    pub p: u32,
}

impl PinCost {
    /// What the app uses: 64 MiB and three passes, 0.16–0.19 s per guess on one core of the 2-core
    /// development machine in release (`pin_cost_bench`), so a sign-in stays well under half a
    /// second even on a slower PC; the memory keeps GPUs from running many guesses at once.
    /// 128 MiB would double the cost of a guess but took up to 0.56 s under load.
    pub const STRONG: PinCost = PinCost { m_kib: 64 * 1024, t: 3, p: 1 };
    /// Only for tests, whose debug builds sign in hundreds of times. Never use it in the app: a
    /// desk with the strong cost re-hashes such PINs at the next sign-in anyway.
    pub const FAST_FOR_TESTS: PinCost = PinCost { m_kib: 256, t: 1, p: 1 };

    fn params(self, keyid: &[u8]) -> Result<Params, StoreError> {
        let keyid = KeyId::new(keyid).map_err(|e| StoreError::Corrupt(format!("PIN key ID: {e}")))?;
        ParamsBuilder::new()
            .m_cost(self.m_kib)
            .t_cost(self.t)
            .p_cost(self.p)
            .keyid(keyid)
            .build()
            .map_err(|e| StoreError::Corrupt(format!("PIN hash parameters: {e}")))
    }
}

impl Default for PinCost {
    fn default() -> Self {
        Self::STRONG
    }
}

/// Stored hashes asking for more than this are refused rather than computed: a tampered database
/// must not make one sign-in allocate gigabytes or run for minutes.
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T: u32 = 32;

/// The secret mixed into every PIN hash, as kept in the keyring.
#[derive(Clone, PartialEq, Eq)]
pub struct Pepper {
    id: [u8; 8],
    key: [u8; 32],
}

impl std::fmt::Debug for Pepper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pepper").field("id", &hex(&self.id)).field("key", &"<redacted>").finish()
    }
}

/// Version tag of the keyring text, so the format can change later.
const PEPPER_FORMAT: &str = "v1";

impl Pepper {
    /// A new random pepper (and ID) from the OS's random source.
    pub fn generate() -> Self {
        let mut pepper = Self { id: [0; 8], key: [0; 32] };
        OsRng.fill_bytes(&mut pepper.id);
        OsRng.fill_bytes(&mut pepper.key);
        pepper
    }

    /// The keyring text: `v1.<id hex>.<key hex>`.
    pub fn to_secret(&self) -> String {
        format!("{PEPPER_FORMAT}.{}.{}", hex(&self.id), hex(&self.key))
    }

    /// Reads the keyring text; `None` when it is not what [`Pepper::to_secret`] writes.
    pub fn from_secret(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('.');
        let (Some(PEPPER_FORMAT), Some(id), Some(key), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(Self { id: unhex(id)?, key: unhex(key)? })
    }

    pub fn id(&self) -> [u8; 8] {
        self.id
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn hasher(pepper: &Pepper) -> Result<Argon2<'_>, StoreError> {
    Argon2::new_with_secret(&pepper.key, Algorithm::Argon2id, Version::V0x13, Params::default())
        .map_err(|e| StoreError::Corrupt(format!("PIN pepper: {e}")))
}

/// Hashes a PIN (already checked for shape) with a fresh salt, `cost` and `pepper`.
pub fn hash(pin: &str, cost: PinCost, pepper: &Pepper) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    let params = cost.params(&pepper.id)?;
    let argon = Argon2::new_with_secret(&pepper.key, Algorithm::Argon2id, Version::V0x13, params)
        .map_err(|e| StoreError::Corrupt(format!("PIN pepper: {e}")))?;
    argon
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("cannot hash PIN: {e}")))
}

/// What checking a PIN against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The PIN is right; `rehash` when the hash lacks the pepper or is cheaper than `cost`.
    Match { rehash: bool },
    /// The PIN is wrong (or the stored hash is unreadable, which must not let anyone in).
    Mismatch,
    /// The hash was made with a pepper that is not available (keyring locked, entry lost or
    /// replaced), so the PIN cannot be checked at all.
    PepperMissing,
}

/// Checks `pin` against `stored` (a PHC string), with the parameters stored in it.
pub fn verify(pin: &str, stored: &str, cost: PinCost, pepper: Option<&Pepper>) -> Verdict {
    let Ok(parsed) = PasswordHash::new(stored) else { return Verdict::Mismatch };
    let Ok(params) = Params::try_from(&parsed) else { return Verdict::Mismatch };
    if params.m_cost() > MAX_M_KIB || params.t_cost() > MAX_T {
        tracing::warn!("a stored PIN hash asks for an unreasonable cost; refused");
        return Verdict::Mismatch;
    }
    let peppered = !params.keyid().is_empty();
    let result = if peppered {
        match pepper.filter(|p| p.id.as_slice() == params.keyid()) {
            Some(p) => match hasher(p) {
                Ok(argon) => argon.verify_password(pin.as_bytes(), &parsed),
                Err(_) => return Verdict::Mismatch,
            },
            None => return Verdict::PepperMissing,
        }
    } else {
        Argon2::default().verify_password(pin.as_bytes(), &parsed)
    };
    if result.is_err() {
        return Verdict::Mismatch;
    }
    let weaker = parsed.algorithm.as_str() != "argon2id"
        || parsed.version != Some(Version::V0x13.into())
        || params.m_cost() < cost.m_kib
        || params.t_cost() < cost.t;
    Verdict::Match { rehash: !peppered || weaker }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pepper_is_needed_and_recorded() {
        let pepper = Pepper::generate();
        let stored = hash("4821", PinCost::FAST_FOR_TESTS, &pepper).unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=256,t=1,p=1,keyid="), "{stored}");
        let cost = PinCost::FAST_FOR_TESTS;
        assert_eq!(verify("4821", &stored, cost, Some(&pepper)), Verdict::Match { rehash: false });
        assert_eq!(verify("4822", &stored, cost, Some(&pepper)), Verdict::Mismatch);
        assert_eq!(verify("4821", &stored, cost, None), Verdict::PepperMissing);
        assert_eq!(verify("4821", &stored, cost, Some(&Pepper::generate())), Verdict::PepperMissing);
        // The same ID with another key (a tampered keyring) is simply wrong.
        let forged = Pepper { id: pepper.id, key: [7; 32] };
        assert_eq!(verify("4821", &stored, cost, Some(&forged)), Verdict::Mismatch);
        // A stronger desk re-hashes a cheap hash at the next sign-in.
        let stronger = PinCost { m_kib: 512, ..cost };
        assert_eq!(verify("4821", &stored, stronger, Some(&pepper)), Verdict::Match { rehash: true });
        assert_eq!(verify("4821", "not a hash", cost, Some(&pepper)), Verdict::Mismatch);
    }

    #[test]
    fn hashes_from_before_the_pepper_still_verify_and_ask_for_a_rehash() {
        let salt = SaltString::generate(&mut OsRng);
        let legacy = Argon2::default().hash_password(b"4821", &salt).unwrap().to_string();
        let cost = PinCost::FAST_FOR_TESTS;
        assert_eq!(verify("4821", &legacy, cost, None), Verdict::Match { rehash: true });
        assert_eq!(verify("4821", &legacy, cost, Some(&Pepper::generate())), Verdict::Match { rehash: true });
        assert_eq!(verify("1111", &legacy, cost, None), Verdict::Mismatch);
    }

    #[test]
    fn the_pepper_round_trips_through_the_keyring_text_and_never_prints() {
        let pepper = Pepper::generate();
        let text = pepper.to_secret();
        assert_eq!(Pepper::from_secret(&text), Some(pepper.clone()));
        assert!(!format!("{pepper:?}").contains(&hex(&pepper.key)));
        for bad in ["", "v1", "v2.0011223344556677.00", &text.replace("v1.", "v2."), &format!("{text}.x")] {
            assert_eq!(Pepper::from_secret(bad), None, "{bad}");
        }
    }

    #[test]
    fn absurd_stored_costs_are_refused_without_computing() {
        let absurd =
            "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assert_eq!(verify("4821", absurd, PinCost::FAST_FOR_TESTS, None), Verdict::Mismatch);
    }

    /// Time per guess at [`PinCost::STRONG`], and what trying every PIN costs on one core.
    /// `cargo test --release -p md-core --lib pin_cost_bench -- --ignored --nocapture`
    #[test]
    #[ignore = "a benchmark: run in release"]
    fn pin_cost_bench() {
        let pepper = Pepper::generate();
        let costs = [
            ("argon2 0.5 default, the old PINs (m=19 MiB, t=2)", PinCost { m_kib: 19 * 1024, t: 2, p: 1 }),
            ("m=64 MiB, t=2", PinCost { m_kib: 64 * 1024, t: 2, p: 1 }),
            ("STRONG", PinCost::STRONG),
            ("m=64 MiB, t=4", PinCost { m_kib: 64 * 1024, t: 4, p: 1 }),
            ("m=128 MiB, t=2", PinCost { m_kib: 128 * 1024, t: 2, p: 1 }),
            ("m=128 MiB, t=3", PinCost { m_kib: 128 * 1024, t: 3, p: 1 }),
        ];
        for (label, cost) in costs {
            let stored = hash("48213", cost, &pepper).unwrap();
            let runs = 10;
            let started = std::time::Instant::now();
            for _ in 0..runs {
                assert!(matches!(verify("48213", &stored, cost, Some(&pepper)), Verdict::Match { .. }));
            }
            let per_guess = started.elapsed().as_secs_f64() / runs as f64;
            let all = |digits: i32| 10f64.powi(digits) * per_guess;
            println!(
                "{label} = {cost:?}: {:.0} ms per guess; every PIN of 4 digits {:.0} min, 5 {:.1} h, 6 {:.1} days, \
                 7 {:.0} days, 8 {:.1} years (one core)",
                per_guess * 1000.0,
                all(4) / 60.0,
                all(5) / 3600.0,
                all(6) / 86_400.0,
                all(7) / 86_400.0,
                all(8) / (365.25 * 86_400.0),
            );
        }
    }
}
