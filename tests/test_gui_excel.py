"""Excel export and import from the desktop app."""

from __future__ import annotations

import hashlib

from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog

from esat.gui.excel_flows import ImportPreviewDialog
from esat.store import Store
from gui_helpers import Messages, answer_dialog, make_window, press_ok, wait_saved


def make_file(tmp_path, esps):
    path = tmp_path / "LX.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", area="South East", period="2010/11")
        store.set_self_rating(a.uuid, "1B", "very")
        store.set_narrative(a.uuid, "1B", "Profiles refreshed")
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_to_excel_then_import_changes_back(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = make_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    workbook = tmp_path / "lambeth.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(workbook), ""))
    window.excel_export_action.trigger()
    wait_saved(qtbot, window)
    assert workbook.is_file(), messages.texts()
    assert any("The workbook is ready" in text for _, text in messages.shown)

    wb = load_workbook(workbook)
    sheet = wb["Indicators"]
    headers = [c.value for c in sheet[1]]
    code_col, rating_col = headers.index("Code"), headers.index("Self rating")
    for row in sheet.iter_rows(min_row=2):
        if row[code_col].value == "2B":
            row[rating_col].value = "Fairly satisfactory"
    wb.save(workbook)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    seen = answer_dialog(monkeypatch, ImportPreviewDialog, press_ok)
    window.excel.import_excel()
    wait_saved(qtbot, window)
    assert [seen[0].ui.changesList.item(i).text() for i in range(seen[0].ui.changesList.count())] == [
        "2B self rating: not rated → Fairly satisfactory"]
    assert any(title == "Imported" for title, _ in messages.shown), messages.texts()
    uuid = window.view.assessment.uuid
    assert window.reader.response(uuid, "2B").self_rating == "fairly"
    assert window.reader.response(uuid, "1B").narrative == "Profiles refreshed"
    assert "Rated: Fairly satisfactory" in window.view.tree.status_text("2B")
    window.undo_stack.undo()                        # the import is one step of Edit ▸ Undo
    wait_saved(qtbot, window)
    assert window.reader.response(uuid, "2B").self_rating is None
    assert "Rated" not in window.view.tree.status_text("2B")


def test_a_refused_workbook_changes_nothing(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = make_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    wait_saved(qtbot, window)
    before = digest(path)
    fake = tmp_path / "return.xlsx"
    fake.write_text("not a workbook at all")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fake), ""))
    window.excel.import_excel()
    wait_saved(qtbot, window)
    assert messages.shown and str(fake) in messages.shown[-1][1]
    assert digest(path) == before


def test_import_with_no_file_open_creates_and_opens_one(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from esat.excel import export_assessment
    messages = Messages(monkeypatch)
    source = make_file(tmp_path, esps)
    workbook = tmp_path / "sent-in.xlsx"
    with Store.open(source, actor="t", read_only=True) as store:
        export_assessment(store, store.only_assessment().uuid, workbook)
    window = make_window(qtbot, paths, catalog)
    target = tmp_path / "imported.esat"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.excel.import_excel()
    qtbot.waitUntil(lambda: window.view is not None, timeout=10000)
    assert window.path == target.absolute(), messages.texts()
    uuid = window.view.assessment.uuid
    assert window.reader.response(uuid, "1B").self_rating == "very"
    assert window.view.assessment.unit.code == "LX"
    window.close()


def test_cancelling_an_excel_export_is_quiet_and_writes_nothing(qtbot, paths, catalog, esps,
                                                                 tmp_path, monkeypatch):
    from esat.gui.tasks import TaskContext
    messages = Messages(monkeypatch)
    path = make_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    workbook = tmp_path / "cancelled.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(workbook), ""))
    monkeypatch.setattr(TaskContext, "cancelled", lambda self: True)   # Cancel pressed at once
    window.excel_export_action.trigger()
    wait_saved(qtbot, window)
    assert not workbook.exists()
    assert not list(tmp_path.glob(".*partial"))
    assert messages.shown == []


def test_the_preview_shows_every_change_and_blank_cells_leave_work_alone(qtbot, paths, catalog,
                                                                         esps, tmp_path, monkeypatch):
    """The trial: a template filled only for 1B-4B, into a file with work in 5B, 7B and 4B."""
    from esat.excel import write_template
    messages = Messages(monkeypatch)
    path = make_file(tmp_path, esps)
    with Store.open(path, actor="t") as store:
        uuid = store.only_assessment().uuid
        store.set_narrative(uuid, "5B", "Work on 5B")
        store.set_narrative(uuid, "7B", "Work on 7B")
        store.request_exemption(uuid, "4B", "Led centrally")
    template = write_template(esps, tmp_path / "return.xlsx", stage="baseline", unit_code="LX",
                              unit_name="Lambeth", unit_type="borough", area="South East",
                              period="2010/11")
    wb = load_workbook(template)
    sheet = wb["Indicators"]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("Code")].value in ("1B", "2B", "3B", "4B"):
            row[headers.index("Narrative")].value = f"From the return: {row[0].value}"
            row[headers.index("Self rating")].value = "Very satisfactory"
    wb.save(template)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(template), ""))
    shown = {}

    def look_then_import(dialog):
        lines = lambda: [dialog.ui.changesList.item(i).text() for i in range(dialog.ui.changesList.count())]
        shown["kept"] = (lines(), dialog.ui.countsLabel.text())
        dialog.ui.blankClearsCheck.setChecked(True)
        shown["cleared"] = (lines(), dialog.ui.countsLabel.text())
        dialog.ui.blankClearsCheck.setChecked(False)
        press_ok(dialog)

    answer_dialog(monkeypatch, ImportPreviewDialog, look_then_import)
    window.excel.import_excel()
    wait_saved(qtbot, window)
    kept, counts = shown["kept"]
    assert not any("5B" in line or "7B" in line or "withdrawn" in line for line in kept)
    assert "1B self rating: Very satisfactory → Very satisfactory" not in kept   # no change, not listed
    assert "2B self rating: not rated → Very satisfactory" in kept
    assert "0 narratives cleared" in counts
    cleared, cleared_counts = shown["cleared"]
    assert "5B narrative: “Work on 5B” → (blank)" in cleared
    assert "4B exemption request: requested: “Led centrally” → withdrawn" in cleared
    assert "2 narratives cleared" in cleared_counts
    (done,) = [text for title, text in messages.shown if title == "Imported"]
    r = window.reader.responses(uuid)
    assert r["5B"].narrative == "Work on 5B" and r["7B"].narrative == "Work on 7B"
    assert r["4B"].unit_exempt and r["2B"].self_rating == "very"
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    wait_saved(qtbot, window)
    r = window.reader.responses(uuid)
    assert r["2B"].self_rating is None and r["1B"].narrative == "Profiles refreshed"
    assert r["1B"].self_rating == "very" and r["4B"].unit_exempt


def test_import_with_no_file_open_never_writes_into_an_existing_file(qtbot, paths, catalog, esps,
                                                                     tmp_path, monkeypatch):
    """Without the file open there is no preview of what would change: it asks to open it first."""
    from esat.excel import export_assessment
    messages = Messages(monkeypatch)
    source = make_file(tmp_path, esps)
    workbook = tmp_path / "sent-in.xlsx"
    with Store.open(source, actor="t", read_only=True) as store:
        export_assessment(store, store.only_assessment().uuid, workbook)
    before = digest(source)
    window = make_window(qtbot, paths, catalog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(workbook), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(source), ""))
    window.excel.import_excel()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=10000)
    assert messages.shown[-1][0] == "Not imported" and "Open it first" in messages.shown[-1][1]
    assert digest(source) == before
