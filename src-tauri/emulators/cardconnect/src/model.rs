//! What the emulated Gateway keeps: merchants, transactions with their settlement status, batches,
//! deposits and stored profiles. Amounts are minor units; times are Unix seconds on the simulated
//! clock.

use chrono::NaiveDate;

/// A transaction's `setlstat`, as CardPointe writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setl {
    /// Approved, not captured.
    Authorized,
    /// Captured (or a refund), waiting in the merchant's open batch for tonight's settlement.
    QueuedForCapture,
    /// The batch went for settlement and the processor accepted the transaction for funding.
    Accepted,
    /// The batch went for settlement and the processor rejected the transaction.
    Rejected,
    Voided,
    Declined,
    /// A $0 account verification: nothing to capture.
    ZeroAmount,
}

impl Setl {
    pub fn as_str(self) -> &'static str {
        match self {
            Setl::Authorized => "Authorized",
            Setl::QueuedForCapture => "Queued for Capture",
            Setl::Accepted => "Accepted",
            Setl::Rejected => "Rejected",
            Setl::Voided => "Voided",
            Setl::Declined => "Declined",
            Setl::ZeroAmount => "Zero Amount",
        }
    }

    /// Whether the transaction's batch has gone for settlement.
    pub fn settled(self) -> bool {
        matches!(self, Setl::Accepted | Setl::Rejected)
    }
}

/// Card brands the emulator recognises from a card number's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Brand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Diners,
    Jcb,
}

impl Brand {
    /// From the PAN prefixes of CardPointe's UAT test-card table.
    pub fn of(pan: &str) -> Option<Brand> {
        let two: u32 = pan.get(..2)?.parse().ok()?;
        let three: u32 = pan.get(..3)?.parse().ok()?;
        let four: u32 = pan.get(..4)?.parse().ok()?;
        Some(match (pan.len(), two) {
            (13 | 16 | 19, _) if pan.starts_with('4') => Brand::Visa,
            (16, 51..=55) => Brand::Mastercard,
            (15, 34 | 37) => Brand::Amex,
            (16, _) if four == 6011 || three == 622 || (644..=659).contains(&three) => Brand::Discover,
            (14, 36) => Brand::Diners,
            (16, 35) => Brand::Jcb,
            _ => return None,
        })
    }

    /// `cardtype` in settlement answers.
    pub fn card_type(self) -> &'static str {
        match self {
            Brand::Visa => "VISA",
            Brand::Mastercard => "MC",
            Brand::Amex => "AMEX",
            Brand::Discover => "DISC",
            Brand::Diners => "DINR",
            Brand::Jcb => "JCB",
        }
    }
}

/// A merchant ID boarded on the emulated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub merchid: String,
    /// The DBA name (CardPointe shows it on receipts; the app shows it as the restaurant).
    pub name: String,
    /// Upper-case ISO 4217, as CardPointe writes it.
    pub currency: String,
    pub enabled: bool,
    /// Some merchants are allowed to refund transactions before they settle; most are not.
    pub refund_unsettled: bool,
    /// The batch captures join until tonight's settlement.
    pub open_batch: String,
}

/// Whether a record is a sale (an authorization, perhaps captured) or a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnKind {
    Auth,
    Refund,
}

/// One transaction record, found by its `retref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    pub retref: String,
    pub merchid: String,
    pub kind: TxnKind,
    pub orderid: Option<String>,
    /// Authorized (or captured, once captured) amount; for a refund, the amount refunded.
    pub amount: i64,
    pub currency: String,
    /// The CardSecure-style token that stands for the card.
    pub token: String,
    pub lastfour: String,
    pub brand: Option<Brand>,
    pub expiry: Option<String>,
    pub respproc: &'static str,
    pub respcode: &'static str,
    pub respstat: crate::codes::RespStat,
    pub resptext: &'static str,
    pub authcode: Option<String>,
    pub setl: Setl,
    pub batchid: Option<String>,
    pub authdate: i64,
    pub capturedate: Option<i64>,
    pub settledate: Option<i64>,
    /// Refunded so far (sales only).
    pub refunded: i64,
    /// For a refund: the sale it gives money back from.
    pub parent: Option<String>,
    /// `profileid/acctid` when a stored profile paid.
    pub profile: Option<String>,
}

/// A batch of one merchant: open until the nightly settlement closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub batchid: String,
    pub merchid: String,
    /// The processor's own batch number, given when the batch is sent.
    pub hostbatch: Option<String>,
    pub retrefs: Vec<String>,
    /// The business day the batch settled for, once closed.
    pub settled_on: Option<NaiveDate>,
    /// The deposit that paid it out.
    pub funded_by: Option<String>,
}

/// One day's deposit to a merchant's bank account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    pub fundingmasterid: String,
    pub fundingid: String,
    pub merchid: String,
    pub date: NaiveDate,
    pub currency: String,
    /// Sales less refunds of the batches it funds, in minor units.
    pub net: i64,
    pub batchids: Vec<String>,
    pub retrefs: Vec<String>,
}

/// A stored card of one merchant's customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub profileid: String,
    pub acctid: String,
    pub merchid: String,
    pub token: String,
    pub lastfour: String,
    pub brand: Option<Brand>,
    pub expiry: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_from_test_card_prefixes() {
        assert_eq!(Brand::of("4111111111111111"), Some(Brand::Visa));
        assert_eq!(Brand::of("5454545454545454"), Some(Brand::Mastercard));
        assert_eq!(Brand::of("371449635398431"), Some(Brand::Amex));
        assert_eq!(Brand::of("6011000995500000"), Some(Brand::Discover));
        assert_eq!(Brand::of("36438999960016"), Some(Brand::Diners));
        assert_eq!(Brand::of("3528000000000007"), Some(Brand::Jcb));
        assert_eq!(Brand::of("1234567890123456"), None);
    }
}
