"""The ``.esat`` file: SQLite used as an application file format.

Guarantees (see ``docs/file-format.md``):

- ``application_id`` is :data:`APPLICATION_ID`; ``user_version`` is the schema
  version, which equals the number of migrations applied.
- Rollback journal (``journal_mode=DELETE``), never WAL, so a file travels alone.
- Opening reads the 100-byte header first: a file that is not SQLite, carries a
  foreign application id or a newer schema version is refused before SQLite
  touches it, so not a byte changes.
- Only a regular file is opened (a FIFO or device is refused, never waited on).
- A save interrupted by a crash (a hot journal beside the file) is rolled back
  with a writable connection before the file is read, and the open says so.
- A file in WAL mode is refused for reading; a writable open converts it.
- Then the file is opened with ``trusted_schema=OFF``; its ``sqlite_schema``
  must be exactly what ESAT's migrations create for its version (no foreign
  trigger, view, table or index ever runs) and ``integrity_check`` must pass
  before a row is read.
- An older file is copied beside itself before it is migrated.
"""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

import contextlib
import functools
import os
import sqlite3
import stat
import struct
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, NamedTuple
from urllib.parse import quote

from .connection import Connection
from .errors import FileBusyError, InvalidFileError, shown_path
from .safeio import open_regular
from . import migrations

APPLICATION_ID = 0x45534154          # "ESAT" in ASCII
SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".esat"


class Header(NamedTuple):
    application_id: int
    user_version: int
    wal: bool = False             # header bytes 18/19 say write-ahead logging


class Opened(NamedTuple):
    """An open database and what opening it did."""

    db: Connection
    migrated_from: int | None = None
    backup_path: Path | None = None
    recovered: bool = False       # an interrupted save was rolled back on opening
    checked_in_full: bool = True  # integrity_check ran (not only quick_check; see open_file)
    pending: "PendingCheck | None" = None   # the quick_check still running (check_apart)

RECOVERED_NOTE = ("a save was interrupted (ESAT or the computer stopped while writing it); "
                  "the unfinished change was undone and the file holds its last saved state")


def current_schema_version() -> int:
    return migrations.schema_version()


def read_header(path: Path) -> Header:
    """Read the SQLite header without opening the file as a database."""
    with open_regular(path, what="ESAT file") as handle:
        try:
            head = handle.read(100)
        except OSError as exc:
            raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise InvalidFileError(path, "is empty (0 bytes); it is not an ESAT file")
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise InvalidFileError(path, "is not an ESAT file (it is not an SQLite database)")
    user_version, application_id = struct.unpack(">i", head[60:64])[0], struct.unpack(">I", head[68:72])[0]
    return Header(application_id=application_id, user_version=user_version,
                  wal=head[18] == 2 or head[19] == 2)


def check_header(path: Path, header: Header) -> None:
    """Refuse foreign and newer files; nothing has been opened yet."""
    if header.application_id != APPLICATION_ID:
        if header.application_id == 0:
            raise InvalidFileError(path, "is an SQLite database but was not made by ESAT")
        raise InvalidFileError(
            path, f"was made by another program (application id 0x{header.application_id:08X}); "
                  "it is not an ESAT file")
    supported = current_schema_version()
    if header.user_version > supported:
        raise InvalidFileError(
            path, f"was made by a newer version of ESAT (file format {header.user_version}; "
                  f"this version reads up to {supported}). Install the newer ESAT to open it; "
                  "the file has not been changed")
    if header.user_version < 1:
        raise InvalidFileError(path, "is an unfinished ESAT file (it has no schema version)")


def checked_header(path: Path) -> tuple[Header, bool]:
    """The header, read and checked, after undoing an interrupted save (then read again).

    Returns it and whether a save was undone; what every open and ``esat check`` do first.
    """
    header = read_header(path)
    check_header(path, header)
    recovered = recover_interrupted_save(path)
    if recovered:
        header = read_header(path)
        check_header(path, header)
    return header, recovered


def needs_upgrade(path: Path) -> bool:
    """True for an ESAT file that a writable open must change before it can be read.

    That is an older format (opening it for writing migrates it) or a file in
    WAL mode (opening it for writing converts it to the rollback journal).

    Files that are not ESAT's, or are newer, answer False; opening them says why.
    """
    try:
        header = read_header(path)
    except InvalidFileError:
        return False
    return (header.application_id == APPLICATION_ID
            and (0 < header.user_version < current_schema_version() or header.wal))


BUSY_WAIT = 5.0         # seconds a busy file is waited for before the user is told


def busy_error(path: Path) -> FileBusyError:
    return FileBusyError(path, f"is busy: another program is writing it and did not finish "
                               f"within {BUSY_WAIT:.0f} seconds. Try again when it is done; "
                               "nothing was changed")


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """Open the file with ESAT's connection settings, in the calling thread."""
    mode = "ro" if read_only else "rw"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_WAIT)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise busy_error(path) from None
        raise InvalidFileError(path, f"cannot be opened ({exc})") from None
    return conn


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems ``PRAGMA quick_check`` finds; empty when the file is sound."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


class PendingCheck:
    """``quick_check`` of a known file, run on a read-only connection of its own in a
    thread of its own while the opener goes on (``open_file(check_apart=True)``).

    SQLite does its work with Python's lock released, so on a second core the check
    and the opener's first reads truly run side by side. :meth:`wait` says whether the
    file passed: it raises what :func:`open_file` would have raised had the check run
    there, and raises it again on every later call. ``trace`` (tests, benchmarks) is
    told ``"check started"`` and ``"check finished"`` from the checking thread.
    """

    def __init__(self, path: Path, trace: Callable[[str], None] | None = None):
        import threading
        self.path = Path(path)
        self._trace = trace
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="esat-quick-check", daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> None:
        """Block until the check has run; raise the refusal when the file failed it."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        if self._trace is not None:
            self._trace("check started")
        try:
            conn = connect(self.path, read_only=True)     # opened in the thread that uses it
            try:
                conn.text_factory = lenient_text
                problems = quick_check(conn)
            finally:
                conn.close()
            if problems:
                self._error = InvalidFileError(self.path, "is damaged: " + "; ".join(problems[:3]))
        except (InvalidFileError, FileBusyError) as exc:
            self._error = exc
        except UnicodeDecodeError:
            self._error = InvalidFileError(self.path, DAMAGED_BYTES)
        except sqlite3.DatabaseError as exc:
            self._error = (busy_error(self.path) if is_busy(exc)
                           else InvalidFileError(self.path, f"is damaged ({exc})"))
        except BaseException as exc:      # a bug: handed to whoever waits, never lost
            self._error = exc
        finally:
            if self._trace is not None:
                self._trace("check finished")


DAMAGED_BYTES = ("is damaged (its structure holds bytes that are not text where text "
                 "belongs)")


def lenient_text(raw: bytes) -> str:
    """Text from a file that may not be valid UTF-8 (used while checking it)."""
    return raw.decode("utf-8", errors="replace")


def integrity_check(conn: sqlite3.Connection, *, read_only: bool) -> list[str]:
    """Problems the full ``PRAGMA integrity_check`` finds, CHECK constraints included.

    SQLite skips CHECK constraints when the connection is read-only. So a file
    opened read-only is checked through a second, writable connection that is
    told to write nothing (``query_only``) when the file may be written, and
    otherwise on a copy made with the backup API: on disk, in a private
    temporary folder (a central database can hold gigabytes, more than memory
    should), or in memory when no copy fits there.
    """
    if read_only:
        scratch = None
        checker = _query_only_connection(conn)
        if checker is None:
            checker, scratch = _scratch_copy(conn)
        checker.text_factory = lenient_text
        try:
            rows = [row[0] for row in checker.execute("PRAGMA integrity_check").fetchall()]
        finally:
            checker.close()
            if scratch is not None:
                scratch.cleanup()
    else:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else list(dict.fromkeys(rows))     # each problem once


def _scratch_copy(conn: sqlite3.Connection):
    """A writable copy of ``conn``'s database to check, and the folder that holds it (or None)."""
    import tempfile
    scratch = None
    try:
        scratch = tempfile.TemporaryDirectory(prefix="esat-check-")
        copy = sqlite3.connect(os.path.join(scratch.name, "copy.esat"))
        try:
            copy.execute("PRAGMA trusted_schema = OFF")
            conn.backup(copy)
        except BaseException:
            copy.close()
            raise
        return copy, scratch
    except (OSError, sqlite3.OperationalError):       # no room on disk: in memory, then
        if scratch is not None:
            scratch.cleanup()
    copy = sqlite3.connect(":memory:")
    conn.backup(copy)
    return copy, None


def _query_only_connection(conn: sqlite3.Connection) -> sqlite3.Connection | None:
    """A writable connection to the same file that refuses to write, or None."""
    name = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not name or not os.access(name, os.W_OK):
        return None
    try:
        checker = sqlite3.connect(f"file:{quote(name)}?mode=rw", uri=True, timeout=BUSY_WAIT)
        checker.execute("PRAGMA query_only = ON")
        checker.execute("PRAGMA trusted_schema = OFF")
    except sqlite3.Error:
        return None
    return checker


# -- a save interrupted by a crash ----------------------------------------------

def journal_path(path: Path) -> Path:
    """SQLite's rollback journal beside the file (symlinks resolved, as SQLite does)."""
    real = Path(path).resolve()
    return real.with_name(real.name + "-journal")


def recover_interrupted_save(path: Path) -> bool:
    """Roll back a hot journal left by a writer that was killed; True when one was.

    SQLite rolls a hot journal back only through a writable connection, so a
    read-only open of such a file would fail. This opens the file writable
    and takes SQLite's write lock (``BEGIN IMMEDIATE``), which makes SQLite
    restore the last committed state first; SQLite's own locks make sure only
    one process does it, and never while the writer still lives. A journal
    that is not hot (a writer killed before it wrote one) is removed while the
    write lock is held, so nothing is left beside the file. Where the file or
    its folder cannot be written, the user is told so and what to do; the file
    is not called damaged.
    """
    path = Path(path)
    journal = journal_path(path)
    try:
        info = os.lstat(journal)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    hot = info.st_size > 0 and _first_byte(journal) != 0
    real = Path(path).resolve()
    if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK):
        if not hot:
            return False             # harmless: SQLite ignores a journal that is not hot
        raise InvalidFileError(
            path, f"was being saved when ESAT or the computer stopped, and that unfinished save "
                  f"must be undone before the file can be read. That needs permission to write "
                  f"to the file and its folder, which you do not have here. Copy the file "
                  f"together with {shown_path(journal.name)} into a folder you can write to, "
                  "and open the copy; the last saved state will be restored")
    try:
        conn = sqlite3.connect(f"file:{quote(str(real))}?mode=rw", uri=True, timeout=BUSY_WAIT,
                               isolation_level=None)
    except sqlite3.Error as exc:
        raise InvalidFileError(path, f"cannot be opened ({exc})") from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("BEGIN IMMEDIATE")         # rolls a hot journal back, then holds the lock
        try:
            if journal.exists():                 # not hot: a leftover no one will use
                journal.unlink()
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if is_busy(exc):       # a live writer holds it: its journal is not hot, leave it be
            return False
        raise InvalidFileError(path, f"is damaged ({exc})") from None
    except OSError:
        pass
    finally:
        conn.close()
    return hot and not journal.exists()


def _first_byte(path: Path) -> int | None:
    try:
        with open(path, "rb") as handle:
            first = handle.read(1)
    except OSError:
        return None
    return first[0] if first else None


# -- the exact schema ------------------------------------------------------------

MIGRATIONS_TABLE = "_sqlite_migrations"


class _StepDatabase:
    """What a migration step is given when the expected schema is worked out.

    Steps use ``db.conn.execute`` (see docs/file-format.md); one that uses
    more of sqlite-utils' Database gets the real one, imported only then.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def __getattr__(self, name):
        from sqlite_utils import Database
        return getattr(Database(self.conn, execute_plugins=False), name)


@functools.lru_cache(maxsize=8)
def _expected_objects(steps: tuple) -> frozenset:
    conn = sqlite3.connect(":memory:")
    try:
        db = _StepDatabase(conn)
        for _name, step in steps:
            step(db)
        return frozenset(conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall())
    finally:
        conn.close()


def expected_schema(version: int) -> frozenset:
    """``(type, name, tbl_name, sql)`` of every object ESAT's migrations create at ``version``.

    Worked out by applying the migration steps themselves to an in-memory
    database, so a new migration is accepted with no other change. The
    migration record (``_sqlite_migrations``, made by sqlite-utils) is checked
    apart by :func:`schema_problems`.
    """
    return _expected_objects(tuple(migrations.STEPS[:version]))


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """Each schema object of the file that ESAT's migrations do not create, or that differs."""
    expected = expected_schema(version)
    by_name = {(kind, name): (table, sql) for kind, name, table, sql in expected}
    found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    problems = []
    seen = set()
    for kind, name, table, sql in found:
        seen.add((kind, name))
        if table == MIGRATIONS_TABLE and (kind, name) not in by_name:
            problem = _migration_record_problem(conn, kind, name)
        elif (kind, name) not in by_name:
            problem = f"has {_an(kind)} {_quote_name(name)} that ESAT did not create"
        elif by_name[(kind, name)] != (table, sql):
            problem = f"has {_an(kind)} {_quote_name(name)} that differs from the one ESAT creates"
        else:
            continue
        if problem:
            problems.append(problem)
    for kind, name in sorted(set(by_name) - seen):
        problems.append(f"lacks the {kind} {_quote_name(name)}")
    if version >= 1 and not any(name == MIGRATIONS_TABLE for _, name, _, _ in found):
        problems.append(f"lacks the table {MIGRATIONS_TABLE}")
    return problems


_MIGRATION_COLUMNS = [("id", "INTEGER", 1), ("migration_set", "TEXT", 0), ("name", "TEXT", 0),
                      ("applied_at", "TEXT", 0)]


def _migration_record_problem(conn: sqlite3.Connection, kind: str, name: str) -> str | None:
    """The migration record sqlite-utils keeps: a plain table and its unique name index."""
    if kind == "table" and name == MIGRATIONS_TABLE:
        columns = [(r[1], r[2].upper(), r[5]) for r in
                   conn.execute(f"PRAGMA table_info({MIGRATIONS_TABLE})").fetchall()]
        if columns == _MIGRATION_COLUMNS:
            return None
        return f"has a table {MIGRATIONS_TABLE} that differs from the one ESAT creates"
    if kind == "index" and name == f"idx_{MIGRATIONS_TABLE}_migration_set_name":
        columns = [r[2] for r in conn.execute(f"PRAGMA index_info({name})").fetchall()]
        unique = conn.execute(f"PRAGMA index_list({MIGRATIONS_TABLE})").fetchall()
        if columns == ["migration_set", "name"] and any(r[1] == name and r[2] for r in unique):
            return None
    return f"has {_an(kind)} {_quote_name(name)} that ESAT did not create"


def _an(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _quote_name(name: str | None) -> str:
    from .errors import shown_quoted
    return shown_quoted(name or "", 60)


def refuse_foreign_schema(path: Path, problems: list[str]) -> InvalidFileError:
    listed = "; ".join(p.removeprefix("has ") for p in problems[:5])
    more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
    return InvalidFileError(
        path, f"contains database objects ESAT did not create ({listed}{more}); they could "
              "run code when the file is used, so it was refused and not changed")


def _apply_migrations(conn: sqlite3.Connection) -> None:
    """Bring the file to the current schema with sqlite-utils (imported only here)."""
    from sqlite_utils import Database
    # plugins are not loaded: opening a file must have no side effects
    migrations.build_migrations().apply(Database(conn, execute_plugins=False))


def create(path: Path) -> Connection:
    """Create a new, empty ESAT file at ``path``; refuses to overwrite."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise InvalidFileError(path, "already exists; choose another name")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_WAIT)
    except sqlite3.Error as exc:
        raise InvalidFileError(path, f"cannot be created ({exc})") from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        _apply_migrations(conn)
    except BaseException:
        conn.close()
        path.unlink(missing_ok=True)
        raise
    return Connection(conn, path=path)


@contextlib.contextmanager
def new_file(target: Path) -> Iterator[Connection]:
    """A new, empty ESAT file for ``target``, built under a temporary name beside it.

    It is renamed to ``target`` only when the block ends without an error; on an
    error it is closed and removed, so a kill or a failure never leaves half a file.
    """
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    db = create(partial)
    try:
        yield db
    except BaseException:
        db.close()
        partial.unlink(missing_ok=True)
        raise
    db.close()
    partial.replace(target)


WAL_REFUSED = ("uses SQLite's write-ahead log (WAL mode), which ESAT files never use because "
               "a copy of the file alone could miss saved work. Open it in the ESAT app, which "
               "converts it (you need permission to write to it), and try again; nothing was "
               "changed")


def open_file(path: Path, *, read_only: bool = False, now: datetime | None = None,
              verified: Callable[[Path], bool] | None = None, check_apart: bool = False,
              trace: Callable[[str], None] | None = None) -> Opened:
    """Open an existing ESAT file, refusing anything that is not one of ours.

    A writable open of an older file writes a backup copy beside it and then
    migrates it. A read-only open of an older file is refused (it would need
    changing to be read), and so is a read-only open of a file in WAL mode.

    ``verified(path)`` True says the file is unchanged since this computer
    last checked it in full or wrote it (esat/verified.py); it then gets
    ``quick_check`` instead of the full ``integrity_check``. The header and
    the exact schema are checked on every open.

    ``check_apart``: that ``quick_check`` of a known file runs in a thread of its
    own (:class:`PendingCheck`, in ``Opened.pending``) while the caller reads, on
    this connection, what it needs first: a central database of 1,000 units takes
    as long to check as to read. The header, the schema and any hot journal are
    dealt with first as always, and a file that needs a full check, a migration or
    its WAL undone gets it here as always. Until the caller has waited for the
    check and it passed, nothing read may be shown and nothing may be written: a
    writable connection is told to write nothing (``query_only``) meanwhile, and
    ``Store`` makes every transaction wait for the check (esat/store.py).
    """
    path = Path(path)
    header, recovered = checked_header(path)
    supported = current_schema_version()
    if read_only and header.wal:
        raise InvalidFileError(path, WAL_REFUSED)
    if read_only and header.user_version < supported:
        raise InvalidFileError(
            path, f"uses the older file format {header.user_version}; open it for editing "
                  "to upgrade it (a backup copy is kept)")
    conn = connect(path, read_only=read_only)
    try:
        conn.text_factory = lenient_text         # names in a damaged schema may not be UTF-8
        try:
            if header.wal:                       # writable: back to the rollback journal
                conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            problems = schema_problems(conn, header.user_version)
            if problems:
                raise refuse_foreign_schema(path, problems)
            in_full = recovered or verified is None or not verified(path)
            apart = (check_apart and not in_full and not header.wal
                     and header.user_version == supported)
            if apart:
                problems = []
                if not read_only:                # nothing is written before the check passed
                    conn.execute("PRAGMA query_only = ON")
            elif in_full:
                problems = integrity_check(conn, read_only=read_only)
            else:
                problems = quick_check(conn)
            if problems:
                raise InvalidFileError(path, "is damaged: " + "; ".join(problems[:3]))
            if not read_only:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode.lower() != "delete":
                    conn.execute("PRAGMA journal_mode = DELETE")
        except UnicodeDecodeError:   # SQLite's own message quoted the damaged bytes
            raise InvalidFileError(path, DAMAGED_BYTES) from None
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise busy_error(path) from None
            raise InvalidFileError(path, f"is damaged ({exc})") from None
        finally:
            conn.text_factory = str
        backup_path = None
        migrated_from = None
        if header.user_version < supported:
            backup_path = write_backup(conn, path, header.user_version, now)
            migrated_from = header.user_version
            _apply_migrations(conn)
        return Opened(db=Connection(conn, path=path, read_only=read_only),
                      migrated_from=migrated_from, backup_path=backup_path,
                      recovered=recovered, checked_in_full=in_full,
                      pending=PendingCheck(path, trace) if apart else None)
    except BaseException:
        conn.close()
        raise


def write_backup(conn: sqlite3.Connection, path: Path, version: int,
                 now: datetime | None = None) -> Path:
    """Copy the open database to a new file beside ``path`` and return its path."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.format{version}-backup-{stamp}{path.suffix or FILE_SUFFIX}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(
            f"{path.stem}.format{version}-backup-{stamp}-{counter}{path.suffix or FILE_SUFFIX}")
    partial = target.with_name(target.name + ".partial")
    backup = sqlite3.connect(str(partial))
    try:
        conn.backup(backup)
    finally:
        backup.close()
    partial.replace(target)
    return target
