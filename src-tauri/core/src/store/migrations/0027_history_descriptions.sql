-- Version 27: the balance history searched by words many descriptions hold, or too short for a
-- trigram (schema 24 finds the few that hold longer words). Looking up 100,000 holders of a word
-- and sorting them took 0.24 s; such a search now walks the restaurant's history in order, testing
-- each description until the page is full, and counts only so far. The history's two indexes end
-- with the description, so the walk reads the index alone, not each transaction's JSON (an index
-- on the expression covers it; one on a generated column would not).
DROP INDEX objects_history;
DROP INDEX objects_history_type;
CREATE INDEX objects_history ON objects (kind, account, created, id, json_extract(raw, '$.description'))
    WHERE kind = 'balance_transaction';
CREATE INDEX objects_history_type ON objects (kind, account, type, created, id, json_extract(raw, '$.description'))
    WHERE kind = 'balance_transaction';
