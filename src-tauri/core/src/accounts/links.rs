//! Onboarding and update links for a restaurant's Stripe account (`/v1/account_links`), and the
//! Express dashboard link (`/v1/accounts/{id}/login_links`). A link is handed to the owner —
//! often as a QR code on their phone — and expires within minutes, so it is never kept: the screen
//! shows its countdown and asks for a new one when it has passed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::desk::{Desk, DeskError};
use crate::money_calls::new_key;
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::settings::ACCOUNT_LINK_URLS;
use crate::store::audit::AuditRecord;

pub(super) const AUDIT_LINK: &str = "accounts.link";
const AUDIT_URLS: &str = "settings.account_link_urls";

/// The Express dashboard's sign-in link: single use, so opened through its handle.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DashboardLinkView {
    pub handle: String,
    pub url: String,
    #[specta(type = specta_typescript::Number)]
    pub seconds_left: i64,
}

/// Where Stripe sends the owner back after onboarding (`return_url`), and where a used or expired
/// link leads (`refresh_url`): set once in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AccountLinkUrls {
    pub return_url: String,
    pub refresh_url: String,
}

/// Which link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// First onboarding: the owner gives Stripe what it needs to activate the account.
    Onboarding,
    /// Later changes, or what Stripe asks for again.
    Update,
}

/// A link to hand over.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AccountLinkView {
    /// What the screen names the link by to open it (`account_link_open`).
    pub handle: String,
    pub account: String,
    pub kind: LinkKind,
    pub url: String,
    /// Unix seconds, as Stripe dates it.
    #[specta(type = specta_typescript::Number)]
    pub expires_at: i64,
    /// How long it is usable from now (counted from its arrival, whatever this PC's clock says).
    #[specta(type = specta_typescript::Number)]
    pub seconds_left: i64,
    /// The link as a QR code to show on screen (an SVG data URL).
    pub qr: String,
}

impl Desk {
    pub fn account_link_urls(&self) -> Result<Option<AccountLinkUrls>, DeskError> {
        self.authorize(Action::ManageSettings)?;
        Ok(self.store().get(&ACCOUNT_LINK_URLS)?)
    }

    /// Sets the return and refresh addresses of onboarding links (https, or http to this PC).
    pub fn set_account_link_urls(&self, urls: &AccountLinkUrls) -> Result<AccountLinkUrls, DeskError> {
        let profile = self.authorize_audited(Action::ManageSettings, AUDIT_URLS)?;
        let checked = check_url("return_url", &urls.return_url).and_then(|return_url| {
            Ok(AccountLinkUrls { return_url, refresh_url: check_url("refresh_url", &urls.refresh_url)? })
        });
        let record = |outcome: &str, detail: String| AuditRecord {
            action: AUDIT_URLS.into(),
            outcome: outcome.into(),
            detail: Some(detail),
            ..Default::default()
        };
        match checked {
            Ok(urls) => {
                self.store().put(&ACCOUNT_LINK_URLS, &urls)?;
                self.audit(
                    &profile,
                    record("succeeded", format!("return {}, refresh {}", urls.return_url, urls.refresh_url)),
                )?;
                Ok(urls)
            }
            Err(err) => {
                self.audit(&profile, record("refused", err.to_string()))?;
                Err(err)
            }
        }
    }

    /// A new onboarding (platform admins) or update link (also owners, for their restaurants).
    pub async fn account_link(&self, account: &str, kind: LinkKind) -> Result<AccountLinkView, DeskError> {
        let action = match kind {
            LinkKind::Onboarding => Action::ManageAccounts,
            LinkKind::Update => Action::SendAccountLinks,
        };
        let profile = self.authorize_audited(action, AUDIT_LINK)?;
        let result = self.make_link(&profile, account, kind).await;
        self.audit_link(
            &profile,
            account,
            &result.as_ref().map(|l| format!("{:?} link, expires {}", l.kind, l.expires_at)),
        )?;
        result
    }

    /// The Express dashboard's sign-in link (express accounts only).
    pub async fn login_link(&self, account: &str) -> Result<DashboardLinkView, DeskError> {
        let profile = self.authorize_audited(Action::ManageAccounts, AUDIT_LINK)?;
        let result = async {
            self.check_account(&profile, account)?;
            if let Some(refusal) = self.refusal_if_disconnected(account)? {
                return Err(refusal);
            }
            let raw = crate::store::cache::account_raw(self.store().conn(), account)?.unwrap_or(Value::Null);
            let kind = raw["type"].as_str().unwrap_or("");
            if kind != "express" {
                return Err(DeskError::InvalidInput {
                    field: "account",
                    reason: match kind {
                        "standard" => "This is a Standard account: its owner signs in to the Stripe Dashboard with their own login, so there is no link to make.".into(),
                        "custom" => "This is a Custom account: it has no Stripe dashboard; send an update link for what Stripe needs.".into(),
                        _ => "Only Express accounts have an Express dashboard link.".into(),
                    },
                });
            }
            if raw["details_submitted"] != true {
                return Err(DeskError::InvalidInput {
                    field: "account",
                    reason: "The owner has not finished onboarding yet: send the onboarding link first; the dashboard link works once they have.".into(),
                });
            }
            let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
            let link = client
                .post::<Value>(&format!("/v1/accounts/{account}/login_links"), &[], None, &new_key())
                .await
                .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?;
            let url = link.value["url"].as_str().unwrap_or_default().to_string();
            super::handed::check_url(&url, client.base_url())?;
            let now = self.clock.now().timestamp();
            let seconds_left = super::handed::DASHBOARD_LINK_SECONDS;
            let handle = self.links.remember(account, &url, seconds_left, Action::ManageAccounts, now);
            Ok(DashboardLinkView { handle, url, seconds_left })
        }
        .await;
        self.audit_link(&profile, account, &result.as_ref().map(|_| "Express dashboard link".to_string()))?;
        result
    }

    async fn make_link(&self, profile: &Profile, account: &str, kind: LinkKind) -> Result<AccountLinkView, DeskError> {
        self.check_account(profile, account)?;
        if let Some(refusal) = self.refusal_if_disconnected(account)? {
            return Err(refusal);
        }
        let urls = self.store().get(&ACCOUNT_LINK_URLS)?.ok_or_else(|| DeskError::InvalidInput {
            field: "account link",
            reason:
                "Set where Stripe sends the owner back (return and refresh addresses) in Settings → Accounts first."
                    .into(),
        })?;
        // Stripe makes `account_update` links only for accounts without a Stripe-hosted dashboard
        // (Custom); an Express or Standard owner updates through an onboarding link, which asks
        // for whatever is due.
        let custom =
            crate::store::cache::account_raw(self.store().conn(), account)?.is_some_and(|raw| raw["type"] == "custom");
        let link_type = if kind == LinkKind::Update && custom { "account_update" } else { "account_onboarding" };
        let form: Vec<(String, String)> = vec![
            ("account".into(), account.to_string()),
            ("type".into(), link_type.into()),
            ("return_url".into(), urls.return_url),
            ("refresh_url".into(), urls.refresh_url),
        ];
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let link = client
            .post::<Value>("/v1/account_links", &form, None, &new_key())
            .await
            .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?
            .value;
        let url = link["url"].as_str().unwrap_or_default().to_string();
        super::handed::check_url(&url, client.base_url())?;
        let qr = super::qr::svg_data_url(&url).map_err(|why| DeskError::InvalidInput {
            field: "account link",
            reason: format!("The link could not be drawn as a QR code: {why}"),
        })?;
        let expires_at = link["expires_at"].as_i64().unwrap_or(0);
        let seconds_left = (expires_at - link["created"].as_i64().unwrap_or(expires_at)).max(0);
        let action = if kind == LinkKind::Onboarding { Action::ManageAccounts } else { Action::SendAccountLinks };
        let handle = self.links.remember(account, &url, seconds_left, action, self.clock.now().timestamp());
        Ok(AccountLinkView { handle, account: account.to_string(), kind, qr, url, expires_at, seconds_left })
    }

    fn audit_link(
        &self,
        profile: &Profile,
        account: &str,
        result: &Result<String, &DeskError>,
    ) -> Result<(), DeskError> {
        let record = AuditRecord {
            action: AUDIT_LINK.into(),
            target: Some(account.to_string()),
            outcome: if result.is_ok() { "succeeded" } else { "refused" }.into(),
            detail: Some(match result {
                Ok(words) => words.clone(),
                Err(e) => e.to_string(),
            }),
            ..Default::default()
        };
        self.audit(profile, record)
    }
}

fn check_url(field: &'static str, text: &str) -> Result<String, DeskError> {
    let text = text.trim();
    let parsed = url::Url::parse(text).map_err(|_| DeskError::InvalidInput {
        field,
        reason: format!("{text:?} is not a web address like https://example.com/onboarding/done"),
    })?;
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && local) {
        return Err(DeskError::InvalidInput {
            field,
            reason: "Stripe sends owners back only to https addresses".into(),
        });
    }
    Ok(text.to_string())
}
