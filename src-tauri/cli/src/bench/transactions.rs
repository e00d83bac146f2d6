//! `merchant-desk-cli bench transactions`: how fast the neutral transactions answer the payments
//! screens, over a generated year of a restaurant group on both gateways — 40 Stripe restaurants
//! and 2 CardConnect merchants taking online orders — with purchases, manual captures, declines,
//! held authorizations, refunds and voids in the proportions the demo seeds use.

use std::time::Instant;

use md_core::gateways::{GatewayKind, Transaction, TxStatus, TxType};
use md_core::store::filters::Accounts;
use md_core::store::transactions::{self, OrderQuery};
use md_core::store::{Store, StoreError};

use super::timing::{self, time, Case};
use crate::commands::{CliError, Options};

pub(super) const STRIPE_RESTAURANTS: usize = 40;
pub(super) const MERCHANTS: [&str; 2] = ["496400000101", "496400000102"];
/// Share of payments taken through CardConnect (the merchants' online orders), in percent.
const CARDCONNECT_SHARE: u64 = 20;
const DAY: i64 = 86_400;

/// `bench transactions [--rows N] [--runs N]`.
pub fn run(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--rows", "--runs"])?;
    let rows = opts.number("--rows", 100_000)? as usize;
    let runs = opts.number("--runs", 500)?.max(200) as usize;
    let dir = std::env::temp_dir().join(format!("merchant-desk-bench-tx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
    let result = measure(&dir, rows, runs);
    let _ = std::fs::remove_dir_all(&dir);
    let (made, cases) = result?;
    timing::print(&title(&made, runs), runs, &cases);
    Ok(())
}

/// The header of the table: what was generated.
pub(super) fn title(made: &Made, runs: usize) -> String {
    format!(
        "neutral transactions query ({} rows: {} Stripe in {STRIPE_RESTAURANTS} restaurants, {} CardConnect in {} merchants; {runs} runs)",
        made.total,
        made.stripe,
        made.cardconnect,
        MERCHANTS.len()
    )
}

/// What was generated.
pub(super) struct Made {
    pub(super) total: usize,
    pub(super) stripe: usize,
    pub(super) cardconnect: usize,
    /// Order numbers with a refund or void beside the payment, from both gateways.
    orders: Vec<String>,
}

/// Fills a cache with `rows` neutral transactions in `dir` and times the payments screens' queries.
pub(super) fn measure(dir: &std::path::Path, rows: usize, runs: usize) -> Result<(Made, Vec<Case>), CliError> {
    let store = Store::open(&dir.join("transactions.sqlite3"))?;
    eprintln!("{rows} neutral transactions in a cache…");
    let started = Instant::now();
    let made = fill(&store, rows)?;
    eprintln!(
        "  written in {:.1} s; timing the payments screens' queries ({runs} runs each)…",
        started.elapsed().as_secs_f64()
    );
    let conn = store.conn();
    let stripe = |i: usize| format!("acct_bench{:08}", i % STRIPE_RESTAURANTS);
    let merchant = |i: usize| MERCHANTS[i % MERCHANTS.len()].to_string();
    let page = OrderQuery::default();
    // Each run asks about another restaurant or order, so no answer is simply the last one again.
    let list = |scope: &Accounts, query: &OrderQuery| -> Result<(), CliError> {
        let total = transactions::count(conn, scope, query)?;
        let rows = transactions::of_restaurants(conn, scope, query)?;
        std::hint::black_box((total, rows.len()));
        Ok(())
    };
    let mut cases = Vec::new();
    cases.push(time("one Stripe restaurant's orders, newest first: page of 100 + total", runs, |i| {
        list(&Accounts::Only(vec![stripe(i)]), &page)
    })?);
    cases.push(time("one CardConnect merchant's orders, newest first: page of 100 + total", runs, |i| {
        list(&Accounts::Only(vec![merchant(i)]), &page)
    })?);
    cases.push(time(
        "a restaurant on both gateways (account + merchant ID), newest first: page of 100 + total",
        runs,
        |i| list(&Accounts::Only(vec![stripe(i), merchant(i)]), &page),
    )?);
    cases.push(time("a profile's 5 restaurants on both gateways, newest first: page of 100 + total", runs, |i| {
        list(&Accounts::Only(vec![stripe(i), stripe(i + 1), stripe(i + 2), stripe(i + 3), merchant(i)]), &page)
    })?);
    cases.push(time(
        "a profile's 22 restaurants (20 accounts, 2 merchants), newest first: page of 100 + total",
        runs,
        |i| {
            let mut scope: Vec<String> = (0..20).map(|k| stripe(i + 2 * k)).collect();
            scope.extend(MERCHANTS.iter().map(|m| m.to_string()));
            list(&Accounts::Only(scope), &page)
        },
    )?);
    cases.push(time("every restaurant, newest first: page of 100 + total", runs, |_| list(&Accounts::All, &page))?);
    let deep = OrderQuery { offset: 1_900, ..page.clone() };
    cases.push(time("a restaurant on both gateways, page 20 (offset 1,900) + total", runs, |i| {
        list(&Accounts::Only(vec![stripe(i), merchant(i)]), &deep)
    })?);
    let month = OrderQuery { from: Some(chrono::Utc::now().timestamp() - 30 * DAY), ..page.clone() };
    cases.push(time("a restaurant on both gateways, last 30 days, pending only: page + total", runs, |i| {
        let query = OrderQuery { status: Some(TxStatus::Pending), ..month.clone() };
        list(&Accounts::Only(vec![stripe(i), merchant(i)]), &query)
    })?);
    cases.push(time("a restaurant's orders by the start of an order number: page + total", runs, |i| {
        let r = i % STRIPE_RESTAURANTS;
        let query = OrderQuery { order_prefix: Some(format!("hv-{r:02}-1")), ..page.clone() };
        list(&Accounts::Only(vec![stripe(r)]), &query)
    })?);
    cases.push(time("find an order number across both gateways (every restaurant)", runs, |i| {
        let order = &made.orders[i % made.orders.len()];
        match transactions::by_order(conn, order, &Accounts::All)?.len() {
            2.. => Ok(()),
            n => Err(CliError::Setup(format!("order {order}: {n} rows, not the payment and its refund or void"))),
        }
    })?);
    cases.push(time("find an order number within a profile's 5 restaurants", runs, |i| {
        let scope = Accounts::Only(vec![stripe(i), stripe(i + 1), stripe(i + 2), merchant(0), merchant(1)]);
        std::hint::black_box(transactions::by_order(conn, &made.orders[i % made.orders.len()], &scope)?);
        Ok(())
    })?);
    cases.push(time("an order number nobody has", runs, |i| {
        let found = transactions::by_order(conn, &format!("HV-99-{i}"), &Accounts::All)?;
        std::hint::black_box(found.len());
        Ok(())
    })?);
    Ok((made, cases))
}

/// xorshift64*: deterministic, so every run of the benchmark times the same data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A year of payments, oldest first, until `rows` rows; written as the syncs write them.
pub(super) fn fill(store: &Store, rows: usize) -> Result<Made, CliError> {
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let now = chrono::Utc::now().timestamp();
    // About 1.07 rows per payment (refunds, voids): spread the payments over the year.
    let step = (365 * DAY) as f64 / (rows as f64 / 1.07);
    let mut made = Made { total: 0, stripe: 0, cardconnect: 0, orders: Vec::new() };
    let mut order_numbers = vec![1_000u64; STRIPE_RESTAURANTS + MERCHANTS.len()];
    let mut batch: Vec<Transaction> = Vec::with_capacity(1_100);
    let tx = store.conn().unchecked_transaction().map_err(StoreError::from)?;
    let mut payment = 0u64;
    while made.total < rows {
        let created = now - 365 * DAY + (payment as f64 * step) as i64;
        payment += 1;
        let online = rng.chance(CARDCONNECT_SHARE);
        let who = if online {
            STRIPE_RESTAURANTS + rng.below(MERCHANTS.len() as u64) as usize
        } else {
            rng.below(STRIPE_RESTAURANTS as u64) as usize
        };
        order_numbers[who] += 1;
        let number = order_numbers[who];
        let amount = 1_800 + rng.below(14_700) as i64;
        let (brand, last4) = [("visa", "4242"), ("mastercard", "4444"), ("amex", "8431")][rng.below(3) as usize];
        let mut pay = Transaction {
            gateway: if online { GatewayKind::CardConnect } else { GatewayKind::Stripe },
            reference: if online {
                format!("{:012}", 100_000_000_000 + payment)
            } else {
                format!("ch_bench{payment:016}")
            },
            kind: TxType::Purchase,
            status: TxStatus::Complete,
            amount,
            refunded: 0,
            currency: "usd".into(),
            order_ref: Some(if online {
                format!("EP-{}-{number:06}", who - STRIPE_RESTAURANTS + 1)
            } else {
                format!("HV-{who:02}-{number}")
            }),
            restaurant: if online {
                MERCHANTS[who - STRIPE_RESTAURANTS].to_string()
            } else {
                format!("acct_bench{who:08}")
            },
            created,
            parent: None,
            card_brand: Some(brand.into()),
            card_last4: Some(last4.into()),
            settled: Some(online && now - created > DAY || !online),
        };
        let recent = now - created < 3 * DAY;
        match rng.below(100) {
            // Declined at the card network.
            0..=2 => (pay.kind, pay.status, pay.settled) = (TxType::Authorize, TxStatus::Failed, Some(false)),
            // Authorized at the table, captured with the bill (sometimes for less) — or still held.
            3..=11 if recent && rng.chance(40) => (pay.kind, pay.settled) = (TxType::Authorize, Some(false)),
            3..=11 => {
                pay.kind = TxType::Capture;
                if rng.chance(25) {
                    pay.amount = amount * 9 / 10;
                }
            }
            _ => {}
        }
        let mut follow = None;
        let refundable = pay.refundable() > 0;
        if online && refundable && pay.settled == Some(false) && rng.chance(15) {
            // Cancelled before the nightly batch: voided whole.
            follow = Some((TxType::Void, pay.amount, TxStatus::Complete));
        } else if refundable && rng.chance(if online { 5 } else { 8 }) {
            let part = if rng.chance(50) { pay.amount / 2 } else { pay.amount };
            let status = if rng.chance(3) { TxStatus::Pending } else { TxStatus::Complete };
            follow = Some((TxType::Refund, part, status));
        }
        let mut rows_now = vec![];
        if let Some((kind, amount, status)) = follow {
            if kind == TxType::Refund {
                pay.refunded = amount;
            }
            let later = (created + (1 + rng.below(3) as i64) * DAY).min(now);
            rows_now.push(Transaction {
                reference: if online {
                    format!("{:012}", 500_000_000_000 + payment)
                } else {
                    format!("re_bench{payment:016}")
                },
                kind,
                status,
                amount,
                refunded: 0,
                order_ref: None,
                created: later,
                parent: Some(pay.reference.clone()),
                card_brand: None,
                card_last4: None,
                settled: None,
                ..pay.clone()
            });
            if made.orders.len() < 400 && payment % 7 == 0 {
                made.orders.push(pay.order_ref.clone().unwrap_or_default());
            }
        }
        rows_now.insert(0, pay);
        for row in rows_now.into_iter().take(rows - made.total) {
            match row.gateway {
                GatewayKind::Stripe => made.stripe += 1,
                GatewayKind::CardConnect => made.cardconnect += 1,
            }
            made.total += 1;
            batch.push(row);
        }
        if batch.len() >= 1_000 || made.total == rows {
            transactions::upsert(&tx, &batch, "bench")?;
            batch.clear();
        }
    }
    tx.commit().map_err(StoreError::from)?;
    if made.orders.is_empty() {
        return Err(CliError::Setup("too few rows to find orders with refunds in".into()));
    }
    Ok(made)
}
