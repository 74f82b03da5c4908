"""The bundled demo: built by code, valid, realistic."""

from __future__ import annotations

from esat.checks import check_file
from esat.demo import DEMO_ACTOR, build_demo, is_demo_file
from esat.store import Store


def test_demo_is_a_valid_realistic_assessment(tmp_path, catalog):
    path = build_demo(tmp_path / "demo.esat", catalog)
    assert check_file(path) == []
    assert is_demo_file(path)
    with Store.open(path, actor="t", read_only=True) as store:
        assert store.meta("created_by") == DEMO_ACTOR
        a = store.only_assessment()
        assert (a.unit.code, a.unit.unit_type, a.framework_key, a.stage) == (
            "ZV", "borough", "esps-2009", "baseline")
        assert a.author and a.summary and a.equality_lead
        files = [e for e in store.evidence(a.uuid) if e.kind == "file"]
        assert len(files) == 2
        assert all(store.blob(e.blob_sha256) for e in files)
        assert len(store.actions(a.uuid)) >= 3
        result = store.score(a.uuid)
        assert result.overall.required == 18
        assert 0 < result.overall.unrated < 18          # work in progress
        assert result.meets_baseline
        assert not list(tmp_path.glob(".*partial"))


def test_paths_demo_file_builds_once_and_keeps_edits(paths, catalog):
    first = paths.demo_file(catalog)
    with Store.open(first, actor="t") as store:
        a = store.only_assessment()
        store.set_narrative(a.uuid, "9B", "edited in the demo")
    again = paths.demo_file(catalog)
    assert again == first
    with Store.open(again, actor="t", read_only=True) as store:
        assert store.response(store.only_assessment().uuid, "9B").narrative == "edited in the demo"
    fresh = paths.demo_file(catalog, fresh=True)
    with Store.open(fresh, actor="t", read_only=True) as store:
        assert store.response(store.only_assessment().uuid, "9B").narrative != "edited in the demo"
