//! `merchant-desk-cli bench payments`: how fast the Payments & Refunds search box answers, for
//! each kind of search, over the generated year of `bench transactions` (100,000 neutral rows on
//! both gateways), with what a real cache adds: customer emails on most Stripe payments (20,000
//! returning customers), cards spread over 10,000 last4s with a third still on the test cards, and
//! each Stripe charge's PaymentIntent in the object cache. Each run times
//! `md_core::payments::find::page` — the screen's whole call after authorization: the text read,
//! every reading looked up, merged, ranked and put into words with restaurant names.

use std::time::Instant;

use md_core::gateways::GatewayKind;
use md_core::money::Money;
use md_core::payments::find;
use md_core::payments::queries::Filter;
use md_core::store::filters::Accounts;
use md_core::store::transactions;
use md_core::store::{Store, StoreError};

use super::timing::{self, time, Case};
use super::transactions::{fill, Made, Rng, MERCHANTS};
use crate::commands::{CliError, Options};

/// Rows per page, as the screen asks.
const PAGE: u32 = 50;
const CUSTOMERS: u64 = 20_000;
const FIRST: [&str; 8] = ["maria", "james", "aiko", "liam", "sofia", "noah", "chloe", "omar"];
const LAST: [&str; 8] = ["garcia", "smith", "tanaka", "murphy", "rossi", "brown", "martin", "haddad"];
const DOMAINS: [&str; 4] = ["example.com", "mail.example", "example.org", "inbox.example"];

/// `bench payments [--rows N] [--runs N]`.
pub fn run(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--rows", "--runs"])?;
    let rows = opts.number("--rows", 100_000)? as usize;
    let runs = opts.number("--runs", 500)?.max(200) as usize;
    let dir = std::env::temp_dir().join(format!("merchant-desk-bench-pay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Io(e.to_string()))?;
    let result = measure(&dir, rows, runs);
    let _ = std::fs::remove_dir_all(&dir);
    let (made, payments, cases) = result?;
    timing::print(&title(&made, payments, runs), runs, &cases);
    Ok(())
}

/// The header of the table: what was generated.
pub(super) fn title(made: &Made, payments: i64, runs: usize) -> String {
    format!(
        "payments search: a page of {PAGE} ({} rows, {payments} of them payments: {} Stripe, {} CardConnect; {runs} runs)",
        made.total, made.stripe, made.cardconnect
    )
}

/// A payment to look for.
struct Sample {
    gateway: GatewayKind,
    reference: String,
    order: String,
    amount: String,
    last4: String,
    email: Option<String>,
    restaurant: String,
}

/// Fills a cache with `rows` neutral transactions and what a synced cache adds in `dir`, and times
/// the search box.
pub(super) fn measure(dir: &std::path::Path, rows: usize, runs: usize) -> Result<(Made, i64, Vec<Case>), CliError> {
    let store = Store::open(&dir.join("payments.sqlite3"))?;
    eprintln!("{rows} neutral transactions in a cache…");
    let started = Instant::now();
    let made = fill(&store, rows)?;
    decorate(&store)?;
    eprintln!("  written in {:.1} s; timing the search box ({runs} runs each)…", started.elapsed().as_secs_f64());
    let conn = store.conn();
    let payments: i64 = conn
        .query_row("SELECT count(*) FROM transactions WHERE kind != 'refund' AND kind != 'void'", [], |r| r.get(0))
        .map_err(StoreError::from)?;
    let samples = samples(&store)?;
    let of = |gateway: GatewayKind| samples.iter().filter(move |s| s.gateway == gateway).collect::<Vec<_>>();
    let (stripe, cardconnect) = (of(GatewayKind::Stripe), of(GatewayKind::CardConnect));
    let with_email: Vec<&Sample> = samples.iter().filter(|s| s.email.is_some()).collect();
    if stripe.is_empty() || cardconnect.is_empty() || with_email.is_empty() {
        return Err(CliError::Setup("too few rows to sample payments of both gateways".into()));
    }
    let everyone = Filter { restaurants: Accounts::All, from: None, until: None, status: None };
    // A staff profile: one Stripe restaurant and one CardConnect merchant.
    let staff = |s: &Sample| Filter {
        restaurants: Accounts::Only(vec![s.restaurant.clone(), MERCHANTS[0].to_string()]),
        ..everyone.clone()
    };
    // Finds `want` (a reference) with `text`, or fails the benchmark: a fast wrong answer is no figure.
    let find = |text: &str, filter: &Filter, want: Option<&str>| -> Result<(), CliError> {
        let page = find::page(conn, Some(text), filter, PAGE, 0, None)?;
        if let Some(want) = want {
            if !page.rows.iter().any(|r| r.reference == want) {
                return Err(CliError::Setup(format!("{text:?} did not find {want}")));
            }
        }
        std::hint::black_box(page.rows.len());
        Ok(())
    };
    let all: Vec<&Sample> = samples.iter().collect();
    // Each run asks about another payment.
    let pick = |list: &[&Sample], i: usize| -> usize { (i * 7_919) % list.len() };

    let mut cases = Vec::new();
    cases.push(time("order number typed in full (`HV-07-1234`), every restaurant", runs, |i| {
        let s = all[pick(&all, i)];
        find(&s.order, &everyone, Some(&s.reference))
    })?);
    cases.push(time("order number typed in full, a staff profile's 2 restaurants", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&s.order, &staff(s), Some(&s.reference))
    })?);
    cases.push(time("the start of an order number, lower-case (`hv-07-12`)", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&s.order[..s.order.len() - 2].to_ascii_lowercase(), &everyone, None)
    })?);
    cases.push(time("amount (`64.37`), every restaurant", runs, |i| {
        let s = all[pick(&all, i)];
        find(&s.amount, &everyone, None)
    })?);
    cases.push(time("amount, a staff profile's 2 restaurants", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&s.amount, &staff(s), None)
    })?);
    cases.push(time("card last4 (`•••• 0713`; spread over 10,000), every restaurant", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&format!("•••• {}", s.last4), &everyone, None)
    })?);
    cases.push(time("card last4 of a test card on 1 payment in 9 (`4242`), every restaurant", runs, |_| {
        find("4242", &everyone, None)
    })?);
    cases.push(time("card last4 of a test card (`4242`), a staff profile's 2 restaurants", runs, |i| {
        find("4242", &staff(stripe[pick(&stripe, i)]), None)
    })?);
    cases.push(time("customer email typed in full", runs, |i| {
        let s = with_email[pick(&with_email, i)];
        find(s.email.as_deref().unwrap_or_default(), &everyone, Some(&s.reference))
    })?);
    cases.push(time("the start of a customer email (`sofia.ross`)", runs, |i| {
        let s = with_email[pick(&with_email, i)];
        let email = s.email.as_deref().unwrap_or_default();
        find(&email[..email.find('.').map_or(email.len(), |d| d + 5).min(email.len())], &everyone, None)
    })?);
    cases.push(time("Stripe charge ID (`ch_…`)", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&s.reference, &everyone, Some(&s.reference))
    })?);
    cases.push(time("Stripe PaymentIntent ID (`pi_…`), through the object cache", runs, |i| {
        let s = stripe[pick(&stripe, i)];
        find(&format!("pi_{}", &s.reference[3..]), &everyone, Some(&s.reference))
    })?);
    cases.push(time("CardPointe retref (12 digits)", runs, |i| {
        let s = cardconnect[pick(&cardconnect, i)];
        find(&s.reference, &everyone, Some(&s.reference))
    })?);
    cases.push(time("nothing found (`ZZ-404-…`)", runs, |i| find(&format!("ZZ-404-{i}"), &everyone, None))?);
    let today = Filter { from: Some(chrono::Utc::now().timestamp() - 86_400), ..everyone.clone() };
    cases.push(time("no search: the last day's payments of every restaurant, page + total", runs, |_| {
        std::hint::black_box(find::page(conn, None, &today, PAGE, 0, Some(0))?.rows.len());
        Ok(())
    })?);
    Ok((made, payments, cases))
}

/// What `fill` leaves out and a synced cache has: emails (set as the Stripe sync sets them), last4s
/// of real cards, and the charges' objects naming their PaymentIntents (only the columns read).
fn decorate(store: &Store) -> Result<(), CliError> {
    let tx = store.conn().unchecked_transaction().map_err(StoreError::from)?;
    tx.execute_batch(
        "UPDATE transactions SET card_last4 = printf('%04d', (rowid * 7919) % 10000)
             WHERE card_last4 IS NOT NULL AND rowid % 3 != 0;
         INSERT INTO objects (id, kind, account, created, parent, raw, synced_at)
             SELECT reference, 'charge', restaurant, created, 'pi_' || substr(reference, 4), '{}', 'bench'
             FROM transactions WHERE gateway = 'stripe' AND kind != 'refund';",
    )
    .map_err(StoreError::from)?;
    let references: Vec<String> = tx
        .prepare("SELECT reference FROM transactions WHERE gateway = 'stripe' AND kind != 'refund' ORDER BY rowid")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(StoreError::from)?;
    // Seven payments in ten leave an email (a receipt, a card's billing email); customers return.
    let mut rng = Rng(0x5EED_E3A1_0000_0002);
    let emails: Vec<(&str, Option<String>)> = references
        .iter()
        .map(|r| {
            let customer = rng.below(CUSTOMERS) as usize;
            let email = rng.chance(70).then(|| {
                let (f, l) = (FIRST[customer % FIRST.len()], LAST[(customer / FIRST.len()) % LAST.len()]);
                format!("{f}.{l}{}@{}", customer / 64, DOMAINS[customer % DOMAINS.len()])
            });
            (r.as_str(), email)
        })
        .collect();
    let emails: Vec<(&str, Option<&str>)> = emails.iter().map(|(r, e)| (*r, e.as_deref())).collect();
    transactions::set_customer_emails(&tx, GatewayKind::Stripe, &emails)?;
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}

/// About a thousand payments spread over the table, to look for.
fn samples(store: &Store) -> Result<Vec<Sample>, CliError> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT gateway, reference, order_ref, amount, currency, card_last4, customer_email, restaurant
             FROM transactions WHERE kind IN ('purchase', 'capture') AND status = 'complete' AND order_ref IS NOT NULL
             AND card_last4 IS NOT NULL AND rowid % 97 = 0",
        )
        .map_err(StoreError::from)?;
    let rows = stmt
        .query_map([], |r| {
            let gateway: String = r.get(0)?;
            let currency: String = r.get(4)?;
            Ok(Sample {
                gateway: GatewayKind::parse(&gateway).unwrap_or(GatewayKind::Stripe),
                reference: r.get(1)?,
                order: r.get(2)?,
                amount: Money::new(r.get(3)?, currency).to_major_string(),
                last4: r.get(5)?,
                email: r.get(6)?,
                restaurant: r.get(7)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(StoreError::from)?;
    Ok(rows)
}
