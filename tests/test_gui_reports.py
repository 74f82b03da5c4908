"""File ▸ Export Report… and Print… in the desktop app (the report itself: test_reports.py)."""

from __future__ import annotations

import subprocess

from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from esat.store import Store
from gui_helpers import Messages, make_window, wait_saved


def make_file(tmp_path, esps):
    path = tmp_path / "LX.esat"
    with Store.create(path, actor="t") as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", area="South East", period="2010/11")
        store.set_self_rating(a.uuid, "1B", "very")
    return path


def opened_urls(monkeypatch) -> list:
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


def test_export_report_writes_pdf_and_html_with_the_latest_edit(qtbot, paths, catalog, esps,
                                                                tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    urls = opened_urls(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(make_file(tmp_path, esps))
    assert window.report_actions.export_action.isEnabled()
    window.tasks.write(lambda store: store.set_self_rating(
        window.view.assessment.uuid, "2B", "fairly"))       # an edit just before exporting
    target = tmp_path / "out" / "lambeth"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.report_actions.export_action.trigger()
    wait_saved(qtbot, window)
    pdf, html = target.with_suffix(".pdf"), target.with_suffix(".html")
    assert pdf.is_file() and html.is_file(), messages.texts()
    text = pdf_text(pdf)
    assert "Score: 11% (2 of 18 required indicators satisfactory; 16 not rated)" in text
    assert "lambeth.html" in text
    assert [u.toLocalFile() for u in urls] == [str(pdf)]
    assert messages.shown == []


def test_print_opens_the_same_pdf_in_the_viewer(qtbot, paths, catalog, esps, tmp_path,
                                                monkeypatch):
    urls = opened_urls(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(make_file(tmp_path, esps))
    window.report_actions.print_action.trigger()
    wait_saved(qtbot, window)
    assert len(urls) == 1
    printed = urls[0].toLocalFile()
    assert printed.endswith("LX-report.pdf") and "Score: 6% (1 of 18" in pdf_text(printed)


def test_report_actions_are_off_without_a_file_and_cancel_writes_nothing(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from esat.gui.tasks import TaskContext
    messages = Messages(monkeypatch)
    urls = opened_urls(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    assert not window.report_actions.export_action.isEnabled()
    assert not window.report_actions.print_action.isEnabled()
    window.open_file(make_file(tmp_path, esps))
    target = tmp_path / "cancelled.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(TaskContext, "cancelled", lambda self: True)   # Cancel pressed at once
    window.report_actions.export_action.trigger()
    wait_saved(qtbot, window)
    assert not target.exists() and not list(tmp_path.glob(".*partial"))
    assert urls == [] and messages.shown == []
