"""Every interactive widget of every window and dialog has an accessible name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider,
                               QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QScrollBar,
                               QTextEdit, QWidget)

from esat.gui.dialogs import ActionDialog, DetailsDialog, EvidenceDialog, SignOffDialog
from esat.gui.new_wizard import NewAssessmentWizard
from esat.store import Store
from gui_helpers import make_window, open_central_window

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit,
               QAbstractItemView, QAbstractSlider)


def _inside_compound(widget: QWidget) -> bool:
    """Sub-widgets that Qt builds inside a combo box, spin box, table or scroll bar."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_")


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or _inside_compound(widget):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Name).strip() if interface else ""
        if not name:
            parent = widget.parentWidget()
            where = f" in {type(parent).__name__} {parent.objectName()}".rstrip() if parent else ""
            missing.append(f"{type(widget).__name__} {widget.objectName() or '(no object name)'}"
                           + (where if widget.parentWidget() is not root else ""))
    return missing


def test_main_window_start_screen(qtbot, paths, catalog):
    window = make_window(qtbot, paths, catalog)
    assert unnamed(window) == []


def test_assessment_views_esps_and_eslg(qtbot, paths, catalog, esps, eslg, tmp_path):
    for framework, stage in ((esps, "baseline"), (eslg, None)):
        path = tmp_path / f"{framework.id}.esat"
        with Store.create(path, actor="t") as store:
            store.create_assessment(framework, stage=stage, unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough")
        window = make_window(qtbot, paths, catalog)
        assert window.open_file(path)
        assert unnamed(window) == [], framework.key
        window.close()


def test_wizard_and_dialogs(qtbot, catalog, store, borough):
    wizard = NewAssessmentWizard(catalog)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.restart()
    assert unnamed(wizard) == []
    wizard.next()
    assert unnamed(wizard) == []
    for dialog in (SignOffDialog(None), ActionDialog(None), EvidenceDialog(None, "note"),
                   EvidenceDialog(None, "link"), DetailsDialog(None, borough)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed(dialog) == [], type(dialog).__name__


def test_the_walker_catches_a_nameless_control(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    QLineEdit(root)
    assert unnamed(root) == ["QLineEdit (no object name)"]


def test_statuses_show_a_mark_and_words_and_are_read_as_words(qtbot, paths, catalog, esps, tmp_path):
    from PySide6.QtCore import Qt
    path = tmp_path / "marks.esat"
    with Store.create(path, actor="t") as store:
        assessment = store.create_assessment(esps, stage="baseline", unit_code="LX",
                                             unit_name="Lambeth", unit_type="borough")
        store.set_self_rating(assessment.uuid, "1B", "fairly")
        store.set_narrative(assessment.uuid, "2B", "Started")
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    tree = window.view.tree
    shown = {code: tree._items[code].text(1) for code in ("1B", "2B", "3B", "15B")}
    assert shown == {"1B": "\u2713 Fairly satisfactory", "2B": "\u25d0 In progress",
                     "3B": "\u25cb Not started", "15B": "\u2013 Exempt"}
    heard = tree._items["1B"].data(1, Qt.AccessibleTextRole)
    assert heard == "Rated: Fairly satisfactory" == tree.status_text("1B")


def test_coordinator_workspace_every_view_and_the_import_result(qtbot, paths, catalog, esps,
                                                                 tmp_path):
    """Each tab of the coordinator workspace, with a unit open for moderation and the
    dashboard's data tables shown, and the import result (tests/test_gui_coordinator.py
    drives them; here only the names are walked)."""
    from esat.central.merge import merge_files
    from esat.gui.coordinator.import_results import ImportResults
    from merge_helpers import central, submit, unit_file
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat") as c:
        outcomes = merge_files(c, [r1], catalog)
    workspace = open_central_window(qtbot, paths, catalog, tmp_path / "central.esat")
    qtbot.waitUntil(lambda: workspace.units.model.rowCount() == 1, timeout=10000)
    workspace.open_unit(workspace.units.model.rows[0])
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: workspace.document.tasks.idle, timeout=10000)
        assert unnamed(workspace) == [], workspace.tabs.tabText(index)
    for chart in (workspace.dashboard.areas, workspace.dashboard.distribution):
        chart.show_data.setChecked(True)
    assert unnamed(workspace.dashboard) == []
    assert unnamed(ImportResults(outcomes, 1, workspace)) == []
    workspace.close()
