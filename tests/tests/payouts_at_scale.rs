//! The payouts list with 100,000 cached payouts: the window holds a screenful of rows, not
//! 100,000, and scrolling to the end or re-sorting reads only the pages it shows. (How fast those
//! pages are read is measured by `merchant-desk-cli bench queries`, not here.)

use std::time::Duration;

use md_core::settings::CACHE_OWNER;
use md_core::store::{objects, Store};
use md_e2e::{App, Launch};
use serde_json::json;

const PAYOUTS: usize = 100_000;

/// A data folder whose cache (of the demo connection) already holds `PAYOUTS` payouts.
fn cache_with_many_payouts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join(md_core::desk::DATABASE_FILE)).unwrap();
    store.put(&CACHE_OWNER, &"demo".to_string()).unwrap();
    let tx = store.conn().unchecked_transaction().unwrap();
    let now = 1_790_000_000i64;
    let statuses = ["paid", "paid", "paid", "in_transit", "pending", "failed", "canceled"];
    for chunk in 0..PAYOUTS / 1_000 {
        let account = format!("acct_1Scale{chunk:04}");
        let batch: Vec<_> = (0..1_000)
            .map(|j| {
                let i = chunk * 1_000 + j;
                let created = now - (i as i64 * 311) % (400 * 86_400);
                json!({
                    "id": format!("po_1Scale{i:08}"), "object": "payout", "amount": 1_000 + (i as i64 * 7919) % 500_000,
                    "currency": "usd", "status": statuses[i % statuses.len()], "created": created,
                    "arrival_date": created - created % 86_400 + 2 * 86_400, "automatic": true, "method": "standard",
                    "failure_code": if i % 7 == 5 { json!("account_closed") } else { json!(null) }, "metadata": {}
                })
            })
            .collect();
        objects::upsert(&tx, &account, &batch, "2026-11-26T00:00:00Z").unwrap();
    }
    tx.commit().unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_payouts_scroll_in_a_virtual_list() {
    let data = cache_with_many_payouts();
    let env = vec![("MERCHANT_DESK_DATA_DIR".to_string(), data.path().display().to_string())];
    let app = App::launch(Launch { env }).await;
    app.set_up_owner("Maria", "2468").await;
    app.open_section("Payouts").await;
    // The demo group syncs in beside them; let it finish so the list does not refresh under us.
    app.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(120)).await;
    app.wait_for_text("[aria-label='Payout count']", "100,").await;
    let table = "[role='table'][aria-label='Payouts']";
    let total: usize = app.attrs(table, "aria-rowcount").await[0].parse().unwrap();
    assert!(total >= PAYOUTS, "{total}");
    let rows = "[role='table'][aria-label='Payouts'] [role='row'][data-payout-id]";
    app.css(rows).await;
    let rendered = app.attrs(rows, "data-payout-id").await.len();
    assert!((5..200).contains(&rendered), "{rendered} rows in the window");

    // To the very end: the last row is read and shown, still only a screenful in the window.
    app.client
        .execute(
            "const t = document.querySelector(arguments[0]); t.scrollTop = t.scrollHeight; t.dispatchEvent(new Event('scroll'));",
            vec![json!(table)],
        )
        .await
        .unwrap();
    let last = format!("{rows}[aria-rowindex='{total}']");
    app.css(&last).await;
    assert!(app.attrs(&last, "data-payout-id").await[0].starts_with("po_"));
    assert!(app.attrs(rows, "data-payout-id").await.len() < 200);
    app.screenshot("payouts-100k-end").await;

    // Only these payouts (searched by ID), sorted by amount, largest first: the top rows come
    // from the whole cache.
    app.client.execute("document.querySelector(arguments[0]).scrollTop = 0;", vec![json!(table)]).await.unwrap();
    app.fill("Search payouts", "po_1Scale").await;
    app.click_button("Amount").await;
    app.wait_for_text(&format!("{rows}[aria-rowindex='1'] [data-field='amount']"), "$5,0").await;
    app.close().await;
}
