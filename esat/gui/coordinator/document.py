"""One open central database: its lock, its worker (``Tasks``) and its undo stack.

Like :class:`esat.gui.document.Document` for a unit's file: every read and write
of the central database runs on the file's one worker, with a connection opened
there; the window only ever sees plain rows handed back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import os
import sqlite3
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from ... import fileformat
from ...central.overview import ReadCache
from ...errors import EsatError, InvalidFileError
from ...store import ROLES, Store
from ..filelock import FileLock
from ..tasks import Tasks


if TYPE_CHECKING:
    from ...verified import VerifiedFiles


def file_role(path: Path) -> str | None:
    """The role an ESAT file says it has (unit, central or feedback), to choose which
    window opens it; None when that cannot be read.

    Only the header is checked and one value read (no ``quick_check``, which takes
    seconds on a big central database): the open that follows checks the file
    whole before anything in it is used, and reports any problem.
    """
    path = Path(path)
    try:
        header = fileformat.read_header(path)
        fileformat.check_header(path, header)
        conn = fileformat.connect(path, read_only=True)
    except (EsatError, OSError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'role'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row and row[0] in ROLES else None


def _open_central(path: Path, actor: str, read_only: bool,
                  verified: "VerifiedFiles | None" = None,
                  trace: Callable[[str], None] | None = None) -> Store:
    store = Store.open(path, actor=actor, read_only=read_only, verified=verified,
                       check_apart=True, trace=trace)
    try:
        store.role
    except BaseException:
        try:
            store.wait_checked()     # a damaged file: refused with the check's words
        finally:
            store.close()
        raise
    if store.role != "central":
        role = store.role
        store.close()
        raise InvalidFileError(path, f"is a {role} file, not a central database")
    return store


class CentralDocument(QObject):
    """An open central database. Create with :meth:`open`; end with :meth:`close`.

    A known central database (esat/verified.py) is opened with its ``quick_check``
    running apart (``Store.open(check_apart=True)``): the first reads (the units
    table, the conflicts) run on the worker while the check runs beside them. What
    they read is held here, on the main thread, until a job queued behind them has
    waited for the check (:meth:`_confirm`): then it is handed on in order; if the
    file failed the check, it is dropped and the file is refused with the usual
    message. Writes wait for the check on the worker before they begin.
    """

    changed = Signal()           # a write finished: what is shown should be read again

    def __init__(self, path: Path, *, actor: str, on_error: Callable[[BaseException], None],
                 verified: "VerifiedFiles | None" = None, parent: QObject | None = None,
                 trace: Callable[[str], None] | None = None):
        """``verified``: this computer's ledger of files checked in full (esat/verified.py);
        a known, unchanged central database opens with the lighter checks.

        ``trace`` (tests, benchmarks): told ``"check started"``/``"check finished"``
        (from the checking thread), ``"read started"``/``"read finished"`` (from the
        worker) and ``"handed back"`` (on the main thread, as each read's result is
        handed on)."""
        super().__init__(parent)
        self._trace = trace
        # main thread only: "pending" until a job has waited for the check, then
        # "passed" or "failed"; what reads handed back meanwhile waits in ``_held``
        self._check = "pending"
        self._held: list[tuple[Callable[[Any], None], Any]] = []
        self._confirming = False
        self.path = Path(path).absolute()
        self.actor = actor
        # a file that failed its check raises that one refusal at every later wait (the
        # reads, writes and imports queued meanwhile, the re-reads after them): said once
        self._said: BaseException | None = None

        def say(exc: BaseException) -> None:
            if exc is self._said:
                return
            self._said = exc
            on_error(exc)
        self.on_error = say
        self.closed = False
        self.read_only_reason = ""
        self.lock: FileLock | None = FileLock(self.path)
        if not os.access(self.path, os.W_OK):
            self.read_only_reason = f"{self.path.name} is read-only on disk."
            self.lock = None
        elif not self.lock.acquire():
            self.read_only_reason = (f"{self.path.name} is already open in ESAT "
                                     f"({self.lock.holder()}); it has been opened read-only here.")
            self.lock = None
        read_only = bool(self.read_only_reason)
        path_, actor_ = self.path, actor
        self.tasks = Tasks(lambda: _open_central(path_, actor_, read_only, verified, trace),
                           self.on_error, self)
        # the latest read of every unit, used on the worker only: the dashboard and heat
        # map shown after the units table score nothing again while the file is unchanged
        self.reads = ReadCache()
        self.undo_stack = QUndoStack(self)

    @property
    def editable(self) -> bool:
        return not self.closed and not self.read_only_reason

    def read(self, job: Callable[[Store], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None) -> None:
        """Read on the worker, after every queued write; ``on_done`` gets the plain result,
        never before the file passed its check."""
        if self.closed:
            return
        trace = self._trace

        def read(store: Store) -> Any:
            store.wait_checked(block=False)      # a file that failed: refused, nothing read
            if trace is not None:
                trace("read started")
            try:
                return job(store)
            finally:
                if trace is not None:
                    trace("read finished")

        self.tasks.write(read, on_done=self._when_checked(on_done),
                         on_error=self._when_checked(on_error or self.on_error))
        if self._check == "pending" and not self._confirming:
            # behind every read asked for in this turn of the event loop (a window
            # asks for its first ones as it is built), so they run beside the check
            self._confirming = True
            QTimer.singleShot(0, self._confirm)

    def _when_checked(self, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        def hand_back(value: Any) -> None:
            if self._check == "pending":
                self._held.append((handler, value))
                return
            if self._trace is not None:
                self._trace("handed back")
            handler(value)
        return hand_back

    def _confirm(self) -> None:
        if not self.closed:
            self.tasks.write(lambda store: store.wait_checked(), on_done=self._passed,
                             on_error=self._failed)

    def _passed(self, _result: Any = None) -> None:
        self._check = "passed"
        held, self._held = self._held, []
        for handler, value in held:
            if self._trace is not None:
                self._trace("handed back")
            handler(value)

    def _failed(self, exc: BaseException) -> None:
        """The file failed its check (or could not be opened): nothing read is shown."""
        self._check = "failed"
        self._held = []
        self.on_error(exc)

    def write(self, job: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
        """Queue a write; :attr:`changed` follows it (also when it failed: re-read the file)."""
        if self.closed:
            return

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.changed.emit()
            (on_error or self.on_error)(exc)

        def write(store: Store) -> Any:
            store.wait_checked()                 # nothing is written before the check passed
            return job(store)

        self.tasks.write(write, on_done=done, on_error=failed)

    def close(self) -> None:
        if self.closed:
            return
        self.tasks.shutdown()
        self.closed = True
        self.undo_stack.clear()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
