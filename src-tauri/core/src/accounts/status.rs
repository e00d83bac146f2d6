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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateways::stripe::models::Requirements;

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
