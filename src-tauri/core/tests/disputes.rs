//! Managers answering disputes through the desk, against the demo group: the inbox puts what is
//! due first; a draft is kept per dispute and survives a restart; staging keeps the dispute open,
//! submitting sends it for review and a second submission is refused; too much text, text in a
//! file field, a passed deadline and staff are refused with nothing sent; accepting closes it;
//! reminders come once per threshold; offline nothing is sent or queued.

#[allow(dead_code)]
mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{demo_group, demo_group_notifying, Counting, DemoGroup as World};
use md_core::disputes::recommend::OrderType;
use md_core::disputes::views::{DisputeFilter, EvidenceDraft, Urgency};
use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::money_calls::new_key;
use md_core::permissions::Role;
use md_core::store::audit;
use md_core::views::{ErrorCode, ProfileForm};
use serde_json::Value;

/// A new card payment at `account` that its cardholder disputes at once (Stripe's test card),
/// synced into the cache; returns the dispute's ID.
async fn new_dispute(w: &World, account: &str, amount: i64) -> String {
    let client =
        StripeClient::new(&w._stripe.base_url(), ApiKey::parse(stripe_emulator::DEMO_API_KEY).unwrap()).unwrap();
    let form: Vec<(String, String)> = [
        ("amount", amount.to_string()),
        ("currency", "usd".into()),
        ("payment_method", "pm_card_createDispute".into()),
        ("confirm", "true".into()),
        ("metadata[order_number]", format!("HV-DSP-{amount}")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let pi: md_core::gateways::stripe::Response<Value> =
        client.post("/v1/payment_intents", &form, Some(account), &new_key()).await.unwrap();
    let charge = pi.value["latest_charge"].as_str().unwrap().to_string();
    w.desk.sync_run(false).await.unwrap();
    let state = w._stripe.lock();
    let found = state.objects_of_kind("dispute").find(|(_, d)| d["charge"] == charge.as_str()).map(|(_, d)| d.clone());
    found.unwrap()["id"].as_str().unwrap().to_string()
}

fn first_account(w: &World) -> String {
    w.store()
        .conn()
        .query_row(
            "SELECT restaurant FROM transactions WHERE gateway = 'stripe' AND restaurant != '' AND currency = 'usd'
             ORDER BY created DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn stripe_dispute(w: &World, id: &str) -> Value {
    w._stripe.lock().objects_of_kind("dispute").find(|(_, d)| d["id"] == id).map(|(_, d)| d.clone()).unwrap()
}

fn draft(order: Option<&str>, fields: &[(&str, &str)]) -> EvidenceDraft {
    EvidenceDraft {
        order_type: order.map(str::to_string),
        fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn the_inbox_puts_what_is_due_first_and_drafts_survive_a_restart() {
    let w = demo_group().await;
    let rows = w.desk.disputes(&DisputeFilter::default(), 0, 500).unwrap().rows;
    assert!(!rows.is_empty());
    let rank = |u: Urgency| match u {
        Urgency::Overdue | Urgency::DueSoon | Urgency::Open => 0,
        Urgency::UnderReview => 1,
        Urgency::Closed => 2,
    };
    assert!(rows.windows(2).all(|p| rank(p[0].urgency) <= rank(p[1].urgency)), "most pressing first");
    let open: Vec<_> = rows.iter().filter(|r| rank(r.urgency) == 0).collect();
    assert!(open.windows(2).all(|p| p[0].due_by <= p[1].due_by), "soonest deadline first");
    assert!(rows.iter().all(|r| !r.reason_title.is_empty() && !r.status_label.contains('_')));
    let lost =
        w.desk.disputes(&DisputeFilter { status: Some("lost".into()), ..Default::default() }, 0, 500).unwrap().rows;
    assert!(lost.iter().all(|r| r.status == "lost"));

    // Two disputes' drafts never mix; the plan puts the winning fields first.
    let account = first_account(&w);
    let a = new_dispute(&w, &account, 4_400).await;
    let b = new_dispute(&w, &account, 5_500).await;
    w.desk.save_dispute_draft(&a, &draft(Some("delivery"), &[("shipping_address", "1 Pier St")])).unwrap();
    w.desk.save_dispute_draft(&b, &draft(Some("dine_in"), &[("customer_name", "J. Alvarez")])).unwrap();
    let plan = w.desk.dispute_plan(&a, OrderType::Delivery).unwrap();
    assert!(!plan.recommended.is_empty());
    let bad = w.desk.save_dispute_draft(&a, &draft(Some("drive_in"), &[])).unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput);

    // A restart: the same data folder, a new desk.
    let dir = w.dir.path().to_path_buf();
    let reopened = md_core::store::Store::open(&dir.join(md_core::desk::DATABASE_FILE)).unwrap();
    let kept = md_core::store::dispute_drafts::get(reopened.conn(), &a).unwrap().unwrap();
    assert_eq!(kept.fields.get("shipping_address").map(String::as_str), Some("1 Pier St"));
    assert!(!kept.fields.contains_key("customer_name"), "drafts never mix");
    let detail = w.desk.dispute_detail(&a).unwrap();
    let restored = detail.draft.unwrap();
    assert_eq!((restored.order_type.as_deref(), restored.sent_at), (Some("delivery"), None));
    assert!(detail.can_respond && detail.row.order_number.is_some());
    assert!(!detail.reason_meaning.is_empty() && detail.sections.len() == 6);
}

#[tokio::test]
async fn stage_then_submit_once_and_refuse_what_stripe_would_not_take() {
    let w = demo_group().await;
    let account = first_account(&w);
    let id = new_dispute(&w, &account, 6_600).await;
    let refused = |err: md_core::DeskError, says: &str| {
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(err.user_message().contains(says), "{}", err.user_message());
    };
    // Too much text, and text where a file goes: refused, nothing sent.
    let long = "x".repeat(20_001);
    let before = stripe_dispute(&w, &id);
    refused(
        w.desk.dispute_send(&id, &draft(None, &[("cancellation_rebuttal", &long)]), false, None).await.unwrap_err(),
        "20,000",
    );
    refused(
        w.desk.dispute_send(&id, &draft(None, &[("receipt", "see the till roll")]), false, None).await.unwrap_err(),
        "file",
    );
    assert_eq!(stripe_dispute(&w, &id)["evidence"], before["evidence"], "nothing reached Stripe");

    // Staged: Stripe holds it, the dispute still needs a response, the draft says when it was sent.
    let evidence =
        draft(Some("dine_in"), &[("customer_name", "J. Alvarez"), ("product_description", "Dinner for two")]);
    let staged = w.desk.dispute_send(&id, &evidence, false, Some(&new_key())).await.unwrap();
    assert_eq!(staged.row.status, "needs_response");
    assert_eq!(stripe_dispute(&w, &id)["evidence"]["customer_name"], "J. Alvarez");
    assert!(staged.draft.unwrap().sent_at.is_some());
    assert_eq!(staged.held.get("product_description").map(String::as_str), Some("Dinner for two"));

    // Submitted: under review at once; a second submission is refused before anything is sent.
    let key = new_key();
    let submitted = w.desk.dispute_send(&id, &evidence, true, Some(&key)).await.unwrap();
    assert_eq!(submitted.row.status, "under_review");
    assert!(!submitted.can_respond);
    let again = w.desk.dispute_send(&id, &evidence, true, Some(&new_key())).await.unwrap_err();
    refused(again, "no more evidence");
    assert_eq!(stripe_dispute(&w, &id)["evidence_details"]["submission_count"], 1);
    let actions: Vec<String> =
        audit::all(w.store().conn()).unwrap().into_iter().map(|r| format!("{} {}", r.action, r.outcome)).collect();
    for expected in ["disputes.evidence succeeded", "disputes.submit succeeded", "disputes.submit refused"] {
        assert!(actions.iter().any(|a| a == expected), "{expected}: {actions:?}");
    }

    // A deadline that passed: refused, nothing sent.
    let late = new_dispute(&w, &account, 7_700).await;
    {
        let mut state = w._stripe.lock();
        let d = state.get_mut(&Some(account.clone()), &late).unwrap();
        d["evidence_details"]["due_by"] = serde_json::json!(chrono::Utc::now().timestamp() - 3_600);
    }
    refused(w.desk.dispute_send(&late, &evidence, true, None).await.unwrap_err(), "deadline passed");
    assert_eq!(stripe_dispute(&w, &late)["evidence_details"]["submission_count"], 0);
}

#[tokio::test]
async fn accepting_closes_staff_are_refused_and_offline_nothing_is_sent() {
    let w = demo_group().await;
    let account = first_account(&w);
    let id = new_dispute(&w, &account, 3_300).await;
    w.desk
        .create_profile(&ProfileForm { name: "Sam".into(), role: Role::Staff, pin: Some("1357".into()), scope: None })
        .unwrap();
    let sam = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Sam").unwrap().id;
    w.desk.unlock(sam, "1357").unwrap();
    assert_eq!(w.desk.disputes(&DisputeFilter::default(), 0, 100).unwrap_err().code(), ErrorCode::RoleForbidden);
    assert_eq!(w.desk.dispute_accept(&id, None).await.unwrap_err().code(), ErrorCode::RoleForbidden);
    let maria = w.desk.session().unwrap().profiles.iter().find(|p| p.name == "Maria").unwrap().id;
    w.desk.unlock(maria, "4821").unwrap();

    w._stripe.set_offline(true);
    let err = w.desk.dispute_accept(&id, None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Offline, "{err}");
    w._stripe.set_offline(false);
    let journalled: i64 =
        w.store().conn().query_row("SELECT count(*) FROM idempotency_journal", [], |r| r.get(0)).unwrap();
    assert_eq!(journalled, 0);

    let closed = w.desk.dispute_accept(&id, Some(&new_key())).await.unwrap();
    assert_eq!(closed.row.status, "lost");
    assert_eq!(stripe_dispute(&w, &id)["status"], "lost");
    let again = w.desk.dispute_accept(&id, None).await.unwrap_err();
    assert!(again.user_message().contains("nothing to accept"), "{}", again.user_message());
}

#[tokio::test]
async fn a_reminder_comes_once_per_threshold() {
    let notes = Arc::new(Counting::default());
    let w = demo_group_notifying(notes.clone()).await;
    let account = first_account(&w);
    let id = new_dispute(&w, &account, 2_200).await;
    let set_due = |hours: i64| {
        let mut state = w._stripe.lock();
        let d = state.get_mut(&Some(account.clone()), &id).unwrap();
        d["evidence_details"]["due_by"] = serde_json::json!(chrono::Utc::now().timestamp() + hours * 3_600);
    };
    let ours = |notes: &Counting| {
        notes.0.lock().unwrap().iter().filter(|(t, _)| t.starts_with("Dispute due")).cloned().collect::<Vec<_>>()
    };
    // Other demo disputes may be due too: count what this one adds.
    w.desk.notice_dispute_deadlines().unwrap();
    let base = ours(&notes).len();
    set_due(60);
    // As a sync would bring it.
    let fresh = stripe_dispute(&w, &id);
    md_core::store::objects::upsert(w.store().conn(), &account, &[fresh], "now").unwrap();
    assert_eq!(w.desk.notice_dispute_deadlines().unwrap(), 1);
    assert_eq!(w.desk.notice_dispute_deadlines().unwrap(), 0, "once per threshold");
    set_due(20);
    let fresh = stripe_dispute(&w, &id);
    md_core::store::objects::upsert(w.store().conn(), &account, &[fresh], "now").unwrap();
    assert_eq!(w.desk.notice_dispute_deadlines().unwrap(), 1);
    assert_eq!(w.desk.notice_dispute_deadlines().unwrap(), 0);
    let shown = ours(&notes);
    assert_eq!(shown.len(), base + 2, "{shown:?}");
    assert!(shown.last().unwrap().0.contains("24 hours") && shown.last().unwrap().1.contains("$22.00"), "{shown:?}");
}

/// A small valid PNG (1×1), made by hand: signature, IHDR, IDAT, IEND.
fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 2, 2);
    encoder.set_color(png::ColorType::Rgb);
    encoder.write_header().unwrap().write_image_data(&[200; 12]).unwrap();
    out
}

#[tokio::test]
async fn files_are_checked_before_upload_and_the_cover_letter_goes_with_the_evidence() {
    let w = demo_group().await;
    let account = first_account(&w);
    let id = new_dispute(&w, &account, 8_800).await;
    let dir = tempfile::tempdir().unwrap();
    let refused = |err: md_core::DeskError, says: &str| {
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
        assert!(err.user_message().contains(says), "{}", err.user_message());
    };
    let files_at_stripe = || w._stripe.lock().objects_of_kind("file").count();
    let before = files_at_stripe();

    // A program renamed .pdf, and a file over Stripe's limit: refused, nothing uploaded.
    let exe = dir.path().join("receipt.pdf");
    std::fs::write(&exe, b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode").unwrap();
    refused(w.desk.dispute_attach(&id, "receipt", &exe, &draft(None, &[])).await.unwrap_err(), "Windows program");
    let big = dir.path().join("scan.pdf");
    std::fs::write(&big, vec![b'%'; 5_000_001]).unwrap();
    refused(w.desk.dispute_attach(&id, "receipt", &big, &draft(None, &[])).await.unwrap_err(), "5 MB");
    refused(
        w.desk.dispute_attach(&id, "customer_name", &exe, &draft(None, &[])).await.unwrap_err(),
        "does not take a file",
    );
    assert_eq!(files_at_stripe(), before, "nothing uploaded");

    // A photo of the receipt: uploaded as the restaurant, previewed, kept in the draft.
    let photo = dir.path().join("receipt.png");
    std::fs::write(&photo, tiny_png()).unwrap();
    let form = draft(Some("dine_in"), &[("customer_name", "J. Alvarez")]);
    let attached = w.desk.dispute_attach(&id, "receipt", &photo, &form).await.unwrap();
    assert!(attached.file.starts_with("file_") && attached.preview.unwrap().starts_with("data:image/png;base64,"));
    let kept = w.desk.dispute_detail(&id).unwrap();
    assert_eq!(kept.draft.unwrap().fields.get("receipt"), Some(&attached.file));
    assert_eq!(kept.files.len(), 1);

    // The cover letter: previewed as an image, attached as a PDF.
    let mut form = form.clone();
    form.fields.insert("receipt".into(), attached.file.clone());
    let preview = w.desk.dispute_cover_letter_preview(&id, &form).unwrap();
    assert!(preview.starts_with("data:image/png;base64,"));
    let letter = w.desk.dispute_attach_cover_letter(&id, &form).await.unwrap();
    assert!(letter.summary.contains("1 page"), "{}", letter.summary);
    form.fields.insert("uncategorized_file".into(), letter.file.clone());

    // Staged: Stripe's dispute holds both files where they belong.
    w.desk.dispute_send(&id, &form, false, Some(&new_key())).await.unwrap();
    let at_stripe = stripe_dispute(&w, &id);
    let held = |f: &str| {
        at_stripe["evidence"][f].as_str().or_else(|| at_stripe["evidence"][f]["id"].as_str()).map(str::to_string)
    };
    assert_eq!(held("receipt"), Some(attached.file));
    assert_eq!(held("uncategorized_file"), Some(letter.file));
}
