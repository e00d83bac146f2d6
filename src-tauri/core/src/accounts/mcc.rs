//! The merchant category codes (MCCs) a restaurant group picks from when it creates an account.
//!
//! Stripe accepts any of several hundred MCCs in `business_profile.mcc`; a platform for restaurants
//! needs the dozen that describe what its members do, with names people recognise. Offering only
//! these keeps a typo (5821 for 5812) from classifying a restaurant as something it is not, which
//! changes its fees and the checks Stripe runs. Hotels (7011) are deliberately absent: a restaurant
//! inside a hotel is still 5812, and lodging needs its own kind of account.

use serde::Serialize;
use specta::Type;

/// One merchant category code with its name and the words people search it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Mcc {
    /// Four digits, as Stripe's `business_profile.mcc` takes it.
    pub code: &'static str,
    /// The card networks' name, shortened.
    pub name: &'static str,
    /// Who uses it, for the picker's second line and for search.
    pub examples: &'static str,
}

/// The codes offered, most common first (the order the picker shows without a search).
pub const RESTAURANT_MCCS: &[Mcc] = &[
    Mcc {
        code: "5812",
        name: "Eating places and restaurants",
        examples: "restaurant, dining room, bistro, cafe with table service, ghost kitchen",
    },
    Mcc {
        code: "5814",
        name: "Fast food restaurants",
        examples: "quick service, counter service, takeaway, coffee shop, food truck, pizza by the slice",
    },
    Mcc {
        code: "5813",
        name: "Bars, taverns and nightclubs",
        examples: "bar, pub, tavern, cocktail lounge, nightclub, brewery taproom, wine bar",
    },
    Mcc { code: "5811", name: "Caterers", examples: "catering, events, banquets, corporate lunches" },
    Mcc { code: "5462", name: "Bakeries", examples: "bakery, patisserie, doughnuts, bagels, cakes" },
    Mcc {
        code: "5499",
        name: "Miscellaneous food stores",
        examples: "deli, specialty food shop, coffee beans, market stall, convenience food",
    },
    Mcc {
        code: "5441",
        name: "Candy, nut and confectionery stores",
        examples: "sweets, chocolate shop, confectionery",
    },
    Mcc { code: "5451", name: "Dairy products stores", examples: "ice cream, gelato, frozen yogurt, cheese shop" },
    Mcc {
        code: "5422",
        name: "Meat provisioners (butchers)",
        examples: "butcher, meat, fishmonger, seafood, freezer and locker meat",
    },
    Mcc { code: "5411", name: "Grocery stores and supermarkets", examples: "grocery, supermarket, food hall shop" },
    Mcc {
        code: "5921",
        name: "Liquor stores (beer, wine and spirits)",
        examples: "bottle shop, off-licence, wine shop, package store",
    },
    Mcc {
        code: "7997",
        name: "Membership and country clubs",
        examples: "country club, golf club, members' club, club restaurant",
    },
];

/// The codes matching what was typed: digits match the start of a code ("58" finds 5811 to 5814),
/// words match the start of words in the name or examples, case-insensitively, all of them
/// (`fast food`, `PUB`). Empty text lists every code.
pub fn search(text: &str) -> Vec<Mcc> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return RESTAURANT_MCCS.to_vec();
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return RESTAURANT_MCCS.iter().filter(|m| m.code.starts_with(&text)).cloned().collect();
    }
    let wanted: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    RESTAURANT_MCCS
        .iter()
        .filter(|m| {
            let haystack = format!("{} {} {}", m.code, m.name, m.examples).to_lowercase();
            let words: Vec<&str> = haystack.split(|c: char| !c.is_alphanumeric()).collect();
            wanted.iter().all(|w| words.iter().any(|h| h.starts_with(w)))
        })
        .cloned()
        .collect()
}

/// The code typed into the form, if it is one this app offers; otherwise a sentence saying why not.
pub fn check(text: &str) -> Result<&'static Mcc, String> {
    let code = text.trim();
    if code.is_empty() {
        return Err("Choose the restaurant's category (MCC), like 5812 for eating places and restaurants".into());
    }
    if code.len() != 4 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("“{code}” is not an MCC: MCCs are 4 digits, like 5812"));
    }
    RESTAURANT_MCCS.iter().find(|m| m.code == code).ok_or_else(|| {
        format!(
            "{code} is not one of the restaurant categories this app offers: pick one from the list, \
             like 5812 (eating places and restaurants) or 5814 (fast food restaurants)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(found: Vec<Mcc>) -> Vec<&'static str> {
        found.into_iter().map(|m| m.code).collect()
    }

    #[test]
    fn the_list_is_four_digit_codes_without_repeats() {
        let mut seen = std::collections::HashSet::new();
        for m in RESTAURANT_MCCS {
            assert!(m.code.len() == 4 && m.code.chars().all(|c| c.is_ascii_digit()), "{}", m.code);
            assert!(seen.insert(m.code), "{} twice", m.code);
        }
        assert!((12..=16).contains(&RESTAURANT_MCCS.len()));
    }

    #[test]
    fn searches_by_number_prefix() {
        assert_eq!(codes(search("581")), ["5812", "5814", "5813", "5811"]);
        assert_eq!(codes(search(" 5812 ")), ["5812"]);
        assert!(search("9").is_empty());
        assert_eq!(search("").len(), RESTAURANT_MCCS.len());
    }

    #[test]
    fn searches_by_words_in_any_case() {
        assert_eq!(codes(search("PUB")), ["5813"]);
        assert_eq!(codes(search("fast food")), ["5814"]);
        assert_eq!(codes(search("cater")), ["5811"]);
        assert_eq!(codes(search("ice cream")), ["5451"]);
        assert!(codes(search("coffee")).contains(&"5814"));
        assert!(search("plumbing").is_empty());
    }

    #[test]
    fn check_accepts_offered_codes_and_explains_the_rest() {
        assert_eq!(check(" 5812").unwrap().name, "Eating places and restaurants");
        assert_eq!(check("abc").unwrap_err(), "“abc” is not an MCC: MCCs are 4 digits, like 5812");
        assert!(check("581").unwrap_err().contains("4 digits"));
        assert!(check("58120").unwrap_err().contains("4 digits"));
        assert!(check("5a12").unwrap_err().contains("is not an MCC"));
        assert!(check("7011").unwrap_err().starts_with("7011 is not one of the restaurant categories"));
        assert!(check("").unwrap_err().starts_with("Choose"));
    }
}
