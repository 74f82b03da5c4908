"""One assessment read whole: the read model the reports (and later the view and workbook) use.

A :class:`Snapshot` holds everything a report says about one assessment: the
unit and document control, the framework's parts, each indicator with its
wording, the unit's and the assessor's rating and which one counted, any
exemption, the narrative, evidence and actions, the sign-offs and the score.
It is read through :class:`~esat.store.Store`'s API in one go and never
changes afterwards; nothing here imports Qt or writes to the file.

    with Store.open(path, actor="me", read_only=True) as store:
        snap = take_snapshot(store, store.only_assessment().uuid)
        snap.score.overall.percent, snap.indicator("6B").counting_label
"""

from __future__ import annotations

from typing import NamedTuple

from .framework import Framework, Item, Section, Stage
from .records import Action, Assessment, Evidence, LevelValidation, Response, SignOff
from .scoring import ItemResult, Score, score
from .store import Store


class IndicatorView(NamedTuple):
    """One indicator of an assessment, as a report shows it."""

    item: Item
    section: Section
    result: ItemResult                  # the scoring's verdict: required, rating counted, met
    self_label: str                     # the unit's own rating in words, "" when none
    assessor_label: str                 # the coordinator's rating in words, "" when none
    assessor_name: str
    narrative: str
    exemption_requested: bool           # the unit asked to be exempt ...
    exemption_request_reason: str       # ... for this reason
    exemption_decision: bool | None     # True granted, False refused, None undecided
    strands: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    actions: tuple[Action, ...]

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def required(self) -> bool:
        return self.result.required

    @property
    def met(self) -> bool:
        return self.result.met

    @property
    def counting_label(self) -> str:
        """The rating that counts, in words ("Not rated" when there is none)."""
        if self.result.rating_source == "assessor":
            return self.assessor_label
        if self.result.rating_source == "self":
            return self.self_label
        return "Not rated"

    @property
    def counted(self) -> str:
        """Whose rating counted: "assessor", "self" or "" (unrated)."""
        return self.result.rating_source or ""


class Snapshot(NamedTuple):
    """Everything about one assessment at the moment it was read."""

    assessment: Assessment
    framework: Framework
    stage: Stage | None                 # None: the assessment covers every level (ESlg)
    score: Score
    indicators: tuple[IndicatorView, ...]
    actions: tuple[Action, ...]         # every action, those tied to no indicator too
    signoffs: tuple[SignOff, ...]
    validations: tuple[LevelValidation, ...]
    file_name: str                      # the file it was read from ("" when unknown)

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def sections(self) -> tuple[Section, ...]:
        """The framework's sections that hold at least one indicator of this assessment."""
        return tuple(section for section, _ in self.score.sections)

    def indicator(self, code: str) -> IndicatorView:
        for view in self.indicators:
            if view.code == code:
                return view
        raise KeyError(code)

    @property
    def latest_signoff(self) -> SignOff | None:
        return self.signoffs[-1] if self.signoffs else None


def take_snapshot(store: Store, assessment_uuid: str) -> Snapshot:
    """Read one assessment whole through the store's API."""
    return _snapshot(store, store.assessment(assessment_uuid))


def take_all(store: Store) -> list[Snapshot]:
    """A snapshot of every assessment the file holds, in the store's order (area, unit)."""
    return [_snapshot(store, assessment) for assessment in store.assessments()]


def _snapshot(store: Store, assessment: Assessment) -> Snapshot:
    framework = store.framework_of(assessment)
    responses = store.responses(assessment.uuid)
    evidence = store.evidence(assessment.uuid)
    actions = store.actions(assessment.uuid)
    result = score(framework, assessment.stage, assessment.unit.unit_type,
                   {code: response.state() for code, response in responses.items()})
    by_code_evidence: dict[str, list[Evidence]] = {}
    for entry in evidence:
        by_code_evidence.setdefault(entry.item_code, []).append(entry)
    by_code_actions: dict[str, list[Action]] = {}
    for action in actions:
        if action.item_code is not None:
            by_code_actions.setdefault(action.item_code, []).append(action)
    sections = {section.id: section for section in framework.sections}
    indicators = tuple(
        _indicator(framework, item_result, sections[item_result.item.section],
                   responses.get(item_result.item.code),
                   tuple(by_code_evidence.get(item_result.item.code, ())),
                   tuple(by_code_actions.get(item_result.item.code, ())))
        for item_result in result.items)
    return Snapshot(
        assessment=assessment, framework=framework,
        stage=framework.stage(assessment.stage) if assessment.stage else None,
        score=result, indicators=indicators, actions=tuple(actions),
        signoffs=tuple(store.signoffs(assessment.uuid)),
        validations=tuple(store.validations(assessment.uuid)),
        file_name=store.path.name if store.path else "")


def _indicator(framework: Framework, result: ItemResult, section: Section,
               response: Response | None, evidence: tuple[Evidence, ...],
               actions: tuple[Action, ...]) -> IndicatorView:
    def label(rating: str | None) -> str:
        return framework.scale_point(rating).label if rating is not None else ""

    if response is None:
        return IndicatorView(result.item, section, result, "", "", "", "", False, "", None, (),
                             evidence, actions)
    return IndicatorView(
        item=result.item, section=section, result=result,
        self_label=label(response.self_rating), assessor_label=label(response.assessor_rating),
        assessor_name=response.assessor_name or "", narrative=response.narrative or "",
        exemption_requested=response.unit_exempt,
        exemption_request_reason=response.unit_exemption_reason or "",
        exemption_decision=response.coord_exempt, strands=response.strands,
        evidence=evidence, actions=actions)
