//! Stripe API keys: shape checks and masking. A key value never appears in `Debug` output, logs,
//! errors or anything sent to the UI; only [`ApiKey::masked`] does.

use std::fmt;

/// Why a pasted key was refused before any request was made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    #[error("the key is empty")]
    Empty,
    #[error("a publishable key (pk_…) cannot read balances; paste a secret key (sk_…) or a restricted key (rk_…)")]
    Publishable,
    #[error("a Stripe secret key starts with sk_test_, sk_live_, rk_test_ or rk_live_")]
    WrongPrefix,
    #[error("the key is too short; copy the whole key from the Stripe Dashboard")]
    TooShort,
    #[error("the key contains characters a Stripe key never has (spaces or punctuation); copy it again")]
    BadCharacters,
}

/// Test keys act on test data only; the UI shows a TEST MODE banner for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    Test,
    Live,
}

/// A secret or restricted key whose shape has been checked.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

const PREFIXES: &[&str] = &["sk_test_", "sk_live_", "rk_test_", "rk_live_"];

/// Stripe's secret keys are long; anything much shorter is a partial paste.
const MIN_BODY_LEN: usize = 16;

impl ApiKey {
    /// Checks the shape of a pasted key. Surrounding white space (a common paste artefact) is
    /// trimmed; anything else unusual is refused rather than repaired.
    pub fn parse(raw: &str) -> Result<Self, KeyFormatError> {
        let key = raw.trim();
        if key.is_empty() {
            return Err(KeyFormatError::Empty);
        }
        if key.starts_with("pk_") {
            return Err(KeyFormatError::Publishable);
        }
        let prefix = PREFIXES.iter().find(|p| key.starts_with(*p)).ok_or(KeyFormatError::WrongPrefix)?;
        let body = &key[prefix.len()..];
        if !body.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(KeyFormatError::BadCharacters);
        }
        if body.len() < MIN_BODY_LEN {
            return Err(KeyFormatError::TooShort);
        }
        Ok(Self(key.to_string()))
    }

    pub fn mode(&self) -> KeyMode {
        if self.0.contains("_test_") {
            KeyMode::Test
        } else {
            KeyMode::Live
        }
    }

    /// `sk_test_…4eC3`: enough to recognise the key, not enough to use it.
    pub fn masked(&self) -> String {
        let prefix_len = PREFIXES.iter().find(|p| self.0.starts_with(*p)).map_or(0, |p| p.len());
        let tail = &self.0[self.0.len() - 4..];
        format!("{}…{}", &self.0[..prefix_len], tail)
    }

    /// The key itself, for the `Authorization` header and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    #[test]
    fn accepts_the_four_key_kinds() {
        for prefix in PREFIXES {
            let key = format!("{prefix}51AbCdEfGhIjKlMnOp");
            assert!(ApiKey::parse(&key).is_ok(), "{key}");
        }
        assert_eq!(ApiKey::parse(&format!("  {GOOD}\n")).unwrap().expose(), GOOD);
    }

    #[test]
    fn refuses_malformed_keys_with_a_reason() {
        assert_eq!(ApiKey::parse(""), Err(KeyFormatError::Empty));
        assert_eq!(ApiKey::parse("pk_test_4eC39HqLyjWDarjtT1zdp7dc"), Err(KeyFormatError::Publishable));
        assert_eq!(ApiKey::parse("hello world"), Err(KeyFormatError::WrongPrefix));
        assert_eq!(ApiKey::parse("sk_test_abc"), Err(KeyFormatError::TooShort));
        assert_eq!(ApiKey::parse("sk_test_4eC39Hq Lyj WDarjtT1zdp7dc"), Err(KeyFormatError::BadCharacters));
        assert_eq!(ApiKey::parse("sk_prod_4eC39HqLyjWDarjtT1zdp7dc"), Err(KeyFormatError::WrongPrefix));
    }

    #[test]
    fn masks_and_never_debug_prints_the_key() {
        let key = ApiKey::parse(GOOD).unwrap();
        assert_eq!(key.masked(), "sk_test_…p7dc");
        assert_eq!(key.mode(), KeyMode::Test);
        assert!(!format!("{key:?}").contains(GOOD));
        assert_eq!(ApiKey::parse("rk_live_51AbCdEfGhIjKlMnOp").unwrap().mode(), KeyMode::Live);
    }
}
