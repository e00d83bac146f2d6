//! Payments & Refunds look-up against the demo group on both emulators, fully synced: each kind of
//! search (order number on either gateway, amount, card last4, customer email, Stripe `pi_`/`ch_`/
//! `re_` IDs, a CardPointe retref) finds its payment from the cache; a scoped staff profile sees
//! only its restaurants; without a search, today's payments come newest first.

mod common;

use md_core::gateways::GatewayKind;
use md_core::money::Money;
use md_core::permissions::Role;
use md_core::views::{PaymentPage, PaymentSearch, PaymentStatusFilter, ProfileForm, SearchKind};
use md_core::Desk;
use rusqlite::Connection;
use serde_json::{json, Value};

/// A payment of the synced cache, to look for.
#[derive(Debug)]
struct Known {
    reference: String,
    order: String,
    amount: i64,
    currency: String,
    last4: String,
    restaurant: String,
    created: i64,
}

/// The newest settled payment of a gateway with an order number and a card, refunded or not.
fn known(conn: &Connection, gateway: &str) -> Known {
    conn.query_row(
        "SELECT reference, order_ref, amount, currency, card_last4, restaurant, created FROM transactions
         WHERE gateway = ?1 AND kind IN ('purchase', 'capture') AND status = 'complete'
           AND order_ref IS NOT NULL AND card_last4 IS NOT NULL AND currency IN ('usd', 'eur', 'gbp', 'cad')
         ORDER BY created DESC LIMIT 1",
        [gateway],
        |r| {
            Ok(Known {
                reference: r.get(0)?,
                order: r.get(1)?,
                amount: r.get(2)?,
                currency: r.get(3)?,
                last4: r.get(4)?,
                restaurant: r.get(5)?,
                created: r.get(6)?,
            })
        },
    )
    .unwrap_or_else(|e| panic!("no {gateway} payment in the demo group: {e}"))
}

fn search(desk: &Desk, text: &str) -> PaymentPage {
    desk.payments_search(&PaymentSearch { text: Some(text.into()), limit: Some(500), ..Default::default() })
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn references(page: &PaymentPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.reference.as_str()).collect()
}

/// The UTC day of a time, as the date filters take it.
fn day(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).unwrap().format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn every_kind_of_search_finds_its_payment_on_both_gateways() {
    let group = common::demo_group().await;
    let desk = &group.desk;
    let store = group.store();
    let conn = store.conn();
    let stripe = known(conn, "stripe");
    let card = known(conn, "cardconnect");

    // Order numbers: the top match, typed in full, in any case.
    for (k, gateway) in [(&stripe, GatewayKind::Stripe), (&card, GatewayKind::CardConnect)] {
        for typed in [k.order.clone(), k.order.to_ascii_lowercase(), format!("  {}  ", k.order)] {
            let page = search(desk, &typed);
            let top = &page.rows[0];
            assert_eq!((top.reference.as_str(), top.gateway), (k.reference.as_str(), gateway), "{typed:?}");
            assert_eq!(top.matched, Some(SearchKind::OrderNumber));
            assert_eq!(top.order_number.as_deref(), Some(k.order.as_str()));
            assert!(!top.restaurant_name.is_empty() && top.restaurant_name != top.restaurant, "{top:?}");
            assert_eq!(top.gateway_label, gateway.label());
            assert!(top.card_label.as_deref().is_some_and(|c| c.ends_with(&k.last4)), "{top:?}");
        }
    }
    // The start of an order number finds it too, after whatever matches in full.
    let start = &stripe.order[..stripe.order.len() - 1];
    assert!(references(&search(desk, start)).contains(&stripe.reference.as_str()));

    // An amount as staff type it, in the currency's decimals: every row is that amount.
    let typed = Money::new(stripe.amount, &stripe.currency).to_major_string();
    let page = search(desk, &typed);
    assert!(page.read_as.contains(&SearchKind::Amount), "{:?}", page.read_as);
    let by_amount: Vec<_> = page.rows.iter().filter(|r| r.matched == Some(SearchKind::Amount)).collect();
    assert!(!by_amount.is_empty());
    assert!(by_amount.iter().all(|r| r.amount.to_major_string() == typed), "{by_amount:?}");
    let on_its_day = PaymentSearch {
        text: Some(typed.clone()),
        restaurant: Some(stripe.restaurant.clone()),
        from: Some(day(stripe.created)),
        to: Some(day(stripe.created)),
        ..Default::default()
    };
    assert!(references(&desk.payments_search(&on_its_day).unwrap()).contains(&stripe.reference.as_str()));

    // Card last4, plain or masked, on either gateway (filtered to the payment's restaurant and day).
    for k in [&stripe, &card] {
        for typed in [k.last4.clone(), format!("•••• {}", k.last4)] {
            let query = PaymentSearch {
                text: Some(typed.clone()),
                restaurant: Some(k.restaurant.clone()),
                from: Some(day(k.created)),
                to: Some(day(k.created)),
                limit: Some(500),
                ..Default::default()
            };
            let page = desk.payments_search(&query).unwrap();
            assert!(references(&page).contains(&k.reference.as_str()), "{typed:?} at {}", k.restaurant);
            let by_card = page.rows.iter().filter(|r| r.matched == Some(SearchKind::CardLast4));
            assert!(by_card.clone().count() > 0 && by_card.clone().all(|r| r.card_last4.as_deref() == Some(&k.last4)));
        }
    }

    // Gateway IDs: the charge, its PaymentIntent (whose row the charge now stands for), a refund
    // (finds what it refunds), and a CardPointe retref.
    let (charge_raw, account) = cached(conn, &stripe.reference);
    let page = search(desk, &stripe.reference);
    assert_eq!(
        (references(&page), page.rows[0].matched),
        (vec![stripe.reference.as_str()], Some(SearchKind::GatewayId))
    );
    let intent = charge_raw["payment_intent"].as_str().expect("the demo's charges come from PaymentIntents");
    assert_eq!(references(&search(desk, intent)), [stripe.reference.as_str()], "{intent}");
    let (refund, refunded): (String, String) = conn
        .query_row(
            "SELECT reference, parent FROM transactions WHERE gateway = 'stripe' AND kind = 'refund' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(references(&search(desk, &refund)), [refunded.as_str()], "{refund}");
    let page = search(desk, &card.reference);
    assert_eq!(page.rows[0].reference, card.reference);
    assert_eq!((page.rows[0].gateway, page.rows[0].matched), (GatewayKind::CardConnect, Some(SearchKind::GatewayId)));

    // A customer email: Stripe's charge as it comes back with a billing email (the demo's have
    // none), written by the sync's own path; found in full, by its start, in any case.
    let mut with_email = charge_raw.clone();
    with_email["billing_details"]["email"] = json!("Jenny.Rosen@Example.com");
    md_core::store::objects::upsert(conn, &account, &[with_email], "2026-12-01T00:00:00Z").unwrap();
    for typed in ["jenny.rosen@example.com", "Jenny.Rosen@Example.COM", "jenny.ro"] {
        let page = search(desk, typed);
        assert_eq!(references(&page), [stripe.reference.as_str()], "{typed}");
        assert_eq!(page.rows[0].matched, Some(SearchKind::CustomerEmail));
        assert_eq!(page.rows[0].customer_email.as_deref(), Some("jenny.rosen@example.com"));
    }

    // Nothing, for what nobody has; too long a text is refused with its field.
    assert!(search(desk, "ZZ-NOBODY-0000").rows.is_empty());
    let long = PaymentSearch { text: Some("9".repeat(300)), ..Default::default() };
    assert!(desk.payments_search(&long).unwrap_err().to_string().starts_with("text:"));

    // Filters apply to a search: a status the payment does not have leaves it out.
    let failed = PaymentSearch {
        text: Some(stripe.order.clone()),
        status: Some(PaymentStatusFilter::Failed),
        ..Default::default()
    };
    assert!(!references(&desk.payments_search(&failed).unwrap()).contains(&stripe.reference.as_str()));
}

/// A cached Stripe object's JSON and account.
fn cached(conn: &Connection, id: &str) -> (Value, String) {
    let (raw, account): (String, String) =
        conn.query_row("SELECT raw, account FROM objects WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    (serde_json::from_str(&raw).unwrap(), account)
}

#[tokio::test]
async fn staff_see_their_restaurants_only_and_today_newest_first() {
    let group = common::demo_group().await;
    let desk = &group.desk;
    let store = group.store();
    let conn = store.conn();
    let stripe = known(conn, "stripe");
    let card = known(conn, "cardconnect");
    let other: Known = {
        let mut k = known(conn, "stripe");
        (k.reference, k.order, k.restaurant) = conn
            .query_row(
                "SELECT reference, order_ref, restaurant FROM transactions WHERE gateway = 'stripe' AND restaurant != ?1
                 AND kind IN ('purchase', 'capture') AND order_ref IS NOT NULL ORDER BY created DESC LIMIT 1",
                [&stripe.restaurant],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        k
    };

    // Today's list, as the owner: every restaurant's payments since midnight, newest first.
    let today = desk.payments_search(&PaymentSearch { limit: Some(500), ..Default::default() }).unwrap();
    let since = today.today_since.expect("the plain list is today's");
    let expected: u32 = conn
        .query_row(
            "SELECT count(*) FROM transactions WHERE created >= ?1
             AND (kind IN ('authorize', 'capture', 'purchase', 'confirm') OR (kind = 'void' AND parent = reference))",
            [since],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(today.total, expected);
    assert!(today.rows.iter().all(|r| r.created >= since && r.matched.is_none()));
    assert!(today.rows.windows(2).all(|w| w[0].created >= w[1].created), "newest first");
    if expected > 0 {
        assert_eq!(today.rows.len() as u32, expected.min(500));
    }
    // Paging goes on where the first page stopped.
    let first = desk.payments_search(&PaymentSearch { limit: Some(2), ..Default::default() }).unwrap();
    let second = desk.payments_search(&PaymentSearch { limit: Some(2), offset: 2, ..Default::default() }).unwrap();
    assert_eq!(references(&first), references(&today)[..first.rows.len()]);
    assert_eq!(references(&second), references(&today)[2.min(today.rows.len())..(4.min(today.rows.len()))]);

    // A staff profile limited to one Stripe restaurant and one CardConnect merchant.
    let scope = vec![stripe.restaurant.clone(), card.restaurant.clone()];
    let form =
        ProfileForm { name: "Sam".into(), role: Role::Staff, pin: Some("1357".into()), scope: Some(scope.clone()) };
    desk.create_profile(&form).unwrap();
    desk.lock().unwrap();
    let sam = desk.session().unwrap().profiles.iter().find(|p| p.name == "Sam").unwrap().id;
    desk.unlock(sam, "1357").unwrap();

    for k in [&stripe, &card] {
        assert_eq!(search(desk, &k.order).rows[0].reference, k.reference, "their own restaurants' orders");
        assert_eq!(search(desk, &k.reference).rows[0].reference, k.reference);
    }
    for text in [other.order.as_str(), other.reference.as_str()] {
        assert!(search(desk, text).rows.iter().all(|r| r.reference != other.reference), "{text}: another restaurant's");
    }
    // Every kind of search and the list stay within the scope.
    for text in [stripe.last4.as_str(), "10.00", "hv-", ""] {
        let query = PaymentSearch { text: Some(text.into()), limit: Some(500), ..Default::default() };
        let page = desk.payments_search(&query).unwrap();
        assert!(page.rows.iter().all(|r| scope.contains(&r.restaurant)), "{text:?}");
    }
    let theirs = PaymentSearch { restaurant: Some(other.restaurant.clone()), ..Default::default() };
    assert!(desk.payments_search(&theirs).is_err(), "another restaurant cannot be asked for");
}
