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


# (name, step) in order; step N brings a file to user_version N.
STEPS = (
    ("0001_schema", _schema),
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
