"""Export, then import into a new file: the same assessment comes back."""

from __future__ import annotations

import pytest

from esat.excel import apply_plan, export_assessment, read_workbook
from esat.store import Store
from test_excel_support import build_eslg, build_esps, snapshot


def round_trip(tmp_path, store, uuid, catalog):
    before = snapshot(store, uuid)
    score = store.score(uuid)
    export_assessment(store, uuid, tmp_path / "out.xlsx")
    store.close()
    plan = read_workbook(tmp_path / "out.xlsx", catalog)
    assert plan.problems == []
    result = apply_plan(plan, tmp_path / "back.esat", actor="Importer")
    with Store.open(tmp_path / "back.esat", actor="t", read_only=True) as back:
        after = snapshot(back, result.assessment_uuid)
        back_score = back.score(result.assessment_uuid)
    return before, after, score, back_score


@pytest.mark.parametrize("hostile", [False, True])
def test_esps_round_trip(tmp_path, esps, catalog, hostile):
    store, uuid = build_esps(tmp_path / "lx.esat", esps, hostile=hostile)
    before, after, score, back_score = round_trip(tmp_path, store, uuid, catalog)
    assert before["responses"] and before["evidence"] and before["actions"]
    assert after == before
    assert back_score.overall == score.overall and back_score.basis == score.basis


def test_eslg_round_trip(tmp_path, eslg, catalog):
    store, uuid = build_eslg(tmp_path / "scd7.esat", eslg)
    before, after, score, back_score = round_trip(tmp_path, store, uuid, catalog)
    assert before["details"][5] is None                       # no stage: every level
    assert after == before
    assert back_score.level_attained == score.level_attained == 2


def test_file_items_link_up_with_their_bodies_when_they_come_home(tmp_path, esps, catalog):
    store, uuid = build_esps(tmp_path / "lx.esat", esps)
    export_assessment(store, uuid, tmp_path / "lx.xlsx")
    store.close()
    plan = read_workbook(tmp_path / "lx.xlsx", catalog)
    elsewhere = apply_plan(plan, tmp_path / "copy.esat", actor="t")
    with Store.open(tmp_path / "copy.esat", actor="t", read_only=True) as copy:
        files = [e for e in copy.evidence(elsewhere.assessment_uuid) if e.kind == "file"]
        assert [(e.file_name, e.has_body) for e in files] == [("profile.txt", False),
                                                              ("minutes.pdf", False)]
    apply_plan(plan, tmp_path / "lx.esat", actor="t")
    with Store.open(tmp_path / "lx.esat", actor="t", read_only=True) as home:
        files = [e for e in home.evidence(uuid) if e.kind == "file"]
        assert [(e.file_name, e.has_body) for e in files] == [("profile.txt", True),
                                                              ("minutes.pdf", True)]
        assert home.blob(files[0].blob_sha256) == b"community profile body"
