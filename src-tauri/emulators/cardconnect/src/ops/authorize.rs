//! `auth` (with `capture` for a purchase) and `capture`: a card, token or stored profile is
//! authorized by the emulated processor (First Data North, as CardPointe's UAT merchants are), and
//! captures join the merchant's open batch for tonight's settlement.

use serde_json::Value;

use super::{merchant_for, refuse};
use crate::amount::{self, BadAmount};
use crate::codes::{self, gateway, Code};
use crate::model::{Brand, Profile, Setl, Txn, TxnKind};
use crate::state::{last_four, State};
use crate::wire;

/// An authorization request, field for field as CardPointe names them.
#[derive(Debug, Clone, Default)]
pub struct AuthReq {
    pub merchid: Option<String>,
    /// A card number or a token.
    pub account: Option<String>,
    pub expiry: Option<String>,
    /// As sent: `"12.50"` or `"1250"` (minor units).
    pub amount: Option<Value>,
    pub currency: Option<String>,
    pub orderid: Option<String>,
    pub capture: bool,
    /// `Y` to store the card as a new profile, or `profileid/acctid` to pay with a stored one.
    pub profile: Option<String>,
    /// Answer the masked card number in `account` (the token stays in `token`).
    pub tokenize: bool,
    /// Answer the receipt fields, `orderId` among them.
    pub receipt: bool,
}

/// The card an authorization is for.
struct Card {
    pan: Option<String>,
    token: String,
    lastfour: String,
    brand: Option<Brand>,
    expiry: Option<String>,
    profile: Option<String>,
}

pub fn auth(state: &mut State, req: AuthReq) -> Value {
    super::settle::tick(state);
    let merchant = match merchant_for(state, req.merchid.as_deref()) {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    if req.currency.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case(&merchant.currency)) {
        return wire::refusal(gateway::WRONG_CURRENCY, None);
    }
    // A negative amount is a forced credit, which these merchants are not configured for.
    let amount = match req.amount.as_ref().map(|a| amount::parse_request(a, &merchant.currency)) {
        Some(Ok(a)) if a >= 0 => a,
        _ => return wire::refusal(gateway::INVALID_AMOUNT, None),
    };
    if req.orderid.as_deref().is_some_and(|o| o.len() > 50) {
        return wire::refusal(gateway::INVALID_FIELD, None);
    }
    let card = match card_for(state, &merchant.merchid, &req) {
        Ok(card) => card,
        Err(code) => return wire::refusal(code, None),
    };
    let scripted = card
        .pan
        .clone()
        .or_else(|| state.vault.get(&card.token).map(|v| v.pan.clone()))
        .and_then(|pan| codes::scripted_answer(Some(&pan), amount, amount::exponent(&merchant.currency)));
    let retref = state.new_retref();
    let now = state.now();
    let approved = scripted.is_none();
    let code = scripted.unwrap_or(codes::PROCESSOR_APPROVAL);
    let mut txn = Txn {
        retref: retref.clone(),
        merchid: merchant.merchid.clone(),
        kind: TxnKind::Auth,
        orderid: req.orderid.clone().filter(|o| !o.is_empty()),
        amount,
        currency: merchant.currency.clone(),
        token: card.token.clone(),
        lastfour: card.lastfour.clone(),
        brand: card.brand,
        expiry: card.expiry.clone(),
        respproc: code.respproc,
        respcode: code.respcode,
        respstat: code.respstat,
        resptext: code.resptext,
        authcode: None,
        setl: Setl::Declined,
        batchid: None,
        authdate: now,
        capturedate: None,
        settledate: None,
        refunded: 0,
        parent: None,
        profile: card.profile.clone(),
    };
    if !approved {
        state.insert_txn(txn.clone());
        return wire::declined(&txn);
    }
    txn.authcode = Some(state.new_authcode());
    txn.setl = if amount == 0 { Setl::ZeroAmount } else { Setl::Authorized };
    // A profile is stored only for an approved authorization.
    if req.profile.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("y")) {
        txn.profile = Some(store_profile(state, &merchant.merchid, &card));
    }
    state.insert_txn(txn);
    if req.capture && amount > 0 {
        join_batch(state, &retref);
    }
    let masked = req.tokenize.then(|| card.pan.as_deref().map(mask)).flatten();
    match state.txn(&retref) {
        Some(txn) => wire::approved(txn, masked, req.receipt),
        None => wire::refusal(gateway::INVALID_FIELD, None),
    }
}

/// A capture request: the authorization's retref, and an amount when it differs.
pub type CaptureReq = super::RetrefReq;

pub fn capture(state: &mut State, req: CaptureReq) -> Value {
    let (merchant, txn) = match super::named_txn(state, &req) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let retref = txn.retref.clone();
    match txn.setl {
        Setl::QueuedForCapture => wire::captured(&txn, None),
        Setl::Accepted | Setl::Rejected => wire::captured(&txn, Some(gateway::TXN_SETTLED)),
        Setl::Voided | Setl::Declined | Setl::ZeroAmount => refuse(gateway::TXN_NOT_FOUND, &retref),
        Setl::Authorized => {
            let amount = match req.amount.as_ref().map(|a| amount::parse_request(a, &merchant.currency)) {
                None => Ok(txn.amount),
                Some(Ok(a)) if a > 0 && a <= txn.amount => Ok(a),
                Some(_) => Err(BadAmount),
            };
            let Ok(amount) = amount else {
                return refuse(gateway::INVALID_AMOUNT, &retref);
            };
            if let Some(t) = state.txn_mut(&retref) {
                t.amount = amount;
            }
            join_batch(state, &retref);
            state.txn(&retref).map_or_else(|| refuse(gateway::TXN_NOT_FOUND, &retref), |t| wire::captured(t, None))
        }
    }
}

/// Queues a transaction for capture in its merchant's open batch.
pub(crate) fn join_batch(state: &mut State, retref: &str) {
    let Some(merchid) = state.txn(retref).map(|t| t.merchid.clone()) else { return };
    let Some(batchid) = state.open_batch(&merchid) else { return };
    let now = state.now();
    if let Some(batch) = state.batch_mut(&batchid) {
        batch.retrefs.push(retref.to_string());
    }
    if let Some(t) = state.txn_mut(retref) {
        t.setl = Setl::QueuedForCapture;
        t.batchid = Some(batchid);
        t.capturedate = Some(now);
    }
}

fn card_for(state: &mut State, merchid: &str, req: &AuthReq) -> Result<Card, Code> {
    if let Some(stored) = req.profile.as_deref().filter(|p| p.contains('/')) {
        let profile = state.profiles.get(stored).filter(|p| p.merchid == merchid).ok_or(gateway::PROFILE_NOT_FOUND)?;
        return Ok(Card {
            pan: None,
            token: profile.token.clone(),
            lastfour: profile.lastfour.clone(),
            brand: profile.brand,
            expiry: Some(profile.expiry.clone()),
            profile: Some(stored.to_string()),
        });
    }
    let account = req.account.as_deref().map(str::trim).filter(|a| !a.is_empty()).ok_or(gateway::INVALID_FIELD)?;
    if !account.bytes().all(|b| b.is_ascii_digit()) || !(12..=19).contains(&account.len()) {
        return Err(gateway::INVALID_CARD);
    }
    let expiry = match req.expiry.as_deref().map(str::trim) {
        None | Some("") => return Err(gateway::INVALID_FIELD),
        Some(e) if !e.bytes().all(|b| b.is_ascii_digit()) || ![4, 5, 6, 8].contains(&e.len()) => {
            return Err(gateway::NON_NUMERIC_EXPIRY)
        }
        Some(e) => e.to_string(),
    };
    // CardSecure tokens are 16 digits starting with 9 and fail the Luhn check on purpose.
    if account.len() == 16 && account.starts_with('9') {
        let known = state.vault.get(account);
        return Ok(Card {
            pan: None,
            token: account.to_string(),
            lastfour: last_four(account),
            brand: known.and_then(|v| v.brand),
            expiry: Some(expiry),
            profile: None,
        });
    }
    if !luhn(account) {
        return Err(gateway::BAD_CHECK_DIGIT);
    }
    let brand = Brand::of(account).ok_or(gateway::UNKNOWN_CARD_TYPE)?;
    let token = state.tokenize(account, Some(brand));
    Ok(Card {
        pan: Some(account.to_string()),
        token,
        lastfour: last_four(account),
        brand: Some(brand),
        expiry: Some(expiry),
        profile: None,
    })
}

fn store_profile(state: &mut State, merchid: &str, card: &Card) -> String {
    let profileid = state.rng().digits(20);
    let key = format!("{profileid}/1");
    state.profiles.insert(
        key.clone(),
        Profile {
            profileid,
            acctid: "1".into(),
            merchid: merchid.to_string(),
            token: card.token.clone(),
            lastfour: card.lastfour.clone(),
            brand: card.brand,
            expiry: card.expiry.clone().unwrap_or_default(),
        },
    );
    key
}

/// The card number with all but its first two and last four digits hidden.
pub(crate) fn mask(pan: &str) -> String {
    let len = pan.len();
    if len <= 6 {
        return "X".repeat(len);
    }
    format!("{}{}{}", &pan[..2], "X".repeat(len - 6), &pan[len - 4..])
}

pub(crate) fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_masks() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("4387751111111038"));
        assert!(!luhn("4111111111111112"));
        assert_eq!(mask("4111111111111111"), "41XXXXXXXXXX1111");
    }
}
