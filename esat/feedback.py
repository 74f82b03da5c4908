"""Feedback: the coordinators' moderation travelling back to a unit.

A feedback file is an ``.esat`` file with the role ``feedback``. It holds the
unit, its assessments as the central database has them (details only) and the
coordinators' records of them: ``moderation`` (assessor ratings, comments,
requests for further evidence, exemption decisions) and ``level_validations``.
It holds none of the unit's own content (the unit has that) and no other unit.

Taking feedback into the unit's file replaces that assessment's coordinator
records with the feedback's, in one transaction, each row audited. The unit
cannot edit them: a unit file refuses coordinator writes (see Store). The
feedback file is checked like any file from elsewhere before a row is read.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from . import fileformat
from .errors import EsatError, InvalidFileError
from .store import Store, new_uuid, refuse_to_replace, upgrade_private_copy
from .submission import copy_rows

COORDINATOR_TABLES = ("moderation", "level_validations")


class FeedbackResult(NamedTuple):
    assessment_uuids: tuple[str, ...]   # the unit's assessments the feedback was taken into
    unit_code: str
    records: int               # moderation and validation rows now in the unit's file
    further_evidence: int      # items on which the coordinators ask for more


def write_feedback(central: Store, unit_code: str, target: Path) -> Path:
    """Write the feedback for every assessment of ``unit_code`` to ``target``."""
    if central.role != "central":
        raise EsatError(f"{central.path}: is a {central.role} file, not a central database")
    code = (unit_code or "").strip().upper()
    assessments = [a for a in central.assessments() if a.unit.code == code]
    if not assessments:
        raise EsatError(f"{central.path}: holds no assessment of unit {code}")
    target = Path(target)
    if not target.parent.is_dir():
        raise EsatError(f"{target}: the folder {target.parent} does not exist")
    refuse_to_replace(target, "feedback", "an earlier feedback file")
    source = central.db.conn
    with fileformat.new_file(target) as db:
        with db.atomic():
            now = central._now()
            db.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
                ("role", "feedback"), ("file_uuid", new_uuid()), ("created_at", now),
                ("created_by", central.actor), ("feedback_for", code),
                ("central_file_uuid", central.meta("file_uuid") or "")])
            copy_rows(source, db.conn, "units", "code = ?", [code])
            for a in assessments:
                if not db.conn.execute(
                        "SELECT 1 FROM frameworks WHERE framework_id = ? AND version = ?",
                        [a.framework_id, a.framework_version]).fetchone():
                    copy_rows(source, db.conn, "frameworks", "framework_id = ? AND version = ?",
                              [a.framework_id, a.framework_version])
                copy_rows(source, db.conn, "assessments", "uuid = ?", [a.uuid])
                for table in COORDINATOR_TABLES:
                    copy_rows(source, db.conn, table, "assessment_uuid = ?", [a.uuid])
    return target


def import_feedback(feedback: Path, into: Store) -> FeedbackResult:
    """Take a feedback file into the unit's file (open for writing as ``into``)."""
    feedback = Path(feedback)
    if into.role != "unit":
        raise EsatError(f"{into.path}: is a {into.role} file; feedback goes into a unit's file")
    mine = {a.uuid: a for a in into.assessments()}
    with tempfile.TemporaryDirectory(prefix="esat-feedback-") as private:
        copy = Path(private) / "feedback.esat"
        try:
            shutil.copyfile(feedback, copy)
        except OSError as exc:
            raise InvalidFileError(feedback, f"cannot be read ({exc.strerror or exc})") from None
        try:     # every check, once (the one open path for files from elsewhere)
            upgrade_private_copy(copy, into.actor)   # from an earlier ESAT: brought up to date
            source = Store.open(copy, actor=into.actor, read_only=True)
        except InvalidFileError as exc:
            raise InvalidFileError(feedback, exc.problem.replace(copy.name, feedback.name)
                                   ) from None
        with source:
            if source.role != "feedback":
                raise InvalidFileError(feedback, f"is a {source.role} file, not a feedback file")
            matching = [a for a in source.assessments() if a.uuid in mine]
            if not matching:
                raise EsatError(f"{feedback}: is feedback on "
                                f"{source.meta('feedback_for') or 'another unit'}'s "
                                f"assessments, none of them the one in {into.path}")
            rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
            for theirs in matching:     # every assessment of the unit's the feedback covers
                ours = mine[theirs.uuid]
                framework = into.framework_of(ours)
                codes = {item.code for item in framework.items_for(ours.stage)}
                scale = {p.id for p in framework.scale}
                rows[theirs.uuid] = {table: _rows(source, table, theirs.uuid)
                                     for table in COORDINATOR_TABLES}
                for row in rows[theirs.uuid]["moderation"]:
                    if row["item_code"] not in codes or (
                            row["assessor_rating"] is not None
                            and row["assessor_rating"] not in scale):
                        raise InvalidFileError(feedback, f"moderation of {row['item_code']!r} "
                                                         "does not fit the unit's "
                                                         f"{ours.framework_id} {ours.period} "
                                                         "assessment")
    into._writable()
    with into.db.atomic():     # all of it or nothing
        for assessment_uuid, tables in rows.items():
            for table in COORDINATOR_TABLES:
                for (old,) in into.db.execute(
                        f"SELECT uuid FROM {table} WHERE assessment_uuid = ?",
                        [assessment_uuid]).fetchall():
                    into._delete(table, old, assessment_uuid)
                for row in tables[table]:
                    into._insert(table, {k: v for k, v in row.items()
                                         if k not in ("created_at", "updated_at")},
                                 assessment_uuid)
    moderation = [row for tables in rows.values() for row in tables["moderation"]]
    return FeedbackResult(tuple(rows), matching[0].unit.code,
                          sum(len(r) for tables in rows.values() for r in tables.values()),
                          sum(1 for row in moderation if row["further_evidence"]))


def _rows(store: Store, table: str, assessment_uuid: str) -> list[dict[str, Any]]:
    cursor = store.db.execute(f"SELECT * FROM {table} WHERE assessment_uuid = ?",
                              [assessment_uuid])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
