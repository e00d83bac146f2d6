//! Links handed to owners, remembered for their few minutes of life so that one expired or
//! already opened is never offered again: Stripe's account and dashboard links work once, and
//! only until they expire. Kept in memory only — a link is a key to the owner's onboarding, and
//! it is worthless by the time the app could start again.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::desk::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;

/// One link as handed out.
#[derive(Debug, Clone)]
struct Handed {
    account: String,
    url: String,
    /// Unix seconds; `None` for a dashboard link, which Stripe does not date.
    expires_at: Option<i64>,
    /// Opened from this PC: spent.
    opened: bool,
    /// Onboarding and dashboard links are platform admins' ; update links also owners'.
    action: Action,
}

/// The links of this run, by the handle the screen holds.
#[derive(Debug, Default)]
pub struct HandedLinks(Mutex<HashMap<String, Handed>>);

impl HandedLinks {
    /// Remembers a link; returns its handle. Links long expired are forgotten on the way.
    pub(crate) fn remember(
        &self,
        account: &str,
        url: &str,
        expires_at: Option<i64>,
        action: Action,
        now: i64,
    ) -> String {
        let handle = uuid::Uuid::new_v4().simple().to_string();
        let mut links = self.0.lock().unwrap_or_else(|p| p.into_inner());
        links.retain(|_, l| l.expires_at.is_none_or(|at| at + 3600 > now));
        links.insert(
            handle.clone(),
            Handed { account: account.into(), url: url.into(), expires_at, opened: false, action },
        );
        handle
    }

    /// The link to open, marked spent; or why it must not be opened.
    fn take(&self, handle: &str, now: i64) -> Result<Handed, DeskError> {
        let mut links = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let link = links.get_mut(handle).ok_or_else(|| {
            refused("This link is not one this window made (or the app restarted since): make a new one.".into())
        })?;
        if let Some(at) = link.expires_at.filter(|at| *at <= now) {
            let minutes = ((now - at) / 60).max(0);
            let ago = if minutes == 0 { "just now".to_string() } else { format!("{minutes} min ago") };
            return Err(refused(format!(
                "This link expired {ago}: Stripe's links work for a few minutes only. Make a new one."
            )));
        }
        if link.opened {
            return Err(refused(
                "This link was already opened: Stripe lets a link be used once. Make a new one.".into(),
            ));
        }
        link.opened = true;
        Ok(link.clone())
    }
}

fn refused(reason: String) -> DeskError {
    DeskError::InvalidInput { field: "link", reason }
}

impl Desk {
    /// The address of a link handed out here, to open in the browser; refused (and audited) once
    /// it expired or was opened before.
    pub fn link_to_open(&self, handle: &str) -> Result<String, DeskError> {
        let profile = self.authorize_audited(Action::SendAccountLinks, super::links::AUDIT_LINK)?;
        let now = self.clock.now().timestamp();
        let taken = self.links.take(handle, now).and_then(|link| {
            let profile = self.authorize(link.action)?;
            self.check_account(&profile, &link.account)?;
            Ok(link)
        });
        let record = AuditRecord {
            action: super::links::AUDIT_LINK.into(),
            target: taken.as_ref().ok().map(|l| l.account.clone()),
            outcome: if taken.is_ok() { "succeeded" } else { "refused" }.into(),
            detail: Some(match &taken {
                Ok(_) => "opened in the browser".to_string(),
                Err(e) => e.to_string(),
            }),
            ..Default::default()
        };
        self.audit(&profile, record)?;
        taken.map(|l| l.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_once_and_never_after_it_expires() {
        let links = HandedLinks::default();
        let once = links.remember("acct_1", "https://example.com/a", Some(1_000), Action::ManageAccounts, 900);
        assert_eq!(links.take(&once, 950).expect("fresh").url, "https://example.com/a");
        assert!(links.take(&once, 951).expect_err("spent").to_string().contains("used once"));
        let late = links.remember("acct_1", "https://example.com/b", Some(1_000), Action::ManageAccounts, 900);
        assert!(links.take(&late, 1_000).expect_err("expired").to_string().contains("expired"));
        assert!(links.take("nope", 900).expect_err("unknown").to_string().contains("make a new one"));
        let dashboard = links.remember("acct_1", "https://example.com/c", None, Action::ManageAccounts, 900);
        assert!(links.take(&dashboard, 99_999).is_ok());
    }
}
