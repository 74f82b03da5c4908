-- ESAT assessment file, schema version 1.
--
-- Applied as the first migration of every .esat file (esat/migrations.py).
-- One schema serves a unit's own file and the coordinators' central database:
-- a file may hold many units and many assessments.
--
-- Conventions
--   * Every record has a `uuid` (text, RFC 4122) as its key, so files from many
--     units merge without collisions, and `created_at` / `updated_at`
--     timestamps (ISO 8601, UTC, e.g. 2011-02-15T10:30:00.000Z).
--   * Ratings and exemptions refer to items by the framework's item code; the
--     framework definition an assessment was made under is kept in the file
--     (`frameworks`), so it still opens and scores after bundled wording changes.
--   * Booleans are 0/1 integers.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE frameworks (
    framework_id TEXT NOT NULL,
    version      TEXT NOT NULL,
    definition   TEXT NOT NULL,          -- the framework JSON as loaded
    sha256       TEXT NOT NULL,          -- of `definition`
    added_at     TEXT NOT NULL,
    PRIMARY KEY (framework_id, version)
);

CREATE TABLE units (
    uuid        TEXT PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    unit_type   TEXT NOT NULL,
    area        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX units_code ON units (code);

CREATE TABLE assessments (
    uuid                TEXT PRIMARY KEY,
    unit_uuid           TEXT NOT NULL REFERENCES units (uuid),
    framework_id        TEXT NOT NULL,
    framework_version   TEXT NOT NULL,
    stage               TEXT,            -- phase assessed; NULL when the framework covers all stages
    period              TEXT NOT NULL DEFAULT '',   -- financial year, e.g. 2010/11
    revision            INTEGER NOT NULL DEFAULT 1,
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed_off')),
    equality_lead       TEXT NOT NULL DEFAULT '',
    smt_lead            TEXT NOT NULL DEFAULT '',
    -- document control, as on the service's report cover sheet
    protective_marking  TEXT NOT NULL DEFAULT 'Not Protectively Marked',
    publication_scheme  INTEGER NOT NULL DEFAULT 0 CHECK (publication_scheme IN (0, 1)),
    title               TEXT NOT NULL DEFAULT '',
    version_label       TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL DEFAULT '',
    author              TEXT NOT NULL DEFAULT '',
    approver            TEXT NOT NULL DEFAULT '',
    owning_unit         TEXT NOT NULL DEFAULT '',
    created_on          TEXT NOT NULL DEFAULT '',   -- document dates (YYYY-MM-DD)
    review_on           TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (framework_id, version)
);
CREATE INDEX assessments_unit ON assessments (unit_uuid);

-- One row per item of an assessment that has any content.
CREATE TABLE responses (
    uuid                    TEXT PRIMARY KEY,
    assessment_uuid         TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    item_code               TEXT NOT NULL,
    self_rating             TEXT,        -- scale point id, or NULL when not rated
    assessor_rating         TEXT,        -- the coordinator's rating; counts over self_rating
    assessor_name           TEXT NOT NULL DEFAULT '',
    assessor_rated_at       TEXT,
    narrative               TEXT NOT NULL DEFAULT '',
    -- exemption claimed by the unit, and the coordinator's decision on it
    unit_exempt             INTEGER NOT NULL DEFAULT 0 CHECK (unit_exempt IN (0, 1)),
    unit_exemption_reason   TEXT NOT NULL DEFAULT '',
    coord_exempt            INTEGER CHECK (coord_exempt IN (0, 1)),  -- NULL: no decision
    coord_exemption_reason  TEXT NOT NULL DEFAULT '',
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    UNIQUE (assessment_uuid, item_code)
);

-- File bodies, stored once per content.
CREATE TABLE blobs (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE evidence (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    item_code        TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('note', 'file', 'link')),
    title            TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL DEFAULT '',     -- note text, or the link's address
    -- a file: its SHA-256 and size; the body is in `blobs` when this file holds
    -- it (an item imported from a workbook may name a file whose body is elsewhere)
    blob_sha256      TEXT,
    file_name        TEXT NOT NULL DEFAULT '',
    file_size        INTEGER,
    position         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK ((kind = 'file') = (blob_sha256 IS NOT NULL))
);
CREATE INDEX evidence_item ON evidence (assessment_uuid, item_code);

CREATE TABLE actions (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    item_code        TEXT,                          -- NULL: a general action
    description      TEXT NOT NULL,
    owner            TEXT NOT NULL DEFAULT '',
    due_on           TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD or empty
    status           TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX actions_assessment ON actions (assessment_uuid);

-- Equality strands served by a response, an evidence item or an action.
CREATE TABLE strand_tags (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    target_kind      TEXT NOT NULL CHECK (target_kind IN ('response', 'evidence', 'action')),
    target_uuid      TEXT NOT NULL,
    strand           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (target_uuid, strand)
);
CREATE INDEX strand_tags_assessment ON strand_tags (assessment_uuid);

-- Sign-off of one revision of an assessment.
CREATE TABLE signoffs (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    revision         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL,
    signed_on        TEXT NOT NULL,                 -- YYYY-MM-DD
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (assessment_uuid, revision)
);

-- Validation of an attained level from outside (ESlg peer challenge).
CREATE TABLE level_validations (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    stage            TEXT NOT NULL,
    validated_by     TEXT NOT NULL,
    validated_on     TEXT NOT NULL,                 -- YYYY-MM-DD
    method           TEXT NOT NULL DEFAULT '',      -- e.g. peer challenge
    note             TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (assessment_uuid, stage)
);

-- Copies sent in. Each exported copy carries its own submission uuid (in its
-- meta table as `submission_uuid`) and the uuid of the submission it supersedes.
CREATE TABLE submissions (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    revision         INTEGER NOT NULL,
    supersedes_uuid  TEXT,
    file_name        TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Every change: who, when, what, old and new value.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid             TEXT NOT NULL UNIQUE,
    at               TEXT NOT NULL,
    actor            TEXT NOT NULL,
    assessment_uuid  TEXT,
    entity           TEXT NOT NULL,                 -- table name
    entity_uuid      TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    field            TEXT,
    old_value        TEXT,
    new_value        TEXT
);
CREATE INDEX audit_log_assessment ON audit_log (assessment_uuid);
