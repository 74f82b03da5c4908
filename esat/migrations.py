"""Schema migrations of the ``.esat`` file.

``schema.sql`` is the first migration. Every migration runs in one
transaction together with the ``user_version`` it brings the file to, so a
file's ``user_version`` always equals the number of migrations applied to it.
To change the schema, append a migration here; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

from typing import TYPE_CHECKING

if TYPE_CHECKING:      # sqlite-utils is imported only when migrations run (see connection.py)
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

from .bundled import schema_sql_path

MIGRATION_SET = "esat"

# Kept here (not imported from fileformat) to avoid a cycle; fileformat checks it.
_APPLICATION_ID = 0x45534154


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (comments kept)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise ValueError("schema.sql ends with an incomplete statement")
    return statements


def _schema(db: "Database") -> None:
    """Version 1: the whole of schema.sql, and the application id."""
    for statement in split_statements(schema_sql_path().read_text(encoding="utf-8")):
        db.conn.execute(statement)
    db.conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")


_COORDINATOR_TABLES = """
-- The coordinators' judgement of one item of one assessment. A unit's file
-- holds rows here only as taken in from a feedback file; the unit never writes them.
CREATE TABLE moderation (
    uuid                   TEXT PRIMARY KEY,
    assessment_uuid        TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    item_code              TEXT NOT NULL,
    assessor_rating        TEXT,            -- scale point id; counts over the unit's own
    assessor_name          TEXT NOT NULL DEFAULT '',
    assessor_rated_at      TEXT,
    comment                TEXT NOT NULL DEFAULT '',
    further_evidence       INTEGER NOT NULL DEFAULT 0 CHECK (further_evidence IN (0, 1)),
    exemption_decision     INTEGER CHECK (exemption_decision IN (0, 1)),   -- NULL: no decision
    exemption_reason       TEXT NOT NULL DEFAULT '',
    decided_by             TEXT NOT NULL DEFAULT '',
    decided_at             TEXT,
    evidence_digest        TEXT NOT NULL DEFAULT '',  -- the unit's content the rating was given on
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    UNIQUE (assessment_uuid, item_code)
);

-- Central database: every submission received, with its provenance and what became of it.
CREATE TABLE received_submissions (
    uuid               TEXT PRIMARY KEY,
    submission_uuid    TEXT NOT NULL,      -- as the unit's file says (a workbook's is derived)
    assessment_uuid    TEXT NOT NULL,
    unit_code          TEXT NOT NULL,
    revision           INTEGER NOT NULL,
    supersedes_uuid    TEXT,
    ancestors          TEXT NOT NULL DEFAULT '[]',   -- JSON: the unit's earlier submission uuids
    content_sha256     TEXT NOT NULL,
    source_kind        TEXT NOT NULL CHECK (source_kind IN ('esat', 'xlsx')),
    source_name        TEXT NOT NULL,
    source_sha256      TEXT NOT NULL,
    merged_at          TEXT NOT NULL,
    merged_by          TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('current', 'superseded', 'conflict', 'set_aside')),
    conflict_reason    TEXT NOT NULL DEFAULT '',
    resolved_by        TEXT NOT NULL DEFAULT '',
    resolved_at        TEXT,
    content            TEXT NOT NULL,      -- the unit's content as JSON: earlier revisions stay readable
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX received_submissions_assessment ON received_submissions (assessment_uuid);
CREATE INDEX received_submissions_submission ON received_submissions (submission_uuid);
CREATE INDEX received_submissions_unit ON received_submissions (unit_code);

-- Central database: the organisation's KPI target per financial year (rule 6).
CREATE TABLE kpi_targets (
    uuid            TEXT PRIMARY KEY,
    period          TEXT NOT NULL UNIQUE,           -- financial year, e.g. 2010/11
    target_percent  INTEGER NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
    set_by          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Central database: dip samples drawn for checking, reproducible from seed and size.
CREATE TABLE dip_samples (
    uuid             TEXT PRIMARY KEY,
    assessment_uuid  TEXT NOT NULL REFERENCES assessments (uuid) ON DELETE CASCADE,
    seed             INTEGER NOT NULL,
    size             INTEGER NOT NULL CHECK (size >= 0),
    item_codes       TEXT NOT NULL,                 -- JSON list, in drawing order
    drawn_by         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX dip_samples_assessment ON dip_samples (assessment_uuid);

-- Central database: full-text index of the units' words, kept by the merge
-- (the only path unit content enters a central database), never by triggers.
CREATE VIRTUAL TABLE search_index USING fts5 (
    text, unit_code UNINDEXED, item_code UNINDEXED, kind UNINDEXED,
    assessment_uuid UNINDEXED, source_uuid UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
"""

_MOVED_COLUMNS = ("assessor_rating", "assessor_name", "assessor_rated_at", "coord_exempt",
                  "coord_exemption_reason")


def _coordinator_apart(db: "Database") -> None:
    """Version 2: coordinators' fields in tables of their own, file roles, one unit per code,
    and a content hash for each submission."""
    import uuid
    conn = db.conn
    for statement in split_statements(_COORDINATOR_TABLES):
        conn.execute(statement)
    rows = conn.execute(
        "SELECT assessment_uuid, item_code, assessor_rating, assessor_name, assessor_rated_at, "
        "coord_exempt, coord_exemption_reason, created_at, updated_at FROM responses "
        "WHERE assessor_rating IS NOT NULL OR coord_exempt IS NOT NULL").fetchall()
    for (a_uuid, code, rating, name, rated_at, exempt, reason, created, updated) in rows:
        conn.execute(
            "INSERT INTO moderation (uuid, assessment_uuid, item_code, assessor_rating, "
            "assessor_name, assessor_rated_at, exemption_decision, exemption_reason, decided_at, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [str(uuid.uuid4()), a_uuid, code, rating, name if rating is not None else "",
             rated_at, exempt, reason if exempt is not None else "",
             updated if exempt is not None else None, created, updated])
    for column in _MOVED_COLUMNS:
        conn.execute(f"ALTER TABLE responses DROP COLUMN {column}")
    # one unit per code: later rows of a code join the first
    for code, keep in conn.execute(
            "SELECT code, (SELECT uuid FROM units v WHERE v.code = u.code "
            "ORDER BY created_at, rowid LIMIT 1) FROM units u GROUP BY code "
            "HAVING COUNT(*) > 1").fetchall():
        conn.execute("UPDATE assessments SET unit_uuid = ? WHERE unit_uuid IN "
                     "(SELECT uuid FROM units WHERE code = ?)", [keep, code])
        conn.execute("DELETE FROM units WHERE code = ? AND uuid <> ?", [code, keep])
    conn.execute("DROP INDEX units_code")
    conn.execute("CREATE UNIQUE INDEX units_code ON units (code)")
    conn.execute("ALTER TABLE submissions ADD COLUMN sha256 TEXT NOT NULL DEFAULT ''")
    role = conn.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('role', ?)",
                 [role[0] if role and role[0] in ("unit", "central", "feedback") else "unit"])
    conn.execute("DELETE FROM meta WHERE key = 'kind'")


_SEARCH_COLUMNS = ("text", "unit_code", "item_code", "kind", "assessment_uuid", "source_uuid")


def _search_prefixes(db: "Database") -> None:
    """Version 3: the search index also indexes every word's first 1, 2 and 3 characters
    (FTS5 ``prefix``), so a short prefix query (``ba*``) reads one list instead of
    merging the lists of every word it starts. An FTS5 table's options cannot be
    changed, so the index is made again with the same rows and rowids."""
    conn = db.conn
    columns = ", ".join(_SEARCH_COLUMNS)
    conn.execute(f"CREATE TEMP TABLE search_rows AS SELECT rowid AS piece, {columns} "
                 "FROM main.search_index")
    conn.execute("DROP TABLE main.search_index")
    conn.execute("""
CREATE VIRTUAL TABLE search_index USING fts5 (
    text, unit_code UNINDEXED, item_code UNINDEXED, kind UNINDEXED,
    assessment_uuid UNINDEXED, source_uuid UNINDEXED, tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
)""")
    conn.execute(f"INSERT INTO main.search_index (rowid, {columns}) "
                 f"SELECT piece, {columns} FROM temp.search_rows ORDER BY piece")
    conn.execute("DROP TABLE temp.search_rows")


# (name, step) in order; step N brings a file to user_version N.
STEPS = (
    ("0001_schema", _schema),
    ("0002_coordinator_apart", _coordinator_apart),
    ("0003_search_prefixes", _search_prefixes),
)



def schema_version() -> int:
    """The schema version this ESAT writes: the number of migration steps."""
    return len(STEPS)


def build_migrations() -> "Migrations":
    """The sqlite-utils migration set; each step also sets ``user_version``."""
    from sqlite_utils.migrations import Migrations
    migrations = Migrations(MIGRATION_SET)
    for version, (name, step) in enumerate(STEPS, start=1):
        migrations(name=name)(_versioned(step, version))
    return migrations


def _versioned(step, version: int):
    def run(db: "Database") -> None:
        step(db)
        db.conn.execute(f"PRAGMA user_version = {version}")
    return run
