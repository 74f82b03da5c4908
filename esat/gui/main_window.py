"""The main window: menus, the start screen, and the open assessment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QLineEdit, QMainWindow, QMenu, QPlainTextEdit,
                               QStackedWidget, QWidget)

from .. import __version__
from ..appdirs import AppPaths
from ..catalog import Catalog
from ..errors import EsatError
from ..fileformat import FILE_SUFFIX
from ..store import Store, submission_file_name
from .assessment_view import AssessmentView
from .commands import captured
from .document import Document
from .errorhook import report_exception
from .excel_flows import ExcelFlows
from .messages import confirm, problem, show_error, show_info
from .report_actions import install_report_actions
from .settings import Settings
from .shortcuts import pass_shortcuts
from .tasks import Tasks
from .menus import add_action

if TYPE_CHECKING:
    from .start_page import StartPage

FILE_FILTER = f"ESAT assessments (*{FILE_SUFFIX});;All files (*)"


class MainWindow(QMainWindow):
    FILE_FILTER = FILE_FILTER

    def __init__(self, *, paths: AppPaths, catalog: Catalog, settings: Settings,
                 start_page: bool = True, parent: QWidget | None = None):
        """``start_page=False`` when a file is about to be opened: the start page is
        then built only if it is needed (opening fails, or the file is closed)."""
        super().__init__(parent)
        self.paths = paths
        self.catalog = catalog
        self.settings = settings
        self.document: Document | None = None
        self.coordinators: list = []          # open coordinator workspaces (central databases)
        self.view: AssessmentView | None = None
        self._spare_tasks: Tasks | None = None
        self._meanings = None
        self.guide = None
        self.undo_group = QUndoGroup(self)
        self.excel = ExcelFlows(self)
        self.setAccessibleName("ESAT main window")
        self.setAcceptDrops(True)
        self._fit_to_screen()

        self.stack = QStackedWidget(self)
        self.start: StartPage | None = None
        self.setCentralWidget(self.stack)
        self.saved_label = QLabel(self)
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)

        self._build_menus()
        self._enable_file_actions(False)
        self._update_title()
        if start_page:
            self.show_start()

    # -- what is open (the document owns it) ------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.document.path if self.document is not None else None

    @property
    def tasks(self) -> Tasks | None:
        return self.document.tasks if self.document is not None else None

    @property
    def reader(self) -> Store | None:
        return self.document.reader if self.document is not None else None

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self.document.undo_stack if self.document is not None else None

    @property
    def read_only_reason(self) -> str:
        return self.document.read_only_reason if self.document is not None else ""

    def start_folder(self, key: str) -> Path:
        """Where a file dialog starts: the folder last used for it, else the assessment's."""
        last = self.settings.value(key, "")
        if last and Path(str(last)).is_dir():
            return Path(str(last))
        if self.document is not None:
            return self.document.path.parent
        opened = self.settings.value("folders/open", "")
        if opened and Path(str(opened)).is_dir():
            return Path(str(opened))
        return Path.home()

    def _fit_to_screen(self) -> None:
        """The size and place it had last time, if that still fits; else 1280×820 or less."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is None or screen.intersects(self.frameGeometry()):
                if screen is not None:
                    self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
                return
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1280, 820
        if screen is not None:
            width = min(width, screen.width() - 40)
            height = min(height, screen.height() - 60)
            self.resize(width, height)
            self.move(screen.x() + (screen.width() - width) // 2,
                      screen.y() + (screen.height() - height) // 2)
        else:
            self.resize(width, height)

    def _remember_geometry(self) -> None:
        self.settings.set_value("window/geometry", self.saveGeometry())
        if self.view is not None:
            self.settings.set_value("window/splitter", self.view.splitter.saveState())

    # -- menus ----------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, *, tip: str = "") -> QAction:
        return add_action(self, menu, text, slot, shortcut, tip)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New Assessment…", self.new_assessment, QKeySequence.New)
        self._action(file_menu, "New Centra&l Database…", self.new_central,
                     tip="Start a coordinators' central database to import units' files into")
        self._action(file_menu, "&Open…", self.choose_file, QKeySequence.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action(file_menu, "Open the &Demo", self.open_demo)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export for Submission…", self.export_submission,
                                          "Ctrl+E", tip="Write a clean copy of the assessment to send in")
        self.excel_export_action = self._action(
            file_menu, "Export to E&xcel…", self.excel.export_excel, "Ctrl+Shift+E",
            tip="Write the assessment as an Excel workbook")
        self._action(file_menu, "&Import from Excel…", self.excel.import_excel, "Ctrl+I",
                     tip="Bring a filled ESAT workbook or a legacy return into an assessment")
        self.feedback_action = self._action(
            file_menu, "Import Coordinators' &Feedback…", lambda: self.import_feedback(),
            tip="Show the assessor's ratings, comments and requests sent back by the coordinators")
        file_menu.addSeparator()
        self.close_action = self._action(file_menu, "&Close", self.close_file, ["Ctrl+W", "Ctrl+F4"])
        self._action(file_menu, "&Quit", self.close, "Ctrl+Q")

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
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

        assessment_menu = bar.addMenu("A&ssessment")
        self.details_action = self._action(assessment_menu, "&Details…", self.edit_details,
                                           tip="People responsible and document control")
        assessment_menu.addSeparator()
        self.signoff_action = self._action(assessment_menu, "&Sign Off…", self.sign_off)
        self.reopen_action = self._action(assessment_menu, "&Reopen for Changes…", self.reopen)

        help_menu = bar.addMenu("&Help")
        self.guide_action = self._action(help_menu, "&User Guide", self.show_guide,
                                         QKeySequence.HelpContents,
                                         tip="How to do a unit's assessment; works offline")
        self._action(help_menu, "Open &Log Folder", self._open_logs)
        self._action(help_menu, "&About ESAT", self._about)
        self.file_actions = [self.export_action, self.excel_export_action, self.close_action,
                             self.feedback_action, self.find_action,
                             self.next_action, self.previous_action, self.missing_action,
                             self.tree_action, self.page_action, self.details_action,
                             self.signoff_action,
                             self.reopen_action]
        self.file_actions += install_report_actions(self, file_menu, before=self.close_action)

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
        start = str(self.start_folder("folders/open"))
        name, _ = QFileDialog.getOpenFileName(self, "Open assessment", start, FILE_FILTER)
        if name:
            self.settings.set_value("folders/open", str(Path(name).parent))
            self.open_file(Path(name))

    def open_demo(self) -> None:
        try:
            path = self.paths.demo_file(self.catalog)
        except EsatError as exc:
            show_error(self, "Cannot open the demo", problem(exc))
            return
        self.open_file(path)

    def open_file(self, path: Path) -> bool:
        """Open a unit's file here, or a central database in a coordinator workspace."""
        path = Path(path).absolute()
        if self.path == path and self.view is not None:
            return True
        role = self._role_of(path)
        if role == "central":
            return self.open_central(path)
        if role == "feedback":
            show_error(self, "Cannot open the file",
                       f"{path}: is a feedback file from the coordinators, not an assessment. "
                       "Open your unit's file, then choose File ▸ Import Coordinators' "
                       "Feedback.")
            return False
        self._release_file()
        try:
            document, note = Document.open(path, actor=self.paths.user_name(),
                                           verified=self.paths.verified_files(),
                                           on_error=self._task_error, parent=self)
        except BaseException as exc:     # nothing is open now: say so, and show the start page
            self.show_start()
            if not isinstance(exc, EsatError):
                raise                    # a bug or a disk error: the error hook reports it
            show_error(self, "Cannot open the file", problem(exc))
            return False
        self.document = document
        document.state_changed.connect(self._update_title)
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.view = AssessmentView(document=document, open_folder=self.paths.data_dir / "opened",
                                   meanings=self.meanings().for_scale(document.framework),
                                   parent=self)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.view.splitter.restoreState(splitter)
        self.view.changed.connect(self._update_title)
        self._let_shortcuts_through(self.view)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.settings.add_recent(path)
        self._enable_file_actions(True)
        self.statusBar().clearMessage()
        self._update_title()
        self.view.tree.setFocus()
        if document.read_only_reason:
            self.statusBar().showMessage(document.read_only_reason)
        if note:
            show_info(self, "File upgraded", note)
        if document.reader.recovered:
            from ..fileformat import RECOVERED_NOTE
            show_info(self, "Interrupted save undone", f"{path.name}: {RECOVERED_NOTE}.")
        return True

    def import_feedback(self, path: Path | None = None) -> None:
        """Take a feedback file into the open unit's file (the coordinators' records only)."""
        if self.document is None:
            return
        if self.read_only_reason:
            show_error(self, "Cannot import feedback", self.read_only_reason)
            return
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Import the coordinators' feedback",
                                                  str(self.start_folder("folders/open")),
                                                  FILE_FILTER)
            if not name:
                return
            path = Path(name)
        from ..feedback import import_feedback
        self.document.flush()

        def done(result) -> None:
            several = len(result.assessment_uuids)
            show_info(self, "Feedback imported",
                      f"Took the coordinators' feedback from {path.name}"
                      f"{f' on {several} assessments' if several > 1 else ''}: {result.records} "
                      f"record{'s' if result.records != 1 else ''}; further evidence asked for "
                      f"on {result.further_evidence} indicator"
                      f"{'s' if result.further_evidence != 1 else ''}. The assessor's ratings "
                      "and comments are shown on each indicator; they cannot be edited here.")

        def failed(exc: BaseException) -> None:
            message = self.document.not_saved_message(exc) if self.document else None
            if message is None:
                self._task_error(exc)
            else:
                show_error(self, "Feedback not imported", message)

        self.document.write(lambda store: import_feedback(path, store), on_done=done,
                            on_error=failed)

    def _role_of(self, path: Path) -> str | None:
        """The file's role, or None when it cannot be read (opening it as a unit's file
        then says why, and lets go of the file open before, as any failed open does)."""
        from .coordinator.document import file_role
        return file_role(path)

    def open_central(self, path: Path) -> bool:
        """A central database opens in its own coordinator workspace window."""
        from .coordinator.window import CoordinatorWindow
        path = Path(path).absolute()
        self.coordinators = [w for w in self.coordinators if not w.document.closed]
        for window in self.coordinators:
            if window.document.path == path:
                window.raise_()
                window.activateWindow()
                return True
        window = CoordinatorWindow(path=path, actor=self.paths.user_name(), catalog=self.catalog,
                                   paths=self.paths)
        self.coordinators.append(window)
        self.settings.add_recent(path)
        if self.document is None and (self.start is None or self.stack.currentWidget() is None):
            self.show_start()            # `esat gui central.esat`: this window is not left blank
        window.show()
        return True

    def _ask_new_file(self, title: str, suggested_name: str) -> Path | None:
        """Where to create a new .esat file; None when cancelled or when the name is taken
        (ESAT never overwrites a file, and says so)."""
        folder = self.start_folder("folders/open")
        name, _ = QFileDialog.getSaveFileName(self, title, str(folder / suggested_name),
                                              FILE_FILTER)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        if path.exists():
            show_error(self, "Not created", f"{path}: already exists. ESAT never overwrites a "
                                            "file; choose another name.")
            return None
        return path

    def new_central(self) -> None:
        from ..central.merge import open_central
        path = self._ask_new_file("Save the new central database as", f"central{FILE_SUFFIX}")
        if path is None:
            return
        try:
            open_central(path, actor=self.paths.user_name()).close()
        except EsatError as exc:
            show_error(self, "Not created", problem(exc))
            return
        self.settings.set_value("folders/open", str(path.parent))
        self.open_central(path)

    def _let_shortcuts_through(self, widget: QWidget) -> None:
        """The window's shortcuts work in every text box (editing keys apart: undo, redo)."""
        editing = {QKeySequence(k).toString() for k in ("Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z")}
        keys = [key for action in self.findChildren(QAction) for key in action.shortcuts()
                if key.toString() not in editing]
        for edit in [*widget.findChildren(QLineEdit), *widget.findChildren(QPlainTextEdit)]:
            pass_shortcuts(edit, keys)

    def close_file(self) -> None:
        self._release_file()
        self.show_start()

    def _release_file(self) -> None:
        """Send every pending edit, finish the writes, then let go of the file (via its document)."""
        if self.document is None:
            return
        self._remember_geometry()
        document, view = self.document, self.view
        document.close()                 # flushes editors, waits for the worker, releases the lock
        self.document = None
        self.view = None
        self.undo_group.removeStack(document.undo_stack)
        if view is not None:
            self.stack.removeWidget(view)
            view.deleteLater()
        document.deleteLater()
        self.statusBar().clearMessage()
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
        self._remember_geometry()
        self._release_file()
        for window in list(self.coordinators):
            window.close()
        self.coordinators.clear()
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
        path = self._ask_new_file(
            "Save the new assessment as",
            f"{values['unit_code']} {values['unit_name']} {framework.abbreviation}{FILE_SUFFIX}")
        if path is None:
            return
        try:
            with Store.create(path, actor=self.paths.user_name()) as store:
                store.create_assessment(framework, stage=stage, **values)
        except EsatError as exc:
            path.unlink(missing_ok=True)
            show_error(self, "Not created", problem(exc))
            return
        self.settings.set_value("folders/open", str(path.parent))
        self.open_file(path)

    # -- sending in, signing off --------------------------------------------------

    def export_submission(self) -> None:
        if self.document is None:
            return
        self.document.settle()
        assessment = self.document.assessment
        if not self._go_on_with_missing("Export for submission", "Export anyway"):
            return
        if not assessment.signed_off and not confirm(
                self, "Export for submission",
                f"Revision {assessment.revision} is not signed off yet. Export it anyway?", "Export"):
            return
        start = str(self.start_folder("folders/export"))
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

        document = self.document

        def done(path: Path) -> None:
            document.refresh()
            show_info(self, "Exported", f"The copy for submission is ready:\n{path}\n\n"
                                        "Send this file to your coordinator.")

        document.tasks.run("Writing the copy for submission…",
                       lambda ctx: ctx.store.export_submission(uuid, target), parent=self,
                       on_done=done)

    def runner(self) -> Tasks:
        """The open file's task queue, or one for work that needs no open file."""
        if self.tasks is not None:
            return self.tasks
        if self._spare_tasks is None:
            self._spare_tasks = Tasks(None, self._task_error, self)
        return self._spare_tasks

    def edit_details(self) -> None:
        document = self.document
        if document is None:
            return
        document.settle()
        assessment = document.assessment
        from .dialogs import DetailsDialog
        dialog = DetailsDialog(self, assessment, locked_reason=document.locked_reason())
        if dialog.exec() != DetailsDialog.Accepted or not document.editable:
            return
        new = dialog.values()
        if new == {field: getattr(assessment, field) for field in new}:
            return
        uuid = assessment.uuid
        do, undo = captured(lambda s: {field: getattr(s.assessment(uuid), field) for field in new},
                            lambda s, values: s.set_details(uuid, **values), new)
        self.view.push_command("Change assessment details", None, do, undo)

    def _go_on_with_missing(self, doing: str, button: str) -> bool:
        """Say which ratings are missing; True to go on, False to go back to the first."""
        missing = self.document.snapshot.score.missing()
        if not missing:
            return True
        codes = [r.item.code for r in missing]
        shown = ", ".join(codes[:20]) + (f" and {len(codes) - 20} more" if len(codes) > 20 else "")
        required = self.document.snapshot.score.overall.required
        if confirm(self, doing,
                   f"{len(codes)} of {required} required {self.document.framework.label('items').lower()} "
                   f"have no rating yet: {shown}.\n\n{doing} anyway, or go back and rate them "
                   "(Go ▸ Next Missing Rating, Ctrl+M)?", button):
            return True
        self.view.go_to(codes[0])
        return False

    def sign_off(self) -> None:
        document = self.document
        if document is None or not document.editable:
            return
        document.settle()
        if not self._go_on_with_missing("Sign off", "Sign off anyway"):
            return
        assessment = document.assessment
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
            document.undo_stack.clear()
            self.statusBar().showMessage(f"Revision {assessment.revision} signed off; it is now read-only.", 10000)

        document.write(lambda s: s.sign_off(uuid, **values), on_done=done)

    def reopen(self) -> None:
        document = self.document
        if document is None or document.read_only_reason or not document.assessment.signed_off:
            return
        document.settle()
        assessment = document.assessment
        if not confirm(self, "Reopen for changes",
                       f"Revision {assessment.revision} stays on record as signed off. Reopening "
                       f"starts revision {assessment.revision + 1}, which will need signing off again.",
                       "Reopen"):
            return
        uuid = assessment.uuid

        def done(revision):          # the view already shows the new revision
            document.undo_stack.clear()
            show_info(self, "Reopened", f"Revision {revision} started. You can now make changes.")

        document.write(lambda s: s.reopen(uuid), on_done=done)

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
            self.view.focus_page()

    # -- title, errors, help ------------------------------------------------------

    def _update_title(self) -> None:
        document = self.document
        if document is None or self.view is None:
            # Qt adds the application's name (" — ESAT") where the platform shows it
            self.setWindowTitle("Equality Self-Assessment Tool")
            self.saved_label.setText("")
            return
        a, f = document.assessment, document.framework
        stage = f.stage(a.stage).title if a.stage else f"all {f.label('stages').lower()}"
        state = document.state_text()
        signed = ", signed off" if a.signed_off else ""
        self.setWindowTitle(f"{a.unit.code} {a.unit.name} — {f.abbreviation} {f.version} {stage} "
                            f"(revision {a.revision}{signed}) — {document.path.name} — {state}")
        self.saved_label.setText(state)
        self.signoff_action.setEnabled(document.editable)
        self.details_action.setText("&Details…" if document.editable else "&Details (read-only)…")
        self.reopen_action.setEnabled(not document.read_only_reason and a.signed_off)

    def _task_error(self, exc: BaseException) -> None:
        if self.document is not None and not self.document.closed:
            self.document.refresh()
        report_exception(self.paths, exc)

    def meanings(self):
        """What each rating level means (the bundled guidance), read once."""
        if self._meanings is None:
            from ..bundled import help_dir
            from ..guidance import Meanings
            self._meanings = Meanings.load(help_dir() / "scale-meanings.json")
        return self._meanings

    def show_guide(self) -> None:
        from ..bundled import help_dir
        from .help_window import UserGuide
        if self.guide is None:
            self.guide = UserGuide(self, guide=help_dir() / "user-guide.html", catalog=self.catalog,
                                   meanings=self.meanings())
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

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
