"""Coordinator mode in the app: opening a central database, importing unit files,
the units table, moderating a unit (pytest-qt, offscreen; modal dialogs replaced)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from esat.central.merge import ALREADY, CONFLICT, IMPORTED, REJECTED, UPDATED
from esat.central.overview import DONE, FURTHER_EVIDENCE, IN_PROGRESS, NOT_STARTED, unit_rows
from esat.gui.coordinator.window import CoordinatorWindow
from esat.moderation import Moderation
from esat.store import Store
from gui_helpers import Messages, make_window, open_central_window
from merge_helpers import central, submit, unit_file
from test_gui_accessibility import unnamed
from test_gui_screens import clashes


def outbox_of_three(tmp_path, esps):
    """Three units' first submissions; returns (the files, LX's store and assessment)."""
    files, keep = [], None
    for code, area in (("LX", "South East"), ("SK", "South East"), ("HW", "North West")):
        store, uuid = unit_file(tmp_path, esps, code, area=area)
        files.append(submit(store, uuid, tmp_path / "out"))
        if code == "LX":
            keep = (store, uuid)
        else:
            store.close()
    return files, keep


def open_workspace(qtbot, paths, catalog, path: Path) -> CoordinatorWindow:
    workspace = open_central_window(qtbot, paths, catalog, path)
    idle(qtbot, workspace)
    return workspace


def idle(qtbot, workspace) -> None:
    qtbot.waitUntil(lambda: workspace.document.tasks.idle, timeout=20000)


def imported(qtbot, workspace, paths: list[Path]):
    before = workspace.last_import
    workspace.import_paths(paths)
    return import_result(qtbot, workspace, before)


def import_result(qtbot, workspace, before=None):
    """The result list of the import under way (shown in a turn of the event loop of its
    own), once the reload that follows it has finished and every row is in the table."""
    qtbot.waitUntil(lambda: workspace.last_import is not before, timeout=20000)
    idle(qtbot, workspace)           # the reload that follows the import
    qtbot.waitUntil(lambda: not workspace.units.adding, timeout=20000)
    return workspace.last_import



def workspace_with_three_units(qtbot, paths, catalog, esps, tmp_path):
    """A new central database in the workspace, with three units' submissions imported."""
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, files)
    return workspace

def test_a_central_database_opens_the_coordinator_workspace_and_a_unit_file_the_unit_view(
        qtbot, paths, catalog, esps, tmp_path):
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    with central(tmp_path / "central.esat") as c:
        from esat.central.merge import merge_files
        merge_files(c, files, catalog)
        expected = unit_rows(c)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(tmp_path / "central.esat")
    assert window.document is None                     # not opened as if it were a unit file
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    idle(qtbot, workspace)
    model = workspace.units.model
    assert [r["unit_code"] for r in model.rows] == [r["unit_code"] for r in expected]
    assert model.rows == expected                      # the table shows the core's rows
    lx.close()
    assert window.open_file(tmp_path / "LX.esat")
    assert window.document is not None and window.view is not None
    workspace.close()


def test_a_feedback_file_is_refused_with_a_message(qtbot, paths, catalog, esps, tmp_path,
                                                   monkeypatch):
    messages = Messages(monkeypatch)
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    from esat.central.merge import merge_files
    from esat.feedback import write_feedback
    with central(tmp_path / "central.esat") as c:
        merge_files(c, files, catalog)
        feedback = write_feedback(c, "LX", tmp_path / "lx-feedback.esat")
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(feedback) is False
    assert "feedback file" in messages.texts() and str(feedback) in messages.texts()
    assert window.document is None and window.coordinators == []


def test_new_central_database_from_the_file_menu(qtbot, paths, catalog, tmp_path, monkeypatch):
    target = tmp_path / "new-central"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window = make_window(qtbot, paths, catalog)
    (action,) = [a for a in window.menuBar().actions()[0].menu().actions()
                 if a.text() == "New Centra&l Database…"]
    action.trigger()
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    idle(qtbot, workspace)
    path = tmp_path / "new-central.esat"
    with Store.open(path, actor="t", read_only=True) as store:
        assert store.role == "central"
    assert workspace.document.path == path and workspace.units.model.rowCount() == 0
    workspace.close()


def test_a_new_central_database_never_goes_over_an_existing_file(qtbot, paths, catalog, tmp_path,
                                                               monkeypatch):
    messages = Messages(monkeypatch)
    taken = tmp_path / "taken.esat"
    taken.write_bytes(b"someone's file")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(taken), ""))
    window = make_window(qtbot, paths, catalog)
    window.new_central()
    assert window.coordinators == []
    assert taken.read_bytes() == b"someone's file"
    assert "already exists" in messages.texts() and "never overwrites" in messages.texts()


def test_import_by_dialog_lists_every_file_and_the_list_can_be_saved(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    files, (lx, a) = outbox_of_three(tmp_path, esps)
    junk = tmp_path / "out" / "junk.esat"
    junk.write_bytes(b"not a database at all")
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(f) for f in [*files, junk]], ""))
    workspace.import_action.trigger()
    result = import_result(qtbot, workspace)
    assert [o.status for o in result.outcomes] == [IMPORTED, IMPORTED, IMPORTED, REJECTED]
    model = result.table.model()
    assert model.rowCount() == 4 and model.index(3, 1).data() == "rejected"
    assert "not an ESAT file" in model.index(3, 2).data() or "rejected" in model.index(3, 2).data()
    assert model.index(3, 0).data(Qt.ToolTipRole) == f"<qt>{junk}</qt>"     # as written
    assert unnamed(result) == []
    assert workspace.units.model.rowCount() == 3
    # again, plus LX's revision 2: already imported x3, updated
    r2 = submit(lx, a, tmp_path / "out2")
    result = imported(qtbot, workspace, [*files, r2])
    assert [o.status for o in result.outcomes] == [ALREADY, ALREADY, ALREADY, UPDATED]
    assert "revision 2 supersedes 1" in result.table.model().index(3, 2).data()
    saved = tmp_path / "result.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    result.save()
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and "updated (LX: revision 2 supersedes 1)" in lines[3]
    lx.close()
    workspace.close()


def test_import_by_drop_of_a_folder(qtbot, paths, catalog, esps, tmp_path):
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "out"))])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    workspace.dropEvent(event)
    assert sorted(o.status for o in import_result(qtbot, workspace).outcomes) == [IMPORTED] * 3
    assert {r["unit_code"] for r in workspace.units.model.rows} == {"LX", "SK", "HW"}
    workspace.close()


def test_units_table_filters_searches_and_sorts(qtbot, paths, catalog, esps, tmp_path):
    workspace = workspace_with_three_units(qtbot, paths, catalog, esps, tmp_path)
    panel = workspace.units
    assert panel.proxy.rowCount() == 3
    panel.filters["Area"].setCurrentText("North West")
    assert panel.proxy.rowCount() == 1 and panel.proxy.index(0, 0).data() == "HW"
    panel.filters["Area"].setCurrentText("All")
    panel.search.setText("unit sk")
    assert panel.proxy.rowCount() == 1 and panel.proxy.index(0, 0).data() == "SK"
    panel.search.setText("")
    panel.filters["Moderation"].setCurrentText(NOT_STARTED)
    assert panel.proxy.rowCount() == 3
    panel.table.sortByColumn(0, Qt.DescendingOrder)
    assert [panel.proxy.index(i, 0).data() for i in range(3)] == ["SK", "LX", "HW"]
    assert "3 of 3" in panel.count.text()
    workspace.close()


def test_units_table_takes_an_import_in_place_a_few_rows_at_a_time(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    """After an import the table is not reset (which would sort every row again on the
    main thread): changed rows change in place, new rows come in a few per turn of the
    event loop, and the filter, the sort order and the selection stay."""
    from esat.gui.coordinator import window as window_module
    files, (lx, a) = outbox_of_three(tmp_path, esps)
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, files)
    panel = workspace.units
    panel.table.sortByColumn(0, Qt.DescendingOrder)                 # SK, LX, HW
    panel.filters["Area"].setCurrentText("South East")              # SK, LX
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    assert panel.current_row()["unit_code"] == "SK"
    events = []
    panel.model.modelReset.connect(lambda: events.append("reset"))
    panel.model.rowsInserted.connect(lambda _, first, last: events.append(last - first + 1))
    panel.model.dataChanged.connect(lambda first, last: events.append(
        ("changed", panel.model.rows[first.row()]["unit_code"])))
    monkeypatch.setattr(window_module, "ROWS_AT_A_TIME", 2)
    newcomers = []
    for code in ("AB", "BC", "CD", "ZZ"):
        store, uuid = unit_file(tmp_path, esps, code)
        newcomers.append(submit(store, uuid, tmp_path / "out3"))
        store.close()
    lx.set_narrative(a, "1B", "Revised")
    result = imported(qtbot, workspace, [submit(lx, a, tmp_path / "out2"), *newcomers])
    assert [o.status for o in result.outcomes] == [UPDATED] + [IMPORTED] * 4
    assert events == [("changed", "LX"), 2, 2]                       # no reset; two turns
    assert [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())] == \
        ["ZZ", "SK", "LX", "CD", "BC", "AB"]
    assert panel.current_row()["unit_code"] == "SK"
    (lx_row,) = [r for r in panel.model.rows if r["unit_code"] == "LX"]
    assert lx_row["revision"] == 2
    assert {r["assessment_uuid"] for r in panel.model.rows} == \
        {r["assessment_uuid"] for r in workspace.rows}
    assert "6 of 7" in panel.count.text()                      # HW is North West
    events.clear()
    panel.model.rowsRemoved.connect(lambda _, first, last: events.append(-(last - first + 1)))
    panel.set_rows([r for r in workspace.rows if r["unit_code"] not in ("BC", "CD")])
    assert events == [-2]                                             # BC and CD: one run
    assert [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())] == \
        ["ZZ", "SK", "LX", "AB"]
    assert panel.current_row()["unit_code"] == "SK"
    lx.close()
    workspace.close()


def test_moderation_in_the_app_is_undoable_and_survives_a_resubmission(
        qtbot, paths, catalog, esps, tmp_path):
    files, (lx, a) = outbox_of_three(tmp_path, esps)
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, files)
    (row,) = [r for r in workspace.units.model.rows if r["unit_code"] == "LX"]
    workspace.open_unit(row, "1B")
    idle(qtbot, workspace)
    page = workspace.moderation
    assert page.current_code() == "1B"
    assert "Very satisfactory (unit's own)" in page.items.currentItem().text()
    page.rating.setCurrentIndex(page.rating.findData("fairly"))
    page.comment.setPlainText("Ward profiles seen")
    page.apply_button.click()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        record = Moderation(c).records(a)["1B"]
        assert (record.assessor_rating, record.comment) == ("fairly", "Ward profiles seen")
        assert unit_rows(c)[[r["unit_code"] for r in unit_rows(c)].index("LX")][
            "moderation_state"] == IN_PROGRESS
    assert "Fairly satisfactory (assessor's)" in page.items.currentItem().text()
    assert "the assessor's rating" in page.counts.text()
    # further evidence on 2B
    page.go_to("2B")
    page.comment.setPlainText("Send the panel minutes")
    page.further.setChecked(True)
    page.apply_button.click()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    (row,) = [r for r in workspace.units.model.rows if r["unit_code"] == "LX"]
    assert row["moderation_state"] == FURTHER_EVIDENCE
    # undo takes the request back, redo puts it again
    workspace.document.undo_stack.undo()
    idle(qtbot, workspace)
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        assert "2B" not in Moderation(c).records(a)
    workspace.document.undo_stack.redo()
    idle(qtbot, workspace)
    # the unit sends revision 2 with 1B changed: the rating stays, flagged to look at again
    lx.set_narrative(a, "1B", "Profiles refreshed again")
    r2 = submit(lx, a, tmp_path / "out2")
    lx.close()
    result = imported(qtbot, workspace, [r2])
    assert result.outcomes[0].status == UPDATED and result.outcomes[0].to_look_at == 1
    idle(qtbot, workspace)
    page.go_to("1B")
    assert "look again" in page.items.currentItem().text()
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        records = Moderation(c).records(a)
        assert records["1B"].assessor_rating == "fairly" and records["1B"].look_again
        assert records["2B"].further_evidence
    workspace.close()


def attached_central(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    """LX with a file attached to 1B, imported; the workspace on LX at 1B, its evidence
    list on the file; QDesktopServices.openUrl records instead of opening."""
    from PySide6.QtGui import QDesktopServices
    messages = Messages(monkeypatch)
    lx, a = unit_file(tmp_path, esps, "LX")
    document = tmp_path / "ward profile.csv"
    document.write_bytes(b"ward,population\nNorth,1200\n")
    lx.attach_file(a, "1B", document, title="Ward profile")
    r1 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, [r1])
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    (row,) = workspace.units.model.rows
    workspace.open_unit(row, "1B")
    idle(qtbot, workspace)
    page = workspace.moderation
    texts = [page.evidence.item(r).text() for r in range(page.evidence.count())]
    (row_of_file,) = [r for r, t in enumerate(texts) if t.startswith("file: Ward profile")]
    page.evidence.setCurrentRow(row_of_file)
    return workspace, page, opened, messages, document


def test_an_attachment_opens_from_the_moderation_page_by_enter_as_a_checked_private_copy(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    workspace, page, opened, messages, document = attached_central(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch)
    page.evidence.setFocus()
    qtbot.keyClick(page.evidence, Qt.Key_Return)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=20000)   # read on the worker
    shown = Path(opened[0].toLocalFile())
    assert shown.name == "ward profile.csv"
    assert shown.read_bytes() == document.read_bytes()
    assert (paths.data_dir / "opened") in shown.parents
    run_folder = shown.parent.parent
    assert run_folder.parent == paths.data_dir / "opened"
    assert run_folder.stat().st_mode & 0o777 == 0o700
    assert messages.shown == []
    # the button does the same, into a new copy of its own
    page.open_evidence_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=20000)
    assert Path(opened[1].toLocalFile()) != shown
    workspace.close()


def test_a_crafted_attachment_hash_or_body_is_refused_with_a_message(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    import hashlib
    import sqlite3
    workspace, page, opened, messages, document = attached_central(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch)
    entry = page.current_evidence()
    assert entry.kind == "file" and entry.has_body
    opened_folder = paths.data_dir / "opened"
    # a hash that is a path, not a hash: refused before anything is read or written
    reads = []
    real_blob = Store.blob
    monkeypatch.setattr(Store, "blob", lambda store, sha: reads.append(sha) or real_blob(store, sha))
    monkeypatch.setattr(page, "current_evidence",
                        lambda: entry._replace(blob_sha256="../../etc/passwd"))
    page.open_current_evidence()
    idle(qtbot, workspace)
    assert "is not a SHA-256 hash" in messages.shown[-1][1]
    assert reads == [] and opened == [] and not opened_folder.exists()
    # bytes that do not match the hash: refused, nothing written or opened
    monkeypatch.setattr(page, "current_evidence", lambda: entry)
    monkeypatch.setattr(Store, "blob", lambda store, sha: b"something else")
    page.open_current_evidence()
    qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=20000)
    assert "does not match its fingerprint" in messages.shown[-1][1]
    assert opened == [] and not any(p.is_file() for p in opened_folder.rglob("*"))
    # a hash of bytes the database does not hold: the worker's error is a message
    monkeypatch.setattr(Store, "blob", real_blob)
    monkeypatch.setattr(page, "current_evidence",
                        lambda: entry._replace(blob_sha256=hashlib.sha256(b"x").hexdigest()))
    page.open_current_evidence()
    qtbot.waitUntil(lambda: len(messages.shown) == 3, timeout=20000)
    assert "is missing" in messages.shown[-1][1] and opened == []
    workspace.close()
    # a central database whose stored attachment was altered does not open at all
    conn = sqlite3.connect(tmp_path / "central.esat")
    conn.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", [b"not the file", entry.blob_sha256])
    conn.commit()
    conn.close()
    window = make_window(qtbot, paths, catalog)
    window.open_file(tmp_path / "central.esat")
    qtbot.waitUntil(lambda: "does not match its checksum" in messages.texts(), timeout=20000)
    assert "central.esat" in messages.shown[-1][1]
    for coordinator in window.coordinators:
        coordinator.close()


def test_every_control_is_named_and_no_key_clashes_in_the_workspace(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    workspace = workspace_with_three_units(qtbot, paths, catalog, esps, tmp_path)
    workspace.open_unit(workspace.units.model.rows[0])
    idle(qtbot, workspace)
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        assert unnamed(workspace) == [], workspace.tabs.tabText(index)
        assert clashes(workspace) == {}, workspace.tabs.tabText(index)
    workspace.close()


# -- conflicts, dashboard, heat map, search, feedback -------------------------------------

def test_a_conflict_is_resolved_in_the_app(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)                        # confirms "Keep Incoming"
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    lx.set_self_rating(a, "3B", "very")
    r2 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, [r2])
    result = imported(qtbot, workspace, [r1])               # older: a conflict
    assert result.outcomes[0].status == CONFLICT
    idle(qtbot, workspace)
    panel = workspace.conflicts
    assert panel.list.count() == 1 and "older than the current revision 2" in panel.list.item(0).text()
    differences = {panel.differences.item(r, 0).text(): (panel.differences.item(r, 1).text(),
                                                         panel.differences.item(r, 2).text())
                   for r in range(panel.differences.rowCount())}
    assert differences["revision"] == ("2", "1")
    assert differences["3B self rating"] == ("very", "")
    panel.keep_incoming.click()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    assert panel.list.count() == 0 and panel.summary.text() == "No open conflicts."
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        from esat.central.history import history
        states = {r["source_name"]: (r["state"], r["resolved_by"]) for r in history(c, "LX")}
        assert states[r1.name] == ("current", "Test User")
        responses = c.responses(a)
        assert c.assessment(a).revision == 1
        assert "3B" not in responses or responses["3B"].self_rating is None
    workspace.close()


def test_the_conflict_side_by_side_shows_both_submissions_and_marks_what_differs_in_text(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from esat.gui.coordinator.side_by_side import DIFFERS, SAME
    messages = Messages(monkeypatch)                        # confirms "Keep Current"
    lx, a = unit_file(tmp_path, esps, "LX")
    lx.set_narrative(a, "2B", "Panel meets monthly")
    r1 = submit(lx, a, tmp_path / "out")
    lx.set_self_rating(a, "3B", "very")
    lx.set_narrative(a, "2B", "Panel meets weekly")
    lx.add_action(a, "3B", "Publish the panel minutes")
    r2 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, [r2])
    assert imported(qtbot, workspace, [r1]).outcomes[0].status == CONFLICT
    idle(qtbot, workspace)
    panel = workspace.conflicts
    view = panel.side_by_side
    qtbot.waitUntil(lambda: view.table.rowCount() > 0, timeout=20000)   # read on the worker
    table = view.table
    assert table.horizontalHeaderItem(2).text() == "Current (revision 2)"
    assert table.horizontalHeaderItem(3).text() == "Incoming (revision 1)"
    assert view.sources.text().startswith(f"Current: revision 2 from {r2.name}")
    assert view.sources.text().endswith(f"Incoming: revision 1 from {r1.name}.")
    shown = {(table.item(r, 0).text(), table.item(r, 1).text()):
             tuple(table.item(r, c).text() for c in (2, 3, 4)) for r in range(table.rowCount())}
    assert shown[("assessment", "revision")] == ("2", "1", DIFFERS)
    assert shown[("assessment", "signed off by")][2] == SAME     # each its own revision's
    assert shown[("3B", "Rating")] == ("Very satisfactory", "not rated", DIFFERS)
    assert shown[("2B", "Narrative")] == ("Panel meets weekly", "Panel meets monthly", DIFFERS)
    assert shown[("3B", "Actions")] == ("Publish the panel minutes (open)", "", DIFFERS)
    assert shown[("1B", "Rating")] == ("Very satisfactory", "Very satisfactory", SAME)
    assert shown[("1B", "Evidence")] == ("note: Ward profiles", "note: Ward profiles", SAME)
    codes = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert codes.index("1B") < codes.index("2B") < codes.index("3B")     # the framework's order
    view.only_differences.setChecked(True)
    marks = {table.item(r, 4).text() for r in range(table.rowCount())}
    assert marks == {DIFFERS} and table.rowCount() < len(shown)
    # the workspace's tabs and this view: every control named, no key clashes
    workspace.tabs.setCurrentWidget(panel)
    panel.views.setCurrentWidget(view)
    assert unnamed(workspace) == [] and clashes(workspace) == {}
    panel.keep_current.click()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    assert messages.shown[-1][0] == "Resolve the conflict"
    assert "set the incoming submission aside" in messages.shown[-1][1]
    assert panel.list.count() == 0 and view.table.rowCount() == 0
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        from esat.central.history import history
        states = {r["source_name"]: r["state"] for r in history(c, "LX")}
        assert states[r1.name] == "set_aside" and states[r2.name] == "current"
        assert c.assessment(a).revision == 2
        assert c.responses(a)["3B"].self_rating == "very"
    workspace.close()


def south_east_central(tmp_path, esps, catalog):
    """The six South East boroughs of the 2011 review, as a central database."""
    from conftest import read_tsv
    from helpers import build_south_east
    path = build_south_east(tmp_path / "se.esat", esps,
                            rows=read_tsv("esps_se_area_2011_ratings.tsv"))
    return path


def test_dashboard_figures_equal_the_cores_and_the_target_can_be_set(
        qtbot, paths, catalog, esps, tmp_path):
    from esat.central.dashboard import dashboard
    path = south_east_central(tmp_path, esps, catalog)
    workspace = open_workspace(qtbot, paths, catalog, path)
    panel = workspace.dashboard
    assert panel.data is None                       # read when first shown
    workspace.tabs.setCurrentWidget(panel)
    idle(qtbot, workspace)
    with Store.open(path, actor="t", read_only=True) as c:
        core = dashboard(c)
    assert panel.data == core
    assert panel.kpi.text() == core.kpi.statement()
    assert "No target has been set for FY2010/11" in panel.kpi.text()
    table = panel.areas.table
    assert [table.item(0, c).text() for c in range(4)] == [
        "South East", str(core.kpi.units), str(core.kpi.assessed), str(core.kpi.meeting)]
    assert panel.mean.text() == f"Average score: {core.mean_percent}%"
    dist = panel.distribution.table
    assert sum(int(dist.item(r, 1).text()) for r in range(dist.rowCount())) == core.kpi.assessed
    assert panel.distribution.chart.accessibleDescription().startswith("0–9%: ")
    panel.distribution.show_data.setChecked(True)
    assert not panel.distribution.table.isHidden()
    model = panel.pairings.model()
    assert model.rowCount() == len(core.pairings) > 0
    first = core.pairings[0]
    assert model.index(0, 1).data() == first.item.code
    assert model.index(0, 2).data().startswith(first.partners[0].code)
    panel.target.setValue(80)
    panel.set_target_button.click()
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    with Store.open(path, actor="t", read_only=True) as c:
        assert Moderation(c).kpi_targets() == {"2010/11": 80}
        core = dashboard(c)
    assert panel.data == core and "target of 80%" in panel.kpi.text()
    workspace.close()


def test_dashboard_and_heat_map_use_the_units_read_until_the_file_changes(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    """Shown after the units table, they score nothing again; after a change they
    read afresh, and still equal the core's figures."""
    import esat.central.overview as overview
    from esat.central.dashboard import dashboard, heat_map
    path = south_east_central(tmp_path, esps, catalog)
    workspace = open_workspace(qtbot, paths, catalog, path)
    scored_again = []
    with monkeypatch.context() as m:
        score_all = overview.scored
        m.setattr(overview, "scored",
                  lambda store: scored_again.append(1) or score_all(store))
        workspace.tabs.setCurrentWidget(workspace.dashboard)
        idle(qtbot, workspace)
        workspace.tabs.setCurrentWidget(workspace.heat_map)
        idle(qtbot, workspace)
    assert scored_again == []
    with Store.open(path, actor="t", read_only=True) as c:
        assert workspace.dashboard.data == dashboard(c)
        assert workspace.heat_map.grid_model.map == heat_map(c)
        lx = next(a for a in c.assessments() if a.unit.code == "LX")
        before = c.score(lx.uuid).overall.met
    workspace.document.write(lambda store: Moderation(store).rate(
        lx.uuid, next(r.item.code for r in store.score(lx.uuid).items
                      if r.required and r.met), "not_at_all"))
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    with Store.open(path, actor="t", read_only=True) as c:
        assert c.score(lx.uuid).overall.met == before - 1
        assert workspace.heat_map.grid_model.map == heat_map(c)
        core = dashboard(c)
    workspace.tabs.setCurrentWidget(workspace.dashboard)
    idle(qtbot, workspace)
    assert workspace.dashboard.data == core
    workspace.close()


def test_heat_map_shows_ratings_in_text_and_its_table_mode_lists_every_cell(
        qtbot, paths, catalog, esps, tmp_path):
    from esat.central.dashboard import heat_map
    path = south_east_central(tmp_path, esps, catalog)
    workspace = open_workspace(qtbot, paths, catalog, path)
    panel = workspace.heat_map
    workspace.tabs.setCurrentWidget(panel)
    idle(qtbot, workspace)
    with Store.open(path, actor="t", read_only=True) as c:
        core = heat_map(c)
    grid = panel.grid_model
    assert grid.rowCount() == 6 and grid.columnCount() == len(core.codes)
    first = core.cells[0][0]
    cell = grid.index(0, 0)
    assert first.label.split()[0] in cell.data() and cell.data().endswith("A")
    assert first.label in cell.data(Qt.AccessibleTextRole)
    panel.table_mode.setChecked(True)
    assert panel.stack.currentWidget() is panel.list
    rows = panel.list_model.rows
    assert len(rows) == sum(c is not None for cells in core.cells for c in cells)
    unit, name, code, label, whose = rows[0][:5]
    assert (unit, code, label, whose) == (core.units[0][0], core.codes[0], first.label, "assessor")
    panel.list.activated.emit(panel.list_model.index(0, 0))    # opens the unit at the indicator
    idle(qtbot, workspace)
    assert workspace.tabs.currentWidget() is workspace.moderation
    assert workspace.moderation.current_code() == core.codes[0]
    workspace.close()


def test_search_opens_the_unit_at_the_indicator_and_feedback_is_written(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    workspace = workspace_with_three_units(qtbot, paths, catalog, esps, tmp_path)
    panel = workspace.search
    panel.words.setText("SK refreshed")
    panel.go.click()
    idle(qtbot, workspace)
    assert panel.results.rowCount() == 1
    assert [panel.results.item(0, c).text() for c in range(3)] == ["SK", "1B", "note"]
    panel.results.activated.emit(panel.results.model().index(0, 0))
    idle(qtbot, workspace)
    assert workspace.moderation.row["unit_code"] == "SK"
    assert workspace.moderation.current_code() == "1B"
    folder = tmp_path / "feedback"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    workspace.feedback_for_all()
    idle(qtbot, workspace)
    assert sorted(p.name for p in folder.iterdir()) == [
        "HW-feedback.esat", "LX-feedback.esat", "SK-feedback.esat"]
    with Store.open(folder / "SK-feedback.esat", actor="t", read_only=True) as f:
        assert f.role == "feedback"
    workspace.close()


def test_central_workbook_from_the_app_and_the_command_line_agree_with_the_core(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    import io
    from openpyxl import load_workbook
    from esat.central.dashboard import dashboard
    from esat.cli import main
    path = south_east_central(tmp_path, esps, catalog)
    with Store.open(path, actor="t") as c:          # a unit name that looks like a formula
        c.db.execute("UPDATE units SET name = '=HYPERLINK(\"http://x\")' WHERE code = 'LX'")
        c.db.conn.commit()
        core = dashboard(c)
    workspace = open_workspace(qtbot, paths, catalog, path)
    target = tmp_path / "from-app.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    workspace.export_excel()
    idle(qtbot, workspace)
    assert workspace.last_export == target
    workspace.close()
    out = io.StringIO()
    assert main(["export", str(path), "--xlsx", str(tmp_path / "from-cli.xlsx")],
                paths=paths, out=out, err=io.StringIO()) == 0
    assert "central workbook of 6 assessments" in out.getvalue()
    sheets = []
    for name in ("from-app.xlsx", "from-cli.xlsx"):
        wb = load_workbook(tmp_path / name)
        sheets.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()]
                       for ws in wb.worksheets if ws.sheet_state == "visible"})
    assert sheets[0] == sheets[1]
    book = sheets[0]
    assert list(book) == ["Units by area", "Section scores", "KPI by area",
                          "Units x indicators", "Agreement"]
    organisation = book["KPI by area"][-1]
    assert organisation[:5] == ["Organisation", core.kpi.units, core.kpi.assessed,
                                core.kpi.meeting, core.kpi.percent]
    lx = next(r for r in book["Units by area"] if r[1] == "LX")
    assert lx[2] == '=HYPERLINK("http://x")'                  # text, not a formula
    wb = load_workbook(tmp_path / "from-app.xlsx")
    cell = next(c for row in wb["Units by area"].iter_rows() for c in row
                if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    assert len(book["Units x indicators"]) == 7 and book["Units x indicators"][0][:3] == [
        "Unit", "Name", "1B"]


def test_feedback_is_shown_in_unit_mode_read_only_and_marks_the_tree(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    from esat.central.merge import merge_files
    from esat.feedback import write_feedback
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat") as c:
        merge_files(c, [r1], catalog)
        moderation = Moderation(c)
        moderation.rate(a, "1B", "fairly", comment="Profiles seen; refresh them yearly")
        moderation.ask_further_evidence(a, "2B", "Send the panel minutes")
        feedback = write_feedback(c, "LX", tmp_path / "lx-feedback.esat")
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(tmp_path / "LX.esat")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(feedback), ""))
    (action,) = [x for x in window.menuBar().actions()[0].menu().actions()
                 if x.text() == "Import Coordinators' &Feedback…"]
    action.trigger()
    qtbot.waitUntil(lambda: "Feedback imported" in messages.texts(), timeout=10000)
    assert "further evidence asked for on 1 indicator" in messages.texts()
    view = window.view
    qtbot.waitUntil(lambda: "2B" in view.snapshot.coordinator, timeout=10000)
    row = view.tree._items["2B"]
    assert row.text(1).split(" ", 1)[1].startswith("Further evidence requested.")
    assert "Further evidence requested" in row.data(1, Qt.AccessibleTextRole)
    assert not view.tree._items["1B"].text(1).count("Further evidence")
    view.go_to("1B")
    text = view.page.ui.assessorLabel.text()
    assert "Fairly satisfactory" in text and "Profiles seen; refresh them yearly" in text
    view.go_to("2B")
    assert "Further evidence requested: Send the panel minutes" in view.page.ui.assessorLabel.text()
    window.close()


def test_a_second_window_opens_the_central_database_read_only(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    with central(tmp_path / "central.esat"):
        pass
    first = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    second = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    assert first.document.editable and not second.document.editable
    assert "already open" in second.statusBar().currentMessage()
    assert not second.import_action.isEnabled()
    second.import_paths([tmp_path])                 # a drop: refused with the reason
    assert "already open" in messages.texts()
    assert unnamed(second) == []
    second.close()
    first.close()


def test_cancelling_an_import_stops_between_files_and_says_so(
        qtbot, paths, catalog, esps, tmp_path):
    import threading
    from PySide6.QtWidgets import QProgressDialog
    files, (lx, _) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    gate = threading.Event()
    workspace.document.tasks.write(lambda store: gate.wait(10))    # the worker is busy ...
    workspace.import_paths(files)                                  # ... so this one waits
    (dialog,) = [d for d in workspace.findChildren(QProgressDialog)
                 if d.labelText() == "Importing unit files…"]
    dialog.canceled.emit()                                         # its Cancel button
    gate.set()
    result = import_result(qtbot, workspace)
    assert result.outcomes == [] and result.total == 3
    assert "cancelled after 0 of 3 files" in result.summary.text()
    assert "cancelled: 3 of 3 files were not looked at" in result.text()
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        assert c.assessments() == []
    workspace.close()


def test_the_main_job_by_keyboard_alone(qtbot, paths, catalog, esps, tmp_path):
    files, (lx, a) = outbox_of_three(tmp_path, esps)
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, files)
    workspace.activateWindow()
    table = workspace.units.table
    table.setFocus()
    table.setCurrentIndex(workspace.units.proxy.index(0, 0))       # HW, LX, SK by code
    qtbot.keyClick(table, Qt.Key_Down)
    qtbot.keyClick(table, Qt.Key_Return)                            # opens LX
    idle(qtbot, workspace)
    page = workspace.moderation
    assert workspace.tabs.currentWidget() is page and page.row["unit_code"] == "LX"
    page.go_to("3B")
    page.rating.setFocus()
    qtbot.keyClick(page.rating, Qt.Key_Down)                        # the next point of the scale
    chosen = page.rating.currentData()
    assert chosen is not None
    qtbot.keyClick(page.rating, Qt.Key_Return, Qt.ControlModifier)  # Apply
    idle(qtbot, workspace)
    idle(qtbot, workspace)
    with Store.open(tmp_path / "central.esat", actor="t", read_only=True) as c:
        assert Moderation(c).records(a)["3B"].assessor_rating == chosen
    qtbot.keyClick(workspace, Qt.Key_4, Qt.ControlModifier)          # View ▸ Dashboard
    assert workspace.tabs.currentWidget() is workspace.dashboard
    workspace.close()


def test_esat_gui_with_a_central_database_leaves_no_blank_window(qtbot, paths, catalog, tmp_path):
    from esat.gui.app import create_window
    with central(tmp_path / "central.esat"):
        pass
    window = create_window(paths, catalog, start_page=False)      # as `esat gui FILE` makes it
    qtbot.addWidget(window)
    window.show()
    assert window.open_file(tmp_path / "central.esat")
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    assert window.stack.currentWidget() is window.start and window.start is not None
    assert workspace.isVisible()
    idle(qtbot, workspace)
    window.close()                                                # closes the workspace too
    assert workspace.document.closed and not workspace.isVisible()
