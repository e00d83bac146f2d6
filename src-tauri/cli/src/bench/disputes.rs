//! The disputes inbox (Disputes): a page of the disputes of the restaurants the profile may see,
//! most pressing first, filtered by status, reason or restaurant (`Desk::disputes`), over 100,000
//! disputes of 1,000 restaurants — most long closed, some with the bank, a few to answer.

use md_core::disputes::views::DisputeFilter;
use md_core::permissions::Role;
use md_core::store::objects;
use md_core::store::StoreError;
use serde_json::json;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

const RESTAURANTS: usize = 1_000;
/// Rows the inbox asks for at a time.
const PAGE: usize = 100;
const DAY: i64 = 86_400;
const REASONS: [&str; 7] = [
    "fraudulent",
    "fraudulent",
    "product_not_received",
    "duplicate",
    "product_unacceptable",
    "credit_not_processed",
    "general",
];

/// Status of dispute `i`: 2 in 100 to answer, 3 with the bank, the rest closed.
fn status(i: usize) -> &'static str {
    match i % 100 {
        0 => "needs_response",
        1 => "warning_needs_response",
        2..=4 => "under_review",
        5..=54 => "won",
        55..=89 => "lost",
        90..=94 => "warning_closed",
        _ => "charge_refunded",
    }
}

/// Fills a cache with `rows` disputes and times the inbox.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("disputes")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, RESTAURANTS, now)?;
    fill(&bench, rows, now)?;
    bench.sign_in()?;
    let desk = &bench.desk;
    // What the screen asks for: a page of 100 with the caption's counts and the reason picker.
    let inbox = |f: &DisputeFilter, page: usize| -> Result<(), CliError> {
        std::hint::black_box(desk.disputes(f, (page * PAGE) as u32, PAGE as u32)?.rows.len());
        Ok(())
    };
    let every = DisputeFilter::default();
    let pages = rows.div_ceil(PAGE).max(1);
    let mut cases = Vec::new();
    cases.push(time(format!("every dispute ({rows}): first page of 100 + counts"), runs, |_| inbox(&every, 0))?);
    cases.push(time("every dispute: page 20", runs, |_| inbox(&every, 19))?);
    cases.push(time("every dispute: last page", runs, |_| inbox(&every, pages - 1))?);
    let open = DisputeFilter { status: Some("needs_response".into()), ..every.clone() };
    cases.push(time("needing a response", runs, |_| inbox(&open, 0))?);
    let won = DisputeFilter { status: Some("won".into()), ..every.clone() };
    cases.push(time("won (half of all), page 20", runs, |_| inbox(&won, 19))?);
    cases.push(time("one restaurant's", runs, |i| {
        inbox(&DisputeFilter { restaurant: Some(platform::account_id(i % RESTAURANTS)), ..every.clone() }, 0)
    })?);
    let reason = DisputeFilter { reason: Some("product_not_received".into()), ..every.clone() };
    cases.push(time("one reason (1 in 7)", runs, |_| inbox(&reason, 0))?);
    cases.push(time("one reason (1 in 7), page 20", runs, |_| inbox(&reason, 19))?);
    let scope = (0..5).map(|i| platform::account_id(i * 97)).collect();
    bench.sign_in_scoped("Bench manager", Role::Manager, scope)?;
    let desk = &bench.desk;
    cases.push(time("a profile's 5 restaurants", runs, |_| {
        std::hint::black_box(desk.disputes(&every, 0, PAGE as u32)?.rows.len());
        Ok(())
    })?);
    Ok(cases)
}

/// `rows` disputes over a year, taking turns over the restaurants, as the sync writes them.
fn fill(bench: &Bench, rows: usize, now: i64) -> Result<(), CliError> {
    let step = (365 * DAY) as f64 / rows.max(1) as f64;
    let mut by_account = vec![Vec::new(); RESTAURANTS];
    for i in 0..rows {
        let created = now - 365 * DAY + (i as f64 * step) as i64;
        let status = status(i);
        let open = status.ends_with("needs_response");
        by_account[i % RESTAURANTS].push(json!({
            "id": format!("dp_bench{i:016}"), "object": "dispute", "amount": 1_800 + (i as i64 * 7_919) % 14_700,
            "currency": "usd", "charge": format!("ch_bench{i:016}"), "created": created,
            "reason": REASONS[(i / 7 + i) % REASONS.len()], "status": status, "is_charge_refundable": open,
            "evidence_details": {"due_by": created + 21 * DAY, "has_evidence": !open, "past_due": false,
                                 "submission_count": if open { 0 } else { 1 }},
            "evidence": {"customer_name": null, "product_description": null},
            "payment_intent": format!("pi_bench{i:016}"), "metadata": {},
        }));
    }
    let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
    for (account, disputes) in by_account.iter().enumerate() {
        for page in disputes.chunks(100) {
            objects::upsert(&tx, &platform::account_id(account), page, "bench")?;
        }
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}
