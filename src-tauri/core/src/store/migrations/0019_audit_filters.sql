-- Version 19: the audit log's filters at 100,000 records. The screen shows the newest 500 that
-- match; a filter matching few records walked the whole log to find them (22 ms for a rare
-- action), and a profile that sees only some restaurants had every record's account looked up in
-- the journal (10 ms). Each filter now has an index in the log's order (the row ID, implicit),
-- and the records that can be about a restaurant are found from it: through the journal's
-- account, or the record's target.
CREATE INDEX audit_by_action ON audit_log (action);
CREATE INDEX audit_by_outcome ON audit_log (outcome);
CREATE INDEX audit_by_profile_name ON audit_log (profile_name);
CREATE INDEX audit_by_profile_id ON audit_log (profile_id);
CREATE INDEX audit_by_key ON audit_log (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX audit_by_target ON audit_log (target) WHERE target IS NOT NULL;
CREATE INDEX journal_by_account ON idempotency_journal (account) WHERE account IS NOT NULL;
