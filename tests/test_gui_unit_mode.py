"""Unit mode through the GUI: a whole assessment completed, then checked through the core API."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard

from esat.gui.dialogs import ActionDialog, EvidenceDialog, SignOffDialog
from esat.gui.filelock import lock_path
from esat.gui.new_wizard import NewAssessmentWizard
from conftest import fingerprint, mark_as_newer
from esat.store import Store
from gui_helpers import Messages, answer_dialog, make_window, press_ok, wait_saved


def new_file(tmp_path, framework, stage="baseline", code="LX", name="Lambeth",
             unit_type="borough"):
    path = tmp_path / f"{code}.esat"
    with Store.create(path, actor="t") as store:
        store.create_assessment(framework, stage=stage, unit_code=code, unit_name=name,
                                unit_type=unit_type, area="South East", period="2010/11")
    return path



def test_wizard_creates_an_assessment_and_opens_it(qtbot, paths, catalog, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    window = make_window(qtbot, paths, catalog)
    target = tmp_path / "lambeth"

    def fill(wizard):
        wizard.show()
        wizard.restart()
        page = wizard.framework_page.ui
        page.frameworkCombo.setCurrentIndex(page.frameworkCombo.findData("esps-2009"))
        page.stageCombo.setCurrentIndex(page.stageCombo.findData("baseline"))
        wizard.next()
        unit = wizard.unit_page.ui
        assert not wizard.button(QWizard.FinishButton).isEnabled()
        qtbot.keyClicks(unit.unitCodeEdit, "lx")
        qtbot.keyClicks(unit.unitNameEdit, "Lambeth")
        unit.unitTypeCombo.setCurrentIndex(unit.unitTypeCombo.findData("borough"))
        unit.areaCombo.setCurrentText("South East")
        unit.periodEdit.setText("2010/11")
        qtbot.keyClicks(unit.equalityLeadEdit, "E. Lead")
        assert wizard.button(QWizard.FinishButton).isEnabled()
        wizard.button(QWizard.FinishButton).click()

    answer_dialog(monkeypatch, NewAssessmentWizard, fill)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.start.ui.newButton.click()
    created = tmp_path / "lambeth.esat"
    assert window.path == created.absolute(), messages.texts()
    assert "LX Lambeth — ESPS 2009 Baseline" in window.windowTitle()
    assert "All changes saved" in window.windowTitle()
    with Store.open(created, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert (a.unit.code, a.unit.unit_type, a.unit.area, a.period, a.equality_lead) == (
            "LX", "borough", "South East", "2010/11", "E. Lead")
    assert window.settings.recent_files()[0] == created.resolve()


def test_complete_an_esps_baseline_for_a_borough(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    view, page = window.view, window.view.page
    codes = [c for c in view.tree.codes() if c not in ("15B", "17B", "20B", "21B")]
    assert len(codes) == 18
    assert "Exempt" in view.tree.status_text("15B")
    ratings = ["very", "fairly", "fairly", "not_very"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for index, code in enumerate(codes):
        while page.code != code:                                  # Go ▸ Next Indicator
            qtbot.keyClick(window, Qt.Key_Down, Qt.AltModifier)
        qtbot.mouseClick(page.rating_buttons[ratings[index % 4]], Qt.LeftButton)
        page.ui.narrativeEdit.setFocus()
        qtbot.keyClicks(page.ui.narrativeEdit, f"Evidence for {code}.")
    wait_saved(qtbot, window)

    # an attachment, by the file dialog
    document = tmp_path / "IAG minutes.txt"
    document.write_text("Independent advisory group, minutes of 3 March 2011")
    view.go_to("1B")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(document)], ""))
    page.ui.attachButton.click()
    # an exemption request with its reason
    view.go_to("9B")
    page.ui.exemptCheck.click()
    assert page.ui.reasonEdit.hasFocus() or page.ui.reasonEdit.isEnabled()
    qtbot.keyClicks(page.ui.reasonEdit, "Counter-terrorism is led by SO15")
    qtbot.keyClick(page.ui.reasonEdit, Qt.Key_Return)
    # strands
    page.strand_boxes["race"].click()
    page.strand_boxes["religion_belief"].click()
    # an improvement action with a due date
    view.go_to("6B")

    def fill_action(dialog):
        qtbot.keyClicks(dialog.ui.descriptionEdit, "Quarterly custody disproportionality report")
        qtbot.keyClicks(dialog.ui.ownerEdit, "Custody inspector")
        dialog.ui.dueEdit.setDate(dialog.ui.dueEdit.date().fromString("2011-06-30", "yyyy-MM-dd"))
        dialog.ui.statusCombo.setCurrentIndex(dialog.ui.statusCombo.findData("in_progress"))
        dialog.strand_boxes["race"].click()
        press_ok(dialog)

    answer_dialog(monkeypatch, ActionDialog, fill_action)
    page.ui.addActionButton.click()
    wait_saved(qtbot, window)
    assert page.ui.actionsTable.rowCount() == 1
    assert page.ui.actionsTable.item(0, 3).text() == "In progress"
    summary = view.summary.ui
    assert summary.ratedLabel.text() == "Rated 18 of 18 required indicators"
    assert summary.scoreLabel.text() == "Score: 78% (14 of 18 satisfactory)"
    assert summary.baselineLabel.text() == "Baseline: met (score at or above 50%)"
    assert "Operational Delivery: " in summary.sectionsLabel.text()
    # sign-off
    answer_dialog(monkeypatch, SignOffDialog, lambda d: (
        d.ui.nameEdit.setText("A. Commander"), d.ui.roleEdit.setText("Borough Commander"), press_ok(d)))
    window.signoff_action.trigger()
    wait_saved(qtbot, window)
    assert "signed off" in window.windowTitle()
    assert not page.ui.ratingGroup.isEnabled()
    assert page.ui.narrativeEdit.isReadOnly()
    assert "signed off and read-only" in page.ui.lockedLabel.text()
    window.close()

    with Store.open(path, actor="t", read_only=True) as store:
        a = store.only_assessment()
        responses = store.responses(a.uuid)
        for index, code in enumerate(codes):
            assert responses[code].self_rating == ratings[index % 4], code
            assert responses[code].narrative == f"Evidence for {code}."
        assert responses["9B"].unit_exempt
        assert responses["9B"].unit_exemption_reason == "Counter-terrorism is led by SO15"
        assert responses["9B"].strands == ("race", "religion_belief")
        (attached,) = store.evidence(a.uuid, "1B")
        assert attached.file_name == "IAG minutes.txt"
        assert store.blob(attached.blob_sha256) == document.read_bytes()
        (action,) = store.actions(a.uuid, "6B")
        assert (action.description, action.owner, action.due_on, action.status, action.strands) == (
            "Quarterly custody disproportionality report", "Custody inspector", "2011-06-30",
            "in_progress", ("race",))
        assert a.signed_off
        assert [(s.name, s.role) for s in store.signoffs(a.uuid)] == [("A. Commander", "Borough Commander")]
        result = store.score(a.uuid)
        assert result.overall.required == 18 and result.overall.unrated == 0
        assert result.overall.met == sum(1 for i in range(18) if ratings[i % 4] in ("very", "fairly"))
    assert not messages.shown, messages.texts()


def test_the_whole_job_works_by_keyboard(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)          # answers "Sign off anyway" to the missing ratings
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view, page = window.view, window.view.page
    assert page.code == "1B"
    qtbot.keyClick(window, Qt.Key_Down, Qt.AltModifier)          # Go ▸ Next Indicator
    assert page.code == "2B"
    qtbot.keyClick(window, Qt.Key_F7)                            # Go ▸ Indicator Page
    focused = QApplication.focusWidget()
    assert focused is page.rating_buttons["__not_rated__"]
    for _ in range(4):                                           # → Very satisfactory
        qtbot.keyClick(focused, Qt.Key_Down)
        focused = QApplication.focusWidget()
    assert page.rating_buttons["very"].isChecked()
    for _ in range(2):                     # Tab: exemption, then narrative (the reason is disabled)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
    assert QApplication.focusWidget() is page.ui.narrativeEdit
    qtbot.keyClicks(page.ui.narrativeEdit, "Typed without a mouse")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)         # Edit ▸ Find
    assert QApplication.focusWidget() is view.find_edit
    qtbot.keyClicks(view.find_edit, "22B")
    qtbot.keyClick(view.find_edit, Qt.Key_Return)
    assert page.code == "22B"
    # Assessment ▸ Sign Off… by its mnemonics, with 17 ratings missing: the warning first
    signing = answer_dialog(monkeypatch, SignOffDialog, lambda d: (
        d.ui.nameEdit.setText("A. Commander"), d.ui.roleEdit.setText("Commander"), press_ok(d)))
    qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key_S)
    qtbot.waitUntil(lambda: bool(signing))
    assert "17 of 18 required indicators have no rating yet" in messages.texts()
    wait_saved(qtbot, window)
    assert window.document.assessment.signed_off
    with Store.open(path, actor="t", read_only=True) as store:
        response = store.response(store.only_assessment().uuid, "2B")
        assert response.self_rating == "very"
        assert response.narrative == "Typed without a mouse"
        assert [(s.name, s.role) for s in store.signoffs(store.only_assessment().uuid)] == [
            ("A. Commander", "Commander")]


def test_eslg_level_one_attained_through_the_gui(qtbot, paths, catalog, eslg, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, eslg, stage=None, code="SCD7", name="Specialist Crime",
                    unit_type="specialist")
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    view, page = window.view, window.view.page
    assert "SCD7 Specialist Crime — ESlg 2007 all levels" in window.windowTitle()
    assert "Level attained: none yet" in view.summary.ui.baselineLabel.text()
    assert "Summary wording" in page.ui.wordingNoteLabel.text()
    level_one = [i.code for i in eslg.items if i.stage == "level-1"]
    for code in level_one:
        view.go_to(code)
        qtbot.mouseClick(page.rating_buttons["achieved"], Qt.LeftButton)
    view.go_to([i.code for i in eslg.items if i.stage == "level-2"][0])
    qtbot.mouseClick(page.rating_buttons["partly"], Qt.LeftButton)
    wait_saved(qtbot, window)
    assert view.summary.ui.baselineLabel.text().startswith("Level attained: 1 (")
    window.close()
    with Store.open(path, actor="t", read_only=True) as store:
        a = store.only_assessment()
        assert store.score(a.uuid).level_attained == 1
        assert {c: r.self_rating for c, r in store.responses(a.uuid).items() if c in level_one} == \
            {c: "achieved" for c in level_one}


def test_undo_and_redo_of_ratings_narratives_and_removals(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    view, page = window.view, window.view.page
    uuid = view.assessment.uuid

    def stored(code):
        wait_saved(qtbot, window)
        return window.reader.response(uuid, code)

    qtbot.mouseClick(page.rating_buttons["fairly"], Qt.LeftButton)
    assert stored("1B").self_rating == "fairly"
    window.undo_stack.undo()
    assert stored("1B").self_rating is None
    assert page.rating_buttons["__not_rated__"].isChecked()
    window.undo_stack.redo()
    assert stored("1B").self_rating == "fairly"

    qtbot.keyClicks(page.ui.narrativeEdit, "First draft")
    page.flush()
    assert stored("1B").narrative == "First draft"
    window.undo_stack.undo()
    assert stored("1B").narrative == ""
    assert page.ui.narrativeEdit.toPlainText() == ""

    answer_dialog(monkeypatch, EvidenceDialog, lambda d: (
        d.ui.titleEdit.setText("IAG"), d.address_edit.setText("https://intranet.example/iag"),
        press_ok(d)))
    page.ui.linkButton.click()
    wait_saved(qtbot, window)
    assert page.ui.evidenceList.count() == 1
    page.ui.evidenceList.setCurrentRow(0)
    page.ui.removeEvidenceButton.click()
    wait_saved(qtbot, window)
    assert window.reader.evidence(uuid) == []
    assert "Undo" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    wait_saved(qtbot, window)
    (link,) = window.reader.evidence(uuid)
    assert (link.title, link.body) == ("IAG", "https://intranet.example/iag")


def test_a_second_window_on_the_same_file_is_read_only(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    first = make_window(qtbot, paths, catalog)
    first.open_file(path)
    assert lock_path(path).exists()
    before = fingerprint(path)
    second = make_window(qtbot, paths, catalog)
    assert second.open_file(path)
    assert "Read-only" in second.windowTitle()
    assert "already open in ESAT" in second.view.banner.text()
    assert not second.view.page.ui.ratingGroup.isEnabled()
    assert second.view.page.ui.narrativeEdit.isReadOnly()
    assert not second.signoff_action.isEnabled()
    second.view.set_rating("1B", "very")            # ignored: never two writers
    wait_saved(qtbot, second)
    assert fingerprint(path) == before
    second.close()
    first.close()
    assert not lock_path(path).exists()
    third = make_window(qtbot, paths, catalog)
    third.open_file(path)
    assert "Read-only" not in third.windowTitle()


@pytest.mark.parametrize("content, problem", [
    (b"this is a spreadsheet, honest", "is not an ESAT file"),
    (b"", "is empty"),
])
def test_invalid_files_get_a_dialog_and_are_left_untouched(qtbot, paths, catalog, tmp_path,
                                                          monkeypatch, content, problem):
    messages = Messages(monkeypatch)
    bad = tmp_path / "returns.esat"
    bad.write_bytes(content)
    before = fingerprint(bad)
    window = make_window(qtbot, paths, catalog)
    assert not window.open_file(bad)
    assert window.view is None
    assert messages.shown and problem in messages.shown[-1][1]
    assert str(bad) in messages.shown[-1][1]
    assert fingerprint(bad) == before
    assert not lock_path(bad).exists()


def test_a_newer_file_is_refused_untouched(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    mark_as_newer(path, 7)
    before = fingerprint(path)
    window = make_window(qtbot, paths, catalog)
    assert not window.open_file(path)
    assert "newer version of ESAT" in messages.shown[-1][1]
    assert fingerprint(path) == before


def test_export_for_submission(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    out = tmp_path / "outbox"
    out.mkdir()
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    qtbot.mouseClick(window.view.page.rating_buttons["very"], Qt.LeftButton)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    window.export_action.trigger()
    wait_saved(qtbot, window)
    exported = out / "LX_esps-2009_baseline_2010-11_r1.esat"
    assert exported.is_file()
    assert any(str(exported) in text for _, text in messages.shown), messages.texts()
    assert not list(out.glob(".*"))
    with Store.open(exported, actor="t", read_only=True) as copy:
        assert copy.meta("submission_uuid")
        assert copy.response(copy.only_assessment().uuid, "1B").self_rating == "very"


def test_dropping_a_file_on_the_window_opens_it(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)
    assert window.path == path.absolute()


def test_recent_files_and_demo_from_the_start_screen(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    window.close_file()
    recent = window.start.ui.recentList
    assert recent.count() == 1 and path.name in recent.item(0).text()
    recent.itemActivated.emit(recent.item(0))
    assert window.path == path.absolute()
    window.close_file()
    window.start.ui.demoButton.click()
    assert window.view is not None and window.view.assessment.unit.code == "ZV"
    assert "Zenith Vale" in window.windowTitle()


def _drop_files(target, files) -> bool:
    """Drag ``files`` over ``target``'s viewport and drop them; True when it took them."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    viewport = target.viewport()
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(viewport, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def test_the_evidence_list_takes_dropped_files_only_while_editable(qtbot, paths, catalog, esps,
                                                                    tmp_path, monkeypatch):
    Messages(monkeypatch)
    document = tmp_path / "minutes.txt"
    document.write_text("IAG minutes")
    window = make_window(qtbot, paths, catalog)
    window.open_file(new_file(tmp_path, esps))
    evidence = window.view.page.ui.evidenceList
    evidence.takes_files = False                         # as when the revision is signed off
    assert not _drop_files(evidence, [document])
    evidence.takes_files = True
    assert _drop_files(evidence, [document])
    wait_saved(qtbot, window)
    assert evidence.count() == 1 and "minutes.txt" in evidence.item(0).text()


def test_attachments_open_with_the_system_viewer_and_drop_to_attach(qtbot, paths, catalog, esps,
                                                                    tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    document = tmp_path / "profile.csv"
    document.write_text("ward,population\nNorth,1200\n")
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)
    page = window.view.page
    _drop_files(page.ui.evidenceList, [document])
    wait_saved(qtbot, window)
    assert page.ui.evidenceList.count() == 1
    assert "profile.csv" in page.ui.evidenceList.item(0).text()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.ui.evidenceList.setCurrentRow(0)
    page.ui.openEvidenceButton.click()
    (url,) = opened
    shown = Path(url.toLocalFile())
    assert shown.name == "profile.csv"
    assert shown.read_bytes() == document.read_bytes()
    assert paths.data_dir in shown.parents


def test_details_dialog_edits_document_control_with_undo(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    from esat.gui.dialogs import DetailsDialog
    Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)

    def fill(dialog):
        dialog.ui.authorEdit.setText("E. Lead")
        dialog.ui.markingEdit.setText("Restricted")
        dialog.ui.publicationCheck.setChecked(True)
        dialog.ui.reviewEdit.setDate(dialog.ui.reviewEdit.date().fromString("2012-02-15", "yyyy-MM-dd"))
        dialog.ui.periodEdit.setText("2011-12")
        press_ok(dialog)                                   # refused: not a financial year
        assert "not a financial year" in dialog.ui.problemLabel.text()
        dialog.ui.periodEdit.setText("2011/12")
        press_ok(dialog)

    answer_dialog(monkeypatch, DetailsDialog, fill)
    window.details_action.trigger()
    wait_saved(qtbot, window)
    a = window.reader.assessment(window.view.assessment.uuid)
    assert (a.author, a.protective_marking, a.publication_scheme, a.review_on, a.period) == (
        "E. Lead", "Restricted", True, "2012-02-15", "2011/12")
    window.undo_stack.undo()
    wait_saved(qtbot, window)
    assert window.reader.assessment(a.uuid).author == ""


def test_a_write_the_disk_refuses_says_not_saved(qtbot, paths, catalog, esps, tmp_path, monkeypatch):
    import sqlite3
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    window = make_window(qtbot, paths, catalog)
    window.open_file(path)

    def disk_full(store):
        raise sqlite3.OperationalError("database or disk is full")

    window.view.write(disk_full, "1B")
    wait_saved(qtbot, window)
    (title, text) = messages.shown[-1]
    assert title == "Not saved"
    assert str(path) in text and "disk is full" in text


def test_an_older_file_is_upgraded_with_a_backup_and_says_so(qtbot, paths, catalog, esps, tmp_path,
                                                             monkeypatch):
    from esat import migrations
    messages = Messages(monkeypatch)
    path = new_file(tmp_path, esps)
    current = migrations.schema_version()
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS + (("0099_noop", lambda db: None),))
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    (title, text) = messages.shown[-1]
    assert title == "File upgraded"
    (backup,) = tmp_path.glob(f"LX.format{current}-backup-*.esat")
    assert backup.name in text
    assert "Read-only" not in window.windowTitle()


def _run_app_once(monkeypatch, paths, catalog, file) -> list:
    """``run_app`` as ``esat gui FILE`` runs it, told to note its window and quit at once."""
    from esat.gui import app as app_module
    windows = []
    created = app_module.create_window

    def noting_window(*args, **kwargs):
        windows.append(created(*args, **kwargs))
        return windows[-1]

    monkeypatch.setattr(app_module, "create_window", noting_window)
    monkeypatch.setattr(app_module.errorhook, "install", lambda paths: None)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    assert app_module.run_app(paths=paths, catalog=catalog, file=file) == 0
    return windows


def test_starting_with_a_file_opens_it_without_building_the_start_page(qapp, paths, catalog, esps,
                                                                       tmp_path, monkeypatch):
    path = new_file(tmp_path, esps)
    [window] = _run_app_once(monkeypatch, paths, catalog, path)
    assert window.start is None                     # built only when it is needed
    assert window.path is None and not lock_path(path).exists()     # closed on the way out


def test_starting_with_a_bad_file_shows_the_problem_over_the_start_page(qapp, paths, catalog,
                                                                        tmp_path, monkeypatch):
    messages = Messages(monkeypatch)
    bad = tmp_path / "returns.esat"
    bad.write_bytes(b"not an assessment at all")
    before = fingerprint(bad)
    [window] = _run_app_once(monkeypatch, paths, catalog, bad)
    assert window.start is not None and window.stack.currentWidget() is window.start
    assert "Cannot open the file" in messages.texts() and str(bad) in messages.texts()
    assert fingerprint(bad) == before


def test_an_open_that_fails_midway_leaves_no_file_open(qtbot, paths, catalog, esps, tmp_path,
                                                       monkeypatch):
    first = new_file(tmp_path, esps, code="LX")
    second = new_file(tmp_path, esps, code="BR", name="Bromley")
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(first)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "open", disk_full)
    with pytest.raises(OSError):                     # reported by the error hook, not swallowed
        window.open_file(second)
    assert window.view is None and window.path is None
    assert window.stack.currentWidget() is window.start
    assert not window.close_action.isEnabled() and not window.signoff_action.isEnabled()
    assert "LX" not in window.windowTitle() and "BR" not in window.windowTitle()
    assert not lock_path(first).exists() and not lock_path(second).exists()
