//! Refunding a payment through the one door: checked (role, restaurant, IDs, amount against what
//! is left, reason, the refund limit and its approval) before anything is journalled, then
//! recorded (who issued, who approved, the note) and journalled under the confirmation's key,
//! audited and sent. The app's refund dialog and the command line both come here.

use super::charge_kind::ChargeKind;
use super::limits::Approval;
use super::rules::{check_positive, refundable};
use super::status::stripe_view;
use super::views::{RefundDone, RefundMethod, RefundOrder, RefundStatus, RefundView};
use crate::desk::scope::check_id;
use crate::desk::{Desk, DeskError};
use crate::gateways::GatewayKind;
use crate::money::Money;
use crate::money_calls::{is_key, new_key, Done, Intent, MoneyCall};
use crate::permissions::Action;
use crate::profiles::Profile;
use crate::store::audit::AuditRecord;
use crate::store::journal;
use crate::store::refund_records::{self, RefundRecord};

pub(super) const AUDIT_ACTION: &str = "refunds.create";

/// The reasons Stripe accepts for a refund.
pub const REFUND_REASONS: [&str; 3] = ["duplicate", "fraudulent", "requested_by_customer"];

/// The longest note kept with a refund.
const MAX_NOTE: usize = 500;

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
    /// Kept on this PC beside the refund.
    pub note: Option<String>,
}

impl From<&RefundOrder> for RefundRequest {
    fn from(order: &RefundOrder) -> Self {
        let approval = match (order.approver_profile_id, &order.approver_pin) {
            (Some(id), Some(pin)) => Some(Approval { approver_profile_id: id, pin: pin.clone() }),
            _ => None,
        };
        RefundRequest {
            account: Some(order.restaurant.clone()).filter(|r| !r.is_empty()),
            payment: order.payment.trim().to_string(),
            amount: Some(order.amount),
            reason: order.reason.clone().filter(|r| !r.is_empty()),
            approval,
            note: order.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
        }
    }
}

impl Desk {
    /// The refund dialog's Confirm: [`Desk::refund`] of what the confirmation restated, and what
    /// became of it in words.
    pub async fn refund_confirm(
        &self,
        order: &RefundOrder,
        confirmation: Option<&str>,
    ) -> Result<RefundDone, DeskError> {
        let request = RefundRequest::from(order);
        let done = self.refund(&request, confirmation).await?;
        let record = refund_records::get(self.store().conn(), &done.key)?;
        let refund = match crate::accounts::gateway_of(&order.restaurant) {
            Some(GatewayKind::CardConnect) => cardconnect_view(&done, record.as_ref(), order),
            _ => stripe_view(&done.value, record.as_ref()),
        };
        let shown = format!("{} {}", refund.amount.to_major_string(), refund.amount.currency.to_uppercase());
        let message = match (refund.method, refund.status) {
            (RefundMethod::Void, _) => format!("Voided {shown}: the customer will not be charged."),
            (_, RefundStatus::Succeeded) => format!("Refunded {shown}."),
            (_, RefundStatus::Failed | RefundStatus::Canceled) => {
                format!("The refund of {shown} failed: {}.", refund.failure.clone().unwrap_or_default())
            }
            _ => format!(
                "Refund of {shown} sent; the gateway says it is {} — its status updates here.",
                refund.status_label.to_lowercase()
            ),
        };
        Ok(RefundDone { refund, message })
    }

    /// Refunds `request.payment` on behalf of the signed-in profile, under `confirmation` (the key
    /// made when the person confirmed; a new one when `None`). Checked before anything is
    /// journalled: role and restaurant, the amount against what the gateway says is left now (a
    /// disputed or fully refunded payment has nothing to refund; offline, nothing is sent or
    /// queued), and the profile's refund limit, above which `request.approval` must be a manager's
    /// or owner's PIN. A confirmation already journalled goes straight to the door, which answers
    /// what became of it: a double click refunds once.
    pub async fn refund(&self, request: &RefundRequest, confirmation: Option<&str>) -> Result<Done, DeskError> {
        let profile = self.authorize_audited(Action::RefundPayment, AUDIT_ACTION)?;
        let key = match confirmation {
            Some(key) if !is_key(key) => {
                return Err(DeskError::InvalidInput { field: "confirmation", reason: "not a key this app made".into() })
            }
            Some(key) => key.to_string(),
            None => new_key(),
        };
        let journalled = journal::get(self.store().conn(), &key)?.is_some();
        let account = request.account.as_deref().unwrap_or("");
        let checked = self
            .check_account(&profile, account)
            .and_then(|()| check_positive(request.amount))
            .and_then(|()| {
                // A confirmation already journalled is answered by the door whatever came since.
                match self.refusal_if_disconnected(account)? {
                    Some(refusal) if !journalled => Err(refusal),
                    _ => Ok(()),
                }
            })
            .and_then(|()| match request.note.as_deref() {
                Some(note) if note.chars().count() > MAX_NOTE => Err(DeskError::InvalidInput {
                    field: "note",
                    reason: format!("A note is at most {MAX_NOTE} characters."),
                }),
                _ => Ok(()),
            });
        if let Err(err) = checked {
            self.audit_refused(&profile, request, &err)?;
            return Err(err);
        }
        if crate::accounts::gateway_of(account) == Some(GatewayKind::CardConnect) {
            let result = self.refund_cardconnect(&profile, request, account, &key, journalled).await;
            // Refusals before the door are audited here; the door audits what it journals.
            if let Err(
                err @ (DeskError::InvalidInput { .. }
                | DeskError::OutOfScope(_)
                | DeskError::NotFound { .. }
                | DeskError::Offline { .. }
                | DeskError::Profile(_)),
            ) = &result
            {
                self.audit_refused(&profile, request, err)?;
            }
            return result;
        }
        let (call, intent, record) = match self.stripe_refund(&profile, request, &key, journalled).await {
            Ok(prepared) => prepared,
            Err(err) => {
                self.audit_refused(&profile, request, &err)?;
                return Err(err);
            }
        };
        if let Some(record) = &record {
            refund_records::put(self.store().conn(), record)?;
        }
        let done = self.through_door(&profile, call, intent, Some(&key)).await?;
        self.remember_stripe_refund(account, &done.value);
        if let Some(id) = done.value["id"].as_str() {
            refund_records::set_refund(self.store().conn(), &done.key, id)?;
        }
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

    /// The Stripe refund's call, what it is for people and this PC's record of it, or why it is
    /// refused before anything is sent. `journalled`: the confirmation was sent before, and its
    /// own checks and record stand.
    async fn stripe_refund(
        &self,
        profile: &Profile,
        request: &RefundRequest,
        key: &str,
        journalled: bool,
    ) -> Result<(MoneyCall, Intent, Option<RefundRecord>), DeskError> {
        let account = request.account.as_deref().unwrap_or("");
        let field = if request.payment.starts_with("ch_") { "charge" } else { "payment_intent" };
        check_id("payment", &request.payment, if field == "charge" { "ch_" } else { "pi_" })?;
        let reason = check_reason(request.reason.as_deref())?;
        // What is left is read from Stripe now: another PC may have refunded since the last sync.
        let payment = if journalled {
            self.stripe_payment(account, &request.payment).await?
        } else {
            self.fresh_stripe_payment(account, &request.payment).await?
        };
        let charge_raw = self.cached_raw(&payment.charge.reference)?;
        let kind = ChargeKind::of(account, &charge_raw);
        let mut form = vec![(field, request.payment.clone())];
        if let Some(amount) = request.amount {
            form.push(("amount", amount.to_string()));
        }
        if let Some(reason) = reason {
            form.push(("reason", reason.to_string()));
        }
        form.extend(kind.flags(&charge_raw));
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
            return Ok((call(&form), intent, None));
        }
        let amount = refundable(&payment, request.amount)?;
        let currency = payment.charge.currency.clone();
        let approver = self.approve(profile, account, amount, &currency, request.approval.as_ref())?;
        if let Some(approver) = &approver {
            form.push(("metadata[approved_by]", approver.name.clone()));
        }
        if let Some(order) = &payment.charge.order_ref {
            form.push(("metadata[order_number]", order.clone()));
        }
        let shown = format!("{} {}", Money::new(amount, &currency).to_major_string(), currency.to_uppercase());
        let shown = if request.amount.is_some() { shown } else { format!("{shown} (all that is left)") };
        let order = payment.charge.order_ref.as_deref().map(|o| format!(" (order {o})")).unwrap_or_default();
        let intent = Intent {
            audit_action: AUDIT_ACTION.into(),
            target: Some(request.payment.clone()),
            amount: Some(amount),
            currency: Some(currency),
            summary: format!(
                "Refund of {shown} on {}{order}{}",
                request.payment,
                issued_by(profile, approver.as_ref())
            ),
        };
        let record = self.refund_record(profile, request, key, &payment.charge.reference, approver.as_ref());
        Ok((call(&form), intent, Some(record)))
    }

    /// This PC's record of a refund about to be sent.
    pub(super) fn refund_record(
        &self,
        profile: &Profile,
        request: &RefundRequest,
        key: &str,
        payment: &str,
        approver: Option<&Profile>,
    ) -> RefundRecord {
        let gateway =
            crate::accounts::gateway_of(request.account.as_deref().unwrap_or("")).unwrap_or(GatewayKind::Stripe);
        RefundRecord {
            key: key.to_string(),
            gateway: gateway.as_str().to_string(),
            restaurant: request.account.clone().unwrap_or_default(),
            payment: payment.to_string(),
            refund: None,
            profile_id: Some(profile.id),
            issued_by: profile.name.clone(),
            approved_by: approver.map(|a| a.name.clone()),
            note: request.note.clone(),
            created_at: self.clock.now().to_rfc3339(),
        }
    }
}

/// A CardConnect refund or void as CardPointe answered it (the neutral transaction), for the
/// amount asked when the answer does not read as one.
fn cardconnect_view(done: &Done, record: Option<&RefundRecord>, order: &RefundOrder) -> RefundView {
    let txn = serde_json::from_value::<crate::gateways::Transaction>(done.value.clone()).unwrap_or_else(|_| {
        crate::gateways::Transaction {
            gateway: GatewayKind::CardConnect,
            reference: String::new(),
            kind: crate::gateways::TxType::Refund,
            status: crate::gateways::TxStatus::Complete,
            amount: order.amount,
            refunded: 0,
            currency: "usd".into(),
            order_ref: None,
            restaurant: order.restaurant.clone(),
            created: 0,
            parent: None,
            card_brand: None,
            card_last4: None,
            settled: None,
        }
    });
    let mut view = super::status::cardconnect_view(&txn, record);
    view.created = chrono::Utc::now().timestamp();
    if view.amount.amount == 0 {
        // A full void answers 0.00: it voided what was asked.
        view.amount.amount = order.amount;
    }
    view
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
