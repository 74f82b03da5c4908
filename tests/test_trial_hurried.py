"""Tried as a hurried user and a hostile one: a central database written to, searched or
closed before its first reads landed; crafted searches."""

from __future__ import annotations

import pytest

from esat.moderation import Moderation
from gui_helpers import Messages, open_central_window
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
    workspace = open_central_window(qtbot, paths, catalog, central_db)
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
    workspace = open_central_window(qtbot, paths, catalog, central_db)
    workspace.import_paths([incoming])
    settled(qtbot, workspace)
    assert central_db.read_bytes() == before
    assert workspace.last_import is None and workspace.units.model.rowCount() == 0
    assert len(messages.shown) == 1, messages.texts()
    assert "central.esat: is damaged" in messages.texts()
    workspace.close()


def opened_at_once(qtbot, paths, catalog, central_db, known):
    """A known central database opened in the app; nothing waited for."""
    known(paths.verified_files(), central_db)
    return open_central_window(qtbot, paths, catalog, central_db)


def test_closing_at_once_leaves_the_file_unlocked_and_says_nothing(
        qtbot, paths, catalog, central_db, known, monkeypatch):
    messages = Messages(monkeypatch)
    before = central_db.read_bytes()
    workspace = opened_at_once(qtbot, paths, catalog, central_db, known)
    workspace.close()
    qtbot.waitUntil(lambda: workspace.document.closed, timeout=20000)
    assert messages.shown == []
    assert not (central_db.parent / ".~lock.central.esat").exists()
    assert central_db.read_bytes() == before


@pytest.mark.parametrize("tab", ["Dashboard", "Heat Map", "Search", "Moderate", "Conflicts"])
def test_tabs_and_the_units_search_box_used_before_the_first_read_landed(
        qtbot, paths, catalog, central_db, known, monkeypatch, tab):
    messages = Messages(monkeypatch)
    workspace = opened_at_once(qtbot, paths, catalog, central_db, known)
    workspace.units.search.setText("sk")                # SK, not LX
    (index,) = [i for i in range(workspace.tabs.count()) if workspace.tabs.tabText(i) == tab]
    workspace.tabs.setCurrentIndex(index)
    if tab == "Search":
        workspace.search.words.setText("ward")
        workspace.search.go.click()
    qtbot.waitUntil(lambda: workspace.document._check == "passed"
                    and workspace.document.tasks.idle, timeout=20000)
    assert messages.shown == []
    panel = workspace.units
    assert panel.model.rowCount() == 2
    assert [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())] == ["SK"]
    if tab == "Search":
        assert workspace.search.found is not None
    workspace.close()


def test_an_import_started_at_once_waits_for_the_check_and_is_taken_in_place(
        qtbot, paths, catalog, esps, tmp_path, central_db, known, monkeypatch):
    from merge_helpers import submit, unit_file
    from esat.central.merge import IMPORTED
    store, uuid = unit_file(tmp_path, esps, "HW")
    incoming = submit(store, uuid, tmp_path / "out2")
    store.close()
    messages = Messages(monkeypatch)
    workspace = opened_at_once(qtbot, paths, catalog, central_db, known)
    workspace.import_paths([incoming])
    qtbot.waitUntil(lambda: workspace.last_import is not None, timeout=20000)
    qtbot.waitUntil(lambda: workspace.document.tasks.idle and not workspace.units.adding,
                    timeout=20000)
    assert messages.shown == []
    assert [o.status for o in workspace.last_import.outcomes] == [IMPORTED]
    assert sorted(r["unit_code"] for r in workspace.units.model.rows) == ["HW", "LX", "SK"]
    workspace.close()


def test_undo_and_redo_at_once_after_an_import_took_rows_in_before_the_unit_shown(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    """The moderation page shows LX; an import brings AB, BC and CD (sorted in before LX,
    a few rows per turn); undo and redo pressed at once still act on LX and show LX."""
    from PySide6.QtCore import Qt
    from esat.gui.coordinator import window as window_module
    from esat.store import Store
    from merge_helpers import submit, unit_file
    from test_gui_coordinator import idle, imported, workspace_with_three_units
    messages = Messages(monkeypatch)
    workspace = workspace_with_three_units(qtbot, paths, catalog, esps, tmp_path)
    panel = workspace.units
    panel.table.sortByColumn(0, Qt.AscendingOrder)                   # HW, LX, SK
    (row,) = [r for r in panel.model.rows if r["unit_code"] == "LX"]
    lx = row["assessment_uuid"]
    panel.table.setCurrentIndex(panel.proxy.index(1, 0))
    assert panel.current_row()["unit_code"] == "LX"
    workspace.open_unit(row, "1B")
    idle(qtbot, workspace)
    page = workspace.moderation
    page.rating.setCurrentIndex(page.rating.findData("fairly"))
    page.apply_button.click()
    idle(qtbot, workspace)
    monkeypatch.setattr(window_module, "ROWS_AT_A_TIME", 1)
    newcomers = []
    for code in ("AB", "BC", "CD"):
        store, uuid = unit_file(tmp_path, esps, code)
        newcomers.append(submit(store, uuid, tmp_path / "new"))
        store.close()
    imported(qtbot, workspace, newcomers)
    stack = workspace.document.undo_stack
    stack.undo()
    stack.redo()
    stack.undo()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    assert messages.shown == []
    assert [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())] == \
        ["AB", "BC", "CD", "HW", "LX", "SK"]
    assert panel.current_row()["unit_code"] == "LX"
    assert page.row["assessment_uuid"] == lx and page.current_code() == "1B"
    assert "(unit's own)" in page.items.currentItem().text()
    central_path = tmp_path / "central.esat"
    with Store.open(central_path, actor="t", read_only=True) as c:
        assert "1B" not in Moderation(c).records(lx)
    stack.redo()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    assert "Fairly satisfactory (assessor's)" in page.items.currentItem().text()
    with Store.open(central_path, actor="t", read_only=True) as c:
        assert Moderation(c).records(lx)["1B"].assessor_rating == "fairly"
    workspace.close()


def test_closing_the_window_mid_import_leaves_a_whole_file_and_no_private_folder(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    import tempfile
    from esat.central.merge import PRIVATE_PREFIX
    from esat.store import Store
    from merge_helpers import central
    from test_gui_coordinator import open_workspace, outbox_of_three
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    messages = Messages(monkeypatch)
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    workspace.import_paths(files)
    workspace.close()
    qtbot.waitUntil(lambda: workspace.document.closed, timeout=20000)
    assert messages.shown == []
    from PySide6.QtCore import QCoreApplication
    from esat.gui.gcguard import ensure_main_thread_gc
    collector = ensure_main_thread_gc(QCoreApplication.instance())
    qtbot.waitUntil(lambda: not collector._busy, timeout=20000)     # full collections free again
    assert not (tmp_path / ".~lock.central.esat").exists()
    assert not [p for p in temp.iterdir() if p.name.startswith(PRIVATE_PREFIX)]
    with Store.open(tmp_path / "central.esat", actor="t") as c:        # every check
        codes = sorted(a.unit.code for a in c.assessments())
    assert codes in ([], ["LX"], ["LX", "SK"], ["HW", "LX", "SK"])    # whole files, in order


@pytest.mark.parametrize("words", [
    '"', '""', "NEAR(ward profile)", "unit_code:LX", "text:ward", "{text}:ward", "*", "^", "^ward",
    "(", ")", "()", "ward OR", "AND", "NOT ward", "-ward", "w*rd", "**", "_*",
    "日本語", "café", "\U0001F600", "\u0301", "ward " * 3000, "x" * 30000, "a\x00b",
])
def test_the_search_panel_takes_any_words_without_an_error(
        qtbot, paths, catalog, central_db, known, monkeypatch, words):
    messages = Messages(monkeypatch)
    workspace = opened_at_once(qtbot, paths, catalog, central_db, known)
    panel = workspace.search
    panel.words.setText(words)
    panel.go.click()
    qtbot.waitUntil(lambda: panel.found is not None and workspace.document.tasks.idle,
                    timeout=20000)
    assert messages.shown == []
    assert panel.summary.text().endswith(("matches", "match", "no matches")), panel.summary.text()
    workspace.close()


def test_a_write_asked_for_at_once_on_a_sound_known_file_waits_for_the_check_and_lands(
        qtbot, paths, catalog, central_db, known, monkeypatch):
    from esat.store import Store
    messages = Messages(monkeypatch)
    workspace = opened_at_once(qtbot, paths, catalog, central_db, known)
    checked = []
    workspace.document.write(lambda store: (checked.append(store._pending is None),
                                            Moderation(store).set_kpi_target("2010/11", 90)))
    qtbot.waitUntil(lambda: workspace.document._check == "passed"
                    and workspace.document.tasks.idle and bool(checked), timeout=20000)
    assert messages.shown == [] and checked == [True]
    assert workspace.units.model.rowCount() == 2
    workspace.close()
    with Store.open(central_db, actor="t", read_only=True) as c:
        assert Moderation(c).kpi_targets() == {"2010/11": 90}


def test_a_folder_import_cancelled_at_once_says_what_it_did_and_keeps_whole_files(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog
    from esat.store import Store
    from merge_helpers import central
    from test_gui_coordinator import import_result, open_workspace, outbox_of_three
    messages = Messages(monkeypatch)
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    workspace.import_paths([files[0].parent])                  # the folder
    (dialog,) = [d for d in workspace.findChildren(QProgressDialog)
                 if d.labelText() == "Importing unit files…"]
    dialog.canceled.emit()
    result = import_result(qtbot, workspace)
    assert messages.shown == []
    assert result.total == 3 and len(result.outcomes) <= 3
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        assert len(c.assessments()) == len(result.outcomes)
    assert len(workspace.units.model.rows) == len(result.outcomes)
    if len(result.outcomes) < 3:
        assert f"cancelled after {len(result.outcomes)} of 3 files" in result.summary.text()
    workspace.close()
