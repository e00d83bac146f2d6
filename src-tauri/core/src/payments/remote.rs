//! The search box's look-up at the gateways, behind the cache's answer: CardPointe has no list of
//! transactions, so a sale made today (in tonight's batch, not in any deposit yet) reaches the
//! cache only when asked for by its order ID or retref. Stripe's side is the incremental sync the
//! screen starts.

use super::search::{self, Lookup};
use crate::desk::{Desk, DeskError};
use crate::gateways::cardconnect::CardConnectError;
use crate::gateways::GatewayKind;
use crate::permissions::Action;
use crate::store::merchants;

/// How many CardConnect restaurants one search asks at most (one inquiry each).
const MAX_ASKED: usize = 20;

impl Desk {
    /// Asks CardPointe, for each CardConnect restaurant the profile may see, about the payment the
    /// search text names in full (an order ID or a retref), and caches what it finds. Returns how
    /// many payments it found; the screen reads the cache again when that is more than none.
    pub async fn payments_look_up_at_gateways(&self, text: &str) -> Result<u32, DeskError> {
        let profile = self.authorize_quiet(Action::ViewPayments)?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > search::MAX_TEXT {
            return Ok(0);
        }
        let Some(link) = self.cardconnect_link() else { return Ok(0) };
        let lookups = search::parse(text);
        let order = lookups.iter().any(|l| matches!(l, Lookup::Order(_)));
        let retref = lookups.iter().any(|l| matches!(l, Lookup::Id { gateway: GatewayKind::CardConnect, .. }));
        if !order && !retref {
            return Ok(0);
        }
        let visible: Vec<String> = merchants::all(self.store().conn())?
            .into_iter()
            .map(|m| m.merchid)
            .filter(|id| profile.scope.as_ref().is_none_or(|ids| ids.iter().any(|i| i == id)))
            .take(MAX_ASKED)
            .collect();
        let mut found = 0u32;
        for merchid in &visible {
            let mut payments = Vec::new();
            if order {
                payments.extend(link.client.inquire_by_orderid(merchid, text).await.or_else(unnamed)?);
            }
            if retref {
                payments.extend(link.client.inquire(merchid, text).await.or_else(unnamed)?);
            }
            for payment in payments {
                self.remember_cardconnect(&serde_json::to_value(&payment).unwrap_or_default(), None)?;
                found += 1;
            }
        }
        Ok(found)
    }
}

/// Text CardPointe would not take as an order ID or retref (an email, say) names nothing there.
fn unnamed<T: Default>(err: CardConnectError) -> Result<T, CardConnectError> {
    match err {
        CardConnectError::BadInput(_) => Ok(T::default()),
        other => Err(other),
    }
}
