//! Settings → CardConnect in the window, and what the app kept in the OS keyring for it.

use fantoccini::Locator;

use crate::actions::Find;
use crate::{App, WAIT};

/// The keyring entry name the app keeps the CardConnect credentials under (see md-core
/// `secrets::CARDCONNECT`): a JSON object with the site, API user and password.
pub const CARDCONNECT_KEYRING_ENTRY: &str = "cardconnect-credentials";

/// The CardConnect set-up the app stored under keyring `service`, read independently of the app.
pub fn stored_cardconnect(service: &str) -> Option<String> {
    let entry = keyring::Entry::new(service, CARDCONNECT_KEYRING_ENTRY).expect("keyring entry");
    match entry.get_password() {
        Ok(json) => Some(json),
        Err(keyring::Error::NoEntry) => None,
        Err(err) => panic!("keyring unavailable: {err}"),
    }
}

/// Removes what the app keeps in the keyring under `service` (the Stripe key, the CardConnect
/// credentials, the PIN pepper), for a test that chose its own service name.
pub fn forget_keyring_service(service: &str) {
    for name in [crate::KEYRING_ENTRY, CARDCONNECT_KEYRING_ENTRY, "pin-pepper"] {
        if let Ok(entry) = keyring::Entry::new(service, name) {
            let _ = entry.delete_credential();
        }
    }
}

impl App {
    /// Opens Settings → CardConnect and waits until the set-up is read (the card's heading, then
    /// either the stored set-up or the "Not set up" line).
    pub async fn open_cardconnect_settings(&self) {
        self.open_section("Settings").await;
        self.click_xpath("//div[@role='tablist']//button[@role='tab' and normalize-space(.)='CardConnect']").await;
        self.css("[role='tabpanel'] [aria-label='CardConnect settings'] h2").await;
        self.until("the CardConnect set-up to be read", WAIT, move || async move {
            let found = self
                .client
                .find_all(Locator::Css(
                    "[aria-label='Current CardConnect set-up'], [data-field='cardconnect-state'], [aria-label='CardConnect settings'] [role='alert']",
                ))
                .await
                .map_err(|e| e.to_string())?;
            if found.is_empty() {
                Err("still loading".to_string())
            } else {
                Ok(())
            }
        })
        .await;
    }

    /// Fills the CardConnect form: site, API user, password and exactly these restaurants
    /// (merchant ID, name), adding or removing rows as needed.
    pub async fn fill_cardconnect(&self, site: &str, api_user: &str, password: &str, restaurants: &[(&str, &str)]) {
        self.fill("CardPointe site", site).await;
        self.fill("API user", api_user).await;
        self.fill("API password", password).await;
        let rows = "form[aria-label='Set up CardConnect'] .cc-row:not(.cc-row-head)";
        let mut have = self.count(rows, None).await;
        while have < restaurants.len() {
            self.click_button("Add restaurant").await;
            have = self.count(rows, Some(have + 1)).await;
        }
        while have > restaurants.len() {
            self.click(Find::XPath(format!("//button[@aria-label='Remove restaurant {have}']"))).await;
            have = self.count(rows, Some(have - 1)).await;
        }
        for (i, (merchid, name)) in restaurants.iter().enumerate() {
            self.fill(&format!("Merchant ID {}", i + 1), merchid).await;
            self.fill(&format!("Restaurant name {}", i + 1), name).await;
        }
    }

    /// The value the field with accessible name `label` holds now (its `value` property, which a
    /// page's source does not show).
    pub async fn field_value(&self, label: &str) -> String {
        let field = self.labelled(label).await;
        match field.prop("value").await {
            Ok(value) => value.unwrap_or_default(),
            Err(e) => self.fail(format!("read the value of {label:?}: {e}")).await,
        }
    }

    /// The whole page as the web view has it now: its source, and the values typed into its
    /// fields (which the source leaves out), for asserting that a secret is nowhere on screen.
    pub async fn page_and_field_values(&self) -> String {
        let source = match self.client.source().await {
            Ok(source) => source,
            Err(e) => self.fail(format!("read the page source: {e}")).await,
        };
        let script =
            "return [...document.querySelectorAll('input, textarea, select')].map((e) => e.value).join('\\n');";
        let values = match self.client.execute(script, vec![]).await {
            Ok(serde_json::Value::String(values)) => values,
            Ok(other) => other.to_string(),
            Err(e) => self.fail(format!("read the field values: {e}")).await,
        };
        format!("{source}\n{values}")
    }
}
