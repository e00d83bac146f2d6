//! Refunding a payment through the one door: checked (role, restaurant, IDs, amount against what
//! is left, reason, the refund limit and its approval) before anything is journalled, then
//! journalled under the confirmation's key, audited and sent.
//! The app's refund screen and the command line both call [`Desk::refund`].

use super::limits::Approval;
use super::rules::{check_positive, refundable};
use crate::desk::scope::check_id;
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::money_calls::{Done, Intent, MoneyCall};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::journal;

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
    /// A manager's or owner's approval, for a refund above the asker's limit.
    pub approval: Option<Approval>,
}

impl Desk {
    /// Refunds `request.payment` on behalf of the signed-in profile, under `confirmation` (the key
    /// made when the person confirmed; a new one when `None`). Checked before anything is
    /// journalled: role and restaurant, the amount against what is left (a disputed or fully
    /// refunded payment has nothing to refund), and the profile's refund limit, above which
    /// `request.approval` must be a manager's or owner's PIN. A confirmation already journalled
    /// goes straight to the door, which answers what became of it: a double click refunds once.
    pub async fn refund(&self, request: &RefundRequest, confirmation: Option<&str>) -> Result<Done, DeskError> {
        let profile = self.authorize_audited(Action::RefundPayment, AUDIT_ACTION)?;
        let account = request.account.as_deref().unwrap_or("");
        let journalled = match confirmation {
            Some(key) => journal::get(self.store().conn(), key)?.is_some(),
            None => false,
        };
        if crate::accounts::gateway_of(account) == Some(GatewayKind::CardConnect) {
            let result = match self.check_account(&profile, account).and_then(|()| check_positive(request.amount)) {
                Ok(()) => self.refund_cardconnect(&profile, request, account, confirmation, journalled).await,
                Err(err) => Err(err),
            };
            // Refusals before the door are audited here; the door audits what it journals.
            if let Err(
                err @ (DeskError::InvalidInput { .. }
                | DeskError::OutOfScope(_)
                | DeskError::NotFound { .. }
                | DeskError::Profile(_)),
            ) = &result
            {
                self.audit_refused(&profile, request, err)?;
            }
            return result;
        }
        let (call, intent) = match self.stripe_refund(&profile, request, journalled).await {
            Ok(prepared) => prepared,
            Err(err) => {
                self.audit_refused(&profile, request, &err)?;
                return Err(err);
            }
        };
        let done = self.through_door(&profile, call, intent, confirmation).await?;
        self.remember_stripe_refund(account, &done.value);
        Ok(done)
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

    /// The Stripe refund's call and what it is for people, or why it is refused before anything
    /// is sent. `journalled`: the confirmation was sent before, and its own checks stand.
    async fn stripe_refund(
        &self,
        profile: &Profile,
        request: &RefundRequest,
        journalled: bool,
    ) -> Result<(MoneyCall, Intent), DeskError> {
        let account = request.account.as_deref().unwrap_or("");
        self.check_account(profile, account)?;
        let field = if request.payment.starts_with("ch_") { "charge" } else { "payment_intent" };
        check_id("payment", &request.payment, if field == "charge" { "ch_" } else { "pi_" })?;
        check_positive(request.amount)?;
        let reason = check_reason(request.reason.as_deref())?;
        let mut form = vec![(field, request.payment.clone())];
        if let Some(amount) = request.amount {
            form.push(("amount", amount.to_string()));
        }
        if let Some(reason) = reason {
            form.push(("reason", reason.to_string()));
        }
        form.push(("metadata[issued_by]", profile.name.clone()));
        let call = |form: &[(&str, String)]| MoneyCall::new("refund", "/v1/refunds", request.account.as_deref(), form);
        if journalled {
            let intent = Intent {
                audit_action: AUDIT_ACTION.into(),
                target: Some(request.payment.clone()),
                amount: request.amount,
                summary: format!("Refund on {}", request.payment),
                ..Default::default()
            };
            return Ok((call(&form), intent));
        }
        let payment = self.stripe_payment(account, &request.payment).await?;
        let amount = refundable(&payment, request.amount)?;
        let currency = payment.charge.currency.clone();
        let approver = self.approve(profile, account, amount, &currency, request.approval.as_ref())?;
        if let Some(approver) = &approver {
            form.push(("metadata[approved_by]", approver.name.clone()));
        }
        let shown = format!("{} {}", Money::new(amount, &currency).to_major_string(), currency.to_uppercase());
        let shown = if request.amount.is_some() { shown } else { format!("{shown} (all that is left)") };
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(request.payment.clone()),
            amount: Some(amount),
            currency: Some(currency),
            summary: format!("Refund of {shown} on {}{}", request.payment, issued_by(profile, approver.as_ref())),
        };
        Ok((call(&form), intent))
    }
}

/// Who issued a refund, and who approved it, for the audit log: `, issued by Sam (staff),
/// approved by Priya (manager)`.
pub(super) fn issued_by(asker: &Profile, approver: Option<&Profile>) -> String {
    let who = |p: &Profile| format!("{} ({})", p.name, p.role.label().to_lowercase());
    match approver {
        Some(approver) => format!(", issued by {}, approved by {}", who(asker), who(approver)),
        None => format!(", issued by {}", who(asker)),
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
