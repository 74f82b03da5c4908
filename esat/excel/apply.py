"""Apply an :class:`ImportPlan` to a unit file: all or nothing.

Rules for a file that already holds the unit's assessment (``docs/excel.md``):

- the workbook must be for the same unit, framework and phase (and period,
  when both give one); a signed-off assessment is refused;
- for every code the workbook lists, its self rating, narrative, exemption
  request and strands replace the file's, column by column; a blank cell leaves
  the file's value alone unless ``blank_clears`` is chosen (then it clears it),
  and a column the workbook lacks changes nothing;
- assessor ratings and exemption decisions in the workbook are never applied
  (a unit's file takes no coordinator fields): they are counted and reported
  as ignored;
- evidence items and actions are added; an evidence item identical to one
  already there (same code, kind, title, text or link, file name and hash) is
  not added again, and an action with the same code and description is
  updated (owner, due date, status, strands) instead of added; nothing is
  ever deleted;
- document-control details the Summary sheet fills in replace the file's;
  blank ones leave them.

Every field changed is recorded as a :class:`PlanChange` (old → new, and how to
put it back). :func:`preview_plan` runs the very same code and rolls it back, so
a preview lists exactly what the import then does; :func:`undo_import` puts back
what an import into an existing assessment changed.

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
from ..strands import strand_label
from .model import ImportPlan, ImportResult, PlanChange, WorkbookProblems
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
    exemptions_requested: int = 0
    exemptions_withdrawn: int = 0
    narratives_cleared: int = 0
    ratings_cleared: int = 0
    other: int = 0


class _Changes(list):
    """The changes an import makes, in order."""

    def add(self, code: str, what: str, old: str, new: str, *revert) -> None:
        self.append(PlanChange(code, what, old, new, tuple(revert)))


class _DryRun(Exception):
    """Raised at the end of a preview to roll everything back."""


def apply_plan(plan: ImportPlan, into: Path, *, actor: str, skip_bad_rows: bool = False,
               blank_clears: bool = False) -> ImportResult:
    """Bring the plan into the unit file ``into`` (created when missing).

    Raises :class:`WorkbookProblems` when the plan has problems and
    ``skip_bad_rows`` is False; then, as on any failure, nothing is written
    and an existing file is unchanged.
    """
    into = Path(into)
    if plan.problems and not skip_bad_rows:
        raise WorkbookProblems(plan.source, plan.problems)
    if into.exists():
        store = Store.open(into, actor=actor)
        try:
            return apply_to_store(store, plan, skip_bad_rows=skip_bad_rows,
                                  blank_clears=blank_clears)
        finally:
            store.close()
    uuid, counts, changes = _into_new(plan, into, actor, blank_clears)
    return _result(plan, into, uuid, True, counts, changes)


def apply_to_store(store: Store, plan: ImportPlan, *, skip_bad_rows: bool = False,
                   blank_clears: bool = False, dry_run: bool = False) -> ImportResult:
    """Bring the plan into the open unit file ``store`` (the app's worker uses this).

    With ``dry_run`` everything is done and then rolled back: the result says
    exactly what the import would change.
    """
    if plan.problems and not skip_bad_rows:
        raise WorkbookProblems(plan.source, plan.problems)
    into = store.path
    found: list = []
    try:
        uuid, counts, changes = _into_existing(plan, store, into, blank_clears, dry_run, found)
    except _DryRun:
        uuid, counts, changes = found[0]
    return _result(plan, into, uuid, False, counts, changes)


def preview_plan(store: Store, plan: ImportPlan, *, blank_clears: bool = False) -> ImportResult:
    """What importing ``plan`` into ``store`` would change, field by field; writes nothing."""
    return apply_to_store(store, plan, skip_bad_rows=True, blank_clears=blank_clears,
                          dry_run=True)


def undo_import(store: Store, result: ImportResult) -> None:
    """Put back everything ``result``'s import changed in an existing assessment."""
    with store.db.atomic():
        for change in reversed(result.changes):
            if change.revert:
                method, *args = change.revert
                keywords = args.pop() if args and isinstance(args[-1], dict) else {}
                getattr(store, method)(*args, **keywords)


def _result(plan: ImportPlan, into: Path, uuid: str, created: bool, counts: _Counts,
            changes: list[PlanChange]) -> ImportResult:
    return ImportResult(path=into, assessment_uuid=uuid, created=created,
                        rows_skipped=plan.bad_rows if plan.problems else 0,
                        changes=tuple(changes), **vars(counts))


def _into_new(plan: ImportPlan, into: Path, actor: str,
              blank_clears: bool) -> tuple[str, _Counts, list[PlanChange]]:
    if not into.parent.is_dir():
        raise EsatError(f"{into}: the folder {into.parent} does not exist")
    partial = into.with_name(f".{into.name}.partial")
    partial.unlink(missing_ok=True)
    store = Store.create(partial, actor=actor)
    try:
        with store.db.atomic():
            assessment = _create(store, plan)
            changes = _Changes()
            counts = _apply(store, assessment, plan, blank_clears, changes)
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
    return assessment.uuid, counts, changes


def _create(store: Store, plan: ImportPlan) -> Assessment:
    unit = plan.unit
    return store.create_assessment(plan.framework, stage=plan.stage, unit_code=unit.code,
                                   unit_name=unit.name, unit_type=unit.unit_type,
                                   area=unit.area, period=unit.period)


def _into_existing(plan: ImportPlan, store: Store, into: Path, blank_clears: bool, dry_run: bool,
                   found: list) -> tuple[str, _Counts, list[PlanChange]]:
    assessments = store.assessments()
    target = _target(plan, into, assessments)
    if target is not None and target.signed_off:
        raise ReadOnlyError(
            f"{into}: revision {target.revision} of the assessment is signed off, so "
            "nothing was imported; reopen it first (this starts a new revision)")
    with store.db.atomic():
        changes = _Changes()
        if target is None:
            target = _create(store, plan)
        elif plan.unit.period and not target.period:
            store.set_details(target.uuid, period=plan.unit.period)
            changes.add("", "period", "(blank)", plan.unit.period,
                        "set_details", target.uuid, {"period": ""})
        counts = _apply(store, target, plan, blank_clears, changes)
        if dry_run:
            found.append((target.uuid, counts, changes))
            raise _DryRun()
    return target.uuid, counts, changes


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


def _shown(text: str | None, limit: int = 60) -> str:
    if not text:
        return "(blank)"
    one_line = " ".join(text.split())
    return f"“{one_line[:limit]}…”" if len(one_line) > limit else f"“{one_line}”"


def _strands_text(strands) -> str:
    return ", ".join(strand_label(s) for s in strands) if strands else "(none)"


def _apply(store: Store, assessment: Assessment, plan: ImportPlan, blank_clears: bool,
           changes: _Changes) -> _Counts:
    counts = _Counts()
    uuid = assessment.uuid
    if plan.details:
        details = {key: value for key, value in plan.details.items()
                   if getattr(assessment, key) != value}
        if details:
            store.set_details(uuid, **details)
            for key, value in details.items():
                old = getattr(assessment, key)
                changes.add("", key.replace("_", " "), _shown(str(old) if old not in (None, "") else ""),
                            _shown(str(value)), "set_details", uuid, {key: old})
                counts.other += 1
    responses = store.responses(uuid)
    columns = plan.columns
    for entry in plan.indicators:
        current = responses.get(entry.code)
        try:
            _apply_indicator(store, uuid, plan, entry, current, columns, counts, blank_clears,
                             changes)
        except EsatError as exc:
            raise _at(plan, INDICATORS, entry.row, exc) from None
    _apply_evidence(store, uuid, plan, counts, changes)
    _apply_actions(store, uuid, plan, counts, changes)
    return counts


def _apply_indicator(store: Store, uuid: str, plan: ImportPlan, entry, current, columns,
                     counts: _Counts, blank_clears: bool, changes: _Changes) -> None:
    code = entry.code
    framework = plan.framework

    def rating_text(rating: str | None) -> str:
        return framework.scale_point(rating).label if rating else "not rated"

    def kept(column: str) -> bool:           # a blank cell leaves the file's value alone
        return column in entry.blank and not blank_clears

    if "self_rating" in columns and not kept("self_rating"):
        old = current.self_rating if current else None
        if entry.self_rating != old:
            store.set_self_rating(uuid, code, entry.self_rating)
            changes.add(code, "self rating", rating_text(old), rating_text(entry.self_rating),
                        "set_self_rating", uuid, code, old)
            counts.ratings += 1
            counts.ratings_cleared += entry.self_rating is None
    # A unit's file takes no coordinator fields: they are counted and reported as ignored.
    if entry.assessor_rating is not None:
        counts.assessor_ratings += 1
    narrative_blank = not entry.narrative and not blank_clears
    if entry.narrative is not None and not narrative_blank:
        old = current.narrative if current else ""
        if entry.narrative != old:
            store.set_narrative(uuid, code, entry.narrative)
            changes.add(code, "narrative", _shown(old), _shown(entry.narrative),
                        "set_narrative", uuid, code, old)
            counts.narratives += 1
            counts.narratives_cleared += not entry.narrative
    exempt_blank = ("exempt" in entry.blank and ("exemption_reason" in entry.blank
                                                  or "exemption_reason" not in columns))
    if entry.exempt is not None and not (exempt_blank and not blank_clears):
        requested = bool(current and current.unit_exempt)
        reason = current.unit_exemption_reason if current else ""
        before = f"requested: {_shown(reason)}" if requested else "not requested"
        revert = (("request_exemption", uuid, code, reason) if requested
                  else ("withdraw_exemption", uuid, code))
        if entry.exempt and (not requested or reason != entry.exemption_reason):
            store.request_exemption(uuid, code, entry.exemption_reason)
            changes.add(code, "exemption request", before,
                        f"requested: {_shown(entry.exemption_reason)}", *revert)
            counts.exemptions += 1
            counts.exemptions_requested += 1
        elif not entry.exempt and requested:
            store.withdraw_exemption(uuid, code)
            changes.add(code, "exemption request", before, "withdrawn", *revert)
            counts.exemptions += 1
            counts.exemptions_withdrawn += 1
    if entry.decision is not None:
        counts.assessor_ratings += 1
    if entry.strands is not None and not kept("strands"):
        old_strands = tuple(current.strands) if current else ()
        if set(entry.strands) != set(old_strands):
            store.set_item_strands(uuid, code, entry.strands)
            changes.add(code, "strands", _strands_text(old_strands), _strands_text(entry.strands),
                        "set_item_strands", uuid, code, old_strands)
            counts.other += 1


def _evidence_key(code: str, kind: str, title: str, body: str, file_name: str,
                  sha256: str) -> tuple:
    return (code, kind, title.strip(), body, file_name, sha256)


def _apply_evidence(store: Store, uuid: str, plan: ImportPlan, counts: _Counts,
                    changes: _Changes) -> None:
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
                    changes.add(entry.code, f"strands of {entry.kind} “{found.title}”",
                                _strands_text(found.strands), _strands_text(entry.strands),
                                "set_evidence_strands", found.uuid, tuple(found.strands))
                    counts.other += 1
                continue
            strands = entry.strands or ()
            if entry.kind == "note":
                added = store.add_note(uuid, entry.code, entry.title, entry.text, strands)
            elif entry.kind == "link":
                added = store.add_link(uuid, entry.code, entry.title, entry.text, strands)
            else:
                added = store.add_file_reference(uuid, entry.code, file_name=entry.file_name,
                                                 sha256=entry.sha256, size=entry.size,
                                                 title=entry.title, strands=strands)
            changes.add(entry.code, f"{entry.kind} added", "(none)", _shown(title or body),
                        "remove_evidence", added)
            counts.evidence_added += 1
        except EsatError as exc:
            raise _at(plan, EVIDENCE, entry.row, exc) from None


def _apply_actions(store: Store, uuid: str, plan: ImportPlan, counts: _Counts,
                   changes: _Changes) -> None:
    log = changes
    existing: dict[tuple, list] = defaultdict(list)
    for action in store.actions(uuid):
        existing[(action.item_code, action.description)].append(action)
    for entry in plan.action_items:
        try:
            matches = existing.get((entry.code, entry.description))
            if matches:
                found = matches.pop(0)
                fields = {key: value for key, value in (("owner", entry.owner),
                                                        ("due_on", entry.due_on),
                                                        ("status", entry.status))
                          if getattr(found, key) != value}
                changed = bool(fields)
                what = f"action “{entry.description[:40]}”"
                if fields:
                    store.update_action(found.uuid, **fields)
                    for key, value in fields.items():
                        log.add(entry.code or "", f"{what} {key.replace('_on', ' date')}",
                                _shown(getattr(found, key)), _shown(value),
                                "update_action", found.uuid, {key: getattr(found, key)})
                if entry.strands is not None and set(entry.strands) != set(found.strands):
                    store.set_action_strands(found.uuid, entry.strands)
                    log.add(entry.code or "", f"{what} strands", _strands_text(found.strands),
                            _strands_text(entry.strands), "set_action_strands", found.uuid,
                            tuple(found.strands))
                    changed = True
                counts.actions_updated += changed
                continue
            added = store.add_action(uuid, entry.code, entry.description, owner=entry.owner,
                                     due_on=entry.due_on, status=entry.status,
                                     strands=entry.strands or ())
            log.add(entry.code or "", "action added", "(none)", _shown(entry.description),
                    "remove_action", added)
            counts.actions_added += 1
        except EsatError as exc:
            raise _at(plan, ACTIONS, entry.row, exc) from None
