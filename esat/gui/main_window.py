"""The main window: menus, the start screen, and the open assessment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QStackedWidget, QWidget

from .. import __version__
from ..appdirs import AppPaths
from ..catalog import Catalog
from ..errors import EsatError
from ..fileformat import FILE_SUFFIX, needs_upgrade
from ..store import Store, submission_file_name
from .assessment_view import AssessmentView
from .errorhook import report_exception
from .filelock import FileLock
from .messages import confirm, show_error, show_info
from .settings import Settings
from .tasks import Tasks

if TYPE_CHECKING:
    from .start_page import StartPage

FILE_FILTER = f"ESAT assessments (*{FILE_SUFFIX});;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, *, paths: AppPaths, catalog: Catalog, settings: Settings,
                 start_page: bool = True, parent: QWidget | None = None):
        """``start_page=False`` when a file is about to be opened: the start page is
        then built only if it is needed (opening fails, or the file is closed)."""
        super().__init__(parent)
        self.paths = paths
        self.catalog = catalog
        self.settings = settings
        self.path: Path | None = None
        self.view: AssessmentView | None = None
        self.tasks: Tasks | None = None
        self.reader: Store | None = None
        self.lock: FileLock | None = None
        self.read_only_reason = ""
        self._spare_tasks: Tasks | None = None
        self.undo_stack = QUndoStack(self)
        self.setAccessibleName("ESAT main window")
        self.setAcceptDrops(True)
        self.resize(1280, 820)

        self.stack = QStackedWidget(self)
        self.start: StartPage | None = None
        self.setCentralWidget(self.stack)
        self.saved_label = QLabel(self)
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)

        self._build_menus()
        self.undo_stack.cleanChanged.connect(lambda _: self._update_title())
        self._enable_file_actions(False)
        self._update_title()
        if start_page:
            self.show_start()

    # -- menus ----------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, *, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New Assessment…", self.new_assessment, QKeySequence.New)
        self._action(file_menu, "&Open…", self.choose_file, QKeySequence.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action(file_menu, "Open the &Demo", self.open_demo)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export for Submission…", self.export_submission,
                                          "Ctrl+E", tip="Write a clean copy of the assessment to send in")
        self.excel_export_action = self._action(
            file_menu, "Export to E&xcel…", self.export_excel, "Ctrl+Shift+E",
            tip="Write the assessment as an Excel workbook")
        self._action(file_menu, "&Import from Excel…", self.import_excel, "Ctrl+I",
                     tip="Bring a filled ESAT workbook or a legacy return into an assessment")
        file_menu.addSeparator()
        self.close_action = self._action(file_menu, "&Close", self.close_file, QKeySequence.Close)
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self.find_action = self._action(edit_menu, "&Find Indicator…", self._find, QKeySequence.Find)

        go_menu = bar.addMenu("&Go")
        self.next_action = self._action(go_menu, "&Next Indicator", lambda: self._step(1),
                                        ["Ctrl+PgDown", "Alt+Down"])
        self.previous_action = self._action(go_menu, "&Previous Indicator", lambda: self._step(-1),
                                            ["Ctrl+PgUp", "Alt+Up"])
        self.missing_action = self._action(go_menu, "Next &Missing Rating", self._next_missing, "Ctrl+M")
        go_menu.addSeparator()
        self.tree_action = self._action(go_menu, "Indicator &List", self._focus_tree, "F6")
        self.page_action = self._action(go_menu, "Indicator P&age", self._focus_page, "F7")

        assessment_menu = bar.addMenu("&Assessment")
        self.details_action = self._action(assessment_menu, "&Details…", self.edit_details,
                                           tip="People responsible and document control")
        assessment_menu.addSeparator()
        self.signoff_action = self._action(assessment_menu, "&Sign Off…", self.sign_off)
        self.reopen_action = self._action(assessment_menu, "&Reopen for Changes…", self.reopen)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Open &Log Folder", self._open_logs)
        self._action(help_menu, "&About ESAT", self._about)
        self.file_actions = [self.export_action, self.excel_export_action, self.close_action, self.find_action,
                             self.next_action, self.previous_action, self.missing_action,
                             self.tree_action, self.page_action, self.details_action,
                             self.signoff_action,
                             self.reopen_action]

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_files() if p.exists()]
        for index, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{index} {path.name}")
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # -- opening and closing ----------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.settings.value("folders/open", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Open assessment", start, FILE_FILTER)
        if name:
            self.settings.set_value("folders/open", str(Path(name).parent))
            self.open_file(Path(name))

    def open_demo(self) -> None:
        try:
            path = self.paths.demo_file(self.catalog)
        except EsatError as exc:
            show_error(self, "Cannot open the demo", str(exc))
            return
        self.open_file(path)

    def open_file(self, path: Path) -> bool:
        path = Path(path).absolute()
        if self.path == path and self.view is not None:
            return True
        self._release_file()
        lock = FileLock(path)
        read_only_reason = ""
        if path.exists() and not os.access(path, os.W_OK):
            read_only_reason = f"{path.name} is read-only on disk; you can read it but not change it."
            lock = None
        elif not lock.acquire():
            read_only_reason = (f"{path.name} is already open in ESAT ({lock.holder()}). It has been "
                                "opened read-only here; close it there to make changes.")
            lock = None
        actor = self.paths.user_name()
        migrated_note = ""
        try:
            if not read_only_reason and needs_upgrade(path):
                with Store.open(path, actor=actor) as probe:     # upgrades it, keeping a backup
                    if probe.backup_path is not None:
                        migrated_note = (f"{path.name} was upgraded to this version's file format. "
                                         f"A copy of the original was kept as {probe.backup_path.name}.")
                    probe.only_assessment()
            reader = Store.open(path, actor=actor, read_only=True)
            try:
                reader.only_assessment()
            except EsatError:
                reader.close()
                raise
        except BaseException as exc:     # nothing is open now: say so, and show the start page
            if lock is not None:
                lock.release()
            self.show_start()
            if not isinstance(exc, EsatError):
                raise                    # a bug or a disk error: the error hook reports it
            show_error(self, "Cannot open the file", str(exc))
            return False
        self.path, self.reader, self.lock = path, reader, lock
        self.read_only_reason = read_only_reason
        read_only = bool(read_only_reason)
        self.tasks = Tasks(lambda: Store.open(path, actor=actor, read_only=read_only),
                           self._task_error, self)
        self.tasks.busy_changed.connect(lambda _: self._update_title())
        self.view = AssessmentView(path=path, reader=reader, tasks=self.tasks,
                                   undo_stack=self.undo_stack, read_only_reason=read_only_reason,
                                   open_folder=self.paths.data_dir / "opened", parent=self)
        self.view.changed.connect(self._update_title)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.settings.add_recent(path)
        self._enable_file_actions(True)
        self._update_title()
        self.view.tree.setFocus()
        if read_only_reason:
            self.statusBar().showMessage(read_only_reason)
        if migrated_note:
            show_info(self, "File upgraded", migrated_note)
        if reader.recovered:
            from ..fileformat import RECOVERED_NOTE
            show_info(self, "Interrupted save undone", f"{path.name}: {RECOVERED_NOTE}.")
        return True

    def close_file(self) -> None:
        self._release_file()
        self.show_start()

    def _release_file(self) -> None:
        """Finish the open file's writes, then let go of it, its lock and its undo history."""
        if self.view is not None:
            self.view.flush()
        if self.tasks is not None:
            self.tasks.shutdown()
            self.tasks.deleteLater()
            self.tasks = None
        if self.view is not None:
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.path = None
        self.read_only_reason = ""
        self.undo_stack.clear()
        self._enable_file_actions(False)
        self._update_title()

    def show_start(self) -> None:
        if self.start is None:
            from .start_page import StartPage
            self.start = StartPage(self)
            self.start.ui.newButton.clicked.connect(self.new_assessment)
            self.start.ui.openButton.clicked.connect(self.choose_file)
            self.start.ui.demoButton.clicked.connect(self.open_demo)
            self.start.open_path.connect(self.open_file)
            self.stack.addWidget(self.start)
        self.start.show_recent(self.settings.recent_files())
        self.stack.setCurrentWidget(self.start)

    def _enable_file_actions(self, enabled: bool) -> None:
        for action in self.file_actions:
            action.setEnabled(enabled)

    def closeEvent(self, event) -> None:
        self._release_file()
        if self._spare_tasks is not None:
            self._spare_tasks.shutdown()
            self._spare_tasks = None
        super().closeEvent(event)

    # -- creating ------------------------------------------------------------------

    def new_assessment(self) -> None:
        from .new_wizard import NewAssessmentWizard
        wizard = NewAssessmentWizard(self.catalog, self)
        if wizard.exec() != NewAssessmentWizard.Accepted:
            return
        values = wizard.values()
        framework = values.pop("framework")
        stage = values.pop("stage")
        folder = Path(str(self.settings.value("folders/open", str(Path.home()))))
        suggested = folder / f"{values['unit_code']} {values['unit_name']} {framework.abbreviation}{FILE_SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(self, "Save the new assessment as", str(suggested), FILE_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        if path.exists():
            show_error(self, "Not created", f"{path}: already exists. ESAT never overwrites an "
                                            "assessment; choose another name.")
            return
        try:
            with Store.create(path, actor=self.paths.user_name()) as store:
                store.create_assessment(framework, stage=stage, **values)
        except EsatError as exc:
            path.unlink(missing_ok=True)
            show_error(self, "Not created", str(exc))
            return
        self.settings.set_value("folders/open", str(path.parent))
        self.open_file(path)

    # -- sending in, signing off --------------------------------------------------

    def export_submission(self) -> None:
        if self.view is None or self.reader is None:
            return
        self.view.flush()
        assessment = self.view.assessment
        if not assessment.signed_off and not confirm(
                self, "Export for submission",
                f"Revision {assessment.revision} is not signed off yet. Export it anyway?", "Export"):
            return
        start = str(self.settings.value("folders/export", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self, "Choose the folder for the submission copy", start)
        if not folder:
            return
        self.settings.set_value("folders/export", folder)
        uuid, target = assessment.uuid, Path(folder)
        name = submission_file_name(assessment)
        if (target / name).exists() and not confirm(
                self, "Replace the earlier copy?",
                f"{name} already exists in {target}. Replace it with a new copy?", "Replace"):
            return

        def done(path: Path) -> None:
            self.view.refresh()
            show_info(self, "Exported", f"The copy for submission is ready:\n{path}\n\n"
                                        "Send this file to your coordinator.")

        self.tasks.run("Writing the copy for submission…",
                       lambda ctx: ctx.store.export_submission(uuid, target), parent=self,
                       on_done=done)

    # -- Excel ------------------------------------------------------------------------

    def export_excel(self) -> None:
        if self.view is None:
            return
        from ..excel import export_assessment
        self.view.flush()
        assessment = self.view.assessment
        folder = Path(str(self.settings.value("folders/excel", str(Path.home()))))
        suggested = folder / submission_file_name(assessment).replace(FILE_SUFFIX, ".xlsx")
        name, _ = QFileDialog.getSaveFileName(self, "Export to Excel", str(suggested),
                                              "Excel workbooks (*.xlsx)")
        if not name:
            return
        target = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        self.settings.set_value("folders/excel", str(target.parent))
        uuid = assessment.uuid
        self.tasks.run(
            "Exporting to Excel…",
            lambda ctx: export_assessment(ctx.store, uuid, target, progress=ctx.progress,
                                          cancelled=ctx.cancelled),
            parent=self,
            on_done=lambda path: show_info(self, "Exported", f"The workbook is ready:\n{path}"))

    def import_excel(self) -> None:
        from ..excel import MissingDetailsError, apply_plan, read_workbook
        start = str(self.settings.value("folders/excel", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Import from Excel", start,
                                              "Excel workbooks (*.xlsx);;All files (*)")
        if not name:
            return
        source = Path(name)
        self.settings.set_value("folders/excel", str(source.parent))
        if self.view is not None:
            if not self.view.editable:
                show_error(self, "Not imported", self.view.locked_reason() or
                           f"{self.path.name} is read-only; nothing was imported.")
                return
            self.view.flush()
            a = self.view.assessment
            defaults = {"framework": a.framework_key, "phase": a.stage, "unit_code": a.unit.code,
                        "unit_name": a.unit.name, "unit_type": a.unit.unit_type,
                        "area": a.unit.area, "period": a.period}
        else:
            defaults = {}
        catalog, target = self.catalog, self.path

        def read(ctx):
            return read_workbook(source, catalog, defaults=defaults)

        def error(exc: BaseException) -> None:
            if isinstance(exc, MissingDetailsError):
                show_error(self, "Not imported",
                           f"{exc}\n\nOpen or create the unit's assessment first, then import "
                           "the workbook into it.")
            else:
                report_exception(self.paths, exc)

        def preview(plan) -> None:
            into = target
            if into is None:
                folder = source.parent
                suggested = folder / f"{plan.unit.code} {plan.unit.name} {plan.framework.abbreviation}{FILE_SUFFIX}"
                chosen, _ = QFileDialog.getSaveFileName(self, "Save the imported assessment as",
                                                        str(suggested), FILE_FILTER)
                if not chosen:
                    return
                into = Path(chosen) if chosen.endswith(FILE_SUFFIX) else Path(chosen + FILE_SUFFIX)
            message = f"{source.name}: {plan.describe()}.\n\nInto: {into}"
            if plan.problems:
                shown = "\n".join(f"  {p}" for p in plan.problems[:15])
                more = f"\n  … and {len(plan.problems) - 15} more" if len(plan.problems) > 15 else ""
                message += (f"\n\n{len(plan.problems)} row problem(s); these rows cannot be used:\n"
                            f"{shown}{more}\n\nImport the other rows and skip these?")
                button = "Import, skipping those rows"
            else:
                button = "Import"
            if into.exists():
                message += "\n\nThe workbook's ratings and narratives replace those of the indicators it lists."
            if not confirm(self, "Import from Excel", message, button):
                return
            actor = self.paths.user_name()
            runner = self._runner()

            def done(result) -> None:
                if self.view is not None and self.path == into:
                    self.undo_stack.clear()
                    self.view.refresh()
                else:
                    self.open_file(into)
                show_info(self, "Imported", f"{source.name} → {into.name}: {result.describe()}.")

            runner.run("Importing the workbook…",
                       lambda ctx: apply_plan(plan, into, actor=actor, skip_bad_rows=True),
                       parent=self, on_done=done, cancellable=False)

        runner = self._runner()
        runner.run("Reading the workbook…", read, parent=self, on_done=preview, on_error=error,
                   cancellable=False)

    def _runner(self) -> Tasks:
        """The open file's task queue, or one for work that needs no open file."""
        if self.tasks is not None:
            return self.tasks
        if self._spare_tasks is None:
            self._spare_tasks = Tasks(None, self._task_error, self)
        return self._spare_tasks

    def edit_details(self) -> None:
        if self.view is None:
            return
        self.view.flush()
        assessment = self.view.assessment
        from .dialogs import DetailsDialog
        dialog = DetailsDialog(self, assessment)
        if not self.view.editable:
            dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok).setEnabled(False)
        if dialog.exec() != DetailsDialog.Accepted or not self.view.editable:
            return
        new = dialog.values()
        old = {field: getattr(assessment, field) for field in new}
        if new == old:
            return
        uuid = assessment.uuid
        self.view.push_command("Change assessment details", None,
                               lambda s, st: s.set_details(uuid, **new),
                               lambda s, st: s.set_details(uuid, **old))

    def sign_off(self) -> None:
        if self.view is None or not self.view.editable:
            return
        self.view.flush()
        assessment = self.view.assessment
        from .dialogs import SignOffDialog
        dialog = SignOffDialog(self, name=str(self.settings.value("signoff/name", "")),
                               role=str(self.settings.value("signoff/role", "")))
        if dialog.exec() != SignOffDialog.Accepted:
            return
        values = dialog.values()
        self.settings.set_value("signoff/name", values["name"])
        self.settings.set_value("signoff/role", values["role"])
        uuid = assessment.uuid

        def done(_):
            self.undo_stack.clear()
            self.statusBar().showMessage(f"Revision {assessment.revision} signed off; it is now read-only.", 10000)

        self.view.write(lambda s: s.sign_off(uuid, **values), on_done=done)

    def reopen(self) -> None:
        if self.view is None or self.read_only_reason or not self.view.assessment.signed_off:
            return
        assessment = self.view.assessment
        if not confirm(self, "Reopen for changes",
                       f"Revision {assessment.revision} stays on record as signed off. Reopening "
                       f"starts revision {assessment.revision + 1}, which will need signing off again.",
                       "Reopen"):
            return
        uuid = assessment.uuid

        def done(revision):
            self.undo_stack.clear()
            show_info(self, "Reopened", f"Revision {revision} started. You can now make changes.")

        self.view.write(lambda s: s.reopen(uuid), on_done=done)

    # -- navigation -----------------------------------------------------------------

    def _step(self, direction: int) -> None:
        if self.view is not None:
            self.view.step(direction)

    def _next_missing(self) -> None:
        if self.view is not None:
            self.view.next_missing()

    def _find(self) -> None:
        if self.view is not None:
            self.view.focus_find()

    def _focus_tree(self) -> None:
        if self.view is not None:
            self.view.tree.setFocus(Qt.ShortcutFocusReason)

    def _focus_page(self) -> None:
        if self.view is not None:
            self.view.page.focus_first_field()

    # -- title, errors, help ------------------------------------------------------

    def _update_title(self) -> None:
        if self.view is None or self.path is None:
            self.setWindowTitle("ESAT — Equality Self-Assessment Tool")
            self.saved_label.setText("")
            return
        a, f = self.view.assessment, self.view.framework
        stage = f.stage(a.stage).title if a.stage else f"all {f.label('stages').lower()}"
        if self.read_only_reason:
            state = "Read-only"
        elif not self.tasks.idle:
            state = "Saving…"
        else:
            state = "All changes saved"
        signed = ", signed off" if a.signed_off else ""
        self.setWindowTitle(f"{a.unit.code} {a.unit.name} — {f.abbreviation} {f.version} {stage} "
                            f"(revision {a.revision}{signed}) — {self.path.name} — {state}")
        self.saved_label.setText(state)
        self.signoff_action.setEnabled(self.view.editable)
        self.details_action.setText("&Details…" if self.view.editable else "&Details (read-only)…")
        self.reopen_action.setEnabled(not self.read_only_reason and a.signed_off)

    def _task_error(self, exc: BaseException) -> None:
        if self.view is not None:
            self.view.refresh()
        report_exception(self.paths, exc)

    def _open_logs(self) -> None:
        self.paths.log_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.log_dir)))

    def _about(self) -> None:
        show_info(self, "About ESAT",
                  f"ESAT {__version__}: the Equality Self-Assessment Tool.\n\n"
                  f"Settings: {self.settings.path}\nLogs: {self.paths.log_dir}")

    # -- dropping files on the window -------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() and url.toLocalFile().lower().endswith(FILE_SUFFIX)
               for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(FILE_SUFFIX):
                event.acceptProposedAction()
                self.open_file(Path(url.toLocalFile()))
                return
