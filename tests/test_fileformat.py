"""The .esat file as an application file format: identity, versions, safety."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from conftest import fingerprint, mark_as_newer
from esat import fileformat, migrations
from esat.errors import InvalidFileError
from esat.store import Store



def make_unit_file(tmp_path, esps, name="unit.esat"):
    path = tmp_path / name
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", area="South East")
        store.set_self_rating(a.uuid, "1B", "very")
    return path


def test_new_file_carries_id_version_and_rollback_journal(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == fileformat.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.schema_version() == 3
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == ["0001_schema", "0002_coordinator_apart", "0003_search_prefixes"]
    conn.close()
    assert not (tmp_path / "unit.esat-wal").exists()
    assert fileformat.read_header(path) == fileformat.Header(fileformat.APPLICATION_ID, 3)


def test_connections_do_not_trust_the_schema(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    with Store.open(path, actor="t") as store:
        assert store.db.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_create_refuses_to_overwrite(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    before = fingerprint(path)
    with pytest.raises(InvalidFileError, match="already exists"):
        Store.create(path, actor="t")
    assert fingerprint(path) == before


def test_foreign_sqlite_files_are_refused_unchanged(tmp_path):
    plain = tmp_path / "plain.sqlite"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA application_id = 123456")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    for path, message in ((plain, "was not made by ESAT"),
                          (other, "made by another program \\(application id 0x0001E240\\)")):
        before = fingerprint(path)
        with pytest.raises(InvalidFileError, match=message) as caught:
            Store.open(path, actor="t")
        assert caught.value.path == path
        assert fingerprint(path) == before


def test_non_sqlite_empty_and_missing_files_are_refused(tmp_path):
    text = tmp_path / "notes.esat"
    text.write_text("hello, this is not a database at all" * 10)
    empty = tmp_path / "empty.esat"
    empty.write_bytes(b"")
    for path, message in ((text, "not an SQLite database"), (empty, "is empty"),
                          (tmp_path / "none.esat", "no such file"), (tmp_path, "is a folder")):
        with pytest.raises(InvalidFileError, match=message):
            Store.open(path, actor="t")
    assert text.read_text().startswith("hello")


def test_a_newer_file_is_refused_without_changing_a_byte(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    mark_as_newer(path, 99)
    before = fingerprint(path)
    for read_only in (False, True):
        with pytest.raises(InvalidFileError, match="newer version of ESAT \\(file format 99"):
            Store.open(path, actor="t", read_only=read_only)
    assert fingerprint(path) == before
    assert not list(tmp_path.glob("*backup*"))


def test_a_damaged_file_is_refused(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # scribble over the second page (a table's b-tree page), keep the header
    for offset in range(page_size, min(len(data), 3 * page_size)):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    before = fingerprint(path)
    with pytest.raises(InvalidFileError, match="is damaged"):
        Store.open(path, actor="t")
    assert fingerprint(path) == before


def test_an_older_file_is_backed_up_then_migrated(tmp_path, esps, monkeypatch):
    path = make_unit_file(tmp_path, esps)
    original = path.read_bytes()

    def add_column(db):
        db.conn.execute("ALTER TABLE units ADD COLUMN directorate TEXT NOT NULL DEFAULT ''")

    current = migrations.schema_version()
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (("0099_directorate", add_column),))
    with pytest.raises(InvalidFileError, match=f"older file format {current}; open it for editing"):
        Store.open(path, actor="t", read_only=True)
    assert path.read_bytes() == original

    with Store.open(path, actor="t") as store:
        assert store.migrated_from == current
        assert store.backup_path is not None and store.backup_path.parent == tmp_path
        assert "directorate" in [r[1] for r in store.db.execute("PRAGMA table_info(units)")]
        assert store.responses(store.only_assessment().uuid)["1B"].self_rating == "very"
    assert fileformat.read_header(path).user_version == current + 1
    backups = list(tmp_path.glob(f"unit.format{current}-backup-*.esat"))
    assert backups == [store.backup_path]
    assert fileformat.read_header(backups[0]).user_version == current
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT self_rating FROM responses").fetchone()[0] == "very"
    conn.close()


def test_a_failed_migration_changes_nothing(tmp_path, esps, monkeypatch):
    path = make_unit_file(tmp_path, esps)

    def broken(db):
        db.conn.execute("ALTER TABLE units ADD COLUMN extra TEXT")
        raise RuntimeError("boom")

    current = migrations.schema_version()
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (("0099_broken", broken),))
    with pytest.raises(RuntimeError):
        Store.open(path, actor="t")
    assert fileformat.read_header(path).user_version == current
    conn = sqlite3.connect(path)
    assert "extra" not in [r[1] for r in conn.execute("PRAGMA table_info(units)")]
    conn.close()


def test_a_write_killed_mid_transaction_leaves_the_last_commit(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    script = textwrap.dedent(f"""
        import os
        from esat.store import Store
        store = Store.open({str(path)!r}, actor="t")
        a = store.only_assessment()
        store.set_narrative(a.uuid, "2B", "committed text")
        store.db.conn.execute("BEGIN")
        store.db.conn.execute("UPDATE responses SET narrative = 'half written'")
        store.db.conn.execute("DELETE FROM evidence")
        os._exit(9)   # die with the transaction open and the journal on disk
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    with Store.open(path, actor="t") as store:
        responses = store.responses(store.only_assessment().uuid)
        assert responses["2B"].narrative == "committed text"
        assert responses["1B"].self_rating == "very"
        assert fileformat.quick_check(store.db.conn) == []


def test_nested_atomic_blocks_are_savepoints(store, borough):
    from esat.errors import ValidationError
    with pytest.raises(ValidationError):
        with store.db.atomic():
            store.db.conn.execute("UPDATE units SET name = 'Renamed'")
            with pytest.raises(RuntimeError):
                with store.db.atomic():
                    store.db.conn.execute("UPDATE units SET area = 'Nowhere'")
                    raise RuntimeError("inner fails")
            assert store.db.execute("SELECT area, name FROM units").fetchone() == ("South East", "Renamed")
            raise ValidationError("outer fails")
    assert store.db.execute("SELECT name FROM units").fetchone()[0] == "Lambeth"
    assert not store.db.conn.in_transaction


def test_opening_a_current_file_does_not_import_sqlite_utils(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    code = ("import sys\nfrom esat.store import Store\n"
            f"Store.open(__import__('pathlib').Path({str(path)!r}), actor='t').close()\n"
            "print('sqlite_utils' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_needs_upgrade_only_for_older_esat_files(tmp_path, esps, monkeypatch):
    path = make_unit_file(tmp_path, esps)
    assert not fileformat.needs_upgrade(path)
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (("0002_noop", lambda db: None),))
    assert fileformat.needs_upgrade(path)
    other = tmp_path / "notes.txt"
    other.write_text("not a database")
    assert not fileformat.needs_upgrade(other)


def test_a_new_file_appears_whole_or_not_at_all(tmp_path):
    """fileformat.new_file: what a feedback file and a submission are built with."""
    import pytest as _pytest
    from esat import fileformat as ff
    target = tmp_path / "out.esat"
    with _pytest.raises(RuntimeError):
        with ff.new_file(target) as db:
            db.conn.execute("INSERT INTO meta (key, value) VALUES ('file_uuid', 'x')")
            raise RuntimeError("stopped half way")
    assert list(tmp_path.iterdir()) == []
    with ff.new_file(target) as db:
        with db.atomic():
            db.conn.execute("INSERT INTO meta (key, value) VALUES ('file_uuid', 'x')")
    assert [p.name for p in tmp_path.iterdir()] == ["out.esat"]
    assert ff.read_header(target).application_id == ff.APPLICATION_ID


def test_a_file_that_cannot_be_written_is_checked_on_a_copy_on_disk_not_in_memory(
        tmp_path, esps, monkeypatch):
    """CHECK constraints are checked on a copy when the file cannot be written; the copy is
    on disk (a central database can be larger than memory should hold) and removed after."""
    import sqlite3 as sqlite
    from esat import fileformat as ff
    from esat.store import Store
    path = tmp_path / "ro.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L",
                                    unit_type="borough")
        store.request_exemption(a.uuid, "6B", "No custody suite")
    with sqlite.connect(path) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE responses SET unit_exempt = 7")
    conn.close()
    monkeypatch.setattr(ff, "_query_only_connection", lambda conn: None)   # cannot be written
    opened = []
    real_connect = sqlite.connect

    def connect(database, *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)
    monkeypatch.setattr(ff.sqlite3, "connect", connect)
    conn = ff.connect(path, read_only=True)
    problems = ff.integrity_check(conn, read_only=True)
    conn.close()
    assert any("CHECK constraint failed" in p for p in problems)
    assert ":memory:" not in opened and any(p.endswith("copy.esat") for p in opened)
    assert not any(os.path.exists(p) for p in opened if p.endswith("copy.esat"))
