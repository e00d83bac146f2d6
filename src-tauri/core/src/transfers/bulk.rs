//! A batch of transfers from a CSV file (weekly tips): every row checked before anything is sent —
//! a malformed or repeated row refuses the whole file — then each row sent through the door under
//! a key of its own, derived from the row and the day, so a file run twice (a double click, a crash
//! and a rerun, a line fixed in between, midnight passing) sends each row exactly once.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::views::TransferForm;
use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::permissions::Action;
use crate::store::audit::AuditRecord;

const AUDIT_BULK: &str = "transfers.bulk";

/// More rows than this is not a tips run; split the file.
pub const MAX_ROWS: usize = 500;

/// One row as it will be sent.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BulkRow {
    /// The file's line (the header is line 1).
    pub line: u32,
    pub restaurant: String,
    pub restaurant_name: String,
    pub amount: Money,
    pub description: String,
}

/// What is wrong with a line.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BulkProblem {
    pub line: u32,
    pub message: String,
}

/// The file read: its rows, or every problem (then nothing can be sent); totals per currency.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BulkPreview {
    /// Names this file's batch today: sending checks the file is the one previewed.
    pub batch: String,
    pub rows: Vec<BulkRow>,
    pub problems: Vec<BulkProblem>,
    pub totals: Vec<Money>,
}

/// What became of one row.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BulkOutcome {
    pub line: u32,
    pub restaurant_name: String,
    pub amount: Money,
    /// "sent", "refused", "unknown" (Merchant Desk finds out before anything is resent).
    pub outcome: String,
    pub transfer: Option<String>,
    pub message: Option<String>,
}

/// What sending asks: the file as reviewed and the batch its review named.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct BulkSend {
    pub csv: String,
    pub batch: String,
}

impl Desk {
    /// Reads a tips file (`restaurant,amount,description[,currency]`) without sending anything.
    pub fn bulk_transfer_preview(&self, csv: &str) -> Result<BulkPreview, DeskError> {
        let profile = self.authorize(Action::ManageTransfers)?;
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut seen: HashMap<(String, i64, String, String), u32> = HashMap::new();
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(csv.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
            Err(e) => return Ok(refused(vec![BulkProblem { line: 1, message: format!("The file is not CSV: {e}") }])),
        };
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(c_restaurant), Some(c_amount), Some(c_description)) =
            (column("restaurant"), column("amount"), column("description"))
        else {
            return Ok(refused(vec![BulkProblem {
                line: 1,
                message:
                    "The first line must name the columns: restaurant,amount,description (and currency, if not USD)"
                        .into(),
            }]));
        };
        let c_currency = column("currency");
        for (i, record) in reader.records().enumerate() {
            let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(BulkProblem { line, message: format!("Not a CSV row: {e}") });
                    continue;
                }
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            if rows.len() + problems.len() >= MAX_ROWS {
                problems.push(BulkProblem { line, message: format!("More than {MAX_ROWS} rows: split the file") });
                break;
            }
            let cell = |c: usize| record.get(c).unwrap_or("").to_string();
            let form = TransferForm {
                restaurant: cell(c_restaurant),
                amount: cell(c_amount),
                currency: c_currency.map(cell).filter(|c| !c.is_empty()).unwrap_or_else(|| "usd".into()),
                description: cell(c_description),
            };
            match self.check_transfer(&profile, &form) {
                Err(err) => problems.push(BulkProblem { line, message: err.user_message() }),
                Ok((restaurant, amount, currency, description, name)) => {
                    let same = (restaurant.clone(), amount, currency.clone(), description.to_lowercase());
                    if let Some(first) = seen.get(&same) {
                        problems.push(BulkProblem {
                            line,
                            message: format!("Repeats line {first} (same restaurant, amount and description): remove one, or say what each is for"),
                        });
                        continue;
                    }
                    seen.insert(same, line);
                    rows.push(BulkRow {
                        line,
                        restaurant,
                        restaurant_name: name,
                        amount: Money::new(amount, &currency),
                        description,
                    });
                }
            }
        }
        if rows.is_empty() && problems.is_empty() {
            problems.push(BulkProblem { line: 2, message: "The file has no rows".into() });
        }
        let mut totals: Vec<Money> = Vec::new();
        for row in &rows {
            match totals.iter_mut().find(|t| t.currency == row.amount.currency) {
                Some(t) => t.amount += row.amount.amount,
                None => totals.push(row.amount.clone()),
            }
        }
        let day = self.clock.now().date_naive().to_string();
        Ok(BulkPreview { batch: batch_id(&rows, &day), rows, problems, totals })
    }

    /// Sends every row of the file previewed as `batch`, each exactly once; nothing at all when
    /// the file has a problem or changed since its preview.
    pub async fn bulk_transfer_send(&self, send: &BulkSend) -> Result<Vec<BulkOutcome>, DeskError> {
        let profile = self.authorize_audited(Action::ManageTransfers, AUDIT_BULK)?;
        let audit = |outcome: &str, detail: String| AuditRecord {
            action: AUDIT_BULK.into(),
            outcome: outcome.into(),
            detail: Some(detail),
            ..Default::default()
        };
        let preview = self.bulk_transfer_preview(&send.csv)?;
        let refusal = if !preview.problems.is_empty() {
            Some(DeskError::InvalidInput {
                field: "csv",
                reason: format!(
                    "{} line(s) of the file have a problem (line {}: {}); nothing was sent",
                    preview.problems.len(),
                    preview.problems[0].line,
                    preview.problems[0].message
                ),
            })
        } else if preview.batch != send.batch {
            Some(DeskError::InvalidInput {
                field: "csv",
                reason:
                    "The file changed since it was reviewed (or the day changed): review it again; nothing was sent"
                        .into(),
            })
        } else {
            None
        };
        if let Some(err) = refusal {
            self.audit(&profile, audit("refused", err.to_string()))?;
            return Err(err);
        }
        let mut outcomes = Vec::new();
        for row in &preview.rows {
            let form = TransferForm {
                restaurant: row.restaurant.clone(),
                amount: row.amount.to_major_string(),
                currency: row.amount.currency.clone(),
                description: row.description.clone(),
            };
            let key = self.bulk_row_key(row)?;
            let (outcome, transfer, message) = match self.create_transfer(&form, Some(&key)).await {
                Ok(done) => ("sent", Some(done.row.id), None),
                Err(err @ DeskError::OutcomeUnknown { .. }) => ("unknown", None, Some(err.user_message())),
                // This very row still under way (an earlier run, or a double click).
                Err(err @ DeskError::Unfinished { .. }) if matches!(&err, DeskError::Unfinished { key: k, .. } if *k == key) => {
                    ("unknown", None, Some(err.user_message()))
                }
                Err(err) => ("refused", None, Some(err.user_message())),
            };
            outcomes.push(BulkOutcome {
                line: row.line,
                restaurant_name: row.restaurant_name.clone(),
                amount: row.amount.clone(),
                outcome: outcome.into(),
                transfer,
                message,
            });
        }
        let count = |what: &str| outcomes.iter().filter(|o| o.outcome == what).count();
        let words = format!(
            "batch {}: {} rows, {} sent, {} refused, {} unknown",
            preview.batch,
            outcomes.len(),
            count("sent"),
            count("refused"),
            count("unknown")
        );
        self.audit(&profile, audit("succeeded", words))?;
        Ok(outcomes)
    }
}

impl Desk {
    /// The key row `row` is sent under: its own content and the day, so editing other lines of
    /// the file changes nothing for it. A key of yesterday still under way or done within Stripe's
    /// 24 hours is reused (a run across midnight sends nothing twice); a key whose call failed
    /// outright is followed by the next attempt's, so the row can be sent again.
    fn bulk_row_key(&self, row: &BulkRow) -> Result<String, DeskError> {
        use crate::store::journal::{self, Status};
        let now = self.clock.now();
        let today = now.date_naive();
        let store = self.store();
        let conn = store.conn();
        if let Some(yesterday) = today.pred_opt() {
            for attempt in 0..MAX_ATTEMPTS {
                let key = row_key(&yesterday.to_string(), row, attempt);
                let Some(entry) = journal::get(conn, &key)? else { break };
                let recent = chrono::DateTime::parse_from_rfc3339(&entry.created_at)
                    .is_ok_and(|at| now.signed_duration_since(at) < chrono::Duration::hours(24));
                if entry.status != Status::Failed && recent {
                    return Ok(key);
                }
            }
        }
        for attempt in 0..MAX_ATTEMPTS {
            let key = row_key(&today.to_string(), row, attempt);
            match journal::get(conn, &key)? {
                Some(entry) if entry.status == Status::Failed => continue,
                _ => return Ok(key),
            }
        }
        Err(DeskError::InvalidInput {
            field: "csv",
            reason: format!(
                "Line {} failed {MAX_ATTEMPTS} times today; see the audit log before sending it again",
                row.line
            ),
        })
    }
}

/// Tries of one row in a day after definite refusals (each refusal journalled, nothing sent twice).
const MAX_ATTEMPTS: u32 = 20;

fn refused(problems: Vec<BulkProblem>) -> BulkPreview {
    BulkPreview { batch: String::new(), rows: Vec::new(), problems, totals: Vec::new() }
}

/// The batch's name: its rows and the day, so the same file sent twice today is one batch.
fn batch_id(rows: &[BulkRow], day: &str) -> String {
    let mut text = day.to_string();
    for r in rows {
        text.push_str(&format!("\n{}|{}|{}|{}", r.restaurant, r.amount.amount, r.amount.currency, r.description));
    }
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, text.as_bytes()).simple().to_string()
}

/// A row's idempotency key on `day`, try `attempt` (a key the door takes: `md_` and 32 hex).
fn row_key(day: &str, row: &BulkRow, attempt: u32) -> String {
    let what = format!(
        "{day}|{}|{}|{}|{}|{attempt}",
        row.restaurant,
        row.amount.amount,
        row.amount.currency,
        row.description.to_lowercase()
    );
    format!("md_{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, what.as_bytes()).simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(restaurant: &str, amount: i64, description: &str) -> BulkRow {
        BulkRow {
            line: 2,
            restaurant: restaurant.into(),
            restaurant_name: String::new(),
            amount: Money::new(amount, "usd"),
            description: description.into(),
        }
    }

    #[test]
    fn a_rows_key_is_the_doors_and_follows_its_content_and_day_only() {
        let tips = row("acct_1", 1_000, "Tips week 1");
        let a = row_key("2026-11-30", &tips, 0);
        assert!(crate::money_calls::is_key(&a), "{a}");
        assert_eq!(a, row_key("2026-11-30", &BulkRow { line: 9, ..tips.clone() }, 0), "its line does not matter");
        assert_ne!(a, row_key("2026-11-30", &tips, 1));
        assert_ne!(a, row_key("2026-12-01", &tips, 0));
        assert_ne!(a, row_key("2026-11-30", &row("acct_1", 1_001, "Tips week 1"), 0));
    }
}
