"""Excel from the desktop app: export a workbook, import one (preview, then one undoable step)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from ..fileformat import FILE_SUFFIX
from ..store import submission_file_name
from .errorhook import report_exception
from .messages import show_error, show_info

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
        document.flush()
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
            document.flush()
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
                           f"{exc}\n\nOpen or create the unit's assessment first, then import "
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
        from ..excel import apply_plan
        window, document = self.window, self.window.document
        into = document.path
        message = f"{source.name}: {plan.describe()}.\n\nInto: {into}"
        if plan.problems:
            message += _problems_text(plan)
            button = "Import, skipping those rows"
        else:
            button = "Import"
        message += "\n\nThe workbook's ratings and narratives replace those of the indicators it lists."
        from .messages import confirm
        if not confirm(window, "Import from Excel", message, button):
            return
        actor = window.paths.user_name()

        def done(result) -> None:
            if window.document is document:
                document.undo_stack.clear()
                document.refresh()
            show_info(window, "Imported", f"{source.name} → {into.name}: {result.describe()}.")

        document.tasks.run("Importing the workbook…",
                           lambda ctx: apply_plan(plan, into, actor=actor, skip_bad_rows=True),
                           parent=window, on_done=done, cancellable=False)

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
