use serde_json::json;

use super::*;

const ENTERPRISE: &str = "acct_1EnterpriseAbcdef";
const OTHER: &str = "acct_1OtherRestaurant9";

fn rate(percent_bp: u32, fixed: i64) -> FeeRate {
    FeeRate { percent_bp, fixed }
}

fn tier(volume_min: i64, volume_max: Option<i64>, r: FeeRate) -> FeeTier {
    FeeTier { volume_min, volume_max, rate: r }
}

/// The POS platform's reference configuration, volumes in cents.
fn reference() -> FeeSchedule {
    FeeSchedule {
        default: rate(290, 30),
        tiers: vec![
            tier(0, Some(1_000_000), rate(300, 30)),
            tier(1_000_001, Some(5_000_000), rate(250, 25)),
            tier(5_000_001, None, rate(200, 20)),
        ],
        overrides: vec![FeeOverride {
            restaurant: ENTERPRISE.into(),
            rate: rate(200, 20),
            reason: "Enterprise agreement".into(),
        }],
    }
}

fn no_tiers() -> FeeSchedule {
    FeeSchedule { tiers: Vec::new(), overrides: Vec::new(), ..reference() }
}

fn problems(schedule: &FeeSchedule) -> Vec<FeeProblem> {
    check(schedule).expect_err("refused")
}

fn fields(schedule: &FeeSchedule) -> Vec<String> {
    problems(schedule).into_iter().map(|p| p.field).collect()
}

#[test]
fn the_default_applies_without_tiers() {
    let q = quote(&no_tiers(), OTHER, 10_000, 0).unwrap();
    assert_eq!(q, FeeQuote { rule: AppliedRule::Default, rate: rate(290, 30), fee: 320, net: 9_680 });
}

#[test]
fn the_tier_is_chosen_by_monthly_volume() {
    let s = reference();
    let at = |volume| quote(&s, OTHER, 10_000, volume).unwrap();
    assert_eq!(at(0).fee, 330);
    assert_eq!(at(0).rule, AppliedRule::Tier { index: 0, volume_min: 0, volume_max: Some(1_000_000) });
    assert_eq!(at(1_000_000).fee, 330, "volume_max is inclusive");
    assert_eq!(at(1_000_001).fee, 275);
    assert_eq!(at(1_000_001).net, 9_725);
    assert_eq!(at(9_000_000).rule, AppliedRule::Tier { index: 2, volume_min: 5_000_001, volume_max: None });
    assert_eq!(at(9_000_000).fee, 220);
    assert_eq!(at(-1).rule, AppliedRule::Default, "no tier holds it");
}

#[test]
fn an_override_wins_over_tiers() {
    let q = quote(&reference(), ENTERPRISE, 10_000, 0).unwrap();
    assert_eq!(q.rule, AppliedRule::Override { reason: "Enterprise agreement".into() });
    assert_eq!((q.fee, q.net), (220, 9_780));
}

#[test]
fn the_percentage_is_rounded_half_up() {
    let s = no_tiers();
    // 2.9% of 1,050 = 30.45 → 30; of 1,550 = 44.95 → 45; of 50 = 1.45 → 1.
    assert_eq!(quote(&s, OTHER, 1_050, 0).unwrap().fee, 60);
    assert_eq!(quote(&s, OTHER, 1_550, 0).unwrap().fee, 75);
    let half = FeeSchedule { default: rate(250, 0), ..no_tiers() };
    // 2.5% of 100 = 2.5 → 3; of 20 = 0.5 → 1.
    assert_eq!(quote(&half, OTHER, 100, 0).unwrap().fee, 3);
    assert_eq!(quote(&half, OTHER, 20, 0).unwrap().fee, 1);
    assert_eq!(quote(&half, OTHER, 19, 0).unwrap().fee, 0);
}

#[test]
fn zero_decimal_amounts_are_whole_yen() {
    let s = FeeSchedule { default: rate(360, 30), ..no_tiers() };
    let q = quote(&s, OTHER, 1_000, 0).unwrap(); // ¥1,000: 3.6% = ¥36, + ¥30.
    assert_eq!((q.fee, q.net), (66, 934));
    assert_eq!(rate_words(&rate(300, 30), "jpy"), "3% + ¥30");
}

#[test]
fn no_fee_on_nothing_and_never_the_whole_payment() {
    let s = reference();
    assert_eq!(quote(&s, OTHER, 0, 0), Err(FeeError::NotPositive(0)));
    assert_eq!(quote(&s, OTHER, -500, 0), Err(FeeError::NotPositive(-500)));
    let err = quote(&s, OTHER, 30, 0).unwrap_err(); // 3% of 30 = 1, + 30.
    assert_eq!(err, FeeError::TakesWholePayment { fee: 31, amount: 30 });
    assert_eq!(err.to_string(), "the fee of 31 would take the whole payment of 30: check the fee schedule");
    assert!(matches!(quote(&s, OTHER, 31, 0), Err(FeeError::TakesWholePayment { fee: 31, .. })), "equal is refused");
    assert_eq!(quote(&s, OTHER, 32, 0).unwrap().net, 1);
    let absurd = FeeSchedule { default: rate(u32::MAX, 0), ..no_tiers() };
    assert!(matches!(quote(&absurd, OTHER, i64::MAX, 0), Err(FeeError::TakesWholePayment { fee: i64::MAX, .. })));
    let negative = FeeSchedule { default: rate(0, -5), ..no_tiers() };
    assert_eq!(quote(&negative, OTHER, 100, 0), Err(FeeError::NegativeFee(-5)));
}

#[test]
fn rates_in_words() {
    assert_eq!(rate_words(&rate(290, 30), "usd"), "2.9% + $0.30");
    assert_eq!(rate_words(&rate(275, 0), "eur"), "2.75%");
    assert_eq!(rate_words(&rate(205, 100), "gbp"), "2.05% + £1.00");
    assert_eq!(rate_words(&rate(0, 30), "usd"), "$0.30");
    assert_eq!(rate_words(&rate(0, 0), "usd"), "0%");
    assert_eq!(rate_words(&rate(1_000, 25), "chf"), "10% + 0.25 CHF");
}

#[test]
fn the_reference_schedule_passes_and_no_tiers_is_fine() {
    assert_eq!(check(&reference()), Ok(()));
    assert_eq!(check(&no_tiers()), Ok(()));
}

#[test]
fn tiers_are_checked_in_volume_order() {
    let mut s = reference();
    s.tiers.reverse();
    assert_eq!(check(&s), Ok(()));
    assert_eq!(
        quote(&s, OTHER, 10_000, 0).unwrap().rule,
        AppliedRule::Tier { index: 2, volume_min: 0, volume_max: Some(1_000_000) }
    );
}

#[test]
fn absurd_rates_are_refused_on_their_field() {
    let mut s = reference();
    s.default = rate(2_001, 30);
    s.tiers[1].rate = rate(250, -1);
    s.overrides[0].rate = rate(200, 100_001);
    let p = problems(&s);
    let f: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(f, ["default", "tiers[1].rate", "overrides[0].rate"]);
    assert_eq!(p[0].message, "A fee of 20.01% of each payment is absurd: at most 20% is allowed.");
    assert!(p[1].message.contains("negative"), "{}", p[1].message);
    assert!(p[2].message.contains("100,001"), "{}", p[2].message);
    s.default = rate(2_000, 100_000);
    s.tiers[1].rate = rate(250, 0);
    s.overrides[0].rate = rate(0, 0);
    assert_eq!(check(&s), Ok(()), "the limits themselves are allowed");
}

#[test]
fn tiers_start_at_zero() {
    let mut s = reference();
    s.tiers[0].volume_min = 100;
    let p = problems(&s);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].field, "tiers[0].volume_min");
    assert!(p[0].message.contains("start it at 0"), "{}", p[0].message);
}

#[test]
fn a_gap_between_tiers_says_where_to_start() {
    let mut s = reference();
    s.tiers[0].volume_max = Some(10_000);
    s.tiers[1].volume_min = 11_000;
    let p = problems(&s);
    assert_eq!(p[0].field, "tiers[1].volume_min");
    assert_eq!(p[0].message, "Tiers 1 and 2 leave volumes 10,001–10,999 without a fee: start tier 2 at 10,001.");
}

#[test]
fn overlapping_tiers_are_refused() {
    let mut s = reference();
    s.tiers[1].volume_min = 900_000;
    let p = problems(&s);
    assert_eq!(p[0].field, "tiers[1].volume_min");
    assert_eq!(p[0].message, "Tiers 1 and 2 both cover volumes 900,000–1,000,000: start tier 2 at 1,000,001.");
    let mut same_start = reference();
    same_start.tiers[1].volume_min = 0;
    assert!(fields(&same_start).contains(&"tiers[1].volume_min".to_string()));
}

#[test]
fn a_tier_ends_after_it_starts() {
    let mut s = reference();
    s.tiers[1].volume_max = Some(1_000);
    let f = fields(&s);
    assert!(f.contains(&"tiers[1].volume_max".to_string()), "{f:?}");
}

#[test]
fn only_the_highest_tier_is_open_ended() {
    let mut s = reference();
    s.tiers[0].volume_max = None;
    assert_eq!(fields(&s), ["tiers[0].volume_max"]);
}

#[test]
fn at_most_ten_tiers() {
    let mut s = no_tiers();
    s.tiers = (0..11).map(|i| tier(i * 100, Some(i * 100 + 99), rate(290, 30))).collect();
    assert_eq!(fields(&s), ["tiers"]);
    s.tiers.pop();
    assert_eq!(check(&s), Ok(()));
}

#[test]
fn overrides_name_a_connected_account_once() {
    for bad in ["", "acct_", "acct_short123", "acct_1Enterprise-bcdef", "cus_1EnterpriseAbcdef", "496400000113"] {
        let mut s = reference();
        s.overrides[0].restaurant = bad.into();
        assert_eq!(fields(&s), ["overrides[0].restaurant"], "{bad:?}");
    }
    let mut s = reference();
    s.overrides.push(FeeOverride { rate: rate(100, 10), ..s.overrides[0].clone() });
    let p = problems(&s);
    assert_eq!(p[0].field, "overrides[1].restaurant");
    assert!(p[0].message.contains("already has override 1"), "{}", p[0].message);
}

#[test]
fn overrides_say_why_in_one_short_line() {
    for bad in ["".to_string(), "   ".into(), "x".repeat(201), "Enterprise\nagreement".into(), "tab\there".into()] {
        let mut s = reference();
        s.overrides[0].reason = bad.clone();
        assert_eq!(fields(&s), ["overrides[0].reason"], "{bad:?}");
    }
    let mut s = reference();
    s.overrides[0].reason = "é".repeat(200);
    assert_eq!(check(&s), Ok(()), "200 characters, not bytes");
}

#[test]
fn metadata_is_written_as_the_platform_expects() {
    let m = to_metadata(&reference(), ENTERPRISE).unwrap();
    let expected = [
        ("md_fee_default", "290+30"),
        ("md_fee_tiers", "0-1000000:300+30;1000001-5000000:250+25;5000001-:200+20"),
        ("md_fee_override", "200+20"),
        ("md_fee_override_reason", "Enterprise agreement"),
    ];
    assert_eq!(m, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    let other = to_metadata(&no_tiers(), OTHER).unwrap();
    assert_eq!(other[1..].iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["", "", ""]);
}

fn as_json(pairs: &[(String, String)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

#[test]
fn metadata_round_trips() {
    let s = reference();
    let (default, tiers, own) = from_metadata(&as_json(&to_metadata(&s, ENTERPRISE).unwrap())).unwrap();
    assert_eq!((default, &tiers), (s.default.clone(), &s.tiers));
    assert_eq!(own, Some(OverrideTerms { rate: rate(200, 20), reason: "Enterprise agreement".into() }));
    assert_eq!(from_metadata(&as_json(&to_metadata(&s, OTHER).unwrap())), Some((s.default.clone(), s.tiers, None)));
    // Odd but representable values survive too (negative numbers use the same '-' as ranges).
    let odd = FeeSchedule { default: rate(0, -5), tiers: vec![tier(-10, Some(-3), rate(1, 0))], overrides: vec![] };
    let back = from_metadata(&as_json(&to_metadata(&odd, OTHER).unwrap())).unwrap();
    assert_eq!((back.0, back.1), (odd.default, odd.tiers));
}

#[test]
fn keys_stripe_deleted_read_as_empty() {
    assert_eq!(from_metadata(&json!({"md_fee_default": "290+30"})), Some((rate(290, 30), vec![], None)));
    assert_eq!(
        from_metadata(&json!({"md_fee_default": "290+30", "md_fee_tiers": null})),
        Some((rate(290, 30), vec![], None))
    );
}

#[test]
fn absent_or_malformed_metadata_reads_as_nothing() {
    let ok = json!({"md_fee_default": "290+30", "md_fee_tiers": "0-:300+30"});
    assert!(from_metadata(&ok).is_some());
    assert_eq!(from_metadata(&json!({})), None);
    assert_eq!(from_metadata(&json!("290+30")), None);
    for bad in ["", "290", "2.9+30", "+290+30", "290+", "290+ 30", "-290+30", "290+3e1"] {
        assert_eq!(from_metadata(&json!({"md_fee_default": bad})), None, "{bad:?}");
    }
    assert_eq!(from_metadata(&json!({"md_fee_default": 290})), None);
    for bad in ["0-100", "0:300+30", "0-100:300+30;", "a-100:300+30", "0--:300+30", "0-100:300+30;;"] {
        assert_eq!(from_metadata(&json!({"md_fee_default": "290+30", "md_fee_tiers": bad})), None, "{bad:?}");
    }
    let base =
        |o: &str, r: &str| json!({"md_fee_default": "290+30", "md_fee_override": o, "md_fee_override_reason": r});
    assert_eq!(from_metadata(&base("", "Enterprise agreement")), None, "a reason without an override");
    assert_eq!(from_metadata(&base("200+20", "")), None, "an override without a reason");
    assert_eq!(from_metadata(&base("200", "Enterprise agreement")), None);
}

#[test]
fn metadata_past_stripes_limit_is_refused() {
    // Ten tiers with 19-digit bounds and the largest rates take 501 characters.
    let step = 1_000_000_000_000_000_000i64;
    let mut s = no_tiers();
    s.tiers = (0..10)
        .map(|i| tier(i * step + 1, Some((i + 1).checked_mul(step).unwrap_or(i64::MAX)), rate(2_000, 100_000)))
        .collect();
    s.tiers[0].volume_min = 0;
    assert_eq!(check(&s), Ok(()), "a valid schedule can still be too long for Stripe");
    let err = to_metadata(&s, OTHER).unwrap_err();
    assert!(
        matches!(&err, FeeError::TooLongForStripe { key, chars } if key == "md_fee_tiers" && *chars > 500),
        "{err:?}"
    );
    s.tiers.truncate(4);
    s.tiers.last_mut().unwrap().volume_max = None;
    let tiers = &to_metadata(&s, OTHER).unwrap()[1].1;
    assert!(tiers.chars().count() <= 500);
}
