//! CardPointe's answers as data: the Gateway's own (`respproc` "PPS") response codes, the First
//! Data North ("FNOR") codes the emulated processor answers with, and the UAT test cards and
//! amounts that produce them. Every code and text here is copied from CardPointe's published
//! tables; see API.md for the pages.

/// `respstat`: A approved, B retry, C declined or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespStat {
    A,
    B,
    C,
}

impl RespStat {
    pub fn as_str(self) -> &'static str {
        match self {
            RespStat::A => "A",
            RespStat::B => "B",
            RespStat::C => "C",
        }
    }
}

/// One line of a response-code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub respproc: &'static str,
    pub respcode: &'static str,
    pub respstat: RespStat,
    pub resptext: &'static str,
}

const fn pps(respcode: &'static str, respstat: RespStat, resptext: &'static str) -> Code {
    Code { respproc: "PPS", respcode, respstat, resptext }
}

const fn fnor(respcode: &'static str, respstat: RespStat, resptext: &'static str) -> Code {
    Code { respproc: "FNOR", respcode, respstat, resptext }
}

/// The Gateway's own answers (respproc PPS), as far as the emulator gives them.
pub mod gateway {
    use super::{pps, Code, RespStat::*};

    pub const APPROVAL: Code = pps("00", A, "Approval");
    pub const PROFILE_SAVED: Code = pps("09", A, "Profile Saved");
    pub const INVALID_CARD: Code = pps("11", C, "Invalid card");
    pub const BAD_CHECK_DIGIT: Code = pps("13", C, "Bad card check digit");
    pub const NON_NUMERIC_EXPIRY: Code = pps("15", C, "Non-numeric expiry");
    pub const INVALID_MERCHANT: Code = pps("21", C, "Invalid merchant");
    /// Answered to a capture of a transaction whose batch has already settled.
    pub const TXN_SETTLED: Code = pps("26", A, "Txn Settled");
    /// Answered to a void once the transaction's batch has gone for settlement.
    pub const TXN_BATCHED: Code = pps("27", C, "Txn Batched");
    /// Answered to a refund of a transaction that has not settled yet.
    pub const TXN_NOT_SETTLED: Code = pps("28", C, "Txn not settled");
    /// Also answered to a refund that does not name the original transaction's merchant ID.
    pub const TXN_NOT_FOUND: Code = pps("29", C, "Txn not found");
    pub const WRONG_CURRENCY: Code = pps("32", C, "Wrong currency for merch");
    pub const UNKNOWN_CARD_TYPE: Code = pps("33", C, "Unknown card type");
    pub const INVALID_FIELD: Code = pps("34", C, "Invalid field");
    pub const VOID_AFTER_30_DAYS: Code = pps("39", C, "Void not permitted after 30 days");
    pub const INVALID_AMOUNT: Code = pps("43", C, "Invalid amount");
    pub const TIMED_OUT: Code = pps("62", B, "Timed out");
    pub const PROFILE_NOT_FOUND: Code = pps("96", C, "Profile not found");
    pub const MERCHANT_DISABLED: Code = pps("97", C, "Merchant disabled");
}

/// First Data North's approval and the declines its UAT emulator can be asked for.
const FNOR: &[Code] = &[
    fnor("00", RespStat::A, "Approval"),
    fnor("01", RespStat::C, "Refer to issuer"),
    fnor("03", RespStat::C, "Invalid merchant"),
    fnor("05", RespStat::C, "Do not honor"),
    fnor("12", RespStat::C, "Invalid transaction"),
    fnor("13", RespStat::C, "Invalid amount"),
    fnor("14", RespStat::C, "Invalid card number"),
    fnor("25", RespStat::C, "Invalid terminal"),
    fnor("28", RespStat::B, "Please retry"),
    fnor("51", RespStat::C, "Declined"),
    fnor("54", RespStat::C, "Wrong expiration"),
    fnor("55", RespStat::C, "Incorrect pin"),
    fnor("57", RespStat::C, "Invalid txn for card"),
    fnor("60", RespStat::C, "Declined"),
    fnor("61", RespStat::C, "Exceeds withdrawal limit"),
    fnor("63", RespStat::C, "Service not allowed"),
    fnor("69", RespStat::C, "Host key error"),
    fnor("75", RespStat::C, "Pin try exceeded"),
    fnor("89", RespStat::C, "Invalid Term ID"),
    fnor("91", RespStat::B, "System error"),
    fnor("94", RespStat::C, "Duplicate tran"),
    fnor("NU", RespStat::C, "Insufficient funds"),
];

/// The processor's approval.
pub const PROCESSOR_APPROVAL: Code = fnor("00", RespStat::A, "Approval");

fn fnor_code(respcode: &str) -> Option<Code> {
    FNOR.iter().copied().find(|c| c.respcode == respcode)
}

/// What the UAT emulator answers for this card and amount, when it is not a plain approval:
/// the documented decline test cards, the timeout test cards, and amount-driven response codes
/// (an authorization of $1000–$1999 answers the code in the last three digits of the whole
/// dollars; codes the table does not hold are approved).
pub fn scripted_answer(pan: Option<&str>, amount_minor: i64, exponent: u32) -> Option<Code> {
    if let Some(pan) = pan {
        match pan {
            "4999006200620062" | "5111006200620062" | "6465006200620062" => return Some(gateway::TIMED_OUT),
            "4387751111111020" | "5442981111111023" | "6011000995511122" => return fnor_code("01"),
            "4387751111111038" | "5442981111111031" | "6011000995511130" => return fnor_code("05"),
            "4387751111111046" | "5442981111111049" | "6011000995511148" => return fnor_code("54"),
            "4387751111111053" | "5442981111111056" | "6011000995511155" => return fnor_code("NU"),
            _ => {}
        }
    }
    let dollars = amount_minor / 10i64.pow(exponent);
    if (1000..=1999).contains(&dollars) {
        let code = dollars - 1000;
        let respcode = if code < 100 { format!("{code:02}") } else { format!("{code:03}") };
        return fnor_code(&respcode).filter(|c| c.respstat != RespStat::A);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_and_amounts_answer_as_uat_does() {
        assert_eq!(scripted_answer(Some("4387751111111038"), 1000, 2).map(|c| c.resptext), Some("Do not honor"));
        assert_eq!(scripted_answer(Some("4999006200620062"), 500, 2), Some(gateway::TIMED_OUT));
        let nsf = scripted_answer(Some("4111111111111111"), 105_100, 2).unwrap();
        assert_eq!((nsf.respproc, nsf.respcode, nsf.respstat), ("FNOR", "51", RespStat::C));
        assert_eq!(scripted_answer(Some("4111111111111111"), 100_000, 2), None, "$1000 is code 00: approved");
        assert_eq!(scripted_answer(Some("4111111111111111"), 199_900, 2), None, "999 is not in the table");
        assert_eq!(scripted_answer(None, 4_250, 2), None);
    }
}
