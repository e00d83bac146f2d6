-- Version 3: the idempotency journal. Every POST to Stripe is written here, with its key, before it
-- is sent; its outcome is written when known. A row still 'pending' at start-up is an action whose
-- outcome this PC never learned: it is replayed with the same key, so it happens exactly once.
CREATE TABLE idempotency_journal (
    key         TEXT PRIMARY KEY NOT NULL,
    -- Which Stripe (API address and masked key) the call was for: replayed only against that one.
    connection  TEXT NOT NULL,
    action      TEXT NOT NULL,
    account     TEXT,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    -- The form parameters as JSON pairs. Amounts and IDs only: never a secret.
    params      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    http_status INTEGER,
    request_id  TEXT,
    -- The object Stripe returned, or its error body.
    response    TEXT,
    created_at  TEXT NOT NULL,
    finished_at TEXT
) STRICT;
CREATE INDEX journal_pending ON idempotency_journal (status) WHERE status = 'pending';
