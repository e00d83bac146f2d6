//! Balances: every visible scope's balance, and a scope's balance history, from the cache.

use super::queries::{self, HistoryQuery};
use super::views::{HistoryFilter, HistoryPage, ScopeBalance};
use crate::desk::scope::{accounts_of, range};
use crate::desk::{Desk, DeskError};
use crate::permissions::Action;
use crate::store::filters::MAX_PAGE;

impl Desk {
    /// The platform's balance (for profiles that see everything) and each visible account's. A
    /// scoped profile gets its restaurants only: `accounts_of` never lets it reach the platform.
    pub fn balances(&self) -> Result<Vec<ScopeBalance>, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        Ok(queries::balances(self.store().conn(), &accounts_of(&profile))?)
    }

    /// One page of a scope's balance transactions, newest first.
    pub fn balance_history(&self, filter: &HistoryFilter, offset: u32, limit: u32) -> Result<HistoryPage, DeskError> {
        let profile = self.authorize(Action::ViewPayouts)?;
        self.check_account(&profile, &filter.account)?;
        let (from, until) = range(filter.from.as_deref(), filter.to.as_deref())?;
        let kind = filter.kind.clone().filter(|k| !k.is_empty());
        if let Some(k) = &kind {
            if !k.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(DeskError::InvalidInput {
                    field: "kind",
                    reason: format!("{k:?} is not a transaction type"),
                });
            }
        }
        let search = crate::store::filters::Search::parse(filter.search.as_deref());
        let store = self.store();
        let query = HistoryQuery { account: filter.account.clone(), kind, from, until, search, found: None }
            .looked_up(store.conn())?;
        let (total, total_at_least) = queries::history_count(store.conn(), &query, offset)?;
        Ok(HistoryPage {
            total,
            total_at_least,
            offset,
            rows: queries::history_page(store.conn(), &query, offset, limit.clamp(1, MAX_PAGE))?,
            kinds: queries::history_kinds(store.conn(), &filter.account)?,
        })
    }
}
