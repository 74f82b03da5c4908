"""The area and organisation report, modelled on the 2011 review of the South East area.

The KPI statement against the financial year's target, units by area with
counts per rating level and the score (Table 1), section scores per unit
(Table 2), the strongest and weakest indicators, each unit's weaknesses, good
practice to share and pairing suggestions ("master classes"). Every figure
comes from :mod:`esat.figures`; this module only words and lays them out.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .. import figures
from ..figures import Group, Result
from ..records import Unit
from . import model
from .common import Details, accessible_note, codes, percent, threshold_percent

CHART_UNITS = 40            # more units than this: the score chart shows areas instead
LIST_UNITS = 12             # units named in one cell before "and n more"


def unit_name(unit: Unit) -> str:
    return f"{unit.code} {unit.name}"


def scope_words(area: str | None) -> str:
    return f"the {area} area" if area else "the organisation"


def default_title(results: Sequence[Result], area: str | None) -> str:
    kinds = figures.groups(results)
    what = kinds[0].title if len(kinds) == 1 else "equality standard"
    return f"Review of {what} findings for {scope_words(area)}"


def organisation_report(results: Sequence[Result], *, details: Details, area: str | None,
                        target: Fraction | None, financial_year: str | None, produced: str,
                        html_name: str | None = None, target_source: str = "",
                        counted: str = "") -> model.Report:
    """The report over ``results`` (the current assessments of one area, or of all).

    ``target_source`` says where the KPI target came from and ``counted`` which
    assessments were counted and which not (both sentences from :mod:`esat.scope`);
    printed under the KPI statement and under the document control when given.
    """
    results = list(results)
    year = financial_year if financial_year is not None else figures.financial_year_of(results)
    title = details.title or default_title(results, area)
    if not details.summary:
        kinds = figures.groups(results)
        what = kinds[0].title if len(kinds) == 1 else "equality standard"
        details = details._replace(summary=(
            f"The findings of the {what} assessment of {len(results)} unit"
            f"{'s' if len(results) != 1 else ''} in {scope_words(area)}: compliance, "
            "strengths, weaknesses and good practice to share"))
    parts: list[model.Block] = [model.Heading(1, title), details.block(),
                                model.Para(produced, note=True)]
    if counted:
        parts.append(model.Para(counted, note=True))
    kinds = figures.groups(results)
    if not kinds:
        parts.append(model.Para(f"No assessments found for {scope_words(area)}."))
    for group in kinds:
        parts.extend(_group(group, area=area, target=target, year=year,
                            heading=len(kinds) > 1, target_source=target_source))
    parts.extend(_how())
    return model.Report(
        title=title,
        subject=details.summary or f"Equality standard findings for {scope_words(area)}"
                                   + (f", FY{year}" if year else ""),
        author=details.author or "ESAT", marking=details.protective_marking,
        blocks=model.blocks(parts), accessible_note=accessible_note(html_name),
        keywords=("ESAT", "equality standard", area or "organisation"))


def _group(group: Group, *, area: str | None, target: Fraction | None, year: str,
           heading: bool, target_source: str = "") -> list[model.Block]:
    results = list(group.results)
    framework = group.framework
    shift = 1 if heading else 0
    out: list[model.Block] = []
    if heading:
        out.append(model.Heading(2, group.title))

    def h(level: int, text: str) -> model.Heading:
        return model.Heading(level + shift, text)

    # Summary and KPI
    units = sorted((r.assessment.unit for r in results), key=lambda u: (u.area, u.code))
    out.append(h(2, "Summary"))
    out.append(model.Para(
        f"This report gives the findings of the {group.title} assessment for "
        f"{len(results)} unit{'s' if len(results) != 1 else ''} in {scope_words(area)}"
        + (f": {', '.join(u.name for u in units)}." if len(units) <= LIST_UNITS else ".")
        + " It identifies the strongest and weakest indicators, each unit's weaknesses, good "
          "practice to share and units that could be paired to learn from each other."))
    out.append(model.Para("Ratings that counted: " + basis_words(results)
                          + ". The assessor's rating counts where there is one, else the "
                            "unit's own."))
    kpi = figures.kpi(results, target=target, financial_year=year)
    out.append(h(2, "Key performance indicator"))
    out.append(model.Para(kpi.statement(), emphasis=True))
    if target_source:
        out.append(model.Para(target_source))
    out.append(model.Para(
        f"A unit meets the baseline when {threshold_percent(framework)}% or more of its required "
        "indicators are satisfactory (decided on the exact fraction)."
        if framework.threshold is not None else
        "A unit meets the baseline when it attains the first level.", note=True))
    if kpi.assessed < kpi.units:
        waiting = [unit_name(r.assessment.unit) for r in results if not figures.is_assessed(r)]
        out.append(model.Para(f"Not yet assessed (no ratings), so not counted: "
                              f"{_names(waiting)}."))

    out.extend(_table_1(results, framework, h))
    out.extend(_table_2(results, framework, h))
    out.extend(_indicators(results, framework, h))
    out.extend(_units(results, framework, h))
    out.extend(_pairings(results, h))
    return out


def basis_words(results) -> str:
    """Which ratings counted, over many units ("the assessor's only for 4 units; ...")."""
    words = {"assessor": "the assessor's only", "both": "the assessor's and the unit's own",
             "self": "the unit's own only", "none": "none (not rated)"}
    return "; ".join(f"{words[kind]} for {n} unit{'s' if n != 1 else ''}"
                     for kind, n in figures.basis_counts(results).items() if n)


def _names(names: Sequence[str]) -> str:
    if len(names) <= LIST_UNITS:
        return ", ".join(names) if names else "none"
    return ", ".join(names[:LIST_UNITS]) + f" and {len(names) - LIST_UNITS} more"


def _table_1(results, framework, h) -> list[model.Block]:
    scale = framework.scale
    eslg = framework.method == "cumulative_levels"
    out: list[model.Block] = [h(2, "Units by area")]
    areas = figures.units_by_area(results)
    labels, suffix = _short_labels([p.label for p in scale])
    header = ("Unit", *labels, "Not rated", "Not satisfactory",
              "Satisfactory", "Score", "Level attained" if eslg else "Baseline")
    n = len(header)
    widths = (0.19, *([0.075] * len(labels)), 0.075, 0.13, 0.13, 0.075)
    widths = (*widths, 1 - sum(widths))
    for number, area_rows in enumerate(areas, start=1):
        rows = []
        for row in area_rows.rows:
            verdict = (str(row.level_attained) if eslg
                       else "met" if row.meets_baseline else "not met")
            rows.append((unit_name(row.unit), *(str(c) for c in row.rating_counts),
                         str(row.unrated), str(row.not_satisfactory), str(row.satisfactory),
                         percent(row.percent), verdict))
        area_results = [r for r in results if (r.assessment.unit.area or "") == area_rows.area]
        caption = (f"Table 1.{number}: {area_rows.area or 'No area'}: {len(rows)} unit"
                   f"{'s' if len(rows) != 1 else ''}, {area_rows.meeting} meeting the baseline, "
                   f"mean score {percent(figures.area_mean_percent(area_results))}")
        out.append(model.Table(caption, header, tuple(rows), widths, row_headers=True,
                               numeric=tuple(range(1, n - 1))))
    out.append(model.Para(
        "Counts are of required indicators by the rating that counted"
        + (f" (the first {len(labels)} columns: {' / '.join(labels)} {suffix})" if suffix else "")
        + ". Not satisfactory includes indicators not rated.", note=True))
    # the chart: each unit's score, or each area's mean when there are many units
    threshold = threshold_percent(framework)
    if len(results) <= CHART_UNITS:
        ordered = sorted(results, key=lambda r: (r.assessment.unit.area, r.assessment.unit.code))
        labels = tuple(unit_name(r.assessment.unit) for r in ordered)
        values = tuple(r.score.overall.percent for r in ordered)
        data = model.Table("Score by unit (the chart's data)", ("Unit", "Area", "Score"),
                           tuple((label, r.assessment.unit.area or "none", percent(v))
                                 for label, r, v in zip(labels, ordered, values)),
                           (0.45, 0.35, 0.2), row_headers=True, numeric=(2,))
        out.append(model.BarChart(
            "Score by unit", "Bar chart of each unit's score: "
            + "; ".join(f"{label} {percent(v)}" for label, v in zip(labels, values))
            + (f". The dashed line marks the baseline, {threshold}%." if threshold else "."),
            labels, values, threshold=threshold, data=data))
    else:
        labels, values, rows = [], [], []
        for area_rows in areas:
            area_results = [r for r in results
                            if (r.assessment.unit.area or "") == area_rows.area]
            mean = figures.area_mean_percent(area_results)
            labels.append(area_rows.area or "No area")
            values.append(mean)
            rows.append((labels[-1], str(len(area_rows.rows)), str(area_rows.meeting),
                         percent(mean)))
        data = model.Table("Mean score by area (the chart's data)",
                           ("Area", "Units", "Meeting the baseline", "Mean score"), tuple(rows),
                           (0.4, 0.18, 0.24, 0.18), row_headers=True, numeric=(1, 2, 3))
        out.append(model.BarChart(
            "Mean score by area", "Bar chart of the mean of the units' scores in each area: "
            + "; ".join(f"{label} {percent(v)}" for label, v in zip(labels, values)) + ".",
            tuple(labels), tuple(values), threshold=threshold, data=data))
    return out


def _short_labels(labels: list[str]) -> tuple[list[str], str]:
    """Scale labels without their common last word ("Not very satisfactory" → "Not very")."""
    last = {label.rsplit(" ", 1)[-1].lower() for label in labels}
    if len(last) == 1 and all(" " in label for label in labels):
        return [label.rsplit(" ", 1)[0] for label in labels], last.pop()
    return labels, ""


def _table_2(results, framework, h) -> list[model.Block]:
    columns, rows = figures.section_rows(results)
    out: list[model.Block] = [h(2, f"{framework.label('section')} scores")]
    header = ("Unit", *(f"{s.title} ({', '.join(figures.section_codes(results, s))})"
                        for s in columns), "Overall")
    overall = {r.assessment.unit.uuid: r.score.overall.percent for r in results}
    body = tuple((unit_name(row.unit),
                  *(percent(t.percent) if t is not None else "n/a" for t in row.tallies),
                  percent(overall[row.unit.uuid])) for row in rows)
    share = 0.75 / (len(columns) + 1)
    out.append(model.Table(f"Table 2: {framework.label('section')} scores by unit", header,
                           body, (0.25, *([share] * (len(columns) + 1))), row_headers=True,
                           numeric=tuple(range(1, len(columns) + 2))))
    meeting = figures.section_meeting(results)
    labels = tuple(m.section.title for m in meeting)
    values = tuple(m.percent for m in meeting)
    data = model.Table(
        f"Units meeting the baseline in each {framework.label('section').lower()} "
        "(the chart's data)",
        (framework.label("section"), "Units assessed", "Meeting", "Share"),
        tuple((m.section.title, str(m.assessed), str(m.meeting), percent(m.percent))
              for m in meeting), (0.4, 0.2, 0.2, 0.2), row_headers=True, numeric=(1, 2, 3))
    out.append(model.BarChart(
        f"Units meeting the baseline in each {framework.label('section').lower()}",
        "Bar chart of the share of assessed units whose score in the section meets the "
        "baseline: " + "; ".join(f"{m.section.title} {percent(m.percent)} ({m.meeting} of "
                                 f"{m.assessed})" for m in meeting) + ".",
        labels, values, threshold=None, data=data))
    return out


def _indicators(results, framework, h) -> list[model.Block]:
    all_figures = figures.indicator_figures(results)
    out: list[model.Block] = [h(2, "Strongest and weakest indicators")]
    if not all_figures:
        out.append(model.Para("No indicator is required of these units."))
        return out

    def table(caption: str, chosen) -> model.Table:
        return model.Table(caption, ("Indicator", "Theme", "Units meeting it", "Share",
                                     "Not met by"),
                           tuple((f.item.code, f.item.theme or f.item.text,
                                  f"{f.met_in} of {f.required_in}", percent(f.percent),
                                  _names([u.code for u in f.not_met_units]))
                                 for f in chosen),
                           (0.12, 0.36, 0.12, 0.1, 0.3), row_headers=True, numeric=(2, 3))

    strong = figures.strongest(all_figures)
    weak = figures.weakest(all_figures)
    everyone = [f for f in all_figures if f.met_in == f.required_in]
    if everyone:
        out.append(model.Para(f"Every unit had evidence assessed as satisfactory for: "
                              f"{codes(f.item for f in everyone)}."))
    out.append(table("Strongest indicators (most units meeting them)", strong))
    out.append(table("Weakest indicators (fewest units meeting them)", weak))
    out.append(table("Every indicator", all_figures))
    return out


def _units(results, framework, h) -> list[model.Block]:
    top = framework.scale[-1].label
    out: list[model.Block] = [h(2, "Each unit's weaknesses and good practice")]
    rows = []
    for result in sorted(results, key=lambda r: (r.assessment.unit.area, r.assessment.unit.code)):
        rows.append((unit_name(result.assessment.unit), percent(result.score.overall.percent),
                     codes(figures.weaknesses(result)), codes(figures.good_practice(result))))
    out.append(model.Table(
        "Weaknesses (required, not satisfactory or not rated) and good practice "
        f"(rated {top})", ("Unit", "Score", "Weaknesses", "Good practice"), tuple(rows),
        (0.24, 0.1, 0.33, 0.33), row_headers=True, numeric=(1,)))
    out.append(h(2, "Good practice to share"))
    share = [(entry.figure.item.code, entry.figure.item.theme or entry.figure.item.text,
              f"{_names([u.code for u in entry.units])} ({entry.level.label})",
              str(len(entry.figure.not_met_units)))
             for entry in figures.practice_to_share(results)]
    if share:
        out.append(model.Para(
            f"For each indicator some units do not meet, the units whose evidence was rated "
            f"highest on it (rated {top} where any was), from whom others could learn."))
        out.append(model.Table(
            "Indicators some units find hard, and the units strongest on them",
            ("Indicator", "Theme", "Strongest units", "Units not meeting it"), tuple(share),
            (0.12, 0.38, 0.35, 0.15), row_headers=True, numeric=(3,)))
    else:
        out.append(model.Para("No unit weak on an indicator has a peer meeting it."))
    return out


def _pairings(results, h) -> list[model.Block]:
    pairs = figures.pairings(results)
    out: list[model.Block] = [h(2, "Pairing suggestions (master classes)")]
    if not pairs:
        out.append(model.Para("No unit has a weakness to pair."))
        return out
    out.append(model.Para(
        "For each unit weak on an indicator, up to three units strong on it (rated at the top "
        "of the scale first, then satisfactory), from the same area first."))
    by_unit: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for pair in pairs:
        names[pair.unit.uuid] = unit_name(pair.unit)
        partners = ", ".join(u.code for u in pair.partners) or "no unit yet"
        by_unit.setdefault(pair.unit.uuid, []).append(f"{pair.item.code}: {partners}")
    out.append(model.Table("Suggested partners by weakness", ("Unit", "Weakness: suggested partners"),
                           tuple((names[key], "; ".join(values)) for key, values in by_unit.items()),
                           (0.25, 0.75), row_headers=True))
    return out


def _how() -> list[model.Block]:
    return [model.Heading(2, "How the figures were made"), model.Para(
        "Each unit's score is its satisfactory required indicators ÷ its required indicators "
        "(less exemptions for its type and any a coordinator granted), shown as a whole "
        "percent rounded half up; decisions use the exact fraction and an indicator with no "
        "rating counts as not satisfactory. The KPI is the share of assessed units meeting "
        "the baseline. Mean scores are the mean of the units' exact scores. Good practice is "
        "an indicator rated at the top of the scale.", note=True)]
