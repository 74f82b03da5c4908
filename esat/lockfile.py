"""The lock file beside an assessment that the desktop app holds while it writes it.

The app takes it with Qt's QLockFile (esat/gui/filelock.py); the core only needs
its name and, for the command line, who holds it.
"""

from __future__ import annotations

import os
from pathlib import Path


def lock_path(path: Path) -> Path:
    """``.~lock.<name>`` beside the assessment file."""
    return path.with_name(f".~lock.{path.name}")


def lock_holder(path: Path) -> str | None:
    """Who holds the desktop app's lock on ``path`` (``.~lock.<name>``), or None.

    The app keeps a Qt lock file beside a file it has open for writing; its
    first line is the process id and its third the host name. A lock whose
    process is gone on this computer is stale and ignored.
    """
    lock = lock_path(Path(path))
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    try:
        pid = int(lines[0].strip())
    except (IndexError, ValueError):
        return "another program"
    host = lines[2].strip() if len(lines) > 2 else ""
    if host and host != _host_name():
        return f"process {pid} on {host}"
    if os.name == "posix":         # signal 0 only asks whether the process exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except OSError:
            pass
    return f"process {pid} on this computer"


def _host_name() -> str:
    import socket        # imported here: the app's start-up never needs it
    return socket.gethostname()
