-- Version 22: the transfers list a page at a time (Transfers). It read the newest 500 transfers
-- of every restaurant and then kept one restaurant's: a restaurant with none among them showed
-- none at all, and each call parsed 500 transfers (7 ms).

-- Where a transfer went, read from the JSON (`ANY`: as `json_extract` gives it).
ALTER TABLE objects ADD COLUMN destination ANY GENERATED ALWAYS AS (json_extract(raw, '$.destination')) VIRTUAL;

-- Newest first (then by ID, for a stable page), of every restaurant or one.
CREATE INDEX transfers_by_date ON objects (kind, created, id) WHERE kind = 'transfer';
CREATE INDEX transfers_by_destination ON objects (kind, destination, created, id) WHERE kind = 'transfer';

-- How many transfers went to each restaurant ('' when none is named): the list's total from a
-- row per restaurant rather than a count of every transfer.
CREATE TABLE transfer_counts (
    destination TEXT PRIMARY KEY NOT NULL,
    transfers   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO transfer_counts (destination, transfers)
SELECT coalesce(destination, ''), count(*) FROM objects WHERE kind = 'transfer' GROUP BY 1;

-- Kept in the transaction of every write to `objects`, as the payout totals are (schema 15).
CREATE TRIGGER transfer_counts_insert AFTER INSERT ON objects WHEN NEW.kind = 'transfer'
BEGIN
    INSERT INTO transfer_counts (destination, transfers) VALUES (coalesce(NEW.destination, ''), 1)
    ON CONFLICT (destination) DO UPDATE SET transfers = transfers + 1;
END;

CREATE TRIGGER transfer_counts_delete AFTER DELETE ON objects WHEN OLD.kind = 'transfer'
BEGIN
    UPDATE transfer_counts SET transfers = transfers - 1 WHERE destination = coalesce(OLD.destination, '');
    DELETE FROM transfer_counts WHERE destination = coalesce(OLD.destination, '') AND transfers = 0;
END;

CREATE TRIGGER transfer_counts_update_old AFTER UPDATE OF kind, raw ON objects
WHEN OLD.kind = 'transfer' AND (NEW.kind IS NOT OLD.kind OR NEW.destination IS NOT OLD.destination)
BEGIN
    UPDATE transfer_counts SET transfers = transfers - 1 WHERE destination = coalesce(OLD.destination, '');
    DELETE FROM transfer_counts WHERE destination = coalesce(OLD.destination, '') AND transfers = 0;
END;

CREATE TRIGGER transfer_counts_update_new AFTER UPDATE OF kind, raw ON objects
WHEN NEW.kind = 'transfer' AND (NEW.kind IS NOT OLD.kind OR NEW.destination IS NOT OLD.destination)
BEGIN
    INSERT INTO transfer_counts (destination, transfers) VALUES (coalesce(NEW.destination, ''), 1)
    ON CONFLICT (destination) DO UPDATE SET transfers = transfers + 1;
END;
