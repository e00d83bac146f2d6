-- Version 7: a second gateway (CardConnect) beside Stripe.

-- The object cache holds every gateway's objects: Stripe's, and CardConnect's deposits, which
-- the payouts screens show beside Stripe payouts (kind 'payout', gateway 'cardconnect').
ALTER TABLE stripe_objects RENAME TO objects;
ALTER TABLE objects ADD COLUMN gateway TEXT NOT NULL DEFAULT 'stripe';

-- Restaurants that take cards through CardConnect: merchant IDs are not secret (the API user and
-- password are, and live in the keyring). Set in Settings → CardConnect.
CREATE TABLE cardconnect_merchants (
    merchid  TEXT PRIMARY KEY NOT NULL,
    name     TEXT NOT NULL,
    currency TEXT NOT NULL DEFAULT 'usd',
    added_at TEXT NOT NULL
) STRICT;

-- Every gateway's transactions in one neutral shape (gateways/transaction.rs), so staff find "an
-- order" and owners reconcile deposits without caring which gateway took the card.
CREATE TABLE transactions (
    gateway    TEXT NOT NULL CHECK (gateway IN ('stripe', 'cardconnect')),
    -- Stripe charge or PaymentIntent ID; CardPointe retref.
    reference  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('authorize', 'capture', 'purchase', 'refund', 'void', 'confirm')),
    status     TEXT NOT NULL CHECK (status IN ('pending', 'complete', 'failed')),
    amount     INTEGER NOT NULL,
    refunded   INTEGER NOT NULL DEFAULT 0,
    currency   TEXT NOT NULL,
    order_ref  TEXT,
    -- A Stripe connected account ID ('' for the platform) or a CardPointe merchant ID.
    restaurant TEXT NOT NULL,
    created    INTEGER NOT NULL,
    parent     TEXT,
    card_brand TEXT,
    card_last4 TEXT,
    settled    INTEGER,
    synced_at  TEXT NOT NULL,
    PRIMARY KEY (gateway, reference)
) STRICT;
CREATE INDEX transactions_by_restaurant ON transactions (restaurant, created DESC);
CREATE INDEX transactions_by_order ON transactions (order_ref, restaurant) WHERE order_ref IS NOT NULL;
CREATE INDEX transactions_by_parent ON transactions (parent) WHERE parent IS NOT NULL;

-- Which gateway a journalled call went to: each settles its unknowns its own way (Stripe by key
-- and lookup, CardConnect by inquiry on the order ID).
ALTER TABLE idempotency_journal ADD COLUMN gateway TEXT NOT NULL DEFAULT 'stripe';
