-- Version 23: the accounts list paged from an index. Listing 100,000 restaurants read every
-- account's JSON, worked out its status and requirements and sorted them all: 2.5 s a call.
--
-- `account_rows` holds one row per restaurant the list shows — a Stripe connected account (any
-- cached copy: the overview's `accounts`, or an `objects` row of kind 'account') or a CardConnect
-- merchant — with what the row shows and what it sorts and filters on. Which rows exist, and
-- which must be worked out again, is kept here by triggers, whoever writes: a write to a copy, a
-- disconnection or a merchant marks the row `stale`. What a row says (status, requirements in
-- words, name) is worked out in Rust (`accounts::list_rows::refresh`) from the newest copy, by the
-- code the account screen uses, so the two never disagree; the write functions refresh in their
-- own transaction, and the list refreshes whatever another writer left stale before it reads.
CREATE TABLE account_rows (
    rowid                INTEGER PRIMARY KEY,
    -- stripe, cardconnect
    gateway              TEXT NOT NULL,
    id                   TEXT NOT NULL,
    -- 1 until Rust has worked the row out from what is cached now.
    stale                INTEGER NOT NULL DEFAULT 1,
    -- A hash of what the row was worked out from, so an unchanged account is not worked out again.
    source_hash          INTEGER,
    name                 TEXT,
    -- The name and ID lower-cased as Rust does, for search.
    name_key             TEXT,
    id_key               TEXT,
    kind                 TEXT,
    country              TEXT,
    default_currency     TEXT,
    -- As shown: a disconnected restaurant is 'disabled'.
    status               TEXT,
    status_words         TEXT,
    due_count            INTEGER,
    past_due_count       INTEGER,
    nearest_deadline     INTEGER,
    requirements_summary TEXT,
    created              INTEGER,
    disconnected         INTEGER,
    -- The list's order: 0 restricted, disabled or past due; 1 pending or due; 2 active. Then the
    -- nearest deadline (none last), then the name.
    attention            INTEGER,
    deadline_key         INTEGER,
    UNIQUE (gateway, id)
) STRICT;

CREATE INDEX account_rows_order ON account_rows (attention, deadline_key, name_key, gateway DESC, id);
CREATE INDEX account_rows_by_status ON account_rows (status, attention, deadline_key, name_key, gateway DESC, id);
CREATE INDEX account_rows_by_kind ON account_rows (kind, attention, deadline_key, name_key, gateway DESC, id);
CREATE INDEX account_rows_by_id ON account_rows (id_key);
-- Searches too short for a trigram count the names from this narrow index, not the wide rows.
CREATE INDEX account_rows_by_name ON account_rows (name_key);
CREATE INDEX account_rows_stale ON account_rows (stale) WHERE stale = 1;

-- Part of a name, at any place in it: trigrams of the lower-cased name (cased as Rust lower-cases;
-- the index itself then matches case-sensitively). Its rowid is the row's.
CREATE VIRTUAL TABLE account_names USING fts5 (name_key, tokenize = 'trigram case_sensitive 1');

-- How many rows per status and kind, for the list's total without counting 100,000 rows.
CREATE TABLE account_row_totals (
    status TEXT NOT NULL,
    kind   TEXT NOT NULL,
    rows   INTEGER NOT NULL,
    PRIMARY KEY (status, kind)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER account_rows_insert AFTER INSERT ON account_rows
BEGIN
    INSERT INTO account_names (rowid, name_key) VALUES (NEW.rowid, coalesce(NEW.name_key, ''));
    INSERT INTO account_row_totals (status, kind, rows) VALUES (coalesce(NEW.status, ''), coalesce(NEW.kind, ''), 1)
    ON CONFLICT (status, kind) DO UPDATE SET rows = rows + 1;
END;

CREATE TRIGGER account_rows_delete AFTER DELETE ON account_rows
BEGIN
    DELETE FROM account_names WHERE rowid = OLD.rowid;
    UPDATE account_row_totals SET rows = rows - 1 WHERE status = coalesce(OLD.status, '') AND kind = coalesce(OLD.kind, '');
    DELETE FROM account_row_totals WHERE rows = 0;
END;

CREATE TRIGGER account_rows_renamed AFTER UPDATE OF name_key ON account_rows
WHEN OLD.name_key IS NOT NEW.name_key
BEGIN
    DELETE FROM account_names WHERE rowid = OLD.rowid;
    INSERT INTO account_names (rowid, name_key) VALUES (NEW.rowid, coalesce(NEW.name_key, ''));
END;

CREATE TRIGGER account_rows_counted AFTER UPDATE OF status, kind ON account_rows
WHEN OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind
BEGIN
    UPDATE account_row_totals SET rows = rows - 1 WHERE status = coalesce(OLD.status, '') AND kind = coalesce(OLD.kind, '');
    DELETE FROM account_row_totals WHERE rows = 0;
    INSERT INTO account_row_totals (status, kind, rows) VALUES (coalesce(NEW.status, ''), coalesce(NEW.kind, ''), 1)
    ON CONFLICT (status, kind) DO UPDATE SET rows = rows + 1;
END;

-- A connected account's row exists while either copy does, and is worked out again after any
-- write to either. `account_row_touch` does both for one ID: a view's INSTEAD OF trigger is the
-- one place the rule is written, and each write trigger hands it the IDs it touched.
CREATE VIEW account_row_touch (id) AS SELECT NULL;

CREATE TRIGGER account_row_touch_insert INSTEAD OF INSERT ON account_row_touch
BEGIN
    INSERT INTO account_rows (gateway, id, stale)
    SELECT 'stripe', NEW.id, 1
    WHERE EXISTS (SELECT 1 FROM accounts WHERE id = NEW.id)
       OR EXISTS (SELECT 1 FROM objects WHERE id = NEW.id AND kind = 'account')
    ON CONFLICT (gateway, id) DO UPDATE SET stale = 1;
    DELETE FROM account_rows
    WHERE gateway = 'stripe' AND id = NEW.id
      AND NOT EXISTS (SELECT 1 FROM accounts WHERE id = NEW.id)
      AND NOT EXISTS (SELECT 1 FROM objects WHERE id = NEW.id AND kind = 'account');
END;

CREATE TRIGGER account_rows_accounts_insert AFTER INSERT ON accounts
BEGIN
    INSERT INTO account_row_touch (id) VALUES (NEW.id);
END;

CREATE TRIGGER account_rows_accounts_update AFTER UPDATE ON accounts
BEGIN
    INSERT INTO account_row_touch (id) VALUES (OLD.id);
    INSERT INTO account_row_touch (id) SELECT NEW.id WHERE NEW.id IS NOT OLD.id;
END;

CREATE TRIGGER account_rows_accounts_delete AFTER DELETE ON accounts
BEGIN
    INSERT INTO account_row_touch (id) VALUES (OLD.id);
END;

CREATE TRIGGER account_rows_objects_insert AFTER INSERT ON objects WHEN NEW.kind = 'account'
BEGIN
    INSERT INTO account_row_touch (id) VALUES (NEW.id);
END;

CREATE TRIGGER account_rows_objects_update AFTER UPDATE ON objects WHEN OLD.kind = 'account' OR NEW.kind = 'account'
BEGIN
    INSERT INTO account_row_touch (id) VALUES (OLD.id);
    INSERT INTO account_row_touch (id) SELECT NEW.id WHERE NEW.id IS NOT OLD.id;
END;

CREATE TRIGGER account_rows_objects_delete AFTER DELETE ON objects WHEN OLD.kind = 'account'
BEGIN
    INSERT INTO account_row_touch (id) VALUES (OLD.id);
END;

-- A disconnection shows on the row (disabled, first).
CREATE TRIGGER account_rows_disconnected AFTER INSERT ON disconnected_accounts
BEGIN
    UPDATE account_rows SET stale = 1 WHERE gateway = 'stripe' AND id = NEW.account;
END;

CREATE TRIGGER account_rows_reconnected AFTER DELETE ON disconnected_accounts
BEGIN
    UPDATE account_rows SET stale = 1 WHERE gateway = 'stripe' AND id = OLD.account;
END;

CREATE TRIGGER account_rows_disconnection_moved AFTER UPDATE ON disconnected_accounts
BEGIN
    UPDATE account_rows SET stale = 1 WHERE gateway = 'stripe' AND id IN (OLD.account, NEW.account);
END;

-- A CardConnect restaurant's row lives as long as the merchant does.
CREATE TRIGGER account_rows_merchant_insert AFTER INSERT ON cardconnect_merchants
BEGIN
    INSERT INTO account_rows (gateway, id, stale) VALUES ('cardconnect', NEW.merchid, 1)
    ON CONFLICT (gateway, id) DO UPDATE SET stale = 1;
END;

CREATE TRIGGER account_rows_merchant_update AFTER UPDATE ON cardconnect_merchants
BEGIN
    DELETE FROM account_rows WHERE gateway = 'cardconnect' AND id = OLD.merchid AND NEW.merchid IS NOT OLD.merchid;
    INSERT INTO account_rows (gateway, id, stale) VALUES ('cardconnect', NEW.merchid, 1)
    ON CONFLICT (gateway, id) DO UPDATE SET stale = 1;
END;

CREATE TRIGGER account_rows_merchant_delete AFTER DELETE ON cardconnect_merchants
BEGIN
    DELETE FROM account_rows WHERE gateway = 'cardconnect' AND id = OLD.merchid;
END;

-- What was cached before this version: every restaurant, to be worked out on first use.
INSERT INTO account_rows (gateway, id)
SELECT 'stripe', id FROM accounts UNION SELECT 'stripe', id FROM objects WHERE kind = 'account';
INSERT INTO account_rows (gateway, id) SELECT 'cardconnect', merchid FROM cardconnect_merchants;
