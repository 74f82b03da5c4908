"""One writer per file: the app holds the core's lock (esat/lockfile.py) while a file is open.

The rule for stale, garbage and reused-process locks lives in the core, so the
app, the command line and scripts using the core API all follow the same one.
"""

from ..lockfile import FileLock, lock_path

__all__ = ["FileLock", "lock_path"]
