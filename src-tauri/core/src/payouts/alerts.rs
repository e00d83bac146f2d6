//! Failed payout alerts: after each sync, failed payouts not seen before raise a desktop
//! notification (once per device) and a banner that stays until dismissed.

use super::alert_queries as payout_alerts;
use super::views::PayoutAlert;
use crate::desk::{Desk, DeskError};
use crate::permissions::Action;

/// How far back a failure still deserves an alert when first seen (e.g. on the first sync).
const RECENT_DAYS: i64 = 30;

/// Shows desktop notifications. The shell provides the OS's; the default only logs.
pub trait Notifier: Send + Sync {
    fn notify(&self, title: &str, body: &str) -> Result<(), String>;
}

/// Writes notifications to the log (tests, the command line).
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        tracing::info!(title, body, "notification");
        Ok(())
    }
}

impl Desk {
    /// Records failed payouts the cache now shows and notifies each once. Called after a sync.
    pub(crate) fn notice_failed_payouts(&self) -> Result<usize, DeskError> {
        let now = self.clock.now();
        let since = now.timestamp() - RECENT_DAYS * 86_400;
        let fresh = payout_alerts::notice(self.store().conn(), since, &now.to_rfc3339())?;
        if fresh.is_empty() {
            return Ok(0);
        }
        let open = payout_alerts::open(self.store().conn())?;
        let rows: Vec<_> = open
            .into_iter()
            .filter(|alert| fresh.contains(&alert.payout))
            .map(|alert| self.payout_row_of(&alert.account, &alert.raw))
            .collect::<Result<_, _>>()?;
        // Details only for someone who may see every payout; otherwise (a scoped profile, a
        // manager, a locked screen) the notification does not say whose payout failed.
        let viewer = self.session.lock().unwrap_or_else(|p| p.into_inner()).signed_in();
        let detailed =
            viewer.is_some_and(|p| p.scope.is_none() && crate::permissions::allows(p.role, Action::ViewPayouts));
        let body = match rows.as_slice() {
            _ if !detailed => "Open Merchant Desk and sign in to see which payout failed and why.".to_string(),
            [one] => format!(
                "{}: {} {} — {}",
                one.account_name,
                one.amount.to_major_string(),
                one.amount.currency.to_uppercase(),
                one.failure_message.as_deref().unwrap_or("no reason given")
            ),
            many => format!("{} payouts failed; open Payouts to see why.", many.len()),
        };
        if !rows.is_empty() {
            let title = if rows.len() == 1 { "Payout failed" } else { "Payouts failed" };
            if let Err(err) = self.notifier.notify(title, &body) {
                tracing::warn!(error = %err, "desktop notification not shown; the banner still shows the failure");
            }
        }
        payout_alerts::mark_notified(self.store().conn(), &fresh)?;
        Ok(fresh.len())
    }

    /// Failed payouts not yet dismissed on this device, visible to the profile.
    /// Polled by every screen, so it does not count as activity.
    pub fn payout_alerts(&self) -> Result<Vec<PayoutAlert>, DeskError> {
        let profile = self.authorize_quiet(Action::ViewPayouts)?;
        let open = payout_alerts::open(self.store().conn())?;
        open.into_iter()
            .filter(|alert| match &profile.scope {
                None => true,
                Some(ids) => ids.contains(&alert.account),
            })
            .map(|alert| {
                Ok(PayoutAlert {
                    payout: self.payout_row_of(&alert.account, &alert.raw)?,
                    noticed_at: alert.noticed_at,
                })
            })
            .collect()
    }

    /// Hides a failed payout's banner on this device.
    pub fn dismiss_payout_alert(&self, payout_id: &str) -> Result<Vec<PayoutAlert>, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        super::desk::check_payout_id(payout_id)?;
        let not_found = || DeskError::NotFound { what: "open payout alert", id: payout_id.to_string() };
        // Only someone who may see the payout may hide it for everyone on this PC.
        let account = super::queries::get(self.store().conn(), payout_id)?.ok_or_else(not_found)?.0;
        self.check_account(&profile, &account).map_err(|_| not_found())?;
        if !payout_alerts::dismiss(self.store().conn(), payout_id, &self.clock.now().to_rfc3339())? {
            return Err(DeskError::NotFound { what: "open payout alert", id: payout_id.to_string() });
        }
        self.payout_alerts()
    }
}
