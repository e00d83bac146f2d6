//! "My refunds": the refunds the signed-in profile issued on this PC, newest first, each with
//! where it stands now (from the cache, which sync and each refund keep current).

use super::status::{cardconnect_view, stripe_view, unknown_view};
use super::views::{MyRefund, RefundView};
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::payments::queries::Names;
use crate::permissions::Action;
use crate::store::refund_records::{self, RefundRecord};
use crate::store::{objects, transactions, StoreError};

/// How many of a profile's refunds the list shows.
const SHOWN: u32 = 50;

impl Desk {
    pub fn my_refunds(&self) -> Result<Vec<MyRefund>, DeskError> {
        let profile = self.authorize(Action::RefundPayment)?;
        let store = self.store();
        let conn = store.conn();
        let mut names = Names::default();
        let mut out = Vec::new();
        for record in refund_records::of_profile(conn, profile.id, SHOWN)? {
            let Some(refund) = view_of(conn, &record)? else { continue };
            let gateway = GatewayKind::parse(&record.gateway).unwrap_or(GatewayKind::Stripe);
            let order_number = transactions::get(conn, gateway, &record.payment)?.and_then(|t| t.order_ref);
            out.push(MyRefund {
                refund,
                restaurant_name: names.of(conn, &record.restaurant)?,
                restaurant: record.restaurant,
                payment: record.payment,
                order_number,
                gateway_label: gateway.label().to_string(),
            });
        }
        Ok(out)
    }
}

/// Where a recorded refund stands: the gateway's refund if cached, else the journal's word (a
/// refused one is left out: nothing happened).
fn view_of(conn: &rusqlite::Connection, record: &RefundRecord) -> Result<Option<RefundView>, StoreError> {
    let Some(id) = &record.refund else { return unknown_view(conn, record) };
    if record.gateway == GatewayKind::CardConnect.as_str() {
        let Some(t) = transactions::get(conn, GatewayKind::CardConnect, id)? else { return Ok(None) };
        let mut view = cardconnect_view(&t, Some(record));
        // When it was asked for here: a void row keeps its payment's time.
        view.created = chrono::DateTime::parse_from_rfc3339(&record.created_at).map_or(t.created, |c| c.timestamp());
        return Ok(Some(view));
    }
    let raw: Option<String> = conn
        .query_row("SELECT raw FROM objects WHERE id = ?1", [id], |r| r.get(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    Ok(match raw {
        Some(raw) => Some(stripe_view(&objects::parse(&raw)?, Some(record))),
        None => None,
    })
}
