"""Choose and make a report from an open file: the one entry point for the CLI and the app.

A unit file gives the unit summary. A file holding many assessments (a
central database) gives the organisation report, an area report with
``area``, or one unit's summary with ``unit``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Callable, NamedTuple

from .. import __version__
from ..errors import EsatError, ValidationError
from ..figures import in_area
from ..snapshot import Snapshot, take_all
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


def make_report(store: Store, request: Request, *, produced_on: str,
                html_name: str | None = None) -> model.Report:
    """Read the file and build the report ``request`` asks for.

    ``produced_on`` is the date printed as the report's making (callers pass
    today, or a fixed date for byte-identical output).
    """
    snaps = take_all(store)
    name = store.path.name if store.path else "the file"
    if not snaps:
        raise EsatError(f"{store.path}: holds no assessments; there is nothing to report")
    if request.area:
        chosen = in_area(snaps, request.area)
        if not chosen:
            raise ValidationError(f"{store.path}: no unit in area {request.area!r} (areas: "
                                  f"{_list(sorted({s.unit.area or '(none)' for s in snaps}))})")
    else:
        chosen = snaps
    if request.unit:
        code = request.unit.strip().upper()
        found = [s for s in chosen if s.unit.code == code]
        if not found:
            where = f" in area {request.area!r}" if request.area else ""
            raise ValidationError(f"{store.path}: no unit {code}{where} (units: "
                                  f"{_list(sorted({s.unit.code for s in chosen}))})")
        if len(found) > 1:
            raise ValidationError(
                f"{store.path}: unit {code} has {len(found)} assessments ("
                + ", ".join(f"{s.framework.key} {s.assessment.stage or 'all levels'} "
                            f"{s.assessment.period or 'no period'}" for s in found)
                + "); report on one file per assessment")
        return _unit(found[0], name, produced_on, html_name)
    if len(snaps) == 1 and not request.area:
        return _unit(snaps[0], name, produced_on, html_name)
    details = _details(chosen, request, store, produced_on)
    return organisation_report(
        chosen, details=details, area=chosen[0].unit.area if request.area else None,
        target=request.target, financial_year=request.financial_year,
        produced=_produced(name, produced_on, chosen), html_name=html_name)


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
