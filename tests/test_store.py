"""The assessment API: every change validated, audited and kept."""

from __future__ import annotations

import sqlite3

import pytest

from esat.errors import ReadOnlyError, ValidationError
from helpers import as_central
from esat.store import Store, submission_file_name


def test_create_assessment_records_unit_framework_and_period(store, borough, esps):
    assert borough.unit.code == "LX"
    assert (borough.framework_id, borough.framework_version, borough.stage) == ("esps", "2009", "baseline")
    assert borough.period == "2010/11" and borough.revision == 1 and not borough.signed_off
    row = store.db.execute("SELECT definition, sha256 FROM frameworks").fetchone()
    assert row[0] == esps.definition_json and row[1] == esps.sha256
    assert store.framework_of(borough) == esps


@pytest.mark.parametrize("changes, message", [
    (dict(unit_code="L X"), "unit code 'L X'"),
    (dict(unit_code=""), "unit code ''"),
    (dict(unit_name="  "), "unit name is required"),
    (dict(unit_type="county"), "unit type 'county' is not one of borough, specialist"),
    (dict(stage="middle"), "phase 'middle' is not one of baseline, integrating, excelling"),
    (dict(period="2010/12"), "period '2010/12' is not a financial year"),
    (dict(period="10/11"), "is not a financial year"),
])
def test_create_assessment_rejects_bad_values(store, esps, changes, message):
    values = dict(stage="baseline", unit_code="LX", unit_name="Lambeth", unit_type="borough",
                  area="South East", period="2010/11")
    values.update(changes)
    with pytest.raises(ValidationError, match=message):
        store.create_assessment(esps, **values)
    assert store.assessments() == []


def test_eslg_assessment_covers_every_level(store, eslg):
    a = store.create_assessment(eslg, stage="level-3", unit_code="SCD7", unit_name="Specialist Crime",
                                unit_type="specialist")
    assert a.stage is None
    assert store.score(a.uuid).level_attained == 0


def test_ratings_narratives_and_validation(store, borough):
    store.set_self_rating(borough.uuid, "1B", "very")
    store.set_narrative(borough.uuid, "1B", "Profiles refreshed with partners.")
    response = store.response(borough.uuid, "1B")
    assert response.self_rating == "very"
    assert response.narrative == "Profiles refreshed with partners."
    with pytest.raises(ValidationError, match="rating 'great' is not on the scale"):
        store.set_self_rating(borough.uuid, "1B", "great")
    with pytest.raises(ValidationError, match="'1I' is not an indicator of this assessment"):
        store.set_self_rating(borough.uuid, "1I", "very")
    store.set_self_rating(borough.uuid, "1B", None)
    assert store.response(borough.uuid, "1B").self_rating is None
    assert store.score(borough.uuid).overall.met == 0


def test_every_change_is_in_the_audit_log_with_who_old_and_new(store, borough):
    store.set_self_rating(borough.uuid, "3B", "fairly")
    store.set_narrative(borough.uuid, "3B", "Evidence")          # another change between
    store.set_self_rating(borough.uuid, "3B", "very")
    store.set_self_rating(borough.uuid, "3B", "very")            # no change, no entry
    updates = [e for e in store.audit(borough.uuid)
               if e.entity == "responses" and e.field == "self_rating"]
    assert [(e.old_value, e.new_value) for e in updates] == [(None, "fairly"), ("fairly", "very")]
    assert {e.actor for e in updates} == {"Test User"}
    assert updates[0].at < updates[1].at
    inserts = [e for e in store.audit(borough.uuid) if e.action == "insert"]
    assert {e.entity for e in inserts} >= {"units", "assessments", "responses"}


def test_unit_exemption_is_a_request_until_a_coordinator_grants_it(store, borough):
    with pytest.raises(ValidationError, match="needs a reason"):
        store.request_exemption(borough.uuid, "6B", "   ")
    store.request_exemption(borough.uuid, "6B", "No custody suite on the borough")
    response = store.response(borough.uuid, "6B")
    assert response.unit_exempt and response.unit_exemption_reason.startswith("No custody")
    assert store.score(borough.uuid).overall.required == 18
    with pytest.raises(ReadOnlyError, match="unit's file: assessor ratings, moderation and "
                                            "exemption decisions are made in the central"):
        store.decide_exemption(borough.uuid, "6B", True, "We grant it ourselves")
    assert store.score(borough.uuid).overall.required == 18
    as_central(store)        # the unit's content as merged into a central database
    with pytest.raises(ValidationError, match="granted exemption needs a reason"):
        store.decide_exemption(borough.uuid, "6B", True, "")
    store.decide_exemption(borough.uuid, "6B", True, "Custody is run centrally")
    result = store.score(borough.uuid)
    assert result.overall.required == 17
    assert next(r for r in result.items if r.item.code == "6B").exempt_by == "coordinator"
    store.decide_exemption(borough.uuid, "6B", False, "Evidence needed")
    assert store.score(borough.uuid).overall.required == 18
    with pytest.raises(ReadOnlyError, match="central database: a unit's content comes in only"):
        store.withdraw_exemption(borough.uuid, "6B")
    assert store.response(borough.uuid, "6B").unit_exempt


def test_strands_on_items_evidence_and_actions(store, borough):
    store.set_item_strands(borough.uuid, "1B", ["age", "race", "age"])
    assert store.response(borough.uuid, "1B").strands == ("race", "age")
    with pytest.raises(ValidationError, match="'class' is not an equality strand"):
        store.set_item_strands(borough.uuid, "1B", ["class"])
    assert store.response(borough.uuid, "1B").strands == ("race", "age")
    note = store.add_note(borough.uuid, "1B", "IAG minutes", "Met monthly", strands=["disability"])
    assert store.evidence(borough.uuid, "1B")[0].strands == ("disability",)
    store.set_evidence_strands(note, ["gender", "disability"])
    assert store.evidence(borough.uuid)[0].strands == ("gender", "disability")
    action = store.add_action(borough.uuid, "1B", "Refresh ward profiles", strands=["religion_belief"])
    assert store.actions(borough.uuid)[0].strands == ("religion_belief",)
    store.set_action_strands(action, [])
    assert store.actions(borough.uuid)[0].strands == ()


def test_evidence_notes_links_and_files(store, borough, tmp_path):
    note = store.add_note(borough.uuid, "2B", "Training", "All staff trained")
    link = store.add_link(borough.uuid, "2B", "", "https://intranet.example/training")
    doc = tmp_path / "profile.txt"
    doc.write_bytes(b"community profile\n" * 100)
    first = store.attach_file(borough.uuid, "2B", doc)
    second = store.attach_file(borough.uuid, "5B", doc, title="Same profile again")
    items = store.evidence(borough.uuid)
    assert [e.kind for e in items] == ["note", "link", "file", "file"]
    assert items[1].title == "https://intranet.example/training"
    assert [e.position for e in items[:3]] == [1, 2, 3]
    assert items[2].file_name == "profile.txt" and items[2].size == 1800
    assert store.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1   # stored once
    assert store.blob(items[2].blob_sha256) == doc.read_bytes()
    store.update_evidence(note, title="Training 2010", body="All staff trained by March")
    assert store.evidence(borough.uuid, "2B")[0].body == "All staff trained by March"
    with pytest.raises(ValidationError, match="needs an address"):
        store.add_link(borough.uuid, "2B", "x", " ")
    with pytest.raises(ValidationError, match="no text to change"):
        store.update_evidence(first, body="x")
    assert {e.uuid for e in store.evidence(borough.uuid)} == {note, link, first, second}


def test_attachment_size_limit_gives_a_clear_error(tmp_path, esps):
    with Store.create(tmp_path / "small.esat", actor="t", attachment_limit=1000) as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L",
                                    unit_type="borough")
        big = tmp_path / "big-scan.pdf"
        big.write_bytes(b"x" * 2_000_000)
        with pytest.raises(ValidationError, match=r"big-scan.pdf: is 1.9 MB; attachments may be at most 1,000 bytes"):
            store.attach_file(a.uuid, "1B", big)
        assert store.evidence(a.uuid) == []
        with pytest.raises(ValidationError, match="missing.pdf: no such file"):
            store.attach_file(a.uuid, "1B", tmp_path / "missing.pdf")


def test_default_attachment_limit_is_25_mb(store):
    assert store.attachment_limit == 25 * 1024 * 1024


def test_removed_evidence_comes_back_with_its_file(store, borough, tmp_path):
    doc = tmp_path / "minutes.txt"
    doc.write_text("IAG minutes")
    evidence_uuid = store.attach_file(borough.uuid, "4B", doc, strands=["race"])
    removed = store.remove_evidence(evidence_uuid)
    assert store.evidence(borough.uuid) == []
    assert store.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0
    store.restore_evidence(removed)
    (restored,) = store.evidence(borough.uuid)
    assert restored.uuid == evidence_uuid and restored.strands == ("race",)
    assert store.blob(restored.blob_sha256) == b"IAG minutes"


def test_actions_are_validated_updated_and_restorable(store, borough):
    with pytest.raises(ValidationError, match="needs a description"):
        store.add_action(borough.uuid, "6B", "  ")
    with pytest.raises(ValidationError, match="due date '31/03/2011' is not a date"):
        store.add_action(borough.uuid, "6B", "Review custody data", due_on="31/03/2011")
    with pytest.raises(ValidationError, match="status 'late'"):
        store.add_action(borough.uuid, "6B", "Review custody data", status="late")
    action = store.add_action(borough.uuid, "6B", "Review custody data", owner="Custody manager",
                              due_on="2011-03-31")
    store.update_action(action, status="in_progress", due_on="2011-04-30")
    (found,) = store.actions(borough.uuid)
    assert (found.status, found.due_on, found.owner) == ("in_progress", "2011-04-30", "Custody manager")
    general = store.add_action(borough.uuid, None, "Refresh the equality scheme")
    assert store.actions(borough.uuid, "6B") == [found]
    removed = store.remove_action(general)
    assert len(store.actions(borough.uuid)) == 1
    store.restore_action(removed)
    assert len(store.actions(borough.uuid)) == 2


def test_sign_off_locks_the_unit_and_reopening_starts_a_new_revision(store, borough):
    store.set_self_rating(borough.uuid, "1B", "very")
    with pytest.raises(ValidationError, match="needs a name and a role"):
        store.sign_off(borough.uuid, name="", role="Superintendent", signed_on="2011-02-15")
    store.sign_off(borough.uuid, name="A. Commander", role="Borough Commander", signed_on="2011-02-15")
    assert store.assessment(borough.uuid).signed_off
    with pytest.raises(ReadOnlyError, match="revision 1 is signed off"):
        store.set_self_rating(borough.uuid, "1B", "fairly")
    with pytest.raises(ReadOnlyError):
        store.add_note(borough.uuid, "1B", "late", "late")
    # a unit cannot rate itself as the assessor
    with pytest.raises(ReadOnlyError, match="unit's file"):
        store.set_assessor_rating(borough.uuid, "1B", "fairly", "Coordinator")
    assert store.response(borough.uuid, "1B").assessor_rating is None
    assert store.reopen(borough.uuid) == 2
    reopened = store.assessment(borough.uuid)
    assert (reopened.revision, reopened.status) == (2, "draft")
    store.set_self_rating(borough.uuid, "1B", "fairly")
    store.sign_off(borough.uuid, name="A. Commander", role="Borough Commander", signed_on="2011-03-01")
    assert [(s.revision, s.signed_on) for s in store.signoffs(borough.uuid)] == [
        (1, "2011-02-15"), (2, "2011-03-01")]
    with pytest.raises(ReadOnlyError, match="not signed off"):
        store.reopen(store.create_assessment(
            store.framework_of(borough), stage="baseline", unit_code="MD", unit_name="Southwark",
            unit_type="borough").uuid)


def test_details_and_document_control(store, borough):
    store.set_details(borough.uuid, protective_marking="Restricted", publication_scheme=True,
                      author="E. Lead", review_on="2012-02-15", period="2011/12")
    a = store.assessment(borough.uuid)
    assert (a.protective_marking, a.publication_scheme, a.author, a.review_on, a.period) == (
        "Restricted", True, "E. Lead", "2012-02-15", "2011/12")
    with pytest.raises(ValidationError, match="review date '15 Feb' is not a date"):
        store.set_details(borough.uuid, review_on="15 Feb")
    with pytest.raises(ValidationError, match="unknown detail"):
        store.set_details(borough.uuid, revision=5)
    store.set_unit(borough.uuid, name="Lambeth BCU", area="South")
    assert store.assessment(borough.uuid).unit.name == "Lambeth BCU"


def test_level_validation_is_recorded(store, eslg):
    a = store.create_assessment(eslg, stage=None, unit_code="DPS", unit_name="Professional Standards",
                                unit_type="specialist")
    with pytest.raises(ReadOnlyError, match="unit's file"):
        store.record_validation(a.uuid, "level-3", validated_by="Ourselves",
                                validated_on="2008-06-01")
    as_central(store)
    store.record_validation(a.uuid, "level-3", validated_by="Peer team, Borough X",
                            validated_on="2008-06-01", method="peer challenge")
    store.record_validation(a.uuid, "level-3", validated_by="Peer team, Borough Y",
                            validated_on="2008-07-01", method="peer challenge")
    (v,) = store.validations(a.uuid)
    assert (v.stage, v.validated_by, v.validated_on) == ("level-3", "Peer team, Borough Y", "2008-07-01")
    with pytest.raises(ValidationError, match="'level-9' is not a level"):
        store.record_validation(a.uuid, "level-9", validated_by="x", validated_on="2008-01-01")


def test_every_record_has_a_uuid_and_timestamps(store, borough, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("a")
    store.set_self_rating(borough.uuid, "1B", "very")
    store.set_item_strands(borough.uuid, "1B", ["race"])
    store.attach_file(borough.uuid, "1B", doc)
    store.add_action(borough.uuid, "1B", "Do it")
    store.sign_off(borough.uuid, name="N", role="R", signed_on="2011-01-01")
    for table in ("units", "assessments", "responses", "evidence", "actions", "strand_tags", "signoffs"):
        rows = store.db.execute(f"SELECT uuid, created_at, updated_at FROM {table}").fetchall()
        assert rows, table
        for uuid, created, updated in rows:
            assert len(uuid) == 36 and created.endswith("Z") and updated >= created


def test_export_submission_chains_each_copy_to_the_one_it_supersedes(store, borough, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    store.set_self_rating(borough.uuid, "1B", "very")
    first = store.export_submission(borough.uuid, out)
    assert first.name == "LX_esps-2009_baseline_2010-11_r1.esat"
    assert first.name == submission_file_name(store.assessment(borough.uuid))
    store.sign_off(borough.uuid, name="N", role="R", signed_on="2011-01-01")
    store.reopen(borough.uuid)
    second = store.export_submission(borough.uuid, out)
    assert second.name.endswith("_r2.esat")
    subs = store.submissions(borough.uuid)
    assert [s.revision for s in subs] == [1, 2]
    assert subs[0].supersedes_uuid is None and subs[1].supersedes_uuid == subs[0].uuid
    with Store.open(second, actor="coordinator", read_only=True) as copy:
        assert copy.meta("submission_uuid") == subs[1].uuid
        assert copy.meta("supersedes_uuid") == subs[0].uuid
        assert copy.response(borough.uuid, "1B").self_rating == "very"
    assert not list(out.glob(".*partial"))
    with pytest.raises(ValidationError, match="no such folder"):
        store.export_submission(borough.uuid, tmp_path / "nowhere")


def test_read_only_store_refuses_changes(tmp_path, esps):
    path = tmp_path / "u.esat"
    with Store.create(path, actor="t") as s:
        a = s.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="L", unit_type="borough")
    with Store.open(path, actor="t", read_only=True) as s:
        with pytest.raises(ReadOnlyError, match="open read-only"):
            s.set_self_rating(a.uuid, "1B", "very")
        with pytest.raises(sqlite3.OperationalError):
            s.db.conn.execute("DELETE FROM units")


def test_a_file_known_only_by_name_and_hash(store, borough, tmp_path):
    sha = "ab" * 32
    ref = store.add_file_reference(borough.uuid, "3B", file_name="scan.pdf", sha256=sha.upper(),
                                   size=1234)
    (item,) = store.evidence(borough.uuid)
    assert (item.uuid, item.kind, item.file_name, item.blob_sha256, item.size, item.has_body) == (
        ref, "file", "scan.pdf", sha, 1234, False)
    with pytest.raises(ValidationError, match="is not a SHA-256 hash"):
        store.add_file_reference(borough.uuid, "3B", file_name="x", sha256="123", size=1)
    # when the body is in the file, a reference uses it
    doc = tmp_path / "minutes.txt"
    doc.write_text("minutes")
    attached = store.attach_file(borough.uuid, "4B", doc)
    digest = next(e.blob_sha256 for e in store.evidence(borough.uuid) if e.uuid == attached)
    store.add_file_reference(borough.uuid, "5B", file_name="minutes.txt", sha256=digest, size=7)
    assert [e.has_body for e in store.evidence(borough.uuid, "5B")] == [True]
    removed = store.remove_evidence(ref)
    assert removed["data"] is None
    store.restore_evidence(removed)
    assert len(store.evidence(borough.uuid, "3B")) == 1


def test_every_action_status_has_one_label_in_order():
    from esat.store import ACTION_STATUS_LABELS, ACTION_STATUSES
    assert tuple(ACTION_STATUS_LABELS) == ACTION_STATUSES
    assert len(set(ACTION_STATUS_LABELS.values())) == len(ACTION_STATUSES)


def test_one_sitting_of_edits_to_one_field_is_one_audit_row(tmp_path, esps):
    from datetime import timedelta
    from conftest import StepClock
    from esat.store import SITTING_GAP
    clock = StepClock()
    path = tmp_path / "sitting.esat"
    with Store.create(path, actor="A. Lead", clock=clock) as store:
        a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough")
        store.set_narrative(a.uuid, "1B", "Before")
    with Store.open(path, actor="A. Lead", clock=clock) as store:    # a new sitting
        def narratives():
            return [(e.old_value, e.new_value, e.actor) for e in store.audit(a.uuid)
                    if e.field == "narrative"]
        before = narratives()
        text = "Before"
        for word in (" we", " consult", " the", " IAG"):           # autosaves while typing
            text += word
            store.set_narrative(a.uuid, "1B", text)
        assert narratives() == before + [("Before", "Before we consult the IAG", "A. Lead")]
        store.set_self_rating(a.uuid, "1B", "very")                 # another field: a new row
        store.set_narrative(a.uuid, "1B", text + ".")
        assert narratives()[-1] == ("Before we consult the IAG", "Before we consult the IAG.",
                                    "A. Lead")
        clock.now += SITTING_GAP + timedelta(seconds=1)             # a long pause: a new row
        store.set_narrative(a.uuid, "1B", text + "!")
        assert narratives()[-1][:2] == ("Before we consult the IAG.", "Before we consult the IAG!")
        store.set_narrative(a.uuid, "1B", text + ".")               # typed back: no change left
        assert narratives()[-1][:2] == ("Before we consult the IAG", "Before we consult the IAG.")
    with Store.open(path, actor="Someone Else", clock=clock) as other:
        other.set_narrative(a.uuid, "1B", "Rewritten")
        assert [e.actor for e in other.audit(a.uuid) if e.field == "narrative"][-1] == "Someone Else"
