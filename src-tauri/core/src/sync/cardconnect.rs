//! CardConnect's data into the same cache as Stripe's: each CardConnect restaurant's deposits
//! (CardPointe `funding`, shown beside Stripe payouts) and its transactions in the neutral shape.
//!
//! CardPointe has no "list transactions" call: what a day did is read from its deposit (every
//! transaction it paid out) and, for the last days not yet paid out, from the settled batches
//! (`settlestat`) with an inquiry per transaction not cached yet. Sync is incremental per
//! restaurant: days are fetched once final (the last [`REVISIT_DAYS`] again, since deposits come
//! the day after), from [`HISTORY_DAYS`] back on the first sync.

use std::sync::atomic::Ordering;
use std::sync::Mutex;

use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

use super::{Progress, SyncControl};
use crate::gateways::cardconnect::{CardConnectClient, CardConnectError, Deposit};
use crate::gateways::{GatewayKind, Transaction, TxType};
use crate::payouts::DEPOSIT_PREFIX;
use crate::store::merchants::Merchant;
use crate::store::{deposits, locked as lock, objects, transactions, Store, StoreError};

/// How far back the first sync of a restaurant reaches.
pub const HISTORY_DAYS: i64 = 90;
/// Days read again on every sync: a day's deposit arrives the next day, and batches settle late.
pub const REVISIT_DAYS: i64 = 3;
/// The sync state's name for a restaurant's last final day.
const CURSOR: &str = "cardconnect_days";

#[derive(Debug, thiserror::Error)]
pub enum CardConnectSyncError {
    #[error("CardConnect sync: {0}")]
    Gateway(#[from] CardConnectError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cancelled")]
    Cancelled,
}

/// What a CardConnect sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardConnectReport {
    pub requests: u64,
    pub deposits: usize,
    pub transactions: usize,
}

/// Syncs every restaurant in `merchants` up to `today` (the desk's clock, UTC).
pub async fn sync_cardconnect(
    client: &CardConnectClient,
    store: &Mutex<Store>,
    merchants: &[Merchant],
    today: NaiveDate,
    control: &SyncControl,
) -> Result<CardConnectReport, CardConnectSyncError> {
    let mut report = CardConnectReport::default();
    let plans: Vec<(&Merchant, NaiveDate)> = {
        let store = lock(store);
        merchants
            .iter()
            .map(|m| Ok((m, first_day(store.conn(), &m.merchid, today)?)))
            .collect::<Result<_, StoreError>>()?
    };
    let total: u64 = plans.iter().map(|(_, from)| (today - *from).num_days().max(0) as u64 + 1).sum();
    set_progress(control, 0, total);
    let mut done = 0;
    for (merchant, from) in plans {
        let mut day = from;
        while day <= today {
            if control.cancel.load(Ordering::SeqCst) {
                return Err(CardConnectSyncError::Cancelled);
            }
            sync_day(client, store, merchant, day, today, control, &mut report).await?;
            done += 1;
            set_progress(control, done, total);
            day = day.succ_opt().unwrap_or(today + chrono::Days::new(1));
        }
    }
    Ok(report)
}

fn set_progress(control: &SyncControl, done: u64, total: u64) {
    *control.progress.lock().unwrap_or_else(|p| p.into_inner()) =
        Progress { phase: "CardConnect deposits".into(), done, total };
}

/// The first day to fetch for `merchid`: after its last final day (less the days revisited), or
/// [`HISTORY_DAYS`] back.
fn first_day(conn: &rusqlite::Connection, merchid: &str, today: NaiveDate) -> Result<NaiveDate, StoreError> {
    let last_final = objects::cursor(conn, merchid, CURSOR)?
        .and_then(|(cursor, _)| cursor)
        .and_then(|c| NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok());
    let earliest = today - chrono::Days::new(HISTORY_DAYS as u64);
    Ok(match last_final {
        Some(day) => (day + chrono::Days::new(1)).min(today - chrono::Days::new(REVISIT_DAYS as u64 - 1)).max(earliest),
        None => earliest,
    })
}

async fn sync_day(
    client: &CardConnectClient,
    store: &Mutex<Store>,
    merchant: &Merchant,
    day: NaiveDate,
    today: NaiveDate,
    control: &SyncControl,
    report: &mut CardConnectReport,
) -> Result<(), CardConnectSyncError> {
    let found = client.funding(&merchant.merchid, day).await?;
    report.requests += 1;
    let recent = (today - day).num_days() < REVISIT_DAYS;
    // Settled but not yet paid out: only the last days, and CardPointe answers this year only.
    let mut settled: Vec<Transaction> = Vec::new();
    if recent && day.year() == today.year() {
        let batches = client.settlestat(&merchant.merchid, day, &merchant.currency).await?;
        report.requests += 1;
        for retref in batches.iter().flat_map(|b| b.txns.iter()).map(|t| t.retref.clone()) {
            let cached = transactions::get(lock(store).conn(), GatewayKind::CardConnect, &retref)?;
            if cached.is_some_and(|t| t.settled == Some(true)) {
                continue;
            }
            report.requests += 1;
            if let Some(mut txn) = client.inquire(&merchant.merchid, &retref).await? {
                if txn.settled.is_none() {
                    txn.settled = Some(true);
                }
                settled.push(txn);
            }
        }
    }
    let now = chrono::Utc::now().to_rfc3339();
    let store = lock(store);
    // Checked under the store's lock, as the Stripe sync does: a connection change empties the
    // cache and nothing fetched for the old one may be written after it.
    if control.abandon.load(Ordering::SeqCst) {
        return Err(CardConnectSyncError::Cancelled);
    }
    let tx = rusqlite::Transaction::new_unchecked(store.conn(), rusqlite::TransactionBehavior::Immediate)
        .map_err(StoreError::from)?;
    let mut touched: Vec<Transaction> = settled;
    touched.extend(found.iter().flat_map(|d| d.transactions.iter().cloned()));
    // A refund settled here may come without its payment (an inquiry does not name it); what the
    // deposit said wins, so the deposit's copy is written last. `upsert` keeps each payment's
    // `refunded` at least the sum of the refunds that name it.
    report.transactions += transactions::upsert(&tx, &touched, &now)?;
    let shaped: Vec<Value> = found.iter().map(|d| deposit_json(d, &merchant.name, &now)).collect();
    report.deposits += deposits::upsert(&tx, &merchant.merchid, &shaped, &now)?;
    if !recent {
        objects::set_cursor(&tx, &merchant.merchid, CURSOR, Some(&day.format("%Y-%m-%d").to_string()), true, &now)?;
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}

/// A deposit shaped like a Stripe payout (so the payouts screens read both gateways alike), with
/// what it paid out shaped like Stripe's balance transactions (for the breakdown).
fn deposit_json(d: &Deposit, restaurant: &str, synced_at: &str) -> Value {
    let day = d.date.format("%Y%m%d");
    let arrival = d.date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
    let funded: Vec<Value> = d
        .transactions
        .iter()
        .map(|t| {
            let signed = if t.kind == TxType::Refund { -t.amount } else { t.amount };
            let card = match (&t.card_brand, &t.card_last4) {
                (Some(brand), Some(last4)) => format!("{brand} ••••{last4}"),
                (None, Some(last4)) => format!("Card ••••{last4}"),
                _ => "Card".to_string(),
            };
            json!({
                "id": t.reference,
                "type": if t.kind == TxType::Refund { "refund" } else { "charge" },
                "amount": signed,
                "fee": 0,
                "net": signed,
                "created": t.created,
                "description": card,
                "source": { "id": t.parent.as_deref().unwrap_or(&t.reference), "metadata": { "order_number": t.order_ref } },
            })
        })
        .collect();
    json!({
        "id": format!("{DEPOSIT_PREFIX}{}_{day}_{}", d.merchid, d.funding_id),
        "object": "payout",
        "gateway": "cardconnect",
        "description": format!("CardConnect deposit to {restaurant}"),
        "amount": d.amount,
        "currency": d.currency,
        "arrival_date": arrival,
        "created": arrival,
        "status": "paid",
        "method": "standard",
        "automatic": true,
        "merchid": d.merchid,
        "funding_id": d.funding_id,
        "retrefs": d.retrefs,
        "funded": funded,
        "synced_at": synced_at,
    })
}
