//! The transfers list (Transfers): a page of the newest transfers to the restaurants the profile
//! may see, or to one restaurant (`Desk::transfers`), over 100,000 transfers of the platform to 1,000
//! restaurants — some partly or wholly reversed, some made by destination charges.

use md_core::permissions::Role;
use md_core::store::objects::{self, PLATFORM};
use md_core::store::StoreError;
use md_core::transfers::views::TransferFilter;
use serde_json::json;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

const RESTAURANTS: usize = 1_000;
const DAY: i64 = 86_400;
/// Rows the list asks for at a time.
const PAGE: u32 = 100;

/// Fills a cache with `rows` transfers and times the list.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("transfers")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, RESTAURANTS, now)?;
    fill(&bench, rows, now)?;
    bench.sign_in()?;
    let desk = &bench.desk;
    // What the screen asks for: a page of 100 and the total.
    let list = |f: &TransferFilter, page: u32| -> Result<(), CliError> {
        std::hint::black_box(desk.transfers(f, page * PAGE, PAGE)?.rows.len());
        Ok(())
    };
    let every = TransferFilter { restaurant: None };
    let mut cases = Vec::new();
    cases.push(time("every restaurant's, newest first: page of 100 + total", runs, |_| list(&every, 0))?);
    cases.push(time("every restaurant's: page 20", runs, |_| list(&every, 19))?);
    cases.push(time("one restaurant's", runs, |i| {
        list(&TransferFilter { restaurant: Some(platform::account_id(i % RESTAURANTS)) }, 0)
    })?);
    let scope = (0..20).map(|i| platform::account_id(i * 47)).collect();
    bench.sign_in_scoped("Bench regional admin", Role::PlatformAdmin, scope)?;
    let desk = &bench.desk;
    cases.push(time("a profile's 20 restaurants", runs, |_| {
        std::hint::black_box(desk.transfers(&every, 0, PAGE)?.rows.len());
        Ok(())
    })?);
    Ok(cases)
}

/// `rows` transfers over a year, oldest first, taking turns over the restaurants.
fn fill(bench: &Bench, rows: usize, now: i64) -> Result<(), CliError> {
    let step = (365 * DAY) as f64 / rows.max(1) as f64;
    let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
    let mut batch = Vec::with_capacity(100);
    for i in 0..rows {
        let created = now - 365 * DAY + (i as f64 * step) as i64;
        let amount = 5_000 + (i as i64 * 7_919) % 95_000;
        let reversed = match i % 20 {
            0 => amount,
            1 => amount / 2,
            _ => 0,
        };
        // Destination charges make most transfers; the rest are sent by hand with a description.
        let by_charge = i % 4 != 0;
        batch.push(json!({
            "id": format!("tr_bench{i:016}"), "object": "transfer", "amount": amount, "currency": "usd",
            "created": created, "destination": platform::account_id(i % RESTAURANTS),
            "amount_reversed": reversed, "reversed": reversed == amount,
            "reversals": {"object": "list", "data": [], "has_more": false},
            "description": if by_charge { json!(null) } else { json!(format!("Catering week {}", i % 52 + 1)) },
            "source_transaction": if by_charge { json!(format!("ch_bench{i:016}")) } else { json!(null) },
            "transfer_group": null, "metadata": {},
        }));
        if batch.len() == 100 || i + 1 == rows {
            objects::upsert(&tx, PLATFORM, &batch, "bench")?;
            batch.clear();
        }
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}
