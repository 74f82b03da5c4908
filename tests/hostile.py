"""A corpus of broken and hostile ``.esat`` files, made by code (no binary fixtures).

Each case is a function that builds one file (or thing named like one) in a
folder and returns its path. ``CASES`` maps a case name to ``(builder,
outcome)`` where outcome is ``"refused"`` (every command must exit 2),
``"opens"`` (every command must work) or ``"either"``.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

from esat.store import Store

ESPS_ARGS = dict(stage="baseline", unit_code="LX", unit_name="Lambeth", unit_type="borough",
                 area="South East", period="2010/11")


def good_file(folder: Path, framework, name: str = "good.esat") -> Path:
    """A valid unit file with ratings, a narrative, a note, an attachment and an action."""
    path = folder / name
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(framework, **ESPS_ARGS)
        store.set_self_rating(a.uuid, "1B", "very")
        store.set_self_rating(a.uuid, "2B", "fairly")
        store.set_narrative(a.uuid, "2B", "Our narrative")
        store.add_note(a.uuid, "1B", "Minutes", "IAG minutes")
        store.attach_bytes(a.uuid, "1B", b"attached document", file_name="doc.txt")
        store.add_action(a.uuid, "2B", "Do more", owner="Ops", due_on="2011-06-30")
    return path


def _edit(path: Path, *statements: str, params: tuple = ()) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()
    return path


def _bytes_at(path: Path, offset: int, data: bytes) -> Path:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)
    return path


def _page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def hot_journal(folder: Path, framework) -> Path:
    """A file whose writer was killed mid-transaction: the hot journal is beside it."""
    path = good_file(folder, framework, "hot.esat")
    script = textwrap.dedent(f"""
        import os, sqlite3
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("PRAGMA cache_size = 1")      # spill to the file before the commit
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE responses SET narrative = 'half written'")
        conn.execute("DELETE FROM evidence")
        conn.execute("DELETE FROM audit_log")
        conn.execute("INSERT INTO meta VALUES ('x', zeroblob(200000))")
        os._exit(9)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    assert Path(str(path) + "-journal").exists()
    return path


def _case(name: str, outcome: str):
    def register(builder: Callable[[Path, object], Path]):
        CASES[name] = (builder, outcome)
        return builder
    return register


CASES: dict[str, tuple[Callable[[Path, object], Path], str]] = {}

_case("hot journal", "opens")(hot_journal)
_case("valid symlink", "opens")(lambda d, f: _symlink(d, good_file(d, f)))


def _symlink(folder: Path, target: Path, name: str = "link.esat") -> Path:
    link = folder / name
    link.symlink_to(target)
    return link


@_case("zero bytes", "refused")
def _zero(d, f):
    (d / "x.esat").write_bytes(b"")
    return d / "x.esat"


@_case("text file", "refused")
def _text(d, f):
    (d / "x.esat").write_text("not a database\n" * 20)
    return d / "x.esat"


@_case("truncated header", "refused")
def _trunc_header(d, f):
    path = good_file(d, f)
    path.write_bytes(path.read_bytes()[:60])
    return path


@_case("truncated half", "refused")
def _trunc_half(d, f):
    path = good_file(d, f)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


@_case("foreign sqlite", "refused")
def _foreign(d, f):
    path = d / "x.esat"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


@_case("foreign application id", "refused")
def _foreign_id(d, f):
    return _edit(good_file(d, f), "PRAGMA application_id = 1234")


@_case("newer version", "refused")
def _newer(d, f):
    return _edit(good_file(d, f), "PRAGMA user_version = 99")


@_case("version zero", "refused")
def _v0(d, f):
    return _edit(good_file(d, f), "PRAGMA user_version = 0")


@_case("negative version", "refused")
def _vneg(d, f):
    return _edit(good_file(d, f), "PRAGMA user_version = -3")


@_case("corrupt page", "refused")
def _corrupt(d, f):
    path = good_file(d, f)
    size = _page_size(path)
    conn = sqlite3.connect(path)                 # a page surely in use: the responses table's
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'responses'").fetchone()
    conn.close()
    return _bytes_at(path, size * (root - 1) + 8, b"\xff" * 200)


@_case("dangling symlink", "refused")
def _dangling(d, f):
    return _symlink(d, d / "gone.esat")


@_case("looping symlink", "refused")
def _loop(d, f):
    (d / "a.esat").symlink_to(d / "b.esat")
    (d / "b.esat").symlink_to(d / "a.esat")
    return d / "a.esat"


@_case("folder", "refused")
def _folder(d, f):
    (d / "x.esat").mkdir()
    return d / "x.esat"


@_case("fifo", "refused")
def _fifo(d, f):
    os.mkfifo(d / "x.esat")
    return d / "x.esat"


@_case("symlink to /dev/zero", "refused")
def _devzero(d, f):
    return _symlink(d, Path("/dev/zero"), "x.esat")


@_case("trigger deleting the audit log", "refused")
def _trigger(d, f):
    return _edit(good_file(d, f), "CREATE TRIGGER wipe AFTER INSERT ON responses "
                                  "BEGIN DELETE FROM audit_log; END")


@_case("trigger with an endless query", "refused")
def _endless(d, f):
    return _edit(good_file(d, f), "CREATE TRIGGER spin BEFORE UPDATE ON units BEGIN "
                                  "SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 "
                                  "UNION ALL SELECT x + 1 FROM c) SELECT x FROM c); END")


@_case("view named like a table", "refused")
def _view(d, f):
    return _edit(good_file(d, f), "ALTER TABLE responses RENAME TO responses_real",
                 "CREATE VIEW responses AS SELECT * FROM responses_real")


@_case("extra table", "refused")
def _extra_table(d, f):
    return _edit(good_file(d, f), "CREATE TABLE notes (x)")


@_case("extra index", "refused")
def _extra_index(d, f):
    return _edit(good_file(d, f), "CREATE INDEX responses_narrative ON responses (narrative)")


@_case("rating off the scale", "refused")
def _off_scale(d, f):
    return _edit(good_file(d, f), "UPDATE responses SET self_rating = 'superb'")


@_case("framework nested 5000 deep", "refused")
def _deep(d, f):
    deep = "[" * 5000 + "]" * 5000
    import hashlib
    return _edit(good_file(d, f), "UPDATE frameworks SET definition = ?, sha256 = ?",
                 params=(deep, hashlib.sha256(deep.encode()).hexdigest()))


@_case("text that is not UTF-8", "refused")
def _not_utf8(d, f):
    return _edit(good_file(d, f), "UPDATE responses SET narrative = CAST(x'fffe41' AS TEXT)")


@_case("CHECK constraint violated", "refused")
def _check(d, f):
    return _edit(good_file(d, f), "UPDATE responses SET unit_exempt = 7")


@_case("blob where text belongs", "refused")
def _types(d, f):
    return _edit(good_file(d, f), "UPDATE units SET name = x'00ff'")


@_case("unknown action status", "refused")
def _status(d, f):
    return _edit(good_file(d, f), "UPDATE actions SET status = 'lost'")


@_case("crafted attachment path", "refused")
def _crafted(d, f):
    return _edit(good_file(d, f), "UPDATE blobs SET sha256 = '../../../../.ssh'",
                 "UPDATE evidence SET blob_sha256 = '../../../../.ssh', "
                 "file_name = 'authorized_keys' WHERE kind = 'file'")


@_case("forged attachment", "refused")
def _forged(d, f):
    return _edit(good_file(d, f), "UPDATE blobs SET data = CAST('forged' AS BLOB), size = 6",
                 "UPDATE evidence SET file_size = 6 WHERE kind = 'file'")


@_case("control characters in the name", "refused")
def _control_name(d, f):
    path = d / "bad\nname\x1b[31m.esat"
    path.write_bytes(b"")
    return path


@_case("WAL mode", "refused")
def _wal(d, f):
    path = good_file(d, f)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


@_case("huge blob and table", "opens")
def _huge(d, f):
    path = good_file(d, f)
    data = random.Random(5).randbytes(30 * 1024 * 1024)
    import hashlib
    sha = hashlib.sha256(data).hexdigest()
    conn = sqlite3.connect(path)
    a_uuid = conn.execute("SELECT uuid FROM assessments").fetchone()[0]
    conn.execute("INSERT INTO blobs VALUES (?, ?, ?, 'x')", [sha, len(data), data])
    conn.execute("INSERT INTO evidence (uuid, assessment_uuid, item_code, kind, title, body, "
                 "blob_sha256, file_name, file_size, position, created_at, updated_at) VALUES "
                 "('big', ?, '1B', 'file', 'Big', '', ?, 'big.bin', ?, 9, 'x', 'x')",
                 [a_uuid, sha, len(data)])
    conn.executemany("INSERT INTO audit_log (uuid, at, actor, assessment_uuid, entity, "
                     "entity_uuid, action, field, old_value, new_value) VALUES "
                     "(?, 'x', 'x', ?, 'units', 'u', 'update', 'name', 'a', 'b')",
                     ((f"audit-{i}", a_uuid) for i in range(100_000)))
    conn.commit()
    conn.close()
    return path


@_case("read-only file", "either")
def _read_only(d, f):
    path = good_file(d, f)
    path.chmod(0o444)
    return path


def as_json() -> str:      # for a quick look: python -c "import tests.hostile as h; print(h.as_json())"
    return json.dumps({name: outcome for name, (_, outcome) in CASES.items()}, indent=1)
