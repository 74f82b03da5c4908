"""Excel from the desktop app: export a workbook, import one (preview, then one undoable step)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QListWidgetItem, QWidget

from ..fileformat import FILE_SUFFIX
from ..store import submission_file_name
from .errorhook import report_exception
from .messages import plain_tooltip, problem, show_error, show_info

if TYPE_CHECKING:
    from .main_window import MainWindow


class ExcelFlows:
    """The File ▸ Export to Excel and File ▸ Import from Excel flows of one window."""

    def __init__(self, window: "MainWindow"):
        self.window = window

    def export_excel(self) -> None:
        window, document = self.window, self.window.document
        if document is None:
            return
        from ..excel import export_assessment
        document.settle()
        assessment = document.assessment
        folder = window.start_folder("folders/excel")
        suggested = folder / submission_file_name(assessment).replace(FILE_SUFFIX, ".xlsx")
        name, _ = QFileDialog.getSaveFileName(window, "Export to Excel", str(suggested),
                                              "Excel workbooks (*.xlsx)")
        if not name:
            return
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        window.settings.set_value("folders/excel", str(target.parent))
        uuid = assessment.uuid
        document.tasks.run(
            "Exporting to Excel…",
            lambda ctx: export_assessment(ctx.store, uuid, target, progress=ctx.progress,
                                          cancelled=ctx.cancelled),
            parent=window,
            on_done=lambda path: show_info(window, "Exported", f"The workbook is ready:\n{path}"))

    def import_excel(self) -> None:
        from ..excel import MissingDetailsError, read_workbook
        window = self.window
        name, _ = QFileDialog.getOpenFileName(window, "Import from Excel",
                                              str(window.start_folder("folders/excel")),
                                              "Excel workbooks (*.xlsx);;All files (*)")
        if not name:
            return
        source = Path(name)
        window.settings.set_value("folders/excel", str(source.parent))
        document = window.document
        if document is not None:
            if not document.editable:
                show_error(window, "Not imported", document.locked_reason() or
                           f"{document.path.name} is read-only; nothing was imported.")
                return
            document.settle()
            a = document.assessment
            defaults = {"framework": a.framework_key, "phase": a.stage, "unit_code": a.unit.code,
                        "unit_name": a.unit.name, "unit_type": a.unit.unit_type,
                        "area": a.unit.area, "period": a.period}
        else:
            defaults = {}
        catalog = window.catalog

        def read(ctx):
            return read_workbook(source, catalog, defaults=defaults)

        def error(exc: BaseException) -> None:
            if isinstance(exc, MissingDetailsError):
                show_error(window, "Not imported",
                           f"{problem(exc)}\n\nOpen or create the unit's assessment first, then import "
                           "the workbook into it.")
            else:
                report_exception(window.paths, exc)

        def next_step(plan) -> None:
            if window.document is not None and window.document is document:
                self._preview_into_open(plan, source)
            else:
                self._import_into_new(plan, source)

        window.runner().run("Reading the workbook…", read, parent=window, on_done=next_step,
                            on_error=error, cancellable=False)

    # -- into the open file: preview every change, then one undoable step -------------

    def _preview_into_open(self, plan, source: Path) -> None:
        from ..excel import preview_plan
        window, document = self.window, self.window.document

        def both(ctx):                   # each way of treating blank cells, rolled back
            return (preview_plan(ctx.store, plan, blank_clears=False),
                    preview_plan(ctx.store, plan, blank_clears=True))

        def show(previews) -> None:
            if window.document is not document or not document.editable:
                return
            dialog = ImportPreviewDialog(window, source=source, into=document.path, plan=plan,
                                         previews=previews)
            if dialog.exec() != ImportPreviewDialog.Accepted:
                return
            self._import_as_one_step(plan, source, dialog.blank_clears())

        document.flush()
        document.tasks.run("Working out what the import changes…", both, parent=window,
                           on_done=show, cancellable=False)

    def _import_as_one_step(self, plan, source: Path, blank_clears: bool) -> None:
        """The import as one undoable step: undo puts back every field it changed."""
        from ..excel import apply_to_store, undo_import
        from .commands import StoreCommand
        window, document = self.window, self.window.document
        into = document.path
        told = []

        def do(store, state: dict):
            state["result"] = apply_to_store(store, plan, skip_bad_rows=True,
                                             blank_clears=blank_clears)
            return state["result"]

        def undo(store, state: dict) -> None:
            undo_import(store, state["result"])

        def done(result) -> None:
            if result is not None and not told:
                told.append(True)
                show_info(window, "Imported", f"{source.name} → {into.name}: {result.describe()}."
                                              "\n\nEdit ▸ Undo takes the whole import back.")

        document.undo_stack.push(StoreCommand(document, f"Import {source.name}", None, do, undo,
                                              on_done=done))

    # -- with no file open: a new file -------------------------------------------------

    def _import_into_new(self, plan, source: Path) -> None:
        from ..excel import apply_plan
        window = self.window
        folder = source.parent
        suggested = folder / f"{plan.unit.code} {plan.unit.name} {plan.framework.abbreviation}{FILE_SUFFIX}"
        chosen, _ = QFileDialog.getSaveFileName(window, "Save the imported assessment as",
                                                str(suggested), window.FILE_FILTER)
        if not chosen:
            return
        into = Path(chosen) if chosen.endswith(FILE_SUFFIX) else Path(chosen + FILE_SUFFIX)
        message = f"{source.name}: {plan.describe()}.\n\nInto: {into}"
        if plan.problems:
            message += _problems_text(plan)
            button = "Import, skipping those rows"
        else:
            button = "Import"
        if into.exists():
            show_error(window, "Not imported", f"{into}: already exists. Open it first, then "
                                               "import the workbook into it.")
            return
        from .messages import confirm
        if not confirm(window, "Import from Excel", message, button):
            return
        actor = window.paths.user_name()

        def done(result) -> None:
            window.open_file(into)
            show_info(window, "Imported", f"{source.name} → {into.name}: {result.describe()}.")

        window.runner().run("Importing the workbook…",
                            lambda ctx: apply_plan(plan, into, actor=actor, skip_bad_rows=True),
                            parent=window, on_done=done, cancellable=False)


def _problems_text(plan) -> str:
    shown = "\n".join(f"  {p}" for p in plan.problems[:15])
    more = f"\n  … and {len(plan.problems) - 15} more" if len(plan.problems) > 15 else ""
    return (f"\n\n{len(plan.problems)} row problem(s); these rows cannot be used:\n"
            f"{shown}{more}\n\nImport the other rows and skip these?")


class ImportPreviewDialog(QDialog):
    """Every change an import makes, old → new, and whether blank cells clear."""

    def __init__(self, parent: QWidget | None, *, source: Path, into: Path, plan, previews):
        from .forms.ui_import_preview_dialog import Ui_ImportPreviewDialog
        super().__init__(parent)
        self.ui = Ui_ImportPreviewDialog()
        self.ui.setupUi(self)
        self.previews = previews            # (blank cells kept, blank cells clear)
        self.ui.sourceLabel.setText(f"The workbook {source.name} fills in {plan.describe()}.\n"
                                    f"Into: {into}")
        self.ui.problemsLabel.setText(_problems_text(plan).strip() if plan.problems else "")
        self.ui.problemsLabel.setVisible(bool(plan.problems))
        ok = self.ui.buttonBox.button(QDialogButtonBox.Ok)
        ok.setText("&Import, skipping those rows" if plan.problems else "&Import")
        self.ui.blankClearsCheck.toggled.connect(lambda _: self._show())
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self._show()

    def blank_clears(self) -> bool:
        return self.ui.blankClearsCheck.isChecked()

    def preview(self):
        return self.previews[1 if self.blank_clears() else 0]

    def _show(self) -> None:
        preview = self.preview()
        self.ui.countsLabel.setText(f"This import will make: {preview.counts()}.")
        self.ui.changesList.clear()
        for change in preview.changes:
            row = QListWidgetItem(str(change))
            row.setToolTip(plain_tooltip(str(change)))      # a cell's text, never HTML
            self.ui.changesList.addItem(row)
        if not preview.changes:
            self.ui.changesList.addItem("Nothing: the file already holds everything in the workbook.")
