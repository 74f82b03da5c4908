"""The connection the store works through: ``execute`` and nested ``atomic()``.

It follows sqlite-utils' ``Database.atomic()`` exactly (BEGIN at the outside,
SAVEPOINTs inside, rollback on any exception) but is kept off the start-up
path: importing sqlite-utils pulls in pluggy, click and dateutil, about 100 ms
on every start, which the start-up target (bench/startup.py) cannot afford.
sqlite-utils is still what applies the migrations (esat/migrations.py); it is
imported only when a file is created or upgraded.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from typing import Any, Iterator, Sequence


class Connection:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._savepoints = itertools.count(1)

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
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.conn.rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.rollback()
                    raise

    def close(self) -> None:
        self.conn.close()
