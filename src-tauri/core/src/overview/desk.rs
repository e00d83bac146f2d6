//! Overview: the cached platform balance and accounts, and their refresh from Stripe.

use super::queries;
use super::views::OverviewView;
use crate::desk::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::cache;
use crate::sync;

impl Desk {
    /// The overview as cached, without touching the network, limited to the profile's accounts.
    pub fn overview(&self) -> Result<OverviewView, DeskError> {
        let profile = self.authorize(Action::ViewOverview)?;
        self.overview_of(&profile)
    }

    /// The cached overview as `profile` may see it: a scoped profile gets its restaurants only,
    /// and not the platform's own balance, which is the group's money, not theirs.
    fn overview_of(&self, profile: &crate::profiles::Profile) -> Result<OverviewView, DeskError> {
        let mut view = queries::overview(self.store().conn())?;
        if let Some(scope) = &profile.scope {
            view.accounts.retain(|a| scope.contains(&a.id));
            view.cardconnect.retain(|m| scope.contains(&m.merchid));
            view.platform_balance.clear();
        }
        Ok(view)
    }

    /// Fetches the overview from Stripe into the cache, then returns it.
    /// Runs on a timer while the Overview is open, so it does not count as activity.
    pub async fn refresh_overview(&self) -> Result<OverviewView, DeskError> {
        self.authorize_quiet(Action::ViewOverview)?;
        let _one_at_a_time = self.sync_lock.lock().await;
        let (client, generation) = {
            let conn = self.connection.read().unwrap_or_else(|p| p.into_inner());
            (conn.client.clone(), conn.generation)
        };
        let started = std::time::Instant::now();
        let snapshot = sync::fetch_overview(&client).await?;
        tracing::info!(
            accounts = snapshot.accounts.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "overview fetched"
        );
        let synced_at = chrono::Utc::now().to_rfc3339();
        {
            let mut store = self.store();
            let current = self.connection.read().unwrap_or_else(|p| p.into_inner()).generation;
            if current == generation {
                cache::replace_overview(store.conn_mut(), &snapshot, &synced_at)?;
            } else {
                tracing::info!("connection changed during sync; discarding its result");
            }
        }
        // Asked again: the profile may have locked or changed while Stripe answered.
        let profile = self.authorize_quiet(Action::ViewOverview)?;
        self.overview_of(&profile)
    }
}
