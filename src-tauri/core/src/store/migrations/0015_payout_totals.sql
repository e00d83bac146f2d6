-- Version 15: the payouts chart and the payouts list's total from running totals instead of a
-- scan. Adding up 100,000 payouts for the weekly chart took 65 ms, counting them for the list's
-- total 4 ms of every page; the totals per arrival day are a few hundred rows a year.
--
-- One row per arrival day (`arrival_date / 86400`, the unix day), currency and status: what the
-- chart adds up (paid amounts, payouts, failures) and what the chart and the list filter on
-- (status, arrival dates, which are whole days), for every account together, and again per
-- account for a profile's restaurants or one restaurant. Weeks and months are made of whole days,
-- so both buckets read the same rows. Every payout is counted: one without an arrival date under
-- `dated = 0` (the list counts it; no chart bucket or date range holds it), one without a currency
-- or status under ''.
CREATE TABLE payout_day_totals (
    dated    INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status   TEXT NOT NULL,
    amount   INTEGER NOT NULL,
    payouts  INTEGER NOT NULL,
    PRIMARY KEY (dated, day, currency, status)
) STRICT, WITHOUT ROWID;

CREATE TABLE payout_account_day_totals (
    account  TEXT NOT NULL,
    dated    INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status   TEXT NOT NULL,
    amount   INTEGER NOT NULL,
    payouts  INTEGER NOT NULL,
    PRIMARY KEY (account, dated, day, currency, status)
) STRICT, WITHOUT ROWID;

INSERT INTO payout_day_totals (dated, day, currency, status, amount, payouts)
SELECT arrival_date IS NOT NULL, coalesce(arrival_date / 86400, 0), coalesce(currency, ''), coalesce(status, ''),
       sum(coalesce(amount, 0)), count(*)
FROM objects WHERE kind = 'payout' GROUP BY 1, 2, 3, 4;

INSERT INTO payout_account_day_totals (account, dated, day, currency, status, amount, payouts)
SELECT account, arrival_date IS NOT NULL, coalesce(arrival_date / 86400, 0), coalesce(currency, ''),
       coalesce(status, ''), sum(coalesce(amount, 0)), count(*)
FROM objects WHERE kind = 'payout' GROUP BY 1, 2, 3, 4, 5;

-- Kept in the same transaction as every write to `objects` (sync pages, events, deposits, a
-- cleared cache), whoever writes: a payout counts once, where it is now. An emptied row goes.
CREATE TRIGGER payout_totals_insert AFTER INSERT ON objects WHEN NEW.kind = 'payout'
BEGIN
    INSERT INTO payout_day_totals (dated, day, currency, status, amount, payouts)
    VALUES (NEW.arrival_date IS NOT NULL, coalesce(NEW.arrival_date / 86400, 0), coalesce(NEW.currency, ''),
            coalesce(NEW.status, ''), coalesce(NEW.amount, 0), 1)
    ON CONFLICT (dated, day, currency, status) DO UPDATE SET amount = amount + excluded.amount, payouts = payouts + 1;
    INSERT INTO payout_account_day_totals (account, dated, day, currency, status, amount, payouts)
    VALUES (NEW.account, NEW.arrival_date IS NOT NULL, coalesce(NEW.arrival_date / 86400, 0),
            coalesce(NEW.currency, ''), coalesce(NEW.status, ''), coalesce(NEW.amount, 0), 1)
    ON CONFLICT (account, dated, day, currency, status)
    DO UPDATE SET amount = amount + excluded.amount, payouts = payouts + 1;
END;

CREATE TRIGGER payout_totals_delete AFTER DELETE ON objects WHEN OLD.kind = 'payout'
BEGIN
    UPDATE payout_day_totals SET amount = amount - coalesce(OLD.amount, 0), payouts = payouts - 1
    WHERE dated = (OLD.arrival_date IS NOT NULL) AND day = coalesce(OLD.arrival_date / 86400, 0)
      AND currency = coalesce(OLD.currency, '') AND status = coalesce(OLD.status, '');
    DELETE FROM payout_day_totals
    WHERE dated = (OLD.arrival_date IS NOT NULL) AND day = coalesce(OLD.arrival_date / 86400, 0)
      AND currency = coalesce(OLD.currency, '') AND status = coalesce(OLD.status, '') AND payouts = 0;
    UPDATE payout_account_day_totals SET amount = amount - coalesce(OLD.amount, 0), payouts = payouts - 1
    WHERE account = OLD.account AND dated = (OLD.arrival_date IS NOT NULL)
      AND day = coalesce(OLD.arrival_date / 86400, 0) AND currency = coalesce(OLD.currency, '')
      AND status = coalesce(OLD.status, '');
    DELETE FROM payout_account_day_totals
    WHERE account = OLD.account AND dated = (OLD.arrival_date IS NOT NULL)
      AND day = coalesce(OLD.arrival_date / 86400, 0) AND currency = coalesce(OLD.currency, '')
      AND status = coalesce(OLD.status, '') AND payouts = 0;
END;

-- An update is the old row leaving and the new one arriving; a sync writing a payout again
-- unchanged (most of them) touches no total.
CREATE TRIGGER payout_totals_update_old AFTER UPDATE OF kind, account, status, amount, currency, raw ON objects
WHEN OLD.kind = 'payout'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.arrival_date IS NOT OLD.arrival_date
      OR NEW.currency IS NOT OLD.currency OR NEW.status IS NOT OLD.status OR NEW.amount IS NOT OLD.amount)
BEGIN
    UPDATE payout_day_totals SET amount = amount - coalesce(OLD.amount, 0), payouts = payouts - 1
    WHERE dated = (OLD.arrival_date IS NOT NULL) AND day = coalesce(OLD.arrival_date / 86400, 0)
      AND currency = coalesce(OLD.currency, '') AND status = coalesce(OLD.status, '');
    DELETE FROM payout_day_totals
    WHERE dated = (OLD.arrival_date IS NOT NULL) AND day = coalesce(OLD.arrival_date / 86400, 0)
      AND currency = coalesce(OLD.currency, '') AND status = coalesce(OLD.status, '') AND payouts = 0;
    UPDATE payout_account_day_totals SET amount = amount - coalesce(OLD.amount, 0), payouts = payouts - 1
    WHERE account = OLD.account AND dated = (OLD.arrival_date IS NOT NULL)
      AND day = coalesce(OLD.arrival_date / 86400, 0) AND currency = coalesce(OLD.currency, '')
      AND status = coalesce(OLD.status, '');
    DELETE FROM payout_account_day_totals
    WHERE account = OLD.account AND dated = (OLD.arrival_date IS NOT NULL)
      AND day = coalesce(OLD.arrival_date / 86400, 0) AND currency = coalesce(OLD.currency, '')
      AND status = coalesce(OLD.status, '') AND payouts = 0;
END;

CREATE TRIGGER payout_totals_update_new AFTER UPDATE OF kind, account, status, amount, currency, raw ON objects
WHEN NEW.kind = 'payout'
 AND (NEW.kind IS NOT OLD.kind OR NEW.account IS NOT OLD.account OR NEW.arrival_date IS NOT OLD.arrival_date
      OR NEW.currency IS NOT OLD.currency OR NEW.status IS NOT OLD.status OR NEW.amount IS NOT OLD.amount)
BEGIN
    INSERT INTO payout_day_totals (dated, day, currency, status, amount, payouts)
    VALUES (NEW.arrival_date IS NOT NULL, coalesce(NEW.arrival_date / 86400, 0), coalesce(NEW.currency, ''),
            coalesce(NEW.status, ''), coalesce(NEW.amount, 0), 1)
    ON CONFLICT (dated, day, currency, status) DO UPDATE SET amount = amount + excluded.amount, payouts = payouts + 1;
    INSERT INTO payout_account_day_totals (account, dated, day, currency, status, amount, payouts)
    VALUES (NEW.account, NEW.arrival_date IS NOT NULL, coalesce(NEW.arrival_date / 86400, 0),
            coalesce(NEW.currency, ''), coalesce(NEW.status, ''), coalesce(NEW.amount, 0), 1)
    ON CONFLICT (account, dated, day, currency, status)
    DO UPDATE SET amount = amount + excluded.amount, payouts = payouts + 1;
END;
