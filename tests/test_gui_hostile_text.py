"""Text from a file is shown as text: never as HTML, never breaking a message.

Qt labels and message boxes guess whether text is HTML (``Qt.AutoText``). A unit
named ``<i>Lambeth</i>`` would then be shown in italics, and a crafted name could
draw links, tables or images into the window. Every label of every window that
shows a file's text must show it literally.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from esat.store import Store
from gui_helpers import make_window, open_central_window

HOSTILE = "<i>Lambeth</i>"


def rendered_as_html(root: QWidget) -> list[str]:
    """Labels showing the hostile text as HTML (it would lose its tags on screen)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as GuiQt
    found = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if "<i>Lambeth" not in text and "&lt;i&gt;" not in text:
            continue
        plain = label.textFormat() == Qt.PlainText or (
            label.textFormat() == Qt.AutoText and not GuiQt.mightBeRichText(text))
        if not plain and "<i>Lambeth" in text:
            found.append(f"{label.objectName() or '(no name)'}: {text[:60]!r}")
    return found


def test_the_check_catches_a_label_that_guesses(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    QLabel(f"Unit {HOSTILE}", root)
    assert rendered_as_html(root) == [f"(no name): 'Unit {HOSTILE}'"]


def test_unit_window_shows_a_files_names_as_text(qtbot, paths, catalog, esps, tmp_path):
    path = tmp_path / "hostile.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name=HOSTILE,
                                    unit_type="borough", area=HOSTILE)
        store.set_narrative(a.uuid, "1B", HOSTILE)
        store.add_note(a.uuid, "1B", HOSTILE, HOSTILE)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    window.show()
    assert rendered_as_html(window) == []
    # the framework's own text (a file may carry its own) is a tooltip shown as written
    assert window.view.tree._items["1B"].toolTip(0).startswith("<qt>")


def test_coordinator_workspace_shows_a_units_names_as_text(qtbot, paths, catalog, esps,
                                                            tmp_path):
    from esat.central.merge import merge_files
    from merge_helpers import central, submit, unit_file
    store, a = unit_file(tmp_path, esps, "LX")
    store.set_unit(a, name=HOSTILE, area=HOSTILE)
    store.set_narrative(a, "1B", HOSTILE)
    store.add_note(a, "1B", HOSTILE, HOSTILE)
    r1 = submit(store, a, tmp_path / "out")
    store.close()
    with central(tmp_path / "central.esat") as c:
        merge_files(c, [r1], catalog)
    workspace = open_central_window(qtbot, paths, catalog, tmp_path / "central.esat")
    qtbot.waitUntil(lambda: workspace.units.model.rowCount() == 1, timeout=10000)
    model = workspace.units.model
    tips = [model.index(0, c).data(Qt.ToolTipRole) for c in range(model.columnCount())]
    assert any("&lt;i&gt;Lambeth" in tip for tip in tips)       # escaped, shown as written
    assert not any("<i>" in tip for tip in tips)
    workspace.open_unit(workspace.units.model.rows[0])
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: workspace.document.tasks.idle, timeout=10000)
        assert rendered_as_html(workspace) == [], workspace.tabs.tabText(index)
    workspace.close()


def test_a_crafted_file_name_in_a_message_is_shown_as_one_line_of_text(qtbot, paths, catalog,
                                                                        tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append((box.textFormat(), box.text())) or 0)
    bad = tmp_path / "bad\nESAT: all is well <b>x.esat"
    bad.write_bytes(b"not an ESAT file" * 100)
    window = make_window(qtbot, paths, catalog)
    assert not window.open_file(bad)
    ((text_format, text),) = shown
    assert text_format == Qt.PlainText
    assert "bad\\nESAT: all is well <b>x.esat" in text and "\n" not in text


def tip_shows_html(tip: str | None) -> bool:
    """A tooltip Qt would draw as HTML with the hostile text's tags taken as markup."""
    from PySide6.QtGui import Qt as GuiQt
    return bool(tip) and "<i>Lambeth" in tip and GuiQt.mightBeRichText(tip)


def test_the_import_results_tooltips_show_a_files_name_and_reason_as_text(
        qtbot, paths, catalog, tmp_path):
    from gui_helpers import make_window
    from merge_helpers import central
    from test_gui_coordinator import imported, open_workspace
    with central(tmp_path / "central.esat"):
        pass
    bad = tmp_path / "<i>Lambeth.esat"                    # (no "/" in a file's name)
    bad.write_bytes(b"not an ESAT file" * 100)
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    result = imported(qtbot, workspace, [bad])
    model = result.model
    tips = [model.index(0, c).data(Qt.ToolTipRole) for c in range(model.columnCount())]
    assert model.index(0, 0).data() == "<i>Lambeth.esat"
    assert not any(tip_shows_html(tip) for tip in tips), tips
    assert "&lt;i&gt;Lambeth" in tips[0]                      # shown as written
    workspace.close()


def test_the_conflict_side_by_side_tooltips_show_a_units_text_as_text(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from esat.central.merge import CONFLICT
    from merge_helpers import central, submit, unit_file
    from test_gui_coordinator import idle, imported, open_workspace
    lx, a = unit_file(tmp_path, esps, "LX")
    lx.set_narrative(a, "2B", HOSTILE)
    r1 = submit(lx, a, tmp_path / "out")
    lx.set_narrative(a, "2B", f"{HOSTILE} weekly")
    r2 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat"):
        pass
    workspace = open_workspace(qtbot, paths, catalog, tmp_path / "central.esat")
    imported(qtbot, workspace, [r2])
    assert imported(qtbot, workspace, [r1]).outcomes[0].status == CONFLICT
    idle(qtbot, workspace)
    table = workspace.conflicts.side_by_side.table
    qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=20000)
    (row,) = [r for r in range(table.rowCount()) if table.item(r, 0).text() == "2B"
              and table.item(r, 1).text() == "Narrative"]
    assert table.item(row, 3).text() == HOSTILE
    tips = [table.item(row, c).toolTip() for c in (2, 3)]
    assert not any(tip_shows_html(tip) for tip in tips), tips
    assert all("&lt;i&gt;Lambeth" in tip for tip in tips)
    workspace.close()


def test_the_unit_windows_evidence_tooltips_show_a_files_text_as_text(
        qtbot, paths, catalog, esps, tmp_path):
    path = tmp_path / "hostile.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", area="South")
        store.add_note(a.uuid, "1B", HOSTILE, HOSTILE)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    window.view.go_to("1B")
    evidence = window.view.page.ui.evidenceList
    qtbot.waitUntil(lambda: evidence.count() == 1, timeout=10000)
    tip = evidence.item(0).toolTip()
    assert not tip_shows_html(tip) and "&lt;i&gt;Lambeth" in tip, tip


def test_the_workbook_import_previews_tooltips_show_a_cells_text_as_text(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog
    from esat.gui.excel_flows import ImportPreviewDialog
    from gui_helpers import Messages, answer_dialog, wait_saved
    Messages(monkeypatch)
    path = tmp_path / "lx.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough", area="South")
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    workbook = tmp_path / "lx.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(workbook), ""))
    window.excel_export_action.trigger()
    wait_saved(qtbot, window)
    wb = load_workbook(workbook)
    sheet = wb["Indicators"]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Code")].value == "2B":
            row[headers.index("Narrative")].value = HOSTILE
    wb.save(workbook)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    tips = []

    def look(dialog) -> None:
        changes = dialog.ui.changesList
        tips.extend(changes.item(i).toolTip() for i in range(changes.count()))
        dialog.reject()
    answer_dialog(monkeypatch, ImportPreviewDialog, look)
    window.excel.import_excel()
    wait_saved(qtbot, window)
    assert any("Lambeth" in tip for tip in tips), tips
    assert not any(tip_shows_html(tip) for tip in tips), tips


def test_the_start_pages_recent_files_show_a_files_name_as_text(qtbot):
    from pathlib import Path
    from esat.gui.start_page import StartPage
    page = StartPage()
    qtbot.addWidget(page)
    page.show_recent([Path("/tmp/<i>Lambeth.esat")])
    row = page.ui.recentList.item(0)
    assert "<i>Lambeth.esat" in row.text()
    assert not tip_shows_html(row.toolTip()) and "&lt;i&gt;Lambeth" in row.toolTip()
