-- Version 10: staff refunds. What only this PC knows of each refund it asked for: who issued it,
-- who approved it, the note typed with it; written under the confirmation's key before the refund
-- is sent, so a crash between the two loses nothing. Stripe's refund metadata carries the names
-- too (other PCs read them there); CardPointe keeps no metadata, so there this is the record.
CREATE TABLE refund_records (
    key         TEXT PRIMARY KEY NOT NULL,
    gateway     TEXT NOT NULL,
    restaurant  TEXT NOT NULL,
    payment     TEXT NOT NULL,
    -- The refund's (or void's) ID once known.
    refund      TEXT,
    profile_id  INTEGER,
    issued_by   TEXT NOT NULL,
    approved_by TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX refund_records_by_payment ON refund_records (payment);
CREATE INDEX refund_records_by_refund ON refund_records (refund) WHERE refund IS NOT NULL;
CREATE INDEX refund_records_by_profile ON refund_records (profile_id, created_at);

-- Refunds seen failed after they were made, each notified once per PC.
CREATE TABLE refund_failures_noticed (
    refund     TEXT PRIMARY KEY NOT NULL,
    noticed_at TEXT NOT NULL
) STRICT;
