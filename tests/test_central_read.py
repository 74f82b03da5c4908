"""Reading a central database fast: the look-again check without hashing where the
content cannot have changed, one read for the units table, the read kept for the
dashboards while the file is unchanged."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import esat.moderation as moderation_module
from conftest import StepClock
from esat.central.dashboard import dashboard, heat_map, scored
from esat.central.merge import UPDATED, open_central
from esat.central.overview import DONE, IN_PROGRESS, ReadCache, read_overview, unit_rows
from esat.moderation import Moderation, agreement, look_again, ratings_to_look_at
from esat.store import Store
from merge_helpers import central, merge, submit, unit_file


def _no_hashing(monkeypatch):
    """Make any digest of the unit's content fail: what passes computed none."""
    def refuse(*args, **kwargs):
        raise AssertionError("an item's content was hashed")
    monkeypatch.setattr(moderation_module, "item_digests", refuse)


def _rate_all(c: Store, uuid: str, rating: str = "fairly") -> list[str]:
    required = [r.item.code for r in c.score(uuid).items if r.required]
    for code in required:
        Moderation(c).rate(uuid, code, rating)
    return required


@pytest.fixture
def rated(tmp_path, esps, catalog):
    """LX merged (revision 1) and every required item rated; LX's file reopened."""
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, r1)
        _rate_all(c, a)
    yield tmp_path / "central.esat", lx, a
    lx.close()


def test_a_rating_given_after_the_last_merge_needs_no_hashing(rated, monkeypatch):
    path, _, a = rated
    _no_hashing(monkeypatch)
    with central(path) as c:
        assert look_again(c.db.conn) == {}
        assert ratings_to_look_at(c.db.conn, a) == []
        assert read_overview(c).rows[0]["moderation_state"] == DONE


def test_remerged_changed_content_flags_the_changed_item_only(rated, catalog):
    path, lx, a = rated
    lx.set_narrative(a, "2B", "More evidence, as asked")
    r2 = submit(lx, a, path.parent / "out")
    with central(path) as c:               # a new clock: merged "before" the ratings were given
        (result,) = merge(c, catalog, r2)
        assert result.status == UPDATED and result.to_look_at == 1
        assert look_again(c.db.conn) == {a: {"2B"}}
        records = Moderation(c).records(a)
        assert records["2B"].look_again and not records["1B"].look_again
        assert read_overview(c).rows[0]["moderation_state"] == IN_PROGRESS
        Moderation(c).rate(a, "2B", "very")            # looked at again: a fresh digest
        assert look_again(c.db.conn) == {}
        assert read_overview(c).rows[0]["moderation_state"] == DONE


def test_remerged_identical_content_flags_nothing(rated, catalog):
    path, lx, a = rated
    r2 = submit(lx, a, path.parent / "out")          # revision 2, the unit's items unchanged
    with central(path) as c:
        (result,) = merge(c, catalog, r2)
        assert result.status == UPDATED and result.to_look_at == 0
        assert look_again(c.db.conn) == {}
        assert read_overview(c).rows[0]["moderation_state"] == DONE


def test_a_clock_running_ahead_when_rating_never_hides_a_later_change(tmp_path, esps, catalog):
    """The order is the audit log's, not the clocks': ratings stamped years after the
    merge that follows them are still checked against that merge's content."""
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    path = tmp_path / "central.esat"
    with open_central(path, actor="early", clock=StepClock()) as c:
        merge(c, catalog, r1)
    ahead = StepClock(datetime(2030, 1, 1, tzinfo=timezone.utc))
    with open_central(path, actor="ahead", clock=ahead) as c:
        _rate_all(c, a)
    lx.set_narrative(a, "1B", "Changed after the rating")
    r2 = submit(lx, a, tmp_path / "out")
    with open_central(path, actor="behind", clock=StepClock()) as c:
        merge(c, catalog, r2)
        assert look_again(c.db.conn) == {a: {"1B"}}
    lx.close()


def test_an_undo_across_a_merge_puts_back_a_rating_to_look_at_again(rated, catalog):
    """Undo (restore) after the content changed: the rating put back was given on the
    old content, so it is flagged, although it is written after the merge."""
    path, lx, a = rated
    with central(path) as c:
        m = Moderation(c)
        before = m.snapshot(a, "1B")
        m.rate(a, "1B", "very")
        kept = m.snapshot(a, "2B")
        m.rate(a, "2B", "very")
    lx.set_narrative(a, "1B", "Changed meanwhile")
    r2 = submit(lx, a, path.parent / "out")
    with central(path) as c:
        merge(c, catalog, r2)
        m = Moderation(c)
        m.restore(a, "1B", before)         # its content changed since: to look at again
        m.restore(a, "2B", kept)           # unchanged: its digest still holds
        records = m.records(a)
        assert records["1B"].assessor_rating == "fairly" and records["1B"].look_again
        assert records["2B"].assessor_rating == "fairly" and not records["2B"].look_again
        assert look_again(c.db.conn) == {a: {"1B"}}


def test_undoing_a_second_look_flags_the_rating_again(rated, catalog):
    """Flagged after a merge, looked at again (a fresh digest, after the merge), then
    undone: the rating put back is the one given on the old content, flagged again."""
    path, lx, a = rated
    lx.set_narrative(a, "1B", "Changed after the rating")
    r2 = submit(lx, a, path.parent / "out")
    with central(path) as c:
        merge(c, catalog, r2)
        m = Moderation(c)
        assert m.records(a)["1B"].look_again
        before = m.snapshot(a, "1B")
        m.rate(a, "1B", "very")
        assert not m.records(a)["1B"].look_again
        m.restore(a, "1B", before)
        records = m.records(a)
        assert records["1B"].assessor_rating == "fairly" and records["1B"].look_again
        assert look_again(c.db.conn) == {a: {"1B"}}
        assert read_overview(c).rows[0]["moderation_state"] == IN_PROGRESS


def test_a_rating_without_a_digest_is_always_to_look_at(rated):
    path, _, a = rated
    with central(path) as c:
        c.db.execute("UPDATE moderation SET evidence_digest = '' WHERE item_code = '3B'")
        assert look_again(c.db.conn) == {a: {"3B"}}


def test_in_a_unit_file_every_digest_is_computed(tmp_path, esps, catalog, monkeypatch):
    """A unit's file changes by the unit's edits, which no merge row records: no shortcut."""
    from esat.feedback import import_feedback, write_feedback
    lx, a = unit_file(tmp_path, esps, "LX")
    r1 = submit(lx, a, tmp_path / "out")
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, r1)
        Moderation(c).rate(a, "1B", "fairly")
        feedback = write_feedback(c, "LX", tmp_path / "LX-feedback.esat")
    import_feedback(feedback, lx)
    assert look_again(lx.db.conn) == {}
    lx.add_note(a, "1B", "After the rating", "New evidence")
    assert look_again(lx.db.conn) == {a: {"1B"}}
    _no_hashing(monkeypatch)
    with pytest.raises(AssertionError, match="hashed"):
        look_again(lx.db.conn)
    lx.close()


def test_one_read_equals_the_one_by_one_reads(tmp_path, esps, catalog):
    """The units table's one read gives what scoring, agreement and the records give
    assessment by assessment."""
    files = []
    stores = []
    for code, area, ratings in (("LX", "South East", {"1B": "very", "2B": "not_very"}),
                                ("MD", "South East", {"1B": "fairly", "3B": "fairly"}),
                                ("NW", "North West", {"1B": "not_at_all"})):
        store, uuid = unit_file(tmp_path, esps, code, area=area, ratings=ratings)
        files.append(submit(store, uuid, tmp_path / "out"))
        stores.append(store)
    with central(tmp_path / "central.esat") as c:
        merge(c, catalog, *files)
        lx, md = (a.uuid for a in c.assessments()[1:])
        m = Moderation(c)
        m.rate(lx, "1B", "fairly")
        m.rate(lx, "2B", "not_very")
        m.ask_further_evidence(md, "3B", "The minutes")
        c.decide_exemption(md, "6B", True, "Run centrally")
        scores = c.scores()
        assert list(scores) == [a.uuid for a in c.assessments()]
        for assessment in c.assessments():
            assert scores[assessment.uuid] == c.score(assessment.uuid)
        everything = m.all_records()
        assert set(everything) == {lx, md}
        for uuid in (lx, md):
            assert everything[uuid] == m.records(uuid)
        assert agreement(c, by="unit") == agreement(
            c, by="unit", assessments=c.assessments(), states=c._all_item_states())
        overview = read_overview(c)
        assert overview.rows == unit_rows(c)
        assert [(s.assessment, s.score) for s in overview.scored] == [
            (s.assessment, s.score) for s in scored(c)]
        assert dashboard(c, overview.scored) == dashboard(c)
        assert heat_map(c, overview.scored) == heat_map(c)
    for store in stores:
        store.close()


def test_the_read_is_kept_while_the_file_is_unchanged(rated, catalog):
    path, _, a = rated
    cache = ReadCache()
    with central(path) as c, Store.open(path, actor="other") as other:
        overview = cache.overview(c)
        assert cache.scored(c) is overview.scored               # unchanged: kept
        Moderation(c).rate(a, "1B", "not_at_all")               # changed by this connection
        again = cache.scored(c)
        assert again is not overview.scored
        assert again[0].score == c.score(a)
        assert cache.scored(c) is again
        Moderation(other).rate(a, "1B", "very")                 # ... and by another one
        third = cache.scored(c)
        assert third is not again and third[0].score == c.score(a)
        assert third[0].score.rating_counts["very"] == 1
