//! Errors of the CardConnect client: one enum, each variant a sentence a person can act on. What
//! matters most for money calls is whether CardPointe may have acted: a network error says so, a
//! server error says it may have, a decline says it did not.

/// What went wrong talking to the CardPointe Gateway.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardConnectError {
    /// No (complete) answer: DNS, refused connection, TLS, timeout, a connection cut mid-answer.
    #[error("Could not reach the CardPointe Gateway at {base_url} ({detail}). {}", network_advice(*may_have_reached))]
    Network {
        base_url: String,
        detail: String,
        /// False only when the request certainly never left this computer (the connection was
        /// never made); a money call with `true` may have been carried out.
        may_have_reached: bool,
    },
    /// HTTP 401: the API user name and password were not accepted.
    #[error(
        "CardPointe did not accept the API user name and password (HTTP 401). Check them against the \
         credentials CardPointe issued for this site and enter them again; nothing was done."
    )]
    WrongCredentials,
    /// Another HTTP error status (400, 404, 5xx…).
    #[error("{}", http_message(*status, detail))]
    Http { status: u16, detail: String },
    /// `respstat` C: CardPointe or the card's processor said no, and nothing was done.
    #[error("CardPointe declined: {resptext} ({respproc} code {respcode}).{}", decline_advice(respproc, respcode))]
    Declined { respproc: String, respcode: String, resptext: String },
    /// `respstat` B: a temporary problem (for example a processor timeout); nothing was charged.
    #[error(
        "CardPointe could not finish the request and asks to try again later: {resptext} (code {respcode}). \
         Nothing was charged."
    )]
    Retry { respcode: String, resptext: String, retref: Option<String> },
    /// An answer that is not what the Gateway documents.
    #[error("CardPointe's answer could not be read ({detail}). If this was a payment, refund or void, look it up by its order ID before trying again.")]
    Decode { detail: String },
    /// The Gateway address is not usable; what was typed is not repeated (it may be a password).
    #[error("The CardPointe address is not usable: {0}. Nothing was sent.")]
    BadBaseUrl(&'static str),
    /// Refused before sending: the request could not be right.
    #[error("{0} Nothing was sent to CardPointe.")]
    BadInput(String),
}

impl CardConnectError {
    /// Whether CardPointe answered that it knows no such transaction (for this merchant ID).
    pub fn is_txn_not_found(&self) -> bool {
        matches!(self, CardConnectError::Declined { respproc, respcode, .. } if respproc == "PPS" && respcode == "29")
    }

    /// Whether a money call may have been carried out although no approval came back: the caller
    /// must look it up (by order ID) before doing anything else, never send it again blindly.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            CardConnectError::Network { may_have_reached, .. } => *may_have_reached,
            CardConnectError::Http { status, .. } => *status >= 500 || *status == 408,
            CardConnectError::Decode { .. } => true,
            _ => false,
        }
    }
}

fn network_advice(may_have_reached: bool) -> &'static str {
    if may_have_reached {
        "The request may have reached CardPointe: look it up by its order ID before trying again."
    } else {
        "Nothing was sent; check the internet connection and try again."
    }
}

fn http_message(status: u16, detail: &str) -> String {
    let detail = if detail.is_empty() { String::new() } else { format!(": {detail}") };
    match status {
        500..=599 | 408 => format!(
            "The CardPointe Gateway had a problem (HTTP {status}{detail}). The request may or may not have been \
             carried out: look it up by its order ID before trying again."
        ),
        404 => format!("The CardPointe Gateway does not know this address (HTTP 404{detail}). Check the site name."),
        _ => format!("The CardPointe Gateway could not read the request (HTTP {status}{detail}); nothing was done."),
    }
}

/// What a person can do about the Gateway's own refusals (processor declines speak for
/// themselves: "Do not honor", "Insufficient funds").
fn decline_advice(respproc: &str, respcode: &str) -> &'static str {
    if respproc != "PPS" {
        return " The card's bank or processor said no; for a payment, ask the customer for another card.";
    }
    match respcode {
        "21" => " CardPointe does not know this merchant ID on this site.",
        "27" => " The payment has already gone for settlement: refund it instead of voiding it.",
        "28" => " The payment has not settled yet: void it today, or refund it after tonight's settlement.",
        "29" => {
            " No such transaction for this merchant ID; a refund must name the merchant ID the payment was made with."
        }
        "32" => " This merchant ID is set up for another currency.",
        "43" => " The amount is not allowed, for example more than is left to refund or to capture.",
        "96" => " The stored card is not on file for this merchant ID.",
        "97" => " CardPointe has disabled this merchant ID.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        let lost = CardConnectError::Network {
            base_url: "https://x".into(),
            detail: "timed out".into(),
            may_have_reached: true,
        };
        assert!(lost.to_string().contains("look it up by its order ID"), "{lost}");
        assert!(lost.outcome_unknown());
        let refused = CardConnectError::Network {
            base_url: "https://x".into(),
            detail: "refused".into(),
            may_have_reached: false,
        };
        assert!(refused.to_string().contains("Nothing was sent"));
        assert!(!refused.outcome_unknown());
        let not_found = CardConnectError::Declined {
            respproc: "PPS".into(),
            respcode: "29".into(),
            resptext: "Txn not found".into(),
        };
        assert!(not_found.is_txn_not_found());
        assert!(not_found.to_string().contains("merchant ID the payment was made with"), "{not_found}");
        assert!(CardConnectError::Http { status: 502, detail: String::new() }.outcome_unknown());
        assert!(!CardConnectError::WrongCredentials.outcome_unknown());
    }
}
