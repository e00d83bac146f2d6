-- Version 13: restaurants that disconnected from the platform (Stripe's
-- account.application.deauthorized): shown as such everywhere, their money actions hidden.
CREATE TABLE disconnected_accounts (
    account TEXT PRIMARY KEY NOT NULL,
    at      TEXT NOT NULL
) STRICT;
