//! Files for a dispute's evidence: a file picked in the native dialog is checked by content and
//! size before it leaves the PC, uploaded to Stripe (`purpose=dispute_evidence`) as the dispute's
//! restaurant, and put in the draft's field; the cover letter is written from the form, previewed
//! as an image, and attached as `uncategorized_file`.

use std::path::Path;

use base64::Engine;
use serde::Serialize;
use specta::Type;

use super::attachments::{self, AttachmentView, MAX_FILE_BYTES};
use super::cover_letter::{self, AttachmentNote, CoverLetter};
use super::views::EvidenceDraft;
use crate::desk::{Desk, DeskError};
use crate::money_calls::new_key;
use crate::permissions::Action;
use crate::store::audit::AuditRecord;
use crate::store::dispute_drafts::{self, AttachedRow};

const AUDIT_FILE: &str = "disputes.file";
/// Images up to this size are shown in the form as they are.
const PREVIEW_BYTES: usize = 1_500_000;
/// The cover letter preview's width in pixels.
const LETTER_PREVIEW_WIDTH: u32 = 900;

/// A file attached to a dispute's evidence.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AttachedFile {
    /// The evidence field it goes in.
    pub field: String,
    /// Stripe's `file_…` ID.
    pub file: String,
    pub name: String,
    /// "PNG image · 1200 × 900 pixels · 350 KB".
    pub summary: String,
    /// An image as a data URL, to show it (images only, up to 1.5 MB).
    pub preview: Option<String>,
}

impl Desk {
    /// Checks and uploads the file at `path` for `dispute`'s evidence field `field` (a file field),
    /// and keeps its ID in the draft. Nothing leaves the PC when a check fails.
    pub async fn dispute_attach(
        &self,
        dispute: &str,
        field: &str,
        path: &Path,
        draft: &EvidenceDraft,
    ) -> Result<AttachedFile, DeskError> {
        let profile = self.authorize_audited(Action::ManageDisputes, AUDIT_FILE)?;
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "file".into());
        let result = async {
            let size = std::fs::metadata(path).map_err(|e| read_error(&name, &e))?.len();
            if size > MAX_FILE_BYTES {
                // Said as the content check says it, before reading a file that large into memory.
                let err = attachments::AttachmentError::TooLarge {
                    name: name.clone(),
                    size: attachments::size_words(size),
                    limit: attachments::size_words(MAX_FILE_BYTES),
                };
                return Err(DeskError::InvalidInput { field: "file", reason: err.to_string() });
            }
            let bytes = std::fs::read(path).map_err(|e| read_error(&name, &e))?;
            self.attach_bytes(dispute, field, &name, bytes, draft).await
        }
        .await;
        self.audit_attach(&profile, dispute, &result, |f| format!("{} attached as {field} ({})", f.name, f.summary))?;
        result
    }

    /// The cover letter of `dispute` as the form now stands, as an image to look at first.
    pub fn dispute_cover_letter_preview(&self, dispute: &str, draft: &EvidenceDraft) -> Result<String, DeskError> {
        let profile = self.authorize_quiet(Action::ManageDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        let letter = self.cover_letter_of(&profile, &cached, draft)?;
        let png = cover_letter::cover_letter_png(&letter, LETTER_PREVIEW_WIDTH)
            .map_err(|e| DeskError::InvalidInput { field: "cover letter", reason: e.to_string() })?;
        Ok(data_url("image/png", &png))
    }

    /// Writes the cover letter as a one-page PDF and attaches it as `uncategorized_file`.
    pub async fn dispute_attach_cover_letter(
        &self,
        dispute: &str,
        draft: &EvidenceDraft,
    ) -> Result<AttachedFile, DeskError> {
        let profile = self.authorize_audited(Action::ManageDisputes, AUDIT_FILE)?;
        let result = async {
            let cached = self.cached_dispute(&profile, dispute)?;
            let letter = self.cover_letter_of(&profile, &cached, draft)?;
            let pdf = cover_letter::cover_letter_pdf(&letter)
                .map_err(|e| DeskError::InvalidInput { field: "cover letter", reason: e.to_string() })?;
            let name = format!("cover-letter-{}.pdf", cached_order(&cached).unwrap_or_else(|| dispute.to_string()));
            self.attach_bytes(dispute, "uncategorized_file", &name, pdf, draft).await
        }
        .await;
        self.audit_attach(&profile, dispute, &result, |f| format!("cover letter attached ({})", f.summary))?;
        result
    }

    /// An attachment's outcome in the audit log: what was attached, or why it was refused.
    fn audit_attach(
        &self,
        profile: &crate::profiles::Profile,
        dispute: &str,
        result: &Result<AttachedFile, DeskError>,
        words: impl Fn(&AttachedFile) -> String,
    ) -> Result<(), DeskError> {
        let record = AuditRecord {
            action: AUDIT_FILE.into(),
            target: Some(dispute.to_string()),
            outcome: if result.is_ok() { "succeeded" } else { "refused" }.into(),
            detail: Some(match result {
                Ok(f) => words(f),
                Err(e) => e.to_string(),
            }),
            ..Default::default()
        };
        self.audit(profile, record)
    }

    async fn attach_bytes(
        &self,
        dispute: &str,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
        draft: &EvidenceDraft,
    ) -> Result<AttachedFile, DeskError> {
        let profile = self.authorize_quiet(Action::ManageDisputes)?;
        let cached = self.cached_dispute(&profile, dispute)?;
        let is_file_field =
            super::evidence::field(field).is_some_and(|f| f.kind == super::evidence::EvidenceKind::File);
        if !is_file_field {
            return Err(DeskError::InvalidInput { field: "field", reason: format!("{field:?} does not take a file") });
        }
        let detail = self.detail_of(&profile, &cached)?;
        if let Some(why) = detail.cannot_respond {
            return Err(DeskError::InvalidInput { field: "dispute", reason: why });
        }
        let view: AttachmentView = attachments::check(name, &bytes)
            .map_err(|e| DeskError::InvalidInput { field: "file", reason: e.to_string() })?;
        // Every file of the dispute together, but the one this replaces.
        let others: Vec<u64> = dispute_drafts::files(self.store().conn(), dispute)?
            .into_iter()
            .filter(|r| r.field != field && draft.fields.get(&r.field) == Some(&r.file))
            .map(|r| r.bytes.max(0) as u64)
            .collect();
        attachments::check_combined(others.into_iter().chain([view.bytes]))
            .map_err(|e| DeskError::InvalidInput { field: "file", reason: e.to_string() })?;
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let account = Some(cached.account.as_str()).filter(|a| !a.is_empty());
        let preview = (view.kind != attachments::FileKind::Pdf && bytes.len() <= PREVIEW_BYTES)
            .then(|| data_url(view.kind.mime(), &bytes));
        let uploaded = client
            .upload_file(account, &view.name, view.kind.mime(), bytes, &new_key())
            .await
            .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?;
        let file = uploaded.value["id"].as_str().unwrap_or_default().to_string();
        let now = self.clock.now().to_rfc3339();
        dispute_drafts::add_file(
            self.store().conn(),
            &AttachedRow {
                file: file.clone(),
                dispute: dispute.to_string(),
                field: field.to_string(),
                name: view.name.clone(),
                kind: format!("{:?}", view.kind).to_lowercase(),
                bytes: view.bytes as i64,
                summary: view.summary.clone(),
                created_at: now,
            },
        )?;
        let mut kept = draft.clone();
        kept.fields.insert(field.to_string(), file.clone());
        self.save_dispute_draft(dispute, &kept)?;
        Ok(AttachedFile { field: field.to_string(), file, name: view.name, summary: view.summary, preview })
    }

    /// The letter's words, from the dispute, its payment and the form.
    fn cover_letter_of(
        &self,
        profile: &crate::profiles::Profile,
        cached: &super::queries::Cached,
        draft: &EvidenceDraft,
    ) -> Result<CoverLetter, DeskError> {
        let detail = self.detail_of(profile, cached)?;
        let row = &detail.row;
        let payment = self.payment_detail(&row.restaurant, &row.charge).ok();
        let day = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%-d %B %Y").to_string()).unwrap_or_default()
        };
        let moment = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.format("%-d %B %Y, %H:%M UTC").to_string())
                .unwrap_or_default()
        };
        // Short enough for the letter's date column ("30 Nov 2026 19:18"; the letter's times are UTC).
        let short = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%-d %b %Y %H:%M").to_string()).unwrap_or_default()
        };
        let text = |name: &str| draft.fields.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut timeline: Vec<cover_letter::TimelineEntry> = payment
            .as_ref()
            .map(|p| {
                p.timeline
                    .iter()
                    .map(|e| cover_letter::TimelineEntry { when: short(e.at), what: e.title.clone() })
                    .collect()
            })
            .unwrap_or_default();
        for (field, what) in [("shipping_date", "Delivered"), ("service_date", "Served")] {
            if let Some(when) = text(field) {
                timeline.push(cover_letter::TimelineEntry { when, what: what.into() });
            }
        }
        timeline.push(cover_letter::TimelineEntry {
            when: short(row.created),
            what: format!("Dispute opened: {}", row.reason_title),
        });
        let files = dispute_drafts::files(self.store().conn(), &row.id)?;
        let attachments = files
            .iter()
            .filter(|f| f.field != "uncategorized_file" && draft.fields.get(&f.field) == Some(&f.file))
            .map(|f| AttachmentNote {
                name: f.name.clone(),
                shows: super::evidence::field(&f.field).map_or(f.field.clone(), |e| format!("{}: {}", e.label, e.help)),
            })
            .collect();
        let order_type = draft
            .order_type
            .as_deref()
            .and_then(super::recommend::OrderType::parse)
            .map_or("Not given".to_string(), |o| o.label().to_string());
        let statement = [text("product_description"), text("uncategorized_text")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        Ok(CoverLetter {
            restaurant: row.restaurant_name.clone(),
            prepared_on: day(self.clock.now().timestamp()),
            order_number: row.order_number.clone().unwrap_or_else(|| row.charge.clone()),
            order_type,
            payment_amount: payment
                .as_ref()
                .map_or(crate::money::display(row.amount.amount, &row.amount.currency), |p| {
                    crate::money::display(p.payment.amount.amount, &p.payment.amount.currency)
                }),
            payment_date: payment.as_ref().map_or(String::new(), |p| moment(p.payment.created)),
            card: payment.as_ref().and_then(|p| p.payment.card_label.clone()).unwrap_or_default(),
            customer_name: text("customer_name").or(detail.customer_name.clone()).unwrap_or_default(),
            customer_email: text("customer_email_address").or(detail.customer_email.clone()).unwrap_or_default(),
            dispute_reason: row.reason_title.clone(),
            disputed_amount: crate::money::display(row.amount.amount, &row.amount.currency),
            statement,
            timeline,
            attachments,
            paper: Default::default(),
        })
    }
}

/// The files attached to `dispute` from this PC.
pub(super) fn attached(
    conn: &rusqlite::Connection,
    dispute: &str,
) -> Result<Vec<AttachedFile>, crate::store::StoreError> {
    Ok(dispute_drafts::files(conn, dispute)?
        .into_iter()
        .map(|r| AttachedFile { field: r.field, file: r.file, name: r.name, summary: r.summary, preview: None })
        .collect())
}

fn cached_order(cached: &super::queries::Cached) -> Option<String> {
    cached.order_number.clone().map(|o| o.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect())
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn read_error(name: &str, err: &std::io::Error) -> DeskError {
    DeskError::InvalidInput { field: "file", reason: format!("“{name}” could not be read: {err}.") }
}
