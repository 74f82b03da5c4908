"""The data model of coordinator mode: whose field is whose, file roles, one unit per code,
and submissions that carry exactly one assessment with the hash of its content."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import StepClock
from esat import fileformat, migrations, submission
from esat.errors import ReadOnlyError, ValidationError
from esat.store import Store
from helpers import as_central

NOW = "2011-02-15T09:00:00.000Z"


def _version1_file(path, esps, monkeypatch) -> None:
    """A file as ESAT format 1 wrote it: coordinator fields in `responses`, and one unit row
    per assessment (two for LX)."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "STEPS", migrations.STEPS[:1])
        db = fileformat.create(path)
    conn = db.conn
    with db.atomic():
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("file_uuid", "f1"), ("kind", "unit")])
        conn.execute("INSERT INTO frameworks VALUES (?, ?, ?, ?, ?)",
                     [esps.id, esps.version, esps.definition_json, esps.sha256, NOW])
        for n, (unit, period) in enumerate((("u1", "2009/10"), ("u2", "2010/11"))):
            conn.execute("INSERT INTO units VALUES (?, 'LX', 'Lambeth', 'borough', 'South East', "
                         "?, ?)", [unit, f"2011-0{n + 1}-01T00:00:00.000Z", NOW])
            conn.execute("INSERT INTO assessments (uuid, unit_uuid, framework_id, "
                         "framework_version, stage, period, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, 'baseline', ?, ?, ?)",
                         [f"a{n}", unit, esps.id, esps.version, period, NOW, NOW])
        conn.execute("INSERT INTO responses (uuid, assessment_uuid, item_code, self_rating, "
                     "assessor_rating, assessor_name, assessor_rated_at, narrative, unit_exempt, "
                     "unit_exemption_reason, coord_exempt, coord_exemption_reason, created_at, "
                     "updated_at) VALUES ('r1', 'a1', '1B', 'not_very', 'very', 'C. Coord', ?, "
                     "'text', 0, '', NULL, '', ?, ?)", [NOW, NOW, NOW])
        conn.execute("INSERT INTO responses (uuid, assessment_uuid, item_code, unit_exempt, "
                     "unit_exemption_reason, coord_exempt, coord_exemption_reason, created_at, "
                     "updated_at) VALUES ('r2', 'a1', '6B', 1, 'No custody', 1, 'Run centrally', "
                     "?, ?)", [NOW, NOW])
    db.close()


def test_a_format_1_file_migrates_with_a_backup_and_keeps_every_judgement(tmp_path, esps,
                                                                          monkeypatch):
    from esat.checks import check_file
    path = tmp_path / "old.esat"
    _version1_file(path, esps, monkeypatch)
    assert check_file(path) == []             # an older file is checked as it is
    with Store.open(path, actor="t") as store:
        assert store.migrated_from == 1 and store.backup_path.exists()
        assert store.role == "unit"
        # both assessments now belong to the one LX unit (the earliest row)
        assert {a.unit.uuid for a in store.assessments()} == {"u1"}
        assert store.db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 1
        columns = [r[1] for r in store.db.execute("PRAGMA table_info(responses)")]
        assert "assessor_rating" not in columns and "coord_exempt" not in columns
        r = store.responses("a1")
        assert (r["1B"].self_rating, r["1B"].assessor_rating, r["1B"].assessor_name) == (
            "not_very", "very", "C. Coord")
        assert (r["6B"].unit_exempt, r["6B"].coord_exempt, r["6B"].coord_exemption_reason) == (
            True, True, "Run centrally")
        result = store.score("a1")            # rule 7: the assessor's rating counts
        assert result.overall.required == 17 and result.overall.met == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("INSERT INTO units VALUES ('u3', 'LX', 'x', 'borough', '', ?, ?)",
                             [NOW, NOW])
    assert check_file(path) == []
    with sqlite3.connect(store.backup_path) as backup:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
        assert backup.execute("SELECT assessor_rating FROM responses WHERE uuid = 'r1'"
                              ).fetchone()[0] == "very"


def test_a_unit_keeps_one_identity_across_assessments(store, esps):
    first = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                    unit_type="borough", period="2010/11")
    second = store.create_assessment(esps, stage="baseline", unit_code="lx", unit_name="Lambeth",
                                     unit_type="borough", period="2011/12")
    assert first.unit.uuid == second.unit.uuid
    assert store.db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 1
    with pytest.raises(ValidationError, match="LX is a borough unit in this file"):
        store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="specialist")


def test_roles_keep_each_side_to_its_own_fields(tmp_path, esps):
    with pytest.raises(ValidationError, match="role 'boss'"):
        Store.create(tmp_path / "x.esat", actor="t", role="boss")
    unit = Store.create(tmp_path / "u.esat", actor="unit", clock=StepClock())
    a = unit.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                               unit_type="borough")
    unit.set_self_rating(a.uuid, "1B", "not_at_all")
    for write in (lambda: unit.set_assessor_rating(a.uuid, "1B", "very"),
                  lambda: unit.decide_exemption(a.uuid, "2B", True, "because")):
        with pytest.raises(ReadOnlyError, match="unit's file"):
            write()
    assert unit.db.execute("SELECT COUNT(*) FROM moderation").fetchone()[0] == 0
    as_central(unit)
    unit.set_assessor_rating(a.uuid, "1B", "very", "C. Coord")
    for write in (lambda: unit.set_self_rating(a.uuid, "1B", "very"),
                  lambda: unit.add_note(a.uuid, "1B", "n", "n"),
                  lambda: unit.sign_off(a.uuid, name="n", role="r", signed_on="2011-01-01")):
        with pytest.raises(ReadOnlyError, match="central database: a unit's content"):
            write()
    r = unit.response(a.uuid, "1B")
    assert (r.self_rating, r.assessor_rating) == ("not_at_all", "very")
    # the coordinator's record is audited in its own table
    assert [e.entity for e in unit.audit(a.uuid)][-1] == "moderation"
    unit.close()


def test_export_for_submission_holds_exactly_that_assessment(tmp_path, esps):
    store = Store.create(tmp_path / "many.esat", actor="unit", clock=StepClock())
    lx = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                 unit_type="borough", period="2010/11")
    md = store.create_assessment(esps, stage="baseline", unit_code="MD", unit_name="Southwark",
                                 unit_type="borough", period="2010/11")
    store.set_self_rating(lx.uuid, "1B", "very")
    store.attach_bytes(lx.uuid, "1B", b"lx body", file_name="lx.txt")
    store.attach_bytes(md.uuid, "1B", b"md body", file_name="md.txt")
    out = tmp_path / "out"
    out.mkdir()
    path = store.export_submission(lx.uuid, out)
    (sub,) = store.submissions(lx.uuid)
    assert len(sub.sha256) == 64
    assert sub.sha256 == submission.content_digest(store.db.conn, lx.uuid)
    with Store.open(path, actor="c", read_only=True) as copy:
        assert [a.uuid for a in copy.assessments()] == [lx.uuid]
        assert copy.role == "unit" and copy.meta("submission_uuid") == sub.uuid
        assert copy.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
        assert [s.uuid for s in copy.submissions(lx.uuid)] == [sub.uuid]
        # the content in the copy hashes to what the unit recorded
        assert submission.content_digest(copy.db.conn, lx.uuid) == sub.sha256
    store.close()


def test_content_hash_ignores_timestamps_and_moderation_but_not_unit_content(tmp_path, esps):
    store = Store.create(tmp_path / "u.esat", actor="unit", clock=StepClock())
    a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough")
    store.set_self_rating(a.uuid, "1B", "very")
    before = submission.content_digest(store.db.conn, a.uuid)
    store.set_self_rating(a.uuid, "1B", "fairly")
    store.set_self_rating(a.uuid, "1B", "very")        # same content, later timestamps
    assert submission.content_digest(store.db.conn, a.uuid) == before
    as_central(store)
    store.set_assessor_rating(a.uuid, "1B", "not_very")
    assert submission.content_digest(store.db.conn, a.uuid) == before
    store.db.execute("UPDATE responses SET narrative = 'x'")
    assert submission.content_digest(store.db.conn, a.uuid) != before
    store.close()


def test_the_score_reads_both_sides_of_every_item_as_the_responses_show_them(tmp_path, esps):
    from esat.scoring import score
    store = Store.create(tmp_path / "u.esat", actor="unit", clock=StepClock())
    a = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Lambeth",
                                unit_type="borough")
    for code, rating in (("1B", "very"), ("2B", "not_very"), ("3B", "fairly")):
        store.set_self_rating(a.uuid, code, rating)
    store.request_exemption(a.uuid, "4B", "Joint protocol")
    as_central(store)
    store.set_assessor_rating(a.uuid, "2B", "fairly")        # both sides
    store.set_assessor_rating(a.uuid, "9B", "very")          # the assessor's only
    store.decide_exemption(a.uuid, "4B", True, "Agreed")
    store.decide_exemption(a.uuid, "5B", False, "No")
    expected = score(esps, "baseline", "borough",
                     {code: r.state() for code, r in store.responses(a.uuid).items()})
    result = store.score(a.uuid)
    assert result == expected
    assert (result.overall.required, result.overall.met) == (17, 4)
    store.close()
