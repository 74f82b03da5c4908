"""Scores and summaries as rows and text, shared by the command line and reports."""

from __future__ import annotations

from typing import Any

from .records import Assessment
from .scoring import Score, round_half_up_percent
from .store import Store
from .strands import strand_label


def score_row(store: Store, assessment: Assessment, score: Score | None = None) -> dict[str, Any]:
    """One assessment's score as a plain dict (the ``esat score --json`` row)."""
    score = score or store.score(assessment.uuid)
    framework = score.framework
    row: dict[str, Any] = {
        "unit_code": assessment.unit.code,
        "unit_name": assessment.unit.name,
        "unit_type": assessment.unit.unit_type,
        "area": assessment.unit.area,
        "framework": framework.key,
        "phase": assessment.stage,
        "phase_title": framework.stage(assessment.stage).title if assessment.stage else None,
        "period": assessment.period,
        "revision": assessment.revision,
        "status": assessment.status,
        "required": score.overall.required,
        "satisfactory": score.overall.met,
        "not_satisfactory": score.overall.not_met,
        "unrated": score.overall.unrated,
        "score_percent": score.overall.percent,
        "meets_baseline": score.meets_baseline,
        "sections": {section.title: tally.percent for section, tally in score.sections},
        "rating_counts": {framework.scale_point(k).label: v for k, v in score.rating_counts.items()},
        "rating_basis": score.basis,
        "assessment_uuid": assessment.uuid,
    }
    if score.level_attained is not None:
        stage = score.level_attained_stage
        row["level_attained"] = score.level_attained
        row["level_attained_title"] = stage.title if stage else None
        row["area_levels"] = {section.title: level for section, level in score.area_levels}
    return row


def assessment_rows(store: Store) -> list[dict[str, Any]]:
    """Every assessment's :func:`score_row` (``esat score``), scored in one read."""
    assessments = store.assessments()
    scores = store.scores(assessments)
    return [score_row(store, assessment, scores[assessment.uuid]) for assessment in assessments]


def percent_text(percent: int | None) -> str:
    return "n/a" if percent is None else f"{percent}%"


def format_table(rows: list[dict[str, Any]]) -> str:
    """Rows as an aligned text table, one line per assessment."""
    header = ["Unit", "Name", "Area", "Framework", "Phase", "Req", "Sat", "Score", "Baseline/level",
              "Sections", "Ratings used"]
    lines = [header]
    for row in rows:
        baseline = "met" if row["meets_baseline"] else "not met"
        if "level_attained" in row:
            baseline = (f"level {row['level_attained']} attained" if row["level_attained"]
                        else "level 0 (none attained yet)")
        lines.append([
            row["unit_code"], row["unit_name"], row["area"], row["framework"],
            row["phase_title"] or "all levels", str(row["required"]), str(row["satisfactory"]),
            percent_text(row["score_percent"]), baseline,
            "; ".join(f"{name} {percent_text(p)}" for name, p in row["sections"].items()),
            row["rating_basis"]])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() + "\n"
                   for line in lines)


def describe_assessment(store: Store, assessment: Assessment) -> str:
    """A readable plain-text account of one assessment (``esat show``)."""
    score = store.score(assessment.uuid)
    framework = score.framework
    responses = store.responses(assessment.uuid)
    evidence = store.evidence(assessment.uuid)
    actions = store.actions(assessment.uuid)
    stage = framework.stage(assessment.stage).title if assessment.stage else "all levels"
    out = [
        f"{assessment.unit.code} {assessment.unit.name} ({assessment.unit.area or 'no area'})",
        f"  {framework.title} {framework.version}, {framework.label('stage').lower()}: {stage}; "
        f"period {assessment.period or 'not set'}; revision {assessment.revision}, "
        f"{'signed off' if assessment.signed_off else 'draft'}",
        f"  Rated {score.overall.required - score.overall.unrated} of {score.overall.required} "
        f"required; satisfactory {score.overall.met}; score {percent_text(score.overall.percent)}",
    ]
    if score.level_attained is not None:
        attained = score.level_attained_stage
        out.append(f"  Level attained: {score.level_attained}"
                   + (f" ({attained.title})" if attained else " (none yet)"))
    else:
        out.append(f"  Baseline {'met' if score.meets_baseline else 'not met'} "
                   f"(threshold {percent_text(round_half_up_percent(framework.threshold))})")
    out.append(f"  Ratings used: {score.basis}")
    for section, tally in score.sections:
        out.append(f"  {section.title}: {tally.met} of {tally.required}, "
                   f"{percent_text(tally.percent)}")
    out.append("")
    for result in score.items:
        code = result.item.code
        response = responses.get(code)
        if not result.required:
            status = f"exempt ({result.exempt_reason})"
        elif result.rating is None:
            status = "not rated"
        else:
            status = framework.scale_point(result.rating).label
            if result.rating_source == "assessor":
                status += " (assessor)"
        n_evidence = sum(1 for e in evidence if e.item_code == code)
        n_actions = sum(1 for a in actions if a.item_code == code)
        extras = []
        if n_evidence:
            extras.append(f"{n_evidence} evidence")
        if n_actions:
            extras.append(f"{n_actions} action{'s' if n_actions != 1 else ''}")
        if response and response.strands:
            extras.append(", ".join(strand_label(s) for s in response.strands))
        if response and response.unit_exempt and result.required:
            extras.append("exemption requested")
        line = f"  {code:<8} {status:<28} {result.item.theme or result.item.text[:60]}"
        out.append(line + (f"  [{'; '.join(extras)}]" if extras else ""))
    out.append("")
    return "\n".join(out) + "\n"
