//! CardConnect beside Stripe in the payouts screens, against both demo emulators over real HTTP:
//! deposits are synced into the same cache, listed with Stripe payouts and labelled by gateway,
//! add up to what CardPointe paid out, break down into the transactions they funded, export to
//! CSV with their gateway, and the next sync only reads the days that may still change.

mod common;

use common::{demo_group, DemoGroup as World};
use md_core::gateways::GatewayKind;
use md_core::store::filters::Accounts;
use md_core::store::transactions;
use md_core::views::PayoutFilter;

async fn world() -> World {
    demo_group().await
}

fn all() -> PayoutFilter {
    PayoutFilter { account: None, status: None, from: None, to: None, search: None, ..Default::default() }
}

#[tokio::test]
async fn deposits_show_beside_stripe_payouts_and_add_up_to_what_cardpointe_paid() {
    let w = world().await;
    let page = w.desk.payouts(&all(), 0, 500).unwrap();
    let total = page.total;
    let mut rows = page.rows;
    let mut offset = rows.len() as u32;
    while offset < total {
        let more = w.desk.payouts(&all(), offset, 500).unwrap().rows;
        offset += more.len() as u32;
        rows.extend(more);
    }
    let deposits: Vec<_> = rows.iter().filter(|r| r.gateway == GatewayKind::CardConnect).collect();
    assert!(rows.iter().any(|r| r.gateway == GatewayKind::Stripe), "Stripe payouts are there too");
    for (merchid, name) in cardconnect_emulator::seed::demo_restaurants() {
        let own: Vec<_> = deposits.iter().filter(|d| d.account == merchid).collect();
        assert!(own.len() >= 60, "{name}: {} deposits over 75 days", own.len());
        assert!(own.iter().all(|d| d.account_name == name && d.status == "paid"));
        // The newest deposit is what CardPointe's funding report says for that day.
        let newest = own.iter().max_by_key(|d| d.arrival_date).unwrap();
        let day = chrono::DateTime::from_timestamp(newest.arrival_date, 0).unwrap().date_naive();
        let funded = w.cardconnect_client().funding(merchid, day).await.unwrap();
        assert_eq!(funded.iter().map(|f| f.amount).sum::<i64>(), newest.amount.amount, "{name} on {day}");
    }

    // A deposit's detail lists what it funded, with order numbers, adding up to the deposit.
    let deposit = deposits.iter().find(|d| d.amount.amount > 0).unwrap();
    let detail = w.desk.payout_detail(&deposit.id).await.unwrap();
    assert!(detail.reconcilable, "{:?}", detail.reason);
    assert_eq!(detail.total.as_ref().map(|t| t.amount), Some(deposit.amount.amount));
    assert_eq!(detail.difference, None);
    let items: Vec<_> = detail.groups.iter().flat_map(|g| g.items.iter()).collect();
    assert!(!items.is_empty() && items.iter().all(|i| i.order_number.is_some()), "{items:?}");

    // Search by restaurant name finds its deposits only.
    let taqueria = PayoutFilter { search: Some("Taqueria".into()), ..all() };
    let found = w.desk.payouts(&taqueria, 0, 50).unwrap();
    assert!(found.total > 0);
    assert!(found.rows.iter().all(|r| r.account_name == "Vine Street Taqueria"));

    // The CSV names each row's gateway.
    let path = w.dir.path().join("payouts.csv");
    let written = w.desk.export_payouts(&all(), &path).unwrap();
    let mut csv = csv::Reader::from_path(&path).unwrap();
    assert_eq!(&csv.headers().unwrap()[1], "gateway");
    let gateways: Vec<String> = csv.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert_eq!(gateways.len(), written);
    assert_eq!(gateways.iter().filter(|g| *g == "cardconnect").count(), deposits.len());
    assert!(gateways.iter().all(|g| g == "cardconnect" || g == "stripe"));
}

#[tokio::test]
async fn cardconnect_orders_are_found_in_the_neutral_cache_and_sync_is_incremental() {
    let w = world().await;
    let store = w.store();
    let mine = transactions::total(store.conn(), Some(GatewayKind::CardConnect)).unwrap();
    assert!(mine > 1_000, "{mine} CardConnect transactions cached");
    // An order of the Lakeside Kitchen seed, found by its number with its refunds.
    let order: String = store
        .conn()
        .query_row(
            "SELECT order_ref FROM transactions WHERE gateway = 'cardconnect' AND kind = 'refund' AND order_ref IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let found = transactions::by_order(store.conn(), &order, &Accounts::All).unwrap();
    assert!(found.iter().all(|t| t.gateway == GatewayKind::CardConnect), "{found:?}");
    let payment = found.iter().find(|t| t.parent.is_none()).expect("the payment");
    assert!(payment.refunded > 0, "{payment:?}");

    // A second sync reads only the last days, not 75 again.
    let before = w.cardconnect.request_count();
    let status = w.desk.sync_run(false).await.unwrap();
    assert_eq!(status.last_error, None);
    let asked = w.cardconnect.request_count() - before;
    let bound = 2 * (md_core::sync::REVISIT_DAYS as u64) * 40;
    assert!(asked <= bound, "{asked} requests for an incremental sync");
}
