-- Version 2: profiles with PINs, account scopes and PIN back-off.
-- Version 1 created a PIN-less "Owner" automatically; such a profile cannot be kept, so the table
-- is recreated and the first run asks for the first owner or admin with a PIN.
DROP TABLE profiles;

CREATE TABLE profiles (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    role            TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff', 'platform_admin')),
    -- Argon2id PHC string of the 4–8 digit PIN (PINs are not API secrets; they stay on this PC).
    pin_hash        TEXT NOT NULL,
    -- JSON array of connected account IDs this profile may see; NULL means all.
    scope_accounts  TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    -- RFC 3339 time before which this profile cannot try a PIN again.
    locked_until    TEXT,
    created_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX profiles_by_name ON profiles (name COLLATE NOCASE);
