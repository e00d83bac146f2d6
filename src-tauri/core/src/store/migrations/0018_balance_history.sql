-- Version 18: a restaurant's balance history (Payouts → Balances) at 100,000 balance transactions.
-- Its total and its list of types counted and read every transaction of the restaurant (6 and
-- 10 ms), a deep page read every JSON before it, and a search by amount or ID read them all
-- (0.5 s).

-- What a search compares, read from the JSON as before (`ANY`: the value as Stripe sent it, as
-- `json_extract` gave it, so a comparison answers exactly as it did).
ALTER TABLE objects ADD COLUMN net ANY GENERATED ALWAYS AS (json_extract(raw, '$.net')) VIRTUAL;
ALTER TABLE objects ADD COLUMN source ANY GENERATED ALWAYS AS (json_extract(raw, '$.source')) VIRTUAL;

-- The history's order (newest first, then by ID), of every type or one, and its searches: an
-- amount (gross or net) and the start of the transaction's or its source's ID in any case, as
-- `LIKE` reads it.
CREATE INDEX objects_history ON objects (kind, account, created, id) WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_type ON objects (kind, account, type, created, id) WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_amount ON objects (kind, account, amount) WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_net ON objects (kind, account, net) WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_id ON objects (kind, account, id COLLATE NOCASE) WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_source ON objects (kind, account, source COLLATE NOCASE)
    WHERE kind = 'balance_transaction';

-- How many balance transactions each restaurant has per type and day (`created`, UTC, floored):
-- the history's total for a type and a range of whole days, and the types it offers, from a few
-- thousand rows a year. `typed = 0` holds those without a type (counted; offered as none).
CREATE TABLE balance_day_counts (
    account      TEXT NOT NULL,
    typed        INTEGER NOT NULL,
    type         TEXT NOT NULL,
    day          INTEGER NOT NULL,
    transactions INTEGER NOT NULL,
    PRIMARY KEY (account, typed, type, day)
) STRICT, WITHOUT ROWID;

INSERT INTO balance_day_counts (account, typed, type, day, transactions)
SELECT account, type IS NOT NULL, coalesce(type, ''), created / 86400 - (created % 86400 < 0), count(*)
FROM objects WHERE kind = 'balance_transaction' GROUP BY 1, 2, 3, 4;

-- Kept in the transaction of every write to `objects`, as the payout totals are (schema 15).
CREATE TRIGGER balance_counts_insert AFTER INSERT ON objects WHEN NEW.kind = 'balance_transaction'
BEGIN
    INSERT INTO balance_day_counts (account, typed, type, day, transactions)
    VALUES (NEW.account, NEW.type IS NOT NULL, coalesce(NEW.type, ''),
            NEW.created / 86400 - (NEW.created % 86400 < 0), 1)
    ON CONFLICT (account, typed, type, day) DO UPDATE SET transactions = transactions + 1;
END;

CREATE TRIGGER balance_counts_delete AFTER DELETE ON objects WHEN OLD.kind = 'balance_transaction'
BEGIN
    UPDATE balance_day_counts SET transactions = transactions - 1
    WHERE account = OLD.account AND typed = (OLD.type IS NOT NULL) AND type = coalesce(OLD.type, '')
      AND day = OLD.created / 86400 - (OLD.created % 86400 < 0);
    DELETE FROM balance_day_counts
    WHERE account = OLD.account AND typed = (OLD.type IS NOT NULL) AND type = coalesce(OLD.type, '')
      AND day = OLD.created / 86400 - (OLD.created % 86400 < 0) AND transactions = 0;
END;

CREATE TRIGGER balance_counts_update_old AFTER UPDATE OF kind, account, created, raw ON objects
WHEN OLD.kind = 'balance_transaction'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.created IS NOT OLD.created
      OR NEW.type IS NOT OLD.type)
BEGIN
    UPDATE balance_day_counts SET transactions = transactions - 1
    WHERE account = OLD.account AND typed = (OLD.type IS NOT NULL) AND type = coalesce(OLD.type, '')
      AND day = OLD.created / 86400 - (OLD.created % 86400 < 0);
    DELETE FROM balance_day_counts
    WHERE account = OLD.account AND typed = (OLD.type IS NOT NULL) AND type = coalesce(OLD.type, '')
      AND day = OLD.created / 86400 - (OLD.created % 86400 < 0) AND transactions = 0;
END;

CREATE TRIGGER balance_counts_update_new AFTER UPDATE OF kind, account, created, raw ON objects
WHEN NEW.kind = 'balance_transaction'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.created IS NOT OLD.created
      OR NEW.type IS NOT OLD.type)
BEGIN
    INSERT INTO balance_day_counts (account, typed, type, day, transactions)
    VALUES (NEW.account, NEW.type IS NOT NULL, coalesce(NEW.type, ''),
            NEW.created / 86400 - (NEW.created % 86400 < 0), 1)
    ON CONFLICT (account, typed, type, day) DO UPDATE SET transactions = transactions + 1;
END;
