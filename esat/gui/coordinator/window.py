"""The coordinator workspace: the window that opens when the file is a central database.

Tabs: the units table, moderating one unit, conflicts, the dashboard, the
indicator heat map and search. Every read and write runs on the central
database's worker (:class:`CentralDocument`); the screens show the core's rows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QMainWindow, QMenu, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from ...catalog import Catalog
from ...central.intake import expand
from ...central.merge import merge_files
from ...errors import EsatError
from ..errorhook import report_exception
from ..messages import problem, show_error
from ...feedback import write_feedback
from ...fileformat import FILE_SUFFIX
from ..menus import add_action
from .conflicts_panel import ConflictsPanel
from .dashboard_panel import DashboardPanel
from .document import CentralDocument
from .heat_map import HeatMapPanel
from .search_panel import SearchPanel
from .import_results import ImportResults, result_summary
from .moderation_page import ModerationPage
from .units_model import COLUMNS, FILTERS, ROW_ROLE, Prepared, UnitsFilter, UnitsModel, prepare

IMPORT_FILTER = "Unit files (*.esat *.xlsx);;All files (*)"
FEEDBACK_FILTER = "ESAT feedback (*.esat)"
ALL = "All"
ROWS_AT_A_TIME = 100     # new rows added to the units table per turn of the event loop


class UnitsPanel(QWidget):
    """The units table with its filters and search box."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = UnitsModel(self)
        self.proxy = UnitsFilter(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search units")
        self.search.setAccessibleName("Search the units table")
        self.search.textChanged.connect(self.proxy.set_search)
        search_label = QLabel("Searc&h:", self)
        search_label.setBuddy(self.search)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 2)
        self.filters: dict[str, QComboBox] = {}
        for name, _ in FILTERS:
            combo = QComboBox(self)
            combo.setAccessibleName(f"Filter by {name.lower()}")
            combo.addItem(ALL)
            combo.currentTextChanged.connect(
                lambda text, n=name: self.proxy.set_filter(n, None if text == ALL else text))
            bar.addWidget(QLabel(f"{name}:", self))
            bar.addWidget(combo)
            self.filters[name] = combo
        layout.addLayout(bar)
        self.table = QTableView(self)
        self.table.setAccessibleName("Units: one row per current assessment")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(60)   # sizes from 60 rows
        self.table.verticalHeader().setDefaultSectionSize(22)
        layout.addWidget(self.table, 1)
        self._sized = False
        self._adding: Prepared | None = None           # rows still to add, a few per turn
        self._add_timer = QTimer(self)
        self._add_timer.setSingleShot(True)
        self._add_timer.setInterval(0)
        self._add_timer.timeout.connect(self._add_more)
        self.count = QLabel("", self)
        self.count.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.count.setAccessibleName("How many units are shown")
        layout.addWidget(self.count)
        self.proxy.layoutChanged.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)

    def set_rows(self, rows: list[dict] | Prepared) -> None:
        """Show these rows. The first time, by a model reset; after that in place (the
        selection stays): changed rows replaced, gone rows removed, and new rows added
        :data:`ROWS_AT_A_TIME` per turn of the event loop (each addition is sorted into
        place by the model and filtered by the proxy, then the table repaints)."""
        prepared = rows if isinstance(rows, Prepared) else prepare(rows)
        self._adding = None
        self._add_timer.stop()
        chosen = {}
        for name, value_of in FILTERS:
            combo = self.filters[name]
            wanted = combo.currentText()
            values = sorted({value_of(r) for r in prepared.rows})
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *values])
            combo.setCurrentText(wanted if wanted in values else ALL)
            combo.blockSignals(False)
            chosen[name] = None if combo.currentText() == ALL else combo.currentText()
        chosen = {k: v for k, v in chosen.items() if v}
        if not self.model.rows:
            self.proxy.chosen = chosen                                    # applied by the reset
            self.model.set_rows(prepared)
        else:
            if chosen != self.proxy.chosen:
                self.proxy.set_filters(chosen)
            self._adding = self.model.update_rows(prepared)
            self._add_more()
        rows = prepared.rows
        if not self._sized:                      # once: later the user's widths stay
            self._sized = bool(rows)
            self._size_columns()
        self._count()

    def _size_columns(self) -> None:
        """Each column as wide as its title and its texts in the first 60 rows (what
        resizeColumnsToContents measures, without a call into the model per cell and
        role), at most 280 pixels: long texts are in the tooltip."""
        cells, titles = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        texts = self.model.texts[:60]
        for column, spec in enumerate(COLUMNS):
            width = max([titles.horizontalAdvance(spec.title) + 28]      # sort arrow, margins
                        + [cells.horizontalAdvance(t[column]) + 14 for t in texts])
            self.table.setColumnWidth(column, min(width, 280))

    def _add_more(self) -> None:
        adding = self._adding
        if not adding or not adding.rows:
            self._adding = None
            return
        n = ROWS_AT_A_TIME
        self.model.append_rows(Prepared(adding.rows[:n], adding.texts[:n], adding.keys[:n]))
        self._adding = Prepared(adding.rows[n:], adding.texts[n:], adding.keys[n:])
        if self._adding.rows:
            self._add_timer.start()
        else:
            self._adding = None

    @property
    def adding(self) -> bool:
        """New rows are still being added to the table."""
        return self._adding is not None

    def _count(self, *_) -> None:
        self.count.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} assessments shown")

    def current_row(self) -> dict | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None


class CoordinatorWindow(QMainWindow):
    def __init__(self, *, path: Path, actor: str, catalog: Catalog, paths,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.paths = paths
        self.catalog = catalog
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.document = CentralDocument(path, actor=actor, on_error=self._task_error,
                                        verified=paths.verified_files() if paths else None,
                                        parent=self)
        self.document.changed.connect(self.reload)
        self.rows: list[dict] = []
        self.last_import: ImportResults | None = None
        self.last_feedback: list[Path] = []
        self.last_export: Path | None = None
        self.setAccessibleName("ESAT coordinator workspace")
        self.setWindowTitle(f"{self.document.path.name} — ESAT coordinator")
        self.setAcceptDrops(True)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Coordinator views")
        self.units = UnitsPanel(self.tabs)
        self.units.table.activated.connect(lambda _: self.moderate_current())
        self.moderation = ModerationPage(
            self.document, self.tabs, open_folder=paths.data_dir / "opened" if paths else None)
        self.tabs.addTab(self.units, "Units")
        self.tabs.addTab(self.moderation, "Moderate")
        self._add_more_tabs()
        self.setCentralWidget(self.tabs)
        self._build_menus()
        if self.document.read_only_reason:
            self.statusBar().showMessage(self.document.read_only_reason)
        self.resize(1280, 820)
        self.reload()

    def _add_more_tabs(self) -> None:
        """Conflicts, dashboard, heat map and search."""
        self.conflicts = ConflictsPanel(self.document, self.tabs)
        self.dashboard = DashboardPanel(self.document, self.tabs)
        self.heat_map = HeatMapPanel(self.document, self.tabs)
        self.search = SearchPanel(self.document, self.tabs)
        self.tabs.addTab(self.conflicts, "Conflicts")
        self.tabs.addTab(self.dashboard, "Dashboard")
        self.tabs.addTab(self.heat_map, "Heat Map")
        self.tabs.addTab(self.search, "Search")
        self.heat_map.open_unit.connect(self.open_assessment)
        self.search.open_unit.connect(self.open_assessment)
        self.conflicts.reload()      # the dashboard and heat map read when first shown

    # -- menus --------------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        return add_action(self, menu, text, slot, shortcut, tip)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action(
            file_menu, "&Import Unit Files…", self.choose_files, "Ctrl+I",
            "Merge units' submissions (.esat) or workbooks (.xlsx) into the central database")
        self._action(file_menu, "Import a &Folder…", self.choose_folder, "Ctrl+Shift+I",
                     "Merge every unit file in a folder")
        self._action(file_menu, "Export to E&xcel…", self.export_excel, "Ctrl+Shift+E",
                     "Write the central workbook: units by area, section scores, KPI, "
                     "units x indicators, agreement")
        file_menu.addSeparator()
        self._action(file_menu, "Write Feedback for the &Selected Unit…", self.feedback_for_one,
                     tip="The coordinators' ratings, comments and requests, for the unit to import")
        self._action(file_menu, "Write Feedback for &All Units…", self.feedback_for_all,
                     tip="One feedback file per unit, into a folder")
        self.file_menu = file_menu
        file_menu.addSeparator()
        self._action(file_menu, "&Close", self.close, ["Ctrl+W", "Ctrl+F4"])
        edit_menu = bar.addMenu("&Edit")
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.Undo)
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.view_menu = bar.addMenu("&View")
        for index in range(self.tabs.count()):
            text = self.tabs.tabText(index)
            self._action(self.view_menu, f"&{index + 1} {text}",
                         lambda _=False, i=index: self._show_tab(i), f"Ctrl+{index + 1}")
        self._action(self.view_menu, "&Moderate the Selected Unit", self.moderate_current,
                     "Ctrl+M", "Open the unit selected in the units table (also Enter there)")
        self.import_action.setEnabled(self.document.editable)

    def _show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus()

    # -- reading ------------------------------------------------------------------------

    def reload(self) -> None:
        reads = self.document.reads
        self.document.read(lambda store: prepare(reads.overview(store).rows), self._show_rows)

    def _show_rows(self, prepared: Prepared) -> None:
        rows = prepared.rows
        self.rows = rows
        self.units.set_rows(prepared)
        if self.moderation.row is not None:
            same = [r for r in rows if r["assessment_uuid"] == self.moderation.row["assessment_uuid"]]
            if same:
                self.moderation.row = same[0]

    def moderate_current(self) -> None:
        row = self.units.current_row()
        if row is not None:
            self.open_unit(row)

    def open_assessment(self, assessment_uuid: str, code: str = "") -> None:
        """Open a unit (by its assessment) on the moderation page, at an indicator."""
        for row in self.rows:
            if row["assessment_uuid"] == assessment_uuid:
                self.open_unit(row, code or None)
                return

    def open_unit(self, row: dict, code: str | None = None) -> None:
        self.moderation.load(row, code)
        self.tabs.setCurrentWidget(self.moderation)
        self.moderation.items.setFocus()

    # -- importing ----------------------------------------------------------------------

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import unit files",
                                                str(self.document.path.parent), IMPORT_FILTER)
        if names:
            self.import_paths([Path(n) for n in names])

    def choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Import every unit file in a folder",
                                                str(self.document.path.parent))
        if name:
            self.import_paths([Path(name)])

    def import_paths(self, paths: list[Path]) -> None:
        """Merge files and folders through the core, on the worker, cancellable between files."""
        if not self.document.editable:
            show_error(self, "Cannot import", self.document.read_only_reason)
            return
        catalog = self.catalog
        paths = [Path(p) for p in paths]

        def job(ctx):
            def progress(done: int, total: int, text: str) -> None:
                # the file's name, not its whole path: the dialog keeps about one size
                # (a longer label makes it lay itself out again)
                ctx.progress(done, total, f"Merging {Path(text).name}" if text else "")

            total = len(expand(paths))
            outcomes = merge_files(ctx.store, paths, catalog, progress=progress,
                                   cancelled=ctx.cancelled)
            return outcomes, total, result_summary(outcomes, total)

        def done(result) -> None:
            outcomes, total, summary = result
            self.document.changed.emit()
            # in a turn of its own: not inside the progress dialog's last update
            QTimer.singleShot(0, self, lambda: self.show_import_result(outcomes, total, summary))

        def failed(exc: BaseException) -> None:
            self.document.changed.emit()
            self.document.on_error(exc)         # (self._task_error, each refusal said once)

        self.document.tasks.run("Importing unit files…", job, parent=self, on_done=done,
                                on_error=failed)

    def show_import_result(self, outcomes, total: int, summary: str | None = None) -> None:
        if self.last_import is not None:
            self.last_import.close()
            self.last_import.deleteLater()
        self.last_import = ImportResults(outcomes, total, self, summary=summary)
        self.last_import.show()

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- the central workbook -----------------------------------------------------------

    def export_excel(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the central workbook",
            str(self.document.path.with_suffix(".xlsx")), "Excel workbook (*.xlsx)")
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")

        def job(ctx):
            from ...excel.central_export import export_central
            return export_central(ctx.store, target, progress=lambda d, t: ctx.progress(d, t),
                                  cancelled=ctx.cancelled)

        def done(path) -> None:
            self.last_export = path
            self.statusBar().showMessage(f"Wrote {path}")

        self.document.tasks.run("Writing the central workbook…", job, parent=self, on_done=done)

    # -- feedback -----------------------------------------------------------------------

    def _selected_code(self) -> str | None:
        if self.tabs.currentWidget() is self.moderation and self.moderation.row is not None:
            return self.moderation.row["unit_code"]
        row = self.units.current_row()
        return row["unit_code"] if row else None

    def feedback_for_one(self) -> None:
        code = self._selected_code()
        if code is None:
            show_error(self, "Write feedback", "Choose a unit in the units table first.")
            return
        name, _ = QFileDialog.getSaveFileName(
            self, f"Write the feedback for {code}",
            str(self.document.path.parent / f"{code}-feedback{FILE_SUFFIX}"), FEEDBACK_FILTER)
        if name:
            self.write_feedback([code], lambda c: Path(name))

    def feedback_for_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Write every unit's feedback into",
                                                  str(self.document.path.parent))
        if folder:
            codes = sorted({r["unit_code"] for r in self.rows})
            self.write_feedback(codes, lambda c: Path(folder) / f"{c}-feedback{FILE_SUFFIX}")

    def write_feedback(self, codes: list[str], target_of) -> None:
        targets = [(code, target_of(code)) for code in codes]
        clashes = [str(t) for _, t in targets if t.exists()]
        if clashes:
            show_error(self, "Feedback not written", "These files exist already; ESAT never "
                       "overwrites them:\n" + "\n".join(clashes))
            return

        def job(ctx):
            written = []
            for index, (code, target) in enumerate(targets):
                if ctx.cancelled():
                    break
                ctx.progress(index, len(targets), f"Feedback for {code}")
                written.append(write_feedback(ctx.store, code, target))
            return written

        def done(written) -> None:
            self.last_feedback = written
            self.statusBar().showMessage(
                f"Wrote {len(written)} feedback file{'s' if len(written) != 1 else ''}"
                + (f" into {written[0].parent}" if written else ""))

        self.document.tasks.run("Writing feedback…", job, parent=self, on_done=done)

    # -- errors and closing -------------------------------------------------------------

    def _task_error(self, exc: BaseException) -> None:
        if isinstance(exc, EsatError):
            show_error(self, "ESAT", problem(exc))
        else:
            report_exception(self.paths, exc)

    def closeEvent(self, event) -> None:
        self.document.close()
        super().closeEvent(event)
