//! Creating a restaurant's connected account (platform admins): the form checked before anything
//! is sent (email, the country and type Stripe supports, capabilities, MCC, URL), then through the
//! door (keyed, audited); the new account goes into the cache at once, ready for its onboarding
//! link.

use super::create_rules::{self, AccountForm};
use super::views::AccountDetail;
use crate::desk::{Desk, DeskError};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;

const AUDIT_CREATE: &str = "accounts.create";

impl Desk {
    /// The create form's MCC picker: restaurant MCCs matching `text`.
    pub fn account_mccs(&self, text: &str) -> Result<Vec<super::mcc::Mcc>, DeskError> {
        self.authorize_quiet(Action::ManageAccounts)?;
        Ok(super::mcc::search(text))
    }

    /// The create form's country picker.
    pub fn account_countries(&self) -> Result<Vec<create_rules::CountryOption>, DeskError> {
        self.authorize_quiet(Action::ManageAccounts)?;
        Ok(create_rules::countries())
    }

    /// Creates the account `form` describes, under `confirmation`.
    pub async fn create_account(
        &self,
        form: &AccountForm,
        confirmation: Option<&str>,
    ) -> Result<AccountDetail, DeskError> {
        let profile = self.authorize_audited(Action::ManageAccounts, AUDIT_CREATE)?;
        let checked = match create_rules::check(form) {
            Ok(checked) => checked,
            Err(problems) => {
                let first = problems.into_iter().next();
                let err = DeskError::InvalidInput {
                    field: first.as_ref().map_or("account", |p| field_name(&p.field)),
                    reason: first.map_or_else(|| "The form is not complete.".to_string(), |p| p.message),
                };
                let record = AuditRecord {
                    action: AUDIT_CREATE.into(),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err);
            }
        };
        let params = create_rules::form_params(&checked);
        let pairs: Vec<(&str, String)> = params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let call = MoneyCall::new("account_create", "/v1/accounts", None, &pairs);
        let intent = Intent {
            audit_action: AUDIT_CREATE.into(),
            target: Some(checked.business_name.clone()),
            summary: format!(
                "New {} account for {} ({}, {})",
                checked.account_type.as_str(),
                checked.business_name,
                checked.country_name,
                checked.email
            ),
            ..Default::default()
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        let id = done.value["id"].as_str().unwrap_or_default().to_string();
        crate::store::cache::update_account_raw(self.store().conn(), &id, &done.value, &self.clock.now().to_rfc3339())?;
        self.account_detail(&id)
    }
}

/// The form's field names as `DeskError` keeps them (`&'static str`).
fn field_name(field: &str) -> &'static str {
    match field {
        "email" => "email",
        "country" => "country",
        "account_type" => "account_type",
        "business_type" => "business_type",
        "business_name" => "business_name",
        "mcc" => "mcc",
        "url" => "url",
        "capabilities" => "capabilities",
        _ => "account",
    }
}
