"""The organisation's figures as plain text (``esat figures``).

Every number comes from :mod:`esat.figures` (the same functions the area and
organisation report uses); this module only lays them out in columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .errors import shown_path
from .figures import GroupFigures, Kpi
from .scope import Scope


def _percent(value: int | None) -> str:
    return "n/a" if value is None else f"{value}%"


def _columns(rows: Sequence[Sequence[str]], *, right: Sequence[int] = (),
             indent: str = "  ") -> list[str]:
    """Rows as aligned columns; columns in ``right`` are aligned right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                               for i, cell in enumerate(row)).rstrip()
            for row in rows]


def _verdict(kpi: Kpi) -> str:
    if kpi.target_met is None:
        return "no target" if kpi.target is None else "nothing assessed"
    return "met" if kpi.target_met else "not met"


def figures_text(path: Path, scope: Scope, groups: Sequence[GroupFigures]) -> str:
    year = f" for FY{scope.financial_year}" if scope.financial_year else ""
    where = f"the {scope.area} area" if scope.area else "the organisation"
    lines = [f"{shown_path(path)}: figures of {where}{year}", scope.counted_words(),
             scope.target.words(scope.financial_year)]
    for group in groups:
        lines.extend(["", f"== {group.group.title} ==", ""])
        lines.extend(_kpi(group, scope))
        lines.extend(_units(group))
        lines.extend(_indicators(group))
        lines.extend(_pairings(group))
    return "\n".join(lines) + "\n"


def _kpi(group: GroupFigures, scope: Scope) -> list[str]:
    rows = [("", "Units", "Assessed", "Meeting", "Share", "Target", "Verdict")]
    entries = [("Organisation" if not scope.area else scope.area, group.kpi)]
    if not scope.area:
        entries += [(area or "No area", value) for area, value in group.area_kpis]
    for name, value in entries:
        rows.append((name, str(value.units), str(value.assessed), str(value.meeting),
                     _percent(value.percent), _percent(value.target_percent), _verdict(value)))
    return (["KPI: the share of assessed units meeting the baseline", group.kpi.statement()]
            + _columns(rows, right=(1, 2, 3, 4, 5)) + [""])


def _units(group: GroupFigures) -> list[str]:
    framework = group.group.framework
    eslg = framework.method == "cumulative_levels"
    labels = [p.label for p in framework.scale]
    last = {label.rsplit(" ", 1)[-1] for label in labels}
    common = last.pop() if len(last) == 1 and all(" " in label for label in labels) else ""
    if common:                  # "Not very satisfactory" -> "Not very"
        labels = [label.rsplit(" ", 1)[0] for label in labels]
    lines = ["Units by area: required indicators by the rating that counted"
             + (f" (the first {len(labels)} columns: ... {common.lower()})" if common else "")
             + "; not satisfactory includes not rated"]
    header = ("Unit", *labels, "Not rated", "Not satisfactory",
              "Satisfactory", "Score", "Level attained" if eslg else "Baseline")
    numeric = tuple(range(1, len(header) - 1))
    for rows, mean in zip(group.areas, group.area_means):
        lines.append(f"{rows.area or 'No area'}: {len(rows.rows)} unit"
                     f"{'s' if len(rows.rows) != 1 else ''}, {rows.meeting} meeting the "
                     f"baseline, mean score {_percent(mean)}")
        table = [header]
        for row in rows.rows:
            verdict = (str(row.level_attained) if eslg
                       else "met" if row.meets_baseline else "not met")
            table.append((f"{row.unit.code} {row.unit.name}", *(str(c) for c in row.rating_counts),
                          str(row.unrated), str(row.not_satisfactory), str(row.satisfactory),
                          _percent(row.percent), verdict))
        lines.extend(_columns(table, right=numeric))
    return lines + [""]


def _indicators(group: GroupFigures) -> list[str]:
    lines: list[str] = []
    for title, chosen in (("Strongest indicators (most units meeting them)", group.strongest),
                          ("Weakest indicators (fewest units meeting them)", group.weakest)):
        lines.append(title)
        if not chosen:
            lines.extend(["  none", ""])
            continue
        rows = [("Indicator", "Met", "Share", "Not met by", "Theme")]
        for figure in chosen:
            rows.append((figure.item.code, f"{figure.met_in} of {figure.required_in}",
                         _percent(figure.percent),
                         ", ".join(u.code for u in figure.not_met_units) or "-",
                         figure.item.theme or figure.item.text))
        lines.extend(_columns(rows, right=(1, 2)))
        lines.append("")
    return lines


def _pairings(group: GroupFigures) -> list[str]:
    lines = ["Pairing suggestions (for each weakness, up to three units strong on it, same "
             "area first)"]
    if not group.pairings:
        return lines + ["  none: no unit has a weakness", ""]
    by_unit: dict[str, list[str]] = {}
    for pair in group.pairings:
        name = f"{pair.unit.code} {pair.unit.name}"
        by_unit.setdefault(name, []).append(
            f"{pair.item.code}: {', '.join(u.code for u in pair.partners) or 'no unit yet'}")
    for name, entries in by_unit.items():
        lines.append(f"  {name}: " + "; ".join(entries))
    return lines
