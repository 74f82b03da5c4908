"""The one way ESAT opens and reads a file it was given: regular files only, bounded reads.

A path from a user or from another file may name a FIFO (reading it waits for
a writer that never comes), a device such as ``/dev/zero`` (endless), a
folder, or a symlink to any of these. :func:`open_regular` opens without
blocking, refuses anything that is not a regular file, and only then hands
back a normal blocking file. :func:`read_bounded` streams with a running count
and stops at the limit, whatever size ``stat`` claimed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import InvalidFileError, shown_size

_KINDS = ((stat.S_ISDIR, "is a folder, not a file"),
          (stat.S_ISFIFO, "is a pipe (FIFO), not a file"),
          (stat.S_ISCHR, "is a device, not a file"),
          (stat.S_ISBLK, "is a device, not a file"),
          (stat.S_ISSOCK, "is a socket, not a file"))

CHUNK = 1024 * 1024


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` cannot be read as a document, or None."""
    for test, problem in _KINDS:
        if test(mode):
            return problem
    return None if stat.S_ISREG(mode) else "is not a regular file"


def open_regular(path: Path, *, what: str = "file") -> BinaryIO:
    """``path`` opened for reading in binary, or :class:`InvalidFileError` saying why not.

    The open itself never blocks (``O_NONBLOCK``), so a FIFO cannot hang it.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InvalidFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InvalidFileError(path, f"is a folder, not {_a(what)}") from None
    except OSError as exc:
        raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        problem = not_regular(mode)
        if problem is not None:
            if stat.S_ISDIR(mode):
                problem = f"is a folder, not {_a(what)}"
            raise InvalidFileError(path, problem)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_regular(path: Path, *, what: str = "file") -> int:
    """Refuse ``path`` unless it is a readable regular file; returns its size."""
    with open_regular(path, what=what) as handle:
        return os.fstat(handle.fileno()).st_size


def read_bounded(path: Path, limit: int, *, what: str = "file",
                 too_big: str | None = None) -> bytes:
    """The whole of ``path``, refused once more than ``limit`` bytes have been read.

    ``too_big`` is the problem to report (``{size}`` and ``{limit}`` are filled
    in); the size reported is what ``stat`` says or, when the file grows as it
    is read, at least the bytes read.
    """
    path = Path(path)
    with open_regular(path, what=what) as handle:
        declared = os.fstat(handle.fileno()).st_size
        if declared > limit:
            raise InvalidFileError(path, _too_big(too_big, declared, limit))
        parts, count = [], 0
        try:
            while True:
                part = handle.read(min(CHUNK, limit + 1 - count))
                if not part:
                    break
                count += len(part)
                if count > limit:
                    raise InvalidFileError(path, _too_big(too_big, max(count, declared), limit,
                                                          at_least=True))
                parts.append(part)
        except OSError as exc:
            raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    return b"".join(parts)


def _too_big(template: str | None, size: int, limit: int, at_least: bool = False) -> str:
    size_text = ("more than " if at_least else "") + shown_size(size, limit)
    template = template or "is {size}; the limit is {limit}"
    return template.format(size=size_text, limit=shown_size(limit))


def _a(what: str) -> str:
    return ("an " if what[:1] in "aeiou" else "a ") + what
