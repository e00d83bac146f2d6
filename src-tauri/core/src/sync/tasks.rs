//! What a full sync reads: every list of the platform and of every connected account, each a chain
//! of pages (page N+1 needs page N's cursor). The platform's own lists are long (every
//! application fee of every account), so they are cut into slices by creation time that run as
//! parallel chains.

/// The lists a full sync walks, per scope.
pub const PLATFORM_KINDS: &[&str] = &[
    "balance_transactions",
    "payouts",
    "payment_intents",
    "charges",
    "refunds",
    "disputes",
    "transfers",
    "application_fees",
];
pub const ACCOUNT_KINDS: &[&str] =
    &["balance_transactions", "payouts", "payment_intents", "charges", "refunds", "disputes"];

/// What a previous run got to for one cursor key of a scope: its cursor, and whether it finished.
pub type Saved = Option<(Option<String>, bool)>;

/// Where the moment the slices were cut from is kept (see [`platform_windows`]).
pub const WINDOWS_ANCHOR: &str = "platform_windows_anchor";

/// A slice of a list by `created`: (`gte`, `lt`).
pub type Window = (Option<i64>, Option<i64>);

/// The platform's slices: two days each for the last 32 days, then one slice for older objects.
pub fn platform_windows(now: i64) -> Vec<Window> {
    const DAY: i64 = 86_400;
    let mut windows = vec![(None, Some(now - 64 * DAY)), (Some(now - 64 * DAY), Some(now - 32 * DAY))];
    for i in (0..16).rev() {
        let lt = if i == 0 { None } else { Some(now - i * 2 * DAY) };
        windows.push((Some(now - (i + 1) * 2 * DAY), lt));
    }
    windows
}

/// The next page of one list (or slice), or a single request (`balance`, `events`).
#[derive(Debug, Clone)]
pub struct Task {
    pub scope: String,
    pub kind: &'static str,
    pub after: Option<String>,
    /// A slice of the list by `created`, so one long list runs as parallel chains.
    pub window: Option<Window>,
    /// Where its resume cursor is kept: the kind, plus the window for a slice.
    pub state_key: String,
}

impl Task {
    pub fn new(
        scope: &str,
        kind: &'static str,
        after: Option<String>,
        window: Option<Window>,
        state_key: String,
    ) -> Self {
        Self { scope: scope.to_string(), kind, after, window, state_key }
    }

    /// The page after this one, whose last object was `last`.
    pub fn next(&self, last: String) -> Task {
        Task { after: Some(last), ..self.clone() }
    }

    /// Part of a list of several pages, however many more: a slice of the platform's lists, or a
    /// list already past its first page.
    pub fn chain(&self) -> bool {
        self.window.is_some() || self.after.is_some()
    }
}

/// The tasks of one scope: each of its lists (`windows` cuts each into slices), its balance, and
/// where its events begin. `saved` says what a previous run got to for a cursor key (always `None`
/// for a fresh sync): a list it finished is left out, one it began continues from its cursor, and
/// an events cursor already taken is kept.
pub fn of_scope<E>(
    scope: &str,
    kinds: &[&'static str],
    windows: Option<&[Window]>,
    mut saved: impl FnMut(&str) -> Result<Saved, E>,
) -> Result<Vec<Task>, E> {
    let mut tasks = Vec::new();
    for kind in kinds.iter().copied().chain(["balance"]) {
        let slices: Vec<(Option<Window>, String)> = match windows {
            Some(windows) if kind != "balance" => {
                windows.iter().enumerate().map(|(i, w)| (Some(*w), format!("{kind}#{i}"))).collect()
            }
            _ => vec![(None, kind.to_string())],
        };
        for (window, key) in slices {
            match saved(&key)? {
                Some((_, true)) => {}
                Some((cursor, false)) => tasks.push(Task::new(scope, kind, cursor, window, key)),
                None => tasks.push(Task::new(scope, kind, None, window, key)),
            }
        }
    }
    // Where incremental sync will start: the newest event before this sync read anything.
    if !matches!(saved("events")?, Some((Some(_), _))) {
        tasks.push(Task::new(scope, "events", None, None, "events".into()));
    }
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_resumes_what_was_begun_and_skips_what_was_finished() {
        let fresh = of_scope::<()>("acct_1", &["charges", "refunds"], None, |_| Ok(None)).expect("tasks");
        let kinds: Vec<&str> = fresh.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, ["charges", "refunds", "balance", "events"]);
        assert!(fresh.iter().all(|t| !t.chain()));
        let resumed = of_scope::<()>("acct_1", &["charges", "refunds"], None, |key| {
            Ok(match key {
                "charges" => Some((Some("ch_9".into()), false)),
                "refunds" | "events" => Some((Some("x".into()), true)),
                _ => None,
            })
        })
        .expect("tasks");
        assert_eq!(resumed.len(), 2);
        assert_eq!((resumed[0].kind, resumed[0].after.as_deref(), resumed[0].chain()), ("charges", Some("ch_9"), true));
        let windows = platform_windows(100 * 86_400);
        let platform = of_scope::<()>("", &["transfers"], Some(&windows), |_| Ok(None)).expect("tasks");
        assert_eq!(platform.len(), windows.len() + 2);
        assert_eq!(platform[3].state_key, "transfers#3");
    }
}
