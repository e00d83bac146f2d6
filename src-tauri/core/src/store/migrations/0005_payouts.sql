-- Version 5: what the payouts and balances screens filter and sort on, and what only this device
-- keeps about payouts.

-- Read from the JSON rather than written twice: virtual columns cost nothing to store, and the
-- indexes below keep paging and sorting 100,000 payouts fast.
ALTER TABLE stripe_objects ADD COLUMN arrival_date INTEGER GENERATED ALWAYS AS (json_extract(raw, '$.arrival_date')) VIRTUAL;
ALTER TABLE stripe_objects ADD COLUMN available_on INTEGER GENERATED ALWAYS AS (json_extract(raw, '$.available_on')) VIRTUAL;
ALTER TABLE stripe_objects ADD COLUMN type TEXT GENERATED ALWAYS AS (json_extract(raw, '$.type')) VIRTUAL;
CREATE INDEX objects_by_arrival ON stripe_objects (kind, arrival_date) WHERE kind = 'payout';
CREATE INDEX objects_by_account_arrival ON stripe_objects (kind, account, arrival_date) WHERE kind = 'payout';
CREATE INDEX objects_by_currency_amount ON stripe_objects (kind, currency, amount) WHERE kind = 'payout';
CREATE INDEX objects_by_type ON stripe_objects (kind, account, type, created) WHERE kind = 'balance_transaction';
CREATE INDEX objects_pending_funds ON stripe_objects (kind, account, available_on) WHERE kind = 'balance_transaction';

-- Which balance transactions an automatic payout settled (`/v1/balance_transactions?payout=`).
-- Fixed once the payout exists, so fetched once and kept.
CREATE TABLE payout_contents (
    payout      TEXT NOT NULL,
    position    INTEGER NOT NULL,
    transaction_id TEXT NOT NULL,
    -- The balance transaction with its source expanded, as Stripe sent it.
    raw         TEXT NOT NULL,
    PRIMARY KEY (payout, position)
) STRICT;
CREATE TABLE payout_reconciled (
    payout     TEXT PRIMARY KEY NOT NULL,
    account    TEXT NOT NULL,
    fetched_at TEXT NOT NULL
) STRICT;

-- Failed payouts this device has told someone about, and whether they dismissed the banner.
CREATE TABLE payout_alerts (
    payout       TEXT PRIMARY KEY NOT NULL,
    account      TEXT NOT NULL,
    noticed_at   TEXT NOT NULL,
    notified     INTEGER NOT NULL DEFAULT 0,
    dismissed_at TEXT
) STRICT;
