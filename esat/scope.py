"""Which assessments the organisation's figures and reports count, and the KPI target that applies.

A central database holds, for each assessment, only the content of its current
submission: the merge keeps superseded revisions, open conflicts and
submissions set aside in ``received_submissions`` (readable with
``esat history``), never in the tables scoring reads, so none of them can
count. What is left to choose here:

* **one financial year**: a unit assessed for 2010/11 and again for 2011/12
  counts once, for the year reported on (by default the period most of the
  assessments are for); the others are named as not counted;
* **an area**, when one is named;
* **the KPI target** (rule 6): the one given, else the one the central
  database keeps for that year (``esat target``), and where it came from.

A unit counted twice for one framework, phase and year would skew every
figure. The merge cannot make that (a second assessment of the same unit,
framework, phase and period is a conflict, never applied), and a file that
holds it anyway is refused here rather than counted.

Nothing here writes; it reads through :class:`~esat.store.Store`.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import NamedTuple, Sequence

from .errors import EsatError, ValidationError
from .moderation import KpiTarget, Moderation
from .records import Assessment
from .scoring import Score, round_half_up_percent
from .store import Store

GIVEN, KEPT, NONE = "given", "central database", ""


class Target(NamedTuple):
    """The KPI target a report or the figures use, and where it came from."""

    fraction: Fraction | None       # a fraction of 1; None: no target, so no KPI verdict
    source: str                     # GIVEN, KEPT (the central database's) or NONE
    kept: KpiTarget | None          # what the central database keeps for the year, if anything
    central: bool                   # the file is a central database (it can keep targets)

    @property
    def percent(self) -> int | None:
        return None if self.fraction is None else round_half_up_percent(self.fraction)

    def words(self, financial_year: str) -> str:
        """Where the target came from, in one sentence for the report."""
        year = f"FY{financial_year}" if financial_year else "the financial year"
        if self.source == GIVEN:
            text = f"The target of {self.percent}% was given for this report"
            if self.kept is not None and self.kept.fraction != self.fraction:
                text += (f" in place of the {self.kept.percent}% the central database keeps "
                         f"for {year}")
            elif self.kept is not None:
                text += f"; the central database keeps the same for {year}"
            return text + "."
        if self.source == KEPT and self.kept is not None:
            return (f"The target of {self.kept.percent}% for {year} is the one kept in the "
                    f"central database (set by {self.kept.set_by or 'unknown'} on "
                    f"{self.kept.set_at[:10]}).")
        if self.central:
            return (f"The central database keeps no target for {year} and none was given, "
                    "so the KPI has no verdict.")
        return "No target was given, so the KPI has no verdict."

    def as_dict(self) -> dict:
        return {"percent": self.percent, "source": self.source or None,
                "set_by": self.kept.set_by if self.source == KEPT and self.kept else None,
                "set_at": self.kept.set_at if self.source == KEPT and self.kept else None,
                "kept_percent": self.kept.percent if self.kept else None}


class Scope(NamedTuple):
    """The assessments to count for one financial year (of one area, or all), and the target."""

    financial_year: str             # "" when no assessment says one
    area: str | None                # as the file spells it; None: the whole organisation
    assessments: tuple[Assessment, ...]
    other_years: tuple[tuple[str, int], ...]    # (period, assessments) held, not counted
    superseded: int                 # earlier revisions of the counted assessments (history)
    open_conflicts: int             # submissions for them waiting to be resolved
    set_aside: int                  # conflicting submissions a coordinator set aside
    target: Target
    central: bool

    def counted_words(self) -> str:
        """What was counted and what was not, in a sentence or two for the report."""
        n = len(self.assessments)
        year = f" for FY{self.financial_year}" if self.financial_year else ""
        where = f" in the {self.area} area" if self.area else ""
        if self.central:
            text = (f"Counted: the current revision of {n} assessment{'s' if n != 1 else ''}"
                    f"{year}{where}, as merged into the central database.")
        else:
            text = f"Counted: the {n} assessment{'s' if n != 1 else ''}{year}{where} in the file."
        left = []
        for count, one, many in (
                (self.superseded, "earlier revision (superseded)",
                 "earlier revisions (superseded)"),
                (self.open_conflicts, "conflicting submission not yet resolved",
                 "conflicting submissions not yet resolved"),
                (self.set_aside, "conflicting submission set aside",
                 "conflicting submissions set aside")):
            if count:
                left.append(f"{count} {one if count == 1 else many}")
        if left:
            text += (" Not counted, kept in the central database's history: "
                     + ", ".join(left) + ".")
        if self.other_years:
            held = ", ".join(f"{period or 'no financial year'} ({count})"
                             for period, count in self.other_years)
            total = sum(count for _, count in self.other_years)
            text += (f" Not counted: {total} assessment{'s' if total != 1 else ''} of other "
                     f"financial years{where}: {held}.")
        return text

    def as_dict(self) -> dict:
        return {"assessments": len(self.assessments),
                "other_years": {period or "": count for period, count in self.other_years},
                "superseded": self.superseded, "open_conflicts": self.open_conflicts,
                "set_aside": self.set_aside}


class Scored(NamedTuple):
    """An assessment and its score: what :mod:`esat.figures` needs of one (a light Snapshot)."""

    assessment: Assessment
    score: Score


def choose(store: Store, *, area: str | None = None, year: str | None = None,
           target: Fraction | None = None) -> Scope:
    """The current assessments of ``area`` (or all) for financial year ``year`` (default: the
    period most of them are for), and the KPI target: ``target`` when given, else the
    central database's for that year."""
    everything = store.assessments()
    if not everything:
        raise EsatError(f"{store.path}: holds no assessments; there is nothing to report")
    chosen = everything
    area_name = None
    if area:
        wanted = area.strip().casefold()
        chosen = [a for a in everything if a.unit.area.strip().casefold() == wanted]
        if not chosen:
            raise ValidationError(
                f"{store.path}: no unit in area {area!r} (areas: "
                f"{_list(sorted({a.unit.area or '(none)' for a in everything}))})")
        area_name = chosen[0].unit.area
    periods = Counter(a.period for a in chosen)
    if year is None:
        year = most_common_period(chosen)
    elif year not in periods:
        where = f" in area {area_name!r}" if area_name else ""
        raise ValidationError(
            f"{store.path}: holds no assessment for FY{year}{where} (financial years held: "
            f"{_list(sorted(p or 'none' for p in periods))})")
    counted = tuple(a for a in chosen if a.period == year)
    _refuse_units_counted_twice(store, counted, year)
    central = store.role == "central"
    states: Counter[str] = Counter()
    if central:
        states.update(dict(store.db.execute(
            "SELECT state, count(*) FROM received_submissions WHERE assessment_uuid IN "
            "(SELECT value FROM json_each(?)) GROUP BY state",
            [_json_list(a.uuid for a in counted)]).fetchall()))
    kept = Moderation(store).kpi_target(year) if central and year else None
    if target is not None:
        chosen_target = Target(Fraction(target), GIVEN, kept, central)
    elif kept is not None:
        chosen_target = Target(kept.fraction, KEPT, kept, central)
    else:
        chosen_target = Target(None, NONE, None, central)
    other = tuple(sorted(((p, n) for p, n in periods.items() if p != year),
                         key=lambda pn: (pn[0] == "", pn[0])))
    return Scope(year, area_name, counted, other, states["superseded"], states["conflict"],
                 states["set_aside"], chosen_target, central)


def scored(store: Store, scope: Scope) -> list[Scored]:
    """Each counted assessment with its score (rule 7: the assessor's rating counts)."""
    return [Scored(a, store.score(a.uuid)) for a in scope.assessments]


def most_common_period(assessments: Sequence[Assessment]) -> str:
    """The period most of the assessments are for (the latest among ties; "" when none says
    one), as :func:`esat.figures.financial_year_of` decides it."""
    counts = Counter(a.period for a in assessments if a.period)
    if not counts:
        return ""
    best = max(counts.values())
    return max(period for period, n in counts.items() if n == best)


def _refuse_units_counted_twice(store: Store, counted: Sequence[Assessment], year: str) -> None:
    seen: Counter[tuple[str, str, str | None]] = Counter(
        (a.unit.code, a.framework_key, a.stage) for a in counted)
    twice = sorted(key for key, n in seen.items() if n > 1)
    if twice:
        code, framework, stage = twice[0]
        raise EsatError(
            f"{store.path}: holds {seen[twice[0]]} assessments of {code} for {framework} "
            f"{stage or 'all levels'}{f' FY{year}' if year else ''}; a unit counts once, so "
            f"settle which is current first (see 'esat history --unit {code}')")


def _json_list(values) -> str:
    import json
    return json.dumps(list(values))


def _list(values: list[str], limit: int = 12) -> str:
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f" and {len(values) - limit} more"
