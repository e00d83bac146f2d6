//! CSV files for the accountant: amounts in major units with a currency column, ISO dates, UTF-8
//! with a header row, every cell through the one formula guard (`csv_writer`).

use std::io::Write;

use crate::csv_writer::CsvWriter;
use crate::money::Money;
use crate::views::{PayoutDetail, PayoutRow};

fn iso_day(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn iso_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

/// Payouts, one per row.
pub fn payouts<W: Write>(rows: impl IntoIterator<Item = PayoutRow>, out: W) -> Result<usize, csv::Error> {
    let mut w = CsvWriter::new(
        out,
        &[
            "payout_id",
            "gateway",
            "account_id",
            "account_name",
            "arrival_date",
            "created",
            "amount",
            "currency",
            "status",
            "method",
            "automatic",
            "bank",
            "failure_code",
            "failure_message",
        ],
    )?;
    for p in rows {
        w.row([
            p.id.as_str(),
            p.gateway.as_str(),
            &p.account,
            &p.account_name,
            &iso_day(p.arrival_date),
            &iso_time(p.created),
            &p.amount.to_major_string(),
            &p.amount.currency.to_uppercase(),
            &p.status,
            &p.method,
            if p.automatic { "yes" } else { "no" },
            p.bank.as_deref().unwrap_or(""),
            p.failure_code.as_deref().unwrap_or(""),
            p.failure_message.as_deref().unwrap_or(""),
        ])?;
    }
    w.finish()
}

/// One payout's reconciliation: a row per balance transaction, grouped as on screen.
pub fn reconciliation<W: Write>(detail: &PayoutDetail, out: W) -> Result<usize, csv::Error> {
    let mut w = CsvWriter::new(
        out,
        &[
            "payout_id",
            "group",
            "balance_transaction",
            "type",
            "created",
            "source",
            "order_number",
            "description",
            "gross",
            "fee",
            "net",
            "currency",
            "payout_amount",
            "payout_difference",
        ],
    )?;
    // Every row carries the payout's amount and any difference from what the rows add up to, so
    // a spreadsheet total can be checked against it (and a gap is never lost).
    let payout_amount = detail.payout.amount.to_major_string();
    let difference = detail.difference.as_ref().map(Money::to_major_string).unwrap_or_else(|| "0".to_string());
    for group in &detail.groups {
        for item in &group.items {
            w.row([
                detail.payout.id.as_str(),
                &group.label,
                &item.id,
                &item.kind_label,
                &iso_time(item.created),
                item.source.as_deref().unwrap_or(""),
                item.order_number.as_deref().unwrap_or(""),
                item.description.as_deref().unwrap_or(""),
                &item.gross.to_major_string(),
                &item.fee.to_major_string(),
                &item.net.to_major_string(),
                &item.net.currency.to_uppercase(),
                &payout_amount,
                &difference,
            ])?;
        }
    }
    w.finish()
}
