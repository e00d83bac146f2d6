//! Payout statuses, failures and balance transaction types in words people use.

/// A payout status in words.
pub fn status_label(status: &str) -> String {
    match status {
        "pending" => "Pending".into(),
        "in_transit" => "In transit".into(),
        "paid" => "Paid".into(),
        "failed" => "Failed".into(),
        "canceled" => "Canceled".into(),
        other => other.replace('_', " "),
    }
}

/// Why a payout failed and what to do, from Stripe's failure code (Stripe's own message wins
/// when it sends one).
pub fn failure(code: Option<&str>, message: Option<&str>) -> Option<String> {
    if let Some(message) = message.filter(|m| !m.trim().is_empty()) {
        return Some(message.to_string());
    }
    let words = match code? {
        "account_closed" => "The bank account has been closed. Add a new bank account to receive payouts.",
        "account_frozen" => "The bank account is frozen. Contact the bank, or add another account.",
        "bank_account_restricted" => "The bank account does not accept this kind of payment. Contact the bank.",
        "bank_ownership_changed" => "The bank account changed owner. Add the bank details again.",
        "could_not_process" => {
            "The bank could not process this payout. Stripe will retry; contact the bank if it fails again."
        }
        "debit_not_authorized" => "Debits are not authorised on this bank account. Contact the bank.",
        "declined" => "The bank declined this payout. Contact the bank, or add another account.",
        "insufficient_funds" => "There was not enough balance to cover this payout.",
        "invalid_account_number" => "The bank account number is not valid. Check the bank details.",
        "incorrect_account_holder_name" => "The account holder's name does not match the bank's records.",
        "incorrect_account_holder_address" => "The account holder's address does not match the bank's records.",
        "incorrect_account_holder_tax_id" => "The account holder's tax ID does not match the bank's records.",
        "invalid_currency" => "The bank account cannot receive this currency.",
        "no_account" => "The bank could not find this account. Check the account and routing numbers.",
        "unsupported_card" => "The debit card cannot receive payouts. Add another card or a bank account.",
        other => return Some(format!("The payout failed ({}).", other.replace('_', " "))),
    };
    Some(words.to_string())
}

/// A balance transaction type in words.
pub fn transaction_label(kind: &str) -> String {
    match kind {
        "charge" | "payment" => "Payment".into(),
        "refund" | "payment_refund" => "Refund".into(),
        "payment_failure_refund" => "Failed payment refund".into(),
        "payment_reversal" => "Refund (reversed from the platform)".into(),
        "adjustment" => "Adjustment".into(),
        "application_fee" => "Platform fee".into(),
        "application_fee_refund" => "Platform fee refund".into(),
        "stripe_fee" => "Stripe fee".into(),
        "transfer" => "Transfer".into(),
        "transfer_refund" | "transfer_cancel" | "transfer_failure" => "Transfer reversal".into(),
        "payout" => "Payout".into(),
        "payout_cancel" => "Canceled payout".into(),
        "payout_failure" => "Failed payout returned".into(),
        "reserve_transaction" => "Reserve".into(),
        other => crate::views::capitalise(&other.replace('_', " ")),
    }
}

/// "Chase ••••6789" from a bank account's or card's JSON.
pub fn bank(destination: &serde_json::Value) -> Option<String> {
    let last4 = destination["last4"].as_str()?;
    let name = destination["bank_name"].as_str().or_else(|| destination["brand"].as_str()).unwrap_or("Account");
    Some(format!("{name} ••••{last4}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_as_sentences() {
        assert_eq!(
            failure(Some("account_closed"), None).unwrap().split('.').next(),
            Some("The bank account has been closed")
        );
        assert_eq!(failure(Some("no_account"), Some("Stripe says so.")).as_deref(), Some("Stripe says so."));
        assert_eq!(failure(Some("brand_new_code"), None).as_deref(), Some("The payout failed (brand new code)."));
        assert_eq!(failure(None, None), None);
        assert_eq!(status_label("in_transit"), "In transit");
        assert_eq!(transaction_label("payout_failure"), "Failed payout returned");
        assert_eq!(transaction_label("climate_order_purchase"), "Climate order purchase");
    }
}
