"""Moderation, dip sampling, agreement, KPI targets, search and feedback."""

from __future__ import annotations

import sqlite3
from fractions import Fraction

import pytest

from esat.errors import EsatError, InvalidFileError, ReadOnlyError, ValidationError
from esat.feedback import import_feedback, write_feedback
from esat.moderation import Moderation, agreement, agreement_of
from esat.search import fts_query, matches_text, search
from esat.store import Store
from merge_helpers import central, merge, submit, to_format_2, unit_file


@pytest.fixture
def merged(tmp_path, esps, catalog):
    """A central database holding LX (South East) and MD (South East) and NW (North West)."""
    units = {}
    out = tmp_path / "out"
    files = []
    for code, area, ratings in (("LX", "South East", {"1B": "very", "2B": "not_very",
                                                      "3B": "fairly"}),
                                ("MD", "South East", {"1B": "fairly", "2B": "fairly"}),
                                ("NW", "North West", {"1B": "not_at_all"})):
        store, uuid = unit_file(tmp_path, esps, code, area=area, ratings=ratings)
        files.append(submit(store, uuid, out))
        units[code] = (store, uuid)
    c = central(tmp_path / "central.esat")
    merge(c, catalog, *files)
    yield c, units
    c.close()
    for store, _ in units.values():
        store.close()


def test_moderation_steps_are_audited_and_refused_in_a_unit_file(merged):
    c, units = merged
    lx_store, lx = units["LX"]
    m = Moderation(c)
    m.rate(lx, "1B", "fairly", comment="Profiles seen")
    m.ask_further_evidence(lx, "2B", "Send the panel minutes")
    m.grant_exemption(lx, "6B", "Custody run centrally")
    m.refuse_exemption(lx, "7B", "Victims' services are local")
    with pytest.raises(ValidationError, match="say what further evidence"):
        m.ask_further_evidence(lx, "2B", " ")
    with pytest.raises(ValidationError, match="refused exemption needs a reason"):
        m.refuse_exemption(lx, "8B", "")
    records = m.records(lx)
    assert (records["1B"].assessor_rating, records["1B"].comment) == ("fairly", "Profiles seen")
    assert records["2B"].further_evidence and records["2B"].comment == "Send the panel minutes"
    assert (records["6B"].exemption_decision, records["7B"].exemption_decision) == (True, False)
    fields = {(e.entity, e.field) for e in c.audit(lx) if e.action == "update"}
    assert ("moderation", "comment") in fields
    assert any('"further_evidence": 1' in (e.new_value or "") for e in c.audit(lx)
               if e.entity == "moderation" and e.action == "insert")
    with pytest.raises(ReadOnlyError, match="unit's file"):
        Moderation(lx_store).rate(lx, "1B", "very")
    with pytest.raises(EsatError, match="KPI targets are set in the central database"):
        Moderation(lx_store).set_kpi_target("2010/11", 80)


def test_dip_samples_are_reproducible_and_recorded(merged):
    c, units = merged
    lx = units["LX"][1]
    m = Moderation(c)
    first = m.draw_sample(lx, 5)
    again = m.draw_sample(lx, 5, seed=first.seed)
    assert again.item_codes == first.item_codes and len(set(first.item_codes)) == 5
    required = {r.item.code for r in c.score(lx).items if r.required}
    assert set(first.item_codes) <= required
    assert len(m.draw_sample(lx, 100, seed=1).item_codes) == len(required)
    assert [(s.seed, s.size) for s in m.samples(lx)] == [(first.seed, 5), (first.seed, 5),
                                                          (1, 100)]
    with pytest.raises(ValidationError):
        m.draw_sample(lx, 0)


def test_weighted_kappa_matches_the_hand_worked_figure():
    # three-point scale; one disagreement by one step
    n, exact, sat, kappa = agreement_of([(0, 0, False, False), (1, 1, True, True),
                                         (2, 2, True, True), (0, 1, False, True)], 3)
    assert (n, exact, sat) == (4, Fraction(3, 4), Fraction(3, 4))
    assert kappa == pytest.approx(5 / 7)
    assert agreement_of([], 4) == (0, None, None, None)
    assert agreement_of([(1, 1, True, True)] * 3, 4)[3] is None        # one category: undefined


def test_agreement_per_unit_area_and_organisation(merged):
    c, units = merged
    m = Moderation(c)
    m.rate(units["LX"][1], "1B", "very")          # agrees
    m.rate(units["LX"][1], "2B", "fairly")        # one step, crosses satisfactory
    m.rate(units["MD"][1], "1B", "fairly")        # agrees
    m.rate(units["NW"][1], "1B", "not_very")      # one step, both unsatisfactory
    m.rate(units["NW"][1], "9B", "very")          # no self rating: not a pair
    by_unit = {r.name: r for r in agreement(c, by="unit")}
    assert (by_unit["LX"].pairs, by_unit["LX"].exact, by_unit["LX"].satisfactory) == (
        2, Fraction(1, 2), Fraction(1, 2))
    assert (by_unit["NW"].pairs, by_unit["NW"].satisfactory) == (1, 1)
    by_area = {r.name: r for r in agreement(c, by="area")}
    assert by_area["South East"].pairs == 3 and by_area["South East"].exact == Fraction(2, 3)
    (org,) = agreement(c, by="organisation")
    assert (org.pairs, org.exact, org.satisfactory) == (4, Fraction(1, 2), Fraction(3, 4))
    assert org.as_dict()["exact_percent"] == 50.0 and org.kappa is not None


def test_kpi_targets_per_financial_year(merged):
    c, _ = merged
    m = Moderation(c)
    m.set_kpi_target("2010/11", 80)
    m.set_kpi_target("2011/12", 100)
    m.set_kpi_target("2010/11", 85)
    assert m.kpi_targets() == {"2010/11": 85, "2011/12": 100}
    for bad in (("2010", 80), ("2010/11", 120)):
        with pytest.raises(ValidationError):
            m.set_kpi_target(*bad)


def test_search_finds_units_words_and_follows_resubmissions(tmp_path, esps, catalog, merged):
    c, units = merged
    found = search(c.db.conn, "ward profile*")
    assert {h.unit_code for h in found.hits} == {"LX", "MD", "NW"}
    assert (found.total, found.ranked) == (3, True)
    assert all(h.item_code == "1B" and h.kind == "note" and "[" in h.snippet for h in found.hits)
    assert search(c.db.conn, "").hits == [] and search(c.db.conn, 'NEAR( "x OR').hits == []
    assert fts_query('a "b" c*') == '"a" AND "b" AND "c"*'
    assert fts_query("ward " * 20_000 + "ward*") == '"ward" AND "ward"*'   # asked for once
    lx_store, lx = units["LX"]
    lx_store.set_narrative(lx, "5B", "Hate crime scrutiny panel meets monthly")
    merge(c, catalog, submit(lx_store, lx, tmp_path / "out"))
    (hit,) = search(c.db.conn, "hate crime").hits
    assert (hit.unit_code, hit.item_code, hit.kind) == ("LX", "5B", "narrative")
    # the index holds exactly the current content: one note per unit, not one per revision
    assert search(c.db.conn, "ward").total == 3
    # too many to rank: the first ones, in file order, and "more than" the ranking bound
    # (counting stops there)
    import esat.search as search_module
    original = search_module.RANK_AT_MOST
    search_module.RANK_AT_MOST = 1
    try:
        found = search(c.db.conn, "ward", limit=2)
    finally:
        search_module.RANK_AT_MOST = original
    assert (len(found.hits), found.total, found.ranked, found.exact) == (2, 1, False, False)
    assert [h.unit_code for h in found.hits] == ["LX", "MD"]      # file order, not rank
    assert matches_text(found) == "2 of more than 1 matches (too many to rank: add words to narrow them)"
    assert matches_text(search(c.db.conn, "ward", limit=2)) == "2 of 3 matches"
    assert matches_text(search(c.db.conn, "ward")) == "3 matches"
    assert matches_text(search(c.db.conn, "nowhere")) == "no matches"


def test_feedback_travels_back_and_the_unit_cannot_change_it(tmp_path, merged):
    c, units = merged
    lx_store, lx = units["LX"]
    m = Moderation(c)
    m.rate(lx, "1B", "fairly", comment="Seen")
    m.ask_further_evidence(lx, "2B", "Send minutes")
    fb = write_feedback(c, "lx", tmp_path / "lx-feedback.esat")
    with pytest.raises(EsatError, match="no assessment of unit ZZ"):
        write_feedback(c, "ZZ", tmp_path / "zz.esat")
    result = import_feedback(fb, lx_store)
    assert (result.unit_code, result.records, result.further_evidence) == ("LX", 2, 1)
    r = lx_store.responses(lx)
    assert r["1B"].assessor_rating == "fairly" and r["1B"].self_rating == "very"
    assert lx_store.score(lx).basis == "assessor's rating for 1, unit's own rating for 2"
    with pytest.raises(ReadOnlyError):
        lx_store.set_assessor_rating(lx, "1B", "very")
    # taking it in again replaces, never doubles
    import_feedback(fb, lx_store)
    assert lx_store.db.execute("SELECT COUNT(*) FROM moderation").fetchone()[0] == 2
    # feedback is for that unit's assessment only, and must be a feedback file
    md_store, _ = units["MD"]
    with pytest.raises(EsatError, match="none of them the one in"):
        import_feedback(fb, md_store)
    with pytest.raises(InvalidFileError, match="central file, not a feedback file"):
        import_feedback(c.path, lx_store)
    broken = tmp_path / "broken.esat"
    broken.write_bytes(fb.read_bytes()[:4096])
    with pytest.raises(InvalidFileError):
        import_feedback(broken, lx_store)
    with Store.open(fb, actor="x", read_only=True) as opened:
        assert opened.role == "feedback"
        assert opened.db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
        with pytest.raises(sqlite3.OperationalError):
            opened.db.execute("DELETE FROM moderation")


def test_feedback_on_every_assessment_of_a_unit_is_taken_in_at_once(tmp_path, esps, catalog):
    """A unit file with two years' assessments: feedback on both reaches both, in one go."""
    store, first = unit_file(tmp_path, esps, "LX", period="2010/11")
    second = store.create_assessment(esps, stage="baseline", unit_code="LX", unit_name="Unit LX",
                                     unit_type="borough", area="South East",
                                     period="2011/12").uuid
    store.set_self_rating(second, "1B", "fairly")
    c = central(tmp_path / "central.esat")
    out = tmp_path / "out"
    merge(c, catalog, submit(store, first, out), submit(store, second, out))
    m = Moderation(c)
    m.rate(first, "1B", "not_very", comment="2010 seen")
    m.rate(second, "1B", "very", comment="2011 seen")
    m.ask_further_evidence(second, "2B", "Send minutes")
    fb = write_feedback(c, "LX", tmp_path / "lx-feedback.esat")
    result = import_feedback(fb, store)
    assert set(result.assessment_uuids) == {first, second}
    assert (result.records, result.further_evidence) == (3, 1)
    assert store.responses(first)["1B"].assessor_rating == "not_very"
    assert store.responses(second)["1B"].assessor_rating == "very"
    assert Moderation(store).records(second)["2B"].further_evidence
    c.close()
    store.close()


def test_feedback_from_an_earlier_esat_is_taken_in(tmp_path, merged):
    """A central database still on format 2 writes format-2 feedback: the unit's newer
    ESAT brings its private copy up to date; the feedback file itself is not changed."""
    c, units = merged
    lx_store, lx = units["LX"]
    Moderation(c).rate(lx, "1B", "fairly", comment="Seen")
    fb = write_feedback(c, "lx", tmp_path / "lx-feedback.esat")
    to_format_2(fb)
    sent = fb.read_bytes()
    assert import_feedback(fb, lx_store).records == 1
    assert lx_store.responses(lx)["1B"].assessor_rating == "fairly"
    assert fb.read_bytes() == sent


def test_each_moderation_step_can_be_undone_from_a_snapshot(merged):
    c, units = merged
    lx = units["LX"][1]
    m = Moderation(c)
    m.rate(lx, "1B", "fairly", comment="Seen")
    before = m.snapshot(lx, "1B")
    assert m.snapshot(lx, "2B") is None
    m.rate(lx, "1B", "not_at_all", comment="Wrong evidence")
    m.ask_further_evidence(lx, "2B", "Minutes")
    m.restore(lx, "1B", before)
    m.restore(lx, "2B", None)
    assert m.snapshot(lx, "1B") == before and m.snapshot(lx, "2B") is None
    assert c.responses(lx)["1B"].assessor_rating == "fairly"
    assert [e.action for e in c.audit(lx) if e.entity == "moderation"][-1] == "delete"


def test_item_digests_in_bulk_equal_one_by_one(tmp_path, esps, catalog):
    """The look-again check reads an assessment's digests in two queries; they must be
    exactly :func:`item_digest`'s, for items with evidence, without, and never touched."""
    from esat.submission import item_digest, item_digests
    from merge_helpers import unit_file
    store, uuid = unit_file(tmp_path, esps, "LX", ratings={"1B": "very", "2B": "not_very",
                                                          "3B": "fairly"})
    store.add_link(uuid, "2B", "Panel", "https://intranet.example/panel")
    store.set_narrative(uuid, "3B", "=1+1 and ünïcode")
    store.request_exemption(uuid, "6B", "Custody is run centrally")
    codes = [item.code for item in esps.items_for("baseline")]
    bulk = item_digests(store.db.conn, uuid, codes)
    assert bulk == {code: item_digest(store.db.conn, uuid, code) for code in codes}
    assert len(set(bulk.values())) > 3                 # they differ where the items differ
    store.close()


def test_migration_3_indexes_prefixes_and_keeps_every_piece(tmp_path, merged):
    """A central database of format 2 (search index without prefix lists) opens as format 3
    with the same pieces under the same rowids, and short prefixes find the same hits."""
    from esat import migrations
    from esat.central.merge import open_central
    c, _ = merged
    path = c.path
    pieces = c.db.execute("SELECT rowid, * FROM search_index ORDER BY rowid").fetchall()
    assert len(pieces) == 3
    c.close()
    to_format_2(path)
    with open_central(path, actor="t") as store:
        assert store.migrated_from == 2
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert store.db.execute("SELECT rowid, * FROM search_index ORDER BY rowid").fetchall() \
            == pieces
        sql = store.db.execute("SELECT sql FROM sqlite_schema WHERE name = 'search_index'"
                               ).fetchone()[0]
        assert "prefix = '1 2 3'" in sql
        for words in ("w*", "wa*", "war*", "ward"):
            assert {h.unit_code for h in search(store.db.conn, words).hits} == {"LX", "MD", "NW"}
