//! What time does at the Gateway. Each midnight (UTC on the simulated clock) every merchant's open
//! batch is sent for settlement: its captures and refunds become "Accepted" for the business day
//! that just ended, and that day's settled batches are funded at once as a deposit dated the next
//! day (next-day funding). So a purchase on Monday settles Monday night and is deposited Tuesday.

use chrono::Days;

use crate::model::{Deposit, Setl, TxnKind};
use crate::state::{date_of, State, DAY};

/// Moves the clock forward by `seconds`, running each midnight it passes.
pub fn advance(state: &mut State, seconds: i64) {
    let mut left = seconds.max(0);
    while left > 0 {
        let step = left.min(DAY);
        state.move_clock(step);
        left -= step;
        tick(state);
    }
}

/// Runs the midnights that have passed since the last one run (real time moves the clock too).
/// Called first by every request, so it must be cheap when nothing is due.
pub fn tick(state: &mut State) {
    let today = state.now().div_euclid(DAY);
    while state.last_midnight < today {
        state.last_midnight += 1;
        let day = state.last_midnight;
        midnight(state, day);
    }
}

/// The nightly run at the start of `day` (Unix days).
fn midnight(state: &mut State, day: i64) {
    let cutoff = day * DAY - 1;
    let business_day = date_of(cutoff);
    let merchids: Vec<String> = state.merchants.keys().cloned().collect();
    for merchid in merchids {
        settle_open_batch(state, &merchid, cutoff);
        fund(state, &merchid, business_day);
    }
}

fn settle_open_batch(state: &mut State, merchid: &str, cutoff: i64) {
    let Some(batchid) = state.merchant(merchid).map(|m| m.open_batch.clone()) else { return };
    let retrefs = match state.batches.iter().find(|b| b.batchid == batchid) {
        Some(batch) if !batch.retrefs.is_empty() => batch.retrefs.clone(),
        // An empty batch stays open: nothing to send.
        _ => return,
    };
    let hostbatch = state.rng().digits(10);
    if let Some(batch) = state.batch_mut(&batchid) {
        batch.hostbatch = Some(hostbatch);
        batch.settled_on = Some(date_of(cutoff));
    }
    for retref in &retrefs {
        if let Some(t) = state.txn_mut(retref) {
            t.setl = Setl::Accepted;
            t.settledate = Some(cutoff);
        }
    }
    let next = state.new_batchid();
    if let Some(m) = state.merchants.get_mut(merchid) {
        m.open_batch = next;
    }
}

/// One deposit for the merchant's batches that settled on `business_day`, dated the day after.
fn fund(state: &mut State, merchid: &str, business_day: chrono::NaiveDate) {
    let batches: Vec<(String, Vec<String>)> = state
        .batches
        .iter()
        .filter(|b| b.merchid == merchid && b.settled_on == Some(business_day) && b.funded_by.is_none())
        .map(|b| (b.batchid.clone(), b.retrefs.clone()))
        .collect();
    if batches.is_empty() {
        return;
    }
    let Some(currency) = state.merchant(merchid).map(|m| m.currency.clone()) else { return };
    let retrefs: Vec<String> = batches.iter().flat_map(|(_, r)| r.iter().cloned()).collect();
    let net = retrefs
        .iter()
        .filter_map(|r| state.txn(r))
        .filter(|t| t.setl == Setl::Accepted)
        .map(|t| if t.kind == TxnKind::Refund { -t.amount } else { t.amount })
        .sum();
    let fundingid = state.rng().digits(14);
    let deposit = Deposit {
        fundingmasterid: state.rng().digits(14),
        fundingid: fundingid.clone(),
        merchid: merchid.to_string(),
        date: business_day.checked_add_days(Days::new(1)).unwrap_or(business_day),
        currency,
        net,
        batchids: batches.iter().map(|(b, _)| b.clone()).collect(),
        retrefs,
    };
    for (batchid, _) in &batches {
        if let Some(batch) = state.batch_mut(batchid) {
            batch.funded_by = Some(fundingid.clone());
        }
    }
    state.deposits.push(deposit);
}
