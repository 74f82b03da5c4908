"""What a central database received from each unit, and resolving conflicts."""

from __future__ import annotations

import json
from typing import Any

from ..errors import EsatError, ValidationError
from ..store import Store
from .merge import apply_content

STATES = {"current": "current", "superseded": "superseded", "conflict": "conflict (not applied)",
          "set_aside": "set aside"}


def history(central: Store, unit_code: str) -> list[dict[str, Any]]:
    """Every submission received from the unit, oldest first, with its provenance."""
    code = (unit_code or "").strip().upper()
    cursor = central.db.execute(
        "SELECT uuid, submission_uuid, assessment_uuid, unit_code, revision, supersedes_uuid, "
        "content_sha256, source_kind, source_name, source_sha256, merged_at, merged_by, state, "
        "conflict_reason, resolved_by, resolved_at FROM received_submissions "
        "WHERE unit_code = ? ORDER BY merged_at, rowid", [code])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def received_content(central: Store, received_uuid: str) -> dict[str, Any]:
    """The unit's content as it was in that submission (earlier revisions stay readable)."""
    row = central.db.execute("SELECT content FROM received_submissions WHERE uuid = ?",
                             [_full_uuid(central, received_uuid)]).fetchone()
    return json.loads(row[0])


def conflicts(central: Store) -> list[dict[str, Any]]:
    cursor = central.db.execute(
        "SELECT uuid, unit_code, revision, source_name, merged_at, conflict_reason "
        "FROM received_submissions WHERE state = 'conflict' ORDER BY merged_at, rowid")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def resolve(central: Store, received_uuid: str, *, keep: str) -> dict[str, Any]:
    """Settle a conflict: ``keep="incoming"`` applies the conflicting submission
    (the current one becomes superseded); ``keep="current"`` sets it aside.
    The choice, who made it and when are recorded and audited."""
    if keep not in ("incoming", "current"):
        raise ValidationError(f"choose --keep incoming or --keep current, not {keep!r}")
    central._writable()
    with central.db.atomic():
        row_uuid = _full_uuid(central, received_uuid)
        state, target, content = central.db.execute(
            "SELECT state, assessment_uuid, content FROM received_submissions WHERE uuid = ?",
            [row_uuid]).fetchone()
        if state != "conflict":
            raise EsatError(f"submission {received_uuid} is {STATES[state]}, not a conflict")
        now = central._now()
        if keep == "incoming":
            apply_content(central, json.loads(content), target)
            central.db.execute("UPDATE received_submissions SET state = 'superseded', "
                               "updated_at = ? WHERE assessment_uuid = ? AND state = 'current'",
                               [now, target])
            new_state = "current"
        else:
            new_state = "set_aside"
        central.db.execute("UPDATE received_submissions SET state = ?, resolved_by = ?, "
                           "resolved_at = ?, updated_at = ? WHERE uuid = ?",
                           [new_state, central.actor, now, now, row_uuid])
        central._log(target, "received_submissions", row_uuid, "update", "state", state,
                     new_state)
    return {"uuid": row_uuid, "state": new_state, "resolved_by": central.actor}


def _full_uuid(central: Store, prefix: str) -> str:
    prefix = (prefix or "").strip().lower()
    if len(prefix) < 4:
        raise ValidationError("give at least the first 4 characters of the submission's id")
    rows = central.db.execute("SELECT uuid FROM received_submissions WHERE uuid LIKE ? || '%'",
                              [prefix]).fetchall()
    if not rows:
        raise EsatError(f"no received submission {prefix}")
    if len(rows) > 1:
        raise EsatError(f"{prefix} names {len(rows)} received submissions; give more of it")
    return rows[0][0]
