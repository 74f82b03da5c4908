"""One writer per file: a lock file beside the assessment, held while it is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from ..lockfile import lock_path


class FileLock:
    """Held by the window that may write ``path``; others open it read-only."""

    def __init__(self, path: Path):
        self.path = lock_path(Path(path))
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)        # stale only when its process is gone

    def acquire(self) -> bool:
        return self._lock.tryLock(0)

    def holder(self) -> str:
        info = self._lock.getLockInfo()      # (ok, pid, host, app) or (pid, host, app)
        if len(info) == 4 and not info[0]:
            return "another program"
        pid, host = info[-3], info[-2]
        return f"process {pid} on {host or 'this computer'}"

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
