//! Typed views of Stripe objects. Only the fields we use are named; unknown fields are ignored and
//! missing optional ones default, so a newer API version does not break the app. The raw JSON is
//! kept beside them in the cache.

use serde::Deserialize;

/// A page of a list endpoint.
#[derive(Debug, Clone, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BalanceAmount {
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Balance {
    #[serde(default)]
    pub available: Vec<BalanceAmount>,
    #[serde(default)]
    pub pending: Vec<BalanceAmount>,
    #[serde(default)]
    pub connect_reserved: Vec<BalanceAmount>,
    #[serde(default)]
    pub instant_available: Vec<BalanceAmount>,
    #[serde(default)]
    pub livemode: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BusinessProfile {
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Requirements {
    #[serde(default)]
    pub currently_due: Vec<String>,
    #[serde(default)]
    pub eventually_due: Vec<String>,
    #[serde(default)]
    pub past_due: Vec<String>,
    pub disabled_reason: Option<String>,
    pub current_deadline: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Dashboard {
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountSettings {
    #[serde(default)]
    pub dashboard: Dashboard,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub country: Option<String>,
    pub default_currency: Option<String>,
    pub email: Option<String>,
    pub created: Option<i64>,
    #[serde(default)]
    pub charges_enabled: bool,
    #[serde(default)]
    pub payouts_enabled: bool,
    #[serde(default)]
    pub details_submitted: bool,
    #[serde(default)]
    pub business_profile: Option<BusinessProfile>,
    #[serde(default)]
    pub requirements: Option<Requirements>,
    #[serde(default)]
    pub settings: Option<AccountSettings>,
}

impl Account {
    /// The name a person recognises: business name, then dashboard name, then email, then ID.
    pub fn display_name(&self) -> String {
        self.business_profile
            .as_ref()
            .and_then(|p| p.name.clone())
            .or_else(|| self.settings.as_ref().and_then(|s| s.dashboard.display_name.clone()))
            .or_else(|| self.email.clone())
            .unwrap_or_else(|| self.id.clone())
    }
}
