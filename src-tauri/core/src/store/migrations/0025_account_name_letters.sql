-- Version 25: the accounts list searched by one or two letters. Such a search has no trigram, so
-- its total read all 100,000 names (11 ms p99). Each restaurant's name is kept here as the set of
-- its one- and two-letter pieces, with how many rows of each status and kind hold each piece:
-- the total is one lookup, and a piece few names hold finds its rows without reading the others.
-- (A piece many names hold needs no index: the list's own order finds a page of them at once.)
-- And an index of the IDs as given, for a profile's restaurants.

-- 1, 2, … 5,000: the places in a name a piece can start at (a trigger cannot count with WITH).
-- Pieces past the 5,000th character of a name are not kept.
CREATE TABLE name_places (n INTEGER PRIMARY KEY) STRICT;
WITH RECURSIVE up (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM up WHERE n < 5000)
INSERT INTO name_places (n) SELECT n FROM up;

-- Which rows of `account_rows` hold each piece of their lower-cased name (`name_key`).
CREATE TABLE account_name_pieces (
    piece TEXT NOT NULL,
    row   INTEGER NOT NULL,
    PRIMARY KEY (piece, row)
) STRICT, WITHOUT ROWID;

-- How many rows of each status and kind hold each piece. A count that falls to 0 stays, as 0.
CREATE TABLE account_piece_totals (
    piece  TEXT NOT NULL,
    status TEXT NOT NULL,
    kind   TEXT NOT NULL,
    rows   INTEGER NOT NULL,
    PRIMARY KEY (piece, status, kind)
) STRICT, WITHOUT ROWID;

-- The one place the rule is written: a row added (sign 1) or taken away (sign -1) with the name,
-- status and kind it had. Each trigger on `account_rows` hands its OLD and NEW rows to it.
CREATE VIEW account_name_change (row, name_key, status, kind, sign) AS SELECT NULL, NULL, NULL, NULL, NULL;

CREATE TRIGGER account_name_change_apply INSTEAD OF INSERT ON account_name_change
BEGIN
    DELETE FROM account_name_pieces
    WHERE NEW.sign < 0 AND row = NEW.row
      AND piece IN (SELECT substr(NEW.name_key, n, 1) FROM name_places WHERE n <= length(NEW.name_key)
                    UNION SELECT substr(NEW.name_key, n, 2) FROM name_places WHERE n < length(NEW.name_key));
    INSERT OR IGNORE INTO account_name_pieces (piece, row)
    SELECT substr(NEW.name_key, n, 1), NEW.row FROM name_places WHERE NEW.sign > 0 AND n <= length(NEW.name_key)
    UNION SELECT substr(NEW.name_key, n, 2), NEW.row FROM name_places WHERE NEW.sign > 0 AND n < length(NEW.name_key);
    INSERT INTO account_piece_totals (piece, status, kind, rows)
    SELECT piece, coalesce(NEW.status, ''), coalesce(NEW.kind, ''), NEW.sign
    FROM (SELECT substr(NEW.name_key, n, 1) AS piece FROM name_places WHERE n <= length(NEW.name_key)
          UNION SELECT substr(NEW.name_key, n, 2) FROM name_places WHERE n < length(NEW.name_key))
    WHERE true
    ON CONFLICT (piece, status, kind) DO UPDATE SET rows = rows + excluded.rows;
END;

CREATE TRIGGER account_name_pieces_insert AFTER INSERT ON account_rows
BEGIN
    INSERT INTO account_name_change VALUES (NEW.rowid, NEW.name_key, NEW.status, NEW.kind, 1);
END;

CREATE TRIGGER account_name_pieces_delete AFTER DELETE ON account_rows
BEGIN
    INSERT INTO account_name_change VALUES (OLD.rowid, OLD.name_key, OLD.status, OLD.kind, -1);
END;

CREATE TRIGGER account_name_pieces_update AFTER UPDATE OF name_key, status, kind ON account_rows
WHEN OLD.name_key IS NOT NEW.name_key OR OLD.status IS NOT NEW.status OR OLD.kind IS NOT NEW.kind
BEGIN
    INSERT INTO account_name_change VALUES (OLD.rowid, OLD.name_key, OLD.status, OLD.kind, -1);
    INSERT INTO account_name_change VALUES (NEW.rowid, NEW.name_key, NEW.status, NEW.kind, 1);
END;

-- What was listed before this version.
INSERT INTO account_name_change SELECT rowid, name_key, status, kind, 1 FROM account_rows;

-- A profile's restaurants by their IDs as given (the list read all 100,000 rows to find 20: 24 ms).
CREATE INDEX account_rows_by_account ON account_rows (id);
