"""Files this computer has checked in full, so that opening them again costs little.

Every check of a file from elsewhere (``integrity_check``, every value within
its domain, every attachment against its hash) reads the whole file: about
0.8 s for a central database of 300 units, and more with every unit and every
megabyte of attachments. A file is hostile until every check passed, but the
checks need not run again while the file is exactly what passed them, or what
ESAT itself last wrote to it.

This ledger keeps, for each such file, its identity at that moment: device,
inode, size, and modification and status-change times in nanoseconds. It
lives in the app's data folder, never in the file (which anyone who sends it
could edit). A file whose identity differs in any of these (written by another
program, replaced, copied, restored, or rolled back after a crash) gets every
check again. The status-change time cannot be set back by the ``touch`` of an
ordinary user, so a file edited in place and given back its old modification
time is still seen as changed.

A file changed within :data:`RACY` of being recorded is not trusted (as git
treats a "racily clean" file): file times are kept only to the tick of the
system's clock, or to the second on some file systems, so a change made in the
same tick as the recording would leave the identity as it was. Such a file gets
every check on its next open, which records it again, this time safely.

The ledger is only a shortcut: an unreadable, damaged or missing ledger means
every file gets every check, and a ledger that cannot be written is ignored.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

MAX_ENTRIES = 500              # the files most recently verified; older ones are checked again
MAX_LEDGER_BYTES = 1 << 20
RACY = 2_000_000_000           # ns: a file changed this close to its recording is not trusted


def identity(path: Path) -> list[int] | None:
    """What must stay the same for a verified file to count as verified, or None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _key(path: Path) -> str:
    return str(Path(path).resolve())


class VerifiedFiles:
    """The ledger at ``ledger`` (a small JSON file in the app's data folder)."""

    def __init__(self, ledger: Path):
        self.ledger = Path(ledger)

    def is_current(self, path: Path) -> bool:
        """True when ``path`` is exactly as it was when last verified or written by ESAT."""
        found = identity(path)
        entry = self._read().get(_key(path))
        if found is None or entry is None or len(entry) != len(found) + 1:
            return False
        recorded_at = entry[-1]
        return (entry[:-1] == found and isinstance(recorded_at, int)
                and recorded_at - max(found[3], found[4]) > RACY)

    def record(self, path: Path) -> None:
        """Remember ``path`` as it is now: every check passed, or ESAT itself wrote it."""
        found = identity(path)
        if found is None:
            return
        entries = self._read()
        entries.pop(_key(path), None)
        entries[_key(path)] = [*found, time.time_ns()]
        self._write(dict(list(entries.items())[-MAX_ENTRIES:]))

    def forget(self, path: Path) -> None:
        entries = self._read()
        if entries.pop(_key(path), None) is not None:
            self._write(entries)

    def _read(self) -> dict[str, list[int]]:
        try:
            with open(self.ledger, "rb") as handle:
                raw = handle.read(MAX_LEDGER_BYTES + 1)
            if len(raw) > MAX_LEDGER_BYTES:
                return {}
            entries = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, list)}

    def _write(self, entries: dict[str, list[int]]) -> None:
        partial = self.ledger.with_name(f".{self.ledger.name}.{os.getpid()}.partial")
        try:
            self.ledger.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(entries), encoding="utf-8")
            os.replace(partial, self.ledger)
        except OSError:
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass
