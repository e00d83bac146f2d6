-- Version 24: a balance transaction found by words of its description (Payouts → Balances, the
-- search box). `LIKE '%…%'` read the description of every transaction of the restaurant (0.2 s at
-- 100,000); the trigrams of each description find the few that can hold the words, and `LIKE`
-- still decides, so what matches is exactly what matched before.

-- One row per balance transaction with a description; its rowid is the transaction's row's.
CREATE VIRTUAL TABLE balance_descriptions USING fts5 (description, tokenize = 'trigram');

INSERT INTO balance_descriptions (rowid, description)
SELECT rowid, json_extract(raw, '$.description') FROM objects
WHERE kind = 'balance_transaction' AND json_extract(raw, '$.description') IS NOT NULL;

-- Kept in the transaction of every write to `objects`, as the counts are (schema 18). A sync
-- writing a transaction again with the same description touches nothing.
CREATE TRIGGER balance_descriptions_insert AFTER INSERT ON objects
WHEN NEW.kind = 'balance_transaction' AND json_extract(NEW.raw, '$.description') IS NOT NULL
BEGIN
    INSERT INTO balance_descriptions (rowid, description) VALUES (NEW.rowid, json_extract(NEW.raw, '$.description'));
END;

CREATE TRIGGER balance_descriptions_delete AFTER DELETE ON objects WHEN OLD.kind = 'balance_transaction'
BEGIN
    DELETE FROM balance_descriptions WHERE rowid = OLD.rowid;
END;

CREATE TRIGGER balance_descriptions_update AFTER UPDATE OF kind, raw ON objects
WHEN (OLD.kind = 'balance_transaction' OR NEW.kind = 'balance_transaction')
 AND (NEW.kind IS NOT OLD.kind
      OR json_extract(NEW.raw, '$.description') IS NOT json_extract(OLD.raw, '$.description'))
BEGIN
    DELETE FROM balance_descriptions WHERE rowid = OLD.rowid;
    INSERT INTO balance_descriptions (rowid, description)
    SELECT NEW.rowid, json_extract(NEW.raw, '$.description')
    WHERE NEW.kind = 'balance_transaction' AND json_extract(NEW.raw, '$.description') IS NOT NULL;
END;
