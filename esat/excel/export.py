"""Export an assessment to a unit workbook, and write a blank, fillable template.

Both have the same layout (``docs/excel.md``): ``Summary``, ``Indicators``,
``Evidence``, ``Actions`` and a hidden ``_esat`` sheet with the format
version, the ids and the drop-down lists.
"""

from __future__ import annotations

from datetime import date, timezone
from pathlib import Path
from typing import Callable

from .. import __version__
from ..framework import Framework
from ..records import Action, Assessment, Evidence, Response
from ..scoring import Score, round_half_up_percent
from ..scoring import score as score_items
from ..store import ACTION_STATUS_LABELS, Store, check_new_assessment
from ..strands import strand_label
from ..summary import percent_text, score_row
from .layout import (ACTION_COLUMNS, ACTIONS, EVIDENCE, EVIDENCE_COLUMNS,
                     EVIDENCE_KINDS, FORMAT_VERSION, GRANTED, INDICATORS, LIST_DECISIONS,
                     LIST_KINDS, LIST_RATINGS, LIST_STATUSES, LIST_YES_NO, NO, REFUSED, SUMMARY,
                     SUMMARY_COLUMNS, TEMPLATE_ROWS, YES, indicator_columns)
from .writer import Lists, SheetData, Value, write_workbook

Progress = Callable[[int, int], None]

HOW_TO_FILL = (
    "Fill in the Indicators sheet: choose a Self rating from the drop-down for every "
    "indicator, write the Narrative (what you do and how you know), and put Yes in Exempt "
    "with a reason only to ask to be exempt. Add one row per evidence item on the Evidence "
    "sheet (Kind Note or Link; files stay with you) and one row per improvement action on "
    "the Actions sheet. Keep the Code column and the header row as they are; extra columns "
    "are ignored. Then send the workbook to your coordinator.")


# -- the app's entry points -------------------------------------------------------------


def export_assessment(store: Store, assessment_uuid: str, target: Path, *,
                      progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the assessment to the workbook ``target``; returns ``target``.

    ``progress(done, total)`` is called as rows are written and ``cancelled()``
    is polled between rows: when it returns True, :class:`~esat.excel.Cancelled`
    is raised and no file is left at ``target``. The workbook is written under
    a temporary name and renamed when complete.
    """
    sheets, meta, lists = assessment_sheets(store, assessment_uuid)
    return write_workbook(Path(target), sheets, meta, lists, progress=progress,
                          cancelled=cancelled)


def write_template(framework: Framework, target: Path, *, stage: str | None, unit_code: str,
                   unit_name: str, unit_type: str, area: str = "", period: str = "") -> Path:
    """Write a blank unit workbook with the rating drop-downs, for a unit without ESAT."""
    sheets, meta, lists = template_sheets(framework, stage=stage, unit_code=unit_code,
                                          unit_name=unit_name, unit_type=unit_type, area=area,
                                          period=period)
    return write_workbook(Path(target), sheets, meta, lists)


# -- building the sheets (plain values; the writer formats them) ---------------------------


def assessment_sheets(store: Store, assessment_uuid: str
                      ) -> tuple[list[SheetData], list[tuple[str, Value]], Lists]:
    """The sheets, meta rows and lists of one assessment's workbook."""
    assessment = store.assessment(assessment_uuid)
    framework = store.framework_of(assessment)
    responses = store.responses(assessment_uuid)
    evidence = store.evidence(assessment_uuid)
    actions = store.actions(assessment_uuid)
    # as Store.score does, without reading the responses a second time
    score = score_items(framework, assessment.stage, assessment.unit.unit_type,
                        {code: response.state() for code, response in responses.items()})
    sheets = [
        SheetData(SUMMARY, SUMMARY_COLUMNS, _summary_rows(store, assessment, framework, score)),
        _indicator_sheet(framework, assessment.stage, score, responses, evidence, actions),
        # the drop-downs cover the rows there and 500 new ones, as in the template
        SheetData(EVIDENCE, EVIDENCE_COLUMNS, [_evidence_row(e) for e in evidence],
                  validation_rows=len(evidence) + TEMPLATE_ROWS),
        SheetData(ACTIONS, ACTION_COLUMNS, [_action_row(a) for a in actions],
                  validation_rows=len(actions) + TEMPLATE_ROWS),
    ]
    _choices_on_summary(sheets[0])
    meta = _meta("export", framework, assessment.stage, assessment.unit.code,
                 assessment_uuid=assessment.uuid, revision=assessment.revision)
    return sheets, meta, _lists(framework)


def template_sheets(framework: Framework, *, stage: str | None, unit_code: str, unit_name: str,
                    unit_type: str, area: str = "", period: str = ""
                    ) -> tuple[list[SheetData], list[tuple[str, Value]], Lists]:
    """The sheets of a blank workbook for one unit (details checked as ``esat new`` does)."""
    new = check_new_assessment(framework, stage=stage, unit_code=unit_code,
                               unit_name=unit_name, unit_type=unit_type, period=period)
    code, stage, period = new.unit_code, new.stage, new.period
    type_label = framework.unit_type(new.unit_type).label
    summary = [
        ["Unit code", code], ["Unit name", new.unit_name], ["Unit type", type_label],
        ["Area", (area or "").strip()], ["Framework", framework.key],
        ["Framework title", f"{framework.title} ({framework.abbreviation} {framework.version})"],
        [framework.label("stage"), _stage_title(framework, stage)], ["Period", period],
        *[[label, None] for label in _DETAIL_LABELS],
        ["How to fill", HOW_TO_FILL],
    ]
    type_exempt = framework.type_exemptions(unit_type)
    rows = []
    for item in framework.items_for(stage):
        exempt = item.code in type_exempt
        rows.append(_item_cells(framework, item) + [
            YES if exempt else None, type_exempt.get(item.code), None, None, None, None, None,
            f"exempt: {type_exempt[item.code]}" if exempt else None, None, None, None, None])
    sheets = [
        SheetData(SUMMARY, SUMMARY_COLUMNS, summary),
        SheetData(INDICATORS, indicator_columns(framework.label("stage")), rows, freeze="B2"),
        SheetData(EVIDENCE, EVIDENCE_COLUMNS, [], validation_rows=TEMPLATE_ROWS),
        SheetData(ACTIONS, ACTION_COLUMNS, [], validation_rows=TEMPLATE_ROWS),
    ]
    _choices_on_summary(sheets[0])
    meta = _meta("template", framework, stage, code)
    return sheets, meta, _lists(framework)


_DETAIL_LABELS = ("Equality lead", "SMT lead", "Protective marking", "Publication scheme",
                  "Title", "Version", "Summary", "Author", "Approver", "Owning unit",
                  "Created on", "Review on")


def _stage_title(framework: Framework, stage: str | None) -> str:
    if stage is None:
        return f"All {framework.label('stages').lower()}"
    return framework.stage(stage).title


def _iso_date(text: str) -> Value:
    """A stored ISO date as a date cell (text if it is not one)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _summary_rows(store: Store, assessment: Assessment, framework: Framework,
                  score: Score) -> list[list[Value]]:
    unit = assessment.unit
    try:
        type_label = framework.unit_type(unit.unit_type).label
    except KeyError:
        type_label = unit.unit_type
    row = score_row(store, assessment, score)
    signed = [s for s in store.signoffs(assessment.uuid) if s.revision == assessment.revision]
    rows: list[list[Value]] = [
        ["Unit code", unit.code], ["Unit name", unit.name], ["Unit type", type_label],
        ["Area", unit.area], ["Framework", framework.key],
        ["Framework title", f"{framework.title} ({framework.abbreviation} {framework.version})"],
        [framework.label("stage"), _stage_title(framework, assessment.stage)],
        ["Period", assessment.period], ["Revision", assessment.revision],
        ["Status", "Signed off" if assessment.signed_off else "Draft"],
    ]
    if signed:
        rows.append(["Signed off by", f"{signed[-1].name}, {signed[-1].role}, {signed[-1].signed_on}"])
    rows += [
        ["Equality lead", assessment.equality_lead], ["SMT lead", assessment.smt_lead],
        ["Protective marking", assessment.protective_marking],
        ["Publication scheme", YES if assessment.publication_scheme else NO],
        ["Title", assessment.title], ["Version", assessment.version_label],
        ["Summary", assessment.summary], ["Author", assessment.author],
        ["Approver", assessment.approver], ["Owning unit", assessment.owning_unit],
        ["Created on", _iso_date(assessment.created_on)],
        ["Review on", _iso_date(assessment.review_on)],
        [None, None],
        ["Score", percent_text(score.overall.percent)],
    ]
    if score.level_attained is not None:
        stage = score.level_attained_stage
        rows.append([f"{framework.label('stage')} attained",
                     f"{score.level_attained} ({stage.title})" if stage else "none yet"])
    else:
        threshold = percent_text(round_half_up_percent(framework.threshold))
        rows.append(["Baseline", f"{'met' if score.meets_baseline else 'not met'} "
                                 f"(threshold {threshold})"])
    items = framework.label("items").lower()
    rows += [
        ["Ratings used", score.basis],
        [f"Required {items}", score.overall.required],
        ["Met", score.overall.met],
        ["Not rated", score.overall.unrated],
    ]
    levels = dict((section.id, level) for section, level in score.area_levels)
    for section, tally in score.sections:
        text = f"{percent_text(tally.percent)} ({tally.met} of {tally.required})"
        if section.id in levels:
            text += f"; {framework.label('stage').lower()} {levels[section.id]}"
        rows.append([f"{framework.label('section')}: {section.title}", text])
    for label, count in row["rating_counts"].items():
        rows.append([f"Rated {label}", count])
    for validation in store.validations(assessment.uuid):
        try:
            title = framework.stage(validation.stage).title
        except KeyError:
            title = validation.stage
        rows.append([f"Validated: {title}", f"{validation.validated_by}, {validation.validated_on}"
                     + (f" ({validation.method})" if validation.method else "")])
    rows += [["Exported", store.clock().astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")], ["Exported by", store.actor],
             ["Exported with", f"ESAT {__version__}"]]
    return rows


def _choices_on_summary(sheet: SheetData) -> None:
    for index, (field, _) in enumerate(sheet.rows, start=2):
        if field == "Publication scheme":
            sheet.cell_choices.append((LIST_YES_NO, f"B{index}"))


def _item_cells(framework: Framework, item) -> list[Value]:
    section = framework.section(item.section).title
    stage = framework.stage(item.stage).title
    text = f"{item.theme}\n{item.text}" if item.theme else item.text
    return [item.code, section, stage, text, item.wording]


def _indicator_sheet(framework: Framework, stage: str | None, score: Score,
                     responses: dict[str, Response], evidence: list[Evidence],
                     actions: list[Action]) -> SheetData:
    by_code_evidence: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_code_evidence.setdefault(item.item_code, []).append(item)
    by_code_actions: dict[str | None, list[Action]] = {}
    for action in actions:
        by_code_actions.setdefault(action.item_code, []).append(action)
    label = {point.id: point.label for point in framework.scale}
    rows = []
    for result in score.items:
        item = result.item
        response = responses.get(item.code)
        exempt, reason = None, None
        if result.exempt_by == "type":
            exempt, reason = YES, result.exempt_reason
        elif response is not None and response.unit_exempt:
            exempt, reason = YES, response.unit_exemption_reason
        decision, decision_reason = None, None
        if response is not None and response.coord_exempt is not None:
            decision = GRANTED if response.coord_exempt else REFUSED
            decision_reason = response.coord_exemption_reason
        if not result.required:
            used = f"exempt: {result.exempt_reason}"
        elif result.rating is None:
            used = "not rated"
        else:
            used = f"{label[result.rating]} ({'assessor' if result.rating_source == 'assessor' else 'unit'})"
        rows.append(_item_cells(framework, item) + [
            exempt, reason, decision, decision_reason,
            label.get(response.self_rating) if response and response.self_rating else None,
            label.get(response.assessor_rating) if response and response.assessor_rating else None,
            response.assessor_name if response and response.assessor_rating else None,
            used,
            _evidence_summary(by_code_evidence.get(item.code, [])),
            _strands(response.strands) if response else None,
            _actions_summary(by_code_actions.get(item.code, [])),
            response.narrative if response else None,
        ])
    return SheetData(INDICATORS, indicator_columns(framework.label("stage")), rows, freeze="B2")


def _strands(strands) -> str | None:
    return ", ".join(strand_label(s) for s in strands) or None


def _evidence_summary(items: list[Evidence]) -> str | None:
    if not items:
        return None
    counts = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    words = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items())
    titles = "; ".join(item.title or item.file_name for item in items)
    if len(titles) > 300:
        titles = titles[:297] + "..."
    return f"{words}: {titles}"


def _actions_summary(items: list[Action]) -> str | None:
    if not items:
        return None
    parts = []
    for action in items:
        due = f", due {action.due_on}" if action.due_on else ""
        parts.append(f"{action.description} ({ACTION_STATUS_LABELS.get(action.status, action.status).lower()}{due})")
    text = "; ".join(parts)
    return text if len(text) <= 400 else text[:397] + "..."


def _evidence_row(item: Evidence) -> list[Value]:
    kind = dict(EVIDENCE_KINDS).get(item.kind, item.kind)
    if item.kind == "file":
        return [item.item_code, kind, item.title, None, item.file_name, item.size,
                item.blob_sha256, _strands(item.strands)]
    return [item.item_code, kind, item.title, item.body, None, None, None, _strands(item.strands)]


def _action_row(action: Action) -> list[Value]:
    return [action.item_code, action.description, action.owner, _iso_date(action.due_on),
            ACTION_STATUS_LABELS.get(action.status, action.status), _strands(action.strands)]


def _meta(kind: str, framework: Framework, stage: str | None, unit_code: str, *,
          assessment_uuid: str | None = None, revision: int | None = None
          ) -> list[tuple[str, Value]]:
    return [("format_version", FORMAT_VERSION), ("kind", kind),
            ("assessment_uuid", assessment_uuid), ("revision", revision),
            ("framework_id", framework.id), ("framework_version", framework.version),
            ("stage", stage), ("unit_code", unit_code), ("esat_version", __version__)]


def _lists(framework: Framework) -> Lists:
    lists = Lists()
    lists.add(LIST_RATINGS, "Ratings", [point.label for point in framework.scale])
    lists.add(LIST_YES_NO, "Yes/No", [YES, NO])
    lists.add(LIST_DECISIONS, "Exemption decisions", [GRANTED, REFUSED])
    lists.add(LIST_KINDS, "Evidence kinds", [label for _, label in EVIDENCE_KINDS])
    lists.add(LIST_STATUSES, "Action statuses", list(ACTION_STATUS_LABELS.values()))
    return lists
