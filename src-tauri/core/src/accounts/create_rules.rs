//! The create-account form, checked before anything is sent to Stripe.
//!
//! Stripe refuses a bad combination with one terse error at a time; checking here names every
//! problem at once, next to its field, and sends nothing (no key is spent, nothing is audited as
//! attempted). Stripe stays the final judge: what passes here can still be refused there.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::mcc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Standard,
    Express,
    Custom,
}

impl AccountType {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Standard => "standard",
            AccountType::Express => "express",
            AccountType::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BusinessType {
    Individual,
    Company,
    NonProfit,
    GovernmentEntity,
}

impl BusinessType {
    pub fn as_str(self) -> &'static str {
        match self {
            BusinessType::Individual => "individual",
            BusinessType::Company => "company",
            BusinessType::NonProfit => "non_profit",
            BusinessType::GovernmentEntity => "government_entity",
        }
    }
}

/// What the restaurant will be able to do: take cards itself, and receive the platform's transfers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CapabilityRequest {
    #[serde(default)]
    pub card_payments: bool,
    #[serde(default)]
    pub transfers: bool,
}

/// The form as the screen sends it, unchecked.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct AccountForm {
    pub account_type: AccountType,
    pub business_type: BusinessType,
    /// ISO 3166-1 alpha-2, any case.
    pub country: String,
    pub email: String,
    pub business_name: String,
    /// Four digits, from [`mcc::RESTAURANT_MCCS`].
    pub mcc: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub capabilities: CapabilityRequest,
}

/// One thing wrong with the form: the field (as named in [`AccountForm`]) and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FormProblem {
    pub field: String,
    pub message: String,
}

/// A form that passed every check, trimmed and normalised; what [`form_params`] sends and what
/// the confirmation restates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
// TypeScript names are global; "Checked" alone would say nothing there (serde ignores it for JSON).
#[serde(rename = "CheckedAccountForm")]
pub struct Checked {
    pub account_type: AccountType,
    pub business_type: BusinessType,
    /// Upper case.
    pub country: String,
    pub country_name: String,
    pub email: String,
    pub business_name: String,
    pub mcc: String,
    pub mcc_name: String,
    pub url: Option<String>,
    pub capabilities: CapabilityRequest,
    /// The country is reached only by cross-border payouts: the account signs Stripe's recipient
    /// service agreement (transfers only, no card payments, no Stripe Dashboard of its own).
    pub recipient_agreement: bool,
}

/// How far Stripe Connect reaches into a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// One of Stripe's own markets: any account type, card payments and transfers.
    Market,
    /// Cross-border payouts only: express or custom accounts under the recipient service
    /// agreement, receiving transfers.
    Recipient,
}

// Source: Stripe's global availability page (https://stripe.com/global) for the markets, and the
// supported-countries list of "Cross-border payouts" (https://docs.stripe.com/connect/cross-border-payouts,
// offered to US platforms) for recipient-only countries, both as published in 2025. India and
// Indonesia are listed as recipients: Stripe onboards businesses there by invitation only.
// Stripe adds countries over time; a new one needs a line here before the form accepts it.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &str, Reach)] = &[
    ("AE", "United Arab Emirates", Reach::Market), ("AT", "Austria", Reach::Market),
    ("AU", "Australia", Reach::Market), ("BE", "Belgium", Reach::Market),
    ("BG", "Bulgaria", Reach::Market), ("BR", "Brazil", Reach::Market),
    ("CA", "Canada", Reach::Market), ("CH", "Switzerland", Reach::Market),
    ("CY", "Cyprus", Reach::Market), ("CZ", "Czech Republic", Reach::Market),
    ("DE", "Germany", Reach::Market), ("DK", "Denmark", Reach::Market),
    ("EE", "Estonia", Reach::Market), ("ES", "Spain", Reach::Market),
    ("FI", "Finland", Reach::Market), ("FR", "France", Reach::Market),
    ("GB", "United Kingdom", Reach::Market), ("GI", "Gibraltar", Reach::Market),
    ("GR", "Greece", Reach::Market), ("HK", "Hong Kong", Reach::Market),
    ("HR", "Croatia", Reach::Market), ("HU", "Hungary", Reach::Market),
    ("IE", "Ireland", Reach::Market), ("IT", "Italy", Reach::Market),
    ("JP", "Japan", Reach::Market), ("LI", "Liechtenstein", Reach::Market),
    ("LT", "Lithuania", Reach::Market), ("LU", "Luxembourg", Reach::Market),
    ("LV", "Latvia", Reach::Market), ("MT", "Malta", Reach::Market),
    ("MX", "Mexico", Reach::Market), ("MY", "Malaysia", Reach::Market),
    ("NL", "Netherlands", Reach::Market), ("NO", "Norway", Reach::Market),
    ("NZ", "New Zealand", Reach::Market), ("PL", "Poland", Reach::Market),
    ("PT", "Portugal", Reach::Market), ("RO", "Romania", Reach::Market),
    ("SE", "Sweden", Reach::Market), ("SG", "Singapore", Reach::Market),
    ("SI", "Slovenia", Reach::Market), ("SK", "Slovakia", Reach::Market),
    ("TH", "Thailand", Reach::Market), ("US", "United States", Reach::Market),
    ("AG", "Antigua and Barbuda", Reach::Recipient), ("AL", "Albania", Reach::Recipient),
    ("AM", "Armenia", Reach::Recipient), ("AO", "Angola", Reach::Recipient),
    ("AR", "Argentina", Reach::Recipient), ("AZ", "Azerbaijan", Reach::Recipient),
    ("BA", "Bosnia and Herzegovina", Reach::Recipient), ("BD", "Bangladesh", Reach::Recipient),
    ("BH", "Bahrain", Reach::Recipient), ("BJ", "Benin", Reach::Recipient),
    ("BN", "Brunei", Reach::Recipient), ("BO", "Bolivia", Reach::Recipient),
    ("BS", "Bahamas", Reach::Recipient), ("BT", "Bhutan", Reach::Recipient),
    ("BW", "Botswana", Reach::Recipient), ("CI", "Côte d’Ivoire", Reach::Recipient),
    ("CL", "Chile", Reach::Recipient), ("CO", "Colombia", Reach::Recipient),
    ("CR", "Costa Rica", Reach::Recipient), ("DO", "Dominican Republic", Reach::Recipient),
    ("DZ", "Algeria", Reach::Recipient), ("EC", "Ecuador", Reach::Recipient),
    ("EG", "Egypt", Reach::Recipient), ("ET", "Ethiopia", Reach::Recipient),
    ("GA", "Gabon", Reach::Recipient), ("GH", "Ghana", Reach::Recipient),
    ("GM", "Gambia", Reach::Recipient), ("GT", "Guatemala", Reach::Recipient),
    ("GY", "Guyana", Reach::Recipient), ("ID", "Indonesia", Reach::Recipient),
    ("IL", "Israel", Reach::Recipient), ("IN", "India", Reach::Recipient),
    ("IS", "Iceland", Reach::Recipient), ("JM", "Jamaica", Reach::Recipient),
    ("JO", "Jordan", Reach::Recipient), ("KE", "Kenya", Reach::Recipient),
    ("KH", "Cambodia", Reach::Recipient), ("KR", "South Korea", Reach::Recipient),
    ("KW", "Kuwait", Reach::Recipient), ("KZ", "Kazakhstan", Reach::Recipient),
    ("LA", "Laos", Reach::Recipient), ("LC", "Saint Lucia", Reach::Recipient),
    ("LK", "Sri Lanka", Reach::Recipient), ("MA", "Morocco", Reach::Recipient),
    ("MC", "Monaco", Reach::Recipient), ("MD", "Moldova", Reach::Recipient),
    ("MG", "Madagascar", Reach::Recipient), ("MK", "North Macedonia", Reach::Recipient),
    ("MN", "Mongolia", Reach::Recipient), ("MO", "Macao", Reach::Recipient),
    ("MU", "Mauritius", Reach::Recipient), ("MZ", "Mozambique", Reach::Recipient),
    ("NA", "Namibia", Reach::Recipient), ("NE", "Niger", Reach::Recipient),
    ("NG", "Nigeria", Reach::Recipient), ("OM", "Oman", Reach::Recipient),
    ("PA", "Panama", Reach::Recipient), ("PE", "Peru", Reach::Recipient),
    ("PH", "Philippines", Reach::Recipient), ("PK", "Pakistan", Reach::Recipient),
    ("PY", "Paraguay", Reach::Recipient), ("QA", "Qatar", Reach::Recipient),
    ("RS", "Serbia", Reach::Recipient), ("RW", "Rwanda", Reach::Recipient),
    ("SA", "Saudi Arabia", Reach::Recipient), ("SM", "San Marino", Reach::Recipient),
    ("SN", "Senegal", Reach::Recipient), ("SV", "El Salvador", Reach::Recipient),
    ("TN", "Tunisia", Reach::Recipient), ("TR", "Türkiye", Reach::Recipient),
    ("TT", "Trinidad and Tobago", Reach::Recipient), ("TW", "Taiwan", Reach::Recipient),
    ("TZ", "Tanzania", Reach::Recipient), ("UY", "Uruguay", Reach::Recipient),
    ("UZ", "Uzbekistan", Reach::Recipient), ("VN", "Vietnam", Reach::Recipient),
    ("ZA", "South Africa", Reach::Recipient),
];

/// A country the form offers, for its picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CountryOption {
    pub code: String,
    pub name: String,
    /// Standard accounts and card payments are possible (one of Stripe's markets).
    pub card_payments: bool,
}

/// Every country an account can be created in, by name.
pub fn countries() -> Vec<CountryOption> {
    let mut all: Vec<CountryOption> = COUNTRIES
        .iter()
        .map(|(code, name, reach)| CountryOption {
            code: code.to_string(),
            name: name.to_string(),
            card_payments: *reach == Reach::Market,
        })
        .collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

/// Longest restaurant name accepted. Stripe would take 5,000 characters, but the name shows on
/// receipts, Stripe's pages and this app's lists; a longer one is almost always a paste gone wrong.
pub const MAX_NAME_CHARS: usize = 100;

/// Checks the whole form and returns every problem, or the form ready to send.
pub fn check(form: &AccountForm) -> Result<Checked, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| problems.push(FormProblem { field: field.into(), message });

    let country = form.country.trim().to_ascii_uppercase();
    let reach = COUNTRIES.iter().find(|(code, ..)| *code == country).map(|(_, name, reach)| (*name, *reach));
    match reach {
        _ if country.is_empty() => problem("country", "Choose the country the restaurant is registered in".into()),
        _ if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) => problem(
            "country",
            format!("“{}” is not a country code: use the two letters, like US, GB or FR", form.country.trim()),
        ),
        None => problem(
            "country",
            format!("Stripe Connect cannot open accounts in “{country}”: choose one of the countries in the list"),
        ),
        Some((name, Reach::Recipient)) if form.account_type == AccountType::Standard => problem(
            "account_type",
            format!(
                "Standard accounts need a country where Stripe itself operates; a restaurant in {name} \
                 can only have an express or custom account that receives transfers"
            ),
        ),
        Some(_) => {}
    }

    let caps = form.capabilities;
    let recipient = matches!(reach, Some((_, Reach::Recipient)));
    if recipient && caps.card_payments {
        let name = reach.map(|(n, _)| n).unwrap_or_default();
        problem(
            "capabilities",
            format!(
                "A restaurant in {name} cannot take card payments through Stripe: request transfers only \
                 (the platform pays it across the border)"
            ),
        );
    } else if form.account_type != AccountType::Standard && caps.card_payments && !caps.transfers {
        problem(
            "capabilities",
            "Card payments need transfers too: Stripe refuses card_payments without transfers for express \
             and custom accounts"
                .into(),
        );
    }
    if form.account_type != AccountType::Standard && !caps.card_payments && !caps.transfers {
        problem(
            "capabilities",
            "Request at least one capability: transfers to pay the restaurant, card payments to let it take cards"
                .into(),
        );
    }

    let email = form.email.trim();
    if email.is_empty() {
        problem("email", "Type the owner's email address: Stripe uses it to reach them about the account".into());
    } else if !email_shape_ok(email) {
        problem(
            "email",
            format!("“{email}” is not an email address: it needs a name, an @ and a domain, like owner@restaurant.com"),
        );
    }

    let business_name = match business_name(&form.business_name) {
        Ok(name) => name,
        Err(message) => {
            problem("business_name", message);
            String::new()
        }
    };

    let mcc = match mcc::check(&form.mcc) {
        Ok(m) => Some(m),
        Err(message) => {
            problem("mcc", message);
            None
        }
    };

    let url = form.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = url {
        if let Err(message) = url_problem(u) {
            problem("url", message);
        }
    }

    match (problems.is_empty(), reach, mcc) {
        (true, Some((country_name, _)), Some(mcc)) => Ok(Checked {
            account_type: form.account_type,
            business_type: form.business_type,
            country,
            country_name: country_name.to_string(),
            email: email.to_string(),
            business_name,
            mcc: mcc.code.to_string(),
            mcc_name: mcc.name.to_string(),
            url: url.map(str::to_string),
            capabilities: caps,
            recipient_agreement: recipient,
        }),
        _ => Err(problems),
    }
}

/// The restaurant's name with its spaces tidied, or why it cannot be sent.
pub(super) fn business_name(text: &str) -> Result<String, String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = name.chars().count();
    if name.is_empty() {
        Err("Type the restaurant's name, as customers know it".into())
    } else if chars > MAX_NAME_CHARS {
        Err(format!("The name is {chars} characters long; keep it to {MAX_NAME_CHARS}, as customers see it"))
    } else if name.chars().any(char::is_control) {
        Err("The name contains invisible control characters; type it again".into())
    } else {
        Ok(name)
    }
}

/// A plausible address: one `@`, something before it, a dotted domain after it, no spaces or list
/// separators (a pasted `Name <a@b.com>` or `a@b.com, c@d.com` is refused). Whether the mailbox
/// exists only the owner's inbox can tell.
pub(super) fn email_shape_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\".contains(c);
    let labels: Vec<&str> = domain.split('.').collect();
    email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !email.chars().any(forbidden)
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()))
}

/// The website must be a public https address: Stripe shows it to card holders and checks it
/// during verification, and an http or local address fails there.
pub(super) fn url_problem(text: &str) -> Result<(), String> {
    let example = "like https://downtowngrill.com";
    if !text.contains("://") {
        return Err(format!("Write the whole address, starting with https://, {example}"));
    }
    let parsed = url::Url::parse(text).map_err(|_| format!("“{text}” is not a web address; {example}"))?;
    if parsed.scheme() != "https" {
        return Err(format!("Use the site's https:// address (not {}://), {example}", parsed.scheme()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("The address must not contain a user name or password".into());
    }
    match parsed.host() {
        Some(url::Host::Domain(host)) if host.contains('.') && !host.ends_with(".local") => {}
        _ => return Err(format!("Use the restaurant's public website, {example}")),
    }
    if text.len() > 5000 {
        return Err("The address is longer than Stripe accepts (5,000 characters)".into());
    }
    Ok(())
}

/// Stripe's `POST /v1/accounts` form for a checked form, in a fixed order (easy to read in logs
/// and to compare in tests).
pub fn form_params(checked: &Checked) -> Vec<(String, String)> {
    let mut params = vec![
        ("type".to_string(), checked.account_type.as_str().to_string()),
        ("country".into(), checked.country.clone()),
        ("email".into(), checked.email.clone()),
        ("business_type".into(), checked.business_type.as_str().to_string()),
        ("business_profile[name]".into(), checked.business_name.clone()),
        ("business_profile[mcc]".into(), checked.mcc.clone()),
    ];
    if let Some(url) = &checked.url {
        params.push(("business_profile[url]".into(), url.clone()));
    }
    if checked.capabilities.card_payments {
        params.push(("capabilities[card_payments][requested]".into(), "true".into()));
    }
    if checked.capabilities.transfers {
        params.push(("capabilities[transfers][requested]".into(), "true".into()));
    }
    if checked.recipient_agreement {
        // Without it Stripe applies the full agreement, which it refuses for these countries.
        params.push(("tos_acceptance[service_agreement]".into(), "recipient".into()));
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn form() -> AccountForm {
        AccountForm {
            account_type: AccountType::Express,
            business_type: BusinessType::Company,
            country: "us".into(),
            email: " owner@downtowngrill.com ".into(),
            business_name: "  Downtown   Grill ".into(),
            mcc: "5812".into(),
            url: Some("https://downtowngrill.com".into()),
            capabilities: CapabilityRequest { card_payments: true, transfers: true },
        }
    }

    fn problems(f: &AccountForm) -> Vec<(String, String)> {
        check(f).unwrap_err().into_iter().map(|p| (p.field, p.message)).collect()
    }

    fn only(f: &AccountForm, field: &str) -> String {
        let found = problems(f);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, field);
        found[0].1.clone()
    }

    #[test]
    fn a_good_form_is_normalised_and_sent_as_stripe_expects() {
        let checked = check(&form()).unwrap();
        assert_eq!((checked.country.as_str(), checked.country_name.as_str()), ("US", "United States"));
        assert_eq!(checked.business_name, "Downtown Grill");
        assert_eq!(checked.email, "owner@downtowngrill.com");
        assert_eq!(checked.mcc_name, "Eating places and restaurants");
        let params = form_params(&checked);
        let sent: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            sent,
            [
                ("type", "express"),
                ("country", "US"),
                ("email", "owner@downtowngrill.com"),
                ("business_type", "company"),
                ("business_profile[name]", "Downtown Grill"),
                ("business_profile[mcc]", "5812"),
                ("business_profile[url]", "https://downtowngrill.com"),
                ("capabilities[card_payments][requested]", "true"),
                ("capabilities[transfers][requested]", "true"),
            ]
        );
    }

    #[test]
    fn the_form_deserialises_from_the_screen() {
        let f: AccountForm = serde_json::from_value(serde_json::json!({
            "account_type": "custom", "business_type": "non_profit", "country": "GB",
            "email": "a@b.co", "business_name": "Soup Kitchen", "mcc": "5811",
            "capabilities": { "transfers": true }
        }))
        .unwrap();
        assert_eq!((f.account_type, f.business_type, f.url), (AccountType::Custom, BusinessType::NonProfit, None));
        assert_eq!(f.capabilities, CapabilityRequest { card_payments: false, transfers: true });
    }

    #[test]
    fn refuses_bad_emails() {
        for bad in [
            "owner",
            "owner@",
            "@grill.com",
            "owner@grill",
            "owner@@grill.com",
            "Owner <o@grill.com>",
            "a@b.com, c@d.com",
            "o wner@grill.com",
            "o@grill.c",
        ] {
            let f = AccountForm { email: bad.into(), ..form() };
            assert!(only(&f, "email").contains("is not an email address"), "{bad}");
        }
        assert!(only(&AccountForm { email: " ".into(), ..form() }, "email").starts_with("Type the owner's email"));
        for good in ["o@grill.co", "first.last+tag@mail.grill.co.uk", "chef@xn--caf-dma.fr"] {
            assert!(check(&AccountForm { email: good.into(), ..form() }).is_ok(), "{good}");
        }
    }

    #[test]
    fn refuses_unknown_and_malformed_countries() {
        let country = |c: &str| only(&AccountForm { country: c.into(), ..form() }, "country");
        assert!(country("USA").starts_with("“USA” is not a country code"));
        assert!(country("KP").contains("cannot open accounts in “KP”"));
        assert!(country("").starts_with("Choose the country"));
    }

    #[test]
    fn recipient_countries_take_express_or_custom_with_transfers_only() {
        let transfers = CapabilityRequest { card_payments: false, transfers: true };
        let ar = AccountForm { country: "ar".into(), capabilities: transfers, ..form() };
        let checked = check(&ar).unwrap();
        assert!(checked.recipient_agreement);
        assert_eq!(
            form_params(&checked).last().unwrap(),
            &("tos_acceptance[service_agreement]".to_string(), "recipient".to_string())
        );
        assert!(only(
            &AccountForm { capabilities: CapabilityRequest { card_payments: true, transfers: true }, ..ar.clone() },
            "capabilities"
        )
        .contains("cannot take card payments"));
        let standard = AccountForm { account_type: AccountType::Standard, ..ar };
        assert!(only(&standard, "account_type")
            .starts_with("Standard accounts need a country where Stripe itself operates"));
    }

    #[test]
    fn card_payments_need_transfers_for_express_and_custom() {
        let card_only = CapabilityRequest { card_payments: true, transfers: false };
        for t in [AccountType::Express, AccountType::Custom] {
            let f = AccountForm { account_type: t, capabilities: card_only, ..form() };
            assert!(only(&f, "capabilities").starts_with("Card payments need transfers too"));
            let none = AccountForm { account_type: t, capabilities: CapabilityRequest::default(), ..form() };
            assert!(only(&none, "capabilities").starts_with("Request at least one capability"));
        }
        let standard =
            AccountForm { account_type: AccountType::Standard, capabilities: CapabilityRequest::default(), ..form() };
        let params = form_params(&check(&standard).unwrap());
        assert!(params.iter().all(|(k, _)| !k.starts_with("capabilities")), "Standard accounts get Stripe's defaults");
    }

    #[test]
    fn refuses_bad_mcc_urls_and_names() {
        let mcc = only(&AccountForm { mcc: "abc".into(), ..form() }, "mcc");
        assert_eq!(mcc, "“abc” is not an MCC: MCCs are 4 digits, like 5812");
        let url = |u: &str| only(&AccountForm { url: Some(u.into()), ..form() }, "url");
        assert!(url("http://grill.com").contains("https://"));
        assert!(url("downtowngrill.com").starts_with("Write the whole address"));
        assert!(url("https://localhost:8080").contains("public website"));
        assert!(url("https://bob:pw@grill.com").contains("user name"));
        assert!(url("https://gr ill.com").contains("not a web address"));
        assert_eq!(check(&AccountForm { url: Some("  ".into()), ..form() }).unwrap().url, None);
        let name = |n: String| only(&AccountForm { business_name: n, ..form() }, "business_name");
        assert!(name(" ".into()).starts_with("Type the restaurant's name"));
        assert!(name("x".repeat(101)).contains("101 characters"));
    }

    #[test]
    fn names_every_problem_at_once() {
        let f = AccountForm {
            country: "ZZ".into(),
            email: "nope".into(),
            mcc: "12".into(),
            url: Some("ftp://grill.com".into()),
            business_name: "".into(),
            capabilities: CapabilityRequest { card_payments: true, transfers: false },
            ..form()
        };
        let fields: Vec<String> = problems(&f).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["country", "capabilities", "email", "business_name", "mcc", "url"]);
    }

    #[test]
    fn country_table_has_unique_upper_case_codes() {
        let mut seen = std::collections::HashSet::new();
        for (code, name, _) in COUNTRIES {
            assert!(code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) && !name.is_empty());
            assert!(seen.insert(*code), "{code} twice");
        }
        let list = countries();
        assert_eq!(list.len(), COUNTRIES.len());
        assert!(list.windows(2).all(|w| w[0].name <= w[1].name));
        assert!(list.iter().any(|c| c.code == "US" && c.card_payments));
    }

    /// Every key sent exists in Stripe's OpenAPI description of `POST /v1/accounts` (API
    /// 2023-08-16, the version this app pins), and every enumerated value is one Stripe lists.
    #[test]
    fn every_key_sent_is_in_stripes_spec() {
        let spec: &Value = crate::disputes::evidence::stripe_spec();
        let body = &spec["paths"]["/v1/accounts"]["post"]["requestBody"]["content"]
            ["application/x-www-form-urlencoded"]["schema"];
        assert!(body.is_object());
        let recipient = AccountForm {
            country: "CL".into(),
            capabilities: CapabilityRequest { card_payments: false, transfers: true },
            ..form()
        };
        let mut sent = form_params(&check(&form()).unwrap());
        sent.extend(form_params(&check(&recipient).unwrap()));
        for business_type in
            [BusinessType::Individual, BusinessType::Company, BusinessType::NonProfit, BusinessType::GovernmentEntity]
        {
            for account_type in [AccountType::Standard, AccountType::Express, AccountType::Custom] {
                sent.extend(form_params(&check(&AccountForm { account_type, business_type, ..form() }).unwrap()));
            }
        }
        for (key, value) in sent {
            let mut node = body;
            for segment in key.split(['[', ']']).filter(|s| !s.is_empty()) {
                let found = node["properties"]
                    .get(segment)
                    .or_else(|| node["anyOf"].as_array()?.iter().find_map(|alt| alt["properties"].get(segment)));
                node = found.unwrap_or_else(|| panic!("{key}: no “{segment}” in Stripe's spec"));
            }
            if let Some(allowed) = node["enum"].as_array() {
                assert!(allowed.iter().any(|a| a == value.as_str()), "{key}={value} not in {allowed:?}");
            }
            if node["type"] == "boolean" {
                assert!(value == "true" || value == "false", "{key}={value}");
            }
            if let Some(max) = node["maxLength"].as_u64() {
                assert!(value.chars().count() as u64 <= max, "{key}={value} longer than {max}");
            }
        }
    }
}
