//! Settings → Stripe connection: check, validate and store a key, or forget it.

use std::sync::atomic::Ordering;

use super::{mode_of, Connection, Desk, DeskError};
use crate::gateways::stripe::models::Balance;
use crate::gateways::stripe::retry::Policy;
use crate::gateways::stripe::{normalise_base_url, Response, StripeClient, StripeError};
use crate::keys::ApiKey;
use crate::permissions::Action;
use crate::secrets::STRIPE_KEY;
use crate::settings::API_BASE_URL;
use crate::store::audit::AuditRecord;
use crate::views::{ConnectionMode, ConnectionView};

impl Desk {
    pub(crate) fn connection_view(&self) -> Result<ConnectionView, DeskError> {
        let configured = self.configured_base_url()?;
        let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
        Ok(ConnectionView {
            mode: conn.mode,
            masked_key: (conn.mode != ConnectionMode::Demo).then(|| conn.client.key().masked()),
            api_base_url: conn.client.base_url().to_string(),
            configured_api_base_url: configured,
            keyring_problem: self.keyring_problem.read().unwrap_or_else(|p| p.into_inner()).clone(),
        })
    }

    /// Checks a pasted key's shape, validates it with `GET /v1/balance`, stores it in the keyring
    /// and switches to it. On any failure nothing is stored and the connection is unchanged.
    pub async fn connect(&self, raw_key: &str, api_base_url: Option<&str>) -> Result<ConnectionView, DeskError> {
        let profile = self.authorize_audited(Action::ManageConnection, "connection.connect")?;
        self.whole_platform(&profile, "connection.connect")?;
        let key = match ApiKey::parse(raw_key) {
            Ok(key) => key,
            Err(err) => {
                // The refused text is never stored, only why it was refused.
                let record = AuditRecord {
                    action: "connection.connect".into(),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err.into());
            }
        };
        match self.connect_checked(&profile, key, api_base_url).await {
            Err(err) if !matches!(err, DeskError::KeyRejected { .. }) => {
                let record = AuditRecord {
                    action: "connection.connect".into(),
                    outcome: "failed".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                Err(err)
            }
            other => other,
        }
    }

    async fn connect_checked(
        &self,
        profile: &crate::profiles::Profile,
        key: ApiKey,
        api_base_url: Option<&str>,
    ) -> Result<ConnectionView, DeskError> {
        let base = match api_base_url.map(str::trim).filter(|s| !s.is_empty()) {
            Some(url) => normalise_base_url(url)?,
            None => self.configured_base_url()?,
        };
        if key.mode() == crate::keys::KeyMode::Live && !crate::gateways::stripe::is_stripe(&base) {
            return Err(DeskError::InvalidInput {
                field: "API address",
                reason: "a live key is only ever sent to https://api.stripe.com".into(),
            });
        }
        let client = StripeClient::new(&base, key.clone())?.with_policy(self.retry);
        // The person is waiting: check once more at most, then say what happened.
        let probe = client.clone().with_policy(Policy { max_attempts: 2, ..Policy::default() });
        let checked: Result<Response<Balance>, StripeError> = probe.get("/v1/balance", &[], None).await;
        let request_id = match checked {
            Ok(response) => response.request_id,
            Err(StripeError::Api { status: 401 | 403, message, request_id, .. }) => {
                let record = AuditRecord {
                    action: "connection.connect".into(),
                    target: Some(key.masked()),
                    request_id: request_id.clone(),
                    outcome: "refused".into(),
                    detail: Some(message.clone()),
                    ..Default::default()
                };
                self.audit(profile, record)?;
                return Err(DeskError::KeyRejected { message, request_id });
            }
            Err(err) => return Err(err.into()),
        };
        // From here on, a failure puts the previous key back: nothing is half-stored.
        let previous = self.secrets.get(STRIPE_KEY)?;
        self.secrets.set(STRIPE_KEY, key.expose())?;
        let applied = (|| -> Result<(), DeskError> {
            if api_base_url.is_some() {
                self.store().put(&API_BASE_URL, &base)?;
            }
            self.switch(Connection { mode: mode_of(&key), client, generation: 0 })
        })();
        if let Err(err) = applied {
            let restored = match &previous {
                Some(old) => self.secrets.set(STRIPE_KEY, old),
                None => self.secrets.delete(STRIPE_KEY),
            };
            if let Err(restore) = restored {
                tracing::error!(%restore, "could not put the previous key back after a failed connect");
            }
            return Err(err);
        }
        *self.keyring_problem.write().unwrap_or_else(|p| p.into_inner()) = None;
        let record = AuditRecord {
            action: "connection.connect".into(),
            target: Some(key.masked()),
            request_id,
            outcome: "succeeded".into(),
            detail: Some(format!("API base {base}")),
            ..Default::default()
        };
        self.audit(profile, record)?;
        tracing::info!(key = %key.masked(), %base, "connected");
        self.connection_view()
    }

    /// The Stripe connection is the whole platform's: a profile limited to some restaurants may not
    /// replace or forget it (audited as refused).
    pub(crate) fn whole_platform(
        &self,
        profile: &crate::profiles::Profile,
        audit_action: &str,
    ) -> Result<(), DeskError> {
        if profile.scope.is_none() {
            return Ok(());
        }
        let what = if audit_action.starts_with("cardconnect") { "CardConnect" } else { "Stripe" };
        let err = DeskError::OutOfScope(format!("the platform's {what} connection"));
        let record = AuditRecord {
            action: audit_action.into(),
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        self.audit(profile, record)?;
        Err(err)
    }

    /// Removes the key from the keyring and returns to demo mode.
    pub fn forget_key(&self) -> Result<ConnectionView, DeskError> {
        let profile = self.authorize_audited(Action::ManageConnection, "connection.forget")?;
        self.whole_platform(&profile, "connection.forget")?;
        let masked = {
            let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
            (conn.mode != ConnectionMode::Demo).then(|| conn.client.key().masked())
        };
        self.secrets.delete(STRIPE_KEY)?;
        // A custom API address belonged to that key; the next key starts from Stripe again.
        self.store().clear(&API_BASE_URL)?;
        let client = StripeClient::new(&self.demo_base_url, self.demo_key.clone())?.with_policy(self.retry);
        self.switch(Connection { mode: ConnectionMode::Demo, client, generation: 0 })?;
        *self.keyring_problem.write().unwrap_or_else(|p| p.into_inner()) = None;
        self.audit(
            &profile,
            AuditRecord {
                action: "connection.forget".into(),
                target: masked,
                outcome: "succeeded".into(),
                ..Default::default()
            },
        )?;
        tracing::info!("key forgotten; demo mode");
        self.connection_view()
    }

    /// Makes `next` the connection, after its cache is claimed (so a failure changes nothing).
    fn switch(&self, mut next: Connection) -> Result<(), DeskError> {
        self.claim_cache_for(&super::cache_owner_of(&next))?;
        next.generation = self.generations.fetch_add(1, Ordering::SeqCst) + 1;
        *self.connection.write().unwrap_or_else(|p| p.into_inner()) = next;
        self.load_cardconnect();
        Ok(())
    }
}
