//! Syncing everything (not just the overview) into the cache: started from the UI, reported while
//! it runs, cancellable. The first sync of a connection is full; later ones read events.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{Desk, DeskError};
use crate::permissions::Action;
use crate::sync::{sync_cardconnect, sync_to_date, CardConnectSyncError, Limits, Progress, SyncControl, SyncError};
use crate::views::{ConnectionMode, SyncStatusView};

/// The sync in progress (if any) and how the last one ended.
#[derive(Debug, Default)]
pub struct SyncState {
    control: std::sync::Mutex<Option<Arc<SyncControl>>>,
    /// When the last sync ended, why it did not finish, and what the person should know about it.
    last: std::sync::Mutex<Option<(String, Option<String>, Option<String>)>>,
}

impl SyncState {
    /// Forgets how the last sync ended (the cache it filled was emptied), and stops a running one.
    pub(crate) fn forget(&self) {
        if let Some(control) = self.control.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            control.abandon.store(true, Ordering::SeqCst);
            control.cancel.store(true, Ordering::SeqCst);
        }
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Who may run and watch a sync: every role that reads the cache, staff included (a PC at the
/// counter signed in as staff only must still keep its payments current for the look-up).
const SYNC: Action = Action::ViewPayments;

impl Desk {
    pub fn sync_status(&self) -> Result<SyncStatusView, DeskError> {
        self.authorize_quiet(SYNC)?;
        Ok(self.sync_view())
    }

    fn sync_view(&self) -> SyncStatusView {
        let control = self.sync_state.control.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let progress =
            control.as_ref().map(|c| c.progress.lock().unwrap_or_else(|p| p.into_inner()).clone()).unwrap_or_default();
        let last = self.sync_state.last.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let (finished_at, error, note) = match last {
            Some((at, error, note)) => (Some(at), error, note),
            None => (None, None, None),
        };
        SyncStatusView {
            running: control.is_some(),
            phase: progress.phase,
            done: progress.done,
            total: progress.total,
            last_finished_at: finished_at,
            last_error: error,
            last_note: note,
        }
    }

    /// Cancels the running sync; the next one resumes where it stopped.
    pub fn sync_cancel(&self) -> Result<SyncStatusView, DeskError> {
        self.authorize(SYNC)?;
        if let Some(control) = self.sync_state.control.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            control.cancel.store(true, Ordering::SeqCst);
        }
        Ok(self.sync_view())
    }

    /// Runs a sync to its end (full the first time or when asked, else from events). Returns at
    /// once if one is already running.
    pub async fn sync_run(&self, full: bool) -> Result<SyncStatusView, DeskError> {
        self.authorize_quiet(SYNC)?;
        let control = {
            let mut slot = self.sync_state.control.lock().unwrap_or_else(|p| p.into_inner());
            if slot.is_some() {
                drop(slot);
                return Ok(self.sync_view());
            }
            let control = Arc::new(SyncControl::default());
            *control.progress.lock().unwrap_or_else(|p| p.into_inner()) =
                Progress { phase: "starting".into(), done: 0, total: 0 };
            *slot = Some(control.clone());
            control
        };
        let (client, generation, mode) = {
            let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
            (conn.client.clone(), conn.generation, conn.mode)
        };
        // Test keys get Stripe's test-mode limit; the demo emulator and live keys the live one.
        let limits = if mode == ConnectionMode::Test { Limits::TEST } else { Limits::LIVE };
        // Finishes an interrupted full sync, lists restaurants connected since, then reads events.
        let result = sync_to_date(&client, &self.store, limits, &control, full).await;
        // CardConnect's restaurants next, into the same cache; its failure is said, not fatal.
        let cardconnect = match (&result, self.cardconnect_link()) {
            (Ok(_), Some(link)) => {
                let merchants = crate::store::merchants::all(self.store().conn())?;
                let today = self.clock.now().date_naive();
                match sync_cardconnect(&link.client, &self.store, &merchants, today, &control).await {
                    Ok(report) => {
                        tracing::info!(
                            requests = report.requests,
                            deposits = report.deposits,
                            "CardConnect sync finished"
                        );
                        None
                    }
                    Err(CardConnectSyncError::Cancelled) => {
                        Some("Cancelled; the next sync continues where this one stopped.".to_string())
                    }
                    Err(err) => Some(err.to_string()),
                }
            }
            _ => None,
        };
        let changed = self.connection.read().unwrap_or_else(|p| p.into_inner()).generation != generation;
        if changed {
            // The connection changed meanwhile: the change cancelled this sync before emptying the
            // cache, so nothing of the old connection was written after it.
            *self.sync_state.control.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return Ok(self.sync_view());
        }
        let (error, note) = match &result {
            Ok(report) => {
                tracing::info!(requests = report.requests, objects = report.objects, "sync finished");
                (None, report.note.clone())
            }
            Err(SyncError::Cancelled) => {
                (Some("Cancelled; the next sync continues where this one stopped.".to_string()), None)
            }
            Err(err) => (Some(err.to_string()), None),
        };
        let error = error.or(cardconnect);
        // Whatever was synced, even by a sync cut short, may show a payout that failed.
        if let Err(err) = self.notice_failed_payouts() {
            tracing::warn!(error = %err, "failed payouts could not be checked");
        }
        if let Err(err) = self.notice_failed_refunds() {
            tracing::warn!(error = %err, "failed refunds could not be checked");
        }
        if let Err(err) = self.notice_dispute_deadlines() {
            tracing::warn!(error = %err, "dispute deadlines could not be checked");
        }
        if let Err(err) = self.notice_account_alerts() {
            tracing::warn!(error = %err, "restricted restaurants and Stripe deadlines could not be checked");
        }
        {
            // Checked again under the lock `forget` takes: a connection change after this point
            // forgets this ending; one before it means this sync's ending is not the new cache's.
            let mut last = self.sync_state.last.lock().unwrap_or_else(|p| p.into_inner());
            if self.connection.read().unwrap_or_else(|p| p.into_inner()).generation == generation {
                *last = Some((chrono::Utc::now().to_rfc3339(), error, note));
            }
        }
        *self.sync_state.control.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(self.sync_view())
    }
}
