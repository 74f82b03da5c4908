"""The scoring rules, exactly as the brief states them (see ``docs/scoring.md``).

Pure functions over a framework and the state of each item; no storage.

ESPS (``percent_met``):

1. Required items: the stage's items, less those exempt for the unit's type,
   less any exemption a coordinator has granted (with a reason). A unit's own
   request for an exemption does not count until a coordinator grants it.
2. Score = met required items ÷ required items. An item with no rating counts
   as not met: a gap never shrinks the denominator.
3. Shown as a whole percent rounded half up (72.5 → 73); decisions use the
   exact fraction.
4. The threshold is met at or above ``threshold_percent`` (50: exactly 50 meets).
5. Section scores follow the same rule over the section's required items.
6. The rating that counts is the assessor's (coordinator's) where there is one,
   else the unit's own; each result says which was used.

ESlg (``cumulative_levels``): a level is attained when every required
criterion at that level and at every level below it is achieved.
"""

# No `from __future__ import annotations` in this module: with it, NamedTuple
# compiles each field's annotation string at import, a few ms of every start.

from fractions import Fraction
from typing import Iterable, Mapping, NamedTuple

from .framework import Framework, Item, Section, Stage

ASSESSOR = "assessor"
SELF = "self"


class ItemState(NamedTuple):
    """What an assessment holds about one item, as scoring needs it."""

    self_rating: str | None = None
    assessor_rating: str | None = None
    coord_exempt: bool | None = None        # True granted, False refused, None undecided
    coord_exemption_reason: str = ""


class ItemResult(NamedTuple):
    item: Item
    required: bool
    exempt_reason: str            # why it is not required; empty when required
    exempt_by: str                # "type", "coordinator" or ""
    rating: str | None            # the rating that counts
    rating_source: str | None     # ASSESSOR, SELF or None when unrated
    met: bool


class Tally(NamedTuple):
    required: int
    met: int
    unrated: int

    @property
    def not_met(self) -> int:
        return self.required - self.met

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.met, self.required) if self.required else None

    @property
    def percent(self) -> int | None:
        return percent_of(self.met, self.required) if self.required else None   # no Fraction


class Score(NamedTuple):
    framework: Framework
    stage_id: str | None
    unit_type: str
    items: tuple[ItemResult, ...]
    overall: Tally
    sections: tuple[tuple[Section, Tally], ...]
    stages: tuple[tuple[Stage, Tally], ...]
    rating_counts: dict[str, int]          # scale point id → required items so rated
    assessor_count: int                    # required items scored on the assessor's rating
    self_count: int                        # ... on the unit's own rating
    meets_threshold: bool | None           # percent_met only
    level_attained: int | None = None      # cumulative_levels only: 0 = none
    area_levels: tuple[tuple[Section, int], ...] = ()

    @property
    def basis(self) -> str:
        """Which ratings the score used, in words, for every report."""
        if self.assessor_count and self.self_count:
            return (f"assessor's rating for {self.assessor_count}, "
                    f"unit's own rating for {self.self_count}")
        if self.assessor_count:
            return "assessor's ratings"
        if self.self_count:
            return "unit's own ratings"
        return "no ratings yet"

    @property
    def meets_baseline(self) -> bool:
        """Baseline met: the threshold (ESPS), or the first level attained (ESlg)."""
        if self.level_attained is not None:
            return self.level_attained >= 1
        return bool(self.meets_threshold)

    @property
    def level_attained_stage(self) -> Stage | None:
        if not self.level_attained:
            return None
        return self.framework.stages[self.level_attained - 1]

    def missing(self) -> list[ItemResult]:
        """Required items that have no rating yet."""
        return [result for result in self.items if result.required and result.rating is None]


def round_half_up_percent(fraction: Fraction) -> int:
    """A fraction as a whole percent, halves rounded up (72.5 → 73)."""
    return percent_of(fraction.numerator, fraction.denominator)


def percent_of(n: int, d: int) -> int:
    """n/d (d > 0) as a whole percent, halves rounded up:
    floor(n/d * 100 + 1/2) = floor((200n + d) / 2d), exact, in integers."""
    return (200 * n + d) // (2 * d)


def meets(fraction: Fraction | None, threshold: Fraction | None) -> bool | None:
    if threshold is None:
        return None
    if fraction is None:
        return False
    return fraction >= threshold


def score(framework: Framework, stage_id: str | None, unit_type: str,
          states: Mapping[str, ItemState], shared: dict | None = None) -> Score:
    """Score one assessment. ``states`` maps item code to its state; missing codes are blank.

    ``shared``: a dict kept across the scores of many assessments, so equal item
    results are one object (a 1,000-unit central database has 22,000 item results
    but a few hundred different ones: fewer objects for the garbage collector)."""
    type_exempt = framework.type_exemptions(unit_type)
    met_by = {point.id: point.met for point in framework.scale}
    blank = ItemState()
    results = []
    for item in framework.items_for(stage_id):
        state = states.get(item.code, blank)
        if item.code in type_exempt:
            exempt_by, reason = "type", type_exempt[item.code]
        elif state.coord_exempt:
            exempt_by, reason = "coordinator", state.coord_exemption_reason
        else:
            exempt_by, reason = "", ""
        if state.assessor_rating is not None:
            rating, source = state.assessor_rating, ASSESSOR
        elif state.self_rating is not None:
            rating, source = state.self_rating, SELF
        else:
            rating, source = None, None
        met = rating is not None and met_by[rating]        # KeyError: not on the scale
        if shared is None:
            results.append(ItemResult(item, not exempt_by, reason, exempt_by, rating, source,
                                      met))
            continue
        key = (id(item), reason, exempt_by, rating, source, met)    # items live as long
        found = shared.get(key)                                      # as their framework
        if found is None or found.item is not item:
            found = shared[key] = ItemResult(item, not exempt_by, reason, exempt_by, rating,
                                             source, met)
        results.append(found)

    required = [r for r in results if r.required]
    overall = _tally(required)
    # one pass over the required items: by section, by stage, by rating and whose
    in_section: dict[str, list[ItemResult]] = {r.item.section: [] for r in results}
    in_stage: dict[str, list[ItemResult]] = {}
    rating_counts = {point.id: 0 for point in framework.scale}
    assessor_count = self_count = 0
    for r in required:
        in_section[r.item.section].append(r)
        in_stage.setdefault(r.item.stage, []).append(r)
        if r.rating is not None:
            rating_counts[r.rating] += 1
            if r.rating_source == ASSESSOR:
                assessor_count += 1
            else:
                self_count += 1
    sections = tuple((section, _tally(in_section[section.id]))
                     for section in framework.sections if section.id in in_section)
    stages = tuple((stage, _tally(in_stage.get(stage.id, ())))
                   for stage in framework.assessed_stages(stage_id))

    level_attained = None
    area_levels: tuple[tuple[Section, int], ...] = ()
    meets_threshold = None
    if framework.method == "cumulative_levels":
        level_attained = _cumulative_level(framework, required, section_id=None)
        area_levels = tuple((section, _cumulative_level(framework, required, section.id))
                            for section, _ in sections)
    else:
        meets_threshold = meets(overall.fraction, framework.threshold)

    return Score(
        framework=framework, stage_id=stage_id, unit_type=unit_type, items=tuple(results),
        overall=overall, sections=sections, stages=stages, rating_counts=rating_counts,
        assessor_count=assessor_count, self_count=self_count,
        meets_threshold=meets_threshold, level_attained=level_attained, area_levels=area_levels,
    )


def _tally(results: Iterable[ItemResult]) -> Tally:
    results = list(results)
    return Tally(required=len(results), met=sum(1 for r in results if r.met),
                 unrated=sum(1 for r in results if r.rating is None))


def _cumulative_level(framework: Framework, required: list[ItemResult],
                      section_id: str | None) -> int:
    """Highest level whose required items, and those of every level below, are all met."""
    attained = 0
    for number, stage in enumerate(framework.stages, start=1):
        at_level = [r for r in required if r.item.stage == stage.id
                    and (section_id is None or r.item.section == section_id)]
        if all(r.met for r in at_level):
            attained = number
        else:
            break
    return attained
