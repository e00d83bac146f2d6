//! Settings → CardConnect: the CardPointe site, API user and password (kept in the keyring and
//! nowhere else) and the merchant ID of each restaurant on CardConnect. Everything is checked
//! with a cheap call per merchant (`inquireMerchant`) before anything is stored.

use serde::{Deserialize, Serialize};

use super::{Desk, DeskError};
use crate::gateways::cardconnect::{site_url, ApiPassword, CardConnectClient, CardConnectError, Credentials};
use crate::permissions::Action;
use crate::secrets::CARDCONNECT;
use crate::settings::CARDCONNECT_MERCHANTS;
use crate::store::audit::AuditRecord;
use crate::store::merchants::{self, Merchant};
use crate::views::{CardConnectForm, CardConnectView, ConnectionMode, MerchantEntry};

const AUDIT_CONNECT: &str = "cardconnect.connect";
const AUDIT_FORGET: &str = "cardconnect.forget";
/// More restaurants than a group runs on one site is a typing accident.
const MAX_MERCHANTS: usize = 100;

/// The demo site demo mode talks to: the embedded CardConnect emulator and its restaurants.
#[derive(Debug, Clone)]
pub struct CardConnectDemo {
    pub base_url: String,
    pub site: String,
    pub api_user: String,
    /// Not a secret: it unlocks only the emulator on this computer.
    pub password: String,
    pub merchants: Vec<MerchantEntry>,
}

impl CardConnectDemo {
    /// The demo site at `base_url`, with its restaurants as (merchant ID, name), in dollars.
    pub fn new(base_url: String, site: &str, api_user: &str, password: &str, restaurants: &[(&str, &str)]) -> Self {
        Self {
            base_url,
            site: site.into(),
            api_user: api_user.into(),
            password: password.into(),
            merchants: restaurants
                .iter()
                .map(|(merchid, name)| MerchantEntry {
                    merchid: (*merchid).into(),
                    name: (*name).into(),
                    currency: None,
                })
                .collect(),
        }
    }
}

/// The CardConnect site in use.
#[derive(Clone)]
pub(crate) struct CardConnectLink {
    pub(crate) client: CardConnectClient,
    pub(crate) site: String,
    pub(crate) demo: bool,
}

/// What the keyring keeps under [`CARDCONNECT`].
#[derive(Serialize, Deserialize)]
struct Stored {
    site: String,
    api_user: String,
    password: String,
}

impl Desk {
    /// Settings → CardConnect as stored (never the password).
    pub fn cardconnect_settings(&self) -> Result<CardConnectView, DeskError> {
        self.authorize(Action::ManageConnection)?;
        self.cardconnect_view()
    }

    /// Checks the site, credentials and every merchant ID with CardPointe, then stores the
    /// credentials in the keyring and the merchants in the database, and uses them. On any
    /// failure nothing is stored and the previous set-up stays as it was.
    pub async fn connect_cardconnect(&self, form: &CardConnectForm) -> Result<CardConnectView, DeskError> {
        let profile = self.authorize_audited(Action::ManageConnection, AUDIT_CONNECT)?;
        self.whole_platform(&profile, AUDIT_CONNECT)?;
        let result = self.check_and_store(form).await;
        let record = match &result {
            Ok((site, merchants)) => AuditRecord {
                action: AUDIT_CONNECT.into(),
                target: Some(site.clone()),
                outcome: "succeeded".into(),
                detail: Some(format!(
                    "API user {}; merchant IDs {}",
                    form.api_user.trim(),
                    merchants.iter().map(|m| m.merchid.as_str()).collect::<Vec<_>>().join(", ")
                )),
                ..Default::default()
            },
            Err(err) => AuditRecord {
                action: AUDIT_CONNECT.into(),
                // Only a well-formed site name is kept: what was typed may be a pasted password.
                target: site_name(&form.site).ok(),
                outcome: if matches!(err, DeskError::InvalidInput { .. }) { "refused" } else { "failed" }.into(),
                detail: Some(err.to_string()),
                ..Default::default()
            },
        };
        self.audit(&profile, record)?;
        result?;
        self.cardconnect_view()
    }

    async fn check_and_store(&self, form: &CardConnectForm) -> Result<(String, Vec<Merchant>), DeskError> {
        if self.connection.read().unwrap_or_else(|p| p.into_inner()).mode == ConnectionMode::Demo {
            return Err(DeskError::InvalidInput {
                field: "cardconnect",
                reason: "Demo mode shows the demo CardConnect restaurants. Connect the platform's Stripe key first \
                         (Settings → Stripe connection), then set up CardConnect."
                    .into(),
            });
        }
        let site = site_name(&form.site)?;
        let merchants = merchant_list(&form.merchants)?;
        if form.password.is_empty() {
            return Err(DeskError::InvalidInput { field: "password", reason: "enter the API password".into() });
        }
        let credentials = Credentials::new(form.api_user.trim(), ApiPassword::new(form.password.clone()))
            .map_err(|e| DeskError::InvalidInput { field: "api_user", reason: e.to_string() })?;
        let client = self.cardconnect_client_for(&site, credentials)?;
        for m in &merchants {
            match client.inquire_merchant(&m.merchid).await {
                Ok(info) if info.enabled => {}
                Ok(_) => {
                    return Err(DeskError::InvalidInput {
                        field: "merchants",
                        reason: format!(
                            "CardPointe says merchant ID {} ({}) is not enabled on site {site}. Ask CardConnect to enable it.",
                            m.merchid, m.name
                        ),
                    })
                }
                Err(CardConnectError::Declined { respcode, resptext, .. }) => {
                    let reason = if respcode == "21" {
                        format!(
                            "CardPointe does not know merchant ID {} ({}) on site {site}. Check the ID CardConnect gave this restaurant.",
                            m.merchid, m.name
                        )
                    } else {
                        format!("CardPointe refused merchant ID {} ({}): {resptext} (code {respcode}).", m.merchid, m.name)
                    };
                    return Err(DeskError::InvalidInput { field: "merchants", reason });
                }
                Err(err) => return Err(err.into()),
            }
        }
        let stored =
            Stored { site: site.clone(), api_user: form.api_user.trim().to_string(), password: form.password.clone() };
        let json = serde_json::to_string(&stored)
            .map_err(|e| DeskError::InvalidInput { field: "cardconnect", reason: e.to_string() })?;
        let before = self.cardconnect_link().map(|l| l.client.base_url().to_string());
        self.secrets.set(CARDCONNECT, &json)?;
        let entries: Vec<MerchantEntry> = merchants
            .iter()
            .map(|m| MerchantEntry {
                merchid: m.merchid.clone(),
                name: m.name.clone(),
                currency: Some(m.currency.clone()),
            })
            .collect();
        {
            let mut store = self.store();
            store.put(&CARDCONNECT_MERCHANTS, &entries)?;
            if before.as_deref() != Some(client.base_url()) {
                crate::store::cache::clear_gateway(store.conn_mut(), crate::gateways::GatewayKind::CardConnect)?;
            }
            merchants::replace(store.conn_mut(), &merchants, &self.clock.now().to_rfc3339())?;
        }
        *self.cardconnect.write().unwrap_or_else(|p| p.into_inner()) =
            Some(CardConnectLink { client, site: site.clone(), demo: false });
        tracing::info!(%site, merchants = merchants.len(), "CardConnect set up");
        Ok((site, merchants))
    }

    /// Removes the CardConnect credentials from the keyring; cached deposits stay readable until
    /// the next connection change, but nothing more is synced or sent.
    pub fn forget_cardconnect(&self) -> Result<CardConnectView, DeskError> {
        let profile = self.authorize_audited(Action::ManageConnection, AUDIT_FORGET)?;
        self.whole_platform(&profile, AUDIT_FORGET)?;
        let site = self.cardconnect_link().filter(|l| !l.demo).map(|l| l.site);
        self.secrets.delete(CARDCONNECT)?;
        {
            let mut store = self.store();
            store.clear(&CARDCONNECT_MERCHANTS)?;
            merchants::replace(store.conn_mut(), &[], &self.clock.now().to_rfc3339())?;
        }
        self.load_cardconnect();
        let record = AuditRecord {
            action: AUDIT_FORGET.into(),
            target: site,
            outcome: "succeeded".into(),
            ..Default::default()
        };
        self.audit(&profile, record)?;
        self.cardconnect_view()
    }

    /// Puts what CardPointe said of a money call (its answer, or what an inquiry found) into the
    /// transactions cache at once, so every screen sees it; a refund names `paid`, the payment it
    /// gives money back from (CardPointe's inquiries do not), which keeps "what is left" right.
    pub(crate) fn remember_cardconnect(&self, value: &serde_json::Value, paid: Option<&str>) -> Result<(), DeskError> {
        let Ok(mut txn) = serde_json::from_value::<crate::gateways::Transaction>(value.clone()) else { return Ok(()) };
        if txn.kind == crate::gateways::TxType::Refund && txn.parent.is_none() {
            txn.parent = paid.map(str::to_string);
        }
        // A full void answers `"amount":"0.00"`: the payment keeps the amount that was voided.
        if txn.kind == crate::gateways::TxType::Void && txn.amount == 0 {
            let cached = crate::store::transactions::get(self.store().conn(), txn.gateway, &txn.reference)?;
            if let Some(before) = cached.filter(|t| t.amount > 0) {
                txn.amount = before.amount;
                txn.order_ref = txn.order_ref.or(before.order_ref);
                txn.card_brand = txn.card_brand.or(before.card_brand);
                txn.card_last4 = txn.card_last4.or(before.card_last4);
                txn.created = before.created;
            }
        }
        crate::store::transactions::upsert(self.store().conn(), &[txn], &self.clock.now().to_rfc3339())?;
        Ok(())
    }

    /// The CardConnect site in use, if any.
    pub(crate) fn cardconnect_link(&self) -> Option<CardConnectLink> {
        self.cardconnect.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The CardConnect client, or why there is none.
    pub(crate) fn cardconnect_client(&self) -> Result<CardConnectClient, DeskError> {
        self.cardconnect_link().map(|l| l.client).ok_or(DeskError::CardConnectNotSetUp)
    }

    /// Chooses the CardConnect site that goes with the current Stripe connection: demo mode's demo
    /// site and restaurants, else the site stored in the keyring with the restaurants of the
    /// settings. A keyring that cannot be read leaves CardConnect off (and says so in the log).
    pub(crate) fn load_cardconnect(&self) {
        let demo = self.connection.read().unwrap_or_else(|p| p.into_inner()).mode == ConnectionMode::Demo;
        let (link, entries) = if demo {
            match &self.cardconnect_demo {
                Some(d) => {
                    let link = Credentials::new(&d.api_user, ApiPassword::new(d.password.clone()))
                        .and_then(|c| CardConnectClient::new(&d.base_url, c))
                        .map(|client| CardConnectLink {
                            client: client.with_policy(self.retry),
                            site: d.site.clone(),
                            demo: true,
                        });
                    (
                        link.map_err(|e| tracing::warn!(error = %e, "the demo CardConnect site is not usable")).ok(),
                        d.merchants.clone(),
                    )
                }
                None => (None, Vec::new()),
            }
        } else {
            let entries = self.store().get(&CARDCONNECT_MERCHANTS).ok().flatten().unwrap_or_default();
            (self.stored_link(), entries)
        };
        let merchants: Vec<Merchant> = entries.iter().map(merchant_of).collect();
        let now = self.clock.now().to_rfc3339();
        if let Err(err) = merchants::replace(self.store().conn_mut(), &merchants, &now) {
            tracing::warn!(error = %err, "the CardConnect restaurants could not be written");
        }
        *self.cardconnect.write().unwrap_or_else(|p| p.into_inner()) = link;
    }

    fn stored_link(&self) -> Option<CardConnectLink> {
        let raw = match self.secrets.get(CARDCONNECT) {
            Ok(raw) => raw?,
            Err(err) => {
                tracing::warn!(error = %err, "the keyring could not be read; CardConnect is off");
                return None;
            }
        };
        let stored: Stored = serde_json::from_str(&raw)
            .map_err(|e| tracing::warn!(error = %e, "the stored CardConnect credentials are unreadable"))
            .ok()?;
        let credentials = Credentials::new(&stored.api_user, ApiPassword::new(stored.password)).ok()?;
        let client = self
            .cardconnect_client_for(&stored.site, credentials)
            .map_err(|e| tracing::warn!(error = %e, "the stored CardConnect site is not usable"))
            .ok()?;
        Some(CardConnectLink { client, site: stored.site, demo: false })
    }

    /// A client for `site`, or for the override address tests and scripted installs set.
    fn cardconnect_client_for(&self, site: &str, credentials: Credentials) -> Result<CardConnectClient, DeskError> {
        let base = match &self.cardconnect_base_override {
            Some(url) => url.clone(),
            None => site_url(site)?,
        };
        Ok(CardConnectClient::new(&base, credentials)?.with_policy(self.retry))
    }

    fn cardconnect_view(&self) -> Result<CardConnectView, DeskError> {
        let link = self.cardconnect_link();
        let stored_user = link.as_ref().map(|l| l.client.credentials().user().to_string());
        let merchants = merchants::all(self.store().conn())?
            .into_iter()
            .map(|m| MerchantEntry { merchid: m.merchid, name: m.name, currency: Some(m.currency) })
            .collect();
        Ok(CardConnectView {
            configured: link.is_some(),
            demo: link.as_ref().is_some_and(|l| l.demo),
            site: link.as_ref().map(|l| l.site.clone()),
            api_user: stored_user,
            base_url: link.as_ref().map(|l| l.client.base_url().to_string()),
            merchants,
        })
    }
}

fn merchant_of(entry: &MerchantEntry) -> Merchant {
    Merchant {
        merchid: entry.merchid.clone(),
        name: entry.name.clone(),
        currency: entry.currency.clone().unwrap_or_else(|| "usd".into()),
    }
}

/// A CardPointe site name: what comes before `.cardconnect.com` (a pasted address is accepted).
fn site_name(raw: &str) -> Result<String, DeskError> {
    let text = raw.trim().to_ascii_lowercase();
    let text = text.strip_prefix("https://").unwrap_or(&text);
    let text = text.split('/').next().unwrap_or_default();
    let site = text.strip_suffix(".cardconnect.com").unwrap_or(text);
    let ok = !site.is_empty()
        && site.len() <= 63
        && site.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !site.starts_with('-')
        && !site.ends_with('-');
    if !ok {
        return Err(DeskError::InvalidInput {
            field: "site",
            reason: "enter the CardPointe site name CardConnect gave you, e.g. fts or fts-uat (the part before .cardconnect.com)".into(),
        });
    }
    Ok(site.to_string())
}

/// The restaurants typed in: each a merchant ID of digits and a name, no ID twice.
fn merchant_list(entries: &[MerchantEntry]) -> Result<Vec<Merchant>, DeskError> {
    let invalid = |reason: String| DeskError::InvalidInput { field: "merchants", reason };
    if entries.is_empty() {
        return Err(invalid("add the merchant ID of at least one restaurant on CardConnect".into()));
    }
    if entries.len() > MAX_MERCHANTS {
        return Err(invalid(format!("at most {MAX_MERCHANTS} restaurants per site")));
    }
    let mut out: Vec<Merchant> = Vec::with_capacity(entries.len());
    for e in entries {
        let merchid = e.merchid.trim();
        if merchid.len() < 6 || merchid.len() > 16 || !merchid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(format!("{merchid:?} is not a CardPointe merchant ID (6 to 16 digits)")));
        }
        let name = e.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(invalid(format!("give merchant ID {merchid} the restaurant's name (up to 80 characters)")));
        }
        let currency =
            e.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("usd").to_ascii_lowercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(invalid(format!("{currency:?} is not a currency code (e.g. USD)")));
        }
        if out.iter().any(|m| m.merchid == merchid) {
            return Err(invalid(format!("merchant ID {merchid} is listed twice")));
        }
        out.push(Merchant { merchid: merchid.to_string(), name: name.to_string(), currency });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_read_from_what_people_paste() {
        assert_eq!(site_name(" fts-uat ").unwrap(), "fts-uat");
        assert_eq!(site_name("https://Harborvine.cardconnect.com/cardconnect/rest").unwrap(), "harborvine");
        for bad in ["", "a b", "-x", "x.y", "evil.com/", "https://"] {
            assert!(site_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn merchant_lists_are_checked_before_anything_is_sent() {
        let entry =
            |merchid: &str, name: &str| MerchantEntry { merchid: merchid.into(), name: name.into(), currency: None };
        assert_eq!(merchant_list(&[entry("496400000113", "Lakeside")]).unwrap()[0].currency, "usd");
        assert!(merchant_list(&[]).is_err());
        assert!(merchant_list(&[entry("49640x", "A")]).is_err());
        assert!(merchant_list(&[entry("496400000113", " ")]).is_err());
        assert!(merchant_list(&[entry("496400000113", "A"), entry("496400000113", "B")]).is_err());
    }
}
