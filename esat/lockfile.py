"""The lock beside an assessment file: one rule for the app, the command line and the core.

Whoever means to write a file for a while (the desktop app while the file is
open, ``esat import-xlsx`` while it imports) takes ``.~lock.<name>`` beside it
with :class:`FileLock`; others then open the file read-only or refuse to write.
The lock file holds the process id, ``esat``, the host name and the process's
start time, one per line.

The rule (:func:`lock_state`):

- a lock naming a process on this computer that no longer runs is **stale**;
- so is one naming a live process that started at another time than the one
  recorded (the id was reused by an unrelated program);
- so is an empty or unreadable (garbage) lock;
- a lock on another computer is honoured, as this one cannot see its processes;
- a folder where the lock should be is in the way: the file cannot be locked.

A stale lock is taken over. The lock is advisory, for people: each single
write is still protected by SQLite's own locking, and a writer that finds the
file busy waits a few seconds and then says so (see esat/connection.py).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

APP_NAME = "esat"
MAX_LOCK_BYTES = 4096


def lock_path(path: Path) -> Path:
    """``.~lock.<name>`` beside the assessment file."""
    path = Path(path)
    return path.with_name(f".~lock.{path.name}")


class LockState(NamedTuple):
    held: bool            # someone else holds it: do not write
    holder: str           # who, for a message ("process 42 on this computer")


FREE = LockState(False, "")


def lock_state(path: Path) -> LockState:
    """Whether the lock of ``path`` is held by someone else, by the rule above."""
    lock = lock_path(Path(path))
    try:
        info = os.lstat(lock)
    except FileNotFoundError:
        return FREE
    except OSError as exc:
        return LockState(True, f"an unreadable lock file {lock.name} ({exc.strerror or exc})")
    if stat.S_ISDIR(info.st_mode):
        return LockState(True, f"a folder named {lock.name} is where its lock file should be; "
                               "remove it")
    if not stat.S_ISREG(info.st_mode):
        return LockState(True, f"{lock.name} is not a lock file; remove it")
    content = _read(lock)
    if content is None:
        return FREE                                   # vanished, unreadable or garbage: stale
    pid, host, started = content
    if host and host != _host_name():
        return LockState(True, f"process {pid} on {host}")
    if not _alive(pid):
        return FREE
    now_started = process_start(pid)
    if started and now_started and started != now_started:
        return FREE                                   # the id now belongs to another program
    return LockState(True, f"process {pid} on this computer")


class FileLock:
    """The lock of one file, held by this process from :meth:`acquire` to :meth:`release`."""

    def __init__(self, path: Path):
        self.file = Path(path)
        self.path = lock_path(self.file)
        self._content: bytes | None = None
        self._holder = ""

    def acquire(self) -> bool:
        """Take the lock; False (see :meth:`holder`) when someone else holds it."""
        if self._content is not None:
            return True
        content = (f"{os.getpid()}\n{APP_NAME}\n{_host_name()}\n"
                   f"{process_start(os.getpid()) or ''}\n").encode("utf-8")
        for _ in range(3):
            try:
                created = self._create(content)
            except OSError as exc:
                self._holder = (f"its lock file cannot be written in {self.path.parent} "
                                f"({exc.strerror or exc})")
                return False
            if created:
                self._content = content
                return True
            state = lock_state(self.file)
            if state.held:
                self._holder = state.holder
                return False
            self._remove_stale()
        self._holder = "another process that keeps taking it"
        return False

    def holder(self) -> str:
        return self._holder or lock_state(self.file).holder or "another program"

    def release(self) -> None:
        if self._content is None:
            return
        try:
            with open(self.path, "rb") as handle:
                mine = handle.read(MAX_LOCK_BYTES) == self._content
            if mine:
                self.path.unlink()
        except OSError:
            pass
        self._content = None

    def __enter__(self) -> "FileLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _create(self, content: bytes) -> bool:
        """Create the lock file with its content in one step (a hard link), else O_EXCL."""
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temp.write_bytes(content)             # OSError: the folder cannot be written
        try:
            os.link(temp, self.path)
            return True
        except FileExistsError:
            return False
        except OSError:                    # no hard links here (FAT, some shares)
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except OSError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            return True
        finally:
            temp.unlink(missing_ok=True)

    def _remove_stale(self) -> None:
        try:
            if stat.S_ISREG(os.lstat(self.path).st_mode):
                self.path.unlink()
        except OSError:
            pass


def _read(lock: Path) -> tuple[int, str, str] | None:
    """(pid, host, start time) of a lock file, or None when it is garbage."""
    try:
        with open(lock, "rb") as handle:
            raw = handle.read(MAX_LOCK_BYTES)
    except OSError:
        return None
    lines = raw.decode("utf-8", errors="replace").splitlines()
    try:
        pid = int(lines[0].strip())
    except (IndexError, ValueError):
        return None
    if pid <= 0:
        return None
    host = lines[2].strip() if len(lines) > 2 else ""
    started = lines[3].strip() if len(lines) > 3 else ""
    return pid, host, started


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True                        # cannot tell: honour it
    try:
        os.kill(pid, 0)                    # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot), where the system says (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read(4096).decode("ascii", errors="replace")
    except OSError:
        return None
    fields = raw.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def _host_name() -> str:
    import socket        # imported here: the app's start-up never needs it
    return socket.gethostname()
