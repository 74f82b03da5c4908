"""The open file's document: nothing typed is lost on close, and undo restores what was seen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from esat.gui.dialogs import ActionDialog, DetailsDialog, EvidenceDialog
from esat.gui.filelock import lock_path
from esat.store import Store
from gui_helpers import Messages, answer_dialog, make_window, press_ok, wait_saved


def new_file(tmp_path, framework):
    path = tmp_path / "LX.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(framework, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough", area="South East", period="2010/11")
    return path


def stored(path, code):
    with Store.open(path, actor="t", read_only=True) as store:
        return store.response(store.only_assessment().uuid, code)


def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


@pytest.mark.parametrize("how", ["ctrl+w", "ctrl+q"])
def test_typing_in_every_editor_then_closing_at_once_keeps_it_all(qtbot, paths, catalog, esps,
                                                                   tmp_path, monkeypatch, how):
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    active(qtbot, window)
    view, page = window.view, window.view.page
    view.go_to("3B")
    page.ui.narrativeEdit.setFocus()
    qtbot.keyClicks(page.ui.narrativeEdit, "Narrative typed just before closing")
    page.strand_boxes["race"].click()
    page.ui.exemptCheck.click()                     # no reason yet: nothing is requested
    page.ui.reasonEdit.setFocus()
    qtbot.keyClicks(page.ui.reasonEdit, "Led by the central team")
    assert page.ui.reasonEdit.hasFocus()            # the cursor is still in the Reason box
    assert "All changes saved" not in window.windowTitle()
    assert "Unsaved changes" in window.windowTitle() or "Saving" in window.windowTitle()
    if how == "ctrl+w":
        qtbot.keyClick(page.ui.reasonEdit, Qt.Key_W, Qt.ControlModifier)
        assert window.view is None and window.stack.currentWidget() is window.start
    else:
        qtbot.keyClick(page.ui.reasonEdit, Qt.Key_Q, Qt.ControlModifier)
        assert not window.isVisible()
    assert messages.shown == [], messages.texts()
    assert not lock_path(path).exists()
    response = stored(path, "3B")
    assert response.narrative == "Narrative typed just before closing"
    assert response.unit_exempt and response.unit_exemption_reason == "Led by the central team"
    assert response.strands == ("race",)


def test_a_reason_typed_then_a_change_of_indicator_is_saved(qtbot, paths, catalog, esps, tmp_path,
                                                            monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    active(qtbot, window)
    page = window.view.page
    page.ui.exemptCheck.click()
    page.ui.reasonEdit.setText("Not policed here")      # as typed, without Enter or leaving the box
    page.ui.reasonEdit.textEdited.emit("Not policed here")
    assert window.document.pending and "Unsaved changes" in window.windowTitle()
    qtbot.keyClick(window, Qt.Key_Down, Qt.AltModifier)   # Go ▸ Next Indicator
    assert page.code == "2B"
    wait_saved(qtbot, window)
    assert "All changes saved" in window.windowTitle()
    response = window.reader.response(window.document.assessment.uuid, "1B")
    assert response.unit_exempt and response.unit_exemption_reason == "Not policed here"


def test_the_title_says_saved_only_when_it_is(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    page = window.view.page
    assert window.windowTitle().endswith("All changes saved")
    qtbot.keyClicks(page.ui.narrativeEdit, "x")
    assert not window.document.saved
    assert not window.windowTitle().endswith("All changes saved")
    window.document.flush()
    wait_saved(qtbot, window)
    assert window.document.saved and window.windowTitle().endswith("All changes saved")


def test_quick_successive_ratings_undo_one_by_one(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    active(qtbot, window)
    page, uuid = window.view.page, window.document.assessment.uuid
    window.view.go_to("1B")
    focused = QApplication.focusWidget()
    assert focused is page.rating_buttons["__not_rated__"]
    for _ in range(3):                                 # arrow keys: three ratings, no waiting
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down)
    assert window.undo_stack.count() == 3

    def rating():
        wait_saved(qtbot, window)
        response = window.reader.response(uuid, "1B")
        return response.self_rating if response else None

    points = [p.id for p in esps.scale]               # not at all, not very, fairly, very
    assert rating() == points[2]
    window.undo_stack.undo()
    assert rating() == points[1]                       # the rating seen before the last step
    assert page.rating_buttons[points[1]].isChecked()
    window.undo_stack.undo()
    assert rating() == points[0]
    window.undo_stack.undo()
    assert rating() is None
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert rating() == points[1]


def test_quick_successive_strands_exemptions_and_narratives_undo_one_by_one(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    page, uuid, stack = window.view.page, window.document.assessment.uuid, window.undo_stack

    def response():
        wait_saved(qtbot, window)
        return window.reader.response(uuid, "1B")

    page.strand_boxes["race"].click()
    page.strand_boxes["age"].click()
    page.strand_boxes["race"].click()
    page.ui.reasonEdit.setText("First reason")
    page.ui.exemptCheck.click()                     # requested with the reason already there
    page.ui.exemptCheck.click()                     # withdrawn
    page.ui.exemptCheck.click()                     # requested again
    page.ui.reasonEdit.setText("Second reason")
    page.flush()
    page.ui.narrativeEdit.setPlainText("One")
    page.flush()
    assert response().strands == ("age",)
    assert (response().unit_exempt, response().unit_exemption_reason) == (True, "Second reason")
    assert response().narrative == "One"
    stack.undo()
    assert response().narrative == ""
    stack.undo()
    assert response().unit_exemption_reason == "First reason"
    stack.undo()
    assert not response().unit_exempt
    stack.undo()
    assert (response().unit_exempt, response().unit_exemption_reason) == (True, "First reason")
    stack.undo()
    assert not response().unit_exempt
    stack.undo()
    assert set(response().strands) == {"race", "age"}
    stack.undo()
    assert response().strands == ("race",)
    stack.undo()
    assert response().strands == ()


def test_quick_successive_details_notes_and_actions_undo_one_by_one(qtbot, paths, catalog, esps,
                                                                    tmp_path, monkeypatch):
    Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    view, page, uuid, stack = window.view, window.view.page, window.document.assessment.uuid, window.undo_stack
    authors = iter(["First author", "Second author"])
    answer_dialog(monkeypatch, DetailsDialog, lambda d: (d.ui.authorEdit.setText(next(authors)),
                                                         press_ok(d)))
    window.details_action.trigger()
    window.details_action.trigger()                 # before the first has been written
    answer_dialog(monkeypatch, EvidenceDialog, lambda d: (d.ui.titleEdit.setText("Minutes"),
                                                          d.ui.bodyEdit.setPlainText("v1"), press_ok(d)))
    page.ui.noteButton.click()
    wait_saved(qtbot, window)
    (note,) = window.reader.evidence(uuid)
    bodies = iter(["v2", "v3"])
    answer_dialog(monkeypatch, EvidenceDialog, lambda d: (d.ui.bodyEdit.setPlainText(next(bodies)),
                                                          press_ok(d)))
    view.open_evidence(note.uuid)
    view.open_evidence(note.uuid)
    answer_dialog(monkeypatch, ActionDialog, lambda d: (d.ui.descriptionEdit.setPlainText("Plan"),
                                                        press_ok(d)))
    page.ui.addActionButton.click()
    wait_saved(qtbot, window)
    (action,) = window.reader.actions(uuid)
    owners = iter(["Inspector", "Sergeant"])
    answer_dialog(monkeypatch, ActionDialog, lambda d: (d.ui.ownerEdit.setText(next(owners)),
                                                        press_ok(d)))
    view.edit_action(action.uuid)
    view.edit_action(action.uuid)

    def now():
        wait_saved(qtbot, window)
        return (window.reader.assessment(uuid).author, window.reader.evidence(uuid)[0].body,
                [a.owner for a in window.reader.actions(uuid)])

    assert now() == ("Second author", "v3", ["Sergeant"])
    stack.undo()
    assert now() == ("Second author", "v3", ["Inspector"])
    stack.undo()
    assert now() == ("Second author", "v3", [""])
    stack.undo()
    assert now() == ("Second author", "v3", [])
    stack.undo()
    assert now() == ("Second author", "v2", [])
    stack.undo()
    assert now() == ("Second author", "v1", [])
    stack.undo()                                     # the note itself
    stack.undo()
    wait_saved(qtbot, window)
    assert window.reader.assessment(uuid).author == "First author"
    stack.undo()
    wait_saved(qtbot, window)
    assert window.reader.assessment(uuid).author == ""


def test_a_write_after_close_is_ignored_not_a_crash(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    document, page = window.document, window.view.page
    window.close_file()
    page.ui.reasonEdit.editingFinished.emit()       # a late signal from an editor going away
    document.write(lambda s: s.set_narrative(document.assessment.uuid, "1B", "late"))
    assert messages.shown == []
    assert stored(path, "1B") is None


def test_a_file_checked_in_full_once_opens_with_the_light_checks_until_it_changes(
        qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    import esat.checks
    import esat.verified
    monkeypatch.setattr(esat.verified, "RACY", 0)    # no waiting out the clock's tick in a test
    full_checks = []
    real = esat.checks.refuse_out_of_domain
    monkeypatch.setattr(esat.checks, "refuse_out_of_domain",
                        lambda path, conn, *memo: full_checks.append(path) or real(path, conn,
                                                                                  *memo))
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    wait_saved(qtbot, window)
    assert full_checks == [path.absolute()]          # first sight: every check
    window.close_file()
    assert window.open_file(path)
    wait_saved(qtbot, window)
    assert full_checks == [path.absolute()]          # known and unchanged: header, schema, quick
    window.close_file()
    with Store.open(path, actor="someone else's script") as store:   # changed outside the app
        store.set_narrative(store.only_assessment().uuid, "1B", "Edited elsewhere")
    before = len(full_checks)
    assert window.open_file(path)
    wait_saved(qtbot, window)
    assert len(full_checks) == before + 1             # changed since: every check again
    window.close()
