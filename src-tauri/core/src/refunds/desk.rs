//! Refunding a payment through the one door: checked (role, restaurant, IDs, amount, reason)
//! before anything is journalled, then journalled under the confirmation's key, audited and sent.
//! The app's refund screen and the command line both call [`Desk::refund`].

use crate::desk::scope::check_id;
use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::money_calls::{Done, Intent, MoneyCall};
use crate::gateways::GatewayKind;
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;

pub(super) const AUDIT_ACTION: &str = "refunds.create";

/// The reasons Stripe accepts for a refund.
pub const REFUND_REASONS: [&str; 3] = ["duplicate", "fraudulent", "requested_by_customer"];

/// What to refund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundRequest {
    /// The restaurant the payment belongs to: a Stripe connected account, a CardConnect merchant
    /// ID, or `None` for the platform's own payments.
    pub account: Option<String>,
    /// `pi_…` or `ch_…` (Stripe); a retrieval reference (CardConnect).
    pub payment: String,
    /// Minor units; `None` refunds what is left.
    pub amount: Option<i64>,
    pub reason: Option<String>,
}

impl Desk {
    /// Refunds `request.payment` on behalf of the signed-in profile, under `confirmation` (the key
    /// made when the person confirmed; a new one when `None`).
    pub async fn refund(&self, request: &RefundRequest, confirmation: Option<&str>) -> Result<Done, DeskError> {
        let profile = self.authorize_audited(Action::ViewPayments, AUDIT_ACTION)?;
        let account = request.account.as_deref().unwrap_or("");
        if crate::accounts::gateway_of(account) == Some(GatewayKind::CardConnect) {
            let checked = self.check_account(&profile, account);
            let result = match checked {
                Ok(()) => self.refund_cardconnect(&profile, request, account, confirmation).await,
                Err(err) => Err(err),
            };
            // Refusals before the door are audited here; the door audits what it journals.
            if let Err(err @ (DeskError::InvalidInput { .. } | DeskError::OutOfScope(_) | DeskError::NotFound { .. })) = &result {
                self.audit_refused(&profile, request, err)?;
            }
            return result;
        }
        let form = match self.refund_form(&profile, request) {
            Ok(form) => form,
            Err(err) => {
                self.audit_refused(&profile, request, &err)?;
                return Err(err);
            }
        };
        let call = MoneyCall::new("refund", "/v1/refunds", request.account.as_deref(), &form);
        // The payment's currency, from the cache, so the audit log and the screens show an amount.
        let currency: Option<String> = self
            .store()
            .conn()
            .query_row(
                "SELECT json_extract(raw, '$.currency') FROM objects WHERE id = ?1",
                [&request.payment],
                |r| r.get(0),
            )
            .ok()
            .flatten();
        let amount = match (request.amount, &currency) {
            (Some(a), Some(c)) => format!("{} {}", Money::new(a, c).to_major_string(), c.to_uppercase()),
            (Some(a), None) => format!("{a} (minor units)"),
            (None, _) => "what is left".to_string(),
        };
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(request.payment.clone()),
            amount: request.amount,
            currency,
            summary: format!("Refund of {amount} on {}", request.payment),
        };
        self.through_door(&profile, call, intent, confirmation).await
    }

    fn audit_refused(&self, profile: &Profile, request: &RefundRequest, err: &DeskError) -> Result<(), DeskError> {
        let record = AuditRecord {
            action: AUDIT_ACTION.into(),
            target: Some(request.payment.clone()),
            amount: request.amount,
            outcome: "refused".into(),
            detail: Some(err.to_string()),
            ..Default::default()
        };
        self.audit(profile, record)
    }

    /// The refund's form, or why it is refused before anything is sent.
    fn refund_form(
        &self,
        profile: &Profile,
        request: &RefundRequest,
    ) -> Result<Vec<(&'static str, String)>, DeskError> {
        self.check_account(profile, request.account.as_deref().unwrap_or(""))?;
        let field = if request.payment.starts_with("ch_") { "charge" } else { "payment_intent" };
        check_id("payment", &request.payment, if field == "charge" { "ch_" } else { "pi_" })?;
        let mut form = vec![(field, request.payment.clone())];
        match request.amount {
            Some(amount) if amount <= 0 => {
                return Err(DeskError::InvalidInput {
                    field: "amount",
                    reason: format!("a refund is a positive amount, not {amount}"),
                })
            }
            Some(amount) => form.push(("amount", amount.to_string())),
            None => {}
        }
        if let Some(reason) = check_reason(request.reason.as_deref())? {
            form.push(("reason", reason.to_string()));
        }
        Ok(form)
    }
}

/// A refund's reason, if given, is one Stripe knows (CardConnect keeps it in the audit log only).
pub(super) fn check_reason(reason: Option<&str>) -> Result<Option<&str>, DeskError> {
    match reason {
        Some(r) if !REFUND_REASONS.contains(&r) => Err(DeskError::InvalidInput {
            field: "reason",
            reason: format!("{r:?} is not one of duplicate, fraudulent, requested_by_customer"),
        }),
        other => Ok(other),
    }
}
