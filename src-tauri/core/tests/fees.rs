//! The platform's fee schedule through the desk, against the demo group: tiers and an override
//! saved and written onto every restaurant's account metadata, so another back-office PC reads
//! the same schedule after its own sync; the preview names the rule that applied; a schedule with
//! a gap, an absurd rate or an override without a reason is refused whole with nothing written.

#[allow(dead_code)]
mod common;

use std::sync::Arc;

use common::demo_group_of_admin;
use md_core::fees::rules::{FeeOverride, FeeRate, FeeSchedule, FeeTier};
use md_core::fees::views::FeePreviewForm;
use md_core::permissions::Role;
use md_core::profiles::PinCost;
use md_core::secrets::MemorySecrets;
use md_core::views::ErrorCode;
use md_core::{Desk, DeskConfig};

fn rate(percent_bp: u32, fixed: i64) -> FeeRate {
    FeeRate { percent_bp, fixed }
}

fn schedule(seaport: &str) -> FeeSchedule {
    FeeSchedule {
        default: rate(290, 30),
        tiers: vec![
            FeeTier { volume_min: 0, volume_max: Some(1_000_000), rate: rate(300, 30) },
            FeeTier { volume_min: 1_000_001, volume_max: None, rate: rate(250, 25) },
        ],
        overrides: vec![FeeOverride {
            restaurant: seaport.into(),
            rate: rate(200, 20),
            reason: "Enterprise agreement".into(),
        }],
    }
}

#[tokio::test]
async fn tiers_and_an_override_reach_every_restaurant_and_another_pc_reads_them() {
    let w = demo_group_of_admin().await;
    let restaurants = w.desk.fee_schedule().unwrap().restaurants;
    assert!(restaurants.len() >= 10, "{restaurants:?}");
    let seaport = restaurants.iter().find(|(_, n)| n == "Harbor & Vine Seaport Grill").unwrap().0.clone();
    let midtown = restaurants.iter().find(|(_, n)| n == "Harbor & Vine Midtown Bistro").unwrap().0.clone();
    assert_eq!(w.desk.fee_schedule().unwrap().source, "built in");

    // Refused whole, each problem on its field, nothing written.
    let mut bad = schedule(&seaport);
    bad.tiers[1].volume_min = 1_500_000;
    bad.default = rate(5_000, 30);
    bad.overrides[0].reason = String::new();
    let answer = w.desk.set_fee_schedule(&bad).await.unwrap();
    assert!(answer.saved.is_none());
    let fields: Vec<&str> = answer.problems.iter().map(|p| p.field.as_str()).collect();
    assert!(
        fields.contains(&"default")
            && fields.contains(&"tiers[1].volume_min")
            && fields.contains(&"overrides[0].reason"),
        "{fields:?}"
    );
    let carried = |id: &str| w._stripe.lock().account(id).unwrap()["metadata"]["md_fee_default"].clone();
    assert!(carried(&seaport).is_null(), "nothing written");

    let saved = w.desk.set_fee_schedule(&schedule(&seaport)).await.unwrap().saved.unwrap();
    assert_eq!(saved.accounts_written as usize, restaurants.len(), "{:?}", saved.accounts_failed);
    assert_eq!(saved.view.source, "Stripe");
    assert_eq!(saved.view.schedule, schedule(&seaport));
    assert_eq!(carried(&midtown), "290+30");
    assert_eq!(
        w._stripe.lock().account(&seaport).unwrap()["metadata"]["md_fee_override_reason"],
        "Enterprise agreement"
    );

    // The preview: the override for Seaport, a tier for Midtown by its volume this month.
    let preview = |restaurant: &str, amount: &str| {
        w.desk.fee_preview(&FeePreviewForm {
            restaurant: restaurant.into(),
            amount: amount.into(),
            currency: "usd".into(),
        })
    };
    let p = preview(&seaport, "100.00").unwrap();
    assert_eq!((p.fee.amount, p.net.amount), (220, 9_780));
    assert!(p.rule_words.contains("Enterprise agreement"), "{}", p.rule_words);
    let p = preview(&midtown, "100.00").unwrap();
    assert!(p.rule_words.starts_with("Tier"), "{}", p.rule_words);
    let err = preview(&midtown, "0.20").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("amount")));
    assert!(err.user_message().contains("whole payment"), "{}", err.user_message());

    // Another back-office PC, after its own sync, agrees.
    let dir = tempfile::tempdir().unwrap();
    let mut config = DeskConfig::new(
        dir.path().to_path_buf(),
        Arc::new(MemorySecrets::default()),
        w._stripe.base_url(),
        stripe_emulator::DEMO_API_KEY.to_string(),
    );
    config.pin_cost = PinCost::FAST_FOR_TESTS;
    let other = Desk::open(config).unwrap();
    other.setup_first_profile("Bo", Role::PlatformAdmin, "8642").unwrap();
    other.refresh_overview().await.unwrap();
    let view = other.fee_schedule().unwrap();
    assert_eq!((view.source.as_str(), &view.schedule), ("Stripe", &schedule(&seaport)));

    // The history of changes is in the audit log.
    let rows: Vec<String> = md_core::store::audit::all(w.store().conn())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "settings.fees")
        .map(|r| r.outcome)
        .collect();
    assert_eq!(rows, ["refused", "succeeded"]);
    let per_account = md_core::store::audit::all(w.store().conn())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "settings.fees.account" && r.outcome == "succeeded")
        .count();
    assert_eq!(per_account, restaurants.len(), "each restaurant's metadata write through the door");
}

#[tokio::test]
async fn fees_collected_are_listed_exported_and_given_back_never_above_what_is_left() {
    use md_core::fees::collected::CollectedFilter;
    let w = demo_group_of_admin().await;
    let all = w.desk.collected_fees(&CollectedFilter::default()).unwrap();
    assert!(!all.rows.is_empty() && !all.totals.is_empty());
    let usd: i64 =
        all.rows.iter().filter(|f| f.amount.currency == "usd").map(|f| f.amount.amount - f.refunded.amount).sum();
    assert_eq!(all.totals.iter().find(|t| t.currency == "usd").map(|t| t.amount), Some(usd));
    let fee = all
        .rows
        .iter()
        .find(|f| f.refunded.amount == 0 && f.amount.amount >= 100 && f.amount.currency == "usd")
        .unwrap()
        .clone();
    let one = w
        .desk
        .collected_fees(&CollectedFilter { restaurant: Some(fee.restaurant.clone()), ..Default::default() })
        .unwrap();
    assert!(one.rows.iter().all(|f| f.restaurant == fee.restaurant));

    let file = w.dir.path().join("fees.csv");
    assert_eq!(w.desk.export_collected_fees(&CollectedFilter::default(), &file).unwrap(), all.rows.len());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("fee,created_utc,restaurant") && text.contains(&fee.id));

    let too_much = md_core::money::Money::new(fee.amount.amount + 1, "usd").to_major_string();
    let err = w
        .desk
        .refund_collected_fee(&fee.id, Some(&too_much), Some(&md_core::money_calls::new_key()))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("amount"), "{err}");
    let back =
        w.desk.refund_collected_fee(&fee.id, Some("0.50"), Some(&md_core::money_calls::new_key())).await.unwrap();
    assert_eq!(back.refunded.amount, 50);
    let rest = w.desk.refund_collected_fee(&fee.id, None, Some(&md_core::money_calls::new_key())).await.unwrap();
    assert_eq!(rest.refunded.amount, fee.amount.amount);
}
