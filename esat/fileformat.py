"""The ``.esat`` file: SQLite used as an application file format.

Guarantees (see ``docs/file-format.md``):

- ``application_id`` is :data:`APPLICATION_ID`; ``user_version`` is the schema
  version, which equals the number of migrations applied.
- Rollback journal (``journal_mode=DELETE``), never WAL, so a file travels alone.
- Opening reads the 100-byte header first: a file that is not SQLite, carries a
  foreign application id or a newer schema version is refused before SQLite
  touches it, so not a byte changes.
- Then the file is opened with ``trusted_schema=OFF`` and ``quick_check`` must
  pass before anything else is read.
- An older file is copied beside itself before it is migrated.
"""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

import sqlite3
import struct
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from .connection import Connection
from .errors import InvalidFileError
from . import migrations

APPLICATION_ID = 0x45534154          # "ESAT" in ASCII
SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".esat"


class Header(NamedTuple):
    application_id: int
    user_version: int


class Opened(NamedTuple):
    """An open database and what opening it did."""

    db: Connection
    migrated_from: int | None = None
    backup_path: Path | None = None


def current_schema_version() -> int:
    return migrations.schema_version()


def read_header(path: Path) -> Header:
    """Read the SQLite header without opening the file as a database."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except FileNotFoundError:
        raise InvalidFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InvalidFileError(path, "is a folder, not an ESAT file") from None
    except OSError as exc:
        raise InvalidFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise InvalidFileError(path, "is empty (0 bytes); it is not an ESAT file")
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise InvalidFileError(path, "is not an ESAT file (it is not an SQLite database)")
    user_version, application_id = struct.unpack(">i", head[60:64])[0], struct.unpack(">I", head[68:72])[0]
    return Header(application_id=application_id, user_version=user_version)


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


def needs_upgrade(path: Path) -> bool:
    """True for an ESAT file of an older format (opening it for writing migrates it).

    Files that are not ESAT's, or are newer, answer False; opening them says why.
    """
    try:
        header = read_header(path)
    except InvalidFileError:
        return False
    return (header.application_id == APPLICATION_ID
            and 0 < header.user_version < current_schema_version())


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """Open the file with ESAT's connection settings, in the calling thread."""
    mode = "ro" if read_only else "rw"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise InvalidFileError(path, f"cannot be opened ({exc})") from None
    return conn


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """Problems ``PRAGMA quick_check`` finds; empty when the file is sound."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def _apply_migrations(conn: sqlite3.Connection) -> None:
    """Bring the file to the current schema with sqlite-utils (imported only here)."""
    from sqlite_utils import Database
    # plugins are not loaded: opening a file must have no side effects
    migrations.build_migrations().apply(Database(conn, execute_plugins=False))


def create(path: Path) -> Connection:
    """Create a new, empty ESAT file at ``path``; refuses to overwrite."""
    path = Path(path)
    if path.exists():
        raise InvalidFileError(path, "already exists; choose another name")
    try:
        conn = sqlite3.connect(str(path), timeout=5.0)
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
    return Connection(conn)


def open_file(path: Path, *, read_only: bool = False, now: datetime | None = None) -> Opened:
    """Open an existing ESAT file, refusing anything that is not one of ours.

    A writable open of an older file writes a backup copy beside it and then
    migrates it. A read-only open of an older file is refused (it would need
    changing to be read).
    """
    path = Path(path)
    header = read_header(path)
    check_header(path, header)
    supported = current_schema_version()
    if read_only and header.user_version < supported:
        raise InvalidFileError(
            path, f"uses the older file format {header.user_version}; open it for editing "
                  "to upgrade it (a backup copy is kept)")
    conn = connect(path, read_only=read_only)
    try:
        try:
            problems = quick_check(conn)
        except sqlite3.DatabaseError as exc:
            raise InvalidFileError(path, f"is damaged ({exc})") from None
        if problems:
            raise InvalidFileError(path, "is damaged: " + "; ".join(problems[:3]))
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "delete":
                conn.execute("PRAGMA journal_mode = DELETE")
        backup_path = None
        migrated_from = None
        if header.user_version < supported:
            backup_path = write_backup(conn, path, header.user_version, now)
            migrated_from = header.user_version
            _apply_migrations(conn)
        return Opened(db=Connection(conn), migrated_from=migrated_from, backup_path=backup_path)
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


def copy_database(db: Connection, target: Path, extra_meta: dict[str, str] | None = None) -> None:
    """Write a consistent single-file copy of ``db`` to ``target`` atomically.

    The copy is built under a temporary name and renamed only when complete;
    ``extra_meta`` is written into the copy's meta table.
    """
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    out = sqlite3.connect(str(partial))
    try:
        db.conn.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")
        for key, value in (extra_meta or {}).items():
            out.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
        out.commit()
    except BaseException:
        out.close()
        partial.unlink(missing_ok=True)
        raise
    out.close()
    partial.replace(target)
