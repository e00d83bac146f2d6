//! The CLI's commands: thin wrappers over the core, like the app's.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use md_core::desk::{RefundRequest, REFUND_REASONS};
use md_core::gateways::GatewayKind;
use md_core::money::Money;
use md_core::permissions::Action;
use md_core::sync::{needs_full_sync, sync_to_date, Limits, SyncControl};
use md_core::views::{PayoutInterval, PayoutSchedule};

use crate::context;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Store(#[from] md_core::store::StoreError),
    #[error(transparent)]
    Secrets(#[from] md_core::secrets::SecretsError),
    #[error("{0}")]
    Key(#[from] md_core::keys::KeyFormatError),
    #[error(transparent)]
    Stripe(#[from] md_core::gateways::stripe::StripeError),
    #[error(transparent)]
    Sync(#[from] md_core::sync::SyncError),
    #[error(transparent)]
    Desk(#[from] md_core::DeskError),
    #[error(transparent)]
    Call(#[from] md_core::money_calls::CallError),
    #[error("{0}")]
    Io(String),
}

impl CliError {
    /// The sentence to print: the desk's own words where the desk refused, so the command line
    /// and the app say the same thing.
    pub fn for_people(&self) -> String {
        match self {
            CliError::Desk(err) => err.user_message(),
            other => other.to_string(),
        }
    }
}

/// `--name value` options and bare flags.
pub struct Options<'a> {
    args: &'a [String],
}

impl<'a> Options<'a> {
    pub fn new(args: &'a [String], known: &[&str]) -> Result<Self, CliError> {
        for arg in args.iter().filter(|a| a.starts_with("--")) {
            if !known.contains(&arg.as_str()) {
                return Err(CliError::Usage(format!("unknown option {arg}")));
            }
        }
        Ok(Self { args })
    }

    pub fn flag(&self, name: &str) -> bool {
        self.args.iter().any(|a| a == name)
    }

    pub fn value(&self, name: &str) -> Result<Option<&'a str>, CliError> {
        match self.args.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) => self
                .args
                .get(i + 1)
                .map(|s| Some(s.as_str()))
                .ok_or_else(|| CliError::Usage(format!("{name} needs a value"))),
        }
    }

    pub fn number(&self, name: &str, default: u64) -> Result<u64, CliError> {
        match self.value(name)? {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| CliError::Usage(format!("{name} takes a whole number, not {v}"))),
        }
    }
}

pub async fn sync(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--full", "--resume", "--profile"])?;
    let _desk = context::signed_in(opts.value("--profile")?, Some(Action::ViewOverview))?;
    let client = context::client()?;
    let store = context::store()?;
    let limits = if client.key().mode() == md_core::keys::KeyMode::Test { Limits::TEST } else { Limits::LIVE };
    // An interrupted full sync is finished, new restaurants are listed, then events are read.
    let full = opts.flag("--full");
    if full || needs_full_sync(&store)? {
        eprintln!("full sync…");
    } else {
        eprintln!("incremental sync from events…");
    }
    let control = Arc::new(SyncControl::default());
    let progress = spawn_progress(control.clone());
    let report = sync_to_date(&client, &store, limits, &control, full).await;
    progress.abort();
    let report = report?;
    if let Some(note) = &report.note {
        eprintln!("{note}");
    }
    println!("{} requests, {} objects, {:.1} s", report.requests, report.objects, report.elapsed.as_secs_f64());
    Ok(())
}

/// Prints progress to stderr every second while a sync runs.
pub fn spawn_progress(control: Arc<SyncControl>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            let p = control.progress.lock().unwrap_or_else(|e| e.into_inner()).clone();
            eprintln!("  {}: {}/{}", p.phase, p.done, p.total);
        }
    })
}

pub fn export(args: &[String]) -> Result<(), CliError> {
    if args.first().map(String::as_str) != Some("payouts") {
        return Err(CliError::Usage("export what? (payouts)".into()));
    }
    let opts = Options::new(&args[1..], &["--from", "--to", "--csv", "--profile"])?;
    let day = |name: &str| -> Result<NaiveDate, CliError> {
        let raw = opts.value(name)?.ok_or_else(|| CliError::Usage(format!("{name} YYYY-MM-DD is required")))?;
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| CliError::Usage(format!("{name} takes a date like 2026-11-01, not {raw}")))
    };
    let (from, to) = (day("--from")?, day("--to")?);
    if to < from {
        return Err(CliError::Usage("--to is before --from".into()));
    }
    let path = opts.value("--csv")?.ok_or_else(|| CliError::Usage("--csv FILE is required".into()))?;
    let desk = context::signed_in(opts.value("--profile")?, Some(Action::ViewPayouts))?;
    // A profile limited to some restaurants exports only theirs (never the platform's own).
    let scope = desk.session()?.profile.and_then(|p| p.scope);
    let start = Utc.from_utc_datetime(&from.and_hms_opt(0, 0, 0).unwrap_or_default()).timestamp();
    let end = Utc.from_utc_datetime(&to.and_hms_opt(23, 59, 59).unwrap_or_default()).timestamp();
    let store = context::store()?;
    let store = store.lock().unwrap_or_else(|p| p.into_inner());
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT account, raw FROM objects WHERE kind = 'payout' AND created BETWEEN ?1 AND ?2 ORDER BY created, id",
        )
        .map_err(md_core::store::StoreError::from)?;
    let rows: Vec<(String, String)> = stmt
        .query_map([start, end], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(md_core::store::StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(md_core::store::StoreError::from)?;
    let file = std::fs::File::create(path).map_err(|e| CliError::Io(format!("{path}: {e}")))?;
    let io = |e: csv::Error| CliError::Io(e.to_string());
    let mut out = md_core::csv_writer::CsvWriter::new(
        file,
        &[
            "payout",
            "account",
            "created",
            "arrival_date",
            "amount",
            "currency",
            "status",
            "method",
            "automatic",
            "failure_code",
            "failure_message",
        ],
    )
    .map_err(io)?;
    let date = |v: &serde_json::Value| {
        v.as_i64()
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let rows: Vec<(String, String)> =
        rows.into_iter().filter(|(account, _)| scope.as_ref().is_none_or(|ids| ids.contains(account))).collect();
    for (account, raw) in &rows {
        let p: serde_json::Value = serde_json::from_str(raw).map_err(|e| CliError::Io(e.to_string()))?;
        let currency = p["currency"].as_str().unwrap_or("usd");
        let text = |k: &str| p[k].as_str().unwrap_or("").to_string();
        out.row([
            text("id"),
            account.clone(),
            date(&p["created"]),
            date(&p["arrival_date"]),
            Money::new(p["amount"].as_i64().unwrap_or(0), currency).to_major_string(),
            currency.to_uppercase(),
            text("status"),
            text("method"),
            p["automatic"].as_bool().unwrap_or(false).to_string(),
            text("failure_code"),
            text("failure_message"),
        ])
        .map_err(io)?;
    }
    out.finish().map_err(io)?;
    eprintln!("{} payouts written to {path}", rows.len());
    Ok(())
}

pub async fn refund(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--payment", "--account", "--amount", "--reason", "--note", "--profile"])?;
    let payment = opts.value("--payment")?.ok_or_else(|| {
        CliError::Usage("--payment pi_…, ch_… or a CardConnect retrieval reference is required".into())
    })?;
    // A CardConnect restaurant (merchant ID) names its payments by retrieval reference; the desk
    // checks it and chooses a void or a refund.
    let cardconnect =
        opts.value("--account")?.and_then(md_core::accounts::gateway_of) == Some(GatewayKind::CardConnect);
    if cardconnect {
        if payment.is_empty() || !payment.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CliError::Usage(format!("{payment} is not a CardConnect retrieval reference (digits)")));
        }
    } else if !payment.starts_with("pi_") && !payment.starts_with("ch_") {
        return Err(CliError::Usage(format!("{payment} is neither a PaymentIntent (pi_…) nor a charge (ch_…)")));
    }
    let amount = match opts.value("--amount")? {
        None => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                return Err(CliError::Usage(format!(
                    "--amount takes a positive whole number of minor units, not {raw}"
                )))
            }
        },
    };
    let reason = opts.value("--reason")?;
    if let Some(reason) = reason.filter(|r| !REFUND_REASONS.contains(r)) {
        return Err(CliError::Usage(format!(
            "--reason is duplicate, fraudulent or requested_by_customer, not {reason}"
        )));
    }
    let desk = context::signed_in(opts.value("--profile")?, None)?;
    // Calls an earlier run left unfinished are settled first, so that nothing happens twice.
    desk.settle_unfinished().await?;
    let request = RefundRequest {
        account: opts.value("--account")?.map(str::to_string),
        payment: payment.to_string(),
        amount,
        reason: reason.map(str::to_string),
        approval: None,
        note: opts.value("--note")?.map(str::to_string),
    };
    let done = desk.refund(&request, None).await?;
    // Stripe answers a refund object (`id`); CardConnect the neutral transaction (`reference`).
    let id = done.value["id"].as_str().or_else(|| done.value["reference"].as_str()).unwrap_or("");
    println!("{id} {} {}", done.value["amount"], done.value["status"].as_str().unwrap_or(""));
    Ok(())
}

/// `payout-schedule`: changes a restaurant's payout schedule, as the Schedule screen does.
pub async fn payout_schedule(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(
        args,
        &["--account", "--interval", "--delay-days", "--weekly-anchor", "--monthly-anchor", "--profile"],
    )?;
    let account = opts.value("--account")?.ok_or_else(|| CliError::Usage("--account acct_… is required".into()))?;
    let interval = match opts.value("--interval")? {
        Some("daily") => PayoutInterval::Daily,
        Some("weekly") => PayoutInterval::Weekly,
        Some("monthly") => PayoutInterval::Monthly,
        Some("manual") => PayoutInterval::Manual,
        other => {
            return Err(CliError::Usage(format!(
                "--interval is daily, weekly, monthly or manual, not {}",
                other.unwrap_or("missing")
            )))
        }
    };
    let number = |name: &str| -> Result<Option<u32>, CliError> {
        opts.value(name)?
            .map(|raw| {
                raw.parse::<u32>().map_err(|_| CliError::Usage(format!("{name} takes a whole number, not {raw}")))
            })
            .transpose()
    };
    let schedule = PayoutSchedule {
        interval,
        delay_days: number("--delay-days")?.unwrap_or(2),
        weekly_anchor: opts.value("--weekly-anchor")?.map(str::to_string),
        monthly_anchor: number("--monthly-anchor")?,
    };
    let desk = context::signed_in(opts.value("--profile")?, None)?;
    desk.settle_unfinished().await?;
    let view = desk.update_payout_schedule(account, &schedule, None).await?;
    println!("{}: {}", view.account_name, view.words);
    Ok(())
}

/// `transfer`: sends money from the platform to a restaurant, as the Transfers screen does.
pub async fn transfer(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--account", "--amount", "--currency", "--description", "--profile"])?;
    let required = |name: &str, what: &str| -> Result<String, CliError> {
        opts.value(name)?.map(str::to_string).ok_or_else(|| CliError::Usage(format!("{name} {what} is required")))
    };
    let form = md_core::transfers::views::TransferForm {
        restaurant: required("--account", "acct_…")?,
        amount: required("--amount", "(major units, like 120.00)")?,
        currency: opts.value("--currency")?.unwrap_or("usd").to_string(),
        description: required("--description", "TEXT")?,
    };
    let desk = context::signed_in(opts.value("--profile")?, None)?;
    desk.settle_unfinished().await?;
    let sent = desk.create_transfer(&form, None).await?;
    println!("{} {} {}", sent.row.id, sent.row.amount.amount, sent.row.amount.currency);
    Ok(())
}

/// `transfer-reverse`: claws back all that is left of a transfer, or `--amount` of it.
pub async fn transfer_reverse(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--transfer", "--amount", "--reason", "--profile"])?;
    let transfer =
        opts.value("--transfer")?.ok_or_else(|| CliError::Usage("--transfer tr_… is required".into()))?.to_string();
    let form = md_core::transfers::views::ReversalForm {
        transfer,
        amount: opts.value("--amount")?.map(str::to_string),
        reason: opts.value("--reason")?.map(str::to_string),
    };
    let desk = context::signed_in(opts.value("--profile")?, None)?;
    desk.settle_unfinished().await?;
    let after = desk.reverse_transfer(&form, None).await?;
    println!("{} reversed {} left {}", after.row.id, after.row.reversed.amount, after.row.left.amount);
    Ok(())
}

/// `transfer-bulk`: a tips file (`restaurant,amount,description[,currency]`), every row checked
/// first, then each sent exactly once (a rerun of the same file today sends nothing again).
pub async fn transfer_bulk(args: &[String]) -> Result<(), CliError> {
    let opts = Options::new(args, &["--csv", "--profile"])?;
    let path = opts.value("--csv")?.ok_or_else(|| CliError::Usage("--csv FILE is required".into()))?;
    let csv = std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("cannot read {path}: {e}")))?;
    let desk = context::signed_in(opts.value("--profile")?, None)?;
    desk.settle_unfinished().await?;
    let preview = desk.bulk_transfer_preview(&csv)?;
    for p in &preview.problems {
        eprintln!("line {}: {}", p.line, p.message);
    }
    if !preview.problems.is_empty() {
        let reason = format!("{} line(s) have a problem; nothing was sent", preview.problems.len());
        return Err(CliError::Desk(md_core::DeskError::InvalidInput { field: "csv", reason }));
    }
    let send = md_core::transfers::bulk::BulkSend { csv, batch: preview.batch };
    let outcomes = desk.bulk_transfer_send(&send).await?;
    let mut trouble = 0;
    for o in &outcomes {
        println!("{} {} {} {}", o.line, o.outcome, o.transfer.as_deref().unwrap_or("-"), o.amount.amount);
        if o.outcome != "sent" {
            trouble += 1;
            eprintln!("line {}: {}", o.line, o.message.as_deref().unwrap_or(""));
        }
    }
    if trouble > 0 {
        let reason = format!("{trouble} row(s) not sent; run again to finish (nothing is sent twice)");
        return Err(CliError::Desk(md_core::DeskError::InvalidInput { field: "csv", reason }));
    }
    Ok(())
}
