//! Refund limits per role and currency, and the approval that lets a refund go above them: staff
//! refund small amounts alone at the counter; above their limit a manager or owner types their
//! PIN on the same screen, without the staff member signing out.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::desk::{Desk, DeskError};
use crate::money::Money;
use crate::permissions::{Action, Role};
use crate::profiles::Profile;
use crate::settings::{REFUND_LIMITS, STAFF_REFUND_LIMIT_MAJOR};
use crate::store::audit::{self, AuditRecord};
use crate::store::StoreError;

const AUDIT_SETTINGS: &str = "settings.refund_limits";

/// One role's limit in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RefundLimit {
    pub role: Role,
    /// Lower-case ISO 4217.
    pub currency: String,
    /// Most a profile of `role` may refund alone, in minor units; `None`: no limit.
    #[specta(type = Option<specta_typescript::Number>)]
    pub amount: Option<i64>,
}

/// The limits owners have set. A role and currency not listed takes the role's default: staff
/// [`STAFF_REFUND_LIMIT_MAJOR`] major units, every other role none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RefundLimits {
    pub set: Vec<RefundLimit>,
}

/// A role's limit in `currency` when no owner has set one (minor units).
pub fn default_limit(role: Role, currency: &str) -> Option<i64> {
    match role {
        Role::Staff => Some(STAFF_REFUND_LIMIT_MAJOR * 10i64.pow(crate::money::exponent(currency) as u32)),
        _ => None,
    }
}

impl RefundLimits {
    /// Most `role` may refund alone in `currency` (minor units); `None`: no limit.
    pub fn limit(&self, role: Role, currency: &str) -> Option<i64> {
        let currency = currency.to_ascii_lowercase();
        match self.set.iter().find(|l| l.role == role && l.currency == currency) {
            Some(set) => set.amount,
            None => default_limit(role, &currency),
        }
    }

    /// The limits as typed (currency lower-cased), or why they cannot be kept.
    fn checked(&self) -> Result<RefundLimits, DeskError> {
        let invalid = |reason: String| DeskError::InvalidInput { field: "refund limits", reason };
        let mut set: Vec<RefundLimit> = Vec::with_capacity(self.set.len());
        for limit in &self.set {
            let currency = limit.currency.trim().to_ascii_lowercase();
            if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(invalid(format!("{:?} is not a currency code like USD or JPY", limit.currency)));
            }
            if let Some(amount) = limit.amount.filter(|a| *a < 0) {
                return Err(invalid(format!("a limit is zero or more, not {amount}")));
            }
            if set.iter().any(|l| l.role == limit.role && l.currency == currency) {
                return Err(invalid(format!("{} has two limits in {}", limit.role.label(), currency.to_uppercase())));
            }
            set.push(RefundLimit { role: limit.role, currency, amount: limit.amount });
        }
        Ok(RefundLimits { set })
    }

    /// The limits in words, for the audit log.
    fn describe(&self) -> String {
        if self.set.is_empty() {
            return "the defaults (staff 50 in each currency, other roles no limit)".into();
        }
        let words: Vec<String> = self
            .set
            .iter()
            .map(|l| match l.amount {
                Some(a) => format!("{} {}", l.role.label(), shown(a, &l.currency)),
                None => format!("{} no limit in {}", l.role.label(), l.currency.to_uppercase()),
            })
            .collect();
        words.join(", ")
    }
}

fn shown(amount: i64, currency: &str) -> String {
    format!("{} {}", Money::new(amount, currency).to_major_string(), currency.to_uppercase())
}

/// Another profile's approval of a refund above the asker's limit: who, and their PIN, checked
/// as a sign-in would check it but without signing anyone in or out.
#[derive(Clone, PartialEq, Eq)]
pub struct Approval {
    pub approver_profile_id: i64,
    pub pin: String,
}

/// Never prints the PIN.
impl std::fmt::Debug for Approval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Approval")
            .field("approver_profile_id", &self.approver_profile_id)
            .field("pin", &"<redacted>")
            .finish()
    }
}

/// A profile that may approve a refund above the asker's limit, for the approval's picker.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Approver {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub name: String,
    pub role_label: String,
}

impl Desk {
    /// Who may approve a refund at `restaurant` for the signed-in profile: managers and owners
    /// (not the asker) who may see the restaurant. Their limits and PIN are checked on approval.
    pub fn refund_approvers(&self, restaurant: &str) -> Result<Vec<Approver>, DeskError> {
        let profile = self.authorize(Action::RefundPayment)?;
        self.check_account(&profile, restaurant)?;
        let all = crate::profiles::list(self.store().conn())?;
        Ok(all
            .into_iter()
            .filter(|p| p.id != profile.id && matches!(p.role, Role::Manager | Role::Owner))
            .filter(|p| p.scope.as_ref().is_none_or(|ids| ids.iter().any(|id| id == restaurant)))
            .map(|p| Approver { id: p.id, name: p.name.clone(), role_label: p.role.label().to_string() })
            .collect())
    }

    /// The refund limits in force (what owners set; the defaults for the rest).
    pub fn refund_limits(&self) -> Result<RefundLimits, DeskError> {
        self.authorize(Action::RefundPayment)?;
        Ok(self.store().get(&REFUND_LIMITS)?.unwrap_or_default())
    }

    /// Replaces the refund limits (owners and platform admins: Settings). Stays on this PC, so it
    /// is audited here, refusals included, in the same transaction as the change.
    pub fn set_refund_limits(&self, limits: &RefundLimits) -> Result<RefundLimits, DeskError> {
        let profile = self.authorize_audited(Action::ManageSettings, AUDIT_SETTINGS)?;
        let limits = match limits.checked() {
            Ok(limits) => limits,
            Err(err) => {
                let record = AuditRecord {
                    action: AUDIT_SETTINGS.into(),
                    outcome: "refused".into(),
                    detail: Some(err.to_string()),
                    ..Default::default()
                };
                self.audit(&profile, record)?;
                return Err(err);
            }
        };
        {
            let mut store = self.store();
            let tx = store
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let json = serde_json::to_string(&limits).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (REFUND_LIMITS.name, json),
            )
            .map_err(StoreError::from)?;
            let record = AuditRecord {
                profile_id: Some(profile.id),
                profile_name: profile.name.clone(),
                role: profile.role.as_str().into(),
                action: AUDIT_SETTINGS.into(),
                target: Some("refund limits".into()),
                outcome: "succeeded".into(),
                detail: Some(format!("refund limits: {}", limits.describe())),
                ..Default::default()
            };
            audit::append(&tx, &record)?;
            tx.commit().map_err(StoreError::from)?;
        }
        Ok(limits)
    }

    /// Whether `asker` may refund `amount` of `currency` at `account`: within their own limit,
    /// or with `approval` by a manager or owner who may see `account`, whose own limit covers the
    /// amount and whose PIN is right (a wrong one counts toward their back-off). Returns the
    /// approver. Roles, scope and limits are checked before the PIN, so no attempt is spent on an
    /// approver who could not approve anyway.
    pub(super) fn approve(
        &self,
        asker: &Profile,
        account: &str,
        amount: i64,
        currency: &str,
        approval: Option<&Approval>,
    ) -> Result<Option<Profile>, DeskError> {
        let limits = self.store().get(&REFUND_LIMITS)?.unwrap_or_default();
        let Some(limit) = limits.limit(asker.role, currency).filter(|l| amount > *l) else { return Ok(None) };
        let refuse = |reason: String| DeskError::InvalidInput { field: "approval", reason };
        let Some(approval) = approval else {
            return Err(refuse(format!(
                "A {} profile may refund up to {} alone; {} needs a manager's or owner's approval with their PIN.",
                asker.role.label().to_lowercase(),
                shown(limit, currency),
                shown(amount, currency)
            )));
        };
        if approval.approver_profile_id == asker.id {
            return Err(refuse("A refund above your own limit is approved by another profile, not by you.".into()));
        }
        let approver = crate::profiles::get(self.store().conn(), approval.approver_profile_id)?
            .ok_or_else(|| refuse("The approving profile does not exist on this PC.".into()))?;
        if !matches!(approver.role, Role::Manager | Role::Owner) {
            return Err(refuse(format!(
                "{} is a {} profile: only a manager or an owner may approve a refund.",
                approver.name,
                approver.role.label().to_lowercase()
            )));
        }
        if approver.scope.as_ref().is_some_and(|ids| !ids.iter().any(|id| id == account)) {
            return Err(refuse(format!("{} may not refund at this restaurant, so may not approve it.", approver.name)));
        }
        if let Some(own) = limits.limit(approver.role, currency).filter(|l| amount > *l) {
            return Err(refuse(format!(
                "{} may approve refunds up to {}; {} needs an owner.",
                approver.name,
                shown(own, currency),
                shown(amount, currency)
            )));
        }
        Ok(Some(self.check_pin_of(approval.approver_profile_id, &approval.pin)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(role: Role, currency: &str, amount: Option<i64>) -> RefundLimit {
        RefundLimit { role, currency: currency.into(), amount }
    }

    #[test]
    fn staff_default_to_fifty_in_each_currency_and_others_to_none() {
        let none = RefundLimits::default();
        assert_eq!(none.limit(Role::Staff, "usd"), Some(5_000));
        assert_eq!(none.limit(Role::Staff, "JPY"), Some(50));
        assert_eq!(none.limit(Role::Staff, "kwd"), Some(50_000));
        assert_eq!(none.limit(Role::Manager, "usd"), None);
        assert_eq!(none.limit(Role::Owner, "usd"), None);
        let set = RefundLimits {
            set: vec![
                limit(Role::Staff, "usd", Some(10_000)),
                limit(Role::Manager, "jpy", Some(30_000)),
                limit(Role::Staff, "eur", None),
            ],
        };
        assert_eq!(set.limit(Role::Staff, "usd"), Some(10_000));
        assert_eq!(set.limit(Role::Staff, "eur"), None);
        assert_eq!(set.limit(Role::Staff, "gbp"), Some(5_000));
        assert_eq!(set.limit(Role::Manager, "jpy"), Some(30_000));
        assert_eq!(set.limit(Role::Manager, "usd"), None);
    }

    #[test]
    fn limits_are_checked_before_they_are_kept() {
        let typed = RefundLimits { set: vec![limit(Role::Staff, " USD ", Some(100))] };
        assert_eq!(typed.checked().unwrap().set[0].currency, "usd");
        for bad in [
            vec![limit(Role::Staff, "dollars", Some(100))],
            vec![limit(Role::Staff, "usd", Some(-1))],
            vec![limit(Role::Staff, "usd", Some(1)), limit(Role::Staff, "USD", Some(2))],
        ] {
            assert!(RefundLimits { set: bad.clone() }.checked().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn approvals_never_print_their_pin() {
        let shown = format!("{:?}", Approval { approver_profile_id: 3, pin: "48213579".into() });
        assert!(!shown.contains("48213579") && shown.contains("<redacted>"), "{shown}");
    }
}
