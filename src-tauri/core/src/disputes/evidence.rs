//! Every field Stripe's dispute `evidence` accepts (API 2023-08-16), in a restaurant manager's
//! words and grouped the way they think, with the checks Stripe would otherwise make after the
//! manager pressed Save: a field's own length and the combined text limit.
//!
//! The catalogue is data checked against Stripe's OpenAPI spec by a test, so a field can neither be
//! missing from the form nor sent under a name Stripe refuses.

use serde::Serialize;
use specta::Type;

use EvidenceGroup::{Customer, Delivery, Files, Order, Other, Policies};

/// Stripe's limit on the characters of all evidence fields together ("The combined character
/// count of all fields is limited to 150,000").
pub const COMBINED_TEXT_LIMIT: usize = 150_000;

/// What a field holds: typed text, or the ID (`file_…`) of a file uploaded with purpose
/// `dispute_evidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Text,
    File,
}

/// The form's sections, in the order a manager fills them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceGroup {
    Order,
    Customer,
    Delivery,
    Policies,
    Files,
    Other,
}

impl EvidenceGroup {
    pub const ALL: [EvidenceGroup; 6] = [
        EvidenceGroup::Order,
        EvidenceGroup::Customer,
        EvidenceGroup::Delivery,
        EvidenceGroup::Policies,
        EvidenceGroup::Files,
        EvidenceGroup::Other,
    ];

    /// The section's heading.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceGroup::Order => "The order",
            EvidenceGroup::Customer => "The customer",
            EvidenceGroup::Delivery => "Delivery or pickup",
            EvidenceGroup::Policies => "Policies",
            EvidenceGroup::Files => "Files and receipts",
            EvidenceGroup::Other => "Anything else",
        }
    }
}

/// One evidence field as the form shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct EvidenceField {
    /// Stripe's name, as sent in `evidence[…]`.
    pub name: &'static str,
    pub kind: EvidenceKind,
    /// Text fields: the most characters Stripe accepts in this field when it is sent (the update
    /// request's `maxLength`: 5,000, or 20,000 for explanations). Files: `None`.
    pub max_len: Option<u32>,
    pub group: EvidenceGroup,
    /// The field's name for a manager.
    pub label: &'static str,
    /// One sentence: what to put there.
    pub help: &'static str,
}

/// Short text: names, addresses, dates, IDs.
const SHORT: Option<u32> = Some(5_000);
/// Explanations and descriptions.
const LONG: Option<u32> = Some(20_000);

const fn text(
    name: &'static str,
    max_len: Option<u32>,
    group: EvidenceGroup,
    label: &'static str,
    help: &'static str,
) -> EvidenceField {
    EvidenceField { name, kind: EvidenceKind::Text, max_len, group, label, help }
}

const fn file(name: &'static str, group: EvidenceGroup, label: &'static str, help: &'static str) -> EvidenceField {
    EvidenceField { name, kind: EvidenceKind::File, max_len: None, group, label, help }
}

/// The catalogue, in the form's order: by group, the most useful first within each.
pub static CATALOGUE: [EvidenceField; 27] = [
    text(
        "product_description",
        LONG,
        Order,
        "What was ordered",
        "The dishes and drinks on the order, with quantities and prices, as on the ticket.",
    ),
    text(
        "service_date",
        SHORT,
        Order,
        "Date of the meal or event",
        "When the customer ate, picked up, got the delivery or held the event, as a plain date and time.",
    ),
    text(
        "duplicate_charge_id",
        SHORT,
        Order,
        "The other payment's Stripe ID",
        "If the customer says they paid twice: the ID of the other payment (it starts with ch_ or py_).",
    ),
    text(
        "duplicate_charge_explanation",
        LONG,
        Order,
        "Why the two payments are different",
        "How the other payment differs from this one: another order, table, day, amount or a deposit.",
    ),
    text("customer_name", SHORT, Customer, "Customer's name", "The name on the order, booking or card slip."),
    text(
        "customer_email_address",
        SHORT,
        Customer,
        "Customer's email",
        "The email address the customer gave when ordering or booking.",
    ),
    text(
        "billing_address",
        SHORT,
        Customer,
        "Billing address",
        "The card's billing address, if the customer gave it for an online or phone order.",
    ),
    file(
        "customer_communication",
        Customer,
        "Messages with the customer",
        "Emails, texts or chats with the customer about this order, saved as a PDF or screenshot.",
    ),
    text(
        "customer_purchase_ip",
        SHORT,
        Customer,
        "Customer's IP address",
        "For app or website orders: the internet address the order came from, if your ordering system shows it.",
    ),
    text(
        "access_activity_log",
        LONG,
        Customer,
        "Online ordering activity",
        "For app or website orders: the customer's log-ins and past orders, with times and IP addresses.",
    ),
    text("shipping_address", SHORT, Delivery, "Delivery address", "Where the order was delivered, as the driver had it."),
    text(
        "shipping_date",
        SHORT,
        Delivery,
        "Delivery date and time",
        "When the order left with the driver, as a plain date and time.",
    ),
    text(
        "shipping_carrier",
        SHORT,
        Delivery,
        "Who delivered",
        "Your own driver or the delivery service that carried the order; separate several with commas.",
    ),
    text(
        "shipping_tracking_number",
        SHORT,
        Delivery,
        "Delivery or tracking number",
        "The delivery service's order or tracking number; separate several with commas.",
    ),
    file(
        "shipping_documentation",
        Delivery,
        "Proof of delivery",
        "The driver app's record or a photo showing the order handed over at the customer's address, with the time.",
    ),
    file(
        "refund_policy",
        Policies,
        "Refund policy",
        "Your refund policy as customers see it: a photo of the menu or sign, or a screenshot of the ordering site.",
    ),
    text(
        "refund_policy_disclosure",
        LONG,
        Policies,
        "How the customer saw the refund policy",
        "Where and when the customer was shown the refund policy before paying: menu, receipt, website, booking form.",
    ),
    text(
        "refund_refusal_explanation",
        LONG,
        Policies,
        "Why no refund is due",
        "Why the customer is not owed a refund, for example the meal was eaten or the event went ahead.",
    ),
    file(
        "cancellation_policy",
        Policies,
        "Cancellation policy",
        "Your cancellation terms as given to the customer, for bookings, catering or repeat orders.",
    ),
    text(
        "cancellation_policy_disclosure",
        LONG,
        Policies,
        "How the customer saw the cancellation policy",
        "Where and when the customer was shown the cancellation terms before paying, such as the booking confirmation.",
    ),
    text(
        "cancellation_rebuttal",
        LONG,
        Policies,
        "Why the cancellation does not count",
        "Why the booking or repeat order was not cancelled in time, or why no refund is due for it.",
    ),
    file(
        "receipt",
        Files,
        "Receipt",
        "The itemised receipt or card slip for this payment, or the order confirmation the customer was sent.",
    ),
    file(
        "service_documentation",
        Files,
        "Order or event confirmation",
        "Proof the meal or event was provided: the signed catering order, the event confirmation or the kitchen ticket.",
    ),
    file(
        "customer_signature",
        Files,
        "Signed slip or contract",
        "Something the customer signed: the card slip, a catering contract or a delivery sign-off.",
    ),
    file(
        "duplicate_charge_documentation",
        Files,
        "Receipt of the other payment",
        "The receipt or ticket of the other payment, so the bank sees two separate orders.",
    ),
    text(
        "uncategorized_text",
        LONG,
        Other,
        "Anything else to tell the bank",
        "Other facts that help, such as earlier visits paid with the same card that were never disputed.",
    ),
    file(
        "uncategorized_file",
        Other,
        "Another document",
        "Any other document that supports your case; the cover letter this app makes goes here.",
    ),
];

/// The catalogue entry for Stripe's field `name`.
pub fn field(name: &str) -> Option<&'static EvidenceField> {
    CATALOGUE.iter().find(|f| f.name == name)
}

/// One section of the form.
#[derive(Debug, Clone, Serialize, Type)]
pub struct EvidenceSection {
    pub group: EvidenceGroup,
    /// The heading ("Delivery or pickup").
    pub label: &'static str,
    pub fields: Vec<EvidenceField>,
}

/// The whole form, section by section, in catalogue order.
pub fn sections() -> Vec<EvidenceSection> {
    EvidenceGroup::ALL
        .iter()
        .map(|&group| EvidenceSection {
            group,
            label: group.label(),
            fields: CATALOGUE.iter().filter(|f| f.group == group).copied().collect(),
        })
        .collect()
}

/// Something Stripe would refuse in the filled evidence, as a sentence for the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EvidenceProblem {
    /// The field at fault (Stripe's name); `None` for the combined limit.
    pub field: Option<String>,
    pub message: String,
}

/// The counter under the form and what is wrong, if anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TextCheck {
    /// Characters in all filled fields together.
    pub total_chars: u32,
    /// [`COMBINED_TEXT_LIMIT`].
    pub limit: u32,
    /// In catalogue order, unknown fields after, the combined limit last. Empty: Stripe will take it.
    pub problems: Vec<EvidenceProblem>,
}

impl TextCheck {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the filled fields (Stripe name → value) before anything is sent. Empty values are not
/// sent and not counted. Characters are Unicode scalar values (`é` is one). File fields may be
/// given too: they count towards the total, since Stripe counts every field, and must hold a
/// file ID.
pub fn check_text<K: AsRef<str>, V: AsRef<str>>(filled: impl IntoIterator<Item = (K, V)>) -> TextCheck {
    let mut total: usize = 0;
    // (catalogue position, or past the end for unknown names; name; problem)
    let mut problems: Vec<(usize, String, EvidenceProblem)> = Vec::new();
    for (name, value) in filled {
        let (name, value) = (name.as_ref(), value.as_ref());
        if value.is_empty() {
            continue;
        }
        let chars = value.chars().count();
        total += chars;
        let Some(position) = CATALOGUE.iter().position(|f| f.name == name) else {
            let message = format!("\u{201c}{name}\u{201d} is not a field Stripe accepts as dispute evidence.");
            problems.push((usize::MAX, name.to_owned(), EvidenceProblem { field: Some(name.to_owned()), message }));
            continue;
        };
        let f = &CATALOGUE[position];
        let message = match (f.kind, f.max_len) {
            (EvidenceKind::File, _) if !value.starts_with("file_") => {
                Some(format!("{} takes an uploaded file, not typed text.", f.label))
            }
            (EvidenceKind::Text, Some(max)) if chars > max as usize => Some(format!(
                "{} is {} characters; Stripe accepts at most {} here, so remove {} {}.",
                f.label,
                group_digits(chars),
                group_digits(max as usize),
                group_digits(chars - max as usize),
                if chars - max as usize == 1 { "character" } else { "characters" }
            )),
            _ => None,
        };
        if let Some(message) = message {
            problems.push((position, name.to_owned(), EvidenceProblem { field: Some(name.to_owned()), message }));
        }
    }
    problems.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut problems: Vec<EvidenceProblem> = problems.into_iter().map(|(_, _, p)| p).collect();
    if total > COMBINED_TEXT_LIMIT {
        problems.push(EvidenceProblem {
            field: None,
            message: format!(
                "All the evidence together is {} characters; Stripe accepts at most {}, so shorten it by {}.",
                group_digits(total),
                group_digits(COMBINED_TEXT_LIMIT),
                group_digits(total - COMBINED_TEXT_LIMIT)
            ),
        });
    }
    TextCheck { total_chars: u32::try_from(total).unwrap_or(u32::MAX), limit: COMBINED_TEXT_LIMIT as u32, problems }
}

/// `150000` → `150,000`, as in Stripe's own messages.
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Stripe's OpenAPI spec for API 2023-08-16, as the repository keeps it (the Connect subset the
/// emulator embeds, whose dispute and account parts are Stripe's own); read once per test run.
#[cfg(test)]
pub(crate) fn stripe_spec() -> &'static serde_json::Value {
    static SPEC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../emulators/stripe/spec/connect-subset.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("Stripe's spec at {path}: {e}"));
        serde_json::from_str(&text).expect("the spec is JSON")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn object<'a>(value: &'a serde_json::Value, what: &str) -> &'a serde_json::Map<String, serde_json::Value> {
        value.as_object().unwrap_or_else(|| panic!("{what} is an object in the spec"))
    }

    /// What the object `dispute.evidence` holds, and what the update request accepts.
    fn spec_fields() -> (&'static serde_json::Map<String, serde_json::Value>, &'static serde_json::Value) {
        let spec = stripe_spec();
        assert_eq!(spec["info"]["version"], "2023-08-16");
        let object_props = object(&spec["components"]["schemas"]["dispute_evidence"]["properties"], "dispute_evidence");
        let request = &spec["paths"]["/v1/disputes/{dispute}"]["post"]["requestBody"]["content"]
            ["application/x-www-form-urlencoded"]["schema"]["properties"]["evidence"];
        (object_props, request)
    }

    #[test]
    fn the_catalogue_is_exactly_what_stripe_accepts() {
        let (object_props, request) = spec_fields();
        let request_props = object(&request["properties"], "the update's evidence");
        let ours: BTreeSet<&str> = CATALOGUE.iter().map(|f| f.name).collect();
        assert_eq!(ours.len(), CATALOGUE.len(), "no field twice");
        assert_eq!(ours, object_props.keys().map(String::as_str).collect::<BTreeSet<_>>());
        assert_eq!(ours, request_props.keys().map(String::as_str).collect::<BTreeSet<_>>());

        for f in &CATALOGUE {
            let described = &object_props[f.name];
            // A file field is "a string or an expanded file" on the object and says it takes a file ID.
            let is_file = described["anyOf"]
                .as_array()
                .is_some_and(|alts| alts.iter().any(|alt| alt["$ref"] == "#/components/schemas/file"))
                && described["description"].as_str().is_some_and(|d| d.starts_with("(ID of a [file upload]"));
            let expected = if is_file { EvidenceKind::File } else { EvidenceKind::Text };
            assert_eq!(f.kind, expected, "{}", f.name);
            assert_eq!(request_props[f.name]["type"], "string", "{}", f.name);
            let request_max = request_props[f.name]["maxLength"].as_u64().map(|m| m as u32);
            match f.kind {
                EvidenceKind::Text => assert_eq!(f.max_len, request_max, "{}", f.name),
                EvidenceKind::File => assert_eq!((f.max_len, request_max), (None, None), "{}", f.name),
            }
        }
        let files: Vec<&str> = CATALOGUE.iter().filter(|f| f.kind == EvidenceKind::File).map(|f| f.name).collect();
        assert_eq!(files.len(), 9, "{files:?}");
    }

    #[test]
    fn the_combined_limit_is_stripes() {
        let (_, request) = spec_fields();
        let description = request["description"].as_str().unwrap();
        assert!(description.contains("limited to 150,000"), "{description}");
        assert_eq!(COMBINED_TEXT_LIMIT, 150_000);
    }

    #[test]
    fn every_field_has_words_and_every_section_fields() {
        let labels: BTreeSet<&str> = CATALOGUE.iter().map(|f| f.label).collect();
        assert_eq!(labels.len(), CATALOGUE.len(), "labels tell fields apart");
        for f in &CATALOGUE {
            assert!(!f.label.is_empty() && f.help.ends_with('.'), "{}", f.name);
            assert!(!f.help.contains('`'), "help is for people: {}", f.name);
        }
        let sections = sections();
        assert_eq!(sections.iter().map(|s| s.fields.len()).sum::<usize>(), CATALOGUE.len());
        assert!(sections.iter().all(|s| !s.fields.is_empty()));
        // The form is the catalogue in order: sections never interleave.
        let flat: Vec<&str> = sections.iter().flat_map(|s| s.fields.iter().map(|f| f.name)).collect();
        assert_eq!(flat, CATALOGUE.iter().map(|f| f.name).collect::<Vec<_>>());
        assert_eq!(field("shipping_address").unwrap().label, "Delivery address");
        assert!(field("evidence").is_none());
    }

    #[test]
    fn filled_fields_are_counted_and_checked() {
        let empty: BTreeMap<String, String> = BTreeMap::new();
        let check = check_text(&empty);
        assert_eq!((check.total_chars, check.limit, check.is_ok()), (0, 150_000, true));

        let filled = BTreeMap::from([
            ("customer_name", "Zoë Brandt"),
            ("receipt", "file_1NXWPnCo6bFb1KQto6C8OWvE"),
            ("uncategorized_text", ""),
        ]);
        let check = check_text(&filled);
        assert_eq!(check.total_chars, 10 + 29, "é-like letters count once, empty fields not at all");
        assert!(check.is_ok(), "{:?}", check.problems);
    }

    #[test]
    fn each_problem_is_a_sentence_about_its_field() {
        let long = "x".repeat(5_012);
        let filled = vec![
            ("table_number", "12"),
            ("shipping_address", long.as_str()),
            ("receipt", "the chip slip"),
            ("product_description", "Two pizzas"),
        ];
        let check = check_text(filled);
        let problems: Vec<(Option<&str>, &str)> =
            check.problems.iter().map(|p| (p.field.as_deref(), p.message.as_str())).collect();
        assert_eq!(
            problems,
            vec![
                (
                    Some("shipping_address"),
                    "Delivery address is 5,012 characters; Stripe accepts at most 5,000 here, so remove 12 characters."
                ),
                (Some("receipt"), "Receipt takes an uploaded file, not typed text."),
                (
                    Some("table_number"),
                    "\u{201c}table_number\u{201d} is not a field Stripe accepts as dispute evidence."
                ),
            ]
        );
    }

    #[test]
    fn the_combined_limit_is_checked_over_all_fields() {
        let long = "y".repeat(20_000);
        let mut filled: Vec<(&str, &str)> =
            CATALOGUE.iter().filter(|f| f.max_len == Some(20_000)).map(|f| (f.name, long.as_str())).collect();
        assert_eq!(filled.len(), 8);
        let check = check_text(filled.clone());
        assert_eq!(check.total_chars, 160_000);
        assert_eq!(check.problems.len(), 1);
        assert_eq!(check.problems[0].field, None);
        assert_eq!(
            check.problems[0].message,
            "All the evidence together is 160,000 characters; Stripe accepts at most 150,000, so shorten it by 10,000."
        );
        filled.truncate(7);
        filled.push(("customer_name", "Ann"));
        let check = check_text(filled);
        assert_eq!((check.total_chars, check.is_ok()), (140_003, true));
    }

    #[test]
    fn digits_are_grouped() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (150_000, "150,000"), (1_234_567, "1,234,567")];
        for (n, words) in cases {
            assert_eq!(group_digits(n), words);
        }
    }
}
