-- Version 11: disputes. A manager's evidence draft, kept on this PC as they type (one per
-- dispute, so two disputes' drafts never mix) and restored after a restart; and the reminders
-- already shown, once per dispute per threshold (72 and 24 hours before the deadline).
CREATE TABLE dispute_drafts (
    dispute    TEXT PRIMARY KEY NOT NULL,
    account    TEXT NOT NULL,
    -- dine_in, takeaway, delivery, catering.
    order_type TEXT,
    -- JSON object: evidence field → text or file ID.
    fields     TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    -- When it was last staged or submitted to Stripe.
    sent_at    TEXT,
    profile_id INTEGER
) STRICT;

CREATE TABLE dispute_reminders (
    dispute         TEXT NOT NULL,
    threshold_hours INTEGER NOT NULL,
    noticed_at      TEXT NOT NULL,
    PRIMARY KEY (dispute, threshold_hours)
) STRICT;
