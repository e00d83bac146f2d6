//! Links handed to owners, remembered for their few minutes of life so that one expired or
//! already opened is never offered again: Stripe's account and dashboard links work once, and
//! only until they expire. Kept in memory only — a link is a key to the owner's onboarding, and
//! it is worthless by the time the app could start again. Lifetimes are counted on this PC's
//! clock from when the link arrived (Stripe's `expires_at - created`), so a PC whose clock is off
//! neither shows a live link as dead nor a dead one as live.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::desk::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::audit::AuditRecord;

/// How long an Express dashboard link is offered: Stripe says only that it expires shortly.
pub const DASHBOARD_LINK_SECONDS: i64 = 300;

/// One link as handed out.
#[derive(Debug, Clone)]
struct Handed {
    account: String,
    url: String,
    /// Unix seconds on this PC's clock.
    expires_at: i64,
    /// Opened from this PC: spent.
    opened: bool,
    /// Onboarding and dashboard links are platform admins'; update links also owners'.
    action: Action,
}

/// The links of this run, by the handle the screen holds.
#[derive(Debug, Default)]
pub struct HandedLinks(Mutex<HashMap<String, Handed>>);

impl HandedLinks {
    /// Remembers a link usable for `seconds` from `now`; returns its handle. Links long expired
    /// are forgotten on the way.
    pub(crate) fn remember(&self, account: &str, url: &str, seconds: i64, action: Action, now: i64) -> String {
        let handle = uuid::Uuid::new_v4().simple().to_string();
        let mut links = self.0.lock().unwrap_or_else(|p| p.into_inner());
        links.retain(|_, l| l.expires_at + 3600 > now);
        let link =
            Handed { account: account.into(), url: url.into(), expires_at: now + seconds, opened: false, action };
        links.insert(handle.clone(), link);
        handle
    }

    /// The link, if it may still be opened; or why not.
    fn usable(&self, handle: &str, now: i64) -> Result<Handed, DeskError> {
        let links = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let link = links.get(handle).ok_or_else(|| {
            refused("This link is not one this window made (or the app restarted since): make a new one.".into())
        })?;
        if link.expires_at <= now {
            let minutes = (now - link.expires_at) / 60;
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
        Ok(link.clone())
    }

    fn mark_opened(&self, handle: &str) {
        if let Some(link) = self.0.lock().unwrap_or_else(|p| p.into_inner()).get_mut(handle) {
            link.opened = true;
        }
    }
}

fn refused(reason: String) -> DeskError {
    DeskError::InvalidInput { field: "link", reason }
}

/// Whether `url` is a link this app may hand to the browser: Stripe's own pages, or those of the
/// API address in use (the emulator in demo mode). Anything else — a file, another site — is
/// never opened, whatever answered.
pub(crate) fn check_url(url: &str, api_base: &str) -> Result<(), DeskError> {
    let parsed = url::Url::parse(url).ok();
    let base = url::Url::parse(api_base).ok();
    let stripe = parsed.as_ref().is_some_and(|u| {
        u.scheme() == "https" && u.host_str().is_some_and(|h| h == "stripe.com" || h.ends_with(".stripe.com"))
    });
    let same_origin = match (&parsed, &base) {
        (Some(u), Some(b)) => u.origin() == b.origin() && matches!(u.scheme(), "http" | "https"),
        _ => false,
    };
    if stripe || same_origin {
        Ok(())
    } else {
        Err(DeskError::InvalidInput {
            field: "link",
            reason: "The answer held an address that is not Stripe's: it is not shown or opened.".into(),
        })
    }
}

impl Desk {
    /// Opens a link handed out here with `open` (the browser), once, and never after it expired;
    /// refusals and failures are audited, and a link the browser could not open stays usable.
    pub fn open_link(&self, handle: &str, open: impl FnOnce(&str) -> Result<(), String>) -> Result<(), DeskError> {
        let profile = self.authorize_audited(Action::SendAccountLinks, super::links::AUDIT_LINK)?;
        let now = self.clock.now().timestamp();
        let result = self.links.usable(handle, now).and_then(|link| {
            let profile = self.authorize(link.action)?;
            self.check_account(&profile, &link.account)?;
            open(&link.url).map_err(DeskError::Browser)?;
            self.links.mark_opened(handle);
            Ok(link.account)
        });
        let record = AuditRecord {
            action: super::links::AUDIT_LINK.into(),
            target: result.as_ref().ok().cloned(),
            outcome: if result.is_ok() { "succeeded" } else { "refused" }.into(),
            detail: Some(match &result {
                Ok(_) => "opened in the browser".to_string(),
                Err(e) => e.to_string(),
            }),
            ..Default::default()
        };
        self.audit(&profile, record)?;
        result.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_once_and_never_after_it_expires() {
        let links = HandedLinks::default();
        let once = links.remember("acct_1", "https://connect.stripe.com/a", 100, Action::ManageAccounts, 900);
        assert_eq!(links.usable(&once, 950).expect("fresh").url, "https://connect.stripe.com/a");
        assert!(links.usable(&once, 950).is_ok(), "looking does not spend it");
        links.mark_opened(&once);
        assert!(links.usable(&once, 951).expect_err("spent").to_string().contains("used once"));
        let late = links.remember("acct_1", "https://connect.stripe.com/b", 100, Action::ManageAccounts, 900);
        assert!(links.usable(&late, 1_000).expect_err("expired").to_string().contains("expired"));
        assert!(links.usable("nope", 900).expect_err("unknown").to_string().contains("make a new one"));
    }

    #[test]
    fn only_stripe_or_the_api_address_is_opened() {
        let base = "http://127.0.0.1:12111";
        assert!(check_url("https://connect.stripe.com/setup/s/acct_1/abc", "https://api.stripe.com").is_ok());
        assert!(check_url("http://127.0.0.1:12111/setup/s/acct_1/abc", base).is_ok());
        for bad in [
            "http://connect.stripe.com/setup",
            "https://stripe.com.evil.example/x",
            "file:///etc/passwd",
            "http://127.0.0.1:9999/setup",
            "C:\\Windows\\calc.exe",
            "-flag",
        ] {
            assert!(check_url(bad, base).is_err(), "{bad}");
        }
    }
}
