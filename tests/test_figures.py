"""The area and organisation figures (esat/figures.py): pure functions over scored results."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import pytest

from conftest import read_tsv
from esat import figures
from esat.records import Assessment, Unit
from esat.scoring import ItemState, Score, score
from helpers import build_south_east, synthetic_framework
from esat.snapshot import take_all
from esat.store import Store


class R(NamedTuple):
    assessment: Assessment
    score: Score


def assessment(code: str, area: str, period: str = "2010/11") -> Assessment:
    unit = Unit(f"u-{code}", code, f"Unit {code}", "specialist", area)
    return Assessment(f"a-{code}", unit, "synthetic", "1", "s1", period, 1, "draft", "", "", "",
                      False, "", "", "", "", "", "", "", "", "", "")


def rated(framework, code: str, area: str, ratings: dict[str, str], period="2010/11") -> R:
    states = {c: ItemState(self_rating=v) for c, v in ratings.items()}
    return R(assessment(code, area, period), score(framework, "s1", "specialist", states))


@pytest.fixture(scope="module")
def four():
    """A four-indicator framework: 2 of 4 meets (50%)."""
    return synthetic_framework(4)


def test_kpi_counts_assessed_units_meeting_the_baseline_against_the_target(four):
    results = [rated(four, "A", "N", {"1S1": "yes", "2S1": "yes"}),          # 50%: meets
               rated(four, "B", "N", {"1S1": "yes", "2S1": "no"}),           # 25%: not
               rated(four, "C", "S", {})]                                    # not assessed
    k = figures.kpi(results, target=Fraction(1, 2), financial_year="2010/11")
    assert (k.units, k.assessed, k.meeting, k.percent) == (3, 2, 1, 50)
    assert k.target_met is True                  # exactly the target meets it
    assert "Of the 2 units assessed, 1 (50%) currently meets the baseline." in k.statement()
    assert "FY2010/11 target of 50% has been met" in k.statement()
    k = figures.kpi(results, target=Fraction(51, 100))
    assert k.target_met is False and "has not been met" in k.statement()
    assert "No target has been set" in figures.kpi(results, target=None).statement()


def test_kpi_decides_on_the_exact_share_not_the_rounded_percent(four):
    # 71 of 73 = 97.26%: shown 97%; a 97.3% target is not met though 97% "looks" close
    results = ([rated(four, f"M{i}", "N", {"1S1": "yes", "2S1": "yes"}) for i in range(71)]
               + [rated(four, f"X{i}", "N", {"1S1": "no"}) for i in range(2)])
    k = figures.kpi(results, target=Fraction(4, 5), financial_year="2010/11")
    assert (k.assessed, k.meeting, k.percent, k.target_met) == (73, 71, 97, True)
    assert "Of the 73 units assessed, 71 (97%) currently meet the baseline" in k.statement()
    assert figures.kpi(results, target=Fraction(973, 1000)).target_met is False


def test_financial_year_is_the_most_common_period(four):
    results = [rated(four, "A", "N", {}, "2010/11"), rated(four, "B", "N", {}, "2011/12"),
               rated(four, "C", "N", {}, "2011/12")]
    assert figures.financial_year_of(results) == "2011/12"


def test_units_by_area_counts_each_rating_level(four):
    results = [rated(four, "B", "South", {"1S1": "yes", "2S1": "no"}),
               rated(four, "A", "North", {"1S1": "yes", "2S1": "yes", "3S1": "yes"})]
    areas = figures.units_by_area(results)
    assert [a.area for a in areas] == ["North", "South"]
    north = areas[0].rows[0]
    assert (north.rating_counts, north.unrated, north.satisfactory, north.not_satisfactory,
            north.percent, north.meets_baseline) == ((0, 3), 1, 3, 1, 75, True)
    south = areas[1].rows[0]
    assert (south.rating_counts, south.unrated, south.percent) == ((1, 1), 2, 25)


def test_strongest_and_weakest_include_ties(four):
    results = [rated(four, "A", "N", {"1S1": "yes", "2S1": "yes", "3S1": "yes"}),
               rated(four, "B", "N", {"1S1": "yes", "2S1": "yes"})]
    all_figures = figures.indicator_figures(results)
    assert [(f.item.code, f.met_in, f.required_in) for f in all_figures] == [
        ("1S1", 2, 2), ("2S1", 2, 2), ("3S1", 1, 2), ("4S1", 0, 2)]
    assert [f.item.code for f in figures.strongest(all_figures, 1)] == ["1S1", "2S1"]
    assert [f.item.code for f in figures.weakest(all_figures, 1)] == ["4S1"]
    assert [u.code for u in all_figures[2].not_met_units] == ["B"]


def test_pairings_suggest_strong_units_of_the_same_area_first(four):
    results = [rated(four, "W", "North", {"1S1": "no"}),
               rated(four, "S1", "South", {"1S1": "yes"}),
               rated(four, "N2", "North", {"1S1": "yes"}),
               rated(four, "N1", "North", {"1S1": "yes"})]
    pairs = [p for p in figures.pairings(results) if p.unit.code == "W" and p.item.code == "1S1"]
    assert [u.code for u in pairs[0].partners] == ["N1", "N2", "S1"]
    one = [p for p in figures.pairings(results, per_indicator=1)
           if p.unit.code == "W" and p.item.code == "1S1"]
    assert [u.code for u in one[0].partners] == ["N1"]
    # nobody meets 2S1: the weakness is listed with no partner rather than dropped
    assert any(p.item.code == "2S1" and p.partners == () for p in figures.pairings(results))


def test_the_south_east_reference_gives_the_reviews_findings(tmp_path, esps):
    path = build_south_east(tmp_path / "se.esat", esps,
                            rows=read_tsv("esps_se_area_2011_ratings.tsv"))
    with Store.open(path, actor="t", read_only=True) as store:
        results = take_all(store)
    names = {r.assessment.unit.code: r.assessment.unit.name for r in results}
    by_code = {f.item.code: f for f in figures.indicator_figures(results)}
    # "the SE Area had evidence assessed as 'Fairly' or 'Very Satisfactory' in ..."
    everyone = {c for c, f in by_code.items() if f.met_in == f.required_in == 6}
    assert everyone == {"1B", "2B", "4B", "5B", "10B", "11B", "12B", "16B"}

    def exceptions(code):
        return {names[u.code] for u in by_code[code].not_met_units}

    assert exceptions("3B") == exceptions("9B") == {"Lewisham"}
    assert exceptions("7B") == exceptions("14B") == {"Southwark"}
    assert exceptions("22B") == {"Bromley"}
    assert exceptions("13B") == {"Southwark", "Lewisham"}
    assert exceptions("18B") == {"Lambeth", "Lewisham"}
    assert exceptions("19B") == {"Lambeth", "Bromley"}
    assert exceptions("6B") == {"Lambeth", "Southwark", "Lewisham"}
    # "The weakest response was for Operational Delivery indicator 8B"
    assert [f.item.code for f in figures.weakest(list(by_code.values()), 1)] == ["8B"]
    assert {u.code for u in by_code["8B"].not_met_units} == {"LX", "PY", "RG", "RY"}
    k = figures.kpi(results, target=Fraction(4, 5), financial_year="2010/11")
    assert (k.assessed, k.meeting, k.target_met) == (6, 6, True)
    # section meeting: Bromley and Lambeth are yet to meet organisational processes
    meeting = {m.section.title: (m.meeting, m.assessed) for m in figures.section_meeting(results)}
    assert meeting == {"Operational Delivery": (6, 6), "People and Culture": (6, 6),
                       "Organisational Processes": (4, 6)}
    # the weakest borough on 8B can learn from Southwark and Lewisham (the only ones meeting it)
    pair = next(p for p in figures.pairings(results) if p.unit.code == "RG" and p.item.code == "8B")
    assert {u.code for u in pair.partners} == {"MD", "PL"}
    # "Southwark and Lewisham were able to provide 'Fairly' satisfactory evidence ... some
    # learning could be drawn from here"
    share = {e.figure.item.code: e for e in figures.practice_to_share(results)}
    assert ([u.name for u in share["8B"].units], share["8B"].level.label) == (
        ["Southwark", "Lewisham"], "Fairly satisfactory")


def test_practice_to_share_names_the_units_rated_highest_where_others_fall_short(four):
    results = [rated(four, "A", "N", {"1S1": "yes"}), rated(four, "B", "N", {"1S1": "no"}),
               rated(four, "C", "N", {"1S1": "yes", "2S1": "yes"})]
    shared = {(e.figure.item.code, e.level.id): [u.code for u in e.units]
              for e in figures.practice_to_share(results)}
    assert shared == {("1S1", "yes"): ["A", "C"], ("2S1", "yes"): ["C"]}
    assert figures.basis_counts(results) == {"assessor": 0, "both": 0, "self": 3, "none": 0}
