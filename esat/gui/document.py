"""One open assessment file: its lock, connections, worker, view state, pending edits and undo.

After Anki's ``Collection``: the window keeps menus and windows; everything about
the open file lives here and is let go of in one place (:meth:`Document.close`).

- Writes and the reads that follow them run on the file's worker (``Tasks``): a
  write job returns the new :class:`Snapshot`, read in the same job, so the view
  is refreshed from what the worker just wrote and the UI thread never reads a
  growing table.
- Each undoable write captures the value it replaces inside its own job (see
  ``commands.py``), so undo restores what the user saw even when earlier writes
  were still queued.
- Editors with a change not yet sent (a narrative between keystrokes, a reason
  being typed) register a flusher; :meth:`flush` sends every one of them, and
  is called before a close, a quit, a change of file or item, a sign-off or an
  export. :attr:`saved` is true only when nothing is pending or queued.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..errors import EsatError, shown_path
from ..fileformat import needs_upgrade
from ..framework import Framework
from ..moderation import Moderation, ModerationRecord
from ..records import Action, Assessment, Evidence, Response, SignOff
from ..scoring import Score
from ..store import Store
from .filelock import FileLock
from .tasks import Tasks

if TYPE_CHECKING:
    from ..verified import VerifiedFiles


class Snapshot(NamedTuple):
    """Everything the view shows about the assessment, read in one go."""

    assessment: Assessment
    score: Score
    responses: dict[str, Response]
    evidence: list[Evidence]
    actions: list[Action]
    signoffs: list[SignOff]
    coordinator: dict[str, ModerationRecord] = {}   # the coordinators' records (from feedback)


def read_snapshot(store: Store, assessment_uuid: str) -> Snapshot:
    return Snapshot(store.assessment(assessment_uuid), store.score(assessment_uuid),
                    store.responses(assessment_uuid), store.evidence(assessment_uuid),
                    store.actions(assessment_uuid), store.signoffs(assessment_uuid),
                    Moderation(store).records(assessment_uuid))


class Opened(NamedTuple):
    document: "Document"
    note: str                     # e.g. "upgraded, backup kept as ..." (empty when nothing to say)


class Document(QObject):
    """An open ``.esat`` file. Create with :meth:`open`; end with :meth:`close`."""

    state_changed = Signal()              # saving state or pending edits changed
    snapshot_changed = Signal(object)     # a new Snapshot was read after a write
    write_failed = Signal(object)         # an exception from a write (after the view is refreshed)

    def __init__(self, *, path: Path, reader: Store, lock: FileLock | None, read_only_reason: str,
                 actor: str, on_error: Callable[[BaseException], None],
                 verified: "VerifiedFiles | None" = None, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path
        self.reader = reader          # the read-only connection used to check the file on open
        self.lock = lock
        self.read_only_reason = read_only_reason
        self.actor = actor
        self.closed = False
        self._flushers: list[Callable[[], None]] = []
        self._pending: list[Callable[[], bool]] = []
        self.undo_stack = QUndoStack(self)
        read_only = bool(read_only_reason)
        self.tasks = Tasks(lambda: Store.open(path, actor=actor, read_only=read_only,
                                              verified=verified),
                           on_error, self)
        self.tasks.busy_changed.connect(lambda _: self.state_changed.emit())
        self.undo_stack.cleanChanged.connect(lambda _: self.state_changed.emit())
        assessment = reader.only_assessment()
        self.framework: Framework = reader.framework_of(assessment)
        self.snapshot: Snapshot = read_snapshot(reader, assessment.uuid)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, actor: str, on_error: Callable[[BaseException], None],
             verified: "VerifiedFiles | None" = None, parent: QObject | None = None) -> Opened:
        """Open ``path``: writable with its lock, or read-only with the reason why.

        ``verified`` is this computer's ledger of files checked in full
        (esat/verified.py): a known, unchanged file opens with the lighter checks.

        Raises :class:`EsatError` (nothing is then held) for a file ESAT cannot use.
        """
        path = Path(path).absolute()
        lock: FileLock | None = FileLock(path)
        read_only_reason = ""
        if path.exists() and not os.access(path, os.W_OK):
            read_only_reason = f"{path.name} is read-only on disk; you can read it but not change it."
            lock = None
        elif not lock.acquire():
            read_only_reason = (f"{path.name} is already open in ESAT ({lock.holder()}). It has been "
                                "opened read-only here; close it there to make changes.")
            lock = None
        note = ""
        reader = None
        try:
            if not read_only_reason and needs_upgrade(path):
                with Store.open(path, actor=actor, verified=verified) as probe:  # upgrades, backs up
                    if probe.backup_path is not None:
                        note = (f"{path.name} was upgraded to this version's file format. "
                                f"A copy of the original was kept as {probe.backup_path.name}.")
                    probe.only_assessment()
            reader = Store.open(path, actor=actor, read_only=True, verified=verified)
            document = cls(path=path, reader=reader, lock=lock, read_only_reason=read_only_reason,
                           actor=actor, on_error=on_error, verified=verified, parent=parent)
        except BaseException:
            if reader is not None:
                reader.close()
            if lock is not None:
                lock.release()
            raise
        return Opened(document, note)

    # -- what is open ----------------------------------------------------------------

    @property
    def assessment(self) -> Assessment:
        return self.snapshot.assessment

    @property
    def editable(self) -> bool:
        return not self.closed and not self.read_only_reason and not self.assessment.signed_off

    def locked_reason(self) -> str:
        if self.read_only_reason:
            return self.read_only_reason
        if self.assessment.signed_off:
            return (f"Revision {self.assessment.revision} is signed off and read-only. "
                    "To change it, choose Assessment ▸ Reopen for Changes (this starts a new revision).")
        return ""

    # -- pending edits -----------------------------------------------------------------

    def add_editor(self, flush: Callable[[], None], pending: Callable[[], bool]) -> None:
        """An editor that may hold a change not yet sent: ``flush`` sends it."""
        self._flushers.append(flush)
        self._pending.append(pending)

    def flush(self) -> None:
        """Send every editor's pending change (they queue writes in order)."""
        if self.closed:
            return
        for flush in self._flushers:
            flush()
        self.state_changed.emit()

    def settle(self) -> bool:
        """Flush every editor and wait for the writes: then the snapshot is what the file holds.

        Used before a decision that reads it (sign-off, export, details, reopen).
        """
        self.flush()
        return self.closed or self.tasks.wait_idle()

    @property
    def pending(self) -> bool:
        return not self.closed and any(pending() for pending in self._pending)

    @property
    def busy(self) -> bool:
        return not self.closed and not self.tasks.idle

    @property
    def saved(self) -> bool:
        """True only when every change the user made is in the file."""
        return not self.busy and not self.pending

    def state_text(self) -> str:
        if self.read_only_reason:
            return "Read-only"
        if self.busy:
            return "Saving…"
        if self.pending:
            return "Unsaved changes"
        return "All changes saved"

    # -- reading and writing -----------------------------------------------------------

    def write(self, job: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
        """Queue a write; the snapshot is re-read in the same job and the view refreshed."""
        if self.closed:
            return
        uuid = self.assessment.uuid

        def run(store: Store) -> tuple[Any, Snapshot]:
            try:
                result = job(store)
            except BaseException as exc:
                try:
                    snapshot = read_snapshot(store, uuid)
                except BaseException:
                    snapshot = None
                raise _Failed(exc, snapshot) from exc
            return result, read_snapshot(store, uuid)

        def done(value: tuple[Any, Snapshot]) -> None:
            result, snapshot = value
            self._apply(snapshot)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, _Failed):
                if exc.snapshot is not None:
                    self._apply(exc.snapshot)
                exc = exc.error
            if on_error is not None:
                on_error(exc)
            else:
                self.write_failed.emit(exc)

        self.tasks.write(run, on_done=done, on_error=failed)

    def refresh(self, on_done: Callable[[Snapshot], None] | None = None) -> None:
        """Re-read the assessment on the worker and refresh the view."""
        self.write(lambda store: None, on_done=(lambda _: on_done(self.snapshot)) if on_done else None)

    def _apply(self, snapshot: Snapshot) -> None:
        if self.closed:
            return
        self.snapshot = snapshot
        if self.tasks.idle:        # the last of a burst of writes: show where they ended
            self.snapshot_changed.emit(snapshot)

    def not_saved_message(self, exc: BaseException) -> str | None:
        """What to tell the user about a write that failed, or None for a bug."""
        if isinstance(exc, EsatError):
            return shown_path(str(exc))
        if isinstance(exc, sqlite3.Error):       # disk full, file made read-only, ...
            return (f"{shown_path(self.path)}: the change could not be written ({exc}). Everything "
                    "saved before it is safe; check the disk and try again.")
        return None

    # -- letting go ------------------------------------------------------------------------

    def close(self) -> None:
        """Send pending edits, finish every queued write, then let go of the file."""
        if self.closed:
            return
        self.flush()
        self.tasks.shutdown()
        self.closed = True
        self.undo_stack.clear()
        self._flushers.clear()
        self._pending.clear()
        self.reader.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


class _Failed(Exception):
    """A write's error, with the snapshot read after it (the view shows what is in the file)."""

    def __init__(self, error: BaseException, snapshot: Snapshot | None):
        super().__init__(str(error))
        self.error = error
        self.snapshot = snapshot
