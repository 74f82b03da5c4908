"""The organisation and area dashboard, the indicator heat map and what a conflict
changes, read from a central database (Qt-free).

Every number is one of :mod:`esat.figures`' (the KPI, units by area, the mean
score, section meeting, strongest and weakest, pairings) over the database's
assessments read as :class:`esat.snapshot.Snapshot`; the app draws them and
the tests compare the two.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, NamedTuple

from .. import figures
from ..moderation import Moderation
from ..records import Assessment
from ..scoring import ItemResult, Score
from ..store import Store

BANDS = tuple((low, low + 9 if low < 90 else 100) for low in range(0, 100, 10))


class Scored(NamedTuple):
    """What a figure needs of one assessment (see :class:`esat.figures.Result`)."""

    assessment: Assessment
    score: Score


def scored(store: Store) -> list[Scored]:
    """Every assessment with its score (rule 7), without reading evidence or actions."""
    assessments = store.assessments()
    scores = store.scores(assessments)
    return [Scored(a, scores[a.uuid]) for a in assessments]


class AreaFigure(NamedTuple):
    area: str
    kpi: figures.Kpi                 # its units assessed, meeting, share against the target
    mean_percent: int | None


class Dashboard(NamedTuple):
    financial_year: str
    targets: dict[str, int]          # KPI target percent by financial year
    kpi: figures.Kpi                 # the organisation's
    areas: tuple[AreaFigure, ...]
    mean_percent: int | None
    distribution: tuple[tuple[str, int], ...]   # score band ("0–9%") -> units
    sections: tuple[figures.SectionMeeting, ...]
    strongest: tuple[figures.IndicatorFigure, ...]
    weakest: tuple[figures.IndicatorFigure, ...]
    pairings: tuple[figures.Pairing, ...]


def distribution(results) -> tuple[tuple[str, int], ...]:
    """How many assessed units' scores fall in each tenth (90–100% is the last band)."""
    counts = [0] * len(BANDS)
    for result in results:
        percent = result.score.overall.percent
        if figures.is_assessed(result) and percent is not None:
            counts[min(percent // 10, len(BANDS) - 1)] += 1
    return tuple((f"{low}–{high}%", n) for (low, high), n in zip(BANDS, counts))


def dashboard(store: Store, results: list | None = None) -> Dashboard:
    """The figures over ``results`` (default: every assessment, :func:`scored`)."""
    results = scored(store) if results is None else results
    targets = Moderation(store).kpi_targets()
    year = figures.financial_year_of(results)
    target = Fraction(targets[year], 100) if year in targets else None
    areas = []
    for area in sorted({r.assessment.unit.area or "" for r in results}):
        inside = figures.in_area(results, area)
        areas.append(AreaFigure(area or "(no area)",
                                figures.kpi(inside, target=target, financial_year=year),
                                figures.area_mean_percent(inside)))
    indicators = figures.indicator_figures(results)
    return Dashboard(year, targets, figures.kpi(results, target=target, financial_year=year),
                     tuple(areas), figures.area_mean_percent(results), distribution(results),
                     tuple(figures.section_meeting(results)),
                     tuple(figures.strongest(indicators)), tuple(figures.weakest(indicators)),
                     tuple(figures.pairings(results)))


class HeatCell(NamedTuple):
    rating: str | None      # the scale point id that counts (None: unrated)
    label: str              # in words ("Not rated" when none)
    source: str             # "assessor", "self" or ""
    required: bool
    met: bool


class HeatMap(NamedTuple):
    codes: tuple[str, ...]                               # indicators, framework order
    units: tuple[tuple[str, str, str], ...]              # (code, name, assessment uuid)
    cells: tuple[tuple[HeatCell | None, ...], ...]      # per unit, per code (None: not in it)
    scale: tuple[tuple[str, str], ...]                   # (id, label), lowest first


def heat_map(store: Store, results: list | None = None) -> HeatMap:
    """Units × indicators: the rating that counts (rule 7) and whose it is."""
    results = scored(store) if results is None else results
    codes: list[str] = []
    scale: dict[str, str] = {}
    for r in results:
        for point in r.score.framework.scale:
            scale.setdefault(point.id, point.label)
        for item_result in r.score.items:
            if item_result.item.code not in codes:
                codes.append(item_result.item.code)
    ordered = sorted(results, key=lambda r: (r.assessment.unit.area or "",
                                             r.assessment.unit.code))
    cells = []
    shared: dict[HeatCell, HeatCell] = {}      # equal cells are one object (a few dozen kinds)
    for r in ordered:
        framework = r.score.framework
        by_code = {i.item.code: i for i in r.score.items}
        row = (_cell(framework, by_code[c]) if c in by_code else None for c in codes)
        cells.append(tuple(None if cell is None else shared.setdefault(cell, cell)
                           for cell in row))
    return HeatMap(tuple(codes),
                   tuple((r.assessment.unit.code, r.assessment.unit.name, r.assessment.uuid)
                         for r in ordered),
                   tuple(cells), tuple(scale.items()))


def _cell(framework, result: ItemResult) -> HeatCell:
    label = framework.scale_point(result.rating).label if result.rating else "Not rated"
    return HeatCell(result.rating, label, result.rating_source or "", result.required,
                    result.met)


# -- conflicts ------------------------------------------------------------------------

class Difference(NamedTuple):
    what: str               # "1B self rating", "revision", "evidence" ...
    current: str
    incoming: str


def conflict_differences(central: Store, received_uuid: str) -> list[Difference]:
    """What the conflicting submission would change in the unit's current content."""
    row = central.db.execute(
        "SELECT assessment_uuid, content FROM received_submissions WHERE uuid = ?",
        [received_uuid]).fetchone()
    if row is None:
        return []
    target, content = row[0], json.loads(row[1])
    current_row = central.db.execute(
        "SELECT content FROM received_submissions WHERE assessment_uuid = ? AND state = 'current'",
        [target]).fetchone()
    current = json.loads(current_row[0]) if current_row else {}
    out = []
    for key in ("revision", "period", "status"):
        a = (current.get("assessment") or {}).get(key)
        b = content["assessment"].get(key)
        if a != b:
            out.append(Difference(key, _text(a), _text(b)))
    for field, label in (("self_rating", "self rating"), ("narrative", "narrative"),
                         ("unit_exempt", "exemption requested"),
                         ("unit_exemption_reason", "exemption reason")):
        mine = {r["item_code"]: r.get(field) for r in current.get("responses", [])}
        theirs = {r["item_code"]: r.get(field) for r in content.get("responses", [])}
        for code in sorted(set(mine) | set(theirs)):
            if _text(mine.get(code)) != _text(theirs.get(code)):
                out.append(Difference(f"{code} {label}", _text(mine.get(code)),
                                      _text(theirs.get(code))))
    for table, label in (("evidence", "title"), ("actions", "description")):
        mine = sorted(r.get(label) or "" for r in current.get(table, []))
        theirs = sorted(r.get(label) or "" for r in content.get(table, []))
        if mine != theirs:
            out.append(Difference(f"{table} ({len(mine)} / {len(theirs)})", "; ".join(mine),
                                  "; ".join(theirs)))
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)
