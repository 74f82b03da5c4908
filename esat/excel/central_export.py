"""The central workbook: a central database's figures as an Excel workbook (Qt-free).

Sheets (every figure from the core, as the app's dashboard shows it):

- ``Units by area``: the 2011 review's Table 1, one row per unit grouped by area,
  with the count of required indicators at each rating level, satisfactory,
  not satisfactory, unrated, the score and whether it meets the baseline
  (:func:`esat.figures.units_by_area`);
- ``Section scores``: each unit's score per section (:func:`esat.figures.section_rows`);
- ``KPI by area``: units, assessed, meeting the baseline, the KPI and the
  year's target per area and for the organisation (:func:`esat.central.dashboard.dashboard`);
- ``Units x indicators``: the rating that counts for each unit and indicator,
  and whose it is (:func:`esat.central.dashboard.heat_map`);
- ``Agreement``: self versus assessor agreement per unit, area and organisation
  (:func:`esat.moderation.agreement`).

Text is written as text (never a formula, whatever a unit typed), through the
same writer as the unit workbook; the file appears whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..central.dashboard import dashboard, heat_map, scored
from ..errors import EsatError
from ..figures import section_rows, units_by_area
from ..moderation import agreement
from ..store import Store
from .layout import Column
from .writer import Lists, SheetData, write_workbook


def _pct(value) -> int | str:
    return "n/a" if value is None else value


def central_sheets(store: Store) -> list[SheetData]:
    results = scored(store)
    sheets = []
    scale = results[0].score.framework.scale if results else ()
    columns = [Column("Area", 16), Column("Unit", 8), Column("Name", 22), Column("Required", 10),
               *[Column(point.label, 12) for point in scale],
               Column("Unrated", 9), Column("Satisfactory", 12), Column("Not satisfactory", 12),
               Column("Score %", 9), Column("Meets baseline", 10), Column("Ratings used", 28)]
    rows = []
    for area in units_by_area(results):
        for row in area.rows:
            counts = list(row.rating_counts) + [None] * (len(scale) - len(row.rating_counts))
            rows.append([area.area or "(no area)", row.unit.code, row.unit.name, row.required,
                         *counts[:len(scale)], row.unrated, row.satisfactory,
                         row.not_satisfactory, _pct(row.percent),
                         "yes" if row.meets_baseline else "no", row.basis])
    sheets.append(SheetData("Units by area", columns, rows))
    sections, srows = section_rows(results)
    sheets.append(SheetData(
        "Section scores", [Column("Area", 16), Column("Unit", 8), Column("Name", 22),
                           *[Column(f"{s.title} %", 14) for s in sections]],
        [[r.unit.area or "(no area)", r.unit.code, r.unit.name,
          *[("n/a" if t is None or t.percent is None else t.percent) for t in r.tallies]]
         for r in srows]))
    board = dashboard(store, results)
    kpi_rows = [[a.area, a.kpi.units, a.kpi.assessed, a.kpi.meeting, _pct(a.kpi.percent),
                 _pct(a.kpi.target_percent), _pct(a.mean_percent)] for a in board.areas]
    k = board.kpi
    kpi_rows.append(["Organisation", k.units, k.assessed, k.meeting, _pct(k.percent),
                     _pct(k.target_percent), _pct(board.mean_percent)])
    sheets.append(SheetData(
        "KPI by area", [Column("Area", 18), Column("Units", 8), Column("Assessed", 10),
                        Column("Meeting baseline", 12), Column("KPI %", 8),
                        Column(f"Target % FY{board.financial_year}", 12),
                        Column("Average score %", 12)], kpi_rows))
    grid = heat_map(store, results)
    sheets.append(SheetData(
        "Units x indicators", [Column("Unit", 8), Column("Name", 22),
                               *[Column(code, 11) for code in grid.codes]],
        [[code, name, *[("" if c is None else ("not required" if not c.required else
                                                 c.label + (" (A)" if c.source == "assessor"
                                                            else " (S)" if c.source else "")))
                         for c in cells]]
         for (code, name, _), cells in zip(grid.units, grid.cells)], freeze="C2"))
    agree = []
    for by in ("unit", "area", "organisation"):
        for a in agreement(store, by=by):
            d = a.as_dict()
            agree.append([by, a.name, a.framework, a.pairs, _pct(d["exact_percent"]),
                          _pct(d["satisfactory_percent"]), _pct(d["weighted_kappa"])])
    sheets.append(SheetData(
        "Agreement", [Column("By", 12), Column("Name", 18), Column("Framework", 12),
                      Column("Pairs", 8), Column("Exact %", 9), Column("Satisfactory %", 12),
                      Column("Weighted kappa", 12)], agree))
    return sheets


def export_central(store: Store, target: Path, *,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the central workbook of ``store`` (a central database) to ``target``."""
    if store.role != "central":
        raise EsatError(f"{store.path}: is a {store.role} file, not a central database")
    meta = [("workbook", "ESAT central workbook"), ("central_file_uuid",
                                                    store.meta("file_uuid") or "")]
    return write_workbook(Path(target), central_sheets(store), meta, Lists(),
                          progress=progress, cancelled=cancelled)
