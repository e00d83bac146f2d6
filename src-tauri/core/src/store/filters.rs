//! What a screen's query may ask of the cache, independent of the screen: which accounts, and
//! what was typed into a search box.

/// Most rows one page of any list returns, whatever the screen asks for.
pub const MAX_PAGE: u32 = 500;

/// Which accounts a query may return: every one, or a profile's scope.
#[derive(Debug, Clone, Default)]
pub enum Accounts {
    #[default]
    All,
    Only(Vec<String>),
}

impl Accounts {
    /// ` AND {column} IN (?, …)` and its arguments to start a query's conditions with (nothing for
    /// every account), or `None` when no account is in view and the query need not run.
    pub fn condition(&self, column: &str) -> Option<(String, Vec<rusqlite::types::Value>)> {
        match self {
            Accounts::All => Some((String::new(), Vec::new())),
            Accounts::Only(ids) if ids.is_empty() => None,
            Accounts::Only(ids) => Some((
                format!(" AND {column} IN ({})", vec!["?"; ids.len()].join(", ")),
                ids.iter().cloned().map(rusqlite::types::Value::Text).collect(),
            )),
        }
    }
}

/// Adds ` AND created >= ? AND created < ?` for the ends of `[from, until)` that are given.
pub fn created_between(
    sql: &mut String,
    args: &mut Vec<rusqlite::types::Value>,
    from: Option<i64>,
    until: Option<i64>,
) {
    if let Some(from) = from {
        sql.push_str(" AND created >= ?");
        args.push(rusqlite::types::Value::Integer(from));
    }
    if let Some(until) = until {
        sql.push_str(" AND created < ?");
        args.push(rusqlite::types::Value::Integer(until));
    }
}

/// Words shorter than this have no trigram for an FTS5 trigram index to look up.
pub const TRIGRAM: usize = 3;

/// `words` as one FTS5 phrase: with the trigram tokenizer, the rows that hold it anywhere.
pub fn trigram_phrase(words: &str) -> String {
    format!("\"{}\"", words.replace('"', "\"\""))
}

/// What a search box asked for: an ID or its start, an amount, or words.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// `LIKE` pattern for IDs (`po_12%`), escaped.
    pub id_prefix: Option<String>,
    /// The start of an ID as typed (`po_12`), for a range over an index; only with `id_prefix`.
    pub id_start: Option<String>,
    /// The amount in minor units for each possible exponent (`12.50` → 1250, 12500; `500` → 500, 50000, 500000).
    pub amounts: Vec<i64>,
    /// `LIKE` pattern for names and descriptions (`%vine%`), escaped.
    pub words: Option<String>,
    /// What was typed, trimmed: for an index of the words' trigrams.
    pub text: String,
}

impl Search {
    /// Reads what was typed; `None` for nothing.
    pub fn parse(text: Option<&str>) -> Option<Search> {
        let text = text?.trim();
        if text.is_empty() {
            return None;
        }
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let mut search = Search { text: text.to_string(), ..Search::default() };
        let id_like =
            text.len() >= 3 && text.contains('_') && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if id_like {
            search.id_prefix = Some(format!("{escaped}%"));
            search.id_start = Some(text.to_string());
            return Some(search);
        }
        let number: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
        let only_number = text.chars().all(|c| c.is_ascii_digit() || ".,  $€£¥-".contains(c));
        if only_number && !number.is_empty() {
            if let Some((whole, frac)) = number.split_once('.').or(Some((number.as_str(), ""))) {
                for exponent in [0u32, 2, 3] {
                    if frac.len() as u32 <= exponent {
                        let digits = format!("{whole}{frac:0<width$}", width = exponent as usize);
                        if let Ok(n) = digits.parse::<i64>() {
                            search.amounts.push(n);
                        }
                    }
                }
            }
        }
        if search.amounts.is_empty() {
            search.words = Some(format!("%{escaped}%"));
        }
        Some(search)
    }
}

#[cfg(test)]
mod tests {
    use super::Search;

    #[test]
    fn reads_what_was_typed_into_a_search_box() {
        let id = Search::parse(Some(" po_1Ab")).unwrap();
        assert_eq!(id.id_prefix.as_deref(), Some("po\\_1Ab%"));
        assert_eq!(id.id_start.as_deref(), Some("po_1Ab"));
        let amount = Search::parse(Some("$286.30")).unwrap();
        assert_eq!(amount.amounts, [28_630, 286_300]);
        assert_eq!(Search::parse(Some("1,500")).unwrap().amounts, [1_500, 150_000, 1_500_000]);
        let words = Search::parse(Some("Vine 100%")).unwrap();
        assert_eq!((words.words.as_deref(), words.amounts.len()), (Some("%Vine 100\\%%"), 0));
        assert!(Search::parse(Some("  ")).is_none());
    }
}
