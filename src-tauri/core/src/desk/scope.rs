//! Which accounts a profile may see, and checks of the IDs the screens send.

use chrono::NaiveDate;

use super::{Desk, DeskError};
use crate::profiles::Profile;
use crate::store::filters::Accounts;

/// Whether `id` looks like a Stripe ID with `prefix` (`acct_`, `po_`): letters and digits only.
pub fn check_id(field: &'static str, id: &str, prefix: &str) -> Result<(), DeskError> {
    let rest = id.strip_prefix(prefix).unwrap_or_default();
    if rest.is_empty() || rest.len() > 64 || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(DeskError::InvalidInput { field, reason: format!("{id:?} is not a {prefix}… ID") });
    }
    Ok(())
}

/// A `YYYY-MM-DD` date as unix seconds of its start (UTC); `end` gives the start of the next day.
pub fn day(field: &'static str, text: Option<&str>, end: bool) -> Result<Option<i64>, DeskError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| DeskError::InvalidInput { field, reason: format!("{text:?} is not a date (YYYY-MM-DD)") })?;
    let date = if end { date.succ_opt().unwrap_or(date) } else { date };
    Ok(Some(crate::payouts::schedule::day_start(date)))
}

/// `from`..`to` (inclusive days) as `[from, until)`, refusing a range that ends before it starts.
pub fn range(from: Option<&str>, to: Option<&str>) -> Result<(Option<i64>, Option<i64>), DeskError> {
    let (from, until) = (day("from", from, false)?, day("to", to, true)?);
    if let (Some(f), Some(u)) = (from, until) {
        if u <= f {
            return Err(DeskError::InvalidInput {
                field: "to",
                reason: "the end date is before the start date".into(),
            });
        }
    }
    Ok((from, until))
}

/// Every account the profile may see (`All` includes the platform's own objects).
pub fn accounts_of(profile: &Profile) -> Accounts {
    match &profile.scope {
        None => Accounts::All,
        // Only restaurants: a scope never reaches the platform's own objects.
        Some(ids) => {
            Accounts::Only(ids.iter().filter(|id| crate::accounts::gateway_of(id).is_some()).cloned().collect())
        }
    }
}

impl Desk {
    /// Checks that `account` (`""` for the platform) is well formed, known and visible to `profile`.
    pub(crate) fn check_account(&self, profile: &Profile, account: &str) -> Result<(), DeskError> {
        if account.is_empty() {
            return match profile.scope {
                None => Ok(()),
                Some(_) => Err(DeskError::OutOfScope("the platform's own balance and payouts".into())),
            };
        }
        if crate::accounts::gateway_of(account).is_none() {
            check_id("account", account, "acct_")?;
        }
        // Scope first, so a scoped profile cannot learn which other accounts exist.
        if let Some(ids) = &profile.scope {
            if !ids.iter().any(|id| id == account) {
                return Err(DeskError::OutOfScope(account.to_string()));
            }
        }
        if !crate::store::cache::has_account(self.store().conn(), account)? {
            return Err(DeskError::NotFound { what: "restaurant", id: account.to_string() });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_dates_are_checked() {
        assert!(check_id("account", "acct_1AbC", "acct_").is_ok());
        for bad in ["acct_", "po_123", "acct_1; DROP TABLE", "acct_1/../x", ""] {
            assert!(check_id("account", bad, "acct_").is_err(), "{bad}");
        }
        assert_eq!(day("from", Some("1970-01-02"), false).unwrap(), Some(86_400));
        assert_eq!(day("to", Some("1970-01-02"), true).unwrap(), Some(2 * 86_400));
        assert!(day("from", Some("02/01/1970"), false).is_err());
        assert!(range(Some("2026-02-01"), Some("2026-01-01")).is_err());
        assert_eq!(range(None, None).unwrap(), (None, None));
    }
}
