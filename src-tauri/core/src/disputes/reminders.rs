//! Deadline reminders: a desktop notification when a dispute needing a response is due within 72
//! hours, and again within 24, once per dispute per threshold on this PC. Checked after each sync
//! and on the shell's timer, so a PC left open overnight still warns.

use super::queries;
use crate::desk::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::dispute_drafts;

/// Hours before the deadline at which a reminder is shown, widest first.
pub const THRESHOLDS: [i64; 2] = [72, 24];

impl Desk {
    /// Shows the reminders now due; returns how many.
    pub fn notice_dispute_deadlines(&self) -> Result<usize, DeskError> {
        let now = self.clock.now();
        let stamp = now.to_rfc3339();
        let due: Vec<(String, String, i64, String)> = {
            let store = self.store();
            queries::due_between(store.conn(), now.timestamp(), now.timestamp() + THRESHOLDS[0] * 3600)?
                .into_iter()
                .filter(|c| super::words::NEEDS_RESPONSE.contains(&c.raw["status"].as_str().unwrap_or("")))
                .filter_map(|c| {
                    let due_by = c.raw["evidence_details"]["due_by"].as_i64().filter(|d| *d > now.timestamp())?;
                    let id = c.raw["id"].as_str()?.to_string();
                    let amount = crate::money::Money::new(
                        c.raw["amount"].as_i64().unwrap_or(0),
                        c.raw["currency"].as_str().unwrap_or("usd"),
                    );
                    let money = crate::money::display(amount.amount, &amount.currency);
                    Some((id, c.account, due_by, money))
                })
                .collect()
        };
        let viewer = self.session.lock().unwrap_or_else(|p| p.into_inner()).signed_in();
        let mut shown = 0;
        for (id, account, due_by, money) in due {
            let left = due_by - now.timestamp();
            // The narrowest threshold reached: one notification, even if both were passed while off.
            let Some(hours) = THRESHOLDS.iter().rev().copied().find(|h| left <= h * 3600) else { continue };
            let fresh = dispute_drafts::remind_once(self.store().conn(), &id, hours, &stamp)?;
            if hours == 24 {
                // The wider reminder counts as shown too: it would say less, later.
                dispute_drafts::remind_once(self.store().conn(), &id, 72, &stamp)?;
            }
            if !fresh {
                continue;
            }
            let visible = viewer.as_ref().is_some_and(|p| {
                crate::permissions::allows(p.role, Action::ViewDisputes) && self.may_see_subject(p, Some(&account))
            });
            let left_words = if left >= 48 * 3600 {
                format!("{} days", left / 86_400)
            } else {
                format!("{} hours", (left / 3600).max(1))
            };
            let body = if visible {
                let name = crate::payments::queries::Names::default().of(self.store().conn(), &account)?;
                format!(
                    "A dispute of {money} at {name} must be answered within {left_words}. Open Disputes to respond."
                )
            } else {
                format!("A dispute must be answered within {left_words}. Open Merchant Desk and sign in to see which.")
            };
            let title = if hours == 24 { "Dispute due within 24 hours" } else { "Dispute due within 3 days" };
            if let Err(err) = self.notifier.notify(title, &body) {
                tracing::warn!(error = %err, "desktop notification not shown; the inbox still shows the deadline");
            }
            shown += 1;
        }
        Ok(shown)
    }
}
