"""Excel export and import from the desktop app."""

from __future__ import annotations

import hashlib

from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog

from esat.store import Store
from gui_helpers import Messages, make_window, wait_saved


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
    window.excel.import_excel()
    wait_saved(qtbot, window)
    assert any(title == "Imported" for title, _ in messages.shown), messages.texts()
    uuid = window.view.assessment.uuid
    assert window.reader.response(uuid, "2B").self_rating == "fairly"
    assert window.reader.response(uuid, "1B").narrative == "Profiles refreshed"
    assert "Rated: Fairly satisfactory" in window.view.tree.status_text("2B")


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
