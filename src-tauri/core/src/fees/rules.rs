//! The fee rules: which rate a payment pays the platform, and whether a fee schedule makes sense.
//!
//! Amounts and volumes are integers in the payment currency's minor unit and percentages are
//! integer basis points (290 = 2.90%), so no float rounding can make two PCs disagree by a cent.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::money;

/// The highest percentage a rate may take, 20%: above it a typo (2000 for 20.00 meant as 2.000)
/// is far likelier than an agreement.
pub const MAX_PERCENT_BP: u32 = 2_000;
/// The highest fixed part, 100,000 minor units ($1,000.00): more per payment is a typo.
pub const MAX_FIXED: i64 = 100_000;
/// More tiers than this nobody can explain to a restaurant, and they would crowd the metadata.
pub const MAX_TIERS: usize = 10;
/// An override's reason is a line on a screen, not a contract.
pub const MAX_REASON_CHARS: usize = 200;
/// Stripe refuses a metadata value longer than this.
pub const METADATA_VALUE_MAX_CHARS: usize = 500;

/// Metadata keys on each connected account (Stripe allows 40 characters per key).
pub const KEY_DEFAULT: &str = "md_fee_default";
pub const KEY_TIERS: &str = "md_fee_tiers";
pub const KEY_OVERRIDE: &str = "md_fee_override";
pub const KEY_OVERRIDE_REASON: &str = "md_fee_override_reason";

/// What a payment pays: a percentage of the amount plus a fixed part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeRate {
    /// Basis points: 290 is 2.90%.
    pub percent_bp: u32,
    /// In the payment currency's minor unit (30 is $0.30, or ¥30).
    #[specta(type = specta_typescript::Number)]
    pub fixed: i64,
}

/// A rate for restaurants whose succeeded card volume this calendar month (minor units of the
/// payment's currency) is within `volume_min..=volume_max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeTier {
    #[specta(type = specta_typescript::Number)]
    pub volume_min: i64,
    /// `None`: no upper bound (only the highest tier).
    #[specta(type = Option<specta_typescript::Number>)]
    pub volume_max: Option<i64>,
    pub rate: FeeRate,
}

/// A negotiated rate for one restaurant; wins over tiers and the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeOverride {
    /// The Stripe connected account, `acct_…`.
    pub restaurant: String,
    pub rate: FeeRate,
    /// Why this restaurant pays differently ("Enterprise agreement"), for whoever asks later.
    pub reason: String,
}

/// An override as stored on its own restaurant's account: the account says whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct OverrideTerms {
    pub rate: FeeRate,
    pub reason: String,
}

/// The platform's whole fee configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeSchedule {
    /// For volumes no tier covers (and everything when there are no tiers).
    pub default: FeeRate,
    /// In any order; `check` reads them sorted by `volume_min`.
    pub tiers: Vec<FeeTier>,
    pub overrides: Vec<FeeOverride>,
}

/// Something wrong with a schedule, on the field the form should mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeProblem {
    /// "default", "tiers[1].volume_min", "overrides[0].reason" (indices as given, from 0).
    pub field: String,
    /// A sentence for a platform admin; tiers and overrides are numbered from 1 as listed.
    pub message: String,
}

/// Which rule set a quoted fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppliedRule {
    Override {
        reason: String,
    },
    Tier {
        /// Position in `FeeSchedule::tiers`, from 0.
        index: u32,
        #[specta(type = specta_typescript::Number)]
        volume_min: i64,
        #[specta(type = Option<specta_typescript::Number>)]
        volume_max: Option<i64>,
    },
    Default,
}

/// A payment's fee and what the restaurant keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeeQuote {
    pub rule: AppliedRule,
    pub rate: FeeRate,
    #[specta(type = specta_typescript::Number)]
    pub fee: i64,
    /// `amount - fee`: always positive.
    #[specta(type = specta_typescript::Number)]
    pub net: i64,
}

/// Why no fee is quoted or written. Amounts are in minor units (the rules know no currency).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("a payment of {} has no fee: a payment is a positive amount", grouped((*.0).into()))]
    NotPositive(i64),
    /// Refused, never clamped: a fee that eats the payment is a wrong schedule, not a small payment.
    #[error("the fee of {} would take the whole payment of {}: check the fee schedule", grouped((*fee).into()), grouped((*amount).into()))]
    TakesWholePayment { fee: i64, amount: i64 },
    /// Only from a schedule `check` would refuse (a negative fixed part).
    #[error("the fee of {} is negative, so the platform would pay the restaurant: check the fee schedule", grouped((*.0).into()))]
    NegativeFee(i64),
    #[error("{key} would be {chars} characters, and Stripe keeps at most 500 in a metadata value: use fewer tiers")]
    TooLongForStripe { key: String, chars: usize },
}

/// Everything wrong with `schedule`, so the form can show it all at once.
pub fn check(schedule: &FeeSchedule) -> Result<(), Vec<FeeProblem>> {
    let mut problems = Vec::new();
    rate_problems(&schedule.default, "default".into(), &mut problems);
    tier_problems(&schedule.tiers, &mut problems);
    override_problems(&schedule.overrides, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn problem(out: &mut Vec<FeeProblem>, field: String, message: String) {
    out.push(FeeProblem { field, message });
}

fn rate_problems(rate: &FeeRate, field: String, out: &mut Vec<FeeProblem>) {
    if rate.percent_bp > MAX_PERCENT_BP {
        let (given, max) = (percent_words(rate.percent_bp), percent_words(MAX_PERCENT_BP));
        problem(out, field.clone(), format!("A fee of {given} of each payment is absurd: at most {max} is allowed."));
    }
    if rate.fixed < 0 {
        let message = format!(
            "A fixed fee of {} is negative: the platform would pay the restaurant on every payment.",
            grouped(rate.fixed.into())
        );
        problem(out, field, message);
    } else if rate.fixed > MAX_FIXED {
        let message = format!(
            "A fixed fee of {} minor units per payment is absurd: at most {} ($1,000.00) is allowed.",
            grouped(rate.fixed.into()),
            grouped(MAX_FIXED.into())
        );
        problem(out, field, message);
    }
}

fn tier_problems(tiers: &[FeeTier], out: &mut Vec<FeeProblem>) {
    if tiers.len() > MAX_TIERS {
        let message =
            format!("{} tiers are too many to explain to a restaurant: use at most {MAX_TIERS}.", tiers.len());
        problem(out, "tiers".into(), message);
    }
    for (i, tier) in tiers.iter().enumerate() {
        rate_problems(&tier.rate, format!("tiers[{i}].rate"), out);
        if let Some(max) = tier.volume_max.filter(|max| *max < tier.volume_min) {
            let (n, min) = (i + 1, tier.volume_min);
            let message =
                format!("Tier {n} ends at {} before it starts at {}: end it at or above its start.", g(max), g(min));
            problem(out, format!("tiers[{i}].volume_max"), message);
        }
    }
    let mut order: Vec<usize> = (0..tiers.len()).collect();
    order.sort_by_key(|i| (tiers[*i].volume_min, *i));
    if let Some(&first) = order.first() {
        let min = tiers[first].volume_min;
        if min != 0 {
            let message = format!(
                "Tier {} is the lowest and starts at {}: start it at 0, so that a restaurant's first payments of the month have a tier too.",
                first + 1,
                g(min)
            );
            problem(out, format!("tiers[{first}].volume_min"), message);
        }
    }
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (lower, upper) = (&tiers[a], &tiers[b]);
        let (na, nb) = (a + 1, b + 1);
        let Some(max) = lower.volume_max else {
            let message = format!(
                "Tier {na} has no upper bound, yet tier {nb} starts above it: only the highest tier may be open-ended."
            );
            problem(out, format!("tiers[{a}].volume_max"), message);
            continue;
        };
        if max < lower.volume_min {
            continue; // Already refused above; its range means nothing to compare with.
        }
        let next = i128::from(max) + 1;
        let start = i128::from(upper.volume_min);
        let field = format!("tiers[{b}].volume_min");
        if start < next {
            let end = upper.volume_max.map_or(i128::from(max), |m| i128::from(m.min(max)));
            let message = format!(
                "Tiers {na} and {nb} both cover volumes {}–{}: start tier {nb} at {}.",
                grouped(start),
                grouped(end),
                grouped(next)
            );
            problem(out, field, message);
        } else if start > next {
            let message = format!(
                "Tiers {na} and {nb} leave volumes {}–{} without a fee: start tier {nb} at {}.",
                grouped(next),
                grouped(start - 1),
                grouped(next)
            );
            problem(out, field, message);
        }
    }
}

fn override_problems(overrides: &[FeeOverride], out: &mut Vec<FeeProblem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, o) in overrides.iter().enumerate() {
        let field = |name: &str| format!("overrides[{i}].{name}");
        let n = i + 1;
        if !is_account_id(&o.restaurant) {
            let message = format!(
                "Override {n} names {:?}, which is not a Stripe connected account: use its ID, like acct_1A2b3C4d5E6f7G8h.",
                o.restaurant
            );
            problem(out, field("restaurant"), message);
        } else if let Some(first) = seen.get(o.restaurant.as_str()) {
            let message =
                format!("{} already has override {}: keep one override per restaurant.", o.restaurant, first + 1);
            problem(out, field("restaurant"), message);
        } else {
            seen.insert(&o.restaurant, i);
        }
        rate_problems(&o.rate, field("rate"), out);
        let reason = o.reason.trim();
        let message = if reason.is_empty() {
            Some(format!("Say why override {n} pays a different fee, like “Enterprise agreement”."))
        } else if o.reason.chars().count() > MAX_REASON_CHARS {
            Some(format!("The reason of override {n} is longer than {MAX_REASON_CHARS} characters: shorten it."))
        } else if o.reason.chars().any(char::is_control) {
            Some(format!("The reason of override {n} has line breaks or control characters: write it on one line."))
        } else {
            None
        };
        if let Some(message) = message {
            problem(out, field("reason"), message);
        }
    }
}

/// `acct_` and at least 16 letters or digits: the shape of a Stripe connected account ID.
fn is_account_id(id: &str) -> bool {
    id.strip_prefix("acct_").is_some_and(|rest| rest.len() >= 16 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The fee `restaurant` pays on a payment of `amount`, its succeeded card volume this calendar
/// month being `monthly_volume` (both in minor units of the payment's currency): its override,
/// else the first tier whose range holds the volume, else the default. The percentage part is
/// rounded half up, to the minor unit.
pub fn quote(schedule: &FeeSchedule, restaurant: &str, amount: i64, monthly_volume: i64) -> Result<FeeQuote, FeeError> {
    if amount <= 0 {
        return Err(FeeError::NotPositive(amount));
    }
    let (rule, rate) = if let Some(o) = schedule.overrides.iter().find(|o| o.restaurant == restaurant) {
        (AppliedRule::Override { reason: o.reason.clone() }, o.rate.clone())
    } else if let Some((i, t)) = schedule.tiers.iter().enumerate().find(|(_, t)| holds(t, monthly_volume)) {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        (AppliedRule::Tier { index, volume_min: t.volume_min, volume_max: t.volume_max }, t.rate.clone())
    } else {
        (AppliedRule::Default, schedule.default.clone())
    };
    // i128: amount × basis points can pass i64 for large amounts and absurd rates.
    let fee = (i128::from(amount) * i128::from(rate.percent_bp) + 5_000) / 10_000 + i128::from(rate.fixed);
    let saturated = |f: i128| i64::try_from(f).unwrap_or(if f < 0 { i64::MIN } else { i64::MAX });
    if fee >= i128::from(amount) {
        return Err(FeeError::TakesWholePayment { fee: saturated(fee), amount });
    }
    if fee < 0 {
        return Err(FeeError::NegativeFee(saturated(fee)));
    }
    let fee = saturated(fee); // 0 <= fee < amount: exact.
    Ok(FeeQuote { rule, rate, fee, net: amount - fee })
}

fn holds(tier: &FeeTier, volume: i64) -> bool {
    volume >= tier.volume_min && tier.volume_max.is_none_or(|max| volume <= max)
}

/// A rate for a person: "2.9% + $0.30", "3% + ¥30"; a zero part is left out ("2.9%", "$0.30").
pub fn rate_words(rate: &FeeRate, currency: &str) -> String {
    let percent = percent_words(rate.percent_bp);
    match (rate.percent_bp, rate.fixed) {
        (_, 0) => percent,
        (0, fixed) => money::display(fixed, currency),
        (_, fixed) if fixed < 0 => format!("{percent} - {}", money::display(fixed.saturating_neg(), currency)),
        (_, fixed) => format!("{percent} + {}", money::display(fixed, currency)),
    }
}

/// Basis points as a percentage without trailing zeros: 290 → "2.9%", 300 → "3%", 275 → "2.75%".
fn percent_words(bp: u32) -> String {
    let (whole, hundredths) = (bp / 100, bp % 100);
    match hundredths {
        0 => format!("{whole}%"),
        h if h % 10 == 0 => format!("{whole}.{}%", h / 10),
        h => format!("{whole}.{h:02}%"),
    }
}

/// 10001 → "10,001", for messages.
fn grouped(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn g(n: i64) -> String {
    grouped(n.into())
}

/// The schedule as `restaurant`'s connected account carries it in its Stripe `metadata`, so that
/// every back-office PC reads the same fees from Stripe rather than from its own cache. An empty
/// value is how Stripe deletes a key, hence "" for no tiers and no override. Refused when a value
/// would pass Stripe's 500-character limit (many tiers with large volumes).
pub fn to_metadata(schedule: &FeeSchedule, restaurant: &str) -> Result<Vec<(String, String)>, FeeError> {
    let tiers: Vec<String> = schedule.tiers.iter().map(tier_text).collect();
    let own = schedule.overrides.iter().find(|o| o.restaurant == restaurant);
    let pairs = vec![
        (KEY_DEFAULT.to_string(), rate_text(&schedule.default)),
        (KEY_TIERS.to_string(), tiers.join(";")),
        (KEY_OVERRIDE.to_string(), own.map(|o| rate_text(&o.rate)).unwrap_or_default()),
        (KEY_OVERRIDE_REASON.to_string(), own.map(|o| o.reason.clone()).unwrap_or_default()),
    ];
    for (key, value) in &pairs {
        let chars = value.chars().count();
        if chars > METADATA_VALUE_MAX_CHARS {
            return Err(FeeError::TooLongForStripe { key: key.clone(), chars });
        }
    }
    Ok(pairs)
}

/// "290+30": basis points, then the fixed part.
fn rate_text(rate: &FeeRate) -> String {
    format!("{}+{}", rate.percent_bp, rate.fixed)
}

/// "0-1000000:300+30", or "5000001-:200+20" for an open-ended tier.
fn tier_text(tier: &FeeTier) -> String {
    let max = tier.volume_max.map(|m| m.to_string()).unwrap_or_default();
    format!("{}-{max}:{}", tier.volume_min, rate_text(&tier.rate))
}

/// The default rate, the tiers and the account's own override, read back from an account's
/// `metadata` object. `None` when `md_fee_default` is missing or anything is malformed, so that a
/// hand-edited value is never half-read: the desk then treats the account as unconfigured. The
/// other keys may be missing: Stripe deletes a key written empty.
pub fn from_metadata(metadata: &Value) -> Option<(FeeRate, Vec<FeeTier>, Option<OverrideTerms>)> {
    let map = metadata.as_object()?;
    let text = |key: &str| match map.get(key) {
        None | Some(Value::Null) => Some(""),
        Some(v) => v.as_str(),
    };
    let default = parse_rate(map.get(KEY_DEFAULT)?.as_str()?)?;
    let tiers = match text(KEY_TIERS)? {
        "" => Vec::new(),
        all => all.split(';').map(parse_tier).collect::<Option<Vec<_>>>()?,
    };
    let own = match (text(KEY_OVERRIDE)?, text(KEY_OVERRIDE_REASON)?) {
        ("", "") => None,
        ("", _) => return None, // A reason for no override: someone edited the account by hand.
        (_, reason) if reason.trim().is_empty() => return None,
        (rate, reason) => Some(OverrideTerms { rate: parse_rate(rate)?, reason: reason.to_string() }),
    };
    Some((default, tiers, own))
}

fn parse_rate(text: &str) -> Option<FeeRate> {
    let (bp, fixed) = text.split_once('+')?;
    let percent_bp = if is_digits(bp) { bp.parse().ok()? } else { return None };
    Some(FeeRate { percent_bp, fixed: parse_int(fixed)? })
}

fn parse_tier(text: &str) -> Option<FeeTier> {
    let (range, rate) = text.split_once(':')?;
    // The separator is the first '-' after the first character, which may be a minus sign.
    let cut = range.char_indices().skip(1).find(|(_, c)| *c == '-')?.0;
    let (min, max) = (&range[..cut], &range[cut + 1..]);
    let volume_max = if max.is_empty() { None } else { Some(parse_int(max)?) };
    Some(FeeTier { volume_min: parse_int(min)?, volume_max, rate: parse_rate(rate)? })
}

/// An integer as `to_metadata` writes it: digits, perhaps after a minus; no '+', spaces or dots.
fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if is_digits(digits) {
        text.parse().ok()
    } else {
        None
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
