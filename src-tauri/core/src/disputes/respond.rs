//! Answering a dispute through the one door: stage evidence ("Save to Stripe", `submit=false`),
//! submit it (final), or accept the dispute (close: the money does not come back). Each is checked
//! first against what Stripe says of the dispute now (still needing a response, deadline not
//! passed, not submitted before) and the evidence against Stripe's limits; offline, nothing is
//! sent or queued.

use serde_json::Value;

use super::desk::cannot_respond;
use super::views::{DisputeDetail, EvidenceDraft};
use crate::desk::{Desk, DeskError};
use crate::gateways::Settle;
use crate::money_calls::{Intent, MoneyCall};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::{dispute_drafts, objects};

const AUDIT_EVIDENCE: &str = "disputes.evidence";
const AUDIT_SUBMIT: &str = "disputes.submit";
const AUDIT_CLOSE: &str = "disputes.close";

impl Desk {
    /// Stages (`submit` false) or submits the evidence of `draft` for `dispute`, under
    /// `confirmation`. The draft is kept first, so nothing typed is lost whatever happens.
    pub async fn dispute_send(
        &self,
        dispute: &str,
        draft: &EvidenceDraft,
        submit: bool,
        confirmation: Option<&str>,
    ) -> Result<DisputeDetail, DeskError> {
        let action = if submit { AUDIT_SUBMIT } else { AUDIT_EVIDENCE };
        let profile = self.authorize_audited(Action::ManageDisputes, action)?;
        let prepared = self.prepare_send(&profile, dispute, draft, submit).await;
        let (call, intent, account) = match prepared {
            Ok(p) => p,
            Err(err) => {
                self.audit_dispute_refused(&profile, action, dispute, &err)?;
                return Err(err);
            }
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        let now = self.clock.now().to_rfc3339();
        if done.value["object"] == "dispute" {
            objects::upsert(self.store().conn(), &account, std::slice::from_ref(&done.value), &now)?;
        }
        dispute_drafts::mark_sent(self.store().conn(), dispute, &now)?;
        self.dispute_detail(dispute)
    }

    /// Accepts `dispute`: closes it, and the money stays with the cardholder.
    pub async fn dispute_accept(&self, dispute: &str, confirmation: Option<&str>) -> Result<DisputeDetail, DeskError> {
        let profile = self.authorize_audited(Action::ManageDisputes, AUDIT_CLOSE)?;
        let prepared = async {
            let cached = self.cached_dispute(&profile, dispute)?;
            let fresh = self.fresh_dispute(&cached.account, dispute).await?;
            let detail = self.detail_of(&profile, &fresh)?;
            if !super::words::NEEDS_RESPONSE.contains(&detail.row.status.as_str()) {
                return Err(DeskError::InvalidInput {
                    field: "dispute",
                    reason: format!(
                        "This dispute is {}: there is nothing to accept.",
                        detail.row.status_label.to_lowercase()
                    ),
                });
            }
            let account = Some(cached.account.as_str()).filter(|a| !a.is_empty());
            let mut call = MoneyCall::new("dispute_close", format!("/v1/disputes/{dispute}/close"), account, &[]);
            let warning = detail.row.status.starts_with("warning_");
            call.settle = Settle::Retrieve {
                path: format!("/v1/disputes/{dispute}"),
                field: "status".into(),
                done: if warning { "warning_closed" } else { "lost" }.into(),
                before: vec![detail.row.status.clone()],
            };
            let intent = Intent {
                audit_action: AUDIT_CLOSE.into(),
                target: Some(dispute.to_string()),
                amount: Some(detail.row.amount.amount),
                currency: Some(detail.row.amount.currency.clone()),
                summary: format!(
                    "Dispute {dispute} accepted ({} {} at {}{})",
                    detail.row.amount.to_major_string(),
                    detail.row.amount.currency.to_uppercase(),
                    detail.row.restaurant_name,
                    order_words(&detail)
                ),
            };
            Ok::<_, DeskError>((call, intent, cached.account))
        }
        .await;
        let (call, intent, account) = match prepared {
            Ok(p) => p,
            Err(err) => {
                self.audit_dispute_refused(&profile, AUDIT_CLOSE, dispute, &err)?;
                return Err(err);
            }
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        if done.value["object"] == "dispute" {
            let now = self.clock.now().to_rfc3339();
            objects::upsert(self.store().conn(), &account, std::slice::from_ref(&done.value), &now)?;
        }
        self.dispute_detail(dispute)
    }

    async fn prepare_send(
        &self,
        profile: &Profile,
        dispute: &str,
        draft: &EvidenceDraft,
        submit: bool,
    ) -> Result<(MoneyCall, Intent, String), DeskError> {
        let cached = self.cached_dispute(profile, dispute)?;
        // Kept before anything else: a refusal below never loses what was typed.
        self.save_dispute_draft(dispute, draft)?;
        let fields: Vec<(String, String)> = draft
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        check_evidence(&fields)?;
        let fresh = self.fresh_dispute(&cached.account, dispute).await?;
        let detail = self.detail_of(profile, &fresh)?;
        if let Some(why) = cannot_respond(&detail.row, detail.submission_count, self.clock.now().timestamp()) {
            return Err(DeskError::InvalidInput { field: "dispute", reason: why });
        }
        if submit && fields.is_empty() && detail.held.is_empty() {
            return Err(DeskError::InvalidInput {
                field: "evidence",
                reason: "There is no evidence to submit: fill in at least one field first.".into(),
            });
        }
        let mut form: Vec<(String, String)> =
            fields.iter().map(|(k, v)| (format!("evidence[{k}]"), v.clone())).collect();
        form.push(("submit".into(), submit.to_string()));
        let pairs: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let account = Some(cached.account.as_str()).filter(|a| !a.is_empty());
        let call = MoneyCall::new("dispute_evidence", format!("/v1/disputes/{dispute}"), account, &pairs);
        let verb = if submit { "submitted" } else { "staged" };
        let intent = Intent {
            audit_action: if submit { AUDIT_SUBMIT } else { AUDIT_EVIDENCE }.into(),
            target: Some(dispute.to_string()),
            amount: Some(detail.row.amount.amount),
            currency: Some(detail.row.amount.currency.clone()),
            summary: format!(
                "Evidence {verb} for dispute {dispute} ({} fields, {} at {}{})",
                fields.len(),
                detail.row.amount.to_major_string() + " " + &detail.row.amount.currency.to_uppercase(),
                detail.row.restaurant_name,
                order_words(&detail)
            ),
        };
        Ok((call, intent, cached.account))
    }

    /// The dispute as Stripe has it now, into the cache; offline, the action is refused.
    pub(super) async fn fresh_dispute(
        &self,
        account: &str,
        dispute: &str,
    ) -> Result<super::queries::Cached, DeskError> {
        let client = self.connection.read().unwrap_or_else(|p| p.into_inner()).client.clone();
        let acting_as = Some(account).filter(|a| !a.is_empty());
        let value = client
            .get::<Value>(&format!("/v1/disputes/{dispute}"), &[], acting_as)
            .await
            .map_err(|e| DeskError::from(e).offline_refusal("Stripe"))?
            .value;
        objects::upsert(self.store().conn(), account, std::slice::from_ref(&value), &self.clock.now().to_rfc3339())?;
        super::queries::get(self.store().conn(), dispute)?
            .ok_or_else(|| DeskError::NotFound { what: "dispute", id: dispute.to_string() })
    }

    fn audit_dispute_refused(
        &self,
        profile: &Profile,
        action: &str,
        dispute: &str,
        err: &DeskError,
    ) -> Result<(), DeskError> {
        let record = AuditRecord {
            action: action.into(),
            target: Some(dispute.to_string()),
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        self.audit(profile, record)
    }
}

/// The evidence as Stripe would take it: known fields within their limits and the combined one,
/// file fields holding uploaded file IDs.
fn check_evidence(fields: &[(String, String)]) -> Result<(), DeskError> {
    let check = super::evidence::check_text(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(problem) = check.problems.into_iter().next() {
        return Err(DeskError::InvalidInput { field: "evidence", reason: problem.message });
    }
    for (name, value) in fields {
        let file = super::evidence::field(name).is_some_and(|f| f.kind == super::evidence::EvidenceKind::File);
        if file
            && !(value.starts_with("file_")
                && value.len() > 5
                && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            let label = super::evidence::field(name).map_or(name.as_str(), |f| f.label);
            return Err(DeskError::InvalidInput {
                field: "evidence",
                reason: format!(
                    "{label} takes an attached file, not typed text: attach the file with the file picker."
                ),
            });
        }
    }
    Ok(())
}

fn order_words(detail: &DisputeDetail) -> String {
    detail.row.order_number.as_deref().map(|o| format!(", order {o}")).unwrap_or_default()
}
