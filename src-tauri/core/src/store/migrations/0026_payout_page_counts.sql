-- Version 26: a page deep in the payouts sorted by amount or by restaurant name. SQLite steps over
-- every payout before an OFFSET, so the middle of 100,000 was 50,000 steps (2-3 ms, 5 at p99).
-- Payouts are counted here per currency and step of 1,024 minor units of amount, and per name
-- they sort under: the page starts at the step or name that holds it, found by adding up the
-- counts before it, and steps over the few payouts of that step or name before it.
--
-- A payout without a currency or an amount is not counted by amount: the list then steps from the
-- start as before (it knows by comparing the sum here with the payouts counted per day, schema 15).
CREATE TABLE payout_amount_steps (
    currency TEXT NOT NULL,
    -- amount >> 10: the amounts from step * 1024 to step * 1024 + 1023.
    step     INTEGER NOT NULL,
    payouts  INTEGER NOT NULL,
    PRIMARY KEY (currency, step)
) STRICT, WITHOUT ROWID;

INSERT INTO payout_amount_steps (currency, step, payouts)
SELECT currency, amount >> 10, count(*) FROM objects
WHERE kind = 'payout' AND currency IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2;

-- Kept in the transaction of every write to `objects`, as the day totals are. A step left at 0
-- stays, as 0.
CREATE TRIGGER payout_amount_steps_insert AFTER INSERT ON objects
WHEN NEW.kind = 'payout' AND NEW.currency IS NOT NULL AND NEW.amount IS NOT NULL
BEGIN
    INSERT INTO payout_amount_steps (currency, step, payouts) VALUES (NEW.currency, NEW.amount >> 10, 1)
    ON CONFLICT (currency, step) DO UPDATE SET payouts = payouts + 1;
END;

CREATE TRIGGER payout_amount_steps_delete AFTER DELETE ON objects
WHEN OLD.kind = 'payout' AND OLD.currency IS NOT NULL AND OLD.amount IS NOT NULL
BEGIN
    UPDATE payout_amount_steps SET payouts = payouts - 1 WHERE currency = OLD.currency AND step = OLD.amount >> 10;
END;

CREATE TRIGGER payout_amount_steps_update_old AFTER UPDATE OF kind, amount, currency, raw ON objects
WHEN OLD.kind = 'payout' AND OLD.currency IS NOT NULL AND OLD.amount IS NOT NULL
 AND (NEW.kind IS NOT OLD.kind OR NEW.currency IS NOT OLD.currency OR NEW.amount IS NOT OLD.amount)
BEGIN
    UPDATE payout_amount_steps SET payouts = payouts - 1 WHERE currency = OLD.currency AND step = OLD.amount >> 10;
END;

CREATE TRIGGER payout_amount_steps_update_new AFTER UPDATE OF kind, amount, currency, raw ON objects
WHEN NEW.kind = 'payout' AND NEW.currency IS NOT NULL AND NEW.amount IS NOT NULL
 AND (NEW.kind IS NOT OLD.kind OR NEW.currency IS NOT OLD.currency OR NEW.amount IS NOT OLD.amount)
BEGIN
    INSERT INTO payout_amount_steps (currency, step, payouts) VALUES (NEW.currency, NEW.amount >> 10, 1)
    ON CONFLICT (currency, step) DO UPDATE SET payouts = payouts + 1;
END;

-- Per name the payouts sort under (`payee_name`, schema 16). A payout arrives without one and is
-- given it at once by schema 16's trigger: counted from then on.
CREATE TABLE payout_payee_counts (
    payee_name TEXT NOT NULL PRIMARY KEY,
    payouts    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO payout_payee_counts (payee_name, payouts)
SELECT payee_name, count(*) FROM objects WHERE kind = 'payout' AND payee_name IS NOT NULL GROUP BY 1;

CREATE TRIGGER payout_payee_counts_insert AFTER INSERT ON objects
WHEN NEW.kind = 'payout' AND NEW.payee_name IS NOT NULL
BEGIN
    INSERT INTO payout_payee_counts (payee_name, payouts) VALUES (NEW.payee_name, 1)
    ON CONFLICT (payee_name) DO UPDATE SET payouts = payouts + 1;
END;

CREATE TRIGGER payout_payee_counts_delete AFTER DELETE ON objects
WHEN OLD.kind = 'payout' AND OLD.payee_name IS NOT NULL
BEGIN
    UPDATE payout_payee_counts SET payouts = payouts - 1 WHERE payee_name = OLD.payee_name;
END;

CREATE TRIGGER payout_payee_counts_update_old AFTER UPDATE OF kind, payee_name ON objects
WHEN OLD.kind = 'payout' AND OLD.payee_name IS NOT NULL
 AND (NEW.kind IS NOT OLD.kind OR NEW.payee_name IS NOT OLD.payee_name)
BEGIN
    UPDATE payout_payee_counts SET payouts = payouts - 1 WHERE payee_name = OLD.payee_name;
END;

CREATE TRIGGER payout_payee_counts_update_new AFTER UPDATE OF kind, payee_name ON objects
WHEN NEW.kind = 'payout' AND NEW.payee_name IS NOT NULL
 AND (NEW.kind IS NOT OLD.kind OR NEW.payee_name IS NOT OLD.payee_name)
BEGIN
    INSERT INTO payout_payee_counts (payee_name, payouts) VALUES (NEW.payee_name, 1)
    ON CONFLICT (payee_name) DO UPDATE SET payouts = payouts + 1;
END;
