-- The one door for money and settings calls: an outcome is succeeded, failed (Stripe said no),
-- or not known yet (pending: journalled, answer not recorded; unknown: sent, no definitive
-- answer). An unfinished call is settled later: retried with its key within 23 hours, looked up
-- after that. `superseded`: a settings change that Stripe no longer shows (a later change won).
CREATE TABLE idempotency_journal_v2 (
    key          TEXT PRIMARY KEY NOT NULL,
    connection   TEXT NOT NULL,
    action       TEXT NOT NULL,
    account      TEXT,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    params       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'unknown', 'succeeded', 'failed', 'superseded')),
    http_status  INTEGER,
    request_id   TEXT,
    response     TEXT,
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    -- Who asked, for the audit rows of the outcome (written later, maybe after a restart).
    profile_id   INTEGER,
    profile_name TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT '',
    audit_action TEXT NOT NULL DEFAULT '',
    target       TEXT,
    amount       INTEGER,
    currency     TEXT,
    -- How to find the call's effect at Stripe without sending it again (JSON, see door::Settle).
    settle       TEXT,
    -- How the outcome became known: answer, retry, lookup.
    settled_by   TEXT,
    -- For people: what the call was, and what is known of it.
    summary      TEXT NOT NULL DEFAULT '',
    -- Which running process journalled it: another one's pending call may still be in flight.
    instance     TEXT
);

INSERT INTO idempotency_journal_v2 (key, connection, action, account, method, path, params, status, http_status,
                                    request_id, response, created_at, finished_at, audit_action, summary)
SELECT key, connection, action, account, method, path, params,
       CASE WHEN status = 'failed' AND (response LIKE '%"outcome":"unknown"%' OR http_status IS NULL
                                        OR http_status IN (409, 429) OR http_status >= 500
                                        OR response LIKE '%idempotency_error%') THEN 'unknown'
            ELSE status END,
       http_status, request_id, response, created_at, finished_at, action, action
FROM idempotency_journal;

-- Calls journalled before this version carry no key in their metadata: a lookup cannot find them,
-- so they are never taken for "never happened"; past 23 hours a person settles them by hand.
UPDATE idempotency_journal_v2 SET settle = '{"kind":"manual"}' WHERE status IN ('pending', 'unknown');

DROP TABLE idempotency_journal;
ALTER TABLE idempotency_journal_v2 RENAME TO idempotency_journal;

CREATE INDEX journal_unfinished ON idempotency_journal (connection, account) WHERE status IN ('pending', 'unknown');
