//! Who may do what: the role × action matrix, as data, in one place. Every command names its
//! [`Action`] and the desk checks it against the active profile before doing any work.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Staff,
    PlatformAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Manager, Role::Staff, Role::PlatformAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Manager => "Manager",
            Role::Staff => "Staff",
            Role::PlatformAdmin => "Platform admin",
        }
    }
}

/// Everything a command can do. Each command maps to exactly one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See which profile is active and how the app is connected.
    ViewSession,
    /// Platform and account balances, and the connected accounts list.
    ViewOverview,
    /// Paste or forget the Stripe key, point the app at another API base URL.
    ManageConnection,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::ViewSession, Action::ViewOverview, Action::ManageConnection];

    pub fn label(self) -> &'static str {
        match self {
            Action::ViewSession => "see the session",
            Action::ViewOverview => "see balances and accounts",
            Action::ManageConnection => "change the Stripe connection",
        }
    }
}

use Action::*;
use Role::*;

/// The matrix. A pair not listed is refused.
const ALLOWED: &[(Role, &[Action])] = &[
    (Owner, &[ViewSession, ViewOverview, ManageConnection]),
    (PlatformAdmin, &[ViewSession, ViewOverview, ManageConnection]),
    (Manager, &[ViewSession]),
    (Staff, &[ViewSession]),
];

pub fn allows(role: Role, action: Action) -> bool {
    ALLOWED.iter().any(|(r, actions)| *r == role && actions.contains(&action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_row_and_staff_cannot_touch_settings() {
        for role in Role::ALL {
            assert!(ALLOWED.iter().any(|(r, _)| *r == role), "{role:?} has no row");
            assert!(allows(role, ViewSession));
        }
        assert!(!allows(Staff, ManageConnection));
        assert!(!allows(Staff, ViewOverview));
        assert!(allows(Owner, ManageConnection));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
