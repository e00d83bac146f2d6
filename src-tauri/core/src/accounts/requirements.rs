//! What Stripe still needs from a connected account, in words a platform admin can read out to a
//! restaurant owner: "Stripe needs the owner's date of birth by 12 Dec", not `individual.dob.day`.
//!
//! Input is the account JSON as Stripe returns it (API 2023-08-16): `requirements` and
//! `future_requirements`, each with `currently_due`, `eventually_due`, `past_due`,
//! `pending_verification`, `current_deadline`, `disabled_reason`, `errors` and `alternatives`.
//! Paths Stripe lists field by field (`individual.dob.day`, `.month`, `.year`) become one item.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use specta::Type;

use super::status::reason_in_words;

/// How soon Stripe needs an item, most urgent first (the order items are listed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RequirementUrgency {
    /// Not given by the deadline: charges or payouts are already paused for it.
    PastDue,
    /// Needed now, by `current_deadline` when there is one.
    DueNow,
    /// Given; Stripe is checking it.
    BeingVerified,
    /// Needed once the restaurant's volume reaches Stripe's next threshold.
    DueEventually,
}

impl RequirementUrgency {
    pub fn label(self) -> &'static str {
        match self {
            RequirementUrgency::PastDue => "Past due",
            RequirementUrgency::DueNow => "Due now",
            RequirementUrgency::BeingVerified => "Being verified",
            RequirementUrgency::DueEventually => "Due eventually",
        }
    }
}

/// One thing Stripe needs (several of Stripe's paths when they are parts of one thing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Requirement {
    /// The item's path: Stripe's own for a single field, the common prefix for a group
    /// (`individual.dob` for `individual.dob.day`, `.month` and `.year`).
    pub path: String,
    /// Stripe's paths behind this item, as listed.
    pub fields: Vec<String>,
    /// "the owner's date of birth".
    pub what: String,
    pub urgency: RequirementUrgency,
    pub urgency_label: String,
    /// "Stripe needs the owner's date of birth by 12 Dec".
    pub sentence: String,
    /// Why Stripe refused what was given, in Stripe's words (`requirements.errors[].reason`).
    pub problem: Option<String>,
    /// What Stripe accepts instead (`requirements.alternatives`), in words.
    pub or_instead: Vec<String>,
}

/// An account's requirements, ready for the list (counts, nearest deadline, summary) and the
/// detail screen (every item with its sentence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RequirementsView {
    /// Past due first, then due now, being verified, due eventually.
    pub items: Vec<Requirement>,
    /// Requirements Stripe announced for a coming change of its rules (`future_requirements`).
    pub future: Vec<Requirement>,
    /// Stripe's code, e.g. `requirements.past_due`.
    pub disabled_reason: Option<String>,
    pub disabled_in_words: Option<String>,
    /// Items past due or due now (past due included).
    pub due_count: u32,
    pub past_due_count: u32,
    pub being_verified_count: u32,
    pub eventually_due_count: u32,
    /// Unix seconds by which the items due now must be given.
    #[specta(type = Option<specta_typescript::Number>)]
    pub current_deadline: Option<i64>,
    /// The nearest of `current_deadline` and the future requirements' deadline.
    #[specta(type = Option<specta_typescript::Number>)]
    pub nearest_deadline: Option<i64>,
    /// `nearest_deadline` as "12 Dec" (UTC).
    pub nearest_deadline_label: Option<String>,
    /// One line for the accounts list: "2 due by 12 Dec", "1 past due", "Nothing due".
    pub summary: String,
}

/// The requirements of an account JSON, in words. People added to the account (`person_…`
/// paths) are "a person on the account"; [`explain_with_people`] names them.
pub fn explain(account: &Value) -> RequirementsView {
    explain_with_people(account, &HashMap::new())
}

/// As [`explain`], with the names of the account's persons by ID (from `/v1/accounts/{id}/persons`).
pub fn explain_with_people(account: &Value, people: &HashMap<String, String>) -> RequirementsView {
    let req = &account["requirements"];
    let future_req = &account["future_requirements"];
    let charges = account["charges_enabled"].as_bool().unwrap_or(false);
    let payouts = account["payouts_enabled"].as_bool().unwrap_or(false);
    let until = consequence(charges, payouts);
    let current_deadline = req["current_deadline"].as_i64();
    let future_deadline = future_req["current_deadline"].as_i64();

    let items = collect(req, people, |urgency, what, problem| match urgency {
        // The badge says it is past due; the sentence says what waits for it.
        RequirementUrgency::PastDue => format!("Stripe needs {what} {until}"),
        RequirementUrgency::DueNow => {
            let again = if problem { " again" } else { "" };
            match current_deadline {
                Some(t) => format!("Stripe needs {what}{again} by {}", day_month(t)),
                None => format!("Stripe needs {what}{again} {until}"),
            }
        }
        RequirementUrgency::BeingVerified => format!("Stripe is checking {what}"),
        RequirementUrgency::DueEventually => format!("Stripe will need {what} later, once the restaurant's sales grow"),
    });
    let future = collect(future_req, people, |_, what, _| match future_deadline {
        Some(t) => format!("Stripe's rules change on {}: it will need {what}", day_month(t)),
        None => format!("Stripe's rules are changing: it will need {what}"),
    });

    let count = |u: RequirementUrgency| items.iter().filter(|i| i.urgency == u).count() as u32;
    let past_due_count = count(RequirementUrgency::PastDue);
    let due_count = past_due_count + count(RequirementUrgency::DueNow);
    let being_verified_count = count(RequirementUrgency::BeingVerified);
    let eventually_due_count = count(RequirementUrgency::DueEventually);
    let nearest_deadline =
        match (current_deadline.filter(|_| due_count > 0), future_deadline.filter(|_| !future.is_empty())) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    let by = current_deadline.map(|t| format!(" by {}", day_month(t))).unwrap_or_default();
    let summary = if past_due_count > 0 && due_count > past_due_count {
        format!("{past_due_count} past due, {} more due{by}", due_count - past_due_count)
    } else if past_due_count > 0 {
        format!("{past_due_count} past due")
    } else if due_count > 0 {
        format!("{due_count} due{by}")
    } else if being_verified_count > 0 {
        format!("Stripe is checking {}", things(being_verified_count))
    } else if eventually_due_count > 0 {
        format!("Nothing due now; {} later", things(eventually_due_count))
    } else {
        "Nothing due".into()
    };
    let disabled_reason = req["disabled_reason"].as_str().filter(|r| !r.is_empty()).map(str::to_string);
    RequirementsView {
        disabled_in_words: disabled_reason.as_deref().map(disabled_in_words),
        disabled_reason,
        items,
        future,
        due_count,
        past_due_count,
        being_verified_count,
        eventually_due_count,
        current_deadline,
        nearest_deadline,
        nearest_deadline_label: nearest_deadline.map(day_month),
        summary,
    }
}

/// `disabled_reason` in words: the codes [`reason_in_words`] knows, and those it does not.
pub fn disabled_in_words(reason: &str) -> String {
    match reason {
        "action_required.requested_capabilities" => "A capability the platform asked for needs action".into(),
        "rejected.incomplete_verification" => "Rejected by Stripe (verification was never completed)".into(),
        "rejected.platform_fraud" => "Rejected by the platform (suspected fraud)".into(),
        "rejected.platform_terms_of_service" => "Rejected by the platform (terms of service)".into(),
        "rejected.platform_other" => "Rejected by the platform".into(),
        "paused.inactivity" => "Paused by Stripe after a long time without activity".into(),
        "other" => "Restricted by Stripe; Stripe support can say why".into(),
        known => reason_in_words(known),
    }
}

/// What is held up until the items are given, from what the account can do today.
fn consequence(charges: bool, payouts: bool) -> &'static str {
    match (charges, payouts) {
        (false, false) => "before the restaurant can take payments or receive payouts",
        (true, false) => "before it can pay out",
        (false, true) => "before the restaurant can take payments",
        (true, true) => "to keep payments and payouts running",
    }
}

fn day_month(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|d| d.format("%-d %b").to_string()).unwrap_or_default()
}

fn things(n: u32) -> String {
    format!("{n} thing{}", if n == 1 { "" } else { "s" })
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// One requirements object (`requirements` or `future_requirements`) as items, grouped and sorted.
fn collect(
    req: &Value,
    people: &HashMap<String, String>,
    sentence: impl Fn(RequirementUrgency, &str, bool) -> String,
) -> Vec<Requirement> {
    let errors: Vec<(String, String)> = req["errors"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .filter_map(|e| {
                    let field = e["requirement"].as_str()?.to_string();
                    let reason = e["reason"].as_str().filter(|r| !r.is_empty()).map(str::to_string);
                    let reason = reason.or_else(|| e["code"].as_str().map(|c| capitalise(&c.replace('_', " "))))?;
                    Some((field, reason))
                })
                .collect()
        })
        .unwrap_or_default();
    // Each path once, at its most urgent; an errored path Stripe forgot to list is due now.
    let mut paths: Vec<(String, RequirementUrgency)> = Vec::new();
    let lists = [
        ("past_due", RequirementUrgency::PastDue),
        ("currently_due", RequirementUrgency::DueNow),
        ("pending_verification", RequirementUrgency::BeingVerified),
        ("eventually_due", RequirementUrgency::DueEventually),
    ];
    let listed = lists.iter().flat_map(|(key, u)| strings(&req[*key]).into_iter().map(move |p| (p, *u)));
    for (path, urgency) in listed.chain(errors.iter().map(|(p, _)| (p.clone(), RequirementUrgency::DueNow))) {
        if !paths.iter().any(|(p, _)| *p == path) {
            paths.push((path, urgency));
        }
    }
    let alternatives: Vec<(Vec<String>, Vec<String>)> = req["alternatives"]
        .as_array()
        .map(|alts| {
            alts.iter().map(|a| (strings(&a["original_fields_due"]), strings(&a["alternative_fields_due"]))).collect()
        })
        .unwrap_or_default();

    let mut items: Vec<Requirement> = Vec::new();
    for (field, urgency) in paths {
        let group = group_of(&field);
        // Paths arrive most urgent first, so a group takes the urgency of its most urgent part.
        if let Some(item) = items.iter_mut().find(|i| i.path == group) {
            item.fields.push(field);
            continue;
        }
        items.push(Requirement {
            what: words(&group, people),
            path: group,
            fields: vec![field],
            urgency,
            urgency_label: urgency.label().into(),
            sentence: String::new(),
            problem: None,
            or_instead: Vec::new(),
        });
    }
    for item in &mut items {
        let problems: Vec<&str> =
            errors.iter().filter(|(p, _)| item.fields.contains(p)).map(|(_, r)| r.as_str()).collect();
        item.problem = (!problems.is_empty()).then(|| problems.join(" "));
        for (originals, instead) in &alternatives {
            if originals.iter().any(|o| item.fields.contains(o)) {
                for alt in instead {
                    let w = words(&group_of(alt), people);
                    if w != item.what && !item.or_instead.contains(&w) {
                        item.or_instead.push(w);
                    }
                }
            }
        }
        item.sentence = sentence(item.urgency, &item.what, item.problem.is_some());
    }
    items.sort_by_key(|i| i.urgency);
    items
}

/// Parts of one thing Stripe lists separately: the date of birth's day, month and year, an
/// address's lines, the terms' date and IP, a document's files.
fn group_of(path: &str) -> String {
    const WHOLES: &str = "dob address address_kana address_kanji registered_address support_address \
                          ownership_declaration annual_revenue monthly_estimated_revenue tos_acceptance";
    let segments: Vec<&str> = path.split('.').collect();
    if segments.first() == Some(&"documents") && segments.len() > 2 {
        return segments[..2].join(".");
    }
    match segments.iter().position(|s| WHOLES.split_whitespace().any(|w| w == *s)) {
        Some(i) => segments[..=i].join("."),
        None => path.to_string(),
    }
}

/// Whose detail a path is about, as a possessive ("the owner's") or, for people the account
/// lists without a name here, an "of" phrase.
enum Whose {
    Possessive(String),
    Of(&'static str),
}

impl Whose {
    fn apply(&self, thing: &str) -> String {
        match self {
            Whose::Possessive(p) => format!("{p} {thing}"),
            Whose::Of(of) => format!("the {thing} of {of}"),
        }
    }
}

fn person(prefix: &str, people: &HashMap<String, String>) -> Option<Whose> {
    Some(match prefix {
        // For an individual (sole trader) account the individual is the restaurant's owner.
        "individual" => Whose::Possessive("the owner's".into()),
        "representative" => Whose::Possessive("the representative's".into()),
        "owners" => Whose::Possessive("an owner's".into()),
        "directors" => Whose::Possessive("a director's".into()),
        "executives" => Whose::Possessive("an executive's".into()),
        id if id.starts_with("person_") => match people.get(id) {
            Some(name) => Whose::Possessive(format!("{name}'s")),
            None => Whose::Of("a person on the account"),
        },
        _ => return None,
    })
}

/// A person's detail, without whose it is.
fn person_field(field: &str) -> Option<&'static str> {
    Some(match field {
        "first_name" => "first name",
        "last_name" => "last name",
        "maiden_name" => "maiden name",
        "full_name_aliases" => "other names",
        "dob" => "date of birth",
        "address" => "home address",
        "registered_address" => "registered address",
        "email" => "email address",
        "phone" => "phone number",
        "gender" => "gender",
        "nationality" => "nationality",
        "id_number" => "ID number (such as a Social Security or national insurance number)",
        "id_number_secondary" => "second ID number",
        "ssn_last_4" => "last 4 digits of the Social Security number",
        "political_exposure" => "answer on holding public office",
        "verification.document" => "ID document",
        "verification.additional_document" => "proof of address (a second document)",
        "relationship.title" => "job title",
        "relationship.owner" => "ownership of the business",
        "relationship.percent_ownership" => "share of ownership",
        "relationship.director" => "role as director",
        "relationship.executive" => "role as executive",
        "relationship.representative" => "role as representative",
        "documents.passport" => "passport",
        "documents.visa" => "visa",
        "documents.company_authorization" => "letter of authorisation from the business",
        _ => return None,
    })
}

fn company_field(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "the business's legal name",
        "address" => "the business's address",
        "phone" => "the business's phone number",
        "tax_id" => "the business's tax ID",
        "tax_id_registrar" => "the office that registered the business's tax ID",
        "vat_id" => "the business's VAT number",
        "registration_number" => "the business's registration number",
        "verification.document" => "a document proving the business is registered",
        "owners_provided" => "confirmation that every owner has been added",
        "directors_provided" => "confirmation that every director has been added",
        "executives_provided" => "confirmation that every executive has been added",
        "ownership_declaration" => "a declaration that the business's ownership details are correct",
        _ => return None,
    })
}

fn account_field(path: &str) -> Option<&'static str> {
    Some(match path {
        "external_account" => "a bank account for payouts",
        "business_type" => "the kind of business (individual, company, non-profit)",
        "tos_acceptance" => "acceptance of Stripe's terms of service",
        "business_profile.mcc" => "the business's category (MCC)",
        // Stripe accepts a description of what is sold instead of a website.
        "business_profile.url" => "the business's website or product description",
        "business_profile.product_description" => "a description of what the business sells",
        "business_profile.name" => "the business's name as customers know it",
        "business_profile.support_phone" => "a phone number for customers",
        "business_profile.support_email" => "an email address for customers",
        "business_profile.support_url" => "a support web page for customers",
        "business_profile.support_address" => "an address for customers",
        "business_profile.annual_revenue" => "the business's annual revenue",
        "business_profile.monthly_estimated_revenue" => "the business's estimated monthly sales",
        "business_profile.estimated_worker_count" => "how many people work for the business",
        "settings.payments.statement_descriptor" => "the name shown on customers' card statements",
        "settings.card_payments.statement_descriptor_prefix" => "the short name shown on customers' card statements",
        "settings.payouts.statement_descriptor" => "the name shown on the restaurant's bank statement",
        "documents.bank_account_ownership_verification" => {
            "a document proving the bank account belongs to the business"
        }
        "documents.company_license" => "the business's licence",
        "documents.company_memorandum_of_association" => "the business's memorandum of association",
        "documents.company_ministerial_decree" => "the ministerial decree that set the business up",
        "documents.company_registration_verification" => "a document proving the business is registered",
        "documents.company_tax_id_verification" => "a document proving the business's tax ID",
        "documents.proof_of_registration" => "proof of the business's registration",
        _ => return None,
    })
}

/// A path (or group path) in words; unknown paths become readable words, never the bare path.
fn words(path: &str, people: &HashMap<String, String>) -> String {
    if let Some(w) = account_field(path) {
        return w.into();
    }
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    if let Some(whose) = person(head, people) {
        return whose.apply(&person_field(rest).map(str::to_string).unwrap_or_else(|| plain(rest)));
    }
    if head == "company" {
        if let Some(w) = company_field(rest) {
            return w.into();
        }
    }
    if head.starts_with("interv_") {
        return "an answer to a question Stripe asked the restaurant".into();
    }
    // `settings.card_issuing.tos_acceptance` and the like: terms of a particular product.
    if head == "settings" && path.ends_with(".tos_acceptance") {
        return format!("acceptance of Stripe's {} terms", plain(rest.trim_end_matches(".tos_acceptance")));
    }
    let whose = match head {
        "company" => "the company's",
        "business_profile" => "the business's",
        "settings" => "the account's",
        "documents" => "the account's",
        _ => return format!("the account's {}", plain(path)),
    };
    format!("{whose} {}", plain(rest))
}

/// Path segments as words: `structure` → "structure", `support_url` → "support url",
/// `verification.document` → "verification document"; Stripe's `files` suffix is dropped.
fn plain(path: &str) -> String {
    path.split('.')
        .filter(|s| !s.is_empty() && *s != "files")
        .map(|s| s.replace('_', " "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// 12 Dec 2025, 00:00 UTC.
    const DEC_12: i64 = 1_765_497_600;

    fn what(path: &str) -> String {
        words(&group_of(path), &HashMap::new())
    }

    #[test]
    fn common_paths_in_words() {
        assert_eq!(what("individual.dob.day"), "the owner's date of birth");
        assert_eq!(what("external_account"), "a bank account for payouts");
        assert_eq!(what("company.tax_id"), "the business's tax ID");
        assert_eq!(what("tos_acceptance.date"), "acceptance of Stripe's terms of service");
        assert_eq!(what("representative.verification.document"), "the representative's ID document");
        assert_eq!(what("business_profile.url"), "the business's website or product description");
        assert_eq!(what("business_profile.mcc"), "the business's category (MCC)");
        assert_eq!(what("company.address.line1"), "the business's address");
        assert_eq!(what("individual.phone"), "the owner's phone number");
        assert_eq!(what("owners.first_name"), "an owner's first name");
        assert_eq!(what("directors.dob.year"), "a director's date of birth");
        assert_eq!(what("executives.relationship.title"), "an executive's job title");
        assert_eq!(what("person_1AbCdEf.address.city"), "the home address of a person on the account");
        assert_eq!(what("settings.payments.statement_descriptor"), "the name shown on customers' card statements");
        assert_eq!(what("company.owners_provided"), "confirmation that every owner has been added");
        assert_eq!(
            what("documents.bank_account_ownership_verification.files"),
            "a document proving the bank account belongs to the business"
        );
    }

    #[test]
    fn unknown_paths_become_readable_words() {
        assert_eq!(what("company.structure"), "the company's structure");
        assert_eq!(what("individual.verification.proof_of_liveness"), "the owner's verification proof of liveness");
        assert_eq!(what("business_profile.shipping_policy"), "the business's shipping policy");
        assert_eq!(what("settings.card_issuing.tos_acceptance.date"), "acceptance of Stripe's card issuing terms");
        assert_eq!(what("documents.something_new.files"), "the account's something new");
        assert_eq!(what("brand_new_thing"), "the account's brand new thing");
        assert_eq!(what("interv_abc123.attestation"), "an answer to a question Stripe asked the restaurant");
    }

    #[test]
    fn named_people_are_named() {
        let people = HashMap::from([("person_1Maria".to_string(), "Maria Rossi".to_string())]);
        assert_eq!(words("person_1Maria.dob", &people), "Maria Rossi's date of birth");
    }

    #[test]
    fn a_restricted_account_explained() {
        use RequirementUrgency::*;
        let dob = ["individual.dob.day", "individual.dob.month", "individual.dob.year"];
        let due = [&dob[..], &["external_account", "individual.verification.document"]].concat();
        let error = json!({"requirement": "individual.verification.document",
            "code": "verification_document_expired", "reason": "The ID document has expired."});
        let eventually = [&due[..], &["individual.id_number"]].concat();
        let account = json!({
            "id": "acct_1", "charges_enabled": true, "payouts_enabled": false,
            "requirements": {
                "current_deadline": DEC_12, "currently_due": due, "past_due": ["external_account"],
                "eventually_due": eventually,
                "pending_verification": ["individual.address.line1"], "disabled_reason": "requirements.past_due",
                "errors": [error], "alternatives": []
            },
            "future_requirements": {"currently_due": [], "eventually_due": [], "past_due": [], "errors": []}
        });
        let view = explain(&account);
        let rows: Vec<(&str, RequirementUrgency, &str)> =
            view.items.iter().map(|i| (i.path.as_str(), i.urgency, i.sentence.as_str())).collect();
        let id_number = "Stripe will need the owner's ID number (such as a Social Security or national insurance \
                         number) later, once the restaurant's sales grow";
        assert_eq!(
            rows,
            [
                ("external_account", PastDue, "Stripe needs a bank account for payouts before it can pay out"),
                ("individual.dob", DueNow, "Stripe needs the owner's date of birth by 12 Dec"),
                ("individual.verification.document", DueNow, "Stripe needs the owner's ID document again by 12 Dec"),
                ("individual.address", BeingVerified, "Stripe is checking the owner's home address"),
                ("individual.id_number", DueEventually, id_number),
            ]
        );
        assert_eq!(view.items[1].fields, dob);
        assert_eq!(view.items[2].problem.as_deref(), Some("The ID document has expired."));
        let counts = (view.due_count, view.past_due_count, view.being_verified_count, view.eventually_due_count);
        assert_eq!(counts, (3, 1, 1, 1));
        assert_eq!(view.disabled_in_words.as_deref(), Some("Information Stripe asked for is overdue"));
        assert_eq!((view.current_deadline, view.nearest_deadline), (Some(DEC_12), Some(DEC_12)));
        assert_eq!(view.nearest_deadline_label.as_deref(), Some("12 Dec"));
        assert_eq!(view.summary, "1 past due, 2 more due by 12 Dec");
    }

    #[test]
    fn without_a_deadline_the_sentence_says_what_waits() {
        let instead = json!({"original_fields_due": ["business_profile.url"],
            "alternative_fields_due": ["business_profile.product_description"]});
        let account = json!({
            "charges_enabled": false, "payouts_enabled": false,
            "requirements": {"currently_due": ["business_profile.url", "tos_acceptance.date", "tos_acceptance.ip"],
                "alternatives": [instead]}
        });
        let view = explain(&account);
        assert_eq!(view.items.len(), 2);
        let sentence = "Stripe needs the business's website or product description before the restaurant can take \
                        payments or receive payouts";
        assert_eq!(view.items[0].sentence, sentence);
        assert_eq!(view.items[0].or_instead, ["a description of what the business sells"]);
        assert_eq!(view.items[1].fields, ["tos_acceptance.date", "tos_acceptance.ip"]);
        assert_eq!((view.summary.as_str(), view.current_deadline, view.disabled_reason), ("2 due", None, None));
    }

    #[test]
    fn future_requirements_and_quiet_accounts() {
        let account = json!({
            "charges_enabled": true, "payouts_enabled": true,
            "requirements": {"currently_due": [], "eventually_due": ["company.tax_id"], "past_due": [],
                "pending_verification": [], "current_deadline": null, "disabled_reason": null},
            "future_requirements": {"current_deadline": DEC_12, "currently_due": ["representative.dob.day"]}
        });
        let view = explain(&account);
        assert_eq!(view.summary, "Nothing due now; 1 thing later");
        assert_eq!(
            view.future[0].sentence,
            "Stripe's rules change on 12 Dec: it will need the representative's date of birth"
        );
        assert_eq!(view.nearest_deadline, Some(DEC_12));
        let empty = explain(&json!({"id": "acct_2"}));
        assert_eq!((empty.summary.as_str(), empty.items.len(), empty.nearest_deadline), ("Nothing due", 0, None));
        let checking =
            explain(&json!({"requirements": {"pending_verification": ["company.tax_id", "individual.dob.day"]}}));
        assert_eq!(checking.summary, "Stripe is checking 2 things");
    }

    #[test]
    fn disabled_reasons_in_words() {
        assert_eq!(disabled_in_words("rejected.fraud"), "Rejected by Stripe (suspected fraud)");
        assert_eq!(
            disabled_in_words("action_required.requested_capabilities"),
            "A capability the platform asked for needs action"
        );
        assert_eq!(
            disabled_in_words("rejected.incomplete_verification"),
            "Rejected by Stripe (verification was never completed)"
        );
        assert!(!disabled_in_words("something.new").contains('.'));
    }
}
