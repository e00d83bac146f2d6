//! Editing a restaurant's business profile after it was created (platform admins): name, MCC,
//! website and support contacts, checked by the same rules as the create form, then sent through
//! the door (keyed, audited) as `POST /v1/accounts/{id}`.

use serde::Deserialize;
use specta::Type;

use super::create_rules::{business_name, email_shape_ok, url_problem};
use super::views::AccountDetail;
use crate::desk::{Desk, DeskError};
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;

const AUDIT_EDIT: &str = "accounts.business_profile";

/// What the edit form sends. Empty optional fields clear what Stripe holds.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct BusinessProfileForm {
    pub name: String,
    /// A restaurant MCC, four digits.
    pub mcc: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub support_email: Option<String>,
    #[serde(default)]
    pub support_phone: Option<String>,
}

/// Stripe's form for a valid profile, or the first problem: (field, sentence).
pub fn checked_params(form: &BusinessProfileForm) -> Result<Vec<(&'static str, String)>, (&'static str, String)> {
    let name = business_name(&form.name).map_err(|m| ("business_name", m))?;
    let mcc = super::mcc::check(&form.mcc).map_err(|m| ("mcc", m))?;
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_string();
    let url = text(&form.url);
    if !url.is_empty() {
        url_problem(&url).map_err(|m| ("url", m))?;
    }
    let email = text(&form.support_email);
    if !email.is_empty() && !email_shape_ok(&email) {
        return Err((
            "support_email",
            format!("“{email}” is not an email address: it needs a name, an @ and a domain, like help@restaurant.com"),
        ));
    }
    let phone = text(&form.support_phone);
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.is_empty() && (!(7..=15).contains(&digits) || phone.chars().any(|c| !"0123456789+-(). ".contains(c))) {
        return Err((
            "support_phone",
            format!("“{phone}” is not a phone number: use digits, spaces and an optional +, like +1 415 555 0100"),
        ));
    }
    Ok(vec![
        ("business_profile[name]", name),
        ("business_profile[mcc]", mcc.code.to_string()),
        ("business_profile[url]", url),
        ("business_profile[support_email]", email),
        ("business_profile[support_phone]", phone),
    ])
}

impl Desk {
    /// Changes the business profile of `account` under `confirmation`.
    pub async fn update_business_profile(
        &self,
        account: &str,
        form: &BusinessProfileForm,
        confirmation: Option<&str>,
    ) -> Result<AccountDetail, DeskError> {
        let profile = self.authorize_audited(Action::ManageAccounts, AUDIT_EDIT)?;
        let checked = (|| {
            crate::desk::scope::check_id("account", account, "acct_")?;
            self.check_account(&profile, account)?;
            let raw = crate::store::cache::account_raw(self.store().conn(), account)?
                .ok_or_else(|| DeskError::NotFound { what: "restaurant", id: account.to_string() })?;
            if raw["type"] == "standard" {
                return Err(DeskError::InvalidInput {
                    field: "account",
                    reason: "This is a Standard account: its owner edits the business profile in their own Stripe \
                             Dashboard; the platform cannot change it."
                        .into(),
                });
            }
            let params = checked_params(form).map_err(|(field, reason)| DeskError::InvalidInput { field, reason })?;
            Ok((params, super::account_name(&raw)))
        })();
        let (params, name) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                let record = AuditRecord {
                    action: AUDIT_EDIT.into(),
                    target: Some(account.to_string()),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err);
            }
        };
        let call = MoneyCall::new("account_update", format!("/v1/accounts/{account}"), None, &params);
        let intent = Intent {
            audit_action: AUDIT_EDIT.into(),
            target: Some(account.to_string()),
            summary: format!("Business profile of {name}: {}", params[0].1),
            ..Default::default()
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        crate::store::cache::update_account_raw(
            self.store().conn(),
            account,
            &done.value,
            &self.clock.now().to_rfc3339(),
        )?;
        self.account_detail(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, mcc: &str) -> BusinessProfileForm {
        BusinessProfileForm { name: name.into(), mcc: mcc.into(), ..Default::default() }
    }

    #[test]
    fn checks_like_the_create_form() {
        let ok = checked_params(&BusinessProfileForm {
            url: Some(" https://harborvine.example ".into()),
            support_phone: Some("+1 415 555 0100".into()),
            ..form("  Harbor   Grill ", "5812")
        })
        .expect("valid");
        assert_eq!(ok[0], ("business_profile[name]", "Harbor Grill".to_string()));
        assert_eq!(ok[2], ("business_profile[url]", "https://harborvine.example".to_string()));
        assert_eq!(checked_params(&form("", "5812")).expect_err("no name").0, "business_name");
        assert_eq!(checked_params(&form("Grill", "58x2")).expect_err("mcc").0, "mcc");
        let bad_email = BusinessProfileForm { support_email: Some("help at grill".into()), ..form("Grill", "5812") };
        assert_eq!(checked_params(&bad_email).expect_err("email").0, "support_email");
        let bad_phone = BusinessProfileForm { support_phone: Some("call us".into()), ..form("Grill", "5812") };
        assert_eq!(checked_params(&bad_phone).expect_err("phone").0, "support_phone");
        let plain_http = BusinessProfileForm { url: Some("http://grill.example".into()), ..form("Grill", "5812") };
        assert_eq!(checked_params(&plain_http).expect_err("url").0, "url");
    }
}
