-- Merchant Desk local database, version 1.
-- SQLite is a cache of what Stripe knows plus what only this device knows. Secrets are never here.

-- Typed settings (see settings.rs), one JSON value per key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Local profiles. PINs arrive with the roles work; for now one owner profile.
CREATE TABLE profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff', 'platform_admin')),
    created_at TEXT NOT NULL
) STRICT;

-- Connected accounts as last synced. `raw` keeps Stripe's JSON beside the queried columns.
CREATE TABLE accounts (
    id                TEXT PRIMARY KEY NOT NULL,
    name              TEXT NOT NULL,
    type              TEXT NOT NULL,
    country           TEXT NOT NULL,
    default_currency  TEXT NOT NULL,
    email             TEXT,
    status            TEXT NOT NULL CHECK (status IN ('active', 'pending', 'restricted', 'disabled')),
    charges_enabled   INTEGER NOT NULL,
    payouts_enabled   INTEGER NOT NULL,
    details_submitted INTEGER NOT NULL,
    disabled_reason   TEXT,
    created           INTEGER NOT NULL,
    raw               TEXT NOT NULL,
    synced_at         TEXT NOT NULL
) STRICT;
CREATE INDEX accounts_by_status ON accounts (status);
CREATE INDEX accounts_by_name ON accounts (name COLLATE NOCASE);

-- One row per (scope, currency) of a balance; scope '' is the platform itself.
CREATE TABLE balances (
    scope             TEXT NOT NULL,
    currency          TEXT NOT NULL,
    available         INTEGER NOT NULL,
    pending           INTEGER NOT NULL,
    connect_reserved  INTEGER NOT NULL,
    instant_available INTEGER NOT NULL,
    synced_at         TEXT NOT NULL,
    PRIMARY KEY (scope, currency)
) STRICT;

-- The balance object as Stripe sent it, per scope.
CREATE TABLE balance_snapshots (
    scope     TEXT PRIMARY KEY NOT NULL,
    raw       TEXT NOT NULL,
    synced_at TEXT NOT NULL
) STRICT;

-- When each kind of object was last synced, per scope; `cursor` is for incremental sync.
CREATE TABLE sync_state (
    scope     TEXT NOT NULL,
    object    TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    cursor    TEXT,
    PRIMARY KEY (scope, object)
) STRICT;

-- Append-only audit log of every money-moving or settings action.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    profile_id      INTEGER,
    profile_name    TEXT NOT NULL,
    role            TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT,
    amount          INTEGER,
    currency        TEXT,
    idempotency_key TEXT,
    request_id      TEXT,
    outcome         TEXT NOT NULL,
    detail          TEXT
) STRICT;
CREATE INDEX audit_by_time ON audit_log (at);

CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
