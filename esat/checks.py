"""``esat check``: every problem a file has, without changing it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from . import fileformat
from .errors import FrameworkError, InvalidFileError, ValidationError
from .framework import Framework, parse_framework
from .store import ACTION_STATUSES, PERIOD, check_date
from .strands import STRAND_IDS

EXPECTED_TABLES = ("meta", "frameworks", "units", "assessments", "responses", "blobs",
                   "evidence", "actions", "strand_tags", "signoffs", "level_validations",
                   "submissions", "audit_log", "moderation", "received_submissions",
                   "kpi_targets", "dip_samples", "search_index")
# Format 1 had neither the coordinator tables nor file roles (migration 0002 added them).
FORMAT_1_TABLES = EXPECTED_TABLES[:13]


def check_file(path: Path) -> list[str]:
    """Problems found in ``path``; an empty list means the file is valid.

    The file is opened read-only: checking never changes it.
    """
    path = Path(path)
    try:
        header = fileformat.read_header(path)
        fileformat.check_header(path, header)
    except InvalidFileError as exc:
        return [exc.problem]
    try:
        conn = fileformat.connect(path, read_only=True)
    except InvalidFileError as exc:
        return [exc.problem]
    try:
        return _check_open(conn, header.user_version)
    except sqlite3.DatabaseError as exc:
        return [f"is damaged ({exc})"]
    finally:
        conn.close()


def _check_open(conn: sqlite3.Connection, file_version: int) -> list[str]:
    problems = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        return [f"is damaged: {line}" for line in integrity[:20]]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in (FORMAT_1_TABLES if file_version < 2 else EXPECTED_TABLES)
               if t not in tables]
    if missing:
        return [f"lacks the table(s) {', '.join(missing)}"]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid} refers to a missing {parent} record")
    if conn.execute("SELECT value FROM meta WHERE key = 'file_uuid'").fetchone() is None:
        problems.append("has no file uuid in its meta table")
    role = conn.execute("SELECT value FROM meta WHERE key = 'role'").fetchone()
    if file_version >= 2 and (role is None or role[0] not in ("unit", "central", "feedback")):
        problems.append(f"has no known role in its meta table ({role[0] if role else 'none'})")

    frameworks: dict[tuple[str, str], Framework] = {}
    for fid, version, definition, sha in conn.execute(
            "SELECT framework_id, version, definition, sha256 FROM frameworks"):
        if hashlib.sha256(definition.encode("utf-8")).hexdigest() != sha:
            problems.append(f"framework {fid}-{version}: definition does not match its checksum")
        try:
            frameworks[(fid, version)] = parse_framework(definition, source=f"{fid}-{version}")
        except FrameworkError as exc:
            problems.append(f"framework definition {exc.problem}")

    for a_uuid, fid, version, stage, period, unit_type, code in conn.execute(
            "SELECT a.uuid, a.framework_id, a.framework_version, a.stage, a.period, "
            "u.unit_type, u.code FROM assessments a JOIN units u ON u.uuid = a.unit_uuid"):
        where = f"assessment {code} ({a_uuid[:8]})"
        framework = frameworks.get((fid, version))
        if framework is None:
            problems.append(f"{where}: framework {fid}-{version} is not in the file")
            continue
        problems.extend(_check_assessment(conn, where, a_uuid, framework, stage, period, unit_type,
                                          file_version))

    for sha, size, data in conn.execute("SELECT sha256, size, data FROM blobs"):
        if hashlib.sha256(data).hexdigest() != sha or len(data) != size:
            problems.append(f"attachment {sha[:12]}: content does not match its checksum")
    for evidence_uuid, sha, size in conn.execute(
            "SELECT e.uuid, e.blob_sha256, e.file_size FROM evidence e "
            "JOIN blobs b ON b.sha256 = e.blob_sha256 WHERE e.file_size IS NOT b.size"):
        problems.append(f"evidence {evidence_uuid[:8]}: recorded size {size} differs from "
                        f"its attached file")
    return problems


def _check_assessment(conn: sqlite3.Connection, where: str, a_uuid: str, framework: Framework,
                      stage: str | None, period: str, unit_type: str,
                      version: int) -> list[str]:
    problems = []
    try:
        codes = {item.code for item in framework.items_for(stage)}
    except KeyError:
        return [f"{where}: {stage!r} is not a {framework.label('stage').lower()} of {framework.key}"]
    if unit_type not in {t.id for t in framework.unit_types}:
        problems.append(f"{where}: unit type {unit_type!r} is unknown to {framework.key}")
    if period and not PERIOD.match(period):
        problems.append(f"{where}: period {period!r} is not a financial year")
    scale = {point.id for point in framework.scale}
    if version < 2:        # coordinator fields were columns of responses
        sql = ("SELECT item_code, self_rating, assessor_rating, unit_exempt, "
               "unit_exemption_reason, coord_exempt, coord_exemption_reason FROM responses "
               "WHERE assessment_uuid = ?")
        params = [a_uuid]
    else:
        sql = ("SELECT r.item_code, r.self_rating, NULL, r.unit_exempt, r.unit_exemption_reason, "
               "NULL, '' FROM responses r WHERE r.assessment_uuid = ? UNION ALL "
               "SELECT m.item_code, NULL, m.assessor_rating, 0, '', m.exemption_decision, "
               "m.exemption_reason FROM moderation m WHERE m.assessment_uuid = ?")
        params = [a_uuid, a_uuid]
    for code, self_r, assessor_r, u_ex, u_reason, c_ex, c_reason in conn.execute(sql, params):
        if code not in codes:
            problems.append(f"{where}: response for unknown item {code!r}")
        for label, rating in (("self rating", self_r), ("assessor rating", assessor_r)):
            if rating is not None and rating not in scale:
                problems.append(f"{where}, {code}: {label} {rating!r} is not on the scale")
        if u_ex and not u_reason.strip():
            problems.append(f"{where}, {code}: exemption requested without a reason")
        if c_ex and not c_reason.strip():
            problems.append(f"{where}, {code}: exemption granted without a reason")
    for code, in conn.execute("SELECT item_code FROM evidence WHERE assessment_uuid = ?", [a_uuid]):
        if code not in codes:
            problems.append(f"{where}: evidence for unknown item {code!r}")
    for code, status, due in conn.execute(
            "SELECT item_code, status, due_on FROM actions WHERE assessment_uuid = ?", [a_uuid]):
        if code is not None and code not in codes:
            problems.append(f"{where}: action for unknown item {code!r}")
        if status not in ACTION_STATUSES:
            problems.append(f"{where}: action status {status!r} is unknown")
        try:
            check_date(due, "due date")
        except ValidationError as exc:
            problems.append(f"{where}: action {exc}")
    for strand, in conn.execute("SELECT strand FROM strand_tags WHERE assessment_uuid = ?", [a_uuid]):
        if strand not in STRAND_IDS:
            problems.append(f"{where}: unknown equality strand {strand!r}")
    return problems
