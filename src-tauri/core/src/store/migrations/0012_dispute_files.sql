-- Version 12: the files attached to a dispute's evidence from this PC (uploaded to Stripe with
-- purpose dispute_evidence): what the form lists beside each file field and the cover letter
-- names, and the sizes the combined limit adds up.
CREATE TABLE dispute_files (
    file       TEXT PRIMARY KEY NOT NULL,
    dispute    TEXT NOT NULL,
    -- The evidence field it is attached to.
    field      TEXT NOT NULL,
    name       TEXT NOT NULL,
    -- pdf, jpeg, png.
    kind       TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    summary    TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX dispute_files_by_dispute ON dispute_files (dispute, created_at);
