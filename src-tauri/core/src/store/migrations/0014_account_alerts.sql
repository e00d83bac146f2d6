-- Version 14: desktop notifications about connected restaurants, once each on this PC. A row per
-- thing noticed: `restricted` (key '') while the account stays restricted, its `noticed_at` being
-- when this PC first saw it restricted (deleted once it is seen unrestricted, so a later
-- restriction is noticed again); `deadline` (key: Stripe's `current_deadline`, unix seconds) once
-- per deadline value.
CREATE TABLE account_alerts (
    account    TEXT NOT NULL,
    -- restricted, deadline.
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    noticed_at TEXT NOT NULL,
    PRIMARY KEY (account, kind, key)
) STRICT;

-- When the check first found restaurants on this PC. That first check only records the restaurants
-- already restricted, so a fresh install does not raise one notification per restaurant.
CREATE TABLE account_alerts_started (
    one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
    at  TEXT NOT NULL
) STRICT;
