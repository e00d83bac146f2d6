-- Version 21: the disputes inbox a page at a time (Disputes). The inbox read every dispute of the
-- restaurants in view and sorted them, most pressing first: 1 s at 100,000 disputes. Now its order
-- is an index and its counts are running totals, so a page costs the rows it shows.

-- A dispute's reason and deadline, read from the JSON (`ANY`: as `json_extract` gives them).
ALTER TABLE objects ADD COLUMN reason ANY GENERATED ALWAYS AS (json_extract(raw, '$.reason')) VIRTUAL;
ALTER TABLE objects ADD COLUMN due_by ANY GENERATED ALWAYS AS (json_extract(raw, '$.evidence_details.due_by')) VIRTUAL;

-- The inbox's order as two numbers: those needing a response first (0), then those with the
-- bank (1), then closed ones (2); within the first, the soonest deadline first (so overdue ones
-- lead, and one without a deadline goes last), within the others the newest first.
-- `disputes::queries` orders by exactly these columns, then the ID.
ALTER TABLE objects ADD COLUMN inbox_rank ANY GENERATED ALWAYS AS (
    CASE WHEN status IN ('needs_response', 'warning_needs_response') THEN 0
         WHEN status IN ('under_review', 'warning_under_review') THEN 1 ELSE 2 END) VIRTUAL;
ALTER TABLE objects ADD COLUMN inbox_key ANY GENERATED ALWAYS AS (
    CASE WHEN status IN ('needs_response', 'warning_needs_response')
         THEN coalesce(nullif(due_by, 0), 9000000000000000000) ELSE -created END) VIRTUAL;

-- Every dispute; one restaurant's; one status's (the status fixes the rank, so the key orders
-- them); one reason's.
CREATE INDEX disputes_inbox ON objects (kind, inbox_rank, inbox_key, id) WHERE kind = 'dispute';
CREATE INDEX disputes_inbox_account ON objects (kind, account, inbox_rank, inbox_key, id) WHERE kind = 'dispute';
CREATE INDEX disputes_inbox_status ON objects (kind, status, inbox_key, id) WHERE kind = 'dispute';
CREATE INDEX disputes_inbox_reason ON objects (kind, reason, inbox_rank, inbox_key, id) WHERE kind = 'dispute';

-- How many disputes there are per status and reason, for every restaurant together and per
-- restaurant: the inbox's total and its list of reasons from a few dozen rows, not a count of
-- every dispute (4 ms at 100,000). '' stands for a missing status or reason.
CREATE TABLE dispute_counts (
    status   TEXT NOT NULL,
    reason   TEXT NOT NULL,
    disputes INTEGER NOT NULL,
    PRIMARY KEY (status, reason)
) STRICT, WITHOUT ROWID;

CREATE TABLE dispute_account_counts (
    account  TEXT NOT NULL,
    status   TEXT NOT NULL,
    reason   TEXT NOT NULL,
    disputes INTEGER NOT NULL,
    PRIMARY KEY (account, status, reason)
) STRICT, WITHOUT ROWID;

INSERT INTO dispute_counts (status, reason, disputes)
SELECT coalesce(status, ''), coalesce(reason, ''), count(*) FROM objects WHERE kind = 'dispute' GROUP BY 1, 2;

INSERT INTO dispute_account_counts (account, status, reason, disputes)
SELECT account, coalesce(status, ''), coalesce(reason, ''), count(*)
FROM objects WHERE kind = 'dispute' GROUP BY 1, 2, 3;

-- Kept in the transaction of every write to `objects`, as the payout totals are (schema 15): a
-- dispute counts once, where it is now; an emptied row goes.
CREATE TRIGGER dispute_counts_insert AFTER INSERT ON objects WHEN NEW.kind = 'dispute'
BEGIN
    INSERT INTO dispute_counts (status, reason, disputes)
    VALUES (coalesce(NEW.status, ''), coalesce(NEW.reason, ''), 1)
    ON CONFLICT (status, reason) DO UPDATE SET disputes = disputes + 1;
    INSERT INTO dispute_account_counts (account, status, reason, disputes)
    VALUES (NEW.account, coalesce(NEW.status, ''), coalesce(NEW.reason, ''), 1)
    ON CONFLICT (account, status, reason) DO UPDATE SET disputes = disputes + 1;
END;

CREATE TRIGGER dispute_counts_delete AFTER DELETE ON objects WHEN OLD.kind = 'dispute'
BEGIN
    UPDATE dispute_counts SET disputes = disputes - 1
    WHERE status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '');
    DELETE FROM dispute_counts
    WHERE status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '') AND disputes = 0;
    UPDATE dispute_account_counts SET disputes = disputes - 1
    WHERE account = OLD.account AND status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '');
    DELETE FROM dispute_account_counts
    WHERE account = OLD.account AND status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '')
      AND disputes = 0;
END;

-- An update is the old row leaving and the new one arriving; a sync writing a dispute again
-- unchanged (most of them) touches no count.
CREATE TRIGGER dispute_counts_update_old AFTER UPDATE OF kind, account, status, raw ON objects
WHEN OLD.kind = 'dispute'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.status IS NOT OLD.status
      OR NEW.reason IS NOT OLD.reason)
BEGIN
    UPDATE dispute_counts SET disputes = disputes - 1
    WHERE status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '');
    DELETE FROM dispute_counts
    WHERE status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '') AND disputes = 0;
    UPDATE dispute_account_counts SET disputes = disputes - 1
    WHERE account = OLD.account AND status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '');
    DELETE FROM dispute_account_counts
    WHERE account = OLD.account AND status = coalesce(OLD.status, '') AND reason = coalesce(OLD.reason, '')
      AND disputes = 0;
END;

CREATE TRIGGER dispute_counts_update_new AFTER UPDATE OF kind, account, status, raw ON objects
WHEN NEW.kind = 'dispute'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.status IS NOT OLD.status
      OR NEW.reason IS NOT OLD.reason)
BEGIN
    INSERT INTO dispute_counts (status, reason, disputes)
    VALUES (coalesce(NEW.status, ''), coalesce(NEW.reason, ''), 1)
    ON CONFLICT (status, reason) DO UPDATE SET disputes = disputes + 1;
    INSERT INTO dispute_account_counts (account, status, reason, disputes)
    VALUES (NEW.account, coalesce(NEW.status, ''), coalesce(NEW.reason, ''), 1)
    ON CONFLICT (account, status, reason) DO UPDATE SET disputes = disputes + 1;
END;
