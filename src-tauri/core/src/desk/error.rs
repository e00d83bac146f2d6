//! The desk's one error type, and the code each error has for the screens to branch on.

use crate::gateways::cardconnect::CardConnectError;
use crate::gateways::stripe::StripeError;
use crate::keys::KeyFormatError;
use crate::permissions::{Action, Role};
use crate::profiles::ProfileError;
use crate::secrets::SecretsError;
use crate::store::StoreError;
use crate::views::ErrorCode;

/// Errors of the desk layer. The shell maps each to an [`ErrorCode`] and a sentence for people.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("a {role:?} profile may not {}", action.label())]
    Forbidden { role: Role, action: Action },
    #[error("Merchant Desk is locked; sign in with a profile")]
    Locked,
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("that is not a Stripe secret key: {0}")]
    KeyFormat(#[from] KeyFormatError),
    /// Stripe refused the key; `message` is Stripe's own sentence.
    #[error("Stripe refused the key: {message}")]
    KeyRejected { message: String, request_id: Option<String> },
    #[error("{field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    #[error("no {what} {id} is known here; sync, or check the ID")]
    NotFound { what: &'static str, id: String },
    #[error("this profile may not see {0}")]
    OutOfScope(String),
    #[error("could not write {path}: {reason}")]
    Export { path: String, reason: String },
    /// Another call for the same account has no known outcome yet: nothing new is sent until it
    /// is settled, so that nothing happens twice.
    #[error("an earlier action for this account is unfinished ({summary}, asked {since}); Merchant Desk is finding out whether it happened — see Settings → Unfinished money actions")]
    Unfinished { summary: String, key: String, since: String },
    /// Sent, but the gateway gave no definite answer: it may or may not have happened.
    #[error("no definite answer from Stripe ({reason}); this may or may not have happened — Merchant Desk checks before anything else is sent for this account")]
    OutcomeUnknown { key: String, reason: String },
    /// A confirmation submitted again, whose call already ended without effect.
    #[error("this confirmation was already used: {summary} ended {status}")]
    AlreadyAnswered { summary: String, status: &'static str },
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    CardConnect(#[from] CardConnectError),
    /// A money action refused before anything was journalled because the gateway could not be
    /// reached: nothing was sent, and nothing waits to be sent later.
    #[error("{gateway} could not be reached; nothing was sent")]
    Offline { gateway: &'static str },
    /// The restaurant revoked the platform's access: Stripe would refuse, so nothing is sent.
    #[error("{name} disconnected from the platform ({since}); nothing was sent")]
    Disconnected { account: String, name: String, since: String },
    /// The browser could not be opened for a link (the link stays usable).
    #[error("the browser could not be opened: {0}")]
    Browser(String),
    /// A CardConnect action or restaurant, but no CardConnect site is set up.
    #[error("CardConnect is not set up on this PC")]
    CardConnectNotSetUp,
}

impl DeskError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DeskError::Forbidden { .. } | DeskError::OutOfScope(_) => ErrorCode::RoleForbidden,
            DeskError::NotFound { .. } => ErrorCode::NotFound,
            DeskError::Locked => ErrorCode::Locked,
            DeskError::Profile(ProfileError::WrongPin { .. }) => ErrorCode::WrongPin,
            DeskError::Profile(ProfileError::LockedOut { .. }) => ErrorCode::PinLockedOut,
            DeskError::Profile(ProfileError::LastAdmin) => ErrorCode::LastAdmin,
            DeskError::Profile(ProfileError::NotFound(_)) => ErrorCode::NotFound,
            DeskError::Profile(ProfileError::AlreadySetUp) => ErrorCode::AlreadySetUp,
            // Asking for more than the profile itself has is a matter of role, not of typing.
            DeskError::Profile(
                ProfileError::RoleAboveYours(_)
                | ProfileError::ScopeWiderThanYours
                | ProfileError::AdminsOnly
                | ProfileError::Outranked,
            ) => ErrorCode::RoleForbidden,
            DeskError::Profile(ProfileError::PinKeyMissing) => ErrorCode::KeyringUnavailable,
            DeskError::Profile(_) | DeskError::InvalidInput { .. } => ErrorCode::InvalidInput,
            DeskError::KeyFormat(_) => ErrorCode::InvalidKeyFormat,
            DeskError::KeyRejected { .. } => ErrorCode::KeyRejected,
            DeskError::Export { .. } => ErrorCode::ExportFailed,
            DeskError::Unfinished { .. } => ErrorCode::UnfinishedCall,
            DeskError::OutcomeUnknown { .. } => ErrorCode::OutcomeUnknown,
            DeskError::AlreadyAnswered { .. } => ErrorCode::InvalidInput,
            DeskError::Secrets(_) => ErrorCode::KeyringUnavailable,
            DeskError::Store(_) => ErrorCode::Storage,
            DeskError::Stripe(StripeError::BadBaseUrl(_)) => ErrorCode::InvalidBaseUrl,
            DeskError::Stripe(StripeError::Network { .. }) => ErrorCode::Offline,
            DeskError::Stripe(StripeError::Api { status: 429, .. }) => ErrorCode::RateLimited,
            // The stored key was revoked or rolled: the person needs to paste a new one.
            DeskError::Stripe(StripeError::Api { status: 401, .. }) => ErrorCode::KeyRejected,
            DeskError::Stripe(_) => ErrorCode::StripeError,
            DeskError::CardConnect(CardConnectError::WrongCredentials) => ErrorCode::KeyRejected,
            DeskError::CardConnect(CardConnectError::BadBaseUrl(_)) => ErrorCode::InvalidBaseUrl,
            DeskError::CardConnect(CardConnectError::BadInput(_)) => ErrorCode::InvalidInput,
            DeskError::CardConnect(CardConnectError::Network { .. }) => ErrorCode::Offline,
            DeskError::CardConnect(_) => ErrorCode::CardConnectError,
            DeskError::CardConnectNotSetUp => ErrorCode::CardConnectNotSetUp,
            DeskError::Offline { .. } => ErrorCode::Offline,
            DeskError::Disconnected { .. } => ErrorCode::Disconnected,
            DeskError::Browser(_) => ErrorCode::Internal,
        }
    }
}

impl DeskError {
    /// A read made before a money action failed for want of a network: the action is refused,
    /// plainly, rather than left to the door to journal as unknown and settle later.
    pub fn offline_refusal(self, gateway: &'static str) -> DeskError {
        match self {
            DeskError::Stripe(StripeError::Network { .. })
            | DeskError::CardConnect(CardConnectError::Network { .. }) => DeskError::Offline { gateway },
            other => other,
        }
    }

    /// The form field an error is about, for the screen to put the message beside it.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DeskError::InvalidInput { field, .. } => Some(field),
            DeskError::KeyFormat(_) | DeskError::KeyRejected { .. } => Some("key"),
            DeskError::CardConnect(CardConnectError::WrongCredentials) => Some("password"),
            DeskError::CardConnect(CardConnectError::BadBaseUrl(_)) => Some("site"),
            _ => None,
        }
    }
}

impl From<crate::gateways::GatewayError> for DeskError {
    fn from(err: crate::gateways::GatewayError) -> Self {
        match err {
            crate::gateways::GatewayError::Stripe(e) => DeskError::Stripe(e),
            crate::gateways::GatewayError::CardConnect(e) => DeskError::CardConnect(e),
        }
    }
}
