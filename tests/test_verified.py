"""Checked in full, or known: a file unchanged since this computer checked it in full (or
wrote it) opens with the header, the exact schema and quick_check; any other file gets every
check (docs/file-format.md)."""

from __future__ import annotations

import sqlite3

import pytest

from esat import checks, fileformat, verified as verified_module
from esat.errors import InvalidFileError
from esat.store import Store
from esat.verified import VerifiedFiles


@pytest.fixture
def counted(monkeypatch):
    """How many full integrity checks and value scans ran."""
    calls = {"integrity": 0, "values": 0}
    real_integrity, real_values = fileformat.integrity_check, checks.domain_problems

    def integrity(conn, **kwargs):
        calls["integrity"] += 1
        return real_integrity(conn, **kwargs)

    def values(conn, *args, **kwargs):
        calls["values"] += 1
        return real_values(conn, *args, **kwargs)
    monkeypatch.setattr(fileformat, "integrity_check", integrity)
    monkeypatch.setattr(checks, "domain_problems", values)
    return calls


@pytest.fixture
def unit(tmp_path, esps):
    path = tmp_path / "LX.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough")
        store.set_self_rating(a.uuid, "1B", "very")
    return path


def test_a_file_unchanged_since_it_passed_every_check_opens_with_the_quick_ones(
        tmp_path, unit, counted, monkeypatch):
    monkeypatch.setattr(verified_module, "RACY", 0)
    ledger = VerifiedFiles(tmp_path / "home" / "verified-files.json")
    Store.open(unit, actor="t", read_only=True, verified=ledger).close()
    assert counted == {"integrity": 1, "values": 1} and ledger.is_current(unit)
    Store.open(unit, actor="t", read_only=True, verified=ledger).close()
    assert counted == {"integrity": 1, "values": 1}            # known: not again
    Store.open(unit, actor="t", read_only=True).close()          # no ledger: every check
    assert counted == {"integrity": 2, "values": 2}


def test_what_esat_wrote_stays_known_and_what_another_program_wrote_does_not(
        tmp_path, unit, counted, monkeypatch):
    monkeypatch.setattr(verified_module, "RACY", 0)
    ledger = VerifiedFiles(tmp_path / "verified-files.json")
    with Store.open(unit, actor="t", verified=ledger) as store:
        store.set_self_rating(store.only_assessment().uuid, "2B", "fairly")
    assert ledger.is_current(unit)
    Store.open(unit, actor="t", read_only=True, verified=ledger).close()
    assert counted == {"integrity": 1, "values": 1}
    with sqlite3.connect(unit) as conn:         # another program writes a value out of domain
        conn.execute("UPDATE responses SET self_rating = 'superb' WHERE item_code = '1B'")
    conn.close()
    assert not ledger.is_current(unit)
    with pytest.raises(InvalidFileError, match="is not on the scale"):
        Store.open(unit, actor="t", read_only=True, verified=ledger)
    assert counted == {"integrity": 2, "values": 2} and not ledger.is_current(unit)


def test_a_file_changed_as_it_was_recorded_is_not_trusted(tmp_path, unit):
    """File times are kept to a clock tick: a change in the same tick would go unseen."""
    ledger = VerifiedFiles(tmp_path / "verified-files.json")
    ledger.record(unit)                       # written a moment ago: racy
    assert not ledger.is_current(unit)


def test_a_damaged_or_foreign_ledger_means_every_check(tmp_path, unit, counted, monkeypatch):
    monkeypatch.setattr(verified_module, "RACY", 0)
    for content in (b"", b"\xff\xfe garbage", b"[1, 2]", b'{"x": 1}', b"{" * 2_000_000):
        path = tmp_path / "verified-files.json"
        path.write_bytes(content)
        ledger = VerifiedFiles(path)
        assert not ledger.is_current(unit)
    folder_ledger = VerifiedFiles(tmp_path / "ledger-is-a-folder")
    folder_ledger.ledger.mkdir()
    Store.open(unit, actor="t", read_only=True, verified=folder_ledger).close()   # not written
    assert counted["integrity"] == 1 and not folder_ledger.is_current(unit)


def test_the_command_line_checks_a_central_database_in_full_once(tmp_path, esps, paths,
                                                                counted, monkeypatch):
    from cycle_helpers import south_east_by_the_cycle, cli
    central = south_east_by_the_cycle(tmp_path, esps, paths)
    monkeypatch.setattr(verified_module, "RACY", 0)
    cli("score", central, paths=paths)              # the last write was ESAT's own: known
    before = dict(counted)
    cli("score", central, paths=paths)
    cli("figures", central, paths=paths)
    assert counted == before
    assert "valid" in cli("check", central, paths=paths)     # check always checks in full
    assert counted["integrity"] == before["integrity"] + 1
