//! The audit log (Settings → Audit log): the newest 500 records a profile may read, filtered by
//! who, what, how it ended and when (`Desk::audit_log`), over 100,000 records of a year — each
//! money call once as requested and once with its outcome, journalled for the restaurant it was
//! for — read by an admin who sees everything and by an owner who sees two restaurants.

use md_core::permissions::Role;
use md_core::store::sql::{params_from_iter, Value};
use md_core::store::StoreError;
use md_core::views::AuditFilter;

use super::desk::Bench;
use super::platform;
use super::timing::{time, Case};
use crate::commands::CliError;

const RESTAURANTS: usize = 1_000;
const DAY: i64 = 86_400;
const PEOPLE: [(&str, &str); 6] = [
    ("Maria", "owner"),
    ("Ada", "platform_admin"),
    ("Tom", "manager"),
    ("Priya", "manager"),
    ("Sam", "staff"),
    ("Lee", "staff"),
];
/// Money calls (journalled for a restaurant) and other actions, by how often they happen.
const MONEY: [&str; 6] =
    ["refunds.create", "refunds.create", "refunds.create", "payments.capture", "transfers.create", "disputes.submit"];
const OTHER: [&str; 4] = ["accounts.link", "settings.refund_limits", "profiles.update", "payouts.schedule_update"];

/// Fills a cache with `rows` audit records and times the log.
pub(super) fn measure(rows: usize, runs: usize) -> Result<Vec<Case>, CliError> {
    let mut bench = Bench::new("audit")?;
    let now = chrono::Utc::now().timestamp();
    platform::restaurants(&mut bench.store, RESTAURANTS, now)?;
    fill(&bench, rows, now)?;
    bench.sign_in()?;
    let desk = &bench.desk;
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string());
    let log = |f: &AuditFilter| -> Result<(), CliError> {
        std::hint::black_box(desk.audit_log(f)?.len());
        Ok(())
    };
    let every = AuditFilter::default();
    let mut cases = Vec::new();
    cases.push(time("newest 500, every record", runs, |_| log(&every))?);
    let capture = AuditFilter { action: Some("payments.capture".into()), ..every.clone() };
    cases.push(time("one action (payment captures, 1 record in 6)", runs, |_| log(&capture))?);
    let rare = AuditFilter { action: Some("payouts.schedule_update".into()), ..every.clone() };
    cases.push(time("a rare action (payout schedule changes, 1 record in 190)", runs, |_| log(&rare))?);
    cases.push(time("one person's", runs, |i| {
        log(&AuditFilter { profile_name: Some(PEOPLE[i % PEOPLE.len()].0.into()), ..every.clone() })
    })?);
    let failed = AuditFilter { outcome: Some("failed".into()), ..every.clone() };
    cases.push(time("failed only", runs, |_| log(&failed))?);
    cases.push(time("one week, 3 months ago", runs, |i| {
        let start = now - 90 * DAY - (i as i64 % 7) * DAY;
        log(&AuditFilter { from: day(start), to: day(start + 6 * DAY), ..every.clone() })
    })?);
    bench.sign_in_scoped("Bench owner", Role::Owner, vec![platform::account_id(3), platform::account_id(4)])?;
    cases.push(time("an owner of 2 restaurants: newest 500 of theirs", runs, |_| log(&every))?);
    let theirs = AuditFilter { action: Some("refunds.create".into()), ..every.clone() };
    cases.push(time("an owner of 2 restaurants: their refunds", runs, |_| log(&theirs))?);
    Ok(cases)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// `rows` audit records over a year, oldest first; money calls with their journal entries.
fn fill(bench: &Bench, rows: usize, now: i64) -> Result<(), CliError> {
    let step = (365 * DAY) as f64 / rows.max(1) as f64;
    let tx = bench.store.conn().unchecked_transaction().map_err(StoreError::from)?;
    {
        let mut audit = tx
            .prepare(
                "INSERT INTO audit_log (at, profile_id, profile_name, role, action, target, amount, currency,
                                        idempotency_key, request_id, outcome, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )
            .map_err(StoreError::from)?;
        let mut journal = tx
            .prepare(
                "INSERT INTO idempotency_journal (key, connection, action, account, method, path, params, status,
                                                  created_at, finished_at, profile_name, role, audit_action, summary)
                 VALUES (?1, 'sk_test_…bench', ?2, ?3, 'POST', ?4, '[]', ?5, ?6, ?6, ?7, ?8, ?2, ?2)",
            )
            .map_err(StoreError::from)?;
        // `i`: records written; `n`: actions taken (one record each, two for a money call).
        let (mut i, mut n) = (0, 0);
        while i < rows {
            n += 1;
            let at = now - 365 * DAY + (i as f64 * step) as i64;
            let stamp = chrono::DateTime::from_timestamp(at, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
            let (who, role) = PEOPLE[(n / 3) % PEOPLE.len()];
            // Profiles of the past, not the benchmark's own (their records would all be theirs).
            let profile = ((n / 3) % PEOPLE.len() + 100) as i64;
            if n % 10 == 9 {
                let action = OTHER[(n / 10) % OTHER.len()];
                let action = if n % 100 == 99 { "payouts.schedule_update" } else { action };
                let outcome = if action == "payouts.schedule_update" || n % 7 != 0 { "succeeded" } else { "refused" };
                let target = text(&platform::account_id(i % RESTAURANTS));
                let row = [text(&stamp), Value::Integer(profile), text(who), text(role), text(action), target];
                let row = row.into_iter().chain([Value::Null, Value::Null, Value::Null, Value::Null, text(outcome)]);
                audit.execute(params_from_iter(row.chain([Value::Null]))).map_err(StoreError::from)?;
                i += 1;
                continue;
            }
            // A money call: journalled, audited as requested, then with its outcome.
            let action = MONEY[n % MONEY.len()];
            let account = platform::account_id(i % RESTAURANTS);
            let key = format!("bench-{i:08}");
            let outcome = if i % 23 == 0 { "failed" } else { "succeeded" };
            let entry = [&key, action, &account, "/v1/refunds", outcome, &stamp, who, role].map(text);
            journal.execute(params_from_iter(entry)).map_err(StoreError::from)?;
            let amount = 1_800 + (i as i64 * 7_919) % 14_700;
            for (n, outcome) in ["requested", outcome].into_iter().enumerate().take(rows - i) {
                let who = [text(&stamp), Value::Integer(profile), text(who), text(role), text(action)];
                let what = [text(&format!("ch_bench{i:016}")), Value::Integer(amount), text("usd"), text(&key)];
                let request = if n == 1 { text(&format!("req_{i:014}")) } else { Value::Null };
                let detail = match outcome {
                    "failed" => text("Stripe declined: the charge was already refunded"),
                    _ => Value::Null,
                };
                let row = who.into_iter().chain(what).chain([request, text(outcome), detail]);
                audit.execute(params_from_iter(row)).map_err(StoreError::from)?;
            }
            i += 2;
        }
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(())
}
