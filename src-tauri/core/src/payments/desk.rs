//! Payments & Refunds: finding a payment from the cache at once, whichever gateway took it.

use chrono::{Local, TimeZone};

use super::find;
use super::queries::Filter;
use super::search::MAX_TEXT;
use super::views::{PaymentPage, PaymentSearch, RestaurantChoice};
use crate::desk::scope::{accounts_of, range};
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::permissions::Action;
use crate::store::filters::Accounts;
use crate::store::filters::MAX_PAGE;
use crate::store::{merchants, StoreError};

/// Rows per page when the screen does not say.
const DEFAULT_PAGE: u32 = 50;

impl Desk {
    /// Payments the profile may see: what the search text finds (most specific readings first,
    /// then newest), or without text today's payments newest first; both within the restaurant,
    /// status and dates asked for. Read from the cache only, so it answers while staff type.
    pub fn payments_search(&self, query: &PaymentSearch) -> Result<PaymentPage, DeskError> {
        let profile = self.authorize(Action::ViewPayments)?;
        let text = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.chars().count() > MAX_TEXT) {
            return Err(DeskError::InvalidInput {
                field: "text",
                reason: format!("a search is at most {MAX_TEXT} characters"),
            });
        }
        let restaurants = match query.restaurant.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(restaurant) => {
                self.check_account(&profile, restaurant)?;
                Accounts::Only(vec![restaurant.to_string()])
            }
            None => accounts_of(&profile),
        };
        let (from, until) = range(query.from.as_deref(), query.to.as_deref())?;
        // The plain list is today's unless dates were asked for; a search looks at every day.
        let today_since = (text.is_none() && from.is_none() && until.is_none()).then(|| self.start_of_today());
        let filter = Filter { restaurants, from: from.or(today_since), until, status: query.status };
        let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        Ok(find::page(self.store().conn(), text, &filter, limit, query.offset, today_since)?)
    }

    /// The restaurants the profile may see, for the restaurant filter: the platform's own payments
    /// (unscoped profiles only), Stripe's connected accounts, then CardConnect's merchants.
    pub fn payment_restaurants(&self) -> Result<Vec<RestaurantChoice>, DeskError> {
        let profile = self.authorize(Action::ViewPayments)?;
        let store = self.store();
        let conn = store.conn();
        let visible = |id: &str| profile.scope.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id));
        let mut out = Vec::new();
        if profile.scope.is_none() {
            out.push(RestaurantChoice { id: String::new(), name: "Platform".into(), gateway: GatewayKind::Stripe });
        }
        let mut stmt = conn
            .prepare_cached("SELECT id, name FROM accounts ORDER BY name COLLATE NOCASE, id")
            .map_err(StoreError::from)?;
        let accounts: Vec<(String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(StoreError::from)?
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?;
        for (id, name) in accounts.into_iter().filter(|(id, _)| visible(id)) {
            out.push(RestaurantChoice {
                name: name.filter(|n| !n.is_empty()).unwrap_or_else(|| id.clone()),
                id,
                gateway: GatewayKind::Stripe,
            });
        }
        for m in merchants::all(conn)?.into_iter().filter(|m| visible(&m.merchid)) {
            out.push(RestaurantChoice { id: m.merchid, name: m.name, gateway: GatewayKind::CardConnect });
        }
        Ok(out)
    }

    /// Unix seconds of this PC's midnight today, by the desk's clock: staff mean their own day.
    fn start_of_today(&self) -> i64 {
        let now = self.clock.now();
        let local_midnight = now.with_timezone(&Local).date_naive().and_hms_opt(0, 0, 0);
        // A midnight skipped by a daylight-saving change: the day's earliest time that exists.
        local_midnight
            .and_then(|m| Local.from_local_datetime(&m).earliest())
            .map(|m| m.timestamp())
            .unwrap_or_else(|| now.timestamp() - now.timestamp().rem_euclid(86_400))
    }
}
