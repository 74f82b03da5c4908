"""Tried as a hurried user and a hostile one: a central database written to, searched or
closed before its first reads landed; crafted searches."""

from __future__ import annotations

import pytest

from esat.moderation import Moderation
from gui_helpers import Messages, make_window
from test_open_check_apart import central_db, damage, known  # noqa: F401 (fixtures)


def settled(qtbot, workspace) -> None:
    """The check has failed and every job queued before or after it (re-reads too) ran."""
    qtbot.waitUntil(lambda: workspace.document._check == "failed"
                    and workspace.document.tasks.idle, timeout=20000)


def test_a_damaged_known_central_database_written_to_at_once_is_refused_once_and_unchanged(
        qtbot, paths, catalog, central_db, known, monkeypatch):
    damage(central_db)
    known(paths.verified_files(), central_db)
    before = central_db.read_bytes()
    messages = Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(central_db)
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    workspace.document.write(lambda store: Moderation(store).set_kpi_target("2010/11", 90))
    settled(qtbot, workspace)
    assert central_db.read_bytes() == before
    assert "central.esat" in messages.texts() and "is damaged" in messages.texts()
    assert len(messages.shown) == 1, messages.texts()
    workspace.close()


def test_a_damaged_known_central_database_imported_into_at_once_is_refused_once_and_unchanged(
        qtbot, paths, catalog, esps, tmp_path, central_db, known, monkeypatch):
    from merge_helpers import submit, unit_file
    store, uuid = unit_file(tmp_path, esps, "HW")
    incoming = submit(store, uuid, tmp_path / "out2")
    store.close()
    damage(central_db)
    known(paths.verified_files(), central_db)
    before = central_db.read_bytes()
    messages = Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(central_db)
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    workspace.import_paths([incoming])
    settled(qtbot, workspace)
    assert central_db.read_bytes() == before
    assert workspace.last_import is None and workspace.units.model.rowCount() == 0
    assert len(messages.shown) == 1, messages.texts()
    assert "central.esat: is damaged" in messages.texts()
    workspace.close()
