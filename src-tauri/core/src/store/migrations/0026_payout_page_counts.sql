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

-- Per name the payouts sort under (`payee_name`, schema 16). A payout arrives without one and is
-- given it at once by schema 16's trigger: counted from then on.
CREATE TABLE payout_payee_counts (
    payee_name TEXT NOT NULL PRIMARY KEY,
    payouts    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO payout_amount_steps (currency, step, payouts)
SELECT currency, amount >> 10, count(*) FROM objects
WHERE kind = 'payout' AND currency IS NOT NULL AND amount IS NOT NULL GROUP BY 1, 2;

INSERT INTO payout_payee_counts (payee_name, payouts)
SELECT payee_name, count(*) FROM objects WHERE kind = 'payout' AND payee_name IS NOT NULL GROUP BY 1;

-- The one place the rule is written: a payout counted (sign 1) or no longer (sign -1) with the
-- currency, amount and name it had. Kept in the transaction of every write to `objects`, as the
-- day totals are; a count left at 0 stays, as 0.
CREATE VIEW payout_page_count_change (currency, amount, payee_name, sign) AS SELECT NULL, NULL, NULL, NULL;

CREATE TRIGGER payout_page_count_change_apply INSTEAD OF INSERT ON payout_page_count_change
BEGIN
    INSERT INTO payout_amount_steps (currency, step, payouts)
    SELECT NEW.currency, NEW.amount >> 10, NEW.sign WHERE NEW.currency IS NOT NULL AND NEW.amount IS NOT NULL
    ON CONFLICT (currency, step) DO UPDATE SET payouts = payouts + excluded.payouts;
    INSERT INTO payout_payee_counts (payee_name, payouts)
    SELECT NEW.payee_name, NEW.sign WHERE NEW.payee_name IS NOT NULL
    ON CONFLICT (payee_name) DO UPDATE SET payouts = payouts + excluded.payouts;
END;

CREATE TRIGGER payout_page_counts_insert AFTER INSERT ON objects WHEN NEW.kind = 'payout'
BEGIN
    INSERT INTO payout_page_count_change VALUES (NEW.currency, NEW.amount, NEW.payee_name, 1);
END;

CREATE TRIGGER payout_page_counts_delete AFTER DELETE ON objects WHEN OLD.kind = 'payout'
BEGIN
    INSERT INTO payout_page_count_change VALUES (OLD.currency, OLD.amount, OLD.payee_name, -1);
END;

-- An update is the old payout leaving and the new one arriving; a sync writing a payout again
-- unchanged touches no count.
CREATE TRIGGER payout_page_counts_update AFTER UPDATE OF kind, amount, currency, payee_name, raw ON objects
WHEN (OLD.kind = 'payout' OR NEW.kind = 'payout')
 AND (NEW.kind IS NOT OLD.kind OR NEW.currency IS NOT OLD.currency OR NEW.amount IS NOT OLD.amount
      OR NEW.payee_name IS NOT OLD.payee_name)
BEGIN
    INSERT INTO payout_page_count_change
    SELECT OLD.currency, OLD.amount, OLD.payee_name, -1 WHERE OLD.kind = 'payout';
    INSERT INTO payout_page_count_change
    SELECT NEW.currency, NEW.amount, NEW.payee_name, 1 WHERE NEW.kind = 'payout';
END;
