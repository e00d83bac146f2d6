//! Payouts: the list, the chart and the CSV export from the cache, and each payout's
//! reconciliation, fetched once from Stripe (`balance_transactions?payout=`) and kept.

use std::path::Path;

use futures_util::TryStreamExt;
use serde_json::Value;

use super::queries::{self, AccountNames, PayoutQuery};
use super::views::{ChartBucket, ChartSeries, PayoutDetail, PayoutFilter, PayoutPage, PayoutRow};
use super::{export, reconcile, DEPOSIT_PREFIX};
use crate::desk::files::{create_csv, export_error};
use crate::desk::scope::{accounts_of, check_id, range};
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::filters::Search;
use crate::store::filters::MAX_PAGE;

const STATUSES: [&str; 5] = ["pending", "in_transit", "paid", "failed", "canceled"];

/// Said while Stripe has not finished reconciling a payout.
const IN_PROGRESS: &str = "Stripe is still reconciling this payout, so this breakdown may be incomplete; it is \
                           fetched again each time until Stripe has finished.";

/// Why a manual payout has no breakdown.
const MANUAL: &str = "This payout was made by hand, so Stripe does not record which payments it contains: it was \
                      paid from the available balance as a whole. Use the balance history around its date instead.";

/// Why a CardConnect deposit has no breakdown.
const DEPOSIT_UNLISTED: &str = "CardConnect did not list which transactions this deposit funded. Compare it with the \
                                settled batches of its day in CardPointe.";

impl Desk {
    fn payout_query(&self, profile: &Profile, filter: &PayoutFilter) -> Result<PayoutQuery, DeskError> {
        let accounts = match &filter.account {
            Some(account) => {
                self.check_account(profile, account)?;
                crate::store::filters::Accounts::Only(vec![account.clone()])
            }
            None => accounts_of(profile),
        };
        let status = filter.status.clone().filter(|s| !s.is_empty());
        if let Some(s) = &status {
            if !STATUSES.contains(&s.as_str()) {
                return Err(DeskError::InvalidInput {
                    field: "status",
                    reason: format!("{s:?} is not a payout status ({})", STATUSES.join(", ")),
                });
            }
        }
        let (from, until) = range(filter.from.as_deref(), filter.to.as_deref())?;
        let search = Search::parse(filter.search.as_deref());
        Ok(PayoutQuery { accounts, status, from, until, sort: filter.sort, descending: filter.descending, search })
    }

    /// One page of the payouts the profile may see, filtered and sorted.
    pub fn payouts(&self, filter: &PayoutFilter, offset: u32, limit: u32) -> Result<PayoutPage, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        let query = self.payout_query(&profile, filter)?;
        let store = self.store();
        Ok(PayoutPage {
            total: queries::count(store.conn(), &query)?,
            offset,
            rows: queries::page(store.conn(), &query, offset, limit.clamp(1, MAX_PAGE))?,
        })
    }

    /// Payouts per week or month and currency, for the chart.
    pub fn payouts_chart(&self, filter: &PayoutFilter, bucket: ChartBucket) -> Result<Vec<ChartSeries>, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        let query = self.payout_query(&profile, filter)?;
        Ok(queries::chart(self.store().conn(), &query, bucket)?)
    }

    /// Writes every payout matching `filter` to a CSV file at `path`. Returns how many.
    pub fn export_payouts(&self, filter: &PayoutFilter, path: &Path) -> Result<usize, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        let query = self.payout_query(&profile, filter)?;
        let rows = {
            let store = self.store();
            let total = queries::count(store.conn(), &query)?;
            queries::page(store.conn(), &query, 0, total)?
        };
        // The database is free again before the (possibly slow) file is written.
        let file = create_csv(path)?;
        export::payouts(rows, file).map_err(|e| export_error(path, e.to_string()))
    }

    /// A payout with its reconciliation: from the cache when it was fetched before, else from
    /// Stripe (then kept: an automatic payout's contents never change).
    pub async fn payout_detail(&self, payout_id: &str) -> Result<PayoutDetail, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        check_payout_id(payout_id)?;
        let found = queries::get(self.store().conn(), payout_id)?;
        let (account, raw) = found.ok_or_else(|| DeskError::NotFound { what: "payout", id: payout_id.to_string() })?;
        self.check_account(&profile, &account)?;
        let payout = queries::payout_row(self.store().conn(), &mut AccountNames::default(), &account, &raw)?;
        if payout.gateway == GatewayKind::CardConnect {
            return Ok(deposit_detail(payout, &raw));
        }
        if !payout.automatic {
            return Ok(PayoutDetail::without_breakdown(payout, MANUAL, None));
        }
        // Stripe lists a payout's full contents once it has reconciled it; only then is the
        // breakdown final and kept.
        let complete = raw["reconciliation_status"].as_str().is_none_or(|s| s == "completed");
        let cached = queries::contents(self.store().conn(), payout_id)?;
        let (transactions, fetched_at) = match cached {
            Some(hit) => hit,
            None => {
                if let Some(refusal) = self.refusal_if_disconnected(&account)? {
                    // Stripe no longer answers for the restaurant: say why there is no breakdown.
                    let why = format!("Which payments this payout holds is not synced: {}", refusal.user_message());
                    return Ok(PayoutDetail::without_breakdown(payout, &why, None));
                }
                self.fetch_contents(payout_id, &account, complete).await?
            }
        };
        let note = (!complete).then(|| IN_PROGRESS.to_string());
        let store = self.store();
        let order_of = |source: &Value| order_number(store.conn(), source);
        let r = reconcile::build(payout.amount.amount, &payout.amount.currency, &transactions, order_of);
        drop(store);
        Ok(r.into_detail(payout, Some(fetched_at), note))
    }

    async fn fetch_contents(
        &self,
        payout_id: &str,
        account: &str,
        keep: bool,
    ) -> Result<(Vec<Value>, String), DeskError> {
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let filters = vec![("payout", payout_id.to_string()), ("expand[]", "data.source".to_string())];
        let scope = (!account.is_empty()).then_some(account);
        let listed: Vec<(Value, Value)> =
            client.list_stream_where("/v1/balance_transactions", filters, scope).try_collect().await?;
        let transactions: Vec<Value> = listed.into_iter().map(|(_, raw)| raw).collect();
        let fetched_at = chrono::Utc::now().to_rfc3339();
        if keep {
            queries::save_contents(self.store().conn_mut(), payout_id, account, &transactions, &fetched_at)?;
        }
        tracing::info!(payout = payout_id, transactions = transactions.len(), "payout reconciliation fetched");
        Ok((transactions, fetched_at))
    }

    /// Writes one payout's reconciliation to a CSV file at `path`. Returns how many rows.
    pub async fn export_reconciliation(&self, payout_id: &str, path: &Path) -> Result<usize, DeskError> {
        let detail = self.payout_detail(payout_id).await?;
        if !detail.reconcilable {
            return Err(DeskError::InvalidInput { field: "payout", reason: MANUAL.into() });
        }
        let file = create_csv(path)?;
        export::reconciliation(&detail, file).map_err(|e| export_error(path, e.to_string()))
    }

    /// A payout as a list row (for alerts).
    pub(crate) fn payout_row_of(&self, account: &str, raw: &str) -> Result<PayoutRow, DeskError> {
        let value: Value =
            serde_json::from_str(raw).map_err(|e| crate::store::StoreError::Corrupt(format!("cached payout: {e}")))?;
        Ok(queries::payout_row(self.store().conn(), &mut AccountNames::default(), account, &value)?)
    }
}

/// Payout IDs are Stripe's (`po_…`) or a CardConnect deposit's (`ccdep_<merchant>_<day>`).
pub(crate) fn check_payout_id(id: &str) -> Result<(), DeskError> {
    match id.strip_prefix(DEPOSIT_PREFIX) {
        Some(rest)
            if !rest.is_empty() && rest.len() <= 64 && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            Ok(())
        }
        Some(_) => {
            Err(DeskError::InvalidInput { field: "payout", reason: format!("{id:?} is not a CardConnect deposit ID") })
        }
        None => check_id("payout", id, "po_"),
    }
}

/// A CardConnect deposit with the transactions it funded, when CardPointe listed them (the
/// sync keeps them in the deposit's `funded`, shaped like Stripe's balance transactions).
fn deposit_detail(payout: PayoutRow, raw: &Value) -> PayoutDetail {
    let funded = raw["funded"].as_array().filter(|f| !f.is_empty());
    let Some(funded) = funded else {
        return PayoutDetail::without_breakdown(payout, DEPOSIT_UNLISTED, raw["synced_at"].as_str());
    };
    let order_of = |source: &Value| source["metadata"]["order_number"].as_str().map(str::to_string);
    let r = reconcile::build(payout.amount.amount, &payout.amount.currency, funded, order_of);
    r.into_detail(payout, raw["synced_at"].as_str().map(str::to_string), None)
}

/// The order number behind a balance transaction's source: the expanded object's metadata, else
/// the cached charge it points to.
fn order_number(conn: &rusqlite::Connection, source: &Value) -> Option<String> {
    if let Some(order) = source["metadata"]["order_number"].as_str() {
        return Some(order.to_string());
    }
    let linked = ["charge", "payment_intent"]
        .iter()
        .find_map(|f| source[*f].as_str().or_else(|| source[*f]["id"].as_str()))
        .or_else(|| source.as_str())
        .or_else(|| source["id"].as_str())?;
    queries::order_number(conn, linked).ok().flatten()
}
