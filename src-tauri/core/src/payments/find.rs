//! A page of the Payments & Refunds screen from the cache, once the desk has decided what the
//! profile may see: the search's readings merged and ranked, or the plain list, as rows in words.
//! Public so that `bench payments` times exactly what the screen runs.

use std::collections::HashMap;

use rusqlite::Connection;

use super::queries::{self, Filter, Found, Names, SEARCH_CAP};
use super::search::{self, SearchKind};
use super::views::{PaymentPage, PaymentRow, PaymentState};
use super::words;
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::store::StoreError;

/// What `text` finds within `filter` (most specific readings first, then newest), or without text
/// the payments of `filter` newest first; `today_since` is reported back for the screen.
pub fn page(
    conn: &Connection,
    text: Option<&str>,
    filter: &Filter,
    limit: u32,
    offset: u32,
    today_since: Option<i64>,
) -> Result<PaymentPage, StoreError> {
    let (found, total, more, read_as) = match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => {
            let (rows, total) = queries::list(conn, filter, limit, offset)?;
            (rows.into_iter().map(|f| (f, None)).collect::<Vec<_>>(), total, false, Vec::new())
        }
        Some(text) => {
            let lookups = search::parse(text);
            let mut best: HashMap<(GatewayKind, String), (u8, SearchKind, Found)> = HashMap::new();
            let mut more = false;
            for lookup in &lookups {
                let hits = queries::look_up(conn, lookup, filter, SEARCH_CAP + 1)?;
                more |= hits.len() > SEARCH_CAP;
                for (found, exact) in hits.into_iter().take(SEARCH_CAP) {
                    let rank = rank(lookup.kind(), exact);
                    let key = (found.tx.gateway, found.tx.reference.clone());
                    if best.get(&key).is_none_or(|(r, ..)| rank < *r) {
                        best.insert(key, (rank, lookup.kind(), found));
                    }
                }
            }
            let mut ranked: Vec<(u8, SearchKind, Found)> = best.into_values().collect();
            ranked.sort_by(|a, b| {
                let key =
                    |x: &(u8, SearchKind, Found)| (x.0, std::cmp::Reverse(x.2.tx.created), x.2.tx.reference.clone());
                key(a).cmp(&key(b))
            });
            let total = u32::try_from(ranked.len()).unwrap_or(u32::MAX);
            let page = ranked
                .into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(|(_, kind, found)| (found, Some(kind)))
                .collect();
            (page, total, more, lookups.iter().map(|l| l.kind()).collect())
        }
    };
    let mut names = Names::default();
    let rows = found
        .into_iter()
        .map(|(found, matched)| row(conn, &mut names, found, matched))
        .collect::<Result<_, StoreError>>()?;
    Ok(PaymentPage { total, offset, rows, more, read_as, today_since })
}

/// Order of a search's results: an ID or order number typed in full first, then what the text
/// could only mean (an email, a card, an amount), then what merely starts with it.
fn rank(kind: SearchKind, exact: bool) -> u8 {
    match (kind, exact) {
        (SearchKind::GatewayId | SearchKind::OrderNumber, true) => 0,
        (SearchKind::CustomerEmail, true) => 1,
        (SearchKind::CardLast4 | SearchKind::Amount, _) => 2,
        _ => 3,
    }
}

pub(crate) fn row(
    conn: &Connection,
    names: &mut Names,
    found: Found,
    matched: Option<SearchKind>,
) -> Result<PaymentRow, StoreError> {
    let t = found.tx;
    let state = words::state(&t, queries::voided(conn, &t)?);
    let refundable = if state == PaymentState::Voided { 0 } else { t.refundable() };
    Ok(PaymentRow {
        gateway: t.gateway,
        gateway_label: t.gateway.label().to_string(),
        created: t.created,
        amount: Money::new(t.amount, &t.currency),
        refunded: Money::new(t.refunded, &t.currency),
        refundable: Money::new(refundable, &t.currency),
        state,
        status_label: state.label().to_string(),
        card_label: words::card(t.card_brand.as_deref(), t.card_last4.as_deref()),
        card_brand: t.card_brand,
        card_last4: t.card_last4,
        order_number: t.order_ref,
        customer_email: found.customer_email,
        restaurant_name: names.of(conn, &t.restaurant)?,
        restaurant: t.restaurant,
        reference: t.reference,
        matched,
    })
}
