-- Version 4: the cache of every synced Stripe object. One table for all kinds, with the columns the
-- screens filter and sort on, and Stripe's JSON beside them.
CREATE TABLE stripe_objects (
    id           TEXT PRIMARY KEY NOT NULL,
    -- payout, balance_transaction, payment_intent, charge, refund, dispute, transfer, …
    kind         TEXT NOT NULL,
    -- The connected account it belongs to; '' for the platform's own objects.
    account      TEXT NOT NULL,
    created      INTEGER NOT NULL,
    status       TEXT,
    amount       INTEGER,
    currency     TEXT,
    -- metadata.order_number of payments, for staff looking an order up.
    order_number TEXT,
    -- Another object it hangs off: a refund's charge, a charge's payment intent, a dispute's charge.
    parent       TEXT,
    raw          TEXT NOT NULL,
    synced_at    TEXT NOT NULL
) STRICT;
CREATE INDEX objects_by_account ON stripe_objects (kind, account, created DESC);
CREATE INDEX objects_by_status ON stripe_objects (kind, status, created DESC);
CREATE INDEX objects_by_date ON stripe_objects (kind, created DESC);
CREATE INDEX objects_by_amount ON stripe_objects (kind, amount);
CREATE INDEX objects_by_order ON stripe_objects (order_number) WHERE order_number IS NOT NULL;
CREATE INDEX objects_by_parent ON stripe_objects (parent) WHERE parent IS NOT NULL;

-- Full-sync progress per (scope, kind): the last object fetched, so a sync cut short resumes there.
ALTER TABLE sync_state ADD COLUMN complete INTEGER NOT NULL DEFAULT 0;
