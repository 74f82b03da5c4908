"""What a new user saw on screen: keys, warnings, dialogs, sizes and where dialogs start."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QApplication, QFileDialog, QGroupBox, QLabel,
                               QMainWindow, QMenu, QWidget)

from esat.gui.dialogs import (ActionDialog, DetailsDialog, EvidenceDialog, SignOffDialog,
                              default_due_date)
from esat.gui.new_wizard import NewAssessmentWizard
from esat.store import Store
from gui_helpers import Messages, answer_dialog, make_window, press_ok, wait_saved


def new_file(folder, framework, code="LX"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code}.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(framework, stage="baseline", unit_code=code, unit_name="Lambeth",
                                unit_type="borough", area="South East", period="2010/11")
    return path


# -- keyboard clashes ---------------------------------------------------------------

def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return f"Alt+{match.group(1).upper()}" if match else None


def clashes(top: QWidget) -> dict[str, list[str]]:
    """Every key that two things in one window answer to: mnemonics and shortcuts."""
    keys: dict[str, list[str]] = defaultdict(list)
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or isinstance(widget, QMenu):
            continue
        if isinstance(widget, QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        key = _mnemonic(text)
        if key:
            keys[key].append(text)
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            if _mnemonic(action.text()):
                keys[_mnemonic(action.text())].append(f"menu {action.text()}")
            menu = action.menu()
            inside: dict[str, list[str]] = defaultdict(list)
            for item in menu.actions():
                if _mnemonic(item.text()):
                    inside[_mnemonic(item.text())].append(item.text())
            for key, texts in inside.items():
                if len(texts) > 1:
                    keys[f"{action.text()} menu {key}"] = texts
    for action in top.findChildren(QAction):
        for sequence in action.shortcuts():
            keys[sequence.toString()].append(f"action {action.text()}")
    for shortcut in top.findChildren(QShortcut):
        if shortcut.parent().isVisibleTo(top) and shortcut.context() != Qt.WidgetShortcut:
            keys[shortcut.key().toString()].append(f"shortcut on {shortcut.parent().objectName()}")
    return {key: texts for key, texts in keys.items() if len(texts) > 1}


def test_no_key_does_two_things_in_any_window(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    assert clashes(window) == {}                                # the start page
    window.open_file(new_file(tmp_path, esps))
    assert clashes(window) == {}                                # an open assessment
    assert _mnemonic(window.view.page.ui.exemptCheck.text()) != "Alt+E"
    a = window.document.assessment
    dialogs = [ActionDialog(window), EvidenceDialog(window, "note"), EvidenceDialog(window, "link"),
               DetailsDialog(window, a), DetailsDialog(window, a, locked_reason="signed off"),
               SignOffDialog(window)]
    for dialog in dialogs:
        dialog.show()
        assert clashes(dialog) == {}, dialog.windowTitle()
        dialog.close()
    wizard = NewAssessmentWizard(catalog, window)
    wizard.show()
    assert clashes(wizard) == {}                                # the framework page
    wizard.next()
    assert clashes(wizard) == {}                                # the unit page: Create…
    assert wizard.unit_page.ui.unitCodeLabel.text() != "Unit &code:"
    wizard.close()


def test_the_finder_finds_a_clash(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    window.view.page.ui.exemptCheck.setText("Request &exemption")       # as it was
    assert "Alt+E" in clashes(window)


def test_window_shortcuts_work_from_the_find_box(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append(a) or "")
    window.view.focus_find()
    qtbot.keyClick(window.view.find_edit, Qt.Key_E, Qt.ControlModifier)
    assert len(asked) == 1                    # File ▸ Export for Submission ran


def test_alt_r_goes_to_the_chosen_rating(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.view.page
    qtbot.mouseClick(page.rating_buttons["fairly"], Qt.LeftButton)
    wait_saved(qtbot, window)
    window.view.find_edit.setFocus()
    qtbot.keyClick(window, Qt.Key_R, Qt.AltModifier)
    assert QApplication.focusWidget() is page.rating_buttons["fairly"]


# -- sign-off and export with missing ratings ---------------------------------------------

def test_sign_off_with_missing_ratings_says_which_and_can_go_back(qtbot, paths, catalog, esps,
                                                                  tmp_path, monkeypatch):
    messages = Messages(monkeypatch, accept=False)            # "go back"
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    page = window.view.page
    qtbot.mouseClick(page.rating_buttons["very"], Qt.LeftButton)     # 1B rated, 17 to go
    wait_saved(qtbot, window)
    signed = answer_dialog(monkeypatch, SignOffDialog, lambda d: (
        d.ui.nameEdit.setText("A. Commander"), d.ui.roleEdit.setText("Commander"), press_ok(d)))
    window.view.go_to("22B")
    window.signoff_action.trigger()
    title, text = messages.shown[-1]
    assert title == "Sign off" and "17 of 18 required indicators have no rating yet: 2B, 3B" in text
    assert signed == [] and page.code == "2B"                 # back at the first missing one
    assert not window.document.assessment.signed_off
    messages.accept = True                                    # "sign off anyway"
    window.signoff_action.trigger()
    wait_saved(qtbot, window)
    assert len(signed) == 1 and window.document.assessment.signed_off


def test_export_for_submission_warns_of_missing_ratings(qtbot, paths, catalog, esps, tmp_path,
                                                        monkeypatch):
    messages = Messages(monkeypatch, accept=False)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append(a) or "")
    window.export_action.trigger()
    assert messages.shown[-1][0] == "Export for submission"
    assert "18 of 18 required indicators have no rating yet" in messages.shown[-1][1]
    assert asked == []


# -- dialogs -----------------------------------------------------------------------------

@pytest.mark.parametrize("address, ok", [
    ("not a url", False), ("intranet/iag", False), ("https://", False), ("", False),
    ("https://intranet.example/iag", True), ("http://intranet/iag", True),
    ("file:///S:/equality/minutes.docx", True),
])
def test_the_link_dialog_takes_only_an_address(qtbot, address, ok):
    dialog = EvidenceDialog(None, "link")
    qtbot.addWidget(dialog)
    dialog.ui.titleEdit.setText("IAG")
    dialog.address_edit.setText(address)
    press_ok(dialog)
    assert (dialog.result() == EvidenceDialog.Accepted) is ok
    assert bool(dialog.ui.problemLabel.text()) is not ok
    assert not dialog.ui.bodyEdit.isVisibleTo(dialog)         # one line: Enter accepts


def test_enter_in_the_address_accepts_the_link(qtbot):
    dialog = EvidenceDialog(None, "link")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address_edit.setText("https://intranet.example/iag")
    qtbot.keyClick(dialog.address_edit, Qt.Key_Return)
    assert dialog.result() == EvidenceDialog.Accepted
    assert dialog.values() == ("", "https://intranet.example/iag")


def test_a_due_date_defaults_from_the_assessment_period(qtbot):
    assert default_due_date("2010/11", date(2026, 11, 30)) == QDate(2011, 6, 30)
    assert default_due_date("2026/27", date(2026, 11, 30)) == QDate(2027, 2, 28)
    assert default_due_date("", date(2026, 11, 30)) == QDate(2027, 2, 28)
    dialog = ActionDialog(None, period="2010/11")
    qtbot.addWidget(dialog)
    assert dialog.ui.dueEdit.date() == QDate(2011, 6, 30)


def test_read_only_details_say_why(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    with Store.open(path, actor="t") as store:
        store.sign_off(store.only_assessment().uuid, name="A", role="B", signed_on="2011-03-01")
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    seen = answer_dialog(monkeypatch, DetailsDialog, lambda d: None)
    window.details_action.trigger()
    (dialog,) = seen
    assert "signed off and read-only" in dialog.ui.problemLabel.text()
    assert dialog.ui.authorEdit.isReadOnly() and "read-only" in dialog.windowTitle()
    box = dialog.ui.buttonBox
    assert [box.buttonRole(b) for b in box.buttons()] == [box.ButtonRole.RejectRole]   # Close only


def test_reopen_says_revision_two_once_the_page_shows_it(qtbot, paths, catalog, esps, tmp_path,
                                                         monkeypatch):
    path = new_file(tmp_path, esps)
    with Store.open(path, actor="t") as store:
        store.sign_off(store.only_assessment().uuid, name="A", role="B", signed_on="2011-03-01")
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    seen_then = []
    messages = Messages(monkeypatch)
    original = messages.shown.append
    monkeypatch.setattr(messages, "shown", _Recorder(lambda item: seen_then.append(
        (item, window.windowTitle(), window.view.banner.isVisible()))))
    window.reopen_action.trigger()
    wait_saved(qtbot, window)
    reopened = [entry for entry in seen_then if entry[0][0] == "Reopened"]
    assert reopened and "Revision 2 started" in reopened[0][0][1]
    assert "(revision 2)" in reopened[0][1] and not reopened[0][2]
    assert original is not None


class _Recorder(list):
    def __init__(self, on_append):
        super().__init__()
        self._on_append = on_append

    def append(self, item) -> None:
        self._on_append(item)
        super().append(item)


# -- the window, the tree, the banner, titles -------------------------------------------

def test_titles_and_status_on_the_start_page(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    assert window.windowTitle() == "Equality Self-Assessment Tool"
    window.open_file(new_file(tmp_path, esps))
    bad = tmp_path / "bad.esat"
    bad.write_bytes(b"nonsense")
    assert not window.open_file(bad)
    assert window.saved_label.text() == ""
    assert "All changes saved" not in window.statusBar().currentMessage()


def test_a_new_indicator_starts_at_its_top(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.resize(900, 500)
    window.open_file(new_file(tmp_path, esps))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    bar = window.view.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    for move in (lambda: qtbot.keyClick(window, Qt.Key_Down, Qt.AltModifier),
                 lambda: qtbot.keyClick(window, Qt.Key_M, Qt.ControlModifier),
                 lambda: window.view.go_to("9B")):
        window.view.page.ui.actionsTable.setFocus()
        bar.setValue(bar.maximum())
        move()
        assert bar.value() == 0
    bar.setValue(bar.maximum())
    qtbot.keyClick(window, Qt.Key_F7)
    assert bar.value() == 0


def test_names_stay_readable_beside_long_statuses(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.resize(1024, 700)
    window.open_file(new_file(tmp_path, esps))
    tree = window.view.tree
    widths = (tree.columnWidth(0), tree.columnWidth(1))
    tree.set_status("1B", "In progress", "In progress (exemption requested) and a great deal more")
    QApplication.processEvents()
    assert (tree.columnWidth(0), tree.columnWidth(1)) == widths     # no jump
    assert tree.columnWidth(0) >= tree.viewport().width() * 0.55
    assert tree.topLevelItem(0).child(0).child(0).toolTip(1).startswith("In progress (exemption")


def test_the_read_only_banner_is_one_line_not_a_grey_block(qtbot, paths, catalog, esps, tmp_path,
                                                           monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    first = make_window(qtbot, paths, catalog)
    first.open_file(path)
    second = make_window(qtbot, paths, catalog)
    second.open_file(path)
    QApplication.processEvents()
    banner = second.view.banner
    assert banner.isVisible()
    assert banner.height() <= 3 * banner.fontMetrics().height() + 20
    assert second.view.splitter.height() > second.view.height() - banner.height() - 40


def test_the_window_fits_the_screen_and_remembers_its_size(qtbot, paths, catalog, esps, tmp_path,
                                                           monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()
    window.resize(min(700, screen.width()), min(450, screen.height()))
    window_file = new_file(tmp_path, esps)
    window.open_file(window_file)
    window.view.splitter.setSizes([100, 400, 200])
    sizes = window.view.splitter.sizes()
    window.close()
    again = make_window(qtbot, paths, catalog)
    assert (again.width(), again.height()) == (min(700, screen.width()), min(450, screen.height()))
    again.open_file(window_file)
    assert again.view.splitter.sizes() == sizes


def test_file_dialogs_start_in_the_assessments_folder_then_the_last_used(qtbot, paths, catalog, esps,
                                                                         tmp_path, monkeypatch):
    Messages(monkeypatch)
    folder = tmp_path / "unit files"
    window = make_window(qtbot, paths, catalog)
    path = new_file(folder, esps)
    window.open_file(path)
    qtbot.mouseClick(window.view.page.rating_buttons["very"], Qt.LeftButton)
    wait_saved(qtbot, window)
    starts = []
    chosen = tmp_path / "outbox"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, caption, start, *a, **k: starts.append(start) or ("", ""))
    window.excel_export_action.trigger()
    assert starts[-1].startswith(str(path.parent))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, caption, start, *a, **k: starts.append(start) or str(chosen))
    messages = Messages(monkeypatch)
    window.export_action.trigger()                           # missing ratings: go on anyway
    wait_saved(qtbot, window)
    assert starts[-1] == str(path.parent)
    window.export_action.trigger()
    wait_saved(qtbot, window)
    assert starts[-1] == str(chosen)
    assert messages.shown


# -- help ------------------------------------------------------------------------------------

def test_the_user_guide_opens_offline_with_every_rating_explained(qtbot, paths, catalog, esps, eslg,
                                                                  monkeypatch):
    from PySide6.QtGui import QDesktopServices
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_window(qtbot, paths, catalog)
    assert window.guide_action.shortcuts()                    # F1
    window.guide_action.trigger()
    guide = window.guide
    assert guide.isVisible() and guide.windowTitle() == "ESAT User Guide"
    text = guide.browser.toPlainText()
    for heading in ("The tasks of a unit", "What each rating means", "Exemptions",
                    "Sign-off and revisions", "The keyboard"):
        assert heading in text
    meanings = window.meanings()
    for framework in (esps, eslg):
        for point in framework.scale:
            assert meanings.of(framework, point) and meanings.of(framework, point) in text, point.id
    assert opened == []                                      # nothing went to a browser


def test_each_rating_says_what_it_means_where_it_is_chosen(qtbot, paths, catalog, esps, tmp_path,
                                                           monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    page = window.view.page
    fairly = window.meanings().of(esps, esps.scale_point("fairly"))
    assert fairly.startswith("The indicator is met in most respects")
    assert page.rating_buttons["fairly"].toolTip() == f"<qt>{fairly}</qt>"   # shown as written
    assert page.rating_buttons["fairly"].accessibleDescription() == fairly
    qtbot.mouseClick(page.rating_buttons["fairly"], Qt.LeftButton)
    assert page.ui.ratingMeaningLabel.text() == f"Fairly satisfactory: {fairly}"
    assert page.ui.ratingMeaningLabel.isVisibleTo(window)
