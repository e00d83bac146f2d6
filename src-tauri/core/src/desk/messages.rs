//! What each desk error says to people. The words live in the core so that the app and the command
//! line say the same thing.

use super::DeskError;
use crate::gateways::stripe::StripeError;
use crate::views::capitalise;

impl DeskError {
    /// What to tell the person at the desk, in the app and on the command line alike.
    pub fn user_message(&self) -> String {
        match self {
            DeskError::Forbidden { role, action } => format!(
                "Your profile ({}) may not {}. Ask an owner or a platform admin.",
                role.label(),
                action.label()
            ),
            DeskError::Locked => "Merchant Desk is locked. Choose your profile and enter your PIN.".into(),
            DeskError::Profile(reason) => format!("{}.", capitalise(&reason.to_string())),
            // A reason written as a whole sentence stands alone; a fragment names its field.
            DeskError::InvalidInput { reason, .. } if reason.starts_with(|c: char| c.is_uppercase() || c == '“') => {
                reason.clone()
            }
            DeskError::InvalidInput { field, reason } => format!("Check the {}: {reason}.", field.replace('_', " ")),
            DeskError::NotFound { what, id } => {
                format!("No {what} {id} is known on this PC. Sync from the Overview, or check the ID.")
            }
            DeskError::OutOfScope(what) => format!("Your profile may not see {what}. Ask an owner for access."),
            DeskError::Export { path, reason } => format!("The file {path} could not be written: {reason}."),
            DeskError::KeyFormat(reason) => format!("That is not a Stripe secret key: {reason}."),
            DeskError::KeyRejected { message, .. } => format!("Stripe did not accept this key: {message}"),
            DeskError::Secrets(inner) => format!(
                "{}. Merchant Desk keeps keys only in the system keyring; unlock or install one (GNOME Keyring or KWallet) and try again.",
                capitalise(&inner.to_string())
            ),
            DeskError::Store(inner) => format!("The local database failed: {inner}."),
            DeskError::Unfinished { summary, since, .. } => format!(
                "Not sent: an earlier action for this restaurant is unfinished ({summary}, asked {}). Merchant Desk is finding out whether it happened (owners see it in Settings → Unfinished money actions).",
                since.get(..16).unwrap_or(since).replace('T', " ")
            ),
            DeskError::OutcomeUnknown { reason, .. } => format!(
                "No definite answer came back ({reason}), so this may or may not have happened. Merchant Desk checks with the gateway before anything else is sent for this restaurant (owners see it in Settings → Unfinished money actions)."
            ),
            DeskError::AlreadyAnswered { summary, status } => {
                format!("This confirmation was already used: {summary} ended {status}. Review the change again to send a new one.")
            }
            DeskError::Stripe(StripeError::Network { base_url, .. }) => format!(
                "Could not reach Stripe at {base_url}. Check the internet connection; cached data stays readable."
            ),
            DeskError::Stripe(StripeError::BadBaseUrl(why)) => {
                format!("{}; it should look like https://api.stripe.com.", capitalise(&why.to_string()))
            }
            DeskError::Stripe(StripeError::Api { status: 429, .. }) => {
                "Stripe is limiting how fast this app may ask. Wait a moment and try again.".into()
            }
            DeskError::Stripe(StripeError::Api { status: 401, message, .. }) => {
                format!("Stripe no longer accepts the stored key ({message}). Paste a current key in Settings → Stripe connection.")
            }
            DeskError::Stripe(StripeError::Api { message, request_id, .. }) => match request_id {
                Some(id) => format!("Stripe said: {message} (request {id})"),
                None => format!("Stripe said: {message}"),
            },
            // CardConnect's errors are written as sentences for people already.
            DeskError::CardConnect(err) => err.to_string(),
            DeskError::Offline { gateway } => format!(
                "You are offline: {gateway} could not be reached, so nothing was sent and nothing is waiting to be sent. Try again when the connection is back."
            ),
            DeskError::Disconnected { name, since, .. } => format!(
                "{name} disconnected from the platform on {}: Stripe no longer lets the platform act for it, so nothing was sent. The restaurant must connect again (a new onboarding link) before money can move.",
                day_of(since)
            ),
            DeskError::Browser(why) => {
                format!("The browser could not be opened ({why}). The link is still usable: copy it instead.")
            }
            DeskError::CardConnectNotSetUp => "CardConnect is not set up on this PC. An owner enters the site, API user, password and each restaurant's merchant ID in Settings → CardConnect.".into(),
            DeskError::Stripe(StripeError::Decode { .. }) => {
                "Stripe sent an answer this version of Merchant Desk cannot read. Please report it with the log file.".into()
            }
        }
    }
}

/// "30 Nov 2026" for an RFC 3339 time (as written), or the text itself.
fn day_of(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_else(|_| at.to_string())
}
