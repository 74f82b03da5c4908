"""Choose and make a report from an open file: the one entry point for the CLI and the app.

A unit file gives the unit summary. A file holding many assessments (a
central database) gives the organisation report, an area report with
``area``, or one unit's summary with ``unit``. Which assessments count (one
financial year's current ones) and the KPI target are chosen by
:mod:`esat.scope`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Callable, NamedTuple

from .. import __version__
from ..errors import EsatError, ValidationError
from ..scope import choose
from ..snapshot import Snapshot, take_snapshot
from ..store import Store
from . import model
from .common import Details
from .organisation import organisation_report
from .unit import unit_report


class Request(NamedTuple):
    """What to report on and the report's own details (all optional)."""

    unit: str | None = None
    area: str | None = None
    target: Fraction | None = None          # the KPI target for the financial year
    financial_year: str | None = None       # default: the period most assessments are for
    marking: str | None = None              # default: the units' own, when they agree
    title: str | None = None
    author: str | None = None
    approver: str | None = None
    owning_unit: str | None = None
    without_target: bool = False            # a central database's report may lack a KPI verdict


def make_report(store: Store, request: Request, *, produced_on: str,
                html_name: str | None = None) -> model.Report:
    """Read the file and build the report ``request`` asks for.

    ``produced_on`` is the date printed as the report's making (callers pass
    today, or a fixed date for byte-identical output). An area or organisation
    report counts one financial year's current assessments (:mod:`esat.scope`);
    from a central database it takes the year's KPI target from the database
    when the request gives none, and refuses when there is neither, unless the
    request says ``without_target``.
    """
    assessments = store.assessments()
    name = store.path.name if store.path else "the file"
    if not assessments:
        raise EsatError(f"{store.path}: holds no assessments; there is nothing to report")
    if request.unit:
        return _unit(_one_unit(store, assessments, request), name, produced_on, html_name)
    if len(assessments) == 1 and not request.area:
        return _unit(take_snapshot(store, assessments[0].uuid), name, produced_on, html_name)
    scope = choose(store, area=request.area, year=request.financial_year,
                   target=request.target)
    if scope.central and scope.target.fraction is None and not request.without_target:
        year = scope.financial_year or "YYYY/YY"
        raise ValidationError(
            f"{store.path}: keeps no KPI target for FY{year}; set one with 'esat target "
            f"{name} --period {year} --percent 80', give --target PERCENT, or report without "
            "a KPI verdict with --no-target")
    chosen = [take_snapshot(store, a.uuid) for a in scope.assessments]
    details = _details(chosen, request, store, produced_on)
    return organisation_report(
        chosen, details=details, area=scope.area, target=scope.target.fraction,
        financial_year=scope.financial_year, produced=_produced(name, produced_on, chosen),
        html_name=html_name, target_source=scope.target.words(scope.financial_year),
        counted=scope.counted_words())


def _one_unit(store: Store, assessments, request: Request) -> Snapshot:
    """The one assessment ``request.unit`` names (in ``request.area`` and
    ``request.financial_year`` when given)."""
    chosen = assessments
    if request.area:
        wanted = request.area.strip().casefold()
        chosen = [a for a in assessments if a.unit.area.strip().casefold() == wanted]
        if not chosen:
            raise ValidationError(f"{store.path}: no unit in area {request.area!r} (areas: "
                                  f"{_list(sorted({a.unit.area or '(none)' for a in assessments}))})")
    code = request.unit.strip().upper()
    found = [a for a in chosen if a.unit.code == code]
    if not found:
        where = f" in area {request.area!r}" if request.area else ""
        raise ValidationError(f"{store.path}: no unit {code}{where} (units: "
                              f"{_list(sorted({a.unit.code for a in chosen}))})")
    if request.financial_year is not None:
        years = sorted({a.period or "none" for a in found})
        found = [a for a in found if a.period == request.financial_year]
        if not found:
            raise ValidationError(f"{store.path}: unit {code} has no assessment for "
                                  f"FY{request.financial_year} (financial years: "
                                  f"{_list(years)})")
    if len(found) > 1:
        raise ValidationError(
            f"{store.path}: unit {code} has {len(found)} assessments ("
            + ", ".join(f"{a.framework_key} {a.stage or 'all levels'} "
                        f"{a.period or 'no period'}" for a in found)
            + "); choose one with --year, or report on one file per assessment")
    return take_snapshot(store, found[0].uuid)


def write_report(report: model.Report, *, pdf: Path | None, html: Path | None,
                 invariant: bool = False, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """Write the PDF and/or the HTML twin; returns the paths written."""
    written = []
    if pdf is not None:
        from .pdf import write_pdf
        written.append(write_pdf(report, pdf, invariant=invariant, progress=progress,
                                 cancelled=cancelled))
    if html is not None:
        from .html import write_html
        written.append(write_html(report, html))
    return written


def _unit(snap: Snapshot, name: str, produced_on: str, html_name: str | None) -> model.Report:
    return unit_report(snap, produced=_produced(name, produced_on, [snap]), html_name=html_name)


def _produced(name: str, produced_on: str, snaps) -> str:
    latest = max((s.assessment.updated_at for s in snaps), default="")[:10]
    return (f"Produced by ESAT {__version__} on {produced_on} from {name}"
            + (f"; the assessments were last changed on {latest}." if latest else "."))


def _details(snaps: list[Snapshot], request: Request, store: Store, produced_on: str) -> Details:
    markings = sorted({s.assessment.protective_marking.strip() for s in snaps
                       if s.assessment.protective_marking.strip()})
    marking = (request.marking or "").strip()
    if not marking:
        if len(markings) > 1:
            raise ValidationError(
                f"{store.path}: the units carry different protective markings "
                f"({_list(markings)}); say the report's own with --marking")
        marking = markings[0] if markings else ""
    return Details(
        protective_marking=marking,
        publication_scheme=all(s.assessment.publication_scheme for s in snaps),
        title=(request.title or "").strip(), version="",
        summary="", author=(request.author or store.actor or "").strip(),
        approver=(request.approver or "").strip(),
        owning_unit=(request.owning_unit or "").strip(),
        created_on=produced_on, review_on="")


def _list(values: list[str], limit: int = 12) -> str:
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + f" and {len(values) - limit} more"
