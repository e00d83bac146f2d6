//! The payouts screen (Payouts → Payouts): a page of 100 rows plus the total for every page it
//! shows, in each order its columns sort by, filtered and searched, and the chart above the list
//! (`Desk::payouts`, `Desk::payouts_chart`), over 100,000 payouts of 1,000 restaurants.

use md_core::permissions::Role;
use md_core::store::objects;
use md_core::store::StoreError;
use md_core::views::{ChartBucket, PayoutFilter, PayoutSort};
use serde_json::json;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

const RESTAURANTS: usize = 1_000;
const PAGE: u32 = 100;
const DAY: i64 = 86_400;

/// Fills a cache with `rows` payouts and times the screen's calls, `runs` times each.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("payouts")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, RESTAURANTS, now)?;
    fill(&bench, rows, now)?;
    bench.sign_in()?;
    let desk = &bench.desk;
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string());
    let filter = |sort: PayoutSort, descending: bool| PayoutFilter { sort, descending, ..Default::default() };
    let newest = filter(PayoutSort::ArrivalDate, true);
    let list = |f: &PayoutFilter, offset: u32| -> Result<(), CliError> {
        let page = desk.payouts(f, offset, PAGE)?;
        std::hint::black_box((page.total, page.rows.len()));
        Ok(())
    };
    let deep = rows.saturating_sub(PAGE as usize) as u32;
    let mut cases = Vec::new();
    cases.push(time("first page, newest arrival", runs, |_| list(&newest, 0))?);
    cases.push(time(format!("last page (offset {deep})"), runs, |_| list(&newest, deep))?);
    let amount = filter(PayoutSort::Amount, true);
    cases.push(time("by amount (currency, then amount), middle page", runs, |_| list(&amount, deep / 2))?);
    let by_name = filter(PayoutSort::Account, false);
    cases.push(time("by restaurant name, first page", runs, |_| list(&by_name, 0))?);
    cases.push(time("by restaurant name, middle page", runs, |_| list(&by_name, deep / 2))?);
    cases.push(time("by creation date, first page", runs, |_| list(&filter(PayoutSort::Created, true), 0))?);
    cases.push(time("by status, first page", runs, |_| list(&filter(PayoutSort::Status, false), 0))?);
    let failed = PayoutFilter { status: Some("failed".into()), ..newest.clone() };
    cases.push(time("failed only", runs, |_| list(&failed, 0))?);
    cases.push(time("one restaurant, last 90 days", runs, |i| {
        let f = PayoutFilter {
            account: Some(platform::account_id(i % RESTAURANTS)),
            from: day(now - 90 * DAY),
            ..newest.clone()
        };
        list(&f, 0)
    })?);
    let search = |text: String| PayoutFilter { search: Some(text), ..newest.clone() };
    cases.push(time("search: a payout ID but its last digit (`po_0000…123`)", runs, |i| {
        let id = format!("po_{:024}", (i * 7_919) % rows.max(1));
        list(&search(id[..id.len() - 1].to_string()), 0)
    })?);
    cases.push(time("search: an amount (`1,234.56`)", runs, |i| {
        let cents = 1_000 + (i as i64 * 7_919 * 7_919) % 500_000;
        list(&search(format!("{}.{:02}", cents / 100, cents % 100)), 0)
    })?);
    cases.push(time("search: part of a restaurant's name (`noodle bar 4`)", runs, |i| {
        list(&search(platform::name(i % RESTAURANTS).to_lowercase()[3..].to_string()), 0)
    })?);
    let chart = |f: &PayoutFilter, bucket: ChartBucket| -> Result<(), CliError> {
        std::hint::black_box(desk.payouts_chart(f, bucket)?.len());
        Ok(())
    };
    let ascending = filter(PayoutSort::ArrivalDate, false);
    cases.push(time("weekly chart, all payouts", runs, |_| chart(&ascending, ChartBucket::Week))?);
    cases.push(time("monthly chart, all payouts", runs, |_| chart(&ascending, ChartBucket::Month))?);
    cases.push(time("weekly chart, one restaurant", runs, |i| {
        let f = PayoutFilter { account: Some(platform::account_id(i % RESTAURANTS)), ..ascending.clone() };
        chart(&f, ChartBucket::Week)
    })?);
    let recent_failed = PayoutFilter { status: Some("failed".into()), from: day(now - 90 * DAY), ..ascending.clone() };
    cases.push(time("weekly chart, failed only, last 90 days", runs, |_| chart(&recent_failed, ChartBucket::Week))?);
    let searched = PayoutFilter { search: Some("1,234.56".into()), ..ascending.clone() };
    cases.push(time("weekly chart of a search (an amount)", runs, |_| chart(&searched, ChartBucket::Week))?);
    // An owner of 20 restaurants (a profile's scope): the list and its chart.
    let scope = (0..20).map(|i| platform::account_id(i * 47)).collect();
    bench.sign_in_scoped("Bench owner", Role::Owner, scope)?;
    let desk = &bench.desk;
    cases.push(time("a profile's 20 restaurants, first page", runs, |_| {
        std::hint::black_box(desk.payouts(&newest, 0, PAGE)?.rows.len());
        Ok(())
    })?);
    cases.push(time("a profile's 20 restaurants, weekly chart", runs, |_| {
        std::hint::black_box(desk.payouts_chart(&ascending, ChartBucket::Week)?);
        Ok(())
    })?);
    Ok(cases)
}

/// `rows` payouts, one every 137 s, taking turns over the restaurants (100 each at 100,000), in
/// every status; written as the sync writes them, a page of one restaurant's payouts at a time.
fn fill(bench: &Bench, rows: usize, now: i64) -> Result<(), CliError> {
    let statuses = ["paid", "paid", "paid", "paid", "in_transit", "pending", "failed", "canceled"];
    let mut by_account = vec![Vec::new(); RESTAURANTS];
    for i in 0..rows {
        let created = now - (i as i64 * 137) % (365 * DAY);
        let status = statuses[(i + i / RESTAURANTS) % statuses.len()];
        by_account[i % RESTAURANTS].push(json!({
            "id": format!("po_{i:024}"), "object": "payout", "amount": 1_000 + (i as i64 * 7919) % 500_000,
            "currency": "usd", "status": status, "created": created,
            "arrival_date": created - created % DAY + 2 * DAY, "automatic": true, "method": "standard",
            "destination": format!("ba_{:016}", i % RESTAURANTS),
            "failure_code": if status == "failed" { json!("account_closed") } else { json!(null) },
            "metadata": {}
        }));
    }
    let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
    for (account, payouts) in by_account.iter().enumerate() {
        for page in payouts.chunks(100) {
            objects::upsert(&tx, &platform::account_id(account), page, "bench")?;
        }
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}
