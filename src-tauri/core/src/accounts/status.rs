//! Connected-account status in the four words the product uses, derived from Stripe's flags.

use serde::Serialize;
use serde_json::Value;
use specta::Type;

use crate::gateways::stripe::models::Account;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Can take payments and receive payouts.
    Active,
    /// Onboarding not finished.
    Pending,
    /// Stripe needs more information; charges or payouts are paused.
    Restricted,
    /// Rejected by Stripe or by the platform.
    Disabled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Pending => "pending",
            AccountStatus::Restricted => "restricted",
            AccountStatus::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Active, Self::Pending, Self::Restricted, Self::Disabled].into_iter().find(|v| v.as_str() == s)
    }
}

/// Rejected accounts are disabled whatever else is true; unfinished onboarding is pending;
/// an account that can charge and pay out with nothing past due is active; anything else is
/// restricted.
pub fn status(account: &Account) -> AccountStatus {
    let req = account.requirements.clone().unwrap_or_default();
    let reason = req.disabled_reason.as_deref().unwrap_or("");
    if reason.starts_with("rejected.") || reason == "listed" || reason == "platform_paused" {
        return AccountStatus::Disabled;
    }
    if !account.details_submitted {
        return AccountStatus::Pending;
    }
    if account.charges_enabled && account.payouts_enabled && req.past_due.is_empty() {
        return AccountStatus::Active;
    }
    AccountStatus::Restricted
}

/// Stripe's `disabled_reason` in words a restaurant owner understands.
pub fn reason_in_words(reason: &str) -> String {
    match reason {
        "requirements.past_due" => "Information Stripe asked for is overdue".into(),
        "requirements.pending_verification" => "Stripe is verifying submitted information".into(),
        "rejected.fraud" => "Rejected by Stripe (suspected fraud)".into(),
        "rejected.terms_of_service" => "Rejected by Stripe (terms of service)".into(),
        "rejected.listed" => "Rejected by Stripe (on a prohibited list)".into(),
        "rejected.other" => "Rejected by Stripe".into(),
        "listed" => "Under review: possibly on a prohibited list".into(),
        "under_review" => "Under review by Stripe".into(),
        "platform_paused" => "Paused by the platform".into(),
        other => format!("Restricted by Stripe ({})", other.replace(['_', '.'], " ")),
    }
}

/// The name a person recognises for an account's JSON.
pub fn account_name(raw: &Value) -> String {
    // Read from the JSON in place: a copy of a whole account for its name was most of the cost
    // of naming the restaurants of a page.
    <crate::gateways::stripe::models::Account as serde::Deserialize>::deserialize(raw)
        .map(|a| a.display_name())
        .unwrap_or_else(|_| raw["id"].as_str().unwrap_or_default().to_string())
}

/// [`account_name`] of an account's JSON as cached, read straight into the account rather than
/// into a JSON tree first: a list names every restaurant of its page, and building 500 trees of
/// 1.5 KB was most of the transfers list's 35 ms.
pub fn account_name_of_text(raw: &str) -> Result<String, crate::store::StoreError> {
    match serde_json::from_str::<crate::gateways::stripe::models::Account>(raw) {
        Ok(account) => Ok(account.display_name()),
        // Not an account as expected: as before, from the JSON (its ID), or corrupt.
        Err(_) => serde_json::from_str(raw)
            .map(|json| account_name(&json))
            .map_err(|e| crate::store::StoreError::Corrupt(format!("account: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateways::stripe::models::Requirements;

    #[test]
    fn the_name_read_from_the_text_is_the_name_read_from_the_json() {
        let accounts = [
            r#"{"id":"acct_1","business_profile":{"name":"Blue Door"},"email":"a@example.com"}"#,
            r#"{"id":"acct_2","business_profile":{"name":null},"settings":{"dashboard":{"display_name":"Quay"}}}"#,
            r#"{"id":"acct_3","email":"owner@example.com","capabilities":{"card_payments":"active"}}"#,
            r#"{"id":"acct_4"}"#,
            // Not an account as the desk reads one: named by its ID, as before.
            r#"{"id":"acct_5","charges_enabled":"yes","business_profile":{"name":"Fig"}}"#,
            r#"{"business_profile":{"name":7}}"#,
            r#"[1, 2]"#,
        ];
        for raw in accounts {
            let json: Value = serde_json::from_str(raw).unwrap();
            assert_eq!(account_name_of_text(raw).unwrap(), account_name(&json), "{raw}");
        }
        assert!(account_name_of_text("{not json").is_err());
    }

    fn account(charges: bool, payouts: bool, submitted: bool, reason: Option<&str>, past_due: &[&str]) -> Account {
        Account {
            id: "acct_1".into(),
            kind: Some("express".into()),
            country: None,
            default_currency: None,
            email: None,
            created: None,
            charges_enabled: charges,
            payouts_enabled: payouts,
            details_submitted: submitted,
            business_profile: None,
            requirements: Some(Requirements {
                disabled_reason: reason.map(str::to_string),
                past_due: past_due.iter().map(|s| s.to_string()).collect(),
                ..Requirements::default()
            }),
            settings: None,
        }
    }

    #[test]
    fn derives_the_four_statuses() {
        assert_eq!(status(&account(true, true, true, None, &[])), AccountStatus::Active);
        assert_eq!(
            status(&account(false, false, false, Some("requirements.past_due"), &["x"])),
            AccountStatus::Pending
        );
        assert_eq!(
            status(&account(true, false, true, Some("requirements.past_due"), &["x"])),
            AccountStatus::Restricted
        );
        assert_eq!(status(&account(true, true, true, None, &["x"])), AccountStatus::Restricted);
        assert_eq!(status(&account(false, false, true, Some("rejected.fraud"), &[])), AccountStatus::Disabled);
        assert_eq!(status(&account(false, false, false, Some("rejected.fraud"), &[])), AccountStatus::Disabled);
    }
}
