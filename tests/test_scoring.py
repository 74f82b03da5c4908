"""The scoring rules of the brief, checked exactly."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from conftest import SHARED_DOMAIN, DATA, read_tsv
from helpers import synthetic_framework
from esat.scoring import ItemState, Tally, meets, round_half_up_percent, score


def se_area_scores(store, esps):
    """Load the 2011 South East ratings and score every borough."""
    labels = {point.label: point.id for point in esps.scale}
    assessments = {}
    for row in read_tsv("esps_se_area_2011_ratings.tsv"):
        code = row["unit_code"]
        if code not in assessments:
            assessments[code] = store.create_assessment(
                esps, stage="baseline", unit_code=code, unit_name=row["unit_name"],
                unit_type="borough", area="South East", period="2010/11")
        store.set_self_rating(assessments[code].uuid, row["indicator"], labels[row["rating"]])
    return {code: store.score(a.uuid) for code, a in assessments.items()}


def test_south_east_2011_reference_is_reproduced_exactly(store, esps):
    scores = se_area_scores(store, esps)
    expected = read_tsv("esps_se_area_2011_expected.tsv")
    assert sorted(scores) == sorted(row["unit_code"] for row in expected)
    for row in expected:
        result = scores[row["unit_code"]]
        sections = {section.title: f"{tally.percent}%" for section, tally in result.sections}
        assert sections == {
            "Operational Delivery": row["operational_delivery"],
            "People and Culture": row["people_and_culture"],
            "Organisational Processes": row["organisational_processes"],
        }, row["unit_code"]
        assert f"{result.overall.percent}%" == row["overall"]
        assert result.overall.met == int(row["satisfactory"])
        assert result.overall.not_met == int(row["not_satisfactory"])
        assert result.overall.required == 18          # 22 less the four borough exemptions
        assert result.meets_baseline == (row["meets_baseline"] == "yes")
        assert result.basis == "unit's own ratings"


@pytest.mark.skipif(not SHARED_DOMAIN.is_dir(), reason="shared/ is not beside the checkout")
@pytest.mark.parametrize("name", ["esps_se_area_2011_ratings.tsv",
                                  "esps_se_area_2011_expected.tsv",
                                  "esps_baseline_indicators.tsv"])
def test_test_copies_of_the_reference_match_shared(name):
    assert (DATA / name).read_bytes() == (SHARED_DOMAIN / name).read_bytes()


@pytest.mark.parametrize("met, required, percent", [
    (29, 40, 73),     # 72.5 rounds up
    (1, 8, 13),       # 12.5 rounds up
    (3, 8, 38),       # 37.5 rounds up
    (1, 3, 33),
    (2, 3, 67),
    (14, 18, 78),
    (0, 5, 0),
    (5, 5, 100),
])
def test_percent_is_rounded_half_up(met, required, percent):
    assert round_half_up_percent(Fraction(met, required)) == percent
    assert Tally(required, met, 0).percent == percent


@settings(max_examples=300, deadline=None)
@given(st.integers(-10_000, 10_000), st.integers(1, 10_000))
def test_percent_in_integers_is_the_rule_exactly(n, d):
    """The integer arithmetic of round_half_up_percent and Tally.percent is the rule's
    floor(fraction x 100 + 1/2), computed with exact fractions."""
    exact = math.floor(Fraction(n, d) * 100 + Fraction(1, 2))
    assert round_half_up_percent(Fraction(n, d)) == exact
    if 0 <= n <= d:
        assert Tally(d, n, 0).percent == exact


def test_decisions_use_the_exact_fraction_not_the_rounded_percent():
    framework = synthetic_framework(199, threshold=50)
    states = {f"{i}S1": ItemState(self_rating="yes") for i in range(2, 101)}   # 99 met
    result = score(framework, "s1", "specialist", states)
    assert result.overall.required == 199
    assert result.overall.met == 99
    assert result.overall.percent == 50                  # 49.75 shown as 50 ...
    assert result.meets_threshold is False               # ... but it does not meet 50%


def test_exactly_fifty_percent_meets():
    framework = synthetic_framework(18)
    states = {f"{i}S1": ItemState(self_rating="yes") for i in range(1, 10)}
    result = score(framework, "s1", "specialist", states)
    assert (result.overall.met, result.overall.required) == (9, 18)
    assert result.overall.percent == 50
    assert result.meets_threshold is True
    assert meets(Fraction(1, 2), Fraction(1, 2)) is True
    assert meets(Fraction(49, 100), Fraction(1, 2)) is False


def test_unrated_items_count_against_and_never_shrink_the_denominator():
    framework = synthetic_framework(10)
    states = {"1S1": ItemState(self_rating="yes"), "2S1": ItemState(self_rating="yes")}
    result = score(framework, "s1", "specialist", states)
    assert result.overall.required == 10
    assert result.overall.met == 2
    assert result.overall.unrated == 8
    assert result.overall.percent == 20
    assert len(result.missing()) == 8


def test_type_exemptions_and_granted_exemptions_leave_the_denominator():
    framework = synthetic_framework(10)
    states = {
        "2S1": ItemState(self_rating="yes"),
        "3S1": ItemState(coord_exempt=True, coord_exemption_reason="Covered by HQ"),
        "4S1": ItemState(coord_exempt=False),           # refused: still required
    }
    result = score(framework, "s1", "borough", states)
    by_code = {r.item.code: r for r in result.items}
    assert by_code["1S1"].required is False and by_code["1S1"].exempt_by == "type"
    assert by_code["1S1"].exempt_reason == "Corporate"
    assert by_code["3S1"].required is False and by_code["3S1"].exempt_by == "coordinator"
    assert by_code["4S1"].required is True
    assert result.overall.required == 8
    assert result.overall.met == 1
    # the same unit type without the exemption has one more required item
    assert score(framework, "s1", "specialist", states).overall.required == 9


def test_assessor_rating_counts_over_the_units_own_and_the_basis_says_so():
    framework = synthetic_framework(4)
    states = {
        "1S1": ItemState(self_rating="yes", assessor_rating="no"),
        "2S1": ItemState(self_rating="no", assessor_rating="yes"),
        "3S1": ItemState(self_rating="yes"),
    }
    result = score(framework, "s1", "specialist", states)
    by_code = {r.item.code: r for r in result.items}
    assert (by_code["1S1"].rating, by_code["1S1"].rating_source, by_code["1S1"].met) == ("no", "assessor", False)
    assert (by_code["2S1"].rating, by_code["2S1"].rating_source, by_code["2S1"].met) == ("yes", "assessor", True)
    assert by_code["3S1"].rating_source == "self"
    assert by_code["4S1"].rating_source is None
    assert result.overall.met == 2
    assert (result.assessor_count, result.self_count) == (2, 1)
    assert result.basis == "assessor's rating for 2, unit's own rating for 1"


def test_section_scores_follow_the_same_rule():
    framework = synthetic_framework(6, sections=2)
    # items 2, 4, 6 are in section 1; 1, 3, 5 in section 2
    states = {"2S1": ItemState(self_rating="yes"), "4S1": ItemState(self_rating="yes"),
              "1S1": ItemState(self_rating="yes")}
    result = score(framework, "s1", "specialist", states)
    sections = {section.id: tally for section, tally in result.sections}
    assert (sections["sec1"].met, sections["sec1"].required, sections["sec1"].percent) == (2, 3, 67)
    assert (sections["sec2"].met, sections["sec2"].required, sections["sec2"].percent) == (1, 3, 33)


def test_no_required_items_gives_no_percent_and_does_not_meet():
    framework = synthetic_framework(1)
    result = score(framework, "s1", "borough", {})
    assert result.overall.required == 0
    assert result.overall.percent is None
    assert result.meets_threshold is False


def test_esps_rating_counts_cover_every_scale_point(esps):
    states = {"1B": ItemState(self_rating="very"), "2B": ItemState(self_rating="fairly"),
              "3B": ItemState(self_rating="not_very"), "6B": ItemState(self_rating="not_at_all")}
    result = score(esps, "baseline", "borough", states)
    assert result.rating_counts == {"not_at_all": 1, "not_very": 1, "fairly": 1, "very": 1}
    assert result.overall.unrated == 14
    assert result.overall.met == 2


# -- ESlg: cumulative levels ---------------------------------------------------

def _achieve(eslg, levels, *, except_codes=()):
    return {item.code: ItemState(self_rating="achieved") for item in eslg.items
            if item.stage in levels and item.code not in except_codes}


def test_eslg_level_needs_every_criterion_at_it_and_below(eslg):
    assert score(eslg, None, "borough", {}).level_attained == 0
    level1 = _achieve(eslg, {"level-1"})
    assert score(eslg, None, "borough", level1).level_attained == 1
    two = _achieve(eslg, {"level-1", "level-2"})
    result = score(eslg, None, "borough", two)
    assert result.level_attained == 2
    assert result.level_attained_stage.id == "level-2"
    assert result.meets_baseline is True


def test_eslg_a_gap_below_blocks_every_level_above(eslg):
    first = next(item.code for item in eslg.items if item.stage == "level-1")
    states = _achieve(eslg, {"level-1", "level-2", "level-3"}, except_codes={first})
    states[first] = ItemState(self_rating="partly")     # partly achieved is not achieved
    result = score(eslg, None, "borough", states)
    assert result.level_attained == 0
    assert result.meets_baseline is False


def test_eslg_progress_per_area(eslg):
    leadership = {item.code: ItemState(self_rating="achieved") for item in eslg.items
                  if item.section == "leadership" and item.stage in ("level-1", "level-2")}
    result = score(eslg, None, "borough", leadership)
    levels = {section.id: level for section, level in result.area_levels}
    assert levels["leadership"] == 2
    assert levels["employment"] == 0
    assert result.level_attained == 0
    tallies = {section.id: tally for section, tally in result.sections}
    assert tallies["leadership"].met == len(leadership)
    assert len(result.stages) == 5


def _by_the_rules(framework, stage_id, unit_type, states):
    """The brief's rules, item by item and section by section, written out plainly:
    what score() must give, however it is computed."""
    exempt = framework.type_exemptions(unit_type)
    items = framework.items_for(stage_id)
    required, ratings = [], {}
    for item in items:
        state = states.get(item.code, ItemState())
        if item.code not in exempt and not state.coord_exempt:
            required.append(item)
        ratings[item.code] = (state.assessor_rating if state.assessor_rating is not None
                              else state.self_rating)

    def tally(chosen):
        met = sum(1 for i in chosen if ratings[i.code] is not None
                  and framework.scale_point(ratings[i.code]).met)
        return (len(chosen), met, sum(1 for i in chosen if ratings[i.code] is None))

    return {
        "overall": tally(required),
        "sections": [(s.id, tally([i for i in required if i.section == s.id]))
                     for s in framework.sections if any(i.section == s.id for i in items)],
        "stages": [(s.id, tally([i for i in required if i.stage == s.id]))
                   for s in framework.assessed_stages(stage_id)],
        "counts": {p.id: sum(1 for i in required if ratings[i.code] == p.id)
                   for p in framework.scale},
        "assessor": sum(1 for i in required
                        if states.get(i.code, ItemState()).assessor_rating is not None),
        "self": sum(1 for i in required
                    if states.get(i.code, ItemState()).assessor_rating is None
                    and ratings[i.code] is not None),
    }


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_score_gives_the_rules_tallies_for_any_states(esps, eslg, data):
    framework = data.draw(st.sampled_from([esps, eslg]))
    stage_id = None if framework.scope == "all_stages" else data.draw(
        st.sampled_from([s.id for s in framework.stages]))
    unit_type = data.draw(st.sampled_from([t.id for t in framework.unit_types]))
    points = [None] + [p.id for p in framework.scale]
    states = {}
    items = framework.items_for(stage_id)
    # at times a whole section granted exempt: it is still listed, with nothing required
    granted = data.draw(st.sampled_from([None] + sorted({i.section for i in items})))
    for item in items:
        if item.section == granted:
            states[item.code] = ItemState(data.draw(st.sampled_from(points)), None, True, "r")
        elif data.draw(st.booleans()):
            states[item.code] = ItemState(
                data.draw(st.sampled_from(points)), data.draw(st.sampled_from(points)),
                data.draw(st.sampled_from([None, True, False])), "reason")
    result = score(framework, stage_id, unit_type, states)
    expected = _by_the_rules(framework, stage_id, unit_type, states)
    assert tuple(result.overall) == expected["overall"]
    assert [(s.id, tuple(t)) for s, t in result.sections] == expected["sections"]
    assert [(s.id, tuple(t)) for s, t in result.stages] == expected["stages"]
    assert result.rating_counts == expected["counts"]
    assert (result.assessor_count, result.self_count) == (expected["assessor"], expected["self"])
