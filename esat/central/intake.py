"""Taking a file in from a unit: every check before any row is read.

Each incoming file is copied into a private temporary folder (so the unit's
copy is never touched and cannot change while it is read) and opened read-only
through ESAT's one open path, ``Store.open(read_only=True)``: header, schema
exactly as ESAT makes it, ``integrity_check`` and every value within its domain
(``checks.domain_problems``, foreign keys included), with trusted_schema=OFF.
Only then are rows read.

A filled workbook goes through the workbook reader's own safety checks and is
brought into a temporary unit file, with the coordinator columns ignored, so
the merge sees every input the same way.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from pathlib import Path
from typing import Any, NamedTuple

from .. import submission
from ..catalog import Catalog
from ..checks import Memo
from ..errors import EsatError, InvalidFileError
from ..safeio import CHUNK, open_regular
from ..store import UNIT_CODE, Store, upgrade_private_copy

# Workbook submissions get a uuid derived from their identity (uuid5 in this namespace).
WORKBOOK_NAMESPACE = uuid_module.UUID("5d0c2a8e-8f57-4d0b-9a43-6f0e2b0e7c11")
SUFFIXES = (".esat", ".xlsx")


class Rejected(EsatError):
    """An incoming file that is refused; the message names the file and the reason."""


class Incoming(NamedTuple):
    """A checked submission, ready for the merge rules."""

    source: Path                 # the file as given
    source_kind: str             # esat or xlsx
    source_sha256: str           # of the file's bytes
    submission_uuid: str
    supersedes_uuid: str | None
    ancestors: tuple[str, ...]   # the unit's earlier submissions of this assessment
    content: dict[str, Any]      # esat.submission.content()
    content_sha256: str
    store: Store                 # the temporary copy, open read-only (rows, blobs)

    @property
    def assessment_uuid(self) -> str:
        return self.content["assessment"]["uuid"]

    @property
    def unit_code(self) -> str:
        return self.content["unit"]["code"]

    @property
    def revision(self) -> int:
        return self.content["assessment"]["revision"]

    @property
    def key(self) -> tuple:
        """Unit, framework, phase and period: one assessment of a unit."""
        a = self.content["assessment"]
        return (self.unit_code, a["framework_id"], a["framework_version"], a["stage"], a["period"])


def expand(paths: list[Path]) -> list[Path]:
    """Files and folders as given: a folder stands for its .esat and .xlsx files, by name."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir()
                              if p.is_file() and p.suffix.lower() in SUFFIXES
                              and not p.name.startswith((".", "~$"))))
        else:
            out.append(path)
    return out


def receive(path: Path, folder: Path, catalog: Catalog, actor: str,
            memo: Memo | None = None) -> Incoming:
    """Copy ``path`` into ``folder`` (new, empty and private to this file: the
    caller makes it and removes it once done), check the copy and open it;
    raises Rejected. ``memo`` (esat.checks.Memo) is kept between the files of
    one merge."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise Rejected(f"{path}: is neither an ESAT file (.esat) nor a workbook (.xlsx)")
    if path.with_name(path.name + "-journal").exists():
        raise Rejected(f"{path}: is being written (a journal file is beside it); merge it "
                       "once the unit's ESAT has closed it")
    copy = folder / ("incoming" + suffix)
    sha = _copy_aside(path, copy, "ESAT file" if suffix == ".esat" else "workbook")
    if suffix == ".esat":
        return _receive_esat(path, copy, sha, actor, memo)
    return _receive_workbook(path, copy, sha, folder, catalog, actor)


def _copy_aside(path: Path, copy: Path, what: str) -> str:
    """Copy ``path`` to ``copy`` and return the SHA-256 of the bytes copied (read once).

    Only a regular file is read: a FIFO, a device such as /dev/zero (endless)
    or a folder, or a link to one, is rejected before anything is copied.
    """
    try:
        source = open_regular(path, what=what)
    except InvalidFileError as exc:
        raise Rejected(f"{path}: {exc.problem}") from None
    digest = hashlib.sha256()
    try:
        with source, open(copy, "xb") as out:
            while block := source.read(CHUNK):
                digest.update(block)
                out.write(block)
    except OSError as exc:
        raise Rejected(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return digest.hexdigest()


def _receive_esat(path: Path, copy: Path, sha: str, actor: str,
                  memo: Memo | None = None) -> Incoming:
    try:
        upgrade_private_copy(copy, actor)    # from an earlier ESAT: brought up to date
        # every check: header, schema, integrity_check, every value in its domain
        store = Store.open(copy, actor=actor, read_only=True, memo=memo)
    except InvalidFileError as exc:
        raise Rejected(f"{path}: {exc.problem.replace(copy.name, path.name)}") from None
    try:
        role = store.role
        if role != "unit":
            raise Rejected(f"{path}: is a {role} file, not a unit's submission")
        submission_uuid = store.meta("submission_uuid")
        if not submission_uuid:
            raise Rejected(f"{path}: is a unit's working file, not a submission; the unit "
                           "sends it with 'esat submit' (or Export for Submission)")
        found = store.assessments()
        if len(found) != 1:
            raise Rejected(f"{path}: holds {len(found)} assessments; a submission holds one")
        if not UNIT_CODE.match(found[0].unit.code):
            raise Rejected(f"{path}: unit code {found[0].unit.code!r} is not a unit code")
        assessment_uuid = found[0].uuid
        chain = store.submissions(assessment_uuid)
        mine = [s for s in chain if s.uuid == submission_uuid]
        if not mine:
            raise Rejected(f"{path}: does not record its own submission {submission_uuid}")
        content = submission.content(store.db.conn, assessment_uuid)
        content_sha = submission.digest(content)
        if mine[0].sha256 != content_sha:
            raise Rejected(f"{path}: its content does not match the hash recorded when it was "
                           "exported (changed since?)")
        supersedes = store.meta("supersedes_uuid") or None
        if supersedes != mine[0].supersedes_uuid:
            raise Rejected(f"{path}: says two different things about the submission it replaces")
        ancestors = tuple(s.uuid for s in chain if s.uuid != submission_uuid)
        return Incoming(path, "esat", sha, submission_uuid, supersedes, ancestors, content,
                        content_sha, store)
    except BaseException:
        store.close()
        raise


def _receive_workbook(path: Path, copy: Path, sha: str, folder: Path, catalog: Catalog,
                      actor: str) -> Incoming:
    from ..excel import apply_plan, read_workbook        # openpyxl only when a workbook comes
    try:
        plan = read_workbook(copy, catalog)
    except InvalidFileError as exc:
        raise Rejected(f"{path}: {exc.problem}") from None
    except EsatError as exc:
        raise Rejected(f"{path}: {str(exc).replace(str(copy), path.name)}") from None
    if plan.problems:
        first = plan.problems[0]
        raise Rejected(f"{path}: {len(plan.problems)} row(s) cannot be used, first: {first}")
    unit_file = folder / "from-workbook.esat"
    try:
        result = apply_plan(plan, unit_file, actor=actor)
    except EsatError as exc:
        raise Rejected(f"{path}: {str(exc).replace(str(copy), path.name)}") from None
    store = Store.open(unit_file, actor=actor, read_only=True)
    try:
        content = submission.content(store.db.conn, result.assessment_uuid)
        a = content["assessment"]
        identity = "|".join(str(part) for part in (
            "xlsx", content["unit"]["code"], a["framework_id"], a["framework_version"],
            a["stage"] or "", a["period"], sha))
        submission_uuid = str(uuid_module.uuid5(WORKBOOK_NAMESPACE, identity))
        return Incoming(path, "xlsx", sha, submission_uuid, None, (), content, sha, store)
    except BaseException:
        store.close()
        raise
