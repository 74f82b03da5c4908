"""File ▸ Export Report… and Print…: the open file's report, made off the UI thread.

Both make the same PDF with the core's ``esat.reports`` (so paper and file
never differ) through :meth:`Tasks.run` (progress and Cancel). Export writes
the PDF and its accessible HTML twin side by side and opens the PDF in the
system viewer. Print writes the PDF to a temporary folder and opens it in the
system viewer, from which it is printed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

PDF_FILTER = "PDF documents (*.pdf)"


def install_report_actions(window: QMainWindow, menu: QMenu, *, before: QAction) -> list[QAction]:
    """Add Export Report… and Print… to ``menu`` before ``before``; returns the actions
    (to be enabled only while a file is open)."""
    actions = ReportActions(window)
    menu.insertAction(before, actions.export_action)
    menu.insertAction(before, actions.print_action)
    menu.insertSeparator(before)
    window.report_actions = actions           # kept alive with the window
    return [actions.export_action, actions.print_action]


class ReportActions(QObject):
    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.export_action = self._action("Export Repor&t…", self.export_report,
                                          "Ctrl+Shift+R",
                                          "Write the assessment's report as a PDF, with an "
                                          "accessible HTML version beside it")
        self.print_action = self._action("&Print…", self.print_report, QKeySequence.Print,
                                         "Open the report's PDF in your PDF viewer to print it")
        self._print_folder = None            # a TemporaryDirectory, made on first Print

    def _action(self, text: str, slot, shortcut, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    # -- the two commands ---------------------------------------------------------------

    def export_report(self) -> None:
        window = self.window
        if window.view is None or window.tasks is None:
            return
        window.view.flush()
        folder = Path(str(window.settings.value("folders/reports", str(Path.home()))))
        assessment = window.view.assessment
        suggested = folder / f"{assessment.unit.code}-report.pdf"
        name, _ = QFileDialog.getSaveFileName(window, "Export report", str(suggested), PDF_FILTER)
        if not name:
            return
        pdf = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        html = pdf.with_suffix(".html")
        window.settings.set_value("folders/reports", str(pdf.parent))
        self._run("Writing the report…", pdf, html)

    def print_report(self) -> None:
        window = self.window
        if window.view is None or window.tasks is None:
            return
        window.view.flush()
        if self._print_folder is None:
            import tempfile               # not on the app's start-up path
            self._print_folder = tempfile.TemporaryDirectory(prefix="esat-print-")
        code = window.view.assessment.unit.code
        self._run("Preparing the report for printing…",
                  Path(self._print_folder.name) / f"{code}-report.pdf", None)

    # -- the work, off the UI thread ------------------------------------------------------

    def _run(self, label: str, pdf: Path, html: Path | None) -> None:
        from ..reports.making import Request, make_report, write_report

        def work(ctx) -> Path:
            report = make_report(ctx.store, Request(), produced_on=date.today().isoformat(),
                                 html_name=html.name if html is not None else None)
            write_report(report, pdf=pdf, html=html,
                         progress=lambda done, total: ctx.progress(done, total),
                         cancelled=ctx.cancelled)
            return pdf

        self.window.tasks.run(label, work, parent=self.window, on_done=self._opened)

    def _opened(self, pdf: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
        self.window.statusBar().showMessage(f"Report written: {pdf}", 10000)
