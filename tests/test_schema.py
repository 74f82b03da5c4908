"""The exact-schema rule: only what ESAT's migrations create is accepted, whatever they are."""

from __future__ import annotations

import io
import os
import sqlite3

import pytest

from esat import fileformat, migrations
from esat.cli import main
from esat.errors import InvalidFileError, ValidationError
from esat.store import Store
from test_fileformat import make_unit_file


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    return main([str(a) for a in args], out=out, err=err), out.getvalue(), err.getvalue()


def test_check_names_every_object_esat_did_not_create(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON responses BEGIN DELETE FROM audit_log; END")
    conn.execute("CREATE INDEX sneaky ON units (name)")
    conn.execute("DROP INDEX units_code")
    conn.execute("CREATE INDEX units_code ON units (name)")       # same name, other definition
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code, out, _ = run("check", path)
    assert code == 2
    assert "has a trigger 'wipe' that ESAT did not create" in out
    assert "has an index 'sneaky' that ESAT did not create" in out
    assert "has an index 'units_code' that differs from the one ESAT creates" in out
    code, _, err = run("score", path)
    assert code == 2 and "contains database objects ESAT did not create" in err
    assert "trigger 'wipe'" in err
    assert path.read_bytes() == before


def test_a_trigger_never_runs_during_esats_own_writes(tmp_path, esps):
    path = make_unit_file(tmp_path, esps)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER wipe AFTER UPDATE ON responses BEGIN DELETE FROM audit_log; END")
    conn.commit()
    conn.close()
    with pytest.raises(InvalidFileError, match="trigger 'wipe'"):
        Store.open(path, actor="t")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] > 0
    conn.close()


def add_a_later_table(db) -> None:
    db.conn.execute("CREATE TABLE later_notes (uuid TEXT PRIMARY KEY, note TEXT NOT NULL)")
    db.conn.execute("CREATE INDEX later_notes_note ON later_notes (note)")


def test_a_new_migration_is_accepted_with_no_other_change(tmp_path, esps, monkeypatch):
    current = len(migrations.STEPS)
    older = make_unit_file(tmp_path, esps, "older.esat")
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (("9999_later_notes",
                                                                  add_a_later_table),))
    fresh = make_unit_file(tmp_path, esps, "fresh.esat")
    with Store.open(fresh, actor="t", read_only=True) as store:
        assert store.only_assessment().unit.code == "LX"
    assert run("check", fresh)[0] == 0
    with Store.open(older, actor="t") as store:           # migrated, with its backup
        assert store.migrated_from == current
    assert run("check", older)[0] == 0
    assert fileformat.schema_problems(sqlite3.connect(older), current + 1) == []
    # and a file that claims the new version without the new table is refused
    stray = make_unit_file(tmp_path, esps, "stray.esat")
    conn = sqlite3.connect(stray)
    conn.execute("DROP TABLE later_notes")
    conn.commit()
    conn.close()
    problems = fileformat.schema_problems(sqlite3.connect(stray), current + 1)
    assert "lacks the table 'later_notes'" in problems


def test_a_fifo_or_device_is_refused_as_an_attachment_at_once(store, borough, tmp_path):
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError, match="is a pipe"):
        store.attach_file(borough.uuid, "1B", fifo)
    with pytest.raises(ValidationError, match="is a device"):
        store.attach_file(borough.uuid, "1B", "/dev/zero")
    assert store.evidence(borough.uuid) == []


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, esps):
    from esat.safeio import read_bounded
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(InvalidFileError, match="is 4.9 KB; the limit is 4.0 KB"):
        read_bounded(big, 4096)
    assert read_bounded(big, 5000) == b"x" * 5000
