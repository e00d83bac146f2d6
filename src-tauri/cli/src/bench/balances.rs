//! The Balances screen's history (Payouts → Balances, a restaurant opened): a page of 50 balance
//! transactions, the total and the types present, filtered and searched (`Desk::balance_history`),
//! over a busy restaurant's 100,000 balance transactions — a year of card payments, refunds,
//! fees, transfers and daily payouts.

use md_core::store::objects;
use md_core::store::StoreError;
use md_core::views::HistoryFilter;
use serde_json::json;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

const PAGE: u32 = 50;
const DAY: i64 = 86_400;

/// What each hundred balance transactions are.
fn kind(i: usize) -> &'static str {
    match i % 100 {
        0..=79 => "charge",
        80..=86 => "refund",
        87..=91 => "application_fee",
        92..=94 => "transfer",
        95..=96 => "adjustment",
        97 => "dispute",
        98 => "stripe_fee",
        _ => "payout",
    }
}

/// Fills a cache with `rows` balance transactions of one restaurant and times the history.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("balances")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, 20, now)?;
    let busy = platform::account_id(3);
    fill(&bench, &busy, rows, now)?;
    bench.sign_in()?;
    let desk = &bench.desk;
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string());
    let all = HistoryFilter { account: busy.clone(), kind: None, from: None, to: None, search: None };
    let history = |f: &HistoryFilter, offset: u32| -> Result<(), CliError> {
        let page = desk.balance_history(f, offset, PAGE)?;
        std::hint::black_box((page.total, page.rows.len(), page.kinds.len()));
        Ok(())
    };
    let deep = rows.saturating_sub(PAGE as usize) as u32;
    let mut cases = Vec::new();
    cases.push(time("newest page", runs, |_| history(&all, 0))?);
    cases.push(time(format!("last page (offset {deep})"), runs, |_| history(&all, deep))?);
    let of = |kind: &str| HistoryFilter { kind: Some(kind.into()), ..all.clone() };
    cases.push(time("payouts only (1 in 100)", runs, |_| history(&of("payout"), 0))?);
    cases.push(time("charges only (8 in 10), page 10", runs, |_| history(&of("charge"), 9 * PAGE))?);
    let month = HistoryFilter { from: day(now - 30 * DAY), ..all.clone() };
    cases.push(time("last 30 days", runs, |_| history(&month, 0))?);
    let search = |text: String| HistoryFilter { search: Some(text), ..all.clone() };
    cases.push(time("search: an amount (`64.37`)", runs, |i| {
        let cents = 1_800 + (i as i64 * 7_919) % 14_700;
        history(&search(format!("{}.{:02}", cents / 100, cents % 100)), 0)
    })?);
    cases.push(time("search: a transaction ID but its last digit (`txn_…12`)", runs, |i| {
        let id = format!("txn_bench{:016}", (i * 7_919) % rows.max(1));
        history(&search(id[..id.len() - 1].to_string()), 0)
    })?);
    cases.push(time("search: a payment's ID (`ch_…`)", runs, |i| {
        history(&search(format!("ch_bench{:016}", (i * 7_919) % rows.max(1))), 0)
    })?);
    cases.push(time("search: words of the description (`order hv-03-12`)", runs, |i| {
        history(&search(format!("order hv-03-{}", 10 + i % 90)), 0)
    })?);
    // Words many descriptions hold: the history walked in order, counted to 1,000 past the page.
    for (case, words) in [
        ("search: a word most descriptions hold (`order`)", "order"),
        ("search: two letters most descriptions hold (`hv`)", "hv"),
        ("search: words some descriptions hold (`refund for`)", "refund for"),
        ("search: a word 1 in 100 descriptions holds (`payout`)", "payout"),
        ("search: two letters no description holds (`zq`)", "zq"),
    ] {
        cases.push(time(case, runs, |_| history(&search(words.into()), 0))?);
    }
    cases.push(time("search: a word most descriptions hold, charges only (`order`)", runs, |_| {
        history(&HistoryFilter { search: Some("order".into()), ..of("charge") }, 0)
    })?);
    cases.push(time("search: a word most descriptions hold, last 30 days (`order`)", runs, |_| {
        history(&HistoryFilter { search: Some("order".into()), ..month.clone() }, 0)
    })?);
    cases.push(time("search: a word most descriptions hold, page 10 (`order`)", runs, |_| {
        history(&search("order".into()), 9 * PAGE)
    })?);
    Ok(cases)
}

/// `rows` balance transactions of `account`, oldest first over a year, as the sync writes them.
fn fill(bench: &Bench, account: &str, rows: usize, now: i64) -> Result<(), CliError> {
    let step = (365 * DAY) as f64 / rows.max(1) as f64;
    let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
    let mut batch = Vec::with_capacity(100);
    for i in 0..rows {
        let created = now - 365 * DAY + (i as f64 * step) as i64;
        let kind = kind(i);
        let gross = 1_800 + (i as i64 * 7_919) % 14_700;
        let (amount, fee, source, description) = match kind {
            "charge" => (gross, gross * 29 / 1_000 + 30, format!("ch_bench{i:016}"), format!("Order HV-03-{i}")),
            "refund" => (-gross, 0, format!("re_bench{i:016}"), format!("Refund for order HV-03-{i}")),
            "payout" => (-gross * 40, 0, format!("po_bench{i:016}"), "STRIPE PAYOUT".to_string()),
            other => (-(gross / 10), 0, format!("{}_bench{i:016}", &other[..2]), other.replace('_', " ")),
        };
        batch.push(json!({
            "id": format!("txn_bench{i:016}"), "object": "balance_transaction", "amount": amount,
            "currency": "usd", "created": created, "available_on": created + 2 * DAY - created % DAY,
            "description": description, "fee": fee, "net": amount - fee,
            "status": if now - created > 2 * DAY { "available" } else { "pending" },
            "type": kind, "source": source, "reporting_category": kind,
        }));
        if batch.len() == 100 || i + 1 == rows {
            objects::upsert(&tx, account, &batch, "bench")?;
            batch.clear();
        }
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}
