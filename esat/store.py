"""The assessment API: create assessments and change them, one audited step at a time.

A :class:`Store` wraps one open ``.esat`` file. Every public method that
changes something runs in one transaction, writes an audit-log row per changed
field (who, when, what, old and new value) and is on disk when it returns.

    store = Store.create(path, actor="A. Lead")
    a = store.create_assessment(framework, stage="baseline", unit_code="LX",
                                unit_name="Lambeth", unit_type="borough",
                                area="South East", period="2010/11")
    store.set_self_rating(a.uuid, "1B", "very")
    store.score(a.uuid).overall.percent

A store must be used from the thread that opened it (SQLite's rule).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

from . import fileformat
from .connection import Connection
from .errors import (EsatError, FileBusyError, InvalidFileError, ReadOnlyError, ValidationError,
                     shown_path, shown_quoted, shown_size)
from .framework import Framework, parse_framework
from .records import (Action, Assessment, AuditEntry, Evidence, LevelValidation, Response,
                      SignOff, Submission, Unit)
from .scoring import ItemState, Score, score
from .strands import STRAND_IDS

if TYPE_CHECKING:
    from .checks import Memo
    from .verified import VerifiedFiles

DEFAULT_ATTACHMENT_LIMIT = 25 * 1024 * 1024
# Consecutive edits of one field by one person, with no other change between and
# no pause longer than this, are one sitting: the audit log keeps one row for them
# (the value before the first and after the last), not one row per autosave.
SITTING_GAP = timedelta(minutes=30)
ACTION_STATUSES = ("open", "in_progress", "done", "dropped")
ACTION_STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "done": "Done",
                        "dropped": "Dropped"}
EVIDENCE_KINDS = ("note", "file", "link")
# What a file is: a unit's own file, the coordinators' central database, or a
# feedback file sent back to a unit. Each side writes only its own fields.
ROLES = ("unit", "central", "feedback")
UNIT_CODE = re.compile(r"^[A-Z0-9]{1,12}$")
PERIOD = re.compile(r"^(\d{4})/(\d{2})$")

# Fields of an assessment a unit may edit with set_details().
DETAIL_FIELDS = ("period", "equality_lead", "smt_lead", "protective_marking",
                 "publication_scheme", "title", "version_label", "summary", "author",
                 "approver", "owning_unit", "created_on", "review_on")
DATE_DETAILS = ("created_on", "review_on")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def new_uuid() -> str:
    import uuid          # imported here: opening a file needs none, and it costs start-up time
    return str(uuid.uuid4())


def check_date(value: str, what: str) -> str:
    """An ISO date (YYYY-MM-DD) or empty."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationError(f"{what} {shown_quoted(value)} is not a date (use YYYY-MM-DD)") from None


def check_period(value: str) -> str:
    """A financial year such as 2010/11, or empty."""
    value = (value or "").strip()
    if not value:
        return ""
    match = PERIOD.match(value)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"period {shown_quoted(value)} is not a financial year such as 2010/11")
    return value


class NewAssessment(NamedTuple):
    """The checked, normalised values that start an assessment."""

    unit_code: str
    unit_name: str
    unit_type: str
    stage: str | None
    period: str


def check_new_assessment(framework: Framework, *, stage: str | None, unit_code: str,
                         unit_name: str, unit_type: str, period: str = "") -> NewAssessment:
    """Check what a new assessment is made of; raises ValidationError naming the value."""
    code = (unit_code or "").strip().upper()
    if not UNIT_CODE.match(code):
        raise ValidationError(
            f"unit code {unit_code!r} must be 1 to 12 letters or digits (e.g. LX, SCD7)")
    name = (unit_name or "").strip()
    if not name:
        raise ValidationError("unit name is required")
    try:
        framework.unit_type(unit_type)
    except KeyError:
        known = ", ".join(t.id for t in framework.unit_types)
        raise ValidationError(f"unit type {unit_type!r} is not one of {known}") from None
    if framework.scope == "all_stages":
        stage = None
    else:
        try:
            framework.stage(stage or "")
        except KeyError:
            known = ", ".join(s.id for s in framework.stages)
            raise ValidationError(
                f"{framework.label('stage').lower()} {stage!r} is not one of {known}") from None
    return NewAssessment(code, name, unit_type, stage, check_period(period))



def upgrade_private_copy(copy: Path, actor: str) -> None:
    """A private copy of a file from elsewhere (a submission, a feedback file) written by
    an earlier ESAT, in an older file format: checked in full as that format and upgraded,
    as opening it for editing would do, so it can then be opened read-only. Only ever
    call it on a copy of ours; the sender's file is never touched. A file of the current
    format, or of a newer one (refused when opened), is left as it is."""
    if fileformat.read_header(copy).user_version < fileformat.current_schema_version():
        Store.open(copy, actor=actor).close()

class Store:
    """One open assessment file."""

    def __init__(self, db: Connection, *, path: Path | None, actor: str,
                 clock: Callable[[], datetime] = utc_now, read_only: bool = False,
                 attachment_limit: int = DEFAULT_ATTACHMENT_LIMIT):
        self.db = db
        self.path = path
        self.actor = actor or "unknown"
        self.clock = clock
        self.read_only = read_only
        self.attachment_limit = attachment_limit
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self.recovered = False         # an interrupted save was undone on opening
        self._lock = None              # the file's lock, when opened with lock=True
        self._verified = None          # the ledger to update on closing a file opened writable
        self._pending = None           # the check running apart (see open), until it passed
        self._frameworks: dict[tuple[str, str], Framework] = {}
        self._sitting: tuple[int, str, str, datetime] | None = None   # audit id, entity, field, when

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(cls, path: Path, *, actor: str, clock: Callable[[], datetime] = utc_now,
               role: str = "unit", **options: Any) -> "Store":
        """Create a new, empty file (refuses to overwrite one) with its role."""
        if role not in ROLES:
            raise ValidationError(f"file role {role!r} is not one of {', '.join(ROLES)}")
        path = Path(path)
        store = cls(fileformat.create(path), path=path, actor=actor, clock=clock, **options)
        with store.db.atomic():
            store.db.conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("file_uuid", new_uuid()), ("created_at", store._now()),
                 ("created_by", store.actor), ("role", role)])
        return store

    @classmethod
    def open(cls, path: Path, *, actor: str, read_only: bool = False, lock: bool = False,
             clock: Callable[[], datetime] = utc_now, verified: "VerifiedFiles | None" = None,
             memo: "Memo | None" = None, check_apart: bool = False,
             trace: Callable[[str], None] | None = None, **options: Any) -> "Store":
        """Open an existing file; foreign, newer and damaged files are refused untouched.

        With ``lock`` the store takes the file's lock (esat/lockfile.py, the rule
        the app and the command line follow) until it is closed, and refuses a
        file someone else holds with :class:`FileBusyError`.

        Every check runs unless ``verified`` (this computer's ledger,
        esat/verified.py) says the file is unchanged since it last passed
        them or since ESAT itself last wrote it; then the header, the exact
        schema and ``quick_check`` are enough (docs/file-format.md, "Checked
        in full, or known"). A file that passes in full is recorded there, and
        so is a file this store wrote, when it is closed.

        ``memo`` (esat.checks.Memo): what the value checks of many files
        opened in a row (a merge) keep between them, so that they are not
        worked out again for each.

        ``check_apart``: the ``quick_check`` of a known file runs in a thread
        of its own while the caller reads (``fileformat.open_file``). Then
        nothing read may be shown before :meth:`wait_checked` returned, and
        every transaction waits for it first (a write cannot happen before the
        check passed); a file that fails it is refused there, as the open
        would have refused it. ``trace`` is told when the check starts and ends.
        """
        path = Path(path)
        held = None
        if lock:
            from .lockfile import FileLock
            held = FileLock(path)
            if not held.acquire():
                raise FileBusyError(path, f"is open for editing elsewhere ({held.holder()}); "
                                          "close it there first")
        try:
            opened = fileformat.open_file(
                path, read_only=read_only, now=clock(),
                verified=verified.is_current if verified is not None else None,
                check_apart=check_apart, trace=trace)
            frameworks = {}
            try:
                if opened.checked_in_full:
                    from .checks import refuse_out_of_domain    # checks imports this module
                    frameworks = refuse_out_of_domain(path, opened.db.conn, memo)
            except BaseException:
                opened.db.close()
                raise
            if verified is not None and opened.checked_in_full:
                verified.record(path)
        except BaseException:
            if held is not None:
                held.release()
            raise
        store = cls(opened.db, path=path, actor=actor, clock=clock, read_only=read_only,
                    **options)
        store._lock = held
        store._verified = None if read_only else verified
        store.migrated_from = opened.migrated_from
        store.backup_path = opened.backup_path
        store.recovered = opened.recovered
        store._frameworks.update(frameworks)
        store._pending = opened.pending
        if opened.pending is not None and not read_only:
            opened.db.before_write = store.wait_checked
        return store

    def wait_checked(self, *, block: bool = True) -> None:
        """Wait for the check that runs apart (``Store.open(check_apart=True)``) and
        raise the file's refusal when it failed, on this and every later call.

        With ``block`` False a check still running is not waited for (only one that
        failed is raised). Nothing to do for a store opened without ``check_apart``.
        """
        pending = self._pending
        if pending is None or (not block and not pending.done):
            return
        pending.wait()
        self._pending = None
        self.db.before_write = None
        if not self.read_only:
            self.db.execute("PRAGMA query_only = OFF")

    def close(self) -> None:
        if self._pending is not None:      # let the check end; a file that failed it is not
            try:                           # recorded as known below
                self._pending.wait()
            except Exception:
                self._verified = None
            self._pending = None
        self.db.close()
        if self._verified is not None:     # what ESAT wrote stays known (see Store.open)
            self._verified.record(self.path)
            self._verified = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    @property
    def role(self) -> str:
        """``unit``, ``central`` or ``feedback`` (see ROLES)."""
        role = self.meta("role")
        if role not in ROLES:
            raise InvalidFileError(self.path or "(file)", f"has an unknown role {role!r}")
        return role

    # -- frameworks ----------------------------------------------------------

    def framework(self, framework_id: str, version: str) -> Framework:
        """The definition an assessment was made under, as kept in this file."""
        key = (framework_id, version)
        if key not in self._frameworks:
            row = self.db.execute(
                "SELECT definition FROM frameworks WHERE framework_id = ? AND version = ?",
                [framework_id, version]).fetchone()
            if row is None:
                raise InvalidFileError(self.path or "(file)",
                                       f"has no definition of framework {framework_id}-{version}")
            self._frameworks[key] = parse_framework(row[0], source=f"{self.path} ({framework_id}-{version})")
        return self._frameworks[key]

    def framework_of(self, assessment: Assessment) -> Framework:
        return self.framework(assessment.framework_id, assessment.framework_version)

    def _keep_framework(self, framework: Framework) -> None:
        row = self.db.execute(
            "SELECT sha256 FROM frameworks WHERE framework_id = ? AND version = ?",
            [framework.id, framework.version]).fetchone()
        if row is None:
            self.db.conn.execute(
                "INSERT INTO frameworks (framework_id, version, definition, sha256, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [framework.id, framework.version, framework.definition_json, framework.sha256,
                 self._now()])

    # -- assessments ---------------------------------------------------------

    def create_assessment(self, framework: Framework, *, stage: str | None, unit_code: str,
                          unit_name: str, unit_type: str, area: str = "", period: str = "",
                          equality_lead: str = "", smt_lead: str = "") -> Assessment:
        self._writable()
        new = check_new_assessment(framework, stage=stage, unit_code=unit_code,
                                   unit_name=unit_name, unit_type=unit_type, period=period)
        code, name, stage, period = new.unit_code, new.unit_name, new.stage, new.period
        with self.db.atomic():
            self._keep_framework(framework)
            assessment_uuid = new_uuid()
            unit_uuid = self._unit_for(code, name, unit_type, (area or "").strip(),
                                       assessment_uuid)
            self._insert("assessments", {
                "uuid": assessment_uuid, "unit_uuid": unit_uuid, "framework_id": framework.id,
                "framework_version": framework.version, "stage": stage, "period": period,
                "equality_lead": equality_lead.strip(), "smt_lead": smt_lead.strip(),
                "owning_unit": name,
            }, assessment_uuid)
        return self.assessment(assessment_uuid)

    def _unit_for(self, code: str, name: str, unit_type: str, area: str,
                  assessment_uuid: str) -> str:
        """The unit with this code (a unit keeps one identity across assessments)."""
        row = self.db.execute("SELECT uuid, unit_type FROM units WHERE code = ?",
                              [code]).fetchone()
        if row is None:
            return self._insert("units", {"code": code, "name": name, "unit_type": unit_type,
                                          "area": area}, assessment_uuid)
        if row[1] != unit_type:
            raise ValidationError(f"unit {code} is a {row[1]} unit in this file, not {unit_type}")
        return row[0]

    def assessments(self) -> list[Assessment]:
        cursor = self.db.execute(
            "SELECT a.*, u.code AS u_code, u.name AS u_name, u.unit_type AS u_type, "
            "u.area AS u_area FROM assessments a JOIN units u ON u.uuid = a.unit_uuid "
            "ORDER BY u.area, u.code, a.framework_id, a.stage, a.period")
        columns = [d[0] for d in cursor.description]
        return [_assessment(dict(zip(columns, values))) for values in cursor.fetchall()]

    def assessment(self, assessment_uuid: str) -> Assessment:
        cursor = self.db.execute(
            "SELECT a.*, u.code AS u_code, u.name AS u_name, u.unit_type AS u_type, "
            "u.area AS u_area FROM assessments a JOIN units u ON u.uuid = a.unit_uuid "
            "WHERE a.uuid = ?", [assessment_uuid])
        values = cursor.fetchone()
        if values is not None:
            return _assessment(dict(zip([d[0] for d in cursor.description], values)))
        raise EsatError(f"no assessment {assessment_uuid} in {self.path}")

    def only_assessment(self) -> Assessment:
        """The assessment of a unit's file (which holds exactly one)."""
        found = self.assessments()
        if len(found) != 1:
            raise EsatError(f"{self.path}: holds {len(found)} assessments, expected one")
        return found[0]

    def set_details(self, assessment_uuid: str, **changes: Any) -> None:
        """Change the period, the people responsible or the document-control fields."""
        unknown = set(changes) - set(DETAIL_FIELDS)
        if unknown:
            raise ValidationError(f"unknown detail(s): {', '.join(sorted(unknown))}")
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "period":
                clean[key] = check_period(value)
            elif key in DATE_DETAILS:
                clean[key] = check_date(value, key.replace("_on", " date"))
            elif key == "publication_scheme":
                clean[key] = 1 if value else 0
            else:
                clean[key] = (value or "").strip()
        with self.db.atomic():
            self._unit_editable(assessment_uuid)
            self._update("assessments", assessment_uuid, clean, assessment_uuid)

    def set_unit(self, assessment_uuid: str, *, name: str | None = None,
                 area: str | None = None) -> None:
        """Rename the unit or move it to another area."""
        changes = {}
        if name is not None:
            if not name.strip():
                raise ValidationError("unit name is required")
            changes["name"] = name.strip()
        if area is not None:
            changes["area"] = area.strip()
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._update("units", assessment.unit.uuid, changes, assessment_uuid)

    # -- responses -----------------------------------------------------------

    def responses(self, assessment_uuid: str) -> dict[str, Response]:
        """Each item's unit fields with the coordinators' (from ``moderation``) alongside."""
        strands = self._strands(assessment_uuid, "response")
        moderation = {row[0]: row[1:] for row in self.db.execute(
            "SELECT item_code, uuid, assessor_rating, assessor_name, assessor_rated_at, "
            "exemption_decision, exemption_reason, updated_at FROM moderation "
            "WHERE assessment_uuid = ?", [assessment_uuid]).fetchall()}
        rows = self.db.execute(
            "SELECT uuid, item_code, self_rating, narrative, unit_exempt, unit_exemption_reason, "
            "updated_at FROM responses WHERE assessment_uuid = ?", [assessment_uuid])
        out = {}
        for r_uuid, code, self_rating, narrative, unit_exempt, unit_reason, updated in rows:
            m_uuid, rating, name, rated_at, decision, reason, m_updated = moderation.pop(
                code, (None, None, "", None, None, "", ""))
            out[code] = Response(
                uuid=r_uuid, item_code=code, self_rating=self_rating,
                assessor_rating=rating, assessor_name=name, assessor_rated_at=rated_at,
                narrative=narrative, unit_exempt=bool(unit_exempt),
                unit_exemption_reason=unit_reason,
                coord_exempt=None if decision is None else bool(decision),
                coord_exemption_reason=reason, strands=strands.get(r_uuid, ()),
                updated_at=max(updated, m_updated))
        for code, (m_uuid, rating, name, rated_at, decision, reason, m_updated) in moderation.items():
            out[code] = Response(
                uuid=m_uuid, item_code=code, self_rating=None, assessor_rating=rating,
                assessor_name=name, assessor_rated_at=rated_at, narrative="", unit_exempt=False,
                unit_exemption_reason="", coord_exempt=None if decision is None else bool(decision),
                coord_exemption_reason=reason, strands=(), updated_at=m_updated)
        return out

    def response(self, assessment_uuid: str, code: str) -> Response | None:
        return self.responses(assessment_uuid).get(code)

    def set_self_rating(self, assessment_uuid: str, code: str, rating: str | None) -> None:
        """The unit's own rating (a scale point id), or None to clear it."""
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._check_rating(assessment, rating)
            self._set_response(assessment, code, {"self_rating": rating})

    def set_assessor_rating(self, assessment_uuid: str, code: str, rating: str | None,
                            assessor_name: str | None = None) -> None:
        """The coordinator's rating; it counts over the unit's own. Allowed after sign-off.

        Only a central database takes it (see esat/moderation.py for the rest of moderation).
        """
        with self.db.atomic():
            assessment = self._coordinator_editable(assessment_uuid)
            self._check_rating(assessment, rating)
            self._set_moderation(assessment, code, {
                "assessor_rating": rating,
                "assessor_name": (assessor_name if assessor_name is not None else self.actor)
                if rating is not None else "",
                "assessor_rated_at": self._now() if rating is not None else None,
                "evidence_digest": self._item_digest(assessment.uuid, code)
                if rating is not None else ""})

    def set_narrative(self, assessment_uuid: str, code: str, text: str) -> None:
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._set_response(assessment, code, {"narrative": text or ""})

    def request_exemption(self, assessment_uuid: str, code: str, reason: str) -> None:
        """The unit asks to be exempt from an item; the reason is required.

        A request does not change the score until a coordinator grants it.
        """
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(f"{code}: an exemption needs a reason")
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._set_response(assessment, code, {"unit_exempt": 1, "unit_exemption_reason": reason})

    def withdraw_exemption(self, assessment_uuid: str, code: str) -> None:
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._set_response(assessment, code, {"unit_exempt": 0, "unit_exemption_reason": ""})

    def decide_exemption(self, assessment_uuid: str, code: str, granted: bool | None,
                         reason: str = "") -> None:
        """A coordinator grants (True) or refuses (False) an exemption, or clears the decision."""
        reason = (reason or "").strip()
        if granted and not reason:
            raise ValidationError(f"{code}: a granted exemption needs a reason")
        with self.db.atomic():
            assessment = self._coordinator_editable(assessment_uuid)
            self._set_moderation(assessment, code, {
                "exemption_decision": None if granted is None else int(granted),
                "exemption_reason": reason if granted is not None else "",
                "decided_by": self.actor if granted is not None else "",
                "decided_at": self._now() if granted is not None else None})

    def set_item_strands(self, assessment_uuid: str, code: str, strands: Iterable[str]) -> None:
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            response_uuid = self._response_uuid(assessment, code, create=True)
            self._set_strands(assessment.uuid, "response", response_uuid, strands)

    # -- evidence ------------------------------------------------------------

    def evidence(self, assessment_uuid: str, code: str | None = None) -> list[Evidence]:
        strands = self._strands(assessment_uuid, "evidence")
        sql = ("SELECT e.*, b.sha256 IS NOT NULL AS has_body FROM evidence e LEFT JOIN blobs b "
               "ON b.sha256 = e.blob_sha256 WHERE e.assessment_uuid = ?")
        params: list[Any] = [assessment_uuid]
        if code is not None:
            sql += " AND e.item_code = ?"
            params.append(code)
        cursor = self.db.execute(sql + " ORDER BY e.item_code, e.position, e.created_at", params)
        columns = [d[0] for d in cursor.description]
        out = []
        for values in cursor.fetchall():
            row = dict(zip(columns, values))
            out.append(Evidence(row["uuid"], row["item_code"], row["kind"], row["title"],
                                row["body"], row["blob_sha256"], row["file_name"],
                                row["file_size"], row["position"],
                                strands.get(row["uuid"], ()), bool(row["has_body"])))
        return out

    def add_note(self, assessment_uuid: str, code: str, title: str, text: str,
                 strands: Iterable[str] = ()) -> str:
        if not (title or "").strip() and not (text or "").strip():
            raise ValidationError(f"{code}: a note needs a title or some text")
        return self._add_evidence(assessment_uuid, code, "note", title, text, None, "", strands)

    def add_link(self, assessment_uuid: str, code: str, title: str, url: str,
                 strands: Iterable[str] = ()) -> str:
        url = (url or "").strip()
        if not url:
            raise ValidationError(f"{code}: a link needs an address")
        return self._add_evidence(assessment_uuid, code, "link", title or url, url, None, "",
                                  strands)

    def attach_file(self, assessment_uuid: str, code: str, source: Path, *, title: str = "",
                    strands: Iterable[str] = ()) -> str:
        """Copy a file into the assessment file as evidence for ``code``."""
        from .safeio import read_bounded
        source = Path(source)
        try:
            data = read_bounded(source, self.attachment_limit, what="file to attach",
                                too_big="is {size}; attachments may be at most {limit}")
        except InvalidFileError as exc:      # the file to attach, not the assessment, is at fault
            raise ValidationError(str(exc)) from None
        return self.attach_bytes(assessment_uuid, code, data, file_name=source.name,
                                 title=title, strands=strands)

    def attach_bytes(self, assessment_uuid: str, code: str, data: bytes, *, file_name: str,
                     title: str = "", strands: Iterable[str] = ()) -> str:
        self._check_size(file_name, len(data))
        import hashlib       # loads OpenSSL: only attaching a file needs it
        digest = hashlib.sha256(data).hexdigest()
        with self.db.atomic():
            self._unit_editable(assessment_uuid)
            exists = self.db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [digest]).fetchone()
            if not exists:
                self.db.conn.execute(
                    "INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)",
                    [digest, len(data), data, self._now()])
            return self._add_evidence(assessment_uuid, code, "file", title or file_name, "",
                                      digest, file_name, strands, size=len(data))

    def add_file_reference(self, assessment_uuid: str, code: str, *, file_name: str,
                           sha256: str, size: int | None, title: str = "",
                           strands: Iterable[str] = ()) -> str:
        """A file evidence item known by name and SHA-256 only (e.g. from a workbook).

        When this file already holds a body with that hash, the item uses it.
        """
        sha256 = (sha256 or "").strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValidationError(f"{code}: {sha256!r} is not a SHA-256 hash")
        if not (file_name or "").strip():
            raise ValidationError(f"{code}: a file item needs a file name")
        return self._add_evidence(assessment_uuid, code, "file", title or file_name, "", sha256,
                                  file_name.strip(), strands, size=size)

    def _blob_or_none(self, sha256: str | None) -> bytes | None:
        if sha256 is None:
            return None
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        return None if row is None else bytes(row[0])

    def blob(self, sha256: str) -> bytes:
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise EsatError(f"{self.path}: attachment {sha256[:12]} is missing")
        return bytes(row[0])

    def update_evidence(self, evidence_uuid: str, *, title: str | None = None,
                        body: str | None = None) -> None:
        changes = {k: v for k, v in (("title", title), ("body", body)) if v is not None}
        with self.db.atomic():
            row = self._row("evidence", evidence_uuid)
            self._unit_editable(row["assessment_uuid"])
            if row["kind"] == "file" and "body" in changes:
                raise ValidationError("an attached file has no text to change")
            self._update("evidence", evidence_uuid, changes, row["assessment_uuid"])

    def set_evidence_strands(self, evidence_uuid: str, strands: Iterable[str]) -> None:
        with self.db.atomic():
            row = self._row("evidence", evidence_uuid)
            self._unit_editable(row["assessment_uuid"])
            self._set_strands(row["assessment_uuid"], "evidence", evidence_uuid, strands)

    def remove_evidence(self, evidence_uuid: str) -> dict[str, Any]:
        """Remove an evidence item; returns what :meth:`restore_evidence` needs to undo it."""
        with self.db.atomic():
            row = self._row("evidence", evidence_uuid)
            self._unit_editable(row["assessment_uuid"])
            strands = self._strands(row["assessment_uuid"], "evidence").get(evidence_uuid, ())
            data = self._blob_or_none(row["blob_sha256"])
            self._clear_strands(row["assessment_uuid"], evidence_uuid)
            self._delete("evidence", evidence_uuid, row["assessment_uuid"])
            self._drop_unused_blob(row["blob_sha256"])
        return {"row": row, "strands": strands, "data": data}

    def restore_evidence(self, removed: dict[str, Any]) -> None:
        """Put back an evidence item returned by :meth:`remove_evidence` (undo)."""
        row = dict(removed["row"])
        with self.db.atomic():
            self._unit_editable(row["assessment_uuid"])
            if removed["data"] is not None:
                exists = self.db.execute("SELECT 1 FROM blobs WHERE sha256 = ?",
                                         [row["blob_sha256"]]).fetchone()
                if not exists:
                    self.db.conn.execute(
                        "INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, ?, ?)",
                        [row["blob_sha256"], len(removed["data"]), removed["data"], self._now()])
            self._restore("evidence", row)
            self._set_strands(row["assessment_uuid"], "evidence", row["uuid"], removed["strands"])

    # -- actions ---------------------------------------------------------------

    def actions(self, assessment_uuid: str, code: str | None = None) -> list[Action]:
        strands = self._strands(assessment_uuid, "action")
        sql = "SELECT * FROM actions WHERE assessment_uuid = ?"
        params: list[Any] = [assessment_uuid]
        if code is not None:
            sql += " AND item_code = ?"
            params.append(code)
        cursor = self.db.execute(sql + " ORDER BY item_code, created_at", params)
        columns = [d[0] for d in cursor.description]
        out = []
        for values in cursor.fetchall():
            row = dict(zip(columns, values))
            out.append(Action(row["uuid"], row["item_code"], row["description"], row["owner"],
                              row["due_on"], row["status"], strands.get(row["uuid"], ())))
        return out

    def add_action(self, assessment_uuid: str, code: str | None, description: str, *,
                   owner: str = "", due_on: str = "", status: str = "open",
                   strands: Iterable[str] = ()) -> str:
        description = (description or "").strip()
        if not description:
            raise ValidationError("an improvement action needs a description")
        if status not in ACTION_STATUSES:
            raise ValidationError(f"action status {status!r} is not one of {', '.join(ACTION_STATUSES)}")
        due_on = check_date(due_on, "due date")
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            if code is not None:
                self._check_code(assessment, code)
            action_uuid = self._insert("actions", {
                "assessment_uuid": assessment_uuid, "item_code": code,
                "description": description, "owner": (owner or "").strip(),
                "due_on": due_on, "status": status}, assessment_uuid)
            self._set_strands(assessment_uuid, "action", action_uuid, strands)
        return action_uuid

    def update_action(self, action_uuid: str, **changes: Any) -> None:
        allowed = {"description", "owner", "due_on", "status"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"unknown action field(s): {', '.join(sorted(unknown))}")
        if "description" in changes and not (changes["description"] or "").strip():
            raise ValidationError("an improvement action needs a description")
        if "status" in changes and changes["status"] not in ACTION_STATUSES:
            raise ValidationError(
                f"action status {changes['status']!r} is not one of {', '.join(ACTION_STATUSES)}")
        if "due_on" in changes:
            changes["due_on"] = check_date(changes["due_on"], "due date")
        with self.db.atomic():
            row = self._row("actions", action_uuid)
            self._unit_editable(row["assessment_uuid"])
            self._update("actions", action_uuid, changes, row["assessment_uuid"])

    def set_action_strands(self, action_uuid: str, strands: Iterable[str]) -> None:
        with self.db.atomic():
            row = self._row("actions", action_uuid)
            self._unit_editable(row["assessment_uuid"])
            self._set_strands(row["assessment_uuid"], "action", action_uuid, strands)

    def remove_action(self, action_uuid: str) -> dict[str, Any]:
        """Remove an action; returns what :meth:`restore_action` needs to undo it."""
        with self.db.atomic():
            row = self._row("actions", action_uuid)
            self._unit_editable(row["assessment_uuid"])
            strands = self._strands(row["assessment_uuid"], "action").get(action_uuid, ())
            self._clear_strands(row["assessment_uuid"], action_uuid)
            self._delete("actions", action_uuid, row["assessment_uuid"])
        return {"row": row, "strands": strands}

    def restore_action(self, removed: dict[str, Any]) -> None:
        row = dict(removed["row"])
        with self.db.atomic():
            self._unit_editable(row["assessment_uuid"])
            self._restore("actions", row)
            self._set_strands(row["assessment_uuid"], "action", row["uuid"], removed["strands"])

    # -- sign-off, revisions, validations --------------------------------------

    def sign_off(self, assessment_uuid: str, *, name: str, role: str, signed_on: str) -> None:
        """Sign the current revision off; the assessment becomes read-only for the unit."""
        name, role = (name or "").strip(), (role or "").strip()
        if not name or not role:
            raise ValidationError("sign-off needs a name and a role")
        signed_on = check_date(signed_on, "sign-off date")
        if not signed_on:
            raise ValidationError("sign-off needs a date")
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._insert("signoffs", {"assessment_uuid": assessment_uuid,
                                      "revision": assessment.revision, "name": name,
                                      "role": role, "signed_on": signed_on}, assessment_uuid)
            self._update("assessments", assessment_uuid, {"status": "signed_off"}, assessment_uuid)

    def reopen(self, assessment_uuid: str) -> int:
        """Reopen a signed-off assessment for change; starts and returns a new revision."""
        with self.db.atomic():
            assessment = self._file_editable(assessment_uuid)
            self._unit_role()
            if not assessment.signed_off:
                raise ReadOnlyError("the assessment is not signed off; there is nothing to reopen")
            revision = assessment.revision + 1
            self._update("assessments", assessment_uuid,
                         {"status": "draft", "revision": revision}, assessment_uuid)
        return revision

    def signoffs(self, assessment_uuid: str) -> list[SignOff]:
        return [SignOff(r[0], r[1], r[2], r[3]) for r in self.db.execute(
            "SELECT revision, name, role, signed_on FROM signoffs WHERE assessment_uuid = ? "
            "ORDER BY revision", [assessment_uuid]).fetchall()]

    def record_validation(self, assessment_uuid: str, stage: str, *, validated_by: str,
                          validated_on: str, method: str = "", note: str = "") -> None:
        """Record who validated a level from outside, and when (ESlg peer challenge)."""
        validated_by = (validated_by or "").strip()
        if not validated_by:
            raise ValidationError("a validation needs the name of who validated it")
        validated_on = check_date(validated_on, "validation date")
        if not validated_on:
            raise ValidationError("a validation needs a date")
        with self.db.atomic():
            assessment = self._coordinator_editable(assessment_uuid)
            framework = self.framework_of(assessment)
            try:
                framework.stage(stage)
            except KeyError:
                raise ValidationError(f"{stage!r} is not a {framework.label('stage').lower()} "
                                      f"of {framework.key}") from None
            existing = self.db.execute(
                "SELECT uuid FROM level_validations WHERE assessment_uuid = ? AND stage = ?",
                [assessment_uuid, stage]).fetchone()
            values = {"validated_by": validated_by, "validated_on": validated_on,
                      "method": (method or "").strip(), "note": (note or "").strip()}
            if existing:
                self._update("level_validations", existing[0], values, assessment_uuid)
            else:
                self._insert("level_validations", {"assessment_uuid": assessment_uuid,
                                                   "stage": stage, **values}, assessment_uuid)

    def validations(self, assessment_uuid: str) -> list[LevelValidation]:
        return [LevelValidation(*r) for r in self.db.execute(
            "SELECT stage, validated_by, validated_on, method, note FROM level_validations "
            "WHERE assessment_uuid = ? ORDER BY stage", [assessment_uuid]).fetchall()]

    # -- submissions -----------------------------------------------------------

    def submissions(self, assessment_uuid: str) -> list[Submission]:
        return [Submission(*r) for r in self.db.execute(
            "SELECT uuid, revision, supersedes_uuid, file_name, created_at, sha256 "
            "FROM submissions WHERE assessment_uuid = ? ORDER BY created_at, rowid",
            [assessment_uuid]).fetchall()]

    def export_submission(self, assessment_uuid: str, folder: Path) -> Path:
        """Write the assessment alone to a new file for sending in; returns its path.

        The copy is named ``<unit>_<framework>_<stage>_<period>_r<revision>.esat``,
        built under a temporary name and renamed only when complete. It holds
        exactly this one assessment, and is recorded in ``submissions`` with a
        new submission uuid, the uuid it supersedes and the SHA-256 of its content
        (see esat/submission.py).
        """
        from . import submission
        if self.role != "unit":
            raise ReadOnlyError(f"{self.path} is a {self.role} file; only a unit's file is "
                                "exported for submission")
        folder = Path(folder)
        if not folder.is_dir():
            raise ValidationError(f"{folder}: no such folder")
        assessment = self.assessment(assessment_uuid)
        target = folder / submission_file_name(assessment)
        refuse_to_replace(target, "unit", "an earlier submission copy")
        previous = self.submissions(assessment_uuid)
        supersedes = previous[-1].uuid if previous else None
        now = self._now()
        row = {"uuid": new_uuid(), "assessment_uuid": assessment_uuid,
               "revision": assessment.revision, "supersedes_uuid": supersedes,
               "file_name": target.name,
               "sha256": submission.content_digest(self.db.conn, assessment_uuid),
               "created_at": now, "updated_at": now}
        meta = {"file_uuid": new_uuid(), "created_at": now, "created_by": self.actor,
                "submission_uuid": row["uuid"], "supersedes_uuid": supersedes or "",
                "exported_at": now, "exported_by": self.actor}
        if self.read_only:
            submission.extract(self.db.conn, assessment_uuid, target, meta, row)
            return target
        with self.db.atomic():
            self.db.conn.execute(
                f"INSERT INTO submissions ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()))
            self._log(assessment_uuid, "submissions", row["uuid"], "insert", None, None,
                      _summary(row))
            submission.extract(self.db.conn, assessment_uuid, target, meta, row)
        return target

    # -- scores and history ----------------------------------------------------

    def score(self, assessment_uuid: str) -> Score:
        assessment = self.assessment(assessment_uuid)
        framework = self.framework_of(assessment)
        return score(framework, assessment.stage, assessment.unit.unit_type,
                     self._item_states(assessment_uuid))

    def scores(self, assessments: list[Assessment] | None = None,
               states: dict[str, dict[str, ItemState]] | None = None) -> dict[str, Score]:
        """The score of each of ``assessments`` (default: every one) by its uuid, in their
        order; the item states of all of them read in two queries (or ``states``, as
        :meth:`_all_item_states` gave them), not two per assessment."""
        states = self._all_item_states() if states is None else states
        shared: dict = {}              # equal item results are one object
        return {a.uuid: score(self.framework_of(a), a.stage, a.unit.unit_type,
                              states.get(a.uuid, {}), shared)
                for a in (self.assessments() if assessments is None else assessments)}

    def _item_states(self, assessment_uuid: str) -> dict[str, ItemState]:
        """What scoring needs of each item: both sides' fields, nothing else (no strands)."""
        return self._all_item_states(assessment_uuid).get(assessment_uuid, {})

    def _all_item_states(self, assessment_uuid: str | None = None
                         ) -> dict[str, dict[str, ItemState]]:
        """:meth:`_item_states` of one assessment, or (None) of every one, by assessment uuid."""
        where, params = ("WHERE assessment_uuid = ?", [assessment_uuid]) \
            if assessment_uuid is not None else ("", [])
        out: dict[str, dict[str, ItemState]] = {}
        for a_uuid, code, rating in self.db.execute(
                f"SELECT assessment_uuid, item_code, self_rating FROM responses {where}",
                params).fetchall():
            out.setdefault(a_uuid, {})[code] = ItemState(rating)
        for a_uuid, code, rating, decision, reason in self.db.execute(
                "SELECT assessment_uuid, item_code, assessor_rating, exemption_decision, "
                f"exemption_reason FROM moderation {where}", params).fetchall():
            states = out.setdefault(a_uuid, {})
            states[code] = ItemState(states[code].self_rating if code in states else None,
                                     rating, None if decision is None else bool(decision), reason)
        return out

    def audit(self, assessment_uuid: str | None = None) -> list[AuditEntry]:
        sql = ("SELECT at, actor, entity, entity_uuid, action, field, old_value, new_value "
               "FROM audit_log")
        params: list[Any] = []
        if assessment_uuid is not None:
            sql += " WHERE assessment_uuid = ?"
            params.append(assessment_uuid)
        return [AuditEntry(*r) for r in self.db.execute(sql + " ORDER BY id", params).fetchall()]

    # -- internals -------------------------------------------------------------

    def _now(self) -> str:
        return self.clock().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is open read-only")

    def _file_editable(self, assessment_uuid: str) -> Assessment:
        self._writable()
        return self.assessment(assessment_uuid)

    def _unit_role(self) -> None:
        role = self.role
        if role == "central":
            raise ReadOnlyError(f"{self.path} is a central database: a unit's content comes in "
                                "only by merging the unit's submission")
        if role != "unit":
            raise ReadOnlyError(f"{self.path} is a {role} file and cannot be edited")

    def _coordinator_editable(self, assessment_uuid: str) -> Assessment:
        """Coordinators' fields are written only in a central database."""
        assessment = self._file_editable(assessment_uuid)
        role = self.role
        if role != "central":
            raise ReadOnlyError(f"{self.path} is a {role}'s file: assessor ratings, moderation "
                                "and exemption decisions are made in the central database")
        return assessment

    def _unit_editable(self, assessment_uuid: str) -> Assessment:
        assessment = self._file_editable(assessment_uuid)
        self._unit_role()
        if assessment.signed_off:
            raise ReadOnlyError(
                f"revision {assessment.revision} is signed off and read-only; "
                "reopen it to make changes (this starts a new revision)")
        return assessment

    def _check_code(self, assessment: Assessment, code: str) -> None:
        framework = self.framework_of(assessment)
        if code not in {item.code for item in framework.items_for(assessment.stage)}:
            raise ValidationError(f"{code!r} is not an {framework.label('item').lower()} of "
                                  f"this assessment ({framework.key})")

    def _check_rating(self, assessment: Assessment, rating: str | None) -> None:
        if rating is None:
            return
        framework = self.framework_of(assessment)
        try:
            framework.scale_point(rating)
        except KeyError:
            labels = ", ".join(p.id for p in framework.scale)
            raise ValidationError(f"rating {rating!r} is not on the scale ({labels})") from None

    def _response_uuid(self, assessment: Assessment, code: str, *, create: bool) -> str | None:
        self._check_code(assessment, code)
        row = self.db.execute(
            "SELECT uuid FROM responses WHERE assessment_uuid = ? AND item_code = ?",
            [assessment.uuid, code]).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        return self._insert("responses", {"assessment_uuid": assessment.uuid, "item_code": code},
                            assessment.uuid)

    def _set_response(self, assessment: Assessment, code: str, changes: dict[str, Any]) -> None:
        response_uuid = self._response_uuid(assessment, code, create=True)
        self._update("responses", response_uuid, changes, assessment.uuid)

    def _set_moderation(self, assessment: Assessment, code: str, changes: dict[str, Any]) -> None:
        """Change the coordinators' record of one item (callers check the role)."""
        self._check_code(assessment, code)
        row = self.db.execute(
            "SELECT uuid FROM moderation WHERE assessment_uuid = ? AND item_code = ?",
            [assessment.uuid, code]).fetchone()
        if row is None:
            self._insert("moderation", {"assessment_uuid": assessment.uuid, "item_code": code,
                                        **changes}, assessment.uuid)
        else:
            self._update("moderation", row[0], changes, assessment.uuid)

    def _item_digest(self, assessment_uuid: str, code: str) -> str:
        from .submission import item_digest
        return item_digest(self.db.conn, assessment_uuid, code)

    def _check_size(self, file_name: str, size: int) -> None:
        if size > self.attachment_limit:
            raise ValidationError(
                f"{shown_path(file_name)} is {shown_size(size, self.attachment_limit)}; "
                f"attachments may be at most {shown_size(self.attachment_limit)}")

    def _add_evidence(self, assessment_uuid: str, code: str, kind: str, title: str, body: str,
                      blob_sha256: str | None, file_name: str, strands: Iterable[str],
                      size: int | None = None) -> str:
        with self.db.atomic():
            assessment = self._unit_editable(assessment_uuid)
            self._check_code(assessment, code)
            position = self.db.execute(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM evidence "
                "WHERE assessment_uuid = ? AND item_code = ?", [assessment_uuid, code]).fetchone()[0]
            evidence_uuid = self._insert("evidence", {
                "assessment_uuid": assessment_uuid, "item_code": code, "kind": kind,
                "title": (title or "").strip(), "body": body or "", "blob_sha256": blob_sha256,
                "file_name": file_name, "file_size": size, "position": position}, assessment_uuid)
            self._set_strands(assessment_uuid, "evidence", evidence_uuid, strands)
        return evidence_uuid

    def _drop_unused_blob(self, sha256: str | None) -> None:
        if sha256 is None:
            return
        used = self.db.execute("SELECT 1 FROM evidence WHERE blob_sha256 = ? LIMIT 1",
                               [sha256]).fetchone()
        if not used:
            self.db.conn.execute("DELETE FROM blobs WHERE sha256 = ?", [sha256])

    def _strands(self, assessment_uuid: str, kind: str) -> dict[str, tuple[str, ...]]:
        order = {strand: index for index, strand in enumerate(STRAND_IDS)}
        found: dict[str, list[str]] = {}
        for target, strand in self.db.execute(
                "SELECT target_uuid, strand FROM strand_tags WHERE assessment_uuid = ? "
                "AND target_kind = ?", [assessment_uuid, kind]).fetchall():
            found.setdefault(target, []).append(strand)
        return {target: tuple(sorted(values, key=lambda s: order.get(s, 99)))
                for target, values in found.items()}

    def _set_strands(self, assessment_uuid: str, kind: str, target_uuid: str,
                     strands: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(strands))
        for strand in wanted:
            if strand not in STRAND_IDS:
                raise ValidationError(f"{strand!r} is not an equality strand "
                                      f"({', '.join(STRAND_IDS)})")
        current = dict(self.db.execute(
            "SELECT strand, uuid FROM strand_tags WHERE target_uuid = ?", [target_uuid]).fetchall())
        for strand, tag_uuid in current.items():
            if strand not in wanted:
                self._delete("strand_tags", tag_uuid, assessment_uuid)
        for strand in wanted:
            if strand not in current:
                self._insert("strand_tags", {"assessment_uuid": assessment_uuid,
                                             "target_kind": kind, "target_uuid": target_uuid,
                                             "strand": strand}, assessment_uuid)

    def _clear_strands(self, assessment_uuid: str, target_uuid: str) -> None:
        for (tag_uuid,) in self.db.execute(
                "SELECT uuid FROM strand_tags WHERE target_uuid = ?", [target_uuid]).fetchall():
            self._delete("strand_tags", tag_uuid, assessment_uuid)

    def _row(self, table: str, row_uuid: str) -> dict[str, Any]:
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE uuid = ?", [row_uuid])
        values = cursor.fetchone()
        if values is None:
            raise EsatError(f"no {table} record {row_uuid}")
        return dict(zip([d[0] for d in cursor.description], values))

    def _insert(self, table: str, values: dict[str, Any], assessment_uuid: str | None) -> str:
        now = self._now()
        row = {"uuid": new_uuid(), **values, "created_at": now, "updated_at": now}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        self._log(assessment_uuid, table, row["uuid"], "insert", None, None, _summary(row))
        self._touch(assessment_uuid, now)
        return row["uuid"]

    def _restore(self, table: str, row: dict[str, Any]) -> None:
        """Re-insert a removed row with its original uuid (undo of a removal)."""
        row = {**row, "updated_at": self._now()}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.db.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        self._log(row["assessment_uuid"], table, row["uuid"], "insert", None, None, _summary(row))
        self._touch(row["assessment_uuid"], row["updated_at"])

    def _update(self, table: str, row_uuid: str, changes: dict[str, Any],
                assessment_uuid: str | None) -> bool:
        if not changes:
            return False
        old = self._row(table, row_uuid)
        changed = {k: v for k, v in changes.items() if old[k] != v}
        if not changed:
            return False
        now = self._now()
        sets = ", ".join(f"{column} = ?" for column in changed)
        self.db.conn.execute(f"UPDATE {table} SET {sets}, updated_at = ? WHERE uuid = ?",
                             [*changed.values(), now, row_uuid])
        for column, value in changed.items():
            self._log_update(assessment_uuid, table, row_uuid, column, _text(old[column]), _text(value))
        self._touch(assessment_uuid, now)
        return True

    def _log_update(self, assessment_uuid: str | None, entity: str, entity_uuid: str, field: str,
                    old_value: str | None, new_value: str | None) -> None:
        """Log a field's change, folding it into the row of the same sitting (see SITTING_GAP).

        Only when this store wrote the newest audit row, for the same field of the
        same row, within the gap: any other change in between starts a new row.
        """
        when = self.clock()
        sitting = self._sitting
        if (sitting is not None and sitting[1:3] == (entity_uuid, field)
                and when - sitting[3] <= SITTING_GAP):
            newest = self.db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
            row = self.db.execute("SELECT old_value, actor FROM audit_log WHERE id = ?",
                                  [sitting[0]]).fetchone()
            if newest == sitting[0] and row is not None and row[1] == self.actor:
                if row[0] == new_value:          # back where the sitting started: no change
                    self.db.execute("DELETE FROM audit_log WHERE id = ?", [sitting[0]])
                    self._sitting = None
                else:
                    self.db.execute("UPDATE audit_log SET new_value = ?, at = ? WHERE id = ?",
                                    [new_value, self._now(), sitting[0]])
                    self._sitting = (sitting[0], entity_uuid, field, when)
                return
        self._log(assessment_uuid, entity, entity_uuid, "update", field, old_value, new_value)
        newest = self.db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
        self._sitting = (newest, entity_uuid, field, when)

    def _delete(self, table: str, row_uuid: str, assessment_uuid: str | None) -> None:
        old = self._row(table, row_uuid)
        self.db.conn.execute(f"DELETE FROM {table} WHERE uuid = ?", [row_uuid])
        self._log(assessment_uuid, table, row_uuid, "delete", None, _summary(old), None)
        self._touch(assessment_uuid, self._now())

    def _touch(self, assessment_uuid: str | None, now: str) -> None:
        if assessment_uuid:
            self.db.conn.execute("UPDATE assessments SET updated_at = ? WHERE uuid = ?",
                                 [now, assessment_uuid])

    def _log(self, assessment_uuid: str | None, entity: str, entity_uuid: str, action: str,
             field: str | None, old_value: str | None, new_value: str | None) -> None:
        self.db.conn.execute(
            "INSERT INTO audit_log (uuid, at, actor, assessment_uuid, entity, entity_uuid, "
            "action, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [new_uuid(), self._now(), self.actor, assessment_uuid, entity, entity_uuid, action,
             field, old_value, new_value])


def refuse_to_replace(target: Path, role: str, what: str) -> None:
    """Refuse to write over anything at ``target`` but an earlier file of the same kind.

    An earlier feedback file (``role`` feedback) or submission copy (``role`` unit, with
    a submission uuid) may be replaced by a new one; a unit's working file, a central
    database (the very file being read, say) or any other file never is.
    """
    target = Path(target)
    if not (target.exists() or target.is_symlink()):
        return
    try:
        with Store.open(target, actor="", read_only=True) as existing:
            same_kind = existing.role == role and (
                role != "unit" or bool(existing.meta("submission_uuid")))
    except EsatError:
        same_kind = False
    if not same_kind:
        raise ValidationError(f"{shown_path(target)}: already exists and is not {what}; choose "
                              "another name. Nothing was written")


def submission_file_name(assessment: Assessment) -> str:
    """``<unit>_<framework>_<stage>_<period>_r<revision>.esat`` with safe characters only."""
    parts = [assessment.unit.code, assessment.framework_key, assessment.stage or "all-levels",
             (assessment.period or "no-period").replace("/", "-"), f"r{assessment.revision}"]
    safe = [re.sub(r"[^A-Za-z0-9.-]+", "-", part).strip("-") for part in parts]
    return "_".join(safe) + fileformat.FILE_SUFFIX


def _assessment(row: dict[str, Any]) -> Assessment:
    unit = Unit(row["unit_uuid"], row["u_code"], row["u_name"], row["u_type"], row["u_area"])
    return Assessment(
        uuid=row["uuid"], unit=unit, framework_id=row["framework_id"],
        framework_version=row["framework_version"], stage=row["stage"], period=row["period"],
        revision=row["revision"], status=row["status"], equality_lead=row["equality_lead"],
        smt_lead=row["smt_lead"], protective_marking=row["protective_marking"],
        publication_scheme=bool(row["publication_scheme"]), title=row["title"],
        version_label=row["version_label"], summary=row["summary"], author=row["author"],
        approver=row["approver"], owning_unit=row["owning_unit"], created_on=row["created_on"],
        review_on=row["review_on"], created_at=row["created_at"], updated_at=row["updated_at"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _summary(row: dict[str, Any]) -> str:
    """A row as JSON for the audit log (file bodies are never copied into it)."""
    return json.dumps({k: v for k, v in row.items() if k not in ("created_at", "updated_at")
                       and not isinstance(v, (bytes, memoryview))}, ensure_ascii=False)


