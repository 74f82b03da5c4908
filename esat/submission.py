"""A submission: one assessment's unit content, its hash, and the file that carries it.

The *content* of an assessment is what the unit wrote: the unit, the
assessment's details, responses, evidence, actions, strand tags and sign-offs
(never the coordinators' moderation). It is held as plain JSON with sorted keys
and without timestamps, so the same content always gives the same SHA-256,
whichever file it is in. That hash identifies a submission's content in the
unit's ``submissions`` table and in the central database.

``extract`` writes a new ``.esat`` file holding exactly one assessment (not a
copy of the whole file: a copy of a central database would send every unit).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from . import fileformat

# The unit's own tables of an assessment, in the order they are written.
UNIT_TABLES = ("responses", "evidence", "actions", "strand_tags", "signoffs")
_TIMESTAMPS = ("created_at", "updated_at")


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def content(conn: sqlite3.Connection, assessment_uuid: str) -> dict[str, Any]:
    """The unit's content of one assessment as a JSON-ready dict (rows keep their
    timestamps; the digest leaves them out)."""
    (assessment,) = _rows(conn, "SELECT * FROM assessments WHERE uuid = ?", [assessment_uuid])
    (unit,) = _rows(conn, "SELECT code, name, unit_type, area FROM units WHERE uuid = ?",
                    [assessment.pop("unit_uuid")])
    (framework,) = _rows(conn, "SELECT framework_id, version, sha256 FROM frameworks "
                               "WHERE framework_id = ? AND version = ?",
                         [assessment["framework_id"], assessment["framework_version"]])
    out: dict[str, Any] = {"unit": unit, "assessment": assessment, "framework": framework}
    for table in UNIT_TABLES:
        out[table] = _rows(conn, f"SELECT * FROM {table} WHERE assessment_uuid = ? ORDER BY uuid",
                           [assessment_uuid])
    return out


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _without_timestamps(value: Any) -> Any:
    # only dicts and lists are gone into (a call per value would be most of digest's time)
    if isinstance(value, dict):
        return {k: _without_timestamps(v) if isinstance(v, (dict, list)) else v
                for k, v in value.items() if k not in _TIMESTAMPS}
    if isinstance(value, list):
        return [_without_timestamps(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def digest(data: dict[str, Any]) -> str:
    """SHA-256 of the content, timestamps left out: the same content gives the same hash."""
    return hashlib.sha256(canonical(_without_timestamps(data)).encode("utf-8")).hexdigest()


def content_digest(conn: sqlite3.Connection, assessment_uuid: str) -> str:
    return digest(content(conn, assessment_uuid))


def item_digest(conn: sqlite3.Connection, assessment_uuid: str, code: str) -> str:
    """SHA-256 of what the unit holds on one item (rating, narrative, exemption request,
    evidence): an assessor rating given on another digest is due another look."""
    response = _rows(conn, "SELECT self_rating, narrative, unit_exempt, unit_exemption_reason "
                           "FROM responses WHERE assessment_uuid = ? AND item_code = ?",
                     [assessment_uuid, code])
    evidence = _rows(conn, "SELECT kind, title, body, blob_sha256, file_name FROM evidence "
                           "WHERE assessment_uuid = ? AND item_code = ? ORDER BY uuid",
                     [assessment_uuid, code])
    return digest({"response": response, "evidence": evidence})


def item_digests(conn: sqlite3.Connection, assessment_uuid: str,
                 codes: list[str]) -> dict[str, str]:
    """:func:`item_digest` of each of ``codes``, read in two queries for the whole
    assessment (not two per item): what a central database of many rated units needs."""
    responses: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    evidence: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for code, *values in conn.execute(
            "SELECT item_code, self_rating, narrative, unit_exempt, unit_exemption_reason "
            "FROM responses WHERE assessment_uuid = ?", [assessment_uuid]):
        if code in responses:
            responses[code].append(dict(zip(
                ("self_rating", "narrative", "unit_exempt", "unit_exemption_reason"), values)))
    for code, *values in conn.execute(
            "SELECT item_code, kind, title, body, blob_sha256, file_name FROM evidence "
            "WHERE assessment_uuid = ? ORDER BY uuid", [assessment_uuid]):
        if code in evidence:
            evidence[code].append(dict(zip(
                ("kind", "title", "body", "blob_sha256", "file_name"), values)))
    # the columns read hold no timestamp, so digest()'s removal of them is skipped:
    # the same bytes are hashed (tests/test_moderation.py compares with item_digest)
    return {code: hashlib.sha256(canonical({"response": responses[code],
                                            "evidence": evidence[code]}).encode("utf-8")
                                 ).hexdigest()
            for code in codes}


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def copy_rows(source: sqlite3.Connection, target: sqlite3.Connection, table: str,
              where: str, params: list[Any], replace: dict[str, Any] | None = None) -> int:
    """Copy the rows of ``table`` matching ``where`` from one database to another,
    column by name; ``replace`` overrides columns. Returns the number of rows."""
    columns = _columns(target, table)
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    count = 0
    if replace:
        positions = [(columns.index(k), v) for k, v in replace.items()]
    while True:
        batch = cursor.fetchmany(200)
        if not batch:
            return count
        if replace:
            fixed = []
            for row in batch:
                row = list(row)
                for index, value in positions:
                    row[index] = value
                fixed.append(row)
            batch = fixed
        target.executemany(sql, batch)
        count += len(batch)


def extract(source: sqlite3.Connection, assessment_uuid: str, target: Path,
            meta: dict[str, str], submission_row: dict[str, Any]) -> None:
    """Write a new unit file at ``target`` holding exactly one assessment.

    Built under a temporary name and renamed only when complete. The new file's
    ``submissions`` table holds the assessment's earlier submissions and
    ``submission_row``; its meta holds ``meta`` (the submission's uuid, ...).
    """
    with fileformat.new_file(target) as db:
        out = db.conn
        a = source.execute("SELECT unit_uuid, framework_id, framework_version FROM assessments "
                           "WHERE uuid = ?", [assessment_uuid]).fetchone()
        with db.atomic():
            out.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            [("role", "unit"), *meta.items()])
            copy_rows(source, out, "frameworks", "framework_id = ? AND version = ?", [a[1], a[2]])
            copy_rows(source, out, "units", "uuid = ?", [a[0]])
            copy_rows(source, out, "assessments", "uuid = ?", [assessment_uuid])
            for table in UNIT_TABLES:
                copy_rows(source, out, table, "assessment_uuid = ?", [assessment_uuid])
            copy_rows(source, out, "blobs", "sha256 IN (SELECT blob_sha256 FROM evidence "
                                            "WHERE assessment_uuid = ?)", [assessment_uuid])
            copy_rows(source, out, "submissions", "assessment_uuid = ? AND uuid <> ?",
                      [assessment_uuid, submission_row["uuid"]])
            columns = list(submission_row)
            out.execute(f"INSERT INTO submissions ({', '.join(columns)}) VALUES "
                        f"({', '.join('?' for _ in columns)})", list(submission_row.values()))

