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
