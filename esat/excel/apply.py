"""Apply an :class:`ImportPlan` to a unit file: all or nothing.

Rules for a file that already holds the unit's assessment (``docs/excel.md``):

- the workbook must be for the same unit, framework and phase (and period,
  when both give one); a signed-off assessment is refused;
- for every code the workbook lists, its self rating, narrative, exemption
  request and strands replace the file's, column by column: a blank cell
  clears, a column the workbook lacks changes nothing;
- assessor ratings and exemption decisions are applied only where the
  workbook gives one: a blank never clears a coordinator's work;
- evidence items and actions are added; an evidence item identical to one
  already there (same code, kind, title, text or link, file name and hash) is
  not added again, and an action with the same code and description is
  updated (owner, due date, status, strands) instead of added; nothing is
  ever deleted;
- document-control details the Summary sheet fills in replace the file's;
  blank ones leave them.

Everything happens in one transaction. A new file is built under a temporary
name beside the target and renamed only when complete.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import EsatError, ReadOnlyError
from ..records import Assessment, Evidence
from ..store import Store
from .model import ImportPlan, ImportResult, WorkbookProblems
from .layout import ACTIONS, EVIDENCE, INDICATORS


@dataclass
class _Counts:
    ratings: int = 0
    assessor_ratings: int = 0
    narratives: int = 0
    exemptions: int = 0
    evidence_added: int = 0
    evidence_kept: int = 0
    actions_added: int = 0
    actions_updated: int = 0


def apply_plan(plan: ImportPlan, into: Path, *, actor: str,
               skip_bad_rows: bool = False) -> ImportResult:
    """Bring the plan into the unit file ``into`` (created when missing).

    Raises :class:`WorkbookProblems` when the plan has problems and
    ``skip_bad_rows`` is False; then, as on any failure, nothing is written
    and an existing file is unchanged.
    """
    into = Path(into)
    if plan.problems and not skip_bad_rows:
        raise WorkbookProblems(plan.source, plan.problems)
    if into.exists():
        uuid, counts = _into_existing(plan, into, actor)
        created = False
    else:
        uuid, counts = _into_new(plan, into, actor)
        created = True
    return ImportResult(path=into, assessment_uuid=uuid, created=created,
                        rows_skipped=plan.bad_rows if plan.problems else 0, **vars(counts))


def _into_new(plan: ImportPlan, into: Path, actor: str) -> tuple[str, _Counts]:
    if not into.parent.is_dir():
        raise EsatError(f"{into}: the folder {into.parent} does not exist")
    partial = into.with_name(f".{into.name}.partial")
    partial.unlink(missing_ok=True)
    store = Store.create(partial, actor=actor)
    try:
        with store.db.atomic():
            assessment = _create(store, plan)
            counts = _apply(store, assessment, plan)
        store.close()
    except BaseException:
        store.close()
        partial.unlink(missing_ok=True)
        raise
    if into.exists():
        partial.unlink(missing_ok=True)
        raise EsatError(f"{into}: a file of that name appeared while importing; it was left "
                        "alone and nothing was imported")
    os.replace(partial, into)
    return assessment.uuid, counts


def _create(store: Store, plan: ImportPlan) -> Assessment:
    unit = plan.unit
    return store.create_assessment(plan.framework, stage=plan.stage, unit_code=unit.code,
                                   unit_name=unit.name, unit_type=unit.unit_type,
                                   area=unit.area, period=unit.period)


def _into_existing(plan: ImportPlan, into: Path, actor: str) -> tuple[str, _Counts]:
    store = Store.open(into, actor=actor)
    try:
        assessments = store.assessments()
        target = _target(plan, into, assessments)
        if target is not None and target.signed_off:
            raise ReadOnlyError(
                f"{into}: revision {target.revision} of the assessment is signed off, so "
                "nothing was imported; reopen it first (this starts a new revision)")
        with store.db.atomic():
            if target is None:
                target = _create(store, plan)
            elif plan.unit.period and not target.period:
                store.set_details(target.uuid, period=plan.unit.period)
            counts = _apply(store, target, plan)
        return target.uuid, counts
    finally:
        store.close()


def _describe(code: str, framework_key: str, stage: str | None, period: str) -> str:
    return (f"{code}, {framework_key} {stage or 'all levels'}"
            + (f", {period}" if period else ""))


def _target(plan: ImportPlan, into: Path, assessments: list[Assessment]) -> Assessment | None:
    """The assessment the workbook goes into; None to create it in an empty file."""
    if not assessments:
        return None
    chosen = next((a for a in assessments if a.uuid == plan.assessment_uuid), None)
    if chosen is None:
        if len(assessments) > 1:
            raise EsatError(f"{into}: holds {len(assessments)} assessments, none of them the "
                            f"one in {plan.source.name}; import into a unit's own file")
        chosen = assessments[0]
    unit = plan.unit
    if (chosen.framework_key != plan.framework.key or chosen.stage != plan.stage
            or chosen.unit.code != unit.code
            or (chosen.period and unit.period and chosen.period != unit.period)):
        raise EsatError(
            f"{into}: holds the assessment of "
            f"{_describe(chosen.unit.code, chosen.framework_key, chosen.stage, chosen.period)}"
            f", but {plan.source.name} is for "
            f"{_describe(unit.code, plan.framework.key, plan.stage, unit.period)}; nothing was "
            "imported")
    return chosen


def _at(plan: ImportPlan, sheet: str, row: int, exc: EsatError) -> EsatError:
    return EsatError(f"{plan.source}: {sheet} row {row}: {exc}; nothing was imported")


def _apply(store: Store, assessment: Assessment, plan: ImportPlan) -> _Counts:
    counts = _Counts()
    uuid = assessment.uuid
    if plan.details:
        changes = {key: value for key, value in plan.details.items()
                   if getattr(assessment, key) != value}
        if changes:
            store.set_details(uuid, **changes)
    responses = store.responses(uuid)
    columns = plan.columns
    for entry in plan.indicators:
        current = responses.get(entry.code)
        try:
            _apply_indicator(store, uuid, entry, current, columns, counts)
        except EsatError as exc:
            raise _at(plan, INDICATORS, entry.row, exc) from None
    _apply_evidence(store, uuid, plan, counts)
    _apply_actions(store, uuid, plan, counts)
    return counts


def _apply_indicator(store: Store, uuid: str, entry, current, columns, counts: _Counts) -> None:
    code = entry.code
    if "self_rating" in columns:
        if entry.self_rating != (current.self_rating if current else None):
            store.set_self_rating(uuid, code, entry.self_rating)
            counts.ratings += 1
    # A unit's file takes no coordinator fields: they are counted and reported as ignored.
    if entry.assessor_rating is not None:
        counts.assessor_ratings += 1
    if entry.narrative is not None and entry.narrative != (current.narrative if current else ""):
        store.set_narrative(uuid, code, entry.narrative)
        counts.narratives += 1
    if entry.exempt is not None:
        requested = bool(current and current.unit_exempt)
        reason = current.unit_exemption_reason if current else ""
        if entry.exempt and (not requested or reason != entry.exemption_reason):
            store.request_exemption(uuid, code, entry.exemption_reason)
            counts.exemptions += 1
        elif not entry.exempt and requested:
            store.withdraw_exemption(uuid, code)
            counts.exemptions += 1
    if entry.decision is not None:
        counts.assessor_ratings += 1
    if entry.strands is not None and set(entry.strands) != set(current.strands if current else ()):
        store.set_item_strands(uuid, code, entry.strands)


def _evidence_key(code: str, kind: str, title: str, body: str, file_name: str,
                  sha256: str) -> tuple:
    return (code, kind, title.strip(), body, file_name, sha256)


def _apply_evidence(store: Store, uuid: str, plan: ImportPlan, counts: _Counts) -> None:
    existing: dict[tuple, list[Evidence]] = defaultdict(list)
    for item in store.evidence(uuid):
        existing[_evidence_key(item.item_code, item.kind, item.title, item.body,
                               item.file_name, item.blob_sha256 or "")].append(item)
    for entry in plan.evidence_items:
        if entry.kind == "link":
            title, body = entry.title or entry.text, entry.text
        elif entry.kind == "file":
            title, body = entry.title or entry.file_name, ""
        else:
            title, body = entry.title, entry.text
        key = _evidence_key(entry.code, entry.kind, title, body, entry.file_name, entry.sha256)
        try:
            if existing.get(key):
                found = existing[key].pop(0)
                counts.evidence_kept += 1
                if entry.strands is not None and set(entry.strands) != set(found.strands):
                    store.set_evidence_strands(found.uuid, entry.strands)
                continue
            strands = entry.strands or ()
            if entry.kind == "note":
                store.add_note(uuid, entry.code, entry.title, entry.text, strands)
            elif entry.kind == "link":
                store.add_link(uuid, entry.code, entry.title, entry.text, strands)
            else:
                store.add_file_reference(uuid, entry.code, file_name=entry.file_name,
                                         sha256=entry.sha256, size=entry.size,
                                         title=entry.title, strands=strands)
            counts.evidence_added += 1
        except EsatError as exc:
            raise _at(plan, EVIDENCE, entry.row, exc) from None


def _apply_actions(store: Store, uuid: str, plan: ImportPlan, counts: _Counts) -> None:
    existing = defaultdict(list)
    for action in store.actions(uuid):
        existing[(action.item_code, action.description)].append(action)
    for entry in plan.action_items:
        try:
            matches = existing.get((entry.code, entry.description))
            if matches:
                found = matches.pop(0)
                changes = {key: value for key, value in (("owner", entry.owner),
                                                         ("due_on", entry.due_on),
                                                         ("status", entry.status))
                           if getattr(found, key) != value}
                changed = bool(changes)
                if changes:
                    store.update_action(found.uuid, **changes)
                if entry.strands is not None and set(entry.strands) != set(found.strands):
                    store.set_action_strands(found.uuid, entry.strands)
                    changed = True
                counts.actions_updated += changed
                continue
            store.add_action(uuid, entry.code, entry.description, owner=entry.owner,
                             due_on=entry.due_on, status=entry.status,
                             strands=entry.strands or ())
            counts.actions_added += 1
        except EsatError as exc:
            raise _at(plan, ACTIONS, entry.row, exc) from None
