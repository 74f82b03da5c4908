"""Moderation in the central database: the coordinators' side of every item."""

from __future__ import annotations

import sqlite3

from .submission import item_digest


def ratings_to_look_at(conn: sqlite3.Connection, assessment_uuid: str) -> list[str]:
    """Items whose assessor rating was given on content the unit has changed since."""
    return [code for code, stored in conn.execute(
        "SELECT item_code, evidence_digest FROM moderation WHERE assessment_uuid = ? "
        "AND assessor_rating IS NOT NULL ORDER BY item_code", [assessment_uuid]).fetchall()
        if stored != item_digest(conn, assessment_uuid, code)]
