//! Managers answering disputes through the real window, on the demo group (the app in demo mode,
//! talking to emulators this test runs so it can read what Stripe recorded and move deadlines): the
//! most urgent dispute leads the inbox and its 24-hour reminder reaches the session bus; the order
//! type puts the winning evidence first; a draft survives a restart; a PNG and a PDF picked in the
//! native open dialog reach Stripe's dispute, and the cover letter too; a file over the limit, a
//! program renamed .pdf and too much text are refused with nothing sent; staged, then submitted
//! once; a passed deadline takes nothing; accepting closes a dispute as lost; staff cannot open
//! disputes, not even from the web view's console.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use md_core::disputes::cover_letter::{cover_letter_pdf, cover_letter_png, AttachmentNote, CoverLetter, TimelineEntry};
use md_core::disputes::recommend::{plan, OrderType};
use md_core::gateways::stripe::StripeClient;
use md_core::keys::ApiKey;
use md_core::money_calls::new_key;
use md_e2e::cardconnect::forget_keyring_service;
use md_e2e::{App, Launch, NotificationWatch};
use serde_json::{json, Value};
use stripe_emulator::Emulator;

const OWNER: (&str, &str) = ("Maria", "2468");
const MANAGER: (&str, &str) = ("Priya", "9753");
const STAFF: (&str, &str) = ("Sam", "1357");

const DISPUTE: &str = "div[aria-label='Dispute']";
const INBOX_ROWS: &str = "table[aria-label='Disputes'] tbody tr";
const RECOMMENDED: &str = "section[aria-label='Recommended evidence']";

/// The demo group as a test drives it: both emulators, and a client of the demo platform's own.
struct Demo {
    stripe: Emulator,
    cardconnect: cardconnect_emulator::Emulator,
    client: StripeClient,
}

impl Demo {
    async fn start() -> Demo {
        let stripe = Emulator::start(stripe_emulator::Config::demo()).await.expect("stripe emulator");
        let cardconnect = cardconnect_emulator::Emulator::start(cardconnect_emulator::Config::demo())
            .await
            .expect("cardconnect emulator");
        let client =
            StripeClient::new(&stripe.base_url(), ApiKey::parse(stripe_emulator::DEMO_API_KEY).unwrap()).unwrap();
        Demo { stripe, cardconnect, client }
    }

    /// How the app is started on this group, keeping its data in `data` under keyring `service`.
    fn launch(&self, data: &Path, service: &str) -> Launch {
        Launch {
            env: vec![
                ("MERCHANT_DESK_DEMO_STRIPE_API_BASE".into(), self.stripe.base_url()),
                ("MERCHANT_DESK_DEMO_CARDCONNECT_API_BASE".into(), self.cardconnect.base_url()),
                ("MERCHANT_DESK_DATA_DIR".into(), data.display().to_string()),
                ("MERCHANT_DESK_KEYRING_SERVICE".into(), service.to_string()),
            ],
        }
    }

    /// An active US restaurant of the group that takes cards: its account ID and name.
    fn restaurant(&self) -> (String, String) {
        let state = self.stripe.lock();
        let mut found: Vec<(String, String)> = state
            .objects_of_kind("account")
            .filter(|(_, a)| a["charges_enabled"] == true && a["default_currency"] == "usd" && a["country"] == "US")
            .map(|(_, a)| {
                (
                    a["id"].as_str().unwrap_or_default().into(),
                    a["business_profile"]["name"].as_str().unwrap_or_default().into(),
                )
            })
            .collect();
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found.into_iter().next().expect("an active US restaurant in the demo group")
    }

    /// A card payment of `amount` cents at `account` that its cardholder disputes at once (Stripe's
    /// test card), with order number `order`; returns the dispute's ID.
    async fn new_dispute(&self, account: &str, amount: i64, order: &str) -> String {
        let form: Vec<(String, String)> = [
            ("amount", amount.to_string()),
            ("currency", "usd".into()),
            ("payment_method", "pm_card_createDispute".into()),
            ("confirm", "true".into()),
            ("metadata[order_number]", order.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let pi: md_core::gateways::stripe::Response<Value> = self
            .client
            .post("/v1/payment_intents", &form, Some(account), &new_key())
            .await
            .expect("a disputed payment");
        let charge = pi.value["latest_charge"].as_str().expect("its charge").to_string();
        let dispute = self
            .stripe
            .lock()
            .objects_of_kind("dispute")
            .find(|(_, d)| d["charge"] == charge.as_str())
            .map(|(_, d)| d["id"].as_str().unwrap_or_default().to_string());
        dispute.expect("the test card opens a dispute")
    }

    /// Moves the dispute's deadline to `due_by` (unix seconds) at Stripe.
    fn set_due(&self, account: &str, dispute: &str, due_by: i64) {
        let mut state = self.stripe.lock();
        let d = state.get_mut(&Some(account.to_string()), dispute).expect("the dispute at Stripe");
        d["evidence_details"]["due_by"] = json!(due_by);
    }

    /// The dispute as Stripe holds it now.
    fn dispute(&self, id: &str) -> Value {
        let state = self.stripe.lock();
        let found = state.objects_of_kind("dispute").find(|(_, d)| d["id"] == id).map(|(_, d)| d.clone());
        found.expect("the dispute at Stripe")
    }

    /// The ID Stripe's dispute holds in evidence field `field` (a file field holds an ID, or the file).
    fn evidence_file(&self, id: &str, field: &str) -> Option<String> {
        let d = self.dispute(id);
        let held = &d["evidence"][field];
        held.as_str().or_else(|| held["id"].as_str()).map(str::to_string)
    }

    /// The file Stripe holds under `file` (uploaded through /v1/files).
    fn file(&self, file: &str) -> Value {
        let state = self.stripe.lock();
        let found = state.objects_of_kind("file").find(|(_, f)| f["id"] == file).map(|(_, f)| f.clone());
        found.unwrap_or_else(|| panic!("no file {file} at Stripe"))
    }

    fn file_count(&self) -> usize {
        self.stripe.lock().objects_of_kind("file").count()
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("a clock after 1970").as_secs() as i64
}

/// The first run: the owner, the first full sync, the profiles; then the manager signs in.
async fn set_up_and_sign_in_the_manager(app: &App, staff_too: bool) {
    app.labelled("Demo mode").await;
    app.set_up_owner(OWNER.0, OWNER.1).await;
    app.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(180)).await;
    app.add_profile(MANAGER.0, "manager", MANAGER.1).await;
    if staff_too {
        app.add_profile(STAFF.0, "staff", STAFF.1).await;
    }
    app.click_button("Lock").await;
    app.unlock_as(MANAGER.0, MANAGER.1).await;
}

/// Opens `dispute` from the inbox (its row clicked, on its reason: WebKit's driver refuses a
/// click on a whole table row) and waits for its evidence form.
async fn open_dispute(app: &App, dispute: &str) {
    app.click_css(&format!("{INBOX_ROWS}[data-dispute='{dispute}'] td[data-field='reason']")).await;
    app.css(&format!("{DISPUTE} [data-field='meaning']")).await;
}

async fn back_to_inbox(app: &App) {
    app.click_button("Back to disputes").await;
    app.css(INBOX_ROWS).await;
}

/// Sets a text field's value as a script or a paste would (past its `maxLength`), and tells the
/// form with an input event.
async fn paste_into(app: &App, selector: &str, text: &str) {
    let field = app.css(selector).await;
    app.client
        .execute(
            "const [el, text] = arguments; el.value = text; el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(field), json!(text)],
        )
        .await
        .expect("set the field by script");
}

/// The text shown by the first element matching `selector`, once it contains `needle`, read as the
/// page renders it (`innerText`: WebKit's driver reads no text from some grid items).
async fn wait_for_shown(app: &App, selector: &str, needle: &str) -> String {
    app.until(format!("{selector} to show {needle:?}"), md_e2e::WAIT, || async {
        let read = "const el = document.querySelector(arguments[0]); return el ? el.innerText : null;";
        let shown = app.client.execute(read, vec![json!(selector)]).await.map_err(|e| e.to_string())?;
        match shown.as_str() {
            Some(text) if text.contains(needle) => Ok(text.to_string()),
            Some(text) => Err(format!("it shows {text:?}")),
            None => Err("no such element".into()),
        }
    })
    .await
}

/// The value of the field matched by `selector`, once it holds `expected`.
async fn wait_for_value(app: &App, selector: &str, expected: &str) {
    app.until(format!("{selector} to hold {expected:?}"), md_e2e::WAIT, || async {
        let field = app.client.find(fantoccini::Locator::Css(selector)).await.map_err(|e| e.to_string())?;
        let value = field.prop("value").await.map_err(|e| e.to_string())?.unwrap_or_default();
        if value == expected {
            Ok(())
        } else {
            Err(format!("it holds {value:?}"))
        }
    })
    .await
}

/// The draft the app keeps for `dispute`, read through its own command, once `field` holds `value`.
async fn wait_for_draft(app: &App, dispute: &str, field: &str, value: &str) {
    app.until(format!("the draft to keep {field} = {value:?}"), md_e2e::WAIT, || async {
        let answer = app.invoke_from_console("dispute_get", json!({ "dispute": dispute })).await;
        let kept = &answer["ok"]["draft"]["fields"][field];
        if kept == value {
            Ok(())
        } else {
            Err(format!("the draft holds {kept}"))
        }
    })
    .await
}

/// Clicks what `xpath` finds once it is in the middle of the window: the form's action bar sticks
/// to the window's bottom edge, and WebKit's driver scrolls an element only just into view (under
/// the bar, which would take the click).
async fn press(app: &App, xpath: &str) {
    app.until(format!("{xpath} to be in the middle of the window"), md_e2e::WAIT, || async {
        let el = app.client.find(fantoccini::Locator::XPath(xpath)).await.map_err(|e| e.to_string())?;
        app.client
            .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![json!(el)])
            .await
            .map_err(|e| e.to_string())
    })
    .await;
    app.click_xpath(xpath).await;
}

/// Picks `path` for file field `field` through "Attach file…" and the native open dialog.
async fn attach_through_dialog(app: &App, field: &str, path: &Path) {
    press(app, &format!("//button[@id='evidence-{field}']")).await;
    app.open_through_dialog(path).await;
}

/// Scrolls `selector` to the middle of the window, for a screenshot.
async fn scroll_to(app: &App, selector: &str) {
    let el = app.css(selector).await;
    app.client
        .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![json!(el)])
        .await
        .expect("scroll into view");
}

/// The files a manager picks: a photo of the receipt (PNG), the driver's proof of delivery (PDF),
/// a scan too big for Stripe and a program renamed .pdf.
struct Files {
    _dir: tempfile::TempDir,
    photo: PathBuf,
    proof: PathBuf,
    too_big: PathBuf,
    program: PathBuf,
}

fn files() -> Files {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = |statement: &str| CoverLetter {
        restaurant: "Harbor & Vine".into(),
        prepared_on: "12 March 2026".into(),
        order_number: "HV-DSP-4321".into(),
        order_type: "Delivery".into(),
        payment_amount: "$43.21".into(),
        payment_date: "11 March 2026".into(),
        card: "Visa •••• 0259".into(),
        customer_name: "J. Alvarez".into(),
        customer_email: "j.alvarez@example.com".into(),
        dispute_reason: "Fraud claim".into(),
        disputed_amount: "$43.21".into(),
        statement: statement.into(),
        timeline: vec![TimelineEntry { when: "11 March 2026, 19:42".into(), what: "Handed over at the door".into() }],
        attachments: vec![AttachmentNote { name: "drop-off photo".into(), shows: "the bag at the door".into() }],
        ..Default::default()
    };
    let photo = dir.path().join("receipt-photo.png");
    std::fs::write(&photo, cover_letter_png(&page("Till receipt, table 12."), 360).expect("a PNG")).unwrap();
    let proof = dir.path().join("proof-of-delivery.pdf");
    std::fs::write(&proof, cover_letter_pdf(&page("Driver log: delivered at 19:42.")).expect("a PDF")).unwrap();
    let too_big = dir.path().join("scanned-menu.pdf");
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(6_200_000, b' ');
    std::fs::write(&too_big, big).unwrap();
    let program = dir.path().join("delivery-log.pdf");
    std::fs::write(&program, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode.").unwrap();
    Files { _dir: dir, photo, proof, too_big, program }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_answers_the_most_urgent_dispute_with_evidence_that_survives_a_restart() {
    let started = Instant::now();
    let demo = Demo::start().await;
    let (account, restaurant) = demo.restaurant();
    // Due in 20 hours: the most urgent of the group, and a 24-hour reminder after the first sync.
    let urgent = demo.new_dispute(&account, 4_321, "HV-DSP-4321").await;
    demo.set_due(&account, &urgent, now() + 20 * 3600);
    let files = files();

    let notifications = NotificationWatch::start();
    let data = tempfile::tempdir().expect("data dir");
    let service = format!("merchant-desk-e2e-disputes-{}", std::process::id());
    let launch = demo.launch(data.path(), &service);
    let app = App::launch(launch.clone()).await;
    set_up_and_sign_in_the_manager(&app, false).await;
    let reminder = notifications.wait_for("Dispute due within 24 hours", Duration::from_secs(30));
    assert!(reminder.contains("$43.21") && reminder.contains(&restaurant), "{reminder}");
    eprintln!("set up and synced after {:?}", started.elapsed());

    // (1) The inbox: the dispute due in 20 hours leads.
    app.open_section("Disputes").await;
    app.css(INBOX_ROWS).await;
    let ids = app.attrs(INBOX_ROWS, "data-dispute").await;
    let urgency = app.attrs(INBOX_ROWS, "data-urgency").await;
    assert_eq!((ids[0].as_str(), urgency[0].as_str()), (urgent.as_str(), "due_soon"), "{ids:?} {urgency:?}");
    let first = app.texts(&format!("{INBOX_ROWS}:first-child")).await.concat();
    for shown in ["Due in 19 hours", "$43.21", "HV-DSP-4321", "Needs a response", &restaurant] {
        assert!(first.contains(shown), "the first row lacks {shown:?}: {first}");
    }
    assert!(urgency.iter().all(|u| !u.is_empty()) && ids.len() >= 8, "the demo's disputes are listed: {urgency:?}");
    app.screenshot("disputes-inbox").await;

    // (2) Opened; a delivery order: the evidence that wins a delivery's fraud claim comes first.
    open_dispute(&app, &urgent).await;
    app.click_xpath(
        "//fieldset[legend[normalize-space(.)='How was this order served?']]//input[@type='radio' and @value='delivery']",
    )
    .await;
    app.css(RECOMMENDED).await;
    let expected: Vec<String> =
        plan("fraudulent", OrderType::Delivery).recommended.iter().map(|r| r.field.name.to_string()).collect();
    let listed = app.attrs(&format!("{RECOMMENDED} [data-evidence]"), "data-evidence").await;
    assert_eq!(listed, expected, "the recommended fields, in the matrix's order");
    assert_eq!(listed[0], "shipping_address");
    let folded = app
        .client
        .execute(
            "const [rec, other] = [document.querySelector(arguments[0]), document.querySelector('details.other-evidence')];
             return { folded: !other.open, before: !!(rec.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING),
                      again: [...other.querySelectorAll('[data-evidence]')].map((e) => e.dataset.evidence) };",
            vec![json!(RECOMMENDED)],
        )
        .await
        .expect("read the form");
    assert_eq!((&folded["folded"], &folded["before"]), (&json!(true), &json!(true)), "the rest folded below: {folded}");
    let again = folded["again"].as_array().expect("the other fields");
    assert!(again.iter().all(|f| !expected.iter().any(|e| f == e.as_str())), "a field shown twice: {folded}");
    app.screenshot("dispute-form-recommended").await;

    // Two fields typed; the draft is kept as the typing pauses.
    let address = "12 Harbor Lane, Apt 4, Portland OR 97201";
    let note = "The same card paid for three earlier deliveries to this address, none disputed.";
    app.fill("Delivery address", address).await;
    app.fill("Anything else to tell the bank", note).await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='draft-status']"), "Draft saved").await;
    wait_for_draft(&app, &urgent, "uncategorized_text", note).await;
    wait_for_draft(&app, &urgent, "shipping_address", address).await;
    assert!(demo.dispute(&urgent)["evidence"]["shipping_address"].is_null(), "a draft is not sent");
    app.close().await;

    // (3) A restart on the same data: the draft is there.
    let restarted = Instant::now();
    let app = App::launch(launch.clone()).await;
    app.unlock_as(MANAGER.0, MANAGER.1).await;
    app.open_section("Disputes").await;
    open_dispute(&app, &urgent).await;
    wait_for_value(&app, "#evidence-shipping_address", address).await;
    wait_for_value(&app, "#evidence-uncategorized_text", note).await;
    let delivery = app.css("input[name='order-type'][value='delivery']").await;
    assert_eq!(delivery.prop("checked").await.unwrap().as_deref(), Some("true"), "the order type is kept too");
    app.css(RECOMMENDED).await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='draft-status']"), "not sent to Stripe yet").await;
    eprintln!("restarted and found the draft in {:?}", restarted.elapsed());

    // (5) Bad files: refused on screen, nothing uploaded or sent.
    let evidence_before = demo.dispute(&urgent)["evidence"].clone();
    let files_before = demo.file_count();
    press(&app, "//details[contains(@class, 'other-evidence')]/summary").await;
    attach_through_dialog(&app, "customer_communication", &files.too_big).await;
    let refusal = "[data-evidence='customer_communication'] [role='alert']";
    let big = wait_for_shown(&app, refusal, "scanned-menu.pdf").await;
    assert!(big.contains("6.2 MB") && big.contains("5 MB"), "{big}");
    attach_through_dialog(&app, "customer_communication", &files.program).await;
    let program = wait_for_shown(&app, refusal, "delivery-log.pdf").await;
    assert!(program.contains("Windows program") && program.contains("not a PDF"), "{program}");
    scroll_to(&app, refusal).await;
    app.screenshot("dispute-file-refused").await;
    assert_eq!(demo.file_count(), files_before, "nothing uploaded");
    wait_for_shown(&app, "[data-evidence='customer_communication']", "No file attached").await;

    // (4) A photo of the receipt and the proof of delivery, through the native open dialog.
    attach_through_dialog(&app, "receipt", &files.photo).await;
    wait_for_shown(&app, "[data-evidence='receipt'] [data-field='attached']", "receipt-photo.png").await;
    wait_for_shown(&app, "[data-evidence='receipt'] [data-field='dispute-result']", "uploaded to Stripe").await;
    app.css("[data-evidence='receipt'] img[alt='Preview of receipt-photo.png']").await;
    attach_through_dialog(&app, "shipping_documentation", &files.proof).await;
    let proof = wait_for_shown(
        &app,
        "[data-evidence='shipping_documentation'] [data-field='attached']",
        "proof-of-delivery.pdf",
    )
    .await;
    assert!(proof.contains("1 page"), "a PDF is shown with its pages: {proof}");
    assert_eq!(demo.file_count(), files_before + 2, "both uploaded");
    assert_eq!(demo.dispute(&urgent)["evidence"], evidence_before, "uploaded, not yet sent with the evidence");

    // (5) Too much text: the box stops typing at Stripe's limit; pasted past it by script, the
    // core refuses it and nothing is sent.
    let rebuttal = "#evidence-cancellation_rebuttal";
    let limit = app.css(rebuttal).await.attr("maxlength").await.unwrap();
    assert_eq!(limit.as_deref(), Some("20000"));
    paste_into(&app, rebuttal, &"x".repeat(20_001)).await;
    app.click_button("Save to Stripe").await;
    let long = wait_for_shown(&app, "div.evidence-footer [role='alert']", "20,000").await;
    assert!(long.contains("Why the cancellation does not count") && long.contains("remove 1"), "{long}");
    app.screenshot("dispute-text-refused").await;
    let mut draft = json!({ "order_type": "delivery", "fields": { "shipping_address": address, "cancellation_rebuttal": "y".repeat(20_001) } });
    let refused = app
        .invoke_from_console(
            "dispute_send",
            json!({ "dispute": urgent, "draft": draft, "submit": false, "confirmation": new_key() }),
        )
        .await;
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    assert_eq!(demo.dispute(&urgent)["evidence"], evidence_before, "nothing reached Stripe");
    paste_into(&app, rebuttal, "").await;

    // Staged: Stripe holds the typed fields and both files; the dispute still needs a response.
    app.click_button("Save to Stripe").await;
    wait_for_shown(&app, &format!("{DISPUTE} [data-field='dispute-result']"), "Saved to Stripe").await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='draft-status']"), "last sent to Stripe").await;
    let staged = demo.dispute(&urgent);
    assert_eq!(staged["status"], "needs_response");
    assert_eq!(staged["evidence"]["shipping_address"], address);
    assert_eq!(staged["evidence"]["uncategorized_text"], note);
    let receipt = demo.evidence_file(&urgent, "receipt").expect("the receipt at Stripe");
    let shipping = demo.evidence_file(&urgent, "shipping_documentation").expect("the proof of delivery at Stripe");
    assert!(receipt.starts_with("file_") && shipping.starts_with("file_"), "{receipt} {shipping}");
    assert_eq!(demo.file(&receipt)["filename"], "receipt-photo.png");
    assert_eq!(demo.file(&shipping)["filename"], "proof-of-delivery.pdf");
    assert_eq!(demo.file(&receipt)["purpose"], "dispute_evidence");
    assert!(staged["evidence"]["cancellation_rebuttal"].is_null(), "the refused text was never sent");

    // (6) The cover letter: previewed as an image, attached, sent with the next save.
    press(&app, "//button[normalize-space(.)='Preview cover letter']").await;
    let preview = "img[alt='Preview of the cover letter']";
    app.css(preview).await;
    app.until("the cover letter's preview to be drawn", md_e2e::WAIT, || async {
        let drawn = app
            .client
            .execute(
                "const img = document.querySelector(arguments[0]); return img.complete && img.naturalWidth;",
                vec![json!(preview)],
            )
            .await
            .map_err(|e| e.to_string())?;
        if drawn.as_u64().unwrap_or(0) > 0 {
            Ok(())
        } else {
            Err(format!("naturalWidth {drawn}"))
        }
    })
    .await;
    let heading = app.css("section[aria-label='Cover letter'] h3").await;
    app.client.execute("arguments[0].scrollIntoView({ block: 'start' });", vec![json!(heading)]).await.expect("scroll");
    app.screenshot("dispute-cover-letter").await;
    press(&app, "//button[normalize-space(.)='Attach this letter']").await;
    wait_for_shown(&app, &format!("{DISPUTE} [data-field='dispute-result']"), "cover letter").await;
    app.click_button("Save to Stripe").await;
    wait_for_shown(&app, &format!("{DISPUTE} [data-field='dispute-result']"), "Saved to Stripe").await;
    let letter = demo.evidence_file(&urgent, "uncategorized_file").expect("the cover letter at Stripe");
    assert!(letter.starts_with("file_"), "{letter}");
    assert_eq!(demo.file(&letter)["type"], "pdf");
    assert_eq!(demo.dispute(&urgent)["evidence_details"]["submission_count"], 0, "staged, not submitted");

    // (7) Submitted: final, said so first; the status changes at once.
    app.click_button("Submit evidence…").await;
    let confirm = app.wait_for_text("dialog[open]", "final").await;
    assert!(confirm.contains("$43.21") && confirm.contains(&restaurant), "{confirm}");
    app.screenshot("dispute-submit-confirm").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Submit evidence']").await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='status']"), "Under review").await;
    wait_for_shown(&app, &format!("{DISPUTE} [data-field='dispute-result']"), "Evidence submitted").await;
    let submitted = demo.dispute(&urgent);
    assert_eq!(
        (&submitted["status"], &submitted["evidence_details"]["submission_count"]),
        (&json!("under_review"), &json!(1))
    );
    assert_eq!(demo.evidence_file(&urgent, "uncategorized_file").as_deref(), Some(letter.as_str()));
    app.wait_for_text(&format!("{DISPUTE} [data-field='cannot-respond']"), "no more evidence").await;
    let buttons = app.texts(&format!("{DISPUTE} button")).await;
    for gone in [
        "Save to Stripe",
        "Submit evidence…",
        "Accept dispute…",
        "Preview cover letter",
        "Attach file…",
        "Replace file…",
    ] {
        assert!(!buttons.iter().any(|b| b == gone), "{gone:?} is still offered: {buttons:?}");
    }
    app.screenshot("dispute-submitted").await;

    // A second submission, typed into the console: refused, nothing sent.
    draft["fields"] = json!({ "shipping_address": address });
    let again = app
        .invoke_from_console(
            "dispute_send",
            json!({ "dispute": urgent, "draft": draft, "submit": true, "confirmation": new_key() }),
        )
        .await;
    assert_eq!(again["code"], "invalid_input", "{again}");
    assert_eq!(demo.dispute(&urgent)["evidence_details"]["submission_count"], 1);

    // Back in the inbox it is with the bank.
    back_to_inbox(&app).await;
    app.wait_for_text(&format!("{INBOX_ROWS}[data-dispute='{urgent}'] [data-field='due']"), "With the bank").await;
    app.close().await;
    forget_keyring_service(&service);
    eprintln!("done in {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passed_deadline_takes_nothing_accepting_closes_and_staff_cannot_open_disputes() {
    /// Disputes added to the demo group's: the inbox reads 100 at a time.
    const EXTRA: usize = 100;
    let started = Instant::now();
    let demo = Demo::start().await;
    let (account, restaurant) = demo.restaurant();
    let late = demo.new_dispute(&account, 7_707, "HV-DSP-7707").await;
    demo.set_due(&account, &late, now() - 2 * 3600);
    let give_up = demo.new_dispute(&account, 3_303, "HV-DSP-3303").await;
    // A busy week: a hundred more to answer, so the inbox takes more than one page of 100.
    for n in 0..EXTRA {
        demo.new_dispute(&account, 1_000 + n as i64, &format!("HV-BUSY-{n:03}")).await;
    }

    let data = tempfile::tempdir().expect("data dir");
    let service = format!("merchant-desk-e2e-disputes-b-{}", std::process::id());
    let app = App::launch(demo.launch(data.path(), &service)).await;
    set_up_and_sign_in_the_manager(&app, true).await;
    eprintln!("set up and synced after {:?}", started.elapsed());
    app.open_section("Disputes").await;
    app.css(INBOX_ROWS).await;
    let ids = app.attrs(INBOX_ROWS, "data-dispute").await;
    let urgency = app.attrs(INBOX_ROWS, "data-urgency").await;
    assert_eq!((ids[0].as_str(), urgency[0].as_str()), (late.as_str(), "overdue"), "overdue first: {ids:?}");

    // (8) The deadline passed: the form says so and offers nothing to send; the command refuses.
    open_dispute(&app, &late).await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='cannot-respond']"), "deadline passed").await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='due']"), "Overdue by 2 hours").await;
    let buttons = app.texts(&format!("{DISPUTE} button")).await;
    assert!(!buttons.iter().any(|b| b.contains("Save to Stripe") || b.contains("Submit")), "{buttons:?}");
    app.screenshot("dispute-deadline-passed").await;
    let refused = app
        .invoke_from_console(
            "dispute_send",
            json!({
                "dispute": late,
                "draft": { "order_type": "dine_in", "fields": { "customer_name": "J. Alvarez" } },
                "submit": true,
                "confirmation": new_key(),
            }),
        )
        .await;
    assert_eq!(refused["code"], "invalid_input", "{refused}");
    assert!(refused["message"].as_str().unwrap_or_default().contains("deadline passed"), "{refused}");
    let at_stripe = demo.dispute(&late);
    assert_eq!(at_stripe["evidence_details"]["submission_count"], 0);
    assert!(at_stripe["evidence"]["customer_name"].is_null(), "nothing reached Stripe");
    back_to_inbox(&app).await;

    // (9) Accepted, after being told the money will not come back: lost, here and at Stripe.
    open_dispute(&app, &give_up).await;
    app.click_button("Accept dispute…").await;
    let warning = app.wait_for_text("dialog[open]", "will not come back").await;
    assert!(warning.contains("$33.03") && warning.contains(&restaurant), "{warning}");
    app.screenshot("dispute-accept-confirm").await;
    app.click_xpath("//dialog[@open]//button[normalize-space(.)='Accept dispute']").await;
    app.wait_for_text(&format!("{DISPUTE} [data-field='status']"), "Lost").await;
    wait_for_shown(&app, &format!("{DISPUTE} [data-field='dispute-result']"), "Dispute accepted").await;
    assert_eq!(demo.dispute(&give_up)["status"], "lost");
    back_to_inbox(&app).await;

    // (9b) Read 100 at a time: the closed dispute now sorts after every one still to answer, past
    // the first page; the caption counts them all, and the next page brings it.
    app.count(INBOX_ROWS, Some(100)).await;
    let caption = app.wait_for_text(".disputes-inbox [data-field='disputes-caption']", "disputes").await;
    let total: usize = caption.split(' ').next().and_then(|n| n.replace(',', "").parse().ok()).expect("a count");
    assert!((EXTRA + 2..=200).contains(&total), "{caption}");
    assert!(caption.contains("past the deadline"), "{caption}");
    let shown = app.texts(".disputes-inbox .show-more [data-field='shown']").await.concat();
    assert_eq!(shown, format!("Showing 100 of {total} disputes"));
    assert!(app.attrs(INBOX_ROWS, "data-dispute").await.iter().all(|id| id != &give_up), "closed, so past page 1");
    app.screenshot("disputes-inbox-show-more").await;
    app.click_button(&format!("Show {} more", total - 100)).await;
    app.count(INBOX_ROWS, Some(total)).await;
    let ids = app.attrs(INBOX_ROWS, "data-dispute").await;
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), total, "each dispute once");
    assert_eq!(ids[0], late, "the first page stays first");
    app.wait_for_text(&format!("{INBOX_ROWS}[data-dispute='{give_up}'] [data-field='status']"), "Lost").await;
    assert!(app.texts(".disputes-inbox .show-more").await.is_empty(), "nothing more to show");

    // (10) Staff: no Disputes in the navigation, and the commands refuse them.
    app.click_button("Lock").await;
    app.unlock_as(STAFF.0, STAFF.1).await;
    assert_eq!(app.nav_labels().await, ["Payments & Refunds"]);
    let listed = app
        .invoke_from_console(
            "disputes_list",
            json!({ "filter": { "status": null, "reason": null, "restaurant": null }, "offset": 0, "limit": 100 }),
        )
        .await;
    assert_eq!(listed["code"], "role_forbidden", "{listed}");
    let opened = app.invoke_from_console("dispute_get", json!({ "dispute": give_up })).await;
    assert_eq!(opened["code"], "role_forbidden", "{opened}");
    let accepted =
        app.invoke_from_console("dispute_accept", json!({ "dispute": late, "confirmation": new_key() })).await;
    assert_eq!(accepted["code"], "role_forbidden", "{accepted}");
    assert_eq!(demo.dispute(&late)["status"], "needs_response", "nothing reached Stripe");
    app.close().await;
    forget_keyring_service(&service);
    eprintln!("done in {:?}", started.elapsed());
}
