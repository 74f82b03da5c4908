"""The merge rules, hostile input and conflicts (the property tests are in test_merge_properties)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from esat.central.history import conflicts, history, received_content, resolve
from esat.central.merge import ALREADY, CONFLICT, IMPORTED, REJECTED, UPDATED
from esat.errors import EsatError, InvalidFileError
from esat.store import Store
from merge_helpers import central, merge, submit, unit_file


def fingerprint(path):
    return path.read_bytes()


def test_import_then_same_again_then_supersede(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    lx.set_self_rating(a, "2B", "fairly")
    r2 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        (first,) = merge(c, catalog, r1)
        assert (first.status, first.revision) == (IMPORTED, 1)
        assert c.responses(a)["2B"].self_rating == "not_very"
        (again,) = merge(c, catalog, r1)
        assert again.status == ALREADY and again.message == "already imported (LX revision 1)"
        (second,) = merge(c, catalog, r2)
        assert (second.status, second.message) == (UPDATED, "updated (LX: revision 2 supersedes 1)")
        assert c.responses(a)["2B"].self_rating == "fairly"
        rows = history(c, "lx")
        assert [(r["revision"], r["state"]) for r in rows] == [(1, "superseded"), (2, "current")]
        # provenance: file name, its hash, who and when
        assert rows[0]["source_name"] == r1.name and len(rows[0]["source_sha256"]) == 64
        assert rows[0]["merged_by"] == "C. Coordinator" and rows[0]["merged_at"].endswith("Z")
        # the earlier revision can still be read
        old = received_content(c, rows[0]["uuid"])
        assert {r["item_code"]: r["self_rating"] for r in old["responses"]}["2B"] == "not_very"
        assert c.role == "central" and len(c.assessments()) == 1
    lx.close()


def test_a_stale_or_branching_submission_is_a_conflict_never_applied(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    r2 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, r2)
        (old,) = merge(c, catalog, r1)
        assert old.status == CONFLICT and "older than the current revision 2" in old.message
        assert [r["state"] for r in history(c, "LX")] == ["current", "conflict"]
        assert c.assessment(a).revision == 2
    # a unit that restored an old copy and sent it again branches off revision 1
    branch_dir = tmp_path / "branch"
    branch_dir.mkdir()
    shutil.copy(r1, branch_dir / "restored.esat")
    restored = Store.open(branch_dir / "restored.esat", actor="unit")
    restored.db.execute("UPDATE meta SET value = 'unit' WHERE key = 'role'")
    restored.db.execute("DELETE FROM meta WHERE key IN ('submission_uuid', 'supersedes_uuid')")
    restored.db.conn.commit()
    restored.reopen(a)
    restored.set_self_rating(a, "3B", "very")
    branch = submit(restored, a, branch_dir / "out")
    restored.close()
    with central(tmp_path / "central.esat") as c:
        before = c.responses(a)
        (result,) = merge(c, catalog, branch)
        assert result.status == CONFLICT and "does not follow the current revision 2" in result.message
        assert c.responses(a) == before                     # never applied
        (listed,) = [x for x in conflicts(c) if x["source_name"] == branch.name]
        resolve(c, listed["uuid"][:8], keep="incoming")
        assert c.responses(a)["3B"].self_rating == "very"
        states = {r["source_name"]: r["state"] for r in history(c, "LX")}
        assert states[branch.name] == "current" and states[r2.name] == "superseded"
        (left,) = conflicts(c)
        resolve(c, left["uuid"], keep="current")
        assert conflicts(c) == [] and c.responses(a)["3B"].self_rating == "very"
        assert [e.new_value for e in c.audit(a) if e.field == "state"] == ["current", "set_aside"]
        with pytest.raises(EsatError, match="not a conflict"):
            resolve(c, listed["uuid"], keep="current")
    lx.close()


def test_moderation_survives_a_resubmission_and_a_changed_item_is_flagged(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, r1)
        c.set_assessor_rating(a, "1B", "fairly", "C. Coordinator")
        c.set_assessor_rating(a, "2B", "very", "C. Coordinator")
        c.decide_exemption(a, "6B", True, "Custody is run centrally")
    lx.set_narrative(a, "2B", "More evidence, as asked")
    r2 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        (result,) = merge(c, catalog, r2)
        assert result.status == UPDATED and result.to_look_at == 1
        assert "1 assessor rating to look at again" in result.message
        r = c.responses(a)
        assert (r["1B"].assessor_rating, r["2B"].assessor_rating, r["6B"].coord_exempt) == (
            "fairly", "very", True)
        assert r["2B"].narrative == "More evidence, as asked"
        assert c.score(a).overall.required == 17
    lx.close()


def test_the_same_workbook_twice_is_harmless(tmp_path, esps, catalog):
    from esat.excel import export_assessment
    lx, a = unit_file(tmp_path, esps, "LX")
    book = export_assessment(lx, a, tmp_path / "lx.xlsx")
    lx.close()
    with central(tmp_path / "central.esat") as c:
        (first,) = merge(c, catalog, book)
        (second,) = merge(c, catalog, book)
        assert (first.status, second.status) == (IMPORTED, ALREADY)
        from openpyxl import load_workbook
        wb = load_workbook(book)
        wb["Indicators"]["A1"].parent.title = "Indicators"      # re-saved: other bytes
        wb.save(tmp_path / "lx-again.xlsx")
        (third,) = merge(c, catalog, tmp_path / "lx-again.xlsx")
        assert third.status == UPDATED and third.message == "updated (LX: revision 2 supersedes 1)"
        (only,) = c.assessments()
        assert c.responses(only.uuid)["1B"].self_rating == "very"
        row = history(c, "LX")[0]
        assert row["source_kind"] == "xlsx" and row["content_sha256"] == row["source_sha256"]


def test_hostile_and_wrong_files_are_rejected_and_change_nothing(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    good = submit(lx, a, tmp_path / "out")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "text.esat").write_text("not a database")
    (bad / "empty.xlsx").write_bytes(b"")
    shutil.copy(tmp_path / "LX.esat", bad / "working.esat")          # not a submission
    tampered = bad / "tampered.esat"
    shutil.copy(good, tampered)
    conn = sqlite3.connect(tampered)
    conn.execute("UPDATE responses SET self_rating = 'very' WHERE item_code = '2B'")
    conn.commit()
    conn.close()
    foreign = bad / "foreign.esat"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    (bad / "notes.txt").write_text("ignored in a folder")
    lx.close()
    path = tmp_path / "central.esat"
    with central(path) as c:
        merge(c, catalog, good)
    before = fingerprint(path)
    with central(path) as c:
        outcomes = merge(c, catalog, bad, tmp_path / "missing.esat")
    reasons = {o.file.rsplit("/", 1)[-1]: o.message for o in outcomes}
    assert all(o.status == REJECTED for o in outcomes)
    assert set(reasons) == {"text.esat", "empty.xlsx", "working.esat", "tampered.esat",
                            "foreign.esat", "missing.esat"}
    assert "not an SQLite database" in reasons["text.esat"]
    assert "not a submission" in reasons["working.esat"]
    assert "does not match the hash recorded" in reasons["tampered.esat"]
    assert "not made by ESAT" in reasons["foreign.esat"]
    assert "no such file" in reasons["missing.esat"]
    assert fingerprint(path) == before


def test_a_central_database_is_not_merged_into_another_and_a_unit_file_is_not_a_central(
        tmp_path, esps, catalog):
    with central(tmp_path / "central.esat"):
        pass
    with central(tmp_path / "other.esat") as c:
        (result,) = merge(c, catalog, tmp_path / "central.esat")
        assert result.status == REJECTED and "central file, not a unit's submission" in result.message
    lx, _ = unit_file(tmp_path, esps, "LX")
    lx.close()
    with pytest.raises(InvalidFileError, match="is a unit file, not a central database"):
        central(tmp_path / "LX.esat")


def test_an_assessment_claimed_by_another_unit_is_rejected(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    r2 = submit(lx, a, tmp_path / "out")
    lx.close()
    path = tmp_path / "central.esat"
    with central(path) as c:
        merge(c, catalog, r1)
        c.db.execute("UPDATE units SET code = 'MD'")
        c.db.conn.commit()
    before = fingerprint(path)
    with central(path) as c:
        (result,) = merge(c, catalog, r2)
    assert result.status == REJECTED and "belongs to unit MD" in result.message
    assert fingerprint(path) == before


def test_a_crafted_column_never_reaches_the_central_sql(tmp_path, esps, catalog):
    from esat import submission
    lx, a = unit_file(tmp_path, esps, "LX")
    good = submit(lx, a, tmp_path / "out")
    lx.close()
    crafted = tmp_path / "crafted.esat"
    shutil.copy(good, crafted)
    conn = sqlite3.connect(crafted)
    conn.execute('ALTER TABLE evidence ADD COLUMN "title = \'x\', kind" TEXT')
    conn.execute("UPDATE submissions SET sha256 = ?", [submission.content_digest(conn, a)])
    conn.commit()
    conn.close()
    path = tmp_path / "central.esat"
    with central(path):
        pass
    before = fingerprint(path)
    with central(path) as c:
        (result,) = merge(c, catalog, crafted)
    assert result.status == REJECTED
    assert fingerprint(path) == before


def test_a_central_database_is_never_exported_as_a_unit_submission(tmp_path, esps, catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    good = submit(lx, a, tmp_path / "out")
    lx.close()
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, good)
        with pytest.raises(EsatError, match="central file; only a unit's file"):
            c.export_submission(a, tmp_path)


def test_a_file_being_written_is_not_taken_and_cancel_stops_between_files(tmp_path, esps,
                                                                         catalog):
    lx, a = unit_file(tmp_path, esps, "LX")
    md, b = unit_file(tmp_path, esps, "MD")
    first, second = submit(lx, a, tmp_path / "out"), submit(md, b, tmp_path / "out")
    lx.close()
    md.close()
    journal = first.with_name(first.name + "-journal")
    journal.write_bytes(b"x")
    seen = []
    with central(tmp_path / "central.esat") as c:
        (busy,) = merge(c, catalog, first)
        assert busy.status == REJECTED and "is being written" in busy.message
        journal.unlink()
        from esat.central.merge import merge_files
        done = merge_files(c, [first, second], catalog,
                           progress=lambda i, n, name: seen.append((i, n)),
                           cancelled=lambda: len(seen) >= 1)
        assert [o.status for o in done] == [IMPORTED] and len(c.assessments()) == 1


def test_each_incoming_file_is_checked_once_and_a_dangling_reference_is_refused(
        tmp_path, esps, catalog, monkeypatch):
    """The intake uses the one open path (every check, once), and a record that refers to a
    missing one is refused there as by `esat check`."""
    from esat import fileformat
    from esat.checks import check_file
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    lx.close()
    dangling = tmp_path / "dangling" / r1.name
    dangling.parent.mkdir()
    shutil.copy(r1, dangling)
    with sqlite3.connect(dangling) as conn:             # foreign keys are off by default here
        conn.execute("UPDATE responses SET assessment_uuid = 'nowhere' WHERE item_code = '1B'")
    conn.close()
    assert any("refers to a missing assessments record" in p for p in check_file(dangling))
    with pytest.raises(InvalidFileError, match="refers to a missing assessments record"):
        Store.open(dangling, actor="t", read_only=True)
    calls = []
    real = fileformat.integrity_check
    monkeypatch.setattr(fileformat, "integrity_check",
                        lambda conn, **k: (calls.append(1), real(conn, **k))[1])
    with central(tmp_path / "central.esat") as c:
        calls.clear()
        (refused,) = merge(c, catalog, dangling)
        assert refused.status == REJECTED and "refers to a missing assessments record" in refused.message
        assert len(calls) == 1
        calls.clear()
        (taken,) = merge(c, catalog, r1)
        assert taken.status == IMPORTED and len(calls) == 1
