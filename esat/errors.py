"""Errors the core raises for things a user can fix or must be told about.

Each carries a message meant for people: it names the file (where there is one)
and the problem. The command line and the app show ``str(error)`` and never a
traceback for these.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(value: object, limit: int = 120) -> str:
    """``value`` as text fit for a one-line message: controls escaped, long text shortened.

    A control character becomes ``\\n``, ``\\t`` or ``\\xHH``, so a crafted
    name cannot break a line or fake a message; text longer than ``limit``
    characters keeps its start and says how long it was.
    """
    text = str(value)
    cut = len(text) > limit
    if cut:
        text = text[:limit]
    text = _CONTROL.sub(_escape_control, text)
    if cut:
        text += f"… ({len(str(value)):,} characters)"
    return text


def _escape_control(match: re.Match) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}"
                                                         if ord(char) < 0x100 else
                                                         f"\\u{ord(char):04x}")


def shown_path(path: str | Path) -> str:
    """A file name for a message: control characters escaped, never shortened."""
    return shown(path, limit=10_000)


def shown_quoted(value: object, limit: int = 80) -> str:
    """A value a user typed or a file held, quoted and shortened for a message."""
    return "'" + shown(value, limit) + "'"


def shown_size(size: int, limit: int | None = None) -> str:
    """A size in bytes, KB or MB; with ``limit``, precise enough to differ from it."""
    def fmt(n: int, digits: int) -> str:
        if n < 1024:
            return f"{n:,} bytes"
        if n < 1024 * 1024:
            return f"{n / 1024:.{digits}f} KB"
        return f"{n / (1024 * 1024):.{digits}f} MB"
    if limit is None or size == limit:
        return fmt(size, 1)
    for digits in (1, 2, 3, 4):
        if fmt(size, digits) != fmt(limit, digits):
            return fmt(size, digits)
    return f"{size:,} bytes"


class EsatError(Exception):
    """Base of every error a user is shown as a message."""


class InvalidFileError(EsatError):
    """A file that cannot be used: missing, foreign, newer, damaged or malformed."""

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{shown_path(self.path)}: {problem}")


class FrameworkError(InvalidFileError):
    """A framework definition that fails validation."""


class ValidationError(EsatError):
    """A value that breaks a rule (an unknown rating, a missing reason, ...)."""


class FileBusyError(InvalidFileError):
    """Another program is writing the file and did not finish within the wait."""


class ReadOnlyError(EsatError):
    """A change asked of an assessment or file that cannot be changed."""


class Cancelled(EsatError):
    """The user cancelled long work; nothing was written."""
