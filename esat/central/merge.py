"""Merging units' submissions into the central database (after ODK's instanceID and
deprecatedID).

- The same submission again (same uuid, same content) changes nothing.
- A submission that supersedes the current one (the current one is among its
  ancestors) replaces the unit's content of that assessment; the earlier one
  stays in ``received_submissions`` with its content, marked superseded.
- A conflict is recorded and listed, never applied: a submission that does not
  follow the current one (it is older, or branches off an earlier one), the
  same uuid with other content, or a second assessment of the same unit,
  framework, phase and period. ``resolve`` applies the coordinator's choice.
- Moderation lives in its own table keyed by assessment and item, so replacing
  the unit's content never touches it; a rating whose item changed since it
  was given is counted as one to look at again.
- A workbook has no submission uuid: its identity is unit, framework, phase,
  period and the SHA-256 of the file, so the same workbook twice is harmless.
- Provenance: every submission received records the file's name, its
  SHA-256, when and by whom it was merged.

Every file merges in one transaction: a kill leaves it fully merged or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import time
import uuid as uuid_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple

from .. import search, submission
from ..catalog import Catalog
from ..checks import Memo
from ..errors import EsatError, InvalidFileError, shown_path
from ..lockfile import FileLock, lock_state
from ..store import Store, new_uuid, utc_now
from .intake import Incoming, Rejected, expand, receive

if TYPE_CHECKING:
    from ..verified import VerifiedFiles

IMPORTED, UPDATED, ALREADY, CONFLICT, REJECTED = (
    "imported", "updated", "already imported", "conflict", "rejected")


class Outcome(NamedTuple):
    """What became of one incoming file."""

    file: str
    status: str                     # one of IMPORTED ... REJECTED
    message: str
    unit_code: str | None = None
    revision: int | None = None
    supersedes_revision: int | None = None
    submission_uuid: str | None = None
    to_look_at: int = 0             # assessor ratings whose item changed since rated

    def line(self) -> str:
        """One line for people: control characters in the name or the reason are escaped."""
        return f"{shown_path(self.file)}: {shown_path(self.message)}"

    def as_dict(self) -> dict[str, Any]:
        return dict(self._asdict())


def open_central(path: Path, *, actor: str, clock: Callable = utc_now,
                 verified: VerifiedFiles | None = None) -> Store:
    """The central database at ``path``, created when missing; refuses other files.

    ``verified``: this computer's ledger (esat/verified.py), as for Store.open."""
    path = Path(path)
    if not path.exists():
        if not path.parent.is_dir():
            raise EsatError(f"{path}: the folder {path.parent} does not exist")
        # made whole under another name, so a kill never leaves a half-made central file
        partial = path.with_name(f".{path.name}.partial")
        partial.unlink(missing_ok=True)
        Store.create(partial, actor=actor, clock=clock, role="central").close()
        if path.exists():
            partial.unlink()
            raise EsatError(f"{path}: a file of that name appeared meanwhile; nothing was merged")
        partial.replace(path)
    store = Store.open(path, actor=actor, clock=clock, verified=verified)
    if store.role != "central":
        role = store.role
        store.close()
        raise InvalidFileError(path, f"is a {role} file, not a central database")
    return store


def merge_files(central: Store, paths: list[Path], catalog: Catalog, *,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> list[Outcome]:
    """Merge every file (folders stand for their .esat and .xlsx files), one
    transaction each; returns one outcome per file, in order. ``cancelled`` is
    asked between files: the files merged so far stay merged, whole."""
    files = expand(paths)
    outcomes = []
    memo = Memo()        # what the checks need not work out again for every file
    remove_leftovers()
    with _private_folder() as private:
        for index, path in enumerate(files):
            if cancelled and cancelled():
                break
            if progress:
                progress(index, len(files), str(path))
            outcomes.append(merge_file(central, path, private, catalog, memo))
    if progress:
        progress(len(files), len(files), "")
    return outcomes


# The private folder of a merge, in the temporary folder: the copies of the files being
# merged. A merge that is killed cannot remove its own; the next merge does
# (remove_leftovers), once the folder's lock shows its merge is gone.
PRIVATE_PREFIX = "esat-merge-"
LEFTOVER_AFTER = 3600        # seconds unchanged before a folder without a live lock is removed


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    """A new private folder (mode 0700) for one merge, locked by this process
    (esat/lockfile.py) while the merge runs, removed when it ends."""
    with tempfile.TemporaryDirectory(prefix=PRIVATE_PREFIX) as name:
        lock = FileLock(Path(name) / "merge")
        try:
            lock.acquire()
            yield Path(name)
        finally:
            lock.release()


def remove_leftovers(temp: Path | None = None, *, now: float | None = None) -> list[Path]:
    """Remove the private folders that killed merges left in the temporary folder.

    A folder is removed only when it is this user's real folder (not a link),
    named as a merge's, unchanged for :data:`LEFTOVER_AFTER` seconds (a running
    merge changes it with every file), and its lock is not held by a live
    process (esat/lockfile.py; a merge without a lock, from before locks were
    kept, counts as gone once the folder is that old). Returns the folders
    removed; a folder that cannot be read or removed is left (what remains of it).
    """
    temp = Path(temp if temp is not None else tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(temp))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PRIVATE_PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if (not stat.S_ISDIR(info.st_mode)
                    or (hasattr(os, "getuid") and info.st_uid != os.getuid())
                    or now - info.st_mtime < LEFTOVER_AFTER
                    or lock_state(Path(entry.path) / "merge").held):
                continue
            shutil.rmtree(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def merge_file(central: Store, path: Path, private: Path, catalog: Catalog,
               memo: Memo | None = None) -> Outcome:
    """Merge one file, copied aside into a folder of its own under ``private``
    that is removed once the file is merged or rejected."""
    folder = private / uuid_module.uuid4().hex
    folder.mkdir(mode=0o700)
    try:
        return _merge_copy(central, path, folder, catalog, memo)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merge_copy(central: Store, path: Path, folder: Path, catalog: Catalog,
                memo: Memo | None) -> Outcome:
    name = str(path)
    try:
        incoming = receive(path, folder, catalog, central.actor, memo)
    except Rejected as exc:
        return Outcome(name, REJECTED, f"rejected: {_reason(exc, path)}")
    try:
        with central.db.atomic():
            return _merge(central, incoming)
    except Rejected as exc:
        return Outcome(name, REJECTED, f"rejected: {_reason(exc, path)}", incoming.unit_code)
    except sqlite3.IntegrityError as exc:
        return Outcome(name, REJECTED, f"rejected: its records clash with others in the "
                                       f"central database ({exc}); nothing was merged",
                       incoming.unit_code)
    finally:
        incoming.store.close()


def _reason(exc: Exception, path: Path) -> str:
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _merge(central: Store, incoming: Incoming) -> Outcome:
    conn = central.db.conn
    name = str(incoming.source)
    code = incoming.unit_code
    seen = conn.execute("SELECT content_sha256, state, revision FROM received_submissions "
                        "WHERE submission_uuid = ?", [incoming.submission_uuid]).fetchall()
    if any(sha == incoming.content_sha256 for sha, _, _ in seen):
        state = next(state for sha, state, _ in seen if sha == incoming.content_sha256)
        note = {"conflict": "; still a conflict to resolve",
                "set_aside": "; it was set aside"}.get(state, "")
        return Outcome(name, ALREADY, f"already imported ({code} revision {incoming.revision}"
                                      f"){note}", code, incoming.revision,
                       submission_uuid=incoming.submission_uuid)
    target = _target_assessment(conn, incoming)
    current = conn.execute(
        "SELECT submission_uuid, revision, ancestors FROM received_submissions "
        "WHERE assessment_uuid = ? AND state = 'current'", [target]).fetchone()
    if incoming.source_kind == "xlsx":
        # a workbook carries no revision of its own: it is the next one of the assessment
        incoming.content["assessment"]["revision"] = current[1] + 1 if current else 1
    conflict = ""
    if seen:
        conflict = (f"the same submission ({incoming.submission_uuid[:8]}) was merged before "
                    "with other content")
    elif incoming.source_kind == "esat" and target != incoming.assessment_uuid:
        conflict = (f"the central database already holds another assessment of {code} for "
                    f"this framework, phase and period ({target[:8]})")
    elif current is not None and incoming.source_kind == "esat":
        if current[0] not in incoming.ancestors:
            if incoming.submission_uuid in json.loads(current[2]):
                conflict = (f"revision {incoming.revision} is older than the current "
                            f"revision {current[1]}")
            else:
                conflict = (f"revision {incoming.revision} does not follow the current revision "
                            f"{current[1]} (it supersedes a submission that is not current)")
    _keep_framework_and_blobs(central, incoming)
    row_uuid = _record(central, incoming, target, "conflict" if conflict else "current",
                       conflict)
    if conflict:
        return Outcome(name, CONFLICT, f"conflict: {conflict}; not applied (resolve with "
                                       f"'esat resolve' and {row_uuid[:8]})",
                       code, incoming.revision, current[1] if current else None,
                       incoming.submission_uuid)
    apply_content(central, incoming.content, target)
    conn.execute("UPDATE received_submissions SET state = 'superseded', updated_at = ? "
                 "WHERE assessment_uuid = ? AND state = 'current' AND uuid <> ?",
                 [central._now(), target, row_uuid])
    from ..moderation import ratings_to_look_at
    again = len(ratings_to_look_at(conn, target))
    look = (f"; {again} assessor rating{'s' if again != 1 else ''} to look at again"
            if again else "")
    if current is None:
        return Outcome(name, IMPORTED, f"imported ({code} revision {incoming.revision}){look}",
                       code, incoming.revision, None, incoming.submission_uuid, again)
    return Outcome(name, UPDATED, f"updated ({code}: revision {incoming.revision} supersedes "
                                  f"{current[1]}){look}", code, incoming.revision, current[1],
                   incoming.submission_uuid, again)


def _target_assessment(conn: sqlite3.Connection, incoming: Incoming) -> str:
    """The central assessment this submission is about (its own uuid when new)."""
    a = incoming.content["assessment"]
    row = conn.execute("SELECT u.code, a.framework_id, a.framework_version, a.stage "
                       "FROM assessments a JOIN units u ON u.uuid = a.unit_uuid "
                       "WHERE a.uuid = ?", [incoming.assessment_uuid]).fetchone()
    if row is not None:
        if row[0] != incoming.unit_code:
            raise Rejected(f"{incoming.source}: its assessment belongs to unit {row[0]} in the "
                           f"central database, not {incoming.unit_code}")
        if tuple(row[1:]) != (a["framework_id"], a["framework_version"], a["stage"]):
            raise Rejected(f"{incoming.source}: its assessment is for another framework or "
                           "phase than the one in the central database")
        return incoming.assessment_uuid
    same_key = conn.execute(
        "SELECT a.uuid FROM assessments a JOIN units u ON u.uuid = a.unit_uuid "
        "WHERE u.code = ? AND a.framework_id = ? AND a.framework_version = ? "
        "AND a.stage IS ? AND a.period = ?",
        [incoming.unit_code, a["framework_id"], a["framework_version"], a["stage"],
         a["period"]]).fetchone()
    return same_key[0] if same_key else incoming.assessment_uuid


def _keep_framework_and_blobs(central: Store, incoming: Incoming) -> None:
    conn = central.db.conn
    source = incoming.store.db.conn
    fw = incoming.content["framework"]
    row = conn.execute("SELECT sha256 FROM frameworks WHERE framework_id = ? AND version = ?",
                       [fw["framework_id"], fw["version"]]).fetchone()
    if row is None:
        submission.copy_rows(source, conn, "frameworks", "framework_id = ? AND version = ?",
                             [fw["framework_id"], fw["version"]])
    elif row[0] != fw["sha256"]:
        raise Rejected(f"{incoming.source}: its framework {fw['framework_id']}-{fw['version']} "
                       "differs from the one of that name in the central database")
    shas = {e["blob_sha256"] for e in incoming.content["evidence"] if e["blob_sha256"]}
    for sha in shas:
        if conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [sha]).fetchone() is None:
            submission.copy_rows(source, conn, "blobs", "sha256 = ?", [sha])


def _record(central: Store, incoming: Incoming, target: str, state: str, reason: str) -> str:
    """The received submission with its provenance; returns its row uuid."""
    now = central._now()
    row = {"uuid": new_uuid(), "submission_uuid": incoming.submission_uuid,
           "assessment_uuid": target, "unit_code": incoming.unit_code,
           "revision": incoming.revision, "supersedes_uuid": incoming.supersedes_uuid,
           "ancestors": json.dumps(list(incoming.ancestors)),
           "content_sha256": incoming.content_sha256, "source_kind": incoming.source_kind,
           "source_name": incoming.source.name, "source_sha256": incoming.source_sha256,
           "merged_at": now, "merged_by": central.actor, "state": state,
           "conflict_reason": reason, "content": submission.canonical(incoming.content),
           "created_at": now, "updated_at": now}
    central.db.conn.execute(
        f"INSERT INTO received_submissions ({', '.join(row)}) VALUES "
        f"({', '.join('?' for _ in row)})", list(row.values()))
    central._log(target, "received_submissions", row["uuid"], "insert", None, None,
                 json.dumps({k: v for k, v in row.items() if k != "content"}))
    return row["uuid"]


def apply_content(central: Store, content: dict[str, Any], target: str) -> None:
    """Replace the unit's content of assessment ``target`` with ``content``.

    Moderation, dip samples and level validations are the coordinators' and
    are not touched. The caller holds the transaction.
    """
    conn = central.db.conn
    now = central._now()
    _check_columns(conn, content)
    unit = content["unit"]
    row = conn.execute("SELECT uuid, unit_type, name, area FROM units WHERE code = ?",
                       [unit["code"]]).fetchone()
    if row is None:
        unit_uuid = new_uuid()
        conn.execute("INSERT INTO units (uuid, code, name, unit_type, area, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [unit_uuid, unit["code"], unit["name"], unit["unit_type"], unit["area"],
                      now, now])
    else:
        unit_uuid = row[0]
        if row[1] != unit["unit_type"]:
            raise Rejected(f"unit {unit['code']} is a {row[1]} unit in the central database, "
                           f"but the submission says {unit['unit_type']}")
        if (row[2], row[3]) != (unit["name"], unit["area"] or row[3]):
            conn.execute("UPDATE units SET name = ?, area = ?, updated_at = ? WHERE uuid = ?",
                         [unit["name"], unit["area"] or row[3], now, unit_uuid])
    assessment = {**content["assessment"], "uuid": target, "unit_uuid": unit_uuid}
    exists = conn.execute("SELECT 1 FROM assessments WHERE uuid = ?", [target]).fetchone()
    if exists:
        columns = [c for c in assessment if c not in ("uuid", "created_at")]
        conn.execute(f"UPDATE assessments SET {', '.join(f'{c} = ?' for c in columns)} "
                     "WHERE uuid = ?", [assessment[c] for c in columns] + [target])
    else:
        _insert(conn, "assessments", assessment)
    for table in reversed(submission.UNIT_TABLES):
        conn.execute(f"DELETE FROM {table} WHERE assessment_uuid = ?", [target])
    for table in submission.UNIT_TABLES:
        rows = content[table]
        if rows:
            columns = list(rows[0])
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"({', '.join('?' for _ in columns)})",
                [[target if c == "assessment_uuid" else r[c] for c in columns] for r in rows])
    search.index_assessment(conn, target)


def _check_columns(conn: sqlite3.Connection, content: dict[str, Any]) -> None:
    """The content's column names are ESAT's, so none can change the SQL built from them."""
    for table, rows in (("assessments", [content["assessment"]]),
                        *((t, content[t]) for t in submission.UNIT_TABLES)):
        known = {row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")}
        if table == "assessments":
            known.discard("unit_uuid")
        for row in rows[:1]:
            if set(row) != known:
                raise Rejected(f"its table {table} does not have ESAT's columns")


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
                 f"({', '.join('?' for _ in row)})", list(row.values()))
