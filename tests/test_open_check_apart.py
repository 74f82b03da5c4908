"""A known central database opens with its quick_check running apart, beside the first
reads (Store.open(check_apart=True), esat/gui/coordinator/document.py): the check really
runs beside them, nothing read is handed back or written before it passed, and a file
that fails it is refused as before, unchanged."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from esat import verified as verified_module
from esat.central.overview import unit_rows
from esat.errors import InvalidFileError
from esat.gui.coordinator.document import CentralDocument
from esat.moderation import Moderation
from esat.store import Store
from esat.verified import VerifiedFiles
from gui_helpers import Messages, open_central_window
from merge_helpers import central, merge, submit, unit_file


@pytest.fixture
def known(monkeypatch):
    """Record a file in the ledger as it is now (no racy wait)."""
    monkeypatch.setattr(verified_module, "RACY", 0)

    def record(ledger: VerifiedFiles, path: Path) -> VerifiedFiles:
        ledger.record(path)
        assert ledger.is_current(path)
        return ledger
    return record


@pytest.fixture
def central_db(tmp_path, esps, catalog) -> Path:
    """A central database holding two units' submissions."""
    files = []
    for code in ("LX", "SK"):
        store, uuid = unit_file(tmp_path, esps, code)
        files.append(submit(store, uuid, tmp_path / "out"))
        store.close()
    path = tmp_path / "central.esat"
    with central(path) as store:
        merge(store, catalog, *files)
    return path


def damage(path: Path, table: str = "responses") -> None:
    """Scribble over a page in use (the table's first), leaving header and schema whole
    (as tests/hostile.py's "corrupt page")."""
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", [table]).fetchone()
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek(size * (root - 1) + 8)
        handle.write(b"\xff" * 200)


def test_the_core_reads_beside_the_check_and_a_damaged_known_file_is_refused_at_the_wait(
        tmp_path, central_db, known):
    ledger = known(VerifiedFiles(tmp_path / "ledger.json"), central_db)
    with Store.open(central_db, actor="t", verified=ledger, check_apart=True) as store:
        assert len(unit_rows(store)) == 2
        store.wait_checked()
        Moderation(store).set_kpi_target("2010/11", 80)        # passed: writes as ever
    damage(central_db)
    before = central_db.read_bytes()
    known(ledger, central_db)        # the ledger missed the change (a disk fault, say)
    with pytest.raises(InvalidFileError, match="is damaged"):
        Store.open(central_db, actor="t", verified=ledger).close()      # checked in the open
    store = Store.open(central_db, actor="t", verified=ledger, check_apart=True)
    try:
        first = None
        for _ in range(2):              # refused at the wait, and again at every later one
            with pytest.raises(InvalidFileError, match="is damaged") as apart:
                store.wait_checked()
            # (how SQLite words what quick_check met on such a page varies from run to run)
            assert str(apart.value).startswith(f"{central_db}: is damaged")
            assert first is None or apart.value is first
            first = apart.value
        with pytest.raises(InvalidFileError, match="is damaged"):
            Moderation(store).set_kpi_target("2010/11", 90)   # no write after a failed check
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.conn.execute("DELETE FROM meta")      # nor around the store's transactions
    finally:
        store.close()
    assert central_db.read_bytes() == before


def test_no_write_begins_before_the_check_passed(tmp_path, central_db, known):
    ledger = known(VerifiedFiles(tmp_path / "ledger.json"), central_db)
    events: list[str] = []
    release = threading.Event()

    def trace(event: str) -> None:
        if event == "check started":
            assert release.wait(10)       # the check is held until the write was asked for
        events.append(event)

    with Store.open(central_db, actor="t", verified=ledger, check_apart=True,
                    trace=trace) as store:
        events.append("write asked for")
        release.set()
        Moderation(store).set_kpi_target("2010/11", 80)
        events.append("written")
    assert events == ["write asked for", "check started", "check finished", "written"]


def test_an_unknown_or_unchecked_file_gets_its_checks_in_the_open(tmp_path, central_db, known):
    ledger = VerifiedFiles(tmp_path / "ledger.json")
    events: list[str] = []
    with Store.open(central_db, actor="t", verified=ledger, check_apart=True,
                    trace=events.append) as store:           # not known: every check, inline
        store.wait_checked()
    assert events == []
    damage(central_db)
    with pytest.raises(InvalidFileError, match="is damaged"):
        Store.open(central_db, actor="t", verified=ledger, check_apart=True)


def test_the_documents_first_reads_run_beside_the_check_and_are_handed_back_after_it(
        qtbot, tmp_path, central_db, known):
    ledger = known(VerifiedFiles(tmp_path / "ledger.json"), central_db)
    events: list[tuple[str, float]] = []
    read_started, release = threading.Event(), threading.Event()
    lock = threading.Lock()

    def trace(event: str) -> None:
        if event == "check started":
            # held until the worker's first read started: if the reads waited for the
            # check, this would time out and the order asserted below would fail
            read_started.wait(10)
            release.wait(10)
        if event == "read started":
            read_started.set()
        with lock:
            events.append((event, time.perf_counter()))

    errors: list[BaseException] = []
    document = CentralDocument(central_db, actor="t", on_error=errors.append, verified=ledger,
                               trace=trace)
    shown: list = []
    try:
        document.read(unit_rows, lambda rows: shown.append(("units", len(rows))))
        document.read(lambda store: store.meta("role"), lambda role: shown.append(("role", role)))
        # both reads done and given to the document; only the job waiting for the check is left
        qtbot.waitUntil(lambda: len(document.tasks._jobs) == 1, timeout=20000)
        assert shown == [] and [name for name, _ in events].count("read finished") == 2
        release.set()
        qtbot.waitUntil(lambda: document.tasks.idle and len(shown) == 2, timeout=20000)
    finally:
        release.set()
        document.close()
    assert errors == [] and shown == [("units", 2), ("role", "central")]
    order = [name for name, _ in events]
    assert order.index("read started") < order.index("check finished")    # side by side
    assert order.count("handed back") == 2
    assert order.index("check finished") < order.index("handed back")     # only once passed
    at = dict(reversed(events))                                           # first of each
    assert at["read started"] < at["check finished"] < at["handed back"]


def test_a_damaged_known_central_database_is_refused_in_the_app_with_nothing_shown(
        qtbot, paths, catalog, central_db, known, monkeypatch):
    damage(central_db)
    known(paths.verified_files(), central_db)
    before = central_db.read_bytes()
    messages = Messages(monkeypatch)
    workspace = open_central_window(qtbot, paths, catalog, central_db)
    qtbot.waitUntil(lambda: workspace.document.tasks.idle and bool(messages.shown), timeout=20000)
    assert len(messages.shown) == 1, messages.texts()
    assert "central.esat" in messages.texts() and "is damaged" in messages.texts()
    assert workspace.units.model.rowCount() == 0 and workspace.rows == []
    workspace.close()
    assert central_db.read_bytes() == before


def test_a_known_central_database_whose_role_cannot_be_read_is_refused_by_its_check(
        qtbot, tmp_path, central_db, known):
    """The document reads the file's role as it opens, beside the check: a damaged page
    there gives the check's refusal, never SQLite's own error."""
    damage(central_db, "meta")
    ledger = known(VerifiedFiles(tmp_path / "ledger.json"), central_db)
    errors: list[BaseException] = []
    shown: list = []
    document = CentralDocument(central_db, actor="t", on_error=errors.append, verified=ledger)
    try:
        document.read(unit_rows, shown.append)
        qtbot.waitUntil(lambda: document.tasks.idle and bool(errors), timeout=20000)
    finally:
        document.close()
    assert shown == [] and len(errors) == 1
    assert isinstance(errors[0], InvalidFileError)
    assert str(errors[0]).startswith(f"{central_db}: is damaged")
