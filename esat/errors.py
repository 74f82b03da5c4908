"""Errors the core raises for things a user can fix or must be told about.

Each carries a message meant for people: it names the file (where there is one)
and the problem. The command line and the app show ``str(error)`` and never a
traceback for these.
"""

from __future__ import annotations

from pathlib import Path


class EsatError(Exception):
    """Base of every error a user is shown as a message."""


class InvalidFileError(EsatError):
    """A file that cannot be used: missing, foreign, newer, damaged or malformed."""

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class FrameworkError(InvalidFileError):
    """A framework definition that fails validation."""


class ValidationError(EsatError):
    """A value that breaks a rule (an unknown rating, a missing reason, ...)."""


class ReadOnlyError(EsatError):
    """A change asked of an assessment or file that cannot be changed."""


class Cancelled(EsatError):
    """The user cancelled long work; nothing was written."""
