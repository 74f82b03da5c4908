"""The connection the store works through: ``execute`` and nested ``atomic()``.

It follows sqlite-utils' ``Database.atomic()`` exactly (BEGIN at the outside,
SAVEPOINTs inside, rollback on any exception) but is kept off the start-up
path: importing sqlite-utils pulls in pluggy, click and dateutil, about 100 ms
on every start, which the start-up target (bench/startup.py) cannot afford.
sqlite-utils is still what applies the migrations (esat/migrations.py); it is
imported only when a file is created or upgraded.

A writable connection starts its transactions with ``BEGIN IMMEDIATE``: the
write lock is taken at the start, so a file another process is writing makes
this one wait (the busy timeout) instead of failing halfway with "database is
locked"; when the wait runs out the user gets :class:`FileBusyError` naming the
file, never a raw database error.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence


class Connection:
    def __init__(self, conn: sqlite3.Connection, *, path: Path | None = None,
                 read_only: bool = False):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self._savepoints = itertools.count(1)
        # called before a transaction begins; a store opened with its check apart waits
        # here for the check to pass (Store.open(check_apart=True))
        self.before_write: Callable[[], None] | None = None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextlib.contextmanager
    def atomic(self) -> Iterator["Connection"]:
        """A transaction; nested blocks become savepoints."""
        if self.conn.in_transaction:
            savepoint = f"esat_{next(self._savepoints)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        else:
            if self.before_write is not None:
                self.before_write()
            try:
                self.conn.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                self._raise_busy(exc)
                raise
            try:
                yield self
            except BaseException as exc:
                self.conn.rollback()
                self._raise_busy(exc)
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException as exc:
                    self.conn.rollback()
                    self._raise_busy(exc)
                    raise

    def _raise_busy(self, exc: BaseException) -> None:
        from .fileformat import busy_error, is_busy     # a cycle at import time otherwise
        if is_busy(exc):
            raise busy_error(self.path or Path("(file)")) from None

    def close(self) -> None:
        self.conn.close()
