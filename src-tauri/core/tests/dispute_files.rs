//! Dispute evidence files reach Stripe: a photo and the cover letter, checked and then uploaded
//! with purpose `dispute_evidence` to the restaurant's own account, where the emulator holds them;
//! a retried upload makes one file; what Stripe refuses comes back as Stripe said it.

use std::time::Duration;

use md_core::disputes::attachments::{self, FileKind};
use md_core::disputes::cover_letter::{cover_letter_pdf, cover_letter_png, AttachmentNote, CoverLetter, TimelineEntry};
use md_core::gateways::stripe::retry::Policy;
use md_core::gateways::stripe::{Response, StripeClient, StripeError};
use md_core::keys::ApiKey;
use serde_json::Value;
use stripe_emulator::{Config, Emulator, Fault, DEMO_API_KEY};

struct World {
    emulator: Emulator,
    client: StripeClient,
    /// A connected restaurant of the demo group that has a dispute.
    account: String,
}

async fn world() -> World {
    let emulator = Emulator::start(Config::demo()).await.expect("emulator starts");
    let account = emulator
        .lock()
        .objects_of_kind("dispute")
        .find_map(|(scope, _)| scope.clone())
        .expect("the demo group has disputes on restaurants' accounts");
    let fast = Policy { max_attempts: 4, base: Duration::from_millis(5), max_delay: Duration::from_millis(40) };
    let key = ApiKey::parse(DEMO_API_KEY).expect("the demo key is a test key");
    let client = StripeClient::new(&emulator.base_url(), key).expect("a client").with_policy(fast);
    World { emulator, client, account }
}

fn letter() -> CoverLetter {
    CoverLetter {
        restaurant: "Harbor & Vine Lakeside Kitchen".into(),
        prepared_on: "12 March 2025".into(),
        order_number: "A-1042".into(),
        order_type: "Delivery".into(),
        payment_amount: "$48.20".into(),
        payment_date: "3 March 2025, 19:42".into(),
        card: "Visa •••• 4242".into(),
        customer_name: "Jane Doe".into(),
        customer_email: "jane.doe@example.com".into(),
        dispute_reason: "Product not received".into(),
        disputed_amount: "$48.20".into(),
        statement: "The order was handed over at the door at 20:21.".into(),
        timeline: vec![TimelineEntry { when: "3 Mar 2025, 20:21".into(), what: "Delivered; photo taken.".into() }],
        attachments: vec![AttachmentNote { name: "door.png".into(), shows: "The order at the door.".into() }],
        ..CoverLetter::default()
    }
}

/// Checks the file as the screen does, then uploads it as the restaurant.
async fn attach(w: &World, name: &str, bytes: Vec<u8>, key: &str) -> (attachments::AttachmentView, Response<Value>) {
    let view = attachments::check(name, &bytes).expect("a file Stripe takes");
    let uploaded = w.client.upload_file(Some(&w.account), name, view.kind.mime(), bytes, key).await.expect("uploaded");
    (view, uploaded)
}

fn files_named(w: &World, name: &str) -> Vec<Value> {
    w.emulator.lock().objects_of_kind("file").filter(|(_, f)| f["filename"] == name).map(|(_, f)| f.clone()).collect()
}

#[tokio::test]
async fn a_photo_and_the_cover_letter_become_files_of_the_restaurant() {
    let w = world().await;
    let photo = cover_letter_png(&letter(), 600).expect("a PNG to send");
    let pdf = cover_letter_pdf(&letter()).expect("the letter");
    let (photo_view, photo_file) = attach(&w, "door.png", photo.clone(), "upload-photo-1").await;
    let (pdf_view, pdf_file) = attach(&w, "cover-letter.pdf", pdf.clone(), "upload-letter-1").await;

    assert_eq!((photo_view.kind, pdf_view.kind, pdf_view.pages), (FileKind::Png, FileKind::Pdf, Some(1)));
    for (file, name, bytes, kind) in
        [(&photo_file, "door.png", &photo, "png"), (&pdf_file, "cover-letter.pdf", &pdf, "pdf")]
    {
        let id = file.value["id"].as_str().expect("an ID");
        assert!(id.starts_with("file_"), "{id}");
        assert!(file.request_id.is_some());
        assert_eq!(file.value["purpose"], "dispute_evidence");
        assert_eq!(file.value["filename"], name);
        assert_eq!(file.value["size"], bytes.len());
        assert_eq!(file.value["type"], kind);
        // The emulator holds it on the restaurant's account, not the platform's.
        {
            let state = w.emulator.lock();
            assert_eq!(state.get(&Some(w.account.clone()), id).map(|f| f["filename"].clone()), Some(name.into()));
            assert!(state.get(&None, id).is_none());
        }
        let read: Response<Value> =
            w.client.get(&format!("/v1/files/{id}"), &[], Some(&w.account)).await.expect("read back");
        assert_eq!(read.value["size"], bytes.len());
    }
}

/// Leaves the letter and its preview in the target folder, for a person to look at.
#[test]
fn the_cover_letter_and_its_preview_are_left_to_look_at() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let pdf = cover_letter_pdf(&letter()).expect("the letter");
    let png = cover_letter_png(&letter(), 900).expect("the preview");
    std::fs::write(dir.join("cover-letter.pdf"), &pdf).expect("written");
    std::fs::write(dir.join("cover-letter.png"), &png).expect("written");
    assert_eq!(attachments::check("cover-letter.png", &png).expect("a PNG").pixels, Some((900, 1165)));

    // Far too much for a page, on A4: still one page, cut with "…".
    let mut long = letter();
    long.paper = md_core::disputes::cover_letter::Paper::A4;
    long.restaurant = "Brasserie du Vieux-Port et Café des Arts — Marseille, Quai de Rive-Neuve".into();
    long.customer_email = "a.very.long.address.of.the.customer@subdomain.example-mail-provider.com".into();
    long.statement = "The customer ordered a three-course dinner for two through our website. ".repeat(12);
    long.timeline = (1..=14)
        .map(|i| TimelineEntry {
            when: format!("{i} Mar 2025, 19:{:02}", i * 3),
            what: "The courier's app recorded a step of the delivery, with the time and the address it was made at; the customer was told by text message. ".repeat(1 + i % 3),
        })
        .collect();
    long.attachments = (1..=9)
        .map(|i| AttachmentNote {
            name: format!("evidence-{i}.pdf"),
            shows: "What this file shows the reviewer, described at some length so that it wraps. ".repeat(2),
        })
        .collect();
    let pdf = cover_letter_pdf(&long).expect("the long letter");
    assert_eq!(attachments::check("long.pdf", &pdf).expect("a PDF").pages, Some(1));
    std::fs::write(dir.join("cover-letter-long.pdf"), &pdf).expect("written");
    std::fs::write(dir.join("cover-letter-long.png"), cover_letter_png(&long, 900).expect("drawn")).expect("written");
}

#[tokio::test]
async fn an_upload_whose_answer_was_lost_is_one_file() {
    let w = world().await;
    w.emulator.inject(Fault::DropAfterProcessing, Some("POST"), Some("/v1/files"));
    let (_, file) = attach(&w, "receipt.pdf", cover_letter_pdf(&letter()).expect("a PDF"), "upload-retried").await;
    let held = files_named(&w, "receipt.pdf");
    assert_eq!(held.len(), 1, "the retry replayed the first upload: {held:?}");
    assert_eq!(held[0]["id"], file.value["id"]);
}

#[tokio::test]
async fn the_platform_uploads_without_an_account() {
    let w = world().await;
    let bytes = cover_letter_pdf(&letter()).expect("a PDF");
    let file = w
        .client
        .upload_file(None, "/home/ana/platform-note.pdf", "application/pdf", bytes, "upload-platform")
        .await
        .expect("uploaded");
    let id = file.value["id"].as_str().expect("an ID").to_string();
    assert_eq!(file.value["filename"], "platform-note.pdf", "folders never leave this computer");
    assert!(w.emulator.lock().get(&None, &id).is_some());
}

#[tokio::test]
async fn what_stripe_refuses_comes_back_as_stripe_said_it() {
    let w = world().await;
    let program = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode".to_vec();
    // The screen refuses it before anything is sent…
    let refused = attachments::check("receipt.pdf", &program).expect_err("not evidence");
    assert!(refused.to_string().contains("a Windows program"), "{refused}");
    // …and Stripe would too, were it sent.
    let err = w
        .client
        .upload_file(Some(&w.account), "receipt.pdf", "application/pdf", program, "upload-program")
        .await
        .expect_err("refused");
    match &err {
        StripeError::Api { status, kind, code, param, message, request_id } => {
            assert_eq!((*status, kind.as_str()), (400, "invalid_request_error"));
            assert_eq!((code.as_deref(), param.as_deref()), (Some("file_invalid"), Some("file")));
            assert!(message.contains("PDF, JPEG or PNG"), "{message}");
            assert!(request_id.is_some());
        }
        other => panic!("not Stripe's refusal: {other:?}"),
    }
    assert!(files_named(&w, "receipt.pdf").is_empty());

    // A file over 5 MB: refused here first, and by Stripe (the emulator's own words for it are
    // checked by `a_file_of_three_mb_is_taken` once it reads bodies that large).
    let mut big = cover_letter_pdf(&letter()).expect("a PDF");
    big.resize(5 * 1024 * 1024 + 1, b' ');
    assert_eq!(attachments::check("big.pdf", &big).expect_err("too large").code(), "evidence_file_too_large");
    let err = w
        .client
        .upload_file(Some(&w.account), "big.pdf", "application/pdf", big, "upload-big")
        .await
        .expect_err("refused");
    assert_eq!(err.status(), Some(400), "{err:?}");
    assert!(files_named(&w, "big.pdf").is_empty());
}

/// Stripe takes evidence files up to 5 MB; the emulator's multipart reader stops at axum's default
/// 2 MB body limit and answers "Malformed multipart body" for anything larger.
#[tokio::test]

async fn files_up_to_stripes_limit_are_taken_and_above_it_refused_in_stripes_words() {
    let w = world().await;
    let mut pdf = cover_letter_pdf(&letter()).expect("a PDF");
    pdf.resize(attachments::MAX_FILE_BYTES as usize, b' ');
    let (view, file) = attach(&w, "statement.pdf", pdf, "upload-5mb").await;
    assert_eq!((view.size_words.as_str(), file.value["size"].as_u64()), ("5 MB", Some(attachments::MAX_FILE_BYTES)));

    let mut big = cover_letter_pdf(&letter()).expect("a PDF");
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let err = w
        .client
        .upload_file(Some(&w.account), "big.pdf", "application/pdf", big, "upload-big")
        .await
        .expect_err("refused");
    assert!(matches!(&err, StripeError::Api { status: 400, code: Some(c), .. } if c == "file_too_large"), "{err:?}");
}
