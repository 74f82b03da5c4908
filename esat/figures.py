"""The figures of an area or organisation report, over any number of scored assessments.

Pure functions: no file, no screen. Each takes the assessments to count as a
sequence of *results*, anything with an ``assessment`` (a
:class:`~esat.records.Assessment`) and a ``score`` (a :class:`~esat.scoring.Score`),
such as :class:`~esat.snapshot.Snapshot`. Which assessments are current is the
caller's choice (a unit file holds one; a central database decides among
revisions), and so is the KPI target, which the coordinator sets per financial
year and passes in.

The figures follow the 2011 review (``docs/reports.md``):

* :func:`kpi`: the share of assessed units meeting the baseline against a
  target (rule 6); the decision uses the exact fraction.
* :func:`units_by_area`: Table 1, units by area with counts per rating level
  and the score.
* :func:`section_rows`: Table 2, section scores per unit.
* :func:`indicator_figures`, :func:`strongest`, :func:`weakest`: how many units
  met each indicator.
* :func:`weaknesses`, :func:`good_practice`: per unit.
* :func:`pairings`: for each unit weak on an indicator, units strong on it,
  same area first ("master classes").
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Iterable, NamedTuple, Protocol, Sequence

from .framework import Framework, Item, ScalePoint, Section
from .records import Assessment, Unit
from .scoring import ItemResult, Score, Tally, round_half_up_percent


class Result(Protocol):
    """What a figure needs of one assessment (a Snapshot is one)."""

    @property
    def assessment(self) -> Assessment: ...

    @property
    def score(self) -> Score: ...


# -- which assessments, grouped how ------------------------------------------------------


class Group(NamedTuple):
    """Assessments made under one framework and phase: figures compare only these."""

    framework: Framework
    stage_id: str | None
    results: tuple

    @property
    def title(self) -> str:
        stage = (self.framework.stage(self.stage_id).title if self.stage_id
                 else f"all {self.framework.label('stages').lower()}")
        return f"{self.framework.abbreviation} {self.framework.version} {stage}"


def groups(results: Iterable[Result]) -> list[Group]:
    """Results split by framework and phase, in first-seen order."""
    found: dict[tuple[str, str | None], list[Result]] = {}
    frameworks: dict[tuple[str, str | None], Framework] = {}
    for result in results:
        key = (result.score.framework.key, result.score.stage_id)
        found.setdefault(key, []).append(result)
        frameworks.setdefault(key, result.score.framework)
    return [Group(frameworks[key], key[1], tuple(values)) for key, values in found.items()]


def is_assessed(result: Result) -> bool:
    """An assessment counts as assessed once any required indicator has a rating."""
    overall = result.score.overall
    return overall.required > 0 and overall.unrated < overall.required


def in_area(results: Iterable[Result], area: str) -> list[Result]:
    """The results of units in ``area`` (compared without case or outer spaces)."""
    wanted = area.strip().casefold()
    return [r for r in results if r.assessment.unit.area.strip().casefold() == wanted]


def mean_percent(fractions: Sequence[Fraction]) -> int | None:
    """The mean of exact fractions as a whole percent, halves up; None for none."""
    if not fractions:
        return None
    return round_half_up_percent(sum(fractions, Fraction(0)) / len(fractions))


# -- the KPI (rule 6) -----------------------------------------------------------------------


class Kpi(NamedTuple):
    financial_year: str
    units: int                  # every unit counted in
    assessed: int               # ... of which assessed (any rating)
    meeting: int                # ... of which meet the baseline
    target: Fraction | None     # the year's target; None when none is set

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.meeting, self.assessed) if self.assessed else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round_half_up_percent(share)

    @property
    def target_percent(self) -> int | None:
        return None if self.target is None else round_half_up_percent(self.target)

    @property
    def target_met(self) -> bool | None:
        """Decided on the exact share; None when there is no target or nothing assessed."""
        if self.target is None or self.share is None:
            return None
        return self.share >= self.target

    def statement(self, noun: str = "unit") -> str:
        """The review's sentence: "Of the 73 units assessed, 71 (97%) ... has been met"."""
        def plural(n: int) -> str:
            return noun if n == 1 else noun + "s"

        if not self.assessed:
            text = f"None of the {self.units} {plural(self.units)} has been assessed yet."
        else:
            text = (f"Of the {self.assessed} {plural(self.assessed)} assessed, {self.meeting} "
                    f"({self.percent}%) currently {'meets' if self.meeting == 1 else 'meet'} "
                    "the baseline.")
        target = f"the FY{self.financial_year} target" if self.financial_year else "the target"
        if self.target is None:
            year = f"FY{self.financial_year}" if self.financial_year else "the financial year"
            return text + f" No target has been set for {year}."
        if self.target_met is None:
            return text + f" {target[0].upper()}{target[1:]} is {self.target_percent}%."
        verdict = "has been met" if self.target_met else "has not been met"
        return text + f" Therefore {target} of {self.target_percent}% {verdict}."


def kpi(results: Iterable[Result], *, target: Fraction | None,
        financial_year: str = "") -> Kpi:
    """Share of assessed units meeting the baseline, against ``target`` (a fraction of 1)."""
    results = list(results)
    assessed = [r for r in results if is_assessed(r)]
    meeting = sum(1 for r in assessed if r.score.meets_baseline)
    return Kpi(financial_year, len(results), len(assessed), meeting, target)


def financial_year_of(results: Iterable[Result]) -> str:
    """The period most of the results are for ("" when none says one)."""
    counts = Counter(r.assessment.period for r in results if r.assessment.period)
    if not counts:
        return ""
    best = max(counts.values())
    return max(period for period, n in counts.items() if n == best)


# -- Table 1: units by area ------------------------------------------------------------------


class UnitRow(NamedTuple):
    unit: Unit
    required: int
    rating_counts: tuple[int, ...]      # per scale point, in the framework's order
    unrated: int
    satisfactory: int
    not_satisfactory: int
    percent: int | None
    meets_baseline: bool
    level_attained: int | None          # ESlg only
    basis: str


class AreaRows(NamedTuple):
    area: str
    rows: tuple[UnitRow, ...]

    @property
    def meeting(self) -> int:
        return sum(1 for row in self.rows if row.meets_baseline)


def unit_row(result: Result) -> UnitRow:
    score = result.score
    return UnitRow(
        unit=result.assessment.unit, required=score.overall.required,
        rating_counts=tuple(score.rating_counts[p.id] for p in score.framework.scale),
        unrated=score.overall.unrated, satisfactory=score.overall.met,
        not_satisfactory=score.overall.not_met, percent=score.overall.percent,
        meets_baseline=score.meets_baseline, level_attained=score.level_attained,
        basis=score.basis)


def units_by_area(results: Iterable[Result]) -> list[AreaRows]:
    """Table 1: one row per unit, grouped by area (areas and units in name/code order)."""
    by_area: dict[str, list[UnitRow]] = {}
    for result in results:
        by_area.setdefault(result.assessment.unit.area or "", []).append(unit_row(result))
    return [AreaRows(area, tuple(sorted(rows, key=lambda r: r.unit.code)))
            for area, rows in sorted(by_area.items(), key=lambda kv: (kv[0] == "", kv[0]))]


def area_mean_percent(results: Iterable[Result]) -> int | None:
    """The mean of the units' exact scores (the review's "MPS Average")."""
    return mean_percent([r.score.overall.fraction for r in results
                         if r.score.overall.fraction is not None])


# -- Table 2: section scores per unit ----------------------------------------------------------


class SectionRow(NamedTuple):
    unit: Unit
    tallies: tuple[Tally | None, ...]   # per section of the group, None when not assessed


def section_columns(results: Sequence[Result]) -> list[Section]:
    """The sections any of the results is scored on, in the framework's order."""
    seen: dict[str, Section] = {}
    for result in results:
        for section, _ in result.score.sections:
            seen.setdefault(section.id, section)
    if not results:
        return []
    order = [s.id for s in results[0].score.framework.sections]
    return sorted(seen.values(), key=lambda s: order.index(s.id) if s.id in order else len(order))


def section_rows(results: Sequence[Result]) -> tuple[list[Section], list[SectionRow]]:
    """Table 2: each unit's score per section (same rule as the overall score)."""
    columns = section_columns(results)
    rows = []
    for result in sorted(results, key=lambda r: (r.assessment.unit.area, r.assessment.unit.code)):
        tallies = dict((section.id, tally) for section, tally in result.score.sections)
        rows.append(SectionRow(result.assessment.unit,
                               tuple(tallies.get(section.id) for section in columns)))
    return columns, rows


def section_codes(results: Sequence[Result], section: Section) -> list[str]:
    """The indicator codes a section's score is over (required by at least one unit)."""
    codes: list[str] = []
    for result in results:
        for item_result in result.score.items:
            if (item_result.required and item_result.item.section == section.id
                    and item_result.item.code not in codes):
                codes.append(item_result.item.code)
    return codes


# -- indicators across units ----------------------------------------------------------------


class IndicatorFigure(NamedTuple):
    item: Item
    required_in: int                    # units for which it is required
    met_in: int
    not_met_units: tuple[Unit, ...]     # required and not met (unrated counts as not met)

    @property
    def share(self) -> Fraction:
        return Fraction(self.met_in, self.required_in)

    @property
    def percent(self) -> int:
        return round_half_up_percent(self.share)


def indicator_figures(results: Iterable[Result]) -> list[IndicatorFigure]:
    """How many units met each indicator, in the framework's order."""
    items: dict[str, Item] = {}
    required: Counter[str] = Counter()
    met: Counter[str] = Counter()
    not_met: dict[str, list[Unit]] = {}
    for result in results:
        for item_result in result.score.items:
            code = item_result.item.code
            items.setdefault(code, item_result.item)
            if not item_result.required:
                continue
            required[code] += 1
            if item_result.met:
                met[code] += 1
            else:
                not_met.setdefault(code, []).append(result.assessment.unit)
    return [IndicatorFigure(items[code], required[code], met[code],
                            tuple(sorted(not_met.get(code, ()), key=lambda u: u.code)))
            for code in items if required[code]]


def strongest(figures: Sequence[IndicatorFigure], n: int = 5) -> list[IndicatorFigure]:
    """The ``n`` indicators most units met, and any tied with the last of them."""
    return _top(figures, n, reverse=True)


def weakest(figures: Sequence[IndicatorFigure], n: int = 5) -> list[IndicatorFigure]:
    """The ``n`` indicators fewest units met, and any tied with the last of them."""
    return _top(figures, n, reverse=False)


def _top(figures: Sequence[IndicatorFigure], n: int, *, reverse: bool) -> list[IndicatorFigure]:
    position = {figure.item.code: index for index, figure in enumerate(figures)}
    ordered = sorted(figures, key=lambda f: (-f.share if reverse else f.share,
                                             position[f.item.code]))
    if len(ordered) <= n:
        return ordered
    cut = ordered[n - 1].share
    return [f for i, f in enumerate(ordered) if i < n or f.share == cut]


# -- per unit: weaknesses, good practice, pairings ----------------------------------------------


def weaknesses(result: Result) -> list[ItemResult]:
    """The unit's required indicators that are not met (unrated ones included)."""
    return [r for r in result.score.items if r.required and not r.met]


def top_rating(framework: Framework) -> str:
    """The highest point of the scale (Very satisfactory; Achieved)."""
    return framework.scale[-1].id


def good_practice(result: Result) -> list[ItemResult]:
    """The unit's required indicators rated at the top of the scale: practice to share."""
    top = top_rating(result.score.framework)
    return [r for r in result.score.items if r.required and r.rating == top]


def basis_counts(results: Iterable[Result]) -> dict[str, int]:
    """How many units were scored on the assessor's ratings only, on both, on their own only,
    or on none (rule 7: every report says which ratings it used)."""
    counts = {"assessor": 0, "both": 0, "self": 0, "none": 0}
    for result in results:
        score = result.score
        if score.assessor_count and score.self_count:
            counts["both"] += 1
        elif score.assessor_count:
            counts["assessor"] += 1
        elif score.self_count:
            counts["self"] += 1
        else:
            counts["none"] += 1
    return counts


class PracticeToShare(NamedTuple):
    figure: IndicatorFigure             # an indicator some units do not meet ...
    level: ScalePoint                   # ... the highest rating any unit has on it ...
    units: tuple[Unit, ...]             # ... and the units so rated, by code


def practice_to_share(results: Sequence[Result]) -> list[PracticeToShare]:
    """For each indicator some units do not meet, the units rated highest on it (the
    review's "Southwark and Lewisham ... some learning could be drawn from here")."""
    rated: dict[str, dict[str, list[Unit]]] = {}
    scales: dict[str, tuple[ScalePoint, ...]] = {}
    for result in results:
        for item_result in result.score.items:
            if item_result.required and item_result.met:
                code = item_result.item.code
                rated.setdefault(code, {}).setdefault(item_result.rating, []).append(
                    result.assessment.unit)
                scales.setdefault(code, result.score.framework.scale)
    out = []
    for figure in indicator_figures(results):
        code = figure.item.code
        if not figure.not_met_units or code not in rated:
            continue
        level = next(p for p in reversed(scales[code]) if rated[code].get(p.id))
        out.append(PracticeToShare(figure, level,
                                   tuple(sorted(rated[code][level.id], key=lambda u: u.code))))
    return out


class Pairing(NamedTuple):
    unit: Unit                          # weak on the indicator
    item: Item
    partners: tuple[Unit, ...]          # strong on it, same area first


def pairings(results: Sequence[Result], *, per_indicator: int = 3) -> list[Pairing]:
    """For each unit weak on an indicator, up to ``per_indicator`` units strong on it.

    Strong means rated at the top of the scale; units merely meeting it are
    suggested only when too few are at the top. Within each, units of the same
    area come first, then others, each by code.
    """
    strong: dict[str, list[tuple[int, Unit]]] = {}      # code -> (0 top / 1 met, unit)
    for result in results:
        best = top_rating(result.score.framework)
        for item_result in result.score.items:
            if item_result.required and item_result.met:
                strong.setdefault(item_result.item.code, []).append(
                    (0 if item_result.rating == best else 1, result.assessment.unit))
    # per indicator: the strong units in the order they are suggested, overall and by area
    ordered = {code: [u for _, u in sorted(units, key=lambda pair: (pair[0], pair[1].code))]
               for code, units in strong.items()}
    by_area: dict[str, dict[str, list[Unit]]] = {}
    for code, units in ordered.items():
        for unit in units:
            by_area.setdefault(code, {}).setdefault(unit.area, []).append(unit)
    out = []
    for result in sorted(results, key=lambda r: (r.assessment.unit.area, r.assessment.unit.code)):
        unit = result.assessment.unit
        for item_result in weaknesses(result):
            code = item_result.item.code
            partners = by_area.get(code, {}).get(unit.area, [])[:per_indicator]
            for other in ordered.get(code, ()):
                if len(partners) >= per_indicator:
                    break
                if other.area != unit.area:
                    partners.append(other)
            out.append(Pairing(unit, item_result.item, tuple(partners)))
    return out


class SectionMeeting(NamedTuple):
    """How many assessed units meet the threshold within one section (the review's
    "75% (24) of the Boroughs ... meeting the baseline for People and Culture")."""

    section: Section
    assessed: int
    meeting: int

    @property
    def percent(self) -> int | None:
        return round_half_up_percent(Fraction(self.meeting, self.assessed)) if self.assessed \
            else None


def section_meeting(results: Sequence[Result]) -> list[SectionMeeting]:
    """Per section, the assessed units meeting the baseline in it: the section score at the
    framework's threshold (ESPS), or the first level attained in that area (ESlg)."""
    assessed = [r for r in results if is_assessed(r)]
    out = []
    for section in section_columns(results):
        counted = meeting = 0
        for result in assessed:
            threshold = result.score.framework.threshold
            levels = dict((s.id, level) for s, level in result.score.area_levels)
            for scored_section, tally in result.score.sections:
                if scored_section.id == section.id and tally.required:
                    counted += 1
                    if section.id in levels:          # ESlg: the first level in this area
                        meeting += levels[section.id] >= 1
                    elif threshold is not None and tally.fraction >= threshold:
                        meeting += 1
        out.append(SectionMeeting(section, counted, meeting))
    return out


# -- everything at once: the organisation's figures for the command line and the app -----------


def kpi_by_area(results: Iterable[Result], *, target: Fraction | None,
                financial_year: str = "") -> list[tuple[str, Kpi]]:
    """The KPI of each area, areas by name (units with no area last, as "")."""
    by_area: dict[str, list[Result]] = {}
    for result in results:
        by_area.setdefault(result.assessment.unit.area or "", []).append(result)
    return [(area, kpi(rows, target=target, financial_year=financial_year))
            for area, rows in sorted(by_area.items(), key=lambda kv: (kv[0] == "", kv[0]))]


def kpi_dict(value: Kpi) -> dict:
    """A KPI as plain values (``esat figures --json``)."""
    return {"units": value.units, "assessed": value.assessed, "meeting": value.meeting,
            "percent": value.percent, "target_percent": value.target_percent,
            "target_met": value.target_met, "statement": value.statement()}


class GroupFigures(NamedTuple):
    """The organisation's figures for one framework and phase (figures never mix them)."""

    group: Group
    kpi: Kpi                                    # over every result of the group
    area_kpis: tuple[tuple[str, Kpi], ...]      # per area
    areas: tuple[AreaRows, ...]                 # Table 1: units by area
    area_means: tuple[int | None, ...]          # each area's mean score, as ``areas``
    strongest: tuple[IndicatorFigure, ...]
    weakest: tuple[IndicatorFigure, ...]
    pairings: tuple[Pairing, ...]

    def as_dict(self) -> dict:
        framework = self.group.framework
        labels = [p.label for p in framework.scale]

        def unit_dict(row: UnitRow) -> dict:
            out = {"unit_code": row.unit.code, "unit_name": row.unit.name,
                   "area": row.unit.area, "required": row.required,
                   "rating_counts": dict(zip(labels, row.rating_counts)),
                   "unrated": row.unrated, "satisfactory": row.satisfactory,
                   "not_satisfactory": row.not_satisfactory, "score_percent": row.percent,
                   "meets_baseline": row.meets_baseline, "rating_basis": row.basis}
            if row.level_attained is not None:
                out["level_attained"] = row.level_attained
            return out

        def indicator_dict(figure: IndicatorFigure) -> dict:
            return {"code": figure.item.code, "theme": figure.item.theme or figure.item.text,
                    "met_in": figure.met_in, "required_in": figure.required_in,
                    "percent": figure.percent,
                    "not_met_by": [u.code for u in figure.not_met_units]}

        return {
            "framework": framework.key, "phase": self.group.stage_id, "title": self.group.title,
            "kpi": {"overall": kpi_dict(self.kpi),
                    "areas": [{"area": area, **kpi_dict(value)}
                              for area, value in self.area_kpis]},
            "units_by_area": [{"area": rows.area, "units": len(rows.rows),
                               "meeting": rows.meeting, "mean_score_percent": mean,
                               "rows": [unit_dict(row) for row in rows.rows]}
                              for rows, mean in zip(self.areas, self.area_means)],
            "strongest": [indicator_dict(f) for f in self.strongest],
            "weakest": [indicator_dict(f) for f in self.weakest],
            "pairings": [{"unit_code": p.unit.code, "unit_name": p.unit.name,
                          "area": p.unit.area, "item_code": p.item.code,
                          "partners": [u.code for u in p.partners]} for p in self.pairings],
        }


def overview(results: Iterable[Result], *, target: Fraction | None, financial_year: str = "",
             top: int = 5) -> list[GroupFigures]:
    """Every figure the organisation's summary shows, per framework and phase: the KPI
    (overall and per area), units by area, the ``top`` strongest and weakest indicators
    (with ties) and the pairing suggestions."""
    out = []
    for group in groups(results):
        rows = list(group.results)
        areas = units_by_area(rows)
        all_figures = indicator_figures(rows)
        out.append(GroupFigures(
            group=group, kpi=kpi(rows, target=target, financial_year=financial_year),
            area_kpis=tuple(kpi_by_area(rows, target=target, financial_year=financial_year)),
            areas=tuple(areas),
            area_means=tuple(area_mean_percent(r for r in rows
                                               if (r.assessment.unit.area or "") == a.area)
                             for a in areas),
            strongest=tuple(strongest(all_figures, top)),
            weakest=tuple(weakest(all_figures, top)),
            pairings=tuple(pairings(rows))))
    return out
