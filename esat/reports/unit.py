"""The unit summary: one assessment on paper, from its snapshot.

Document control, the score and baseline (or the ESlg level attained) and
which ratings counted, section scores as a chart followed by its data, every
indicator, weaknesses, good practice, the action plan and the sign-off.
"""

from __future__ import annotations

from ..figures import good_practice, weaknesses
from ..snapshot import IndicatorView, Snapshot
from ..store import ACTION_STATUS_LABELS
from ..strands import strand_label
from . import model
from .common import Details, accessible_note, codes, percent, threshold_percent

EVIDENCE_SUMMARY = 160         # characters of a note shown in the evidence summary


def unit_title(snap: Snapshot) -> str:
    unit = snap.unit
    phase = snap.stage.title if snap.stage else f"all {snap.framework.label('stages').lower()}"
    return f"{snap.framework.abbreviation} {phase} self-assessment: {unit.code} {unit.name}"


def unit_report(snap: Snapshot, *, produced: str, html_name: str | None = None) -> model.Report:
    """The unit summary of ``snap``. ``produced`` says when and from what (a line of text)."""
    details = Details.of(snap.assessment)
    title = details.title or unit_title(snap)
    framework = snap.framework
    body = model.blocks(
        model.Heading(1, title),
        details.block(),
        _about(snap, produced),
        _result(snap),
        _sections(snap),
        _indicators(snap),
        _weaknesses(snap),
        _good_practice(snap),
        _actions(snap),
        _signoff(snap),
        _how(snap),
    )
    return model.Report(
        title=title,
        subject=(f"{framework.title} ({framework.abbreviation} {framework.version}) "
                 f"self-assessment of {snap.unit.code} {snap.unit.name}"
                 + (f", {snap.assessment.period}" if snap.assessment.period else "")),
        author=details.author or snap.assessment.equality_lead or "ESAT",
        marking=details.protective_marking,
        blocks=body, accessible_note=accessible_note(html_name),
        keywords=("ESAT", framework.abbreviation, snap.unit.code))


def _about(snap: Snapshot, produced: str) -> list[model.Block]:
    a = snap.assessment
    unit_type = snap.framework.unit_type(a.unit.unit_type).label
    phase = snap.stage.title if snap.stage else f"all {snap.framework.label('stages').lower()}"
    return [model.KeyValues("The assessment", (
        ("Unit", f"{a.unit.code} {a.unit.name} ({unit_type})"),
        ("Area or directorate", a.unit.area or "not set"),
        ("Framework", f"{snap.framework.title} ({snap.framework.key})"),
        (snap.framework.label("stage"), phase),
        ("Period", a.period or "not set"),
        ("Equality lead", a.equality_lead or "not set"),
        ("SMT lead", a.smt_lead or "not set"),
        ("Revision and status", f"revision {a.revision}, "
                                f"{'signed off' if a.signed_off else 'draft (not signed off)'}"),
    )), model.Para(produced, note=True)]


def _result(snap: Snapshot) -> list[model.Block]:
    score = snap.score
    framework = snap.framework
    overall = score.overall
    out: list[model.Block] = [model.Heading(2, "Result")]
    out.append(model.Para(
        f"Score: {percent(overall.percent)} ({overall.met} of {overall.required} required "
        f"{framework.label('items').lower()} satisfactory; {overall.unrated} not rated).",
        emphasis=True))
    if score.level_attained is not None:
        stage = score.level_attained_stage
        out.append(model.Para(
            f"{framework.label('stage')} attained: "
            + (f"{score.level_attained} ({stage.title})." if stage else "none yet."),
            emphasis=True))
        validated = {v.stage: v for v in snap.validations}
        for number, stage in enumerate(framework.stages, start=1):
            if stage.external_validation and number <= (score.level_attained or 0):
                check = validated.get(stage.id)
                out.append(model.Para(
                    f"{stage.title}: " + (f"validated by {check.validated_by} on "
                                          f"{check.validated_on}" if check
                                          else "not yet validated from outside")))
    else:
        threshold = threshold_percent(framework)
        verdict = "meets" if score.meets_baseline else "does not meet"
        out.append(model.Para(
            f"The unit {verdict} the baseline ({threshold}% or more of the required "
            f"{framework.label('items').lower()} satisfactory; decided on the exact fraction "
            f"{overall.met}/{overall.required}).", emphasis=True))
    out.append(model.Para(f"Ratings that counted: {score.basis}. The assessor's rating counts "
                          "where there is one, else the unit's own."))
    counts = model.Table(
        "Required indicators by the rating that counted",
        ("Rating", "Indicators"),
        tuple((framework.scale_point(pid).label, str(n)) for pid, n in score.rating_counts.items())
        + (("Not rated", str(overall.unrated)),),
        (0.6, 0.4), row_headers=True, numeric=(1,))
    out.append(counts)
    return out


def _sections(snap: Snapshot) -> list[model.Block]:
    framework = snap.framework
    score = snap.score
    section_word = framework.label("section")
    rows = []
    for section, tally in score.sections:
        section_codes = [r.item.code for r in score.items
                         if r.required and r.item.section == section.id]
        rows.append((section.title, ", ".join(section_codes) or "none", str(tally.required),
                     str(tally.met), percent(tally.percent)))
    data = model.Table(
        f"{section_word} scores (the chart's data)",
        (section_word, f"Required {framework.label('items').lower()}", "Required",
         "Satisfactory", "Score"),
        tuple(rows), (0.27, 0.33, 0.12, 0.16, 0.12), row_headers=True, numeric=(2, 3, 4))
    values = tuple(tally.percent for _, tally in score.sections)
    description = "; ".join(f"{section.title} {percent(tally.percent)}"
                            for section, tally in score.sections)
    out: list[model.Block] = [model.Heading(2, f"{section_word} scores"), model.BarChart(
        f"{section_word} scores of {snap.unit.code} {snap.unit.name}",
        f"Bar chart of the score in each {section_word.lower()}: {description}."
        + (f" The dashed line marks the baseline, {threshold_percent(framework)}%."
           if framework.threshold is not None else ""),
        tuple(section.title for section, _ in score.sections), values,
        threshold=threshold_percent(framework), data=data)]
    if score.area_levels:
        out.append(model.Table(
            f"{framework.label('stage')} attained in each {section_word.lower()}",
            (section_word, framework.label("stage")),
            tuple((section.title, str(level)) for section, level in score.area_levels),
            (0.6, 0.4), row_headers=True, numeric=(1,)))
    return out


def _rating_text(view: IndicatorView) -> str:
    if not view.required:
        return f"Exempt: {view.result.exempt_reason or 'no reason given'}"
    counted = view.counting_label
    source = {"assessor": "assessor's rating", "self": "unit's own rating"}.get(view.counted)
    text = f"{counted} ({source})" if source else counted
    if view.self_label and view.assessor_label and view.self_label != view.assessor_label:
        text += f"; the unit rated itself {view.self_label}"
    elif view.self_label and view.assessor_label:
        text += "; the unit's own rating agrees"
    return text


def _short(value: str, limit: int = EVIDENCE_SUMMARY) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def _evidence_summary(view: IndicatorView) -> str:
    if not view.evidence:
        return "Evidence: none recorded."
    parts = []
    for original in view.evidence:
        entry = original._replace(title=_short(original.title), body=_short(original.body),
                                  file_name=_short(original.file_name))
        if entry.kind == "file":
            parts.append(f"file “{entry.title or entry.file_name}”"
                         + (f" ({entry.file_name})" if entry.title and entry.file_name else ""))
        elif entry.kind == "link":
            parts.append(f"link “{entry.title}”" + (f" ({entry.body})" if entry.body != entry.title
                                                    else ""))
        else:
            parts.append(f"note “{entry.title}”" + (f": {entry.body}" if entry.body else ""))
    n = len(view.evidence)
    summary = f"Evidence ({n} item{'s' if n != 1 else ''}): " + "; ".join(parts)
    return summary if summary.endswith((".", "…")) else summary + "."


def _indicators(snap: Snapshot) -> list[model.Block]:
    framework = snap.framework
    items_word = framework.label("items")
    out: list[model.Block] = [model.Heading(2, items_word)]
    overview = []
    for view in snap.indicators:
        theme = view.item.theme or view.item.text
        overview.append((view.code, theme, _short_rating(view), str(len(view.evidence))))
    out.append(model.Table(
        f"Every {framework.label('item').lower()} at a glance",
        ("Code", framework.label("item"), "Rating that counts", "Evidence"),
        tuple(overview), (0.08, 0.52, 0.28, 0.12), row_headers=True, numeric=(3,)))
    for section in snap.sections:
        out.append(model.Heading(3, section.title))
        for view in snap.indicators:
            if view.section.id != section.id:
                continue
            out.append(model.Heading(4, f"{view.code} {view.item.theme}".strip()))
            out.append(model.Para(view.item.text))
            if view.item.wording_note:
                out.append(model.Para(view.item.wording_note, note=True))
            out.append(model.Para(f"Rating: {_rating_text(view)}.", emphasis=True))
            if view.exemption_requested:
                decision = {True: "granted", False: "refused", None: "not yet decided"}[
                    view.exemption_decision]
                out.append(model.Para(
                    f"Exemption requested: {view.exemption_request_reason or 'no reason given'} "
                    f"(coordinator's decision: {decision}).", note=True))
            if view.strands:
                out.append(model.Para("Equality strands: "
                                      + ", ".join(strand_label(s) for s in view.strands) + ".",
                                      note=True))
            out.append(model.Para(_evidence_summary(view)))
            if view.narrative.strip():
                out.append(model.Para("Narrative:", note=True))
                out.append(model.Para(view.narrative))
    return out


def _short_rating(view: IndicatorView) -> str:
    if not view.required:
        return "Exempt"
    text = view.counting_label
    if view.counted == "assessor":
        text += " (assessor)"
    return text


def _weaknesses(snap: Snapshot) -> list[model.Block]:
    weak = weaknesses(snap)
    out: list[model.Block] = [model.Heading(2, "Weaknesses")]
    if not weak:
        out.append(model.Para("Every required indicator is rated satisfactory."))
        return out
    out.append(model.Para(f"{len(weak)} required indicator{'s are' if len(weak) != 1 else ' is'} "
                          f"not satisfactory or not rated: {codes(weak)}."))
    out.append(model.Bullets(tuple(
        f"{r.item.code} {r.item.theme}: {snap.indicator(r.item.code).counting_label}"
        for r in weak)))
    return out


def _good_practice(snap: Snapshot) -> list[model.Block]:
    good = good_practice(snap)
    top = snap.framework.scale[-1].label
    out: list[model.Block] = [model.Heading(2, "Good practice")]
    if not good:
        out.append(model.Para(f"No required indicator is rated {top} yet."))
        return out
    out.append(model.Para(f"Rated {top} (practice others could learn from): {codes(good)}."))
    out.append(model.Bullets(tuple(f"{r.item.code} {r.item.theme}" for r in good)))
    return out


def _actions(snap: Snapshot) -> list[model.Block]:
    out: list[model.Block] = [model.Heading(2, "Action plan")]
    if not snap.actions:
        out.append(model.Para("No improvement actions are recorded."))
        return out
    order = {view.code: index for index, view in enumerate(snap.indicators)}
    ordered = sorted(snap.actions, key=lambda a: (a.item_code is None,
                                                  order.get(a.item_code or "", len(order))))
    rows = tuple((action.item_code or "general", action.description, action.owner or "not set",
                  action.due_on or "not set", ACTION_STATUS_LABELS.get(action.status, action.status))
                 for action in ordered)
    out.append(model.Table("Improvement actions", ("Indicator", "Action", "Owner", "Due", "Status"),
                           rows, (0.11, 0.47, 0.18, 0.12, 0.12)))
    return out


def _signoff(snap: Snapshot) -> list[model.Block]:
    out: list[model.Block] = [model.Heading(2, "Sign-off")]
    if not snap.signoffs:
        out.append(model.Para(f"Not signed off: revision {snap.assessment.revision} is a draft."))
        return out
    latest = snap.latest_signoff
    current = latest.revision == snap.assessment.revision and snap.assessment.signed_off
    out.append(model.Para(
        f"Revision {latest.revision} signed off by {latest.name}, {latest.role}, on "
        f"{latest.signed_on}." + ("" if current else
                                 f" Revision {snap.assessment.revision}, reported here, is a "
                                 "draft reopened since then.")))
    if len(snap.signoffs) > 1:
        out.append(model.Table("Every sign-off", ("Revision", "Name", "Role", "Signed on"),
                               tuple((str(s.revision), s.name, s.role, s.signed_on)
                                     for s in snap.signoffs), (0.14, 0.34, 0.34, 0.18),
                               numeric=(0,)))
    return out


def _how(snap: Snapshot) -> list[model.Block]:
    framework = snap.framework
    exempt = framework.type_exemptions(snap.unit.unit_type)
    lines = [
        "Score = satisfactory required indicators ÷ required indicators, shown as a whole "
        "percent rounded half up; decisions use the exact fraction. An indicator with no "
        "rating counts as not satisfactory.",
    ]
    if exempt:
        lines.append(f"Not required of this unit type: {', '.join(exempt)} "
                     f"({next(iter(exempt.values()))}).")
    return [model.Heading(2, "How the figures were made"),
            *(model.Para(line, note=True) for line in lines)]
