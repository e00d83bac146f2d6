//! A dispute's status and deadline in a manager's words.

use super::views::Urgency;

/// Statuses in which evidence may still be staged or submitted.
pub const NEEDS_RESPONSE: [&str; 2] = ["needs_response", "warning_needs_response"];

pub fn status_label(status: &str) -> String {
    match status {
        "warning_needs_response" => "Inquiry: needs a response".into(),
        "warning_under_review" => "Inquiry: under review".into(),
        "warning_closed" => "Inquiry closed".into(),
        "needs_response" => "Needs a response".into(),
        "under_review" => "Under review".into(),
        "won" => "Won".into(),
        "lost" => "Lost".into(),
        "charge_refunded" => "Closed: payment refunded".into(),
        other => crate::views::capitalise(&other.replace('_', " ")),
    }
}

/// How pressing a dispute in `status`, due at `due_by`, is at `now` (unix seconds).
pub fn urgency(status: &str, due_by: Option<i64>, now: i64) -> Urgency {
    if NEEDS_RESPONSE.contains(&status) {
        match due_by.filter(|d| *d > 0) {
            Some(due) if due <= now => Urgency::Overdue,
            Some(due) if due - now <= 72 * 3600 => Urgency::DueSoon,
            _ => Urgency::Open,
        }
    } else if matches!(status, "under_review" | "warning_under_review") {
        Urgency::UnderReview
    } else {
        Urgency::Closed
    }
}

/// "Due in 2 days", "Due in 5 hours", "Overdue by 3 hours", "With the bank", "Closed".
pub fn due_words(urgency: Urgency, due_by: Option<i64>, now: i64) -> String {
    let span = |seconds: i64| {
        let hours = seconds / 3600;
        if hours >= 48 {
            format!("{} days", hours / 24)
        } else if hours >= 1 {
            format!("{hours} hour{}", if hours == 1 { "" } else { "s" })
        } else {
            let minutes = (seconds / 60).max(1);
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        }
    };
    match (urgency, due_by.filter(|d| *d > 0)) {
        (Urgency::Overdue, Some(due)) => format!("Overdue by {}", span(now - due)),
        (Urgency::DueSoon | Urgency::Open, Some(due)) => format!("Due in {}", span(due - now)),
        (Urgency::DueSoon | Urgency::Open | Urgency::Overdue, None) => "No deadline given".into(),
        (Urgency::UnderReview, _) => "With the bank".into(),
        (Urgency::Closed, _) => "Closed".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_words() {
        let now = 1_000_000;
        assert_eq!(urgency("needs_response", Some(now - 10), now), Urgency::Overdue);
        assert_eq!(urgency("needs_response", Some(now + 3600 * 24), now), Urgency::DueSoon);
        assert_eq!(urgency("warning_needs_response", Some(now + 3600 * 100), now), Urgency::Open);
        assert_eq!(urgency("under_review", Some(now - 10), now), Urgency::UnderReview);
        assert_eq!(urgency("lost", None, now), Urgency::Closed);
        assert_eq!(due_words(Urgency::DueSoon, Some(now + 5 * 3600 + 60), now), "Due in 5 hours");
        assert_eq!(due_words(Urgency::Open, Some(now + 4 * 86_400), now), "Due in 4 days");
        assert_eq!(due_words(Urgency::Overdue, Some(now - 3600), now), "Overdue by 1 hour");
        assert_eq!(status_label("warning_closed"), "Inquiry closed");
    }
}
